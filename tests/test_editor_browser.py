"""The offline editor (`gongkai edit`) driven in headless Chromium: Decap CMS served from this
machine, an entry created and edited there, the file it writes, and the preview that follows.

Decap comes from the npm registry into editor/node_modules (`make edit` runs `npm ci` there;
without it these tests run it, as CI has npm). Every request the page makes must go to one of
the two loopback servers `gongkai edit` starts.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from browser import REPO, require_browser
from conftest import Project
from gongkai.fields import FIELDS

EDITOR_PACKAGES = REPO / "editor"
DECAP_DIST = EDITOR_PACKAGES / "node_modules" / "decap-cms" / "dist" / "decap-cms.js"
GONGKAI = Path(sys.executable).with_name("gongkai")
TODAY = "2026-11-30"

EXISTING = """
---
title: 关于2026年第一季度城乡低保对象名单的公示
date: 2026-03-02
category: 民生保障
channels: [bulletin, village_board]
index_no: "000014349/2026-00003"
---
经村（居）委会评议、镇人民政府审核，现将名单予以公示。
"""


def _decap_installed() -> None:
    """Decap's bundle in editor/node_modules, installed with `npm ci` on first use."""
    if DECAP_DIST.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        reason = "编辑器测试需要 npm 安装 Decap CMS（Debian 软件包 npm）"
        if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}，但未安装；GONGKAI_REQUIRE_BROWSER=1 时不可跳过", pytrace=False)
        pytest.skip(f"{reason}，未安装")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts"],
                   cwd=EDITOR_PACKAGES, check=True, capture_output=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextmanager
def editing(project: Project) -> Iterator[tuple[str, str]]:
    """`gongkai edit` running in the project; yields the editor's and the preview's URLs."""
    (project.root / "editor").mkdir(exist_ok=True)
    (project.root / "editor" / "node_modules").symlink_to(EDITOR_PACKAGES / "node_modules")
    preview_port, editor_port = _free_port(), _free_port()
    process = subprocess.Popen(
        [str(GONGKAI), "edit", "--port", str(preview_port), "--editor-port", str(editor_port)],
        cwd=project.root, env={**os.environ, "GONGKAI_TODAY": TODAY},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        # The fixture's site_url is https://example.gov.cn/township/: served under that path.
        editor = f"http://127.0.0.1:{editor_port}/"
        preview = f"http://127.0.0.1:{preview_port}/township/"
        _wait_for(editor + "admin/")
        _wait_for(preview)
        yield editor, preview
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    require_browser()
    _decap_installed()
    project = Project(tmp_path / "project")
    project.write("disclosures/2026/2026-03-02-dibao.md", EXISTING)
    return project


def _choose(page, label: str, options: list[str]) -> None:
    """Pick options in Decap's select widget (react-select) by their visible labels."""
    select = page.get_by_label(label, exact=True)
    for option in options:
        select.fill(option)
        page.get_by_role("option", name=option, exact=True).click()


def test_editor_creates_and_edits_an_entry_offline(project: Project, browser: Any) -> None:
    # The session's one Chromium (conftest): Playwright's sync API allows one per process.
    with editing(project) as (editor, preview):
        context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
        # Decap's 5 MB bundle and a preview build compete with other jobs on a shared machine:
        # Playwright's 30 s default failed here under load, never on a quiet machine.
        context.set_default_timeout(90_000)
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto(editor + "admin/")
        page.get_by_role("button", name="登录").click()
        # The year's collection lists the sample entry, in Chinese.
        page.get_by_text("2026 年").first.click()
        page.get_by_text("关于2026年第一季度城乡低保对象名单的公示").wait_for()

        # Opening an entry shows the check's verdict on it, in `gongkai check`'s words.
        broken = project.write("disclosures/2026/2026-02-01-broken.md",
                               EXISTING.replace("[bulletin, village_board]", "[广播站]")
                               .replace("00003", "00002"))
        expected = [line for line in _check(project).stdout.splitlines()
                    if line.startswith("disclosures/2026/2026-02-01-broken.md")]
        assert len(expected) == 1
        page.goto(editor + "admin/#/collections/y2026/entries/2026-02-01-broken")
        panel = page.locator("#gongkai-check")
        panel.get_by_text("未通过：1 个错误、0 个警告。").wait_for()
        assert expected[0] in panel.inner_text()
        broken.unlink()

        page.goto(editor + "admin/#/collections/y2026/new")
        page.get_by_text("正在集合“2026 年”中编写").wait_for()
        page.get_by_label("标题", exact=True).fill("关于2026年冬季森林防火的通告")
        _choose(page, "公开类别", ["应急管理"])
        # The site's own channel among them, or the entry would have no page to preview.
        _choose(page, "公开渠道", ["县政府信息公开网站子站", "村村响广播"])
        page.locator("[data-slate-editor='true']").first.fill("全镇进入森林防火期，严禁野外用火。")
        # An attachment, when the reader has the field: uploaded through Decap's media library
        # into the entry's folder, listed relative to the entry.
        attachment = project.root.parent / "防火须知.txt"
        attachment.write_text("森林防火期内严禁野外用火。", encoding="utf-8")
        if "attachments" in FIELDS:
            page.get_by_role("button", name="新增" + FIELDS["attachments"].label).click()
            page.get_by_role("button", name="选择文件").click()
            page.locator("input[type=file]").set_input_files(attachment)
            page.get_by_role("button", name="选用已选中项目").click()
        page.get_by_role("button", name="发布").click()
        page.get_by_text("立即发布").click()
        # Saved under the name and 索引号 `gongkai new` gives: the next serial after 00003.
        created = project.root / "disclosures/2026/2026-11-30-00004.md"
        page.get_by_text("通过：没有发现问题").wait_for()
        text = created.read_text(encoding="utf-8")
        assert "index_no: 000014349/2026-00004" in text
        assert "gongkai_file" not in text and "draft" not in text
        assert text.startswith("---\ntitle: 关于2026年冬季森林防火的通告\ndate: 2026-11-30\n"
                               "category: 应急管理\nchannels:\n  - website\n  - broadcast\n")
        if "attachments" in FIELDS:
            assert "attachments:\n  - file: 防火须知.txt\n" in text
            stored = project.root / "disclosures/2026/防火须知.txt"
            assert stored.read_text(encoding="utf-8") == "森林防火期内严禁野外用火。"
        register = (project.root / "索引号登记簿.csv").read_text(encoding="utf-8-sig")
        assert "000014349/2026-00004,2026,4,2026-11-30,disclosures/2026/2026-11-30-00004.md," \
            "关于2026年冬季森林防火的通告" in register

        check = _check(project)
        assert check.returncode == 0, check.stdout + check.stderr

        page_url = preview + "disclosures/2026/2026-11-30-00004/"
        link = page.get_by_role("link", name="在预览网站中查看本页")
        assert link.get_attribute("href") == page_url
        _wait_for(page_url)
        with urllib.request.urlopen(page_url) as response:
            assert "关于2026年冬季森林防火的通告" in response.read().decode("utf-8")

        page.get_by_label("标题", exact=True).fill("关于2026年冬季森林防火期的通告")
        page.get_by_role("button", name="发布").click()
        page.get_by_text("立即发布").click()
        deadline = time.monotonic() + 30
        while "关于2026年冬季森林防火期的通告" not in _read(page_url):
            assert time.monotonic() < deadline, "预览网站没有更新"
            time.sleep(0.3)

        outside = [url for url in requests if not url.startswith((editor, "data:", "blob:"))]
        assert outside == []
        context.close()


def _check(project: Project) -> subprocess.CompletedProcess:
    return subprocess.run([str(GONGKAI), "check"], cwd=project.root, capture_output=True,
                          text=True, env={**os.environ, "GONGKAI_TODAY": TODAY}, check=False)


def _read(url: str) -> str:
    with urllib.request.urlopen(url) as response:
        return response.read().decode("utf-8")
