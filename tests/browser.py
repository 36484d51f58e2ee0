"""Browser-test helpers: the project's front end on a fixture site, a local server, Chromium.

Tests use Debian's `/usr/bin/chromium` through Playwright, never a browser Playwright downloads.
Without it the browser tests are skipped, unless GONGKAI_REQUIRE_BROWSER=1 (set in CI), where
a missing browser must fail the run instead of silently passing it.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from mkdocs.utils import yaml_load

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]
SCREENSHOTS = REPO / "tests" / "screenshots"
AXE_FOLDER = REPO / "tests" / ".node"
AXE_SCRIPT = AXE_FOLDER / "node_modules" / "axe-core" / "axe.min.js"
AXE_PACKAGE = "axe-core@4"
"""axe-core comes from the npm registry into a git-ignored folder, never from a CDN."""
SUB_PATH = "sub"
"""The site is served under /sub/, as a township's area sits under a county portal."""

def require_browser() -> None:
    """Skip the calling test when Chromium is missing, or fail when CI requires the browser."""
    if CHROMIUM.exists():
        return
    reason = f"浏览器测试需要 {CHROMIUM}（Debian 软件包 chromium）"
    if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}，但未安装；GONGKAI_REQUIRE_BROWSER=1 时不可跳过", pytrace=False)
    pytest.skip(f"{reason}，未安装")


def axe_script() -> Path:
    """axe.min.js, installed with npm on first use; skipped (or failed in CI) without npm."""
    if AXE_SCRIPT.exists():
        return AXE_SCRIPT
    npm = shutil.which("npm")
    if npm is None:
        reason = f"无障碍测试需要 npm 安装 {AXE_PACKAGE}（Debian 软件包 npm）"
        if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}，但未安装；GONGKAI_REQUIRE_BROWSER=1 时不可跳过", pytrace=False)
        pytest.skip(f"{reason}，未安装")
    AXE_FOLDER.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "install", "--prefix", str(AXE_FOLDER), "--no-audit", "--no-fund",
                    AXE_PACKAGE], check=True, capture_output=True)
    return AXE_SCRIPT


def use_project_front_end(project_root: Path) -> None:
    """Give a fixture project the sample site's theme settings (features such as
    navigation.tabs), so that browser tests see the layout the project ships. The templates,
    scripts, styles and search page need no copying: the gongkai package adds them."""
    # MkDocs' own loader: the real file uses its tags (!ENV).
    real = yaml_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config_file = project_root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["theme"] = real["theme"]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def open_page(browser: object, **options: object):
    """A page in a fresh browser context that fails the test on any script error."""
    context = browser.new_context(**options)  # type: ignore[attr-defined]
    page = context.new_page()
    page.on("pageerror", lambda error: pytest.fail(f"页面脚本出错：{error}"))
    return page


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass  # the test output is for assertions, not access logs


@contextmanager
def serve_under_sub_path(site: Path) -> Iterator[str]:
    """Serve `site` at http://127.0.0.1:<free port>/sub/ while the block runs; yields that URL."""
    root = site.parent / "www"
    root.mkdir(exist_ok=True)
    mount = root / SUB_PATH
    if not mount.exists():
        mount.symlink_to(site, target_is_directory=True)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/{SUB_PATH}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@contextmanager
def chromium() -> Iterator[object]:
    """Headless Chromium from the system, closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
