"""Shared fixtures: a small real project in a temp folder, built with the real `mkdocs`."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
HOOK_FILE = REPO / "hooks" / "gongkai_hooks.py"

MKDOCS_YML = f"""\
site_name: 测试镇政府信息公开
site_url: https://example.gov.cn/township/
theme:
  name: material
  language: zh
  font: false
hooks:
  - {HOOK_FILE.as_posix()}
plugins: []
nav:
  - 首页: index.md
  - 法定主动公开内容: catalogue/index.md
extra:
  disclosure:
    publisher: 测试镇人民政府
    org_code: "000014349"
    page_size: 5
"""


@dataclass
class BuildResult:
    returncode: int
    output: str
    site: Path

    def page(self, url_path: str) -> str:
        """The HTML of the page at `url_path` (a folder URL such as `catalogue/`)."""
        return (self.site / url_path / "index.html").read_text(encoding="utf-8")

    def all_text(self) -> str:
        """Every text file under site/, concatenated, to prove something appears nowhere."""
        texts = []
        for path in self.site.rglob("*"):
            if path.is_file():
                texts.append(path.read_bytes().decode("utf-8", errors="replace"))
        return "\n".join(texts)


class Project:
    """A throwaway gongkai project: mkdocs.yml, docs/ and disclosures/ in a temp folder."""

    def __init__(self, root: Path):
        self.root = root
        (root / "docs").mkdir(parents=True)
        (root / "docs" / "index.md").write_text("# 首页\n\n<!-- gongkai:latest -->\n", "utf-8")
        (root / "disclosures").mkdir()
        (root / "mkdocs.yml").write_text(MKDOCS_YML, encoding="utf-8")

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    def write_bytes(self, relative: str, data: bytes) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def entry(self, relative: str, body: str = "正文。", **fields: object) -> Path:
        """An entry file; `fields` default to a valid published entry."""
        values: dict[str, object] = {
            "title": "关于测试事项的公告",
            "date": "2021-03-04",
            "category": "通知公告",
            "channels": "[website]",
        }
        values.update(fields)
        lines = [f"{key}: {value}" for key, value in values.items() if value is not None]
        return self.write(relative, "---\n" + "\n".join(lines) + "\n---\n" + body + "\n")

    def build(self, *, strict: bool = True, env: dict[str, str] | None = None) -> BuildResult:
        site = self.root / "site"
        command = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)]
        if strict:
            command.append("--strict")
        result = subprocess.run(
            command, check=False, cwd=self.root, capture_output=True, text=True,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})},
        )
        return BuildResult(result.returncode, result.stdout + result.stderr, site)

    def gongkai(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "gongkai.cli", *args], check=False, cwd=self.root,
            capture_output=True, text=True, env={**os.environ, **(env or {})},
        )


@pytest.fixture(autouse=True, scope="session")
def _cache_key_folder(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The commands' cache key (verdict_cache.py) in a folder of this test run, not in the
    home of whoever runs the tests; the commands the tests start inherit it."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("user-cache"))


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path / "project")


def build_with_project_front_end(folder: Path, write_entries: Callable[[Project], None]
                                 ) -> BuildResult:
    """A project in `folder` with the sample site's theme settings (the front end itself comes
    with the package), its entries written by `write_entries`, built: what the browser tests
    look at."""
    from browser import use_project_front_end

    project = Project(folder)
    use_project_front_end(project.root)
    write_entries(project)
    result = project.build()
    assert result.returncode == 0, result.output
    return result


# --- Browser tests (search and the catalogue's filters): one headless Chromium per session.


@pytest.fixture(scope="session")
def browser():
    """The system's headless Chromium via Playwright; skipped (or failed in CI) when missing."""
    from browser import chromium, require_browser

    require_browser()
    with chromium() as launched:
        yield launched
