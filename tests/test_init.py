"""`gongkai init`: a new township site that builds, serves and passes check at once, and holds
no copy of the theme."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

OPTIONS = ["--town", "甲镇", "--publisher", "甲镇人民政府", "--org-code", "11500230MB0000001A",
           "--site-url", "https://www.example.gov.cn/jiazhen", "--site-id-code", "5000000002"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def gongkai(cwd: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gongkai.cli", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, env=ENV, check=False)


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    result = gongkai(tmp_path, "init", "jiazhen", *OPTIONS)
    assert result.returncode == 0, result.stderr
    return tmp_path / "jiazhen"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_new_site_builds_strictly_passes_check_and_holds_no_theme(new_site: Path):
    files = sorted(p.relative_to(new_site).as_posix() for p in new_site.rglob("*") if p.is_file())
    assert not [name for name in files if name.endswith((".html", ".css", ".js"))]
    assert "mkdocs.yml" in files and "disclosures/.gitkeep" in files
    check = gongkai(new_site, "check")
    assert check.returncode == 0, check.stdout + check.stderr
    build = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=new_site,
                           capture_output=True, text=True, env=ENV, check=False)
    assert build.returncode == 0, build.stderr
    home = (new_site / "site" / "index.html").read_text("utf-8")
    assert "<title>甲镇政府信息公开</title>" in home
    assert '<meta name="SiteIDCode" content="5000000002">' in home
    for column in ("guide", "rules", "catalogue", "annual-reports", "search", "data"):
        assert (new_site / "site" / column / "index.html").is_file(), column
    assert (new_site / "site" / "assets" / "gongkai.css").is_file()
    # The 指南 offers the 申请表 as a Word file addressed to the town, published like any
    # document among the pages (checked, without metadata).
    guide = (new_site / "site" / "guide" / "index.html").read_text("utf-8")
    assert 'href="../files/%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF%E5%85%AC%E5%BC%80' in guide
    form = zipfile.ZipFile(new_site / "site" / "files" / "政府信息公开申请表.docx")
    assert "甲镇人民政府：" in form.read("word/document.xml").decode("utf-8")


def test_a_new_site_serves(new_site: Path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--no-livereload", "--dev-addr",
         f"127.0.0.1:{port}"], cwd=new_site, env=ENV,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                # The preview is served under site_url's path, as the real site would be.
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/jiazhen/guide/") as page:
                    assert "政府信息公开申请表" in page.read().decode("utf-8")
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.5)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_missing_answers_are_asked_and_a_wrong_one_writes_nothing(tmp_path: Path):
    answers = "乙乡\n乙乡人民政府\n12345\nhttps://example.gov.cn/yixiang/\n\n"
    result = gongkai(tmp_path, "init", "yixiang", stdin=answers)
    assert result.returncode == 1
    assert "org_code: 应为 9 位组织机构代码（如 00001434-9）或 18 位统一社会信用代码" in result.stderr
    assert not (tmp_path / "yixiang").exists()
    answers = answers.replace("12345", "00001434-9")
    result = gongkai(tmp_path, "init", "yixiang", stdin=answers)
    assert result.returncode == 0, result.stderr
    config = (tmp_path / "yixiang" / "mkdocs.yml").read_text("utf-8")
    assert "publisher: 乙乡人民政府" in config and "site_id_code" not in config


def test_an_existing_folder_with_files_is_never_overwritten(tmp_path: Path):
    (tmp_path / "town").mkdir()
    (tmp_path / "town" / "notes.txt").write_text("keep", "utf-8")
    result = gongkai(tmp_path, "init", "town", *OPTIONS)
    assert result.returncode == 1
    assert "已存在且不是空文件夹" in result.stderr
    assert sorted(p.name for p in (tmp_path / "town").iterdir()) == ["notes.txt"]


def test_the_sample_site_has_what_init_gives_every_site():
    """The sample site is a site like any other: its daily-rebuild example is the template's."""
    from gongkai.scaffold import TEMPLATE_DIR

    repo = Path(__file__).resolve().parent.parent
    name = "examples/daily-rebuild.yml"
    assert (repo / name).read_text("utf-8") == (TEMPLATE_DIR / name).read_text("utf-8")
