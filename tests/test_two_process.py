"""Entry pages rendered on two cores (two_process.py): the same site as one process makes,
warnings and failures of the forked child reported by the build as if it had none."""

from __future__ import annotations

import re
import time
from pathlib import Path

from conftest import BuildResult, Project
from gongkai.search import INDEX_FOLDER
from gongkai.two_process import MIN_PAGES_VARIABLE

FORK = {MIN_PAGES_VARIABLE: "1"}
ONE_PROCESS = {MIN_PAGES_VARIABLE: "1000000"}

# A hook standing for any plugin: it says which process rendered each entry page, and does to
# entries what their body asks for (a warning, script after gongkai's check, dying).
WITNESS_HOOK = '''
import logging
import os
import signal
import time

MAIN = os.getpid()  # MkDocs loads hooks in the process that runs the build
log = logging.getLogger("mkdocs.hooks.witness")


def on_page_markdown(markdown, page, config, files):
    if not page.file.src_uri.startswith("disclosures/"):
        return markdown
    who = "main" if os.getpid() == MAIN else "child"
    log.info("rendered %s in %s", page.file.src_uri, who)
    if "WARN-ME" in markdown:
        log.warning("测试警告：%s（%s）", page.file.src_uri, who)
    if "SCRIPT-ME" in markdown:
        markdown += '\\n\\n<a href="#" onclick="alert(1)">x</a>\\n'
    if "KILL-CHILD" in markdown and who == "child":
        os.kill(os.getpid(), signal.SIGKILL)
    if "SLOW-CHILD" in markdown and who == "child":
        log.info("child pid %d", os.getpid())
        time.sleep(0.2)
    if "FAIL-IN-MAIN" in markdown and who == "main":
        from mkdocs.exceptions import PluginError
        raise PluginError("测试：主进程渲染失败")
    return markdown
'''


def with_witness(project: Project) -> None:
    project.write("witness_hook.py", WITNESS_HOOK)
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    hook_line = next(line for line in config.splitlines() if "gongkai_hooks.py" in line)
    (project.root / "mkdocs.yml").write_text(
        config.replace(hook_line, f"{hook_line}\n  - witness_hook.py"), "utf-8")


def write_entries(project: Project, count: int, body: str = "正文。") -> None:
    for number in range(1, count + 1):
        project.entry(f"disclosures/2021/n{number:03d}.md", body=body,
                      index_no=f"000014349/2021-{number:05d}", title=f"关于第{number}号事项的公告")


def renderers(result: BuildResult) -> dict[str, str]:
    """Which process rendered each entry page, from the witness hook's log lines."""
    return dict(re.findall(r"rendered (disclosures/\S+) in (main|child)", result.output))


_TIMESTAMPED = ("data/catalogue.json", "stats/channels.json")
"""Files that say when they were generated (to the second)."""


def site_bytes(site: Path) -> dict[str, bytes]:
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*")
            if path.is_file() and path.relative_to(site).as_posix() not in _TIMESTAMPED}


def test_a_forked_build_writes_the_same_site_as_one_process(project: Project, tmp_path: Path):
    with_witness(project)
    write_entries(project, 150)  # more than two chunks: both processes claim some
    forked = project.build(env=FORK)
    assert forked.returncode == 0, forked.output
    by = renderers(forked)
    assert len(by) == 150
    assert "child" in by.values()  # the child's log lines reach the build's output
    forked_site = site_bytes(forked.site)

    single = project.build(env=ONE_PROCESS)
    assert single.returncode == 0, single.output
    assert set(renderers(single).values()) == {"main"}
    single_site = site_bytes(single.site)
    assert sorted(forked_site) == sorted(single_site)
    assert [path for path in single_site if forked_site[path] != single_site[path]] == []
    sitemap = (single.site / "sitemap.xml").read_text("utf-8")
    for number in range(1, 151):
        assert f"<loc>https://example.gov.cn/township/disclosures/2021/n{number:03d}/</loc>" \
            in sitemap
    assert "<lastmod>2021-03-04</lastmod>" in sitemap


def test_a_small_site_is_rendered_in_one_process(project: Project):
    with_witness(project)
    write_entries(project, 3)
    result = project.build()  # fewer entries than the default threshold
    assert result.returncode == 0, result.output
    assert renderers(result) == {f"disclosures/2021/n00{n}.md": "main" for n in (1, 2, 3)}


def test_a_warning_in_the_child_fails_a_strict_build(project: Project):
    with_witness(project)
    write_entries(project, 3, body="正文。WARN-ME")
    result = project.build(env=FORK)
    assert result.returncode != 0
    assert "child" in renderers(result).values()
    assert "WARNING -  测试警告：disclosures/2021/n001.md（" in result.output
    assert "Aborted with 3 warnings in strict mode!" in result.output
    assert project.build(env=FORK, strict=False).returncode == 0


def scratch_gone(result: BuildResult) -> bool:
    """The search index was abandoned: no index in the site, its scratch folder deleted."""
    deadline = time.monotonic() + 20
    while list(result.site.parent.glob(".gongkai-search-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    return (not (result.site / INDEX_FOLDER).exists()
            and not list(result.site.parent.glob(".gongkai-search-*")))


SCRIPT_MESSAGE = ("disclosures/2021/n001.md: 正文: 生成的网页中含有可执行的活动内容（<a> 的事件属性 "
                  "onclick），构建已停止：请删除该内容后重新构建")


def test_script_rendered_in_either_process_stops_the_build(project: Project):
    with_witness(project)
    write_entries(project, 1, body="正文。SCRIPT-ME")
    for env in (FORK, ONE_PROCESS):
        result = project.build(env=env)
        assert result.returncode == 1, result.output
        assert SCRIPT_MESSAGE in result.output
        assert "Traceback" not in result.output
        assert not (result.site / "disclosures" / "2021" / "n001" / "index.html").exists()
        assert scratch_gone(result)
        assert renderers(result) == {"disclosures/2021/n001.md":
                                     "child" if env is FORK else "main"}


def test_a_child_that_dies_stops_the_build_with_a_message(project: Project):
    with_witness(project)
    write_entries(project, 3, body="正文。KILL-CHILD")
    started = time.monotonic()
    result = project.build(env=FORK)
    assert time.monotonic() - started < 60
    assert result.returncode == 1, result.output
    assert "渲染公开信息页面的子进程意外被信号 9 终止（可能是内存不足），构建已停止：请重新构建" \
        in result.output
    assert "Traceback" not in result.output
    assert scratch_gone(result)


def test_a_failure_in_the_parent_kills_the_child(project: Project):
    with_witness(project)
    # The child takes the first chunk and renders it slowly; the parent fails on its first.
    write_entries(project, 150, body="正文。SLOW-CHILD FAIL-IN-MAIN")
    started = time.monotonic()
    result = project.build(env=FORK)
    assert result.returncode == 1, result.output
    assert "测试：主进程渲染失败" in result.output
    assert time.monotonic() - started < 10  # not the child's 64 × 0.2 s
    child = int(re.findall(r"child pid (\d+)", result.output)[0])
    assert not Path(f"/proc/{child}").exists()
    assert scratch_gone(result)


def test_a_build_deletes_the_old_site_on_the_side_and_keeps_hidden_files(project: Project):
    write_entries(project, 3)
    first = project.build()
    assert first.returncode == 0, first.output
    old_page = first.site / "disclosures" / "2021" / "n003" / "index.html"
    assert old_page.is_file()
    (project.root / "disclosures" / "2021" / "n003.md").unlink()
    (first.site / "stray.txt").write_text("from an earlier build", "utf-8")
    (first.site / ".keep").write_text("hidden: MkDocs' clean leaves it", "utf-8")
    killed = first.site / ".gongkai-old-site-killed"  # left by a build that was killed
    (killed / "deep").mkdir(parents=True)
    (killed / "deep" / "page.html").write_text("old", "utf-8")

    second = project.build()
    assert second.returncode == 0, second.output
    assert not old_page.exists()
    assert not (second.site / "stray.txt").exists()
    assert (second.site / ".keep").read_text("utf-8") == "hidden: MkDocs' clean leaves it"
    assert [path.name for path in second.site.iterdir()
            if path.name.startswith(".gongkai-old-site-")] == []
    assert (second.site / "disclosures" / "2021" / "n002" / "index.html").is_file()


def test_a_build_stopped_in_its_settings_leaves_the_old_site(project: Project):
    write_entries(project, 2)
    first = project.build()
    assert first.returncode == 0, first.output
    project.write("disclosures/2021/bad.md", "no front matter\n")  # rejected: --strict stops
    second = project.build()
    assert second.returncode != 0
    assert (second.site / "disclosures" / "2021" / "n001" / "index.html").is_file()


CHANGE_HOOK = '''
from pathlib import Path


def on_env(env, config, files):  # after the entries were read and screened
    path = Path(config.config_file_path).parent / "disclosures/2021/n002.md"
    path.write_text(path.read_text("utf-8") + "\\n身份证号 110101199003077777\\n", "utf-8")
    return env
'''


def test_entry_pages_hold_their_bodies_read_again_and_a_file_changed_meanwhile_stops_it(
        project: Project):
    for number in (1, 2):
        project.entry(f"disclosures/2021/n{number:03d}.md", body=f"第{number}号事项的正文。",
                      index_no=f"000014349/2021-{number:05d}", title=f"关于第{number}号事项的公告")
    built = project.build(env=FORK)
    assert built.returncode == 0, built.output
    for number in (1, 2):
        page = built.site / "disclosures" / "2021" / f"n{number:03d}" / "index.html"
        assert f"第{number}号事项的正文。" in page.read_text("utf-8")

    project.write("change_hook.py", CHANGE_HOOK)
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    hook_line = next(line for line in config.splitlines() if "gongkai_hooks.py" in line)
    (project.root / "mkdocs.yml").write_text(
        config.replace(hook_line, f"{hook_line}\n  - change_hook.py"), "utf-8")
    changed = project.build(env=FORK)
    assert changed.returncode != 0
    assert ("disclosures/2021/n002.md: 文件: 构建过程中该文件被修改或删除，构建已停止：请重新构建"
            in changed.output)
    assert "Traceback" not in changed.output
    assert "110101199003077777" not in "".join(
        path.read_text("utf-8") for path in changed.site.rglob("*.html"))


POOL_WITNESS_HOOK = '''
import os

from gongkai import corpus

MAIN = os.getpid()  # MkDocs loads hooks in the process that runs the build
_judge_plain = corpus.EntryFiles.judge_plain


def judge_plain(self, name):
    verdict = _judge_plain(self, name)
    outcome = "judged" if verdict is not None else "left to the parent"
    with open(os.path.join(os.getcwd(), "judged-by.txt"), "a", encoding="utf-8") as out:
        out.write(f"{'main' if os.getpid() == MAIN else 'worker'} {name}: {outcome}\\n")
    return verdict


corpus.EntryFiles.judge_plain = judge_plain
'''


def test_entries_read_by_the_pool_give_the_same_site_and_messages(project: Project):
    """`mkdocs build` reads and screens the entries in forked workers from POOL_MIN_FILES
    files (the commands' pool): the site and every message must be what one process gives,
    and a file naming attachments is judged by the build's own process."""
    from gongkai.corpus import POOL_MIN_FILES_VARIABLE

    project.write("pool_witness.py", POOL_WITNESS_HOOK)
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    hook_line = next(line for line in config.splitlines() if "gongkai_hooks.py" in line)
    (project.root / "mkdocs.yml").write_text(
        config.replace(hook_line, f"{hook_line}\n  - pool_witness.py"), "utf-8")
    write_entries(project, 12)
    project.entry("disclosures/2021/broken.md", date="2021-02-30", index_no="000014349/2021-00100")
    project.entry("disclosures/2021/draft.md", draft="true", index_no="000014349/2021-00101")
    project.entry("disclosures/2021/phone.md", body="联系电话 13812345678。",
                  index_no="000014349/2021-00102")
    project.write("disclosures/2021/通知.csv", "姓名,金额\n张某,100\n")
    project.entry("disclosures/2021/attached.md", attachments="[通知.csv]",
                  index_no="000014349/2021-00103")
    witness = project.root / "judged-by.txt"

    def build(pool_from: str) -> tuple[dict[str, bytes], list[str], list[str]]:
        witness.unlink(missing_ok=True)
        result = project.build(strict=False, env={POOL_MIN_FILES_VARIABLE: pool_from})
        assert result.returncode == 0, result.output
        messages = [line for line in result.output.splitlines() if "disclosures/" in line]
        judged = witness.read_text("utf-8").splitlines() if witness.exists() else []
        return site_bytes(result.site), messages, judged

    pooled_site, pooled_messages, judged = build("1")
    names = ["2021/broken.md", "2021/draft.md", "2021/phone.md",
             *(f"2021/n{number:03d}.md" for number in range(1, 13))]
    assert sorted(judged) == sorted([f"worker {name}: judged" for name in names]
                                    + ["worker 2021/attached.md: left to the parent"])
    single_site, single_messages, judged = build("1000000")
    assert judged == []  # no pool: every file read in the build's process
    assert any("broken.md" in line and "2021-02-30" in line for line in single_messages)
    assert any("phone.md" in line and "手机号码" in line for line in single_messages)
    assert pooled_messages == single_messages
    assert sorted(pooled_site) == sorted(single_site)
    assert [path for path in single_site if pooled_site[path] != single_site[path]] == []
    assert "disclosures/2021/attached/index.html" in single_site
