"""The per-file verdict cache of the commands (issue 13 Speed, issue 17): an unchanged file's
verdict is reused, and anything that could change it — the file, the settings, the rules —
makes the file be read again."""

from __future__ import annotations

import datetime as dt
import marshal
import os
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from conftest import Project
from gongkai import corpus, privacy, verdict_cache
from gongkai.entry import Attachment, Entry, NoticePeriod, PersonalDataAllowance, RelatedLink
from gongkai.problems import Problem, Severity
from gongkai.project import load_project
from gongkai.screening import MarkdownSettings
from gongkai.verdict_cache import (
    CACHE_FILE,
    FORMAT,
    Stored,
    VerdictCache,
    cache_key,
    decode_verdict,
    encode_verdict,
    read_cache_file,
    rules_digest,
    stored_record,
    write_cache_file,
)

ID_NUMBER = "500230199001010015"
TODAY = dt.date(2022, 3, 1)
TAMPERED = "（取自缓存）"


def mixed_project(root: Path) -> Project:
    """Valid entries, an error, a warning, a note, a draft, a duplicate 索引号 and a file
    name that cannot be an address."""
    project = Project(root)
    project.entry("disclosures/2021/ok.md", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/bad.md", index_no="000014349/2021-00002", category="财务")
    project.entry("disclosures/2021/warn.md", index_no="000014349/2021-00003",
                  personal_data_allowed=f'[{{value: "{ID_NUMBER}", reason: 依法公开}}]')
    project.entry("disclosures/2021/note.md", index_no="000014349/2021-00004",
                  body=f"当事人：王某，身份证号 {ID_NUMBER}。", category="行政执法",
                  personal_data_allowed=f'[{{value: "{ID_NUMBER}", reason: 依据行政处罚法公开}}]')
    project.entry("disclosures/2021/draft.md", index_no="000014349/2021-00005", draft="true")
    project.entry("disclosures/2021/twin.md", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/a b.md", index_no="000014349/2021-00006")
    return project


def outcome(project: Project, cache: bool) -> tuple[list[str], list[str], list[str], list[Entry]]:
    """Messages, notes, refused files and entries; the entries without their bodies, which
    the commands (`cache`) drop once judged."""
    loaded = load_project(project.root, today=TODAY, cache=cache)
    entries = loaded.corpus.entries
    if cache:
        assert all(entry.body == "" for entry in entries)
    return ([str(problem) for problem in loaded.problems], [str(note) for note in loaded.notes],
            sorted(loaded.corpus.rejected), [replace(entry, body="") for entry in entries])


def cache_file(project: Project) -> Path:
    return project.root / ".gongkai-cache" / CACHE_FILE


def stored_files(project: Project) -> dict[str, Stored]:
    found = read_cache_file(cache_file(project), cache_key())
    assert found is not None
    return found[1]


def tampered_copy(project: Project, name: str) -> tuple[str, dict[str, Stored]]:
    """The cache's digest and records, the verdict of `name` changed so that reusing it
    shows in the messages."""
    found = read_cache_file(cache_file(project), cache_key())
    assert found is not None
    digest, files = found
    key, first, last, verdict = files[name]
    entry, problems, notes, shown_path, links = decode_verdict(verdict)
    problems.append(Problem(f"disclosures/{name}", 1, "title", TAMPERED, Severity.WARNING))
    files[name] = (key, first, last, encode_verdict((entry, problems, notes, shown_path, links)))
    return digest, files


def tamper(project: Project, name: str) -> None:
    """Change the stored verdict of `name`, as this user's commands would have written it."""
    key = cache_key()
    assert key is not None
    write_cache_file(cache_file(project), key, *tampered_copy(project, name))


def tampered(project: Project) -> bool:
    return any(TAMPERED in problem for problem in outcome(project, cache=True)[0])


def test_results_with_and_without_the_cache_are_identical(tmp_path):
    project = mixed_project(tmp_path)
    without = outcome(project, cache=False)
    assert not cache_file(project).exists()
    first = outcome(project, cache=True)  # writes the cache
    again = outcome(project, cache=True)  # reads it
    assert first == again == without
    problems, notes, rejected, _ = without
    assert any(": category: 未知分类「财务」" in line for line in problems)
    assert any("personal_data_allowed: 第 1 项的号码" in line for line in problems)
    assert any("索引号「000014349/2021-00001」与" in line for line in problems)
    assert any("文件名或文件夹名含有 空格" in line for line in problems)
    assert len(notes) == 1 and rejected == ["disclosures/2021/a b.md", "disclosures/2021/bad.md",
                                            "disclosures/2021/twin.md"]
    stored = stored_files(project)
    assert sorted(stored) == ["2021/a b.md", "2021/bad.md", "2021/draft.md", "2021/note.md", "2021/ok.md",
                              "2021/twin.md", "2021/warn.md"]
    # What the command prints is the same too, the first time and from the cache.
    check = project.gongkai("check", env={"GONGKAI_TODAY": "2022-03-01"})
    assert check.stdout == project.gongkai("check", env={"GONGKAI_TODAY": "2022-03-01"}).stdout
    assert all(line in check.stdout for line in problems + notes)


def test_body_links_are_checked_from_the_cache_without_the_bodies(tmp_path):
    """The cache keeps a body's links, not the body: a link from an unchanged (cached) file
    is still checked against the other files as they are now."""
    project = Project(tmp_path)
    project.entry("disclosures/2021/target.md", index_no="000014349/2021-00001",
                  date="2021-01-04")
    project.entry("disclosures/2021/source.md", index_no="000014349/2021-00002",
                  body="见[通知](target.md)，以及\n\n[另一条](missing.md)。")
    project.entry("disclosures/2021/fine.md", index_no="000014349/2021-00003",
                  body="见[通知](target.md)。")
    without = outcome(project, cache=False)
    assert outcome(project, cache=True) == without
    assert outcome(project, cache=True) == without
    broken = [line for line in without[0] if "missing.md" in line]
    assert broken == [("disclosures/2021/source.md:10: 正文: 链接「missing.md」的目标不存在，网站上将"
                       "打不开：请核对文件名；附件要在 attachments 中列出，链接其他信息请写它的 .md 文件名")]
    stored = cache_file(project).read_bytes()
    assert "另一条".encode() not in stored and b"missing.md" in stored  # the link, not the body
    # The target becomes a draft: fine.md is unchanged and cached, its link is checked anew.
    target = project.root / "disclosures/2021/target.md"
    target.write_text(target.read_text("utf-8").replace("title:", "draft: true\ntitle:", 1),
                      "utf-8")
    assert any(line.startswith("disclosures/2021/fine.md:") and "是草稿" in line
               for line in outcome(project, cache=True)[0])
    assert outcome(project, cache=True) == outcome(project, cache=False)


def test_an_unchanged_file_keeps_its_verdict_and_a_changed_one_is_read_again(tmp_path):
    project = mixed_project(tmp_path)
    outcome(project, cache=True)
    tamper(project, "2021/ok.md")
    assert tampered(project)  # proof that the stored verdict is what the run used
    path = project.root / "disclosures/2021/ok.md"
    path.write_text(path.read_text("utf-8").replace("正文。", "正文有改动。"), "utf-8")
    assert not tampered(project)


def test_a_file_rewritten_with_the_same_size_and_time_is_read_again(tmp_path):
    project = mixed_project(tmp_path)
    outcome(project, cache=True)
    tamper(project, "2021/ok.md")
    path = project.root / "disclosures/2021/ok.md"
    before = path.stat()
    replacement = path.with_name("new.tmp")  # a new inode, as editors and git checkouts make
    replacement.write_bytes(path.read_bytes())
    replacement.replace(path)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert not tampered(project)


def test_a_changed_setting_invalidates_every_verdict(tmp_path):
    project = mixed_project(tmp_path)
    outcome(project, cache=True)
    tamper(project, "2021/ok.md")
    yml = project.root / "mkdocs.yml"
    yml.write_text(yml.read_text("utf-8").replace("page_size: 5", "page_size: 6"), "utf-8")
    assert not tampered(project)


def test_a_changed_rule_changes_the_digest_and_no_stored_verdict_is_used(tmp_path):
    project = mixed_project(tmp_path)
    outcome(project, cache=True)
    tamper(project, "2021/ok.md")
    package = Path(verdict_cache.__file__).parent
    copy = tmp_path / "package"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__", "theme"))
    loaded = load_project(project.root, today=TODAY)
    settings = MarkdownSettings()
    assert rules_digest(loaded.config, settings, copy) == rules_digest(loaded.config, settings)
    privacy = copy / "privacy.py"
    privacy.write_text(privacy.read_text("utf-8") + "\n# a changed rule\n", "utf-8")
    changed = rules_digest(loaded.config, settings, copy)
    assert changed != rules_digest(loaded.config, settings)
    found = read_cache_file(cache_file(project), cache_key())
    assert found is not None
    digest, stored = found
    assert VerdictCache(project.root, digest).get("2021/ok.md", stored["2021/ok.md"][0])
    assert VerdictCache(project.root, changed).get("2021/ok.md", stored["2021/ok.md"][0]) is None


def test_a_corrupt_or_foreign_cache_is_ignored_and_rewritten(tmp_path):
    project = mixed_project(tmp_path)
    expected = outcome(project, cache=False)
    path = cache_file(project)
    path.parent.mkdir()
    key = cache_key()
    assert key is not None
    for content in (b"\xff\xfe not ours", b"gongkai verdicts\n" + bytes(32) + b"\x00",
                    b'{"format": 3, "digest": "x", "files": {}}', b""):
        path.write_bytes(content)
        assert outcome(project, cache=True) == expected
        assert "2021/ok.md" in stored_files(project)
    found = read_cache_file(path, key)
    assert found is not None
    digest, files = found
    # Signed with this user's key but not what a cache holds: each is ignored and rewritten.
    for payload in ((FORMAT, digest, {"2021/ok.md": (files["2021/ok.md"][0], "0001-01-01",
                                                      "9999-12-31", b"garbage")}),
                    (FORMAT, digest, {"2021/ok.md": 5}), (FORMAT, digest, []),
                    (FORMAT - 1, digest, files), [1, 2]):
        data = marshal.dumps(payload)
        path.write_bytes(b"gongkai verdicts\n" + verdict_cache._mac(key, data) + data)
        assert outcome(project, cache=True) == expected
        assert stored_files(project).keys() == files.keys()
    assert not list(path.parent.glob("*.tmp"))


def test_a_cache_file_not_made_with_this_users_key_is_never_read(tmp_path, monkeypatch):
    """marshal is not safe against crafted data: a cache committed to the repository or
    copied from another machine, even a well-formed one, is ignored without being read."""
    project = mixed_project(tmp_path)
    expected = outcome(project, cache=False)
    outcome(project, cache=True)
    foreign_key = os.urandom(32)
    write_cache_file(cache_file(project), foreign_key, *tampered_copy(project, "2021/ok.md"))
    assert read_cache_file(cache_file(project), foreign_key) is not None  # well-formed
    unmarshalled: list[bytes] = []
    loads = marshal.loads
    monkeypatch.setattr(marshal, "loads",
                        lambda data: unmarshalled.append(bytes(data)) or loads(data))
    assert outcome(project, cache=True) == expected
    assert not any(TAMPERED.encode() in data for data in unmarshalled)
    assert outcome(project, cache=True) == expected  # the file this run wrote: read
    assert any(b"2021/ok.md" in data for data in unmarshalled)
    monkeypatch.undo()
    assert not tampered(project)
    # A byte changed in a file this user's commands wrote: not read either.
    tamper(project, "2021/ok.md")
    data = bytearray(cache_file(project).read_bytes())
    data[-1] ^= 1
    cache_file(project).write_bytes(bytes(data))
    assert not tampered(project)


def test_without_a_place_for_the_key_the_commands_judge_every_file(tmp_path, monkeypatch):
    project = mixed_project(tmp_path)
    expected = outcome(project, cache=False)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("", "utf-8")
    monkeypatch.setenv(verdict_cache.KEY_FOLDER_VARIABLE, str(blocked))
    assert cache_key() is None
    assert outcome(project, cache=True) == outcome(project, cache=True) == expected
    assert not cache_file(project).exists()
    check = project.gongkai("check", env={"GONGKAI_TODAY": "2022-03-01",
                                          verdict_cache.KEY_FOLDER_VARIABLE: str(blocked)})
    assert check.returncode == 1 and "未知分类「财务」" in check.stdout


def test_the_key_is_made_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.setenv(verdict_cache.KEY_FOLDER_VARIABLE, str(tmp_path))
    key = cache_key()
    path = tmp_path / "gongkai" / verdict_cache._KEY_FILE
    assert key is not None and len(key) == 32 and path.read_bytes() == key
    assert path.stat().st_mode & 0o077 == 0
    assert cache_key() == key and [item.name for item in path.parent.iterdir()] == [path.name]


def test_entries_with_attachments_are_judged_anew_each_time(tmp_path):
    project = mixed_project(tmp_path)
    project.write_bytes("disclosures/2021/list.csv", "姓名,金额\n张某,100\n".encode())
    project.entry("disclosures/2021/list.md", index_no="000014349/2021-00009",
                  attachments="[list.csv]")
    outcome(project, cache=True)
    assert "2021/list.md" not in stored_files(project)
    project.write_bytes("disclosures/2021/list.csv", f"姓名,身份证号\n张某,{ID_NUMBER}\n".encode())
    problems = outcome(project, cache=True)[0]
    assert any(line.startswith("disclosures/2021/list.md") and "居民身份证号" in line
               for line in problems)


def test_every_field_of_an_entry_survives_the_cache():
    entry = Entry(
        path="disclosures/2021/a.md", slug="2021/a", title="标题", date=dt.date(2021, 3, 4),
        category="行政执法", channels=("website", "bulletin"), publisher="测试镇人民政府",
        body="正文", body_line=20, index_no="000014349/2021-00001", doc_no="测府发〔2021〕1号",
        written=dt.date(2021, 3, 1), validity="有效", tags=("低保",), summary="概述",
        draft=True, personal_data_allowed=(PersonalDataAllowance(ID_NUMBER, "依法"),),
        doc_type="行政事业性收费", repealed=dt.date(2022, 1, 1), expires=dt.date(2023, 1, 1),
        decisions=3, fee_amount=Decimal("12.50"), decided=dt.date(2021, 2, 26),
        late_reason="停电", related=(RelatedLink("000014349/2020-00001", "解读"),),
        notice_period=NoticePeriod(dt.date(2021, 3, 5), dt.date(2021, 3, 12)),
        attachments=(Attachment("2021/a.pdf", "附件", "PDF", 12, "ab"),),
        field_lines={"title": 2, "date": 3},
    )
    problems = [Problem("p", 3, "f", "说明", Severity.WARNING)]
    notes = [Problem("p", 4, "正文", "记录")]
    back = decode_verdict(encode_verdict((entry, problems, notes, "p", None)))
    assert back == (entry, problems, notes, "p", None)
    assert back[0] is not None and back[0].field_lines == entry.field_lines
    assert type(back[0].fee_amount) is Decimal and type(back[0].date) is dt.date
    # With the body's links, the entry is kept without its body.
    links = ((2, "b.md"),)
    back = decode_verdict(encode_verdict((entry, problems, notes, "p", links)))
    assert back == (replace(entry, body=""), problems, notes, "p", links)
    # An entry with none of the optional fields.
    bare = replace(entry, fee_amount=None, personal_data_allowed=(), related=(),
                   notice_period=None, attachments=(), written=None, field_lines={})
    assert decode_verdict(encode_verdict((bare, [], [], "p", None))) == (bare, [], [], "p", None)


def test_judging_on_every_core_gives_the_same_results_in_the_same_order(tmp_path, monkeypatch):
    """The commands judge many files in forked workers; what they find must not depend on it:
    errors, warnings, notes, refused names and files, and files naming attachments (which the
    parent judges itself, so their inspections land in its cache)."""
    project = mixed_project(tmp_path)
    project.write_bytes("disclosures/2021/list.csv", f"姓名,身份证号\n张某,{ID_NUMBER}\n".encode())
    project.entry("disclosures/2021/list.md", index_no="000014349/2021-00009",
                  attachments="[list.csv]")
    for number in range(10, 40):
        project.entry(f"disclosures/2020/n{number}.md", index_no=f"000014349/2020-000{number}",
                      body=f"第 {number} 条。联系电话 023-706012{number}。")
    (project.root / "disclosures/2021/outside.md").symlink_to("/etc/hostname")
    # A link inside the repository is read, but its key is None (never cached), as lstat says.
    (project.root / "disclosures/2021/inside.md").symlink_to("../2020/n10.md")
    # Screened by the parent while the workers judge the entries: reported all the same.
    project.write_bytes("docs/about.md", "# 关于\n\n<script>alert(1)</script>\n".encode())
    serial = outcome(project, cache=False)
    monkeypatch.setattr(corpus, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(corpus, "_POOL_CHUNK", 3)  # several tasks, finishing in any order
    assert outcome(project, cache=True) == serial  # judged by the pool, then written
    assert outcome(project, cache=True) == serial  # from the cache the pool filled
    problems = serial[0]
    assert any(line.startswith("disclosures/2021/list.md") and "居民身份证号" in line
               for line in problems)
    assert any(line.startswith("disclosures/2021/outside.md") for line in problems)
    assert any(line.startswith("docs/about.md:3: ") for line in problems)
    stored = stored_files(project)
    assert "2020/n25.md" in stored and "2021/list.md" not in stored
    # The workers really judged: every plain file came back from them, in order.
    loaded = load_project(project.root, today=TODAY)
    files = corpus.EntryFiles(project.root, loaded.config, loaded.screen,
                              VerdictCache(project.root, "digest"))  # as the commands judge
    names = sorted(f"2020/n{number}.md" for number in range(10, 40)) + ["2021/inside.md",
                                                                        "2021/list.md"]
    from_pool = list(corpus._judge_in_pool(files, names))
    assert from_pool[-1] is None  # names an attachment: left to the parent
    keys = [verdict_cache.file_key(os.lstat(project.root / "disclosures" / name))
            for name in names[:-1]]
    judged_here = list(map(files.judge, names[:-1]))
    # Compared decoded: marshal's bytes depend on how many references each value has.
    assert [(decode_verdict(encoded), record and record[:3])
            for encoded, record in from_pool[:-1]] == [
        (verdict.as_tuple(), key and stored_record(key, days, b"")[:3])
        for (verdict, days), key in zip(judged_here, keys)]
    assert all(record is None or record[3] == encoded for encoded, record in from_pool[:-1])
    assert not any("联系电话".encode() in found[0] for found in from_pool[:-1])  # no bodies
    assert from_pool[-2][1] is None and from_pool[0][1] is not None  # the link's key, a file's


def id_number_born(born: dt.date) -> str:
    """An ID number of 重庆 with a valid check digit, born on `born`."""
    body = f"500230{born:%Y%m%d}001"
    total = sum(int(digit) * weight for digit, weight in zip(body, privacy._ID_WEIGHTS))
    return body + privacy._ID_CHECK_DIGITS[total % 11]


def test_a_verdict_is_kept_for_the_days_its_birth_date_tests_hold(tmp_path, monkeypatch):
    """The day is not in the digest: only a file whose verdict turns on a birth date is read
    again, on the first day that test comes out otherwise (forward, or a clock set back)."""
    project = mixed_project(tmp_path)
    unborn = id_number_born(dt.date(2026, 1, 15))
    project.entry("disclosures/2021/unborn.md", index_no="000014349/2021-00010",
                  body=f"编号 {unborn}。")
    born = id_number_born(dt.date(1990, 1, 1))
    project.entry("disclosures/2021/born.md", index_no="000014349/2021-00011",
                  body=f"身份证号 {born}。")
    # An amount or a 索引号's code is no number whatever its digits: no birth date is tested.
    project.entry("disclosures/2021/code.md", index_no=f"{unborn}/2021-00012",
                  body=f"合计 {unborn} 元。")

    def on(day: dt.date, cache: bool = True) -> list[str]:
        monkeypatch.setattr(privacy, "today", lambda: day)
        return outcome(project, cache)[0]

    def is_id_number(problems: list[str], name: str) -> bool:
        return any(line.startswith(f"disclosures/2021/{name}.md") and "居民身份证号" in line
                   for line in problems)

    first = on(dt.date(2026, 1, 10))
    assert not is_id_number(first, "unborn") and is_id_number(first, "born")
    stored = stored_files(project)
    assert stored["2021/unborn.md"][1:3] == ("0001-01-01", "2026-01-14")
    assert stored["2021/born.md"][1:3] == ("1990-01-01", "9999-12-31")
    assert stored["2021/ok.md"][1:3] == ("0001-01-01", "9999-12-31")
    assert stored["2021/code.md"][1:3] == ("0001-01-01", "9999-12-31")
    assert not any("2021/code.md" in line for line in first)
    tamper(project, "2021/ok.md")
    tamper(project, "2021/unborn.md")
    tamper(project, "2021/born.md")
    on_last_day = on(dt.date(2026, 1, 14))
    assert sum(TAMPERED in line for line in on_last_day) == 3  # every verdict reused
    birthday = on(dt.date(2026, 1, 15))
    assert is_id_number(birthday, "unborn")  # read again: an ID number from today
    assert [line for line in birthday if "unborn" in line] == [
        line for line in on(dt.date(2026, 1, 15), cache=False) if "unborn" in line]
    assert sum(TAMPERED in line for line in birthday) == 2  # ok.md and born.md reused
    set_back = on(dt.date(1989, 12, 31))
    assert not is_id_number(set_back, "born") and sum(TAMPERED in line for line in set_back) == 1
