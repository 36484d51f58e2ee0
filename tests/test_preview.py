"""The live preview: a real `mkdocs serve`, files saved as staff save them, pages fetched over
HTTP. What is asserted is what staff see, not how fast (bench/bench_preview.py measures that)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import Project
from gongkai.preview import compare, snapshot

WAIT_SECONDS = 120  # generous: the machine may be busy; the benchmark measures speed


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"等待超时：{what}")
        time.sleep(0.2)


class Preview:
    def __init__(self, project: Project):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.project = project
        self.log = project.root / "serve.log"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{self.port}"],
            cwd=project.root, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
        wait_for(lambda: "Serving on" in self.output(), "预览服务器启动")
        # MkDocs' watcher takes its first snapshot just after the server starts; a file saved
        # before that would not be seen as changed (nor would it be by staff's preview).
        time.sleep(2)

    def output(self) -> str:
        return self.log.read_text("utf-8", errors="replace")

    def page(self, path: str) -> str | None:
        # site_url's path (/township/) is where the preview serves the site, as MkDocs does.
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/township/{path}") as got:
                return str(got.read().decode("utf-8"))
        except urllib.error.HTTPError:
            return None

    def shows(self, path: str, text: str) -> bool:
        return text in (self.page(path) or "")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def preview(project: Project) -> Iterator[Preview]:
    project.entry("disclosures/2021/a.md", title="关于甲事项的公告",
                  index_no="000014349/2021-00001", body="原来的正文。")
    project.entry("disclosures/2021/b.md", title="关于乙事项的公告", date="2021-05-06",
                  index_no="000014349/2021-00002")
    running = Preview(project)
    yield running
    running.stop()


def test_a_saved_entry_shows_and_the_listings_follow(preview: Preview, project: Project):
    assert preview.shows("disclosures/2021/a/", "原来的正文。")
    project.entry("disclosures/2021/a.md", title="关于甲事项的公告（修订）",
                  index_no="000014349/2021-00001", body="改过的正文。")
    wait_for(lambda: preview.shows("disclosures/2021/a/", "改过的正文。"), "修改后的页面")
    assert "预览：已更新 1 条信息的页面" in preview.output()
    # The listings come from the full build in the second process.
    wait_for(lambda: preview.shows("catalogue/", "关于甲事项的公告（修订）"), "目录更新")
    wait_for(lambda: "预览：列表、统计和搜索已按完整生成更新" in preview.output(), "完整生成的记录")
    assert preview.shows("disclosures/2021/a/", "改过的正文。")


def test_saves_during_the_full_build_are_listed_by_the_next_one(preview: Preview,
                                                                project: Project):
    for number in range(3):
        project.entry("disclosures/2021/b.md", title=f"关于乙事项的公告（第{number}稿）",
                      date="2021-05-06", index_no="000014349/2021-00002")
        wait_for(lambda n=number: preview.shows("disclosures/2021/b/", f"（第{n}稿）"), "页面")
    wait_for(lambda: preview.shows("catalogue/", "关于乙事项的公告（第2稿）"), "目录更新到最后一稿")
    wait_for(lambda: "预览：列表、统计和搜索已按完整生成更新" in preview.output(), "完整生成")
    assert preview.shows("disclosures/2021/b/", "（第2稿）")


def test_a_new_entry_gets_its_page_then_its_place_in_the_catalogue(preview: Preview,
                                                                  project: Project):
    project.entry("disclosures/2021/c.md", title="关于丙事项的公告", date="2021-06-01",
                  index_no="000014349/2021-00003", body="新条目的正文。")
    wait_for(lambda: preview.shows("disclosures/2021/c/", "新条目的正文。"), "新条目的页面")
    wait_for(lambda: preview.shows("catalogue/", "关于丙事项的公告"), "目录更新")
    assert preview.shows("", "关于丙事项的公告")  # the home page's latest list too


def test_a_saved_entry_with_a_problem_gets_the_builds_own_message(preview: Preview,
                                                                 project: Project):
    project.entry("disclosures/2021/a.md", category="不存在的类别",
                  index_no="000014349/2021-00001")
    wait_for(lambda: "disclosures/2021/a.md:4: category: 未知分类「不存在的类别」" in preview.output(),
             "完整生成报告错误")
    # A full build left the broken entry out, as `mkdocs build` would.
    wait_for(lambda: preview.page("disclosures/2021/a/") is None, "错误条目下线")


def test_a_change_to_a_hand_written_page_takes_a_full_rebuild(preview: Preview,
                                                             project: Project):
    project.write("docs/index.md", "# 新首页\n\n<!-- gongkai:latest -->\n")
    wait_for(lambda: preview.shows("", "新首页"), "首页更新")
    assert "预览：已更新" not in preview.output()


def test_snapshots_tell_edited_added_and_removed_files(tmp_path: Path):
    (tmp_path / "2021").mkdir()
    (tmp_path / "2021" / "a.md").write_text("a", "utf-8")
    (tmp_path / "2021" / "b.md").write_text("b", "utf-8")
    (tmp_path / ".hidden").write_text("x", "utf-8")
    before = snapshot(tmp_path)
    assert sorted(before) == ["2021/a.md", "2021/b.md"]
    (tmp_path / "2021" / "a.md").write_text("a, longer", "utf-8")
    (tmp_path / "2021" / "b.md").unlink()
    (tmp_path / "2021" / "c.md").write_text("c", "utf-8")
    changes = compare(before, snapshot(tmp_path))
    assert changes.changed == ["2021/a.md", "2021/c.md"]
    assert changes.removed == ["2021/b.md"]


def test_a_saved_body_markdown_would_stall_on_is_refused_not_rendered(preview: Preview,
                                                                     project: Project):
    # The fast path checks a saved file with the build's own steps, the bracket limit first.
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001", body="[" * 2000)
    wait_for(lambda: "disclosures/2021/a.md:" in preview.output()
             and "会让网页生成极慢，不予发布" in preview.output(), "完整生成报告错误")
    assert "预览：已更新" not in preview.output()
