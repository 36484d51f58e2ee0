"""The search index: Pagefind indexes the entry pages on the second core during the build.

Pagefind (the `pagefind[extended]` package, whose binary segments Chinese) reads HTML files and
writes its index under `pagefind/` in the site. Indexing the finished site after MkDocs is done
cost about as much again as the rest of a 10,000-entry build, so instead each entry's content is
written, as soon as Markdown has converted it, into a slim page of its own in a scratch folder;
once every page is converted, Pagefind starts on that folder while MkDocs renders the theme
templates on the other core, and the build waits for it at the end. Only entry pages are ever
written there, so drafts, listings and hand-written pages are in no index.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import tempfile
from html import escape
from pathlib import Path

INDEX_FOLDER = "pagefind"
"""Where Pagefind writes its bundle, relative to the site root; the scripts load it from there."""

LANGUAGE = "zh"
"""The slim pages say lang="zh"; forcing it keeps one index whatever a page says."""

_TIMEOUT_SECONDS = 600


class SearchIndexError(Exception):
    """The index could not be built; the message is Chinese and says what to do."""


class SearchIndex:
    """One build's index: slim copies of the entry pages, and the Pagefind run over them."""

    def __init__(self, site_dir: Path):
        self._output = site_dir / INDEX_FOLDER
        self._scratch: Path | None = None
        self._process: subprocess.Popen[str] | None = None

    def add_page(self, url: str, title: str, content_html: str) -> None:
        """Keep the content of the entry page at `url` (relative to the site root)."""
        if self._scratch is None:
            self._scratch = Path(tempfile.mkdtemp(prefix="gongkai-search-"))
        relative = url if url.endswith(".html") else f"{url.rstrip('/')}/index.html"
        path = self._scratch / relative.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8">'
            f"<title>{escape(title)}</title></head><body>{content_html}</body></html>",
            encoding="utf-8",
        )

    def start(self) -> None:
        """Start Pagefind on the pages kept so far: call it once every page is converted."""
        # A bundle from an earlier build (`mkdocs build --dirty`) would mix old fragments in.
        shutil.rmtree(self._output, ignore_errors=True)
        if self._scratch is None:
            return  # Pagefind refuses an empty index; the search page says nothing is public
        if importlib.util.find_spec("pagefind") is None:
            raise SearchIndexError(
                "未安装搜索索引工具 pagefind，无法生成站内搜索索引。"
                "请在项目目录运行 `make build`（或 `pip install -e .`）安装依赖后重试。"
            )
        command = [
            sys.executable, "-m", "pagefind",
            "--site", str(self._scratch),
            "--output-path", str(self._output),
            "--force-language", LANGUAGE,
        ]
        try:
            self._process = subprocess.Popen(command, stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, text=True)
        except OSError as error:
            self._discard()
            raise SearchIndexError(f"无法运行搜索索引工具 pagefind：{error}") from None

    def finish(self) -> int:
        """Wait for Pagefind; return how many pages the index holds (0: no index written)."""
        if self._process is None:
            self._discard()
            return 0
        try:
            output, _ = self._process.communicate(timeout=_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.abandon()
            raise SearchIndexError(
                f"搜索索引工具 pagefind 超过 {_TIMEOUT_SECONDS} 秒仍未完成，站内搜索不可用。"
            ) from None
        finally:
            self._discard()
        output = output.strip()
        if self._process.returncode != 0:
            raise SearchIndexError(
                f"搜索索引工具 pagefind 运行失败（退出码 {self._process.returncode}），站内搜索不可用。"
                f"pagefind 的输出：\n{_tail(output)}"
            )
        return _indexed_pages(output)

    def abandon(self) -> None:
        """Stop Pagefind and drop the scratch pages, after a failed build."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._discard()

    def _discard(self) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None


def _indexed_pages(output: str) -> int:
    # Pagefind prints "Indexed 123 pages" in its summary; -1 means the line was not found.
    match = re.search(r"Indexed (\d+) pages?", output)
    return int(match.group(1)) if match else -1


def _tail(output: str, lines: int = 20) -> str:
    return "\n".join(output.splitlines()[-lines:]) or "（无输出）"
