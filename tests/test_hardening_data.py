"""Issue 12, personal numbers however written, and hostile files: real checks and real builds."""

from __future__ import annotations

import codecs
import html
import os
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Project
from gongkai.config import DisclosureConfig
from gongkai.privacy import (
    BANK_CARD,
    ID_CARD,
    MOBILE,
    find_personal_data,
    mask,
    passes_luhn,
)
from gongkai.unicode_tables import character_class_pieces, code_point_ranges
from gongkai.unicode_tables_data import HIDDEN_OR_LOOKALIKE

ID_NUMBER = "500230199001010015"
MOBILE_NO = "13812345678"
CARD = "6222021001123459"

# Every spelling the issue names (and a few more of each class), as it is written in a file.
SPELLINGS = {
    "full-width": "１３８１２３４５６７８",
    "full-width hyphens": "１３８－１２３４－５６７８",
    "ID 6-8-4": "500230-19900101-0015",
    "ID 6 8 4": "500230 19900101 0015",
    "card, spaces": "6222 0210 0112 3459",
    "card, hyphens": "6222-0210-0112-3459",
    "+86": "+86 138 1234 5678",
    "+86 joined": "+8613812345678",
    "0086": "008613812345678",
    "86-": "86-13812345678",
    "split by tags": "138<span>1234</span>5678",
    "zero-width space": "138\u200b1234\u200b5678",
    "soft hyphen": "138\u00ad12345678",
    "decimal reference": "&#49;3812345678",
    "hex reference": "&#x31;&#x33;812345678",
    "dots": "138.1234.5678",
    "en dashes": "138–1234–5678",
    "ideographic spaces": "138\u30001234\u30005678",
    "Markdown emphasis": "138**1234**5678",
    "Markdown escapes": "138\\-1234\\-5678",
    "HTML comment": "1381234<!-- 备注 -->5678",
    "mathematical digits": "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖",
    "one digit masked": "5002301980010100*0",
    "birth date shown": "5002301990****0015",
}
PASSING = [
    "全年收入15800000000元", "全年收入15800000000.00 元", "预算 15800000000万元", "¥15800000000",
    "办公电话：023-70601234", "办公电话：（023）7060 1234", "服务热线 400-123-4567",
    "索引号：11500230MB0000000X/2025-00014", "索引号：915002307093567890/2025-00001",
    "示例府发〔2021〕12号", "2025.03.18 至 2025.03.26", "2021 2022 2023 2024",
    "500230********0015", "138****5678", "138 **** 5678", "6222********3459",
    "**2025**\n**2026**\n**2027**", "&lt;p&gt;2025", "第 1234 5678 号",
]


@pytest.mark.parametrize("written", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_every_spelling_of_a_personal_number_is_found_where_it_was_written(written):
    text = f"第一行\n联系人张某某，号码：{written}。\n"
    findings = find_personal_data(text)
    assert len(findings) == 1, findings
    assert text.count("\n", 0, findings[0].start) == 1
    shown = text[findings[0].start:findings[0].end]
    assert shown in written and len(shown) >= 11, shown


@pytest.mark.parametrize("text", PASSING)
def test_amounts_landlines_index_numbers_and_masked_forms_pass(text):
    assert find_personal_data(text) == []


def test_a_masked_number_must_hide_what_the_sites_rule_hides():
    strict = {"id_card": [6, 4], "mobile": [3, 4], "bank_card": [4, 4]}
    loose = {"id_card": [10, 4], "mobile": [3, 4], "bank_card": [4, 4]}
    assert [f.kind for f in find_personal_data("5002301990****0015", strict)] == [ID_CARD]
    assert find_personal_data("5002301990****0015", loose) == []
    assert [f.kind for f in find_personal_data("1381234*678")] == [MOBILE]
    assert [f.kind for f in find_personal_data("622202100112****")] == [BANK_CARD]
    finding, = find_personal_data("5002301980010100*0")
    assert mask(finding, strict) == "500230********00*0"


def test_findings_keep_the_line_after_tags_references_and_wide_characters():
    text = "<p>&nbsp;</p>\n<p>１２３</p>\n" * 50 + "<td>2025</td><td>1<b>3</b>8&#49;2345678</td>\n"
    finding, = find_personal_data(text)
    assert finding.value == "13812345678"
    assert text.count("\n", 0, finding.start) == 100
    assert text[finding.start:].startswith("1<b>3")


def test_the_unicode_table_covers_every_character_pythons_unicode_data_knows():
    computed = "".join(character_class_pieces(code_point_ranges()))
    assert HIDDEN_OR_LOOKALIKE == codecs.decode(computed, "unicode_escape"), (
        f"Unicode {unicodedata.unidata_version}: regenerate hooks/gongkai/unicode_tables_data.py"
    )


# --- Hypothesis: formatting variants of valid numbers are always found -----------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


@st.composite
def id_numbers(draw) -> str:
    born = draw(st.dates(min_value=__import__("datetime").date(1930, 1, 1),
                         max_value=__import__("datetime").date(2015, 12, 31)))
    region = draw(st.integers(11, 82)) * 10_000 + draw(st.integers(0, 9999))
    body = f"{region:06d}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


@st.composite
def card_numbers(draw) -> str:
    start = draw(st.sampled_from(["622202", "621700", "436742", "524047"]))
    middle = "".join(draw(st.lists(st.sampled_from("0123456789"), min_size=9, max_size=9)))
    body = start + middle
    check = next(d for d in "0123456789" if passes_luhn(body + d))
    return body + check


mobiles = st.builds(lambda second, rest: f"1{second}{rest:09d}",
                    st.sampled_from("3456789"), st.integers(0, 10**9 - 1))


def _grouped(number: str, groups: tuple[int, ...], separator: str) -> str:
    parts, position = [], 0
    for size in groups:
        parts.append(number[position:position + size])
        position += size
    return separator.join(parts)


GROUPINGS_BY_KIND = {ID_CARD: [(18,), (6, 8, 4), (6, 4, 4, 4)], MOBILE: [(11,), (3, 4, 4), (3, 8)],
                     BANK_CARD: [(16,), (4, 4, 4, 4)]}
WRITINGS = [
    lambda text: text,
    lambda text: unicodedata.normalize("NFKC", text).translate(
        {ord(d): chr(0xFF10 + int(d)) for d in "0123456789"}),
    lambda text: "\u200b".join(text),
    lambda text: "".join(f"&#{ord(c)};" if c.isdigit() and i % 3 == 0 else c
                         for i, c in enumerate(text)),
    lambda text: text[:3] + "<span>" + text[3:7] + "</span>" + text[7:],
    lambda text: f"**{text}**",
]


@settings(max_examples=300, deadline=None)
@given(
    kind_and_number=st.one_of(
        id_numbers().map(lambda n: (ID_CARD, n)), mobiles.map(lambda n: (MOBILE, n)),
        card_numbers().map(lambda n: (BANK_CARD, n)),
    ),
    choice=st.data(),
    separator=st.sampled_from([" ", "-", ".", "\u3000", "－", " - "]),
    writing=st.sampled_from(WRITINGS),
    before=st.sampled_from(["", "号码", "电话：", "|张某某|", "，"]),
    after=st.sampled_from(["", "。", "|", "（本人）", "\n下一行"]),
)
def test_formatting_variants_of_valid_numbers_are_always_found(
    kind_and_number, choice, separator, writing, before, after
):
    kind, number = kind_and_number
    groups = choice.draw(st.sampled_from(GROUPINGS_BY_KIND[kind]))
    if kind == ID_CARD and len(groups) > 1 and separator == " - ":
        separator = "-"
    written = writing(_grouped(number, groups, separator))
    findings = find_personal_data(before + written + after)
    assert [(f.kind, f.value) for f in findings] == [(kind, number.upper())], written


# --- Check and build refuse every spelling; the message never prints the number --------------


def test_check_and_build_refuse_every_spelling_naming_file_and_line(project: Project):
    for number, (name, written) in enumerate(SPELLINGS.items(), start=1):
        project.entry(f"disclosures/2021/pii-{number:02d}.md", title=f"公示{number}",
                      index_no=f"000014349/2021-{number:05d}",
                      body=f"第一段。\n\n| 姓名 | 号码 |\n|---|---|\n| 张某某 | {written} |")
    project.entry("disclosures/2021/public.md", title="财政公示", index_no="000014349/2021-00099",
                  body="\n\n".join(PASSING[:12]))
    check = project.gongkai("check")
    build = project.build()
    assert build.returncode != 0
    for number in range(1, len(SPELLINGS) + 1):
        expected = f"disclosures/2021/pii-{number:02d}.md:12: 正文: 含有未去标识化的"
        assert expected in check.stdout, (number, check.stdout)
        assert expected in build.output, number
    assert "public.md" not in check.stdout
    for text in (check.stdout, build.output):
        for written in SPELLINGS.values():
            assert written not in text and html.unescape(written) not in text
        assert MOBILE_NO not in text and ID_NUMBER not in text and CARD not in text


def test_a_number_in_a_file_or_folder_name_is_refused_without_printing_it(project: Project):
    project.entry(f"disclosures/2021/张某某{MOBILE_NO}.md", index_no="000014349/2021-00001")
    project.entry(f"disclosures/{ID_NUMBER}/notice.md", index_no="000014349/2021-00002")
    project.entry("disclosures/2021/ok.md", index_no="000014349/2021-00003")
    check = project.gongkai("check")
    assert check.returncode == 1
    assert ("disclosures/2021/张某某138****5678.md: 文件名: 文件名含有未去标识化的手机号码，"
            "网址和站点地图会公开它：请给文件改名") in check.stdout
    assert ("disclosures/500230********0015/notice.md: 文件名: 文件名含有未去标识化的居民身份证号，"
            "网址和站点地图会公开它：请给文件改名") in check.stdout
    build = project.build(strict=False)
    for text in (check.stdout, build.output, build.all_text()):
        assert MOBILE_NO not in text and ID_NUMBER not in text
    assert (build.site / "disclosures/2021/ok/index.html").is_file()


def test_new_refuses_a_title_with_a_number_and_registers_nothing(project: Project):
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "new", "--title",
         f"关于张某某（{MOBILE_NO[:3]} {MOBILE_NO[3:7]} {MOBILE_NO[7:]}）的公示",
         "--category", "民生保障", "--channels", "bulletin"],
        cwd=project.root, capture_output=True, text=True, check=False,
        env={**os.environ, "GONGKAI_TODAY": "2026-11-26"},
    )
    assert result.returncode != 0
    assert "--title（标题）：含有未去标识化的手机号码：请改写为「138****5678」" in result.stderr
    assert not (project.root / "索引号登记簿.csv").exists()
    assert not list((project.root / "disclosures").rglob("*.md"))


def test_screening_stays_linear_on_pathological_runs():
    for text in ("1 " * 40_000, "1-" * 40_000, "<!--" * 20_000, "&#49;" * 20_000,
                 "<" * 40_000, "1*" * 40_000, "\u200b1" * 40_000):
        # CPU time, not wall: other jobs on a shared machine must not fail a linear scan.
        start = time.process_time()
        find_personal_data(text)
        assert time.process_time() - start < 1.0, text[:8]


def test_mask_uses_the_configured_rule_for_grouped_numbers():
    config = DisclosureConfig(masking={"id_card": [2, 3], "mobile": [3, 4], "bank_card": [0, 4]})
    id_finding, card_finding = find_personal_data("500230 19900101 0015，6222 0210 0112 3459")
    assert mask(id_finding, config.masking) == "50*************015"
    assert mask(card_finding, config.masking) == "************3459"


def test_unicode_table_module_regenerates_identically(tmp_path: Path):
    generated = subprocess.run(
        [sys.executable, "-m", "gongkai.unicode_tables"], capture_output=True, text=True,
        check=True,
    ).stdout
    module = Path(__file__).resolve().parent.parent / "hooks/gongkai/unicode_tables_data.py"
    assert generated == module.read_text("utf-8")


# --- Hostile files: only regular files inside the repository are read -----------------------


def _check_within(project: Project, seconds: float) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "gongkai.cli", "check"], cwd=project.root,
                            capture_output=True, text=True, check=False, timeout=seconds)
    assert "Traceback" not in result.stdout + result.stderr
    return result


def test_links_leaving_the_repository_fifos_and_devices_are_refused_by_name(project: Project):
    source = project.root / "disclosures/2021"
    source.mkdir(parents=True)
    (source / "zero.md").symlink_to("/dev/zero")
    (source / "outside.md").symlink_to("/etc/hostname")
    os.mkfifo(source / "pipe.md")
    project.entry("disclosures/2021/ok.md", index_no="000014349/2021-00001")
    (source / "inside.md").symlink_to("../../docs/index.md")
    check = _check_within(project, 60)
    assert check.returncode == 1
    lines = check.stdout.splitlines()
    assert ("disclosures/2021/outside.md: 文件: 这是指向仓库以外的链接，不会读取："
            "请把文件本身放进仓库") in lines
    assert ("disclosures/2021/zero.md: 文件: 这是指向仓库以外的链接，不会读取："
            "请把文件本身放进仓库") in lines
    assert ("disclosures/2021/pipe.md: 文件: 这是一个命名管道（FIFO），不是普通文件，不会读取："
            "请把它删除") in lines
    # A link inside the repository is read like the file it points to.
    assert any(line.startswith("disclosures/2021/inside.md:1: ") for line in lines)
    build = project.build(strict=False)
    assert "Traceback" not in build.output
    assert "disclosures/2021/zero.md: 文件: 这是指向仓库以外的链接" in build.output
    assert (build.site / "disclosures/2021/ok/index.html").is_file()


def test_a_device_file_itself_is_refused(project: Project, tmp_path: Path):
    (project.root / "disclosures/2021").mkdir(parents=True)
    try:
        os.mknod(project.root / "disclosures/2021/null.md", 0o600 | 0o020000, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("cannot create a device node here")
    check = _check_within(project, 60)
    assert ("disclosures/2021/null.md: 文件: 这是一个设备文件，不是普通文件，不会读取：请把它删除"
            in check.stdout.splitlines())


def test_an_entry_above_the_size_limit_is_refused_before_it_is_read_whole(project: Project):
    project.entry("disclosures/2021/big.md", index_no="000014349/2021-00001",
                  body="正文。" + "很长的表格。" * 400)
    project.entry("disclosures/2021/small.md", index_no="000014349/2021-00002")
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text("utf-8")
                  + "    max_entry_kb: 4\n")
    check = _check_within(project, 60)
    assert check.stdout.splitlines()[0] == (
        "disclosures/2021/big.md: 文件: 文件超过 4 KB 的上限，不会发布：请把大的表格或文档另作附件，"
        "或在 mkdocs.yml 的 extra.disclosure.max_entry_kb 中调高上限"
    )
    assert "small.md" not in check.stdout
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text("utf-8").replace(
        "max_entry_kb: 4", "max_entry_kb: 0"))
    assert "mkdocs.yml: extra.disclosure.max_entry_kb: 应为正整数" in (
        _check_within(project, 60).stderr)


def test_two_files_at_one_address_are_both_refused_naming_each_other(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/a/index.md", index_no="000014349/2021-00002")
    project.entry("disclosures/2021/b/README.md", index_no="000014349/2021-00003")
    check = _check_within(project, 60)
    lines = check.stdout.splitlines()
    assert ("disclosures/2021/a.md: 文件名: 与 disclosures/2021/a/index.md 的网址相同，"
            "两者都不会发布：请给其中一个文件改名") in lines
    assert ("disclosures/2021/a/index.md: 文件名: 与 disclosures/2021/a.md 的网址相同，"
            "两者都不会发布：请给其中一个文件改名") in lines
    assert "b/README.md" not in check.stdout


def test_names_that_break_a_url_are_refused(project: Project):
    project.entry("disclosures/2021/第#1号.md", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/问答?.md", index_no="000014349/2021-00002")
    project.entry("disclosures/2021 年/通知.md", index_no="000014349/2021-00003")
    project.entry("disclosures/2021/通知-1_2.md", index_no="000014349/2021-00004")
    lines = _check_within(project, 60).stdout.splitlines()
    advice = "放进网址会出错：请改名，只用汉字、字母、数字、- 和 _"
    assert f"disclosures/2021/第#1号.md: 文件名: 文件名或文件夹名含有 #，{advice}" in lines
    assert f"disclosures/2021/问答?.md: 文件名: 文件名或文件夹名含有 ?，{advice}" in lines
    assert f"disclosures/2021 年/通知.md: 文件名: 文件名或文件夹名含有 空格，{advice}" in lines
    assert not any("通知-1_2" in line for line in lines)


@pytest.mark.parametrize("run", ["<", "["])
def test_a_body_of_forty_thousand_brackets_costs_check_and_build_under_a_second(
    project: Project, run: str
):
    project.entry("disclosures/2021/ok.md", index_no="000014349/2021-00001")
    started = time.perf_counter()
    baseline = project.build(strict=False)
    baseline_seconds = time.perf_counter() - started
    assert baseline.returncode == 0, baseline.output
    project.entry("disclosures/2021/runs.md", index_no="000014349/2021-00002",
                  body="开头。\n\n" + run * 40_000)
    started = time.perf_counter()
    check = _check_within(project, 60)
    check_seconds = time.perf_counter() - started
    started = time.perf_counter()
    build = project.build(strict=False)
    extra_seconds = time.perf_counter() - started - baseline_seconds
    if run == "[":
        expected = ("disclosures/2021/runs.md:8: 正文: 正文中有 40000 个没有配对的「[」，"
                    "会让网页生成极慢，不予发布：请删除多余的符号，或改用全角的「【】」「＜」")
        assert expected in check.stdout.splitlines()
        assert expected in build.output
    else:
        assert check.returncode == 0, check.stdout
        assert "&lt;" * 100 in build.page("disclosures/2021/runs")
    # Wall-clock on a shared machine: generous, but hours before and fractions now.
    assert check_seconds < 5 and extra_seconds < 5, (check_seconds, extra_seconds)


def test_an_entry_and_a_docs_page_at_one_address_stop_the_build_naming_both(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    project.write("docs/disclosures/2021/a.md", "# 手写页面\n")
    result = project.build()
    check = project.gongkai("check")
    message = ("disclosures/2021/a.md: 文件名: 与 docs/disclosures/2021/a.md 的网址相同，"
               "docs/ 中的页面不会发布：请给其中一个文件改名")
    assert result.returncode != 0
    assert f"ERROR   -  {message}" in result.output
    assert check.returncode == 1
    assert message in check.stdout.splitlines()
