"""The search index: runs Pagefind over the built site, so search works without a server.

Pagefind (the `pagefind[extended]` package, whose binary segments Chinese) reads the HTML that
MkDocs has written and puts its index under `pagefind/` in the site. Only entry pages are
indexed: they alone carry `data-pagefind-body`, and the glob limits Pagefind to their folder, so
an empty corpus cannot pull the guide or the catalogue into the index either.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

INDEX_FOLDER = "pagefind"
"""Where Pagefind writes its bundle, relative to the site root; the scripts load it from there."""

LANGUAGE = "zh"
"""Pages say lang="zh" already; forcing it keeps one index if a page ever says otherwise."""


class SearchIndexError(Exception):
    """The index could not be built; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class IndexReport:
    """What Pagefind reported: how many pages went into the index, and its console output."""

    pages: int
    output: str


def index_site(site_dir: Path, entry_folder: str) -> IndexReport:
    """Index the entry pages under `site_dir/entry_folder` into `site_dir/pagefind/`."""
    if importlib.util.find_spec("pagefind") is None:
        raise SearchIndexError(
            "未安装搜索索引工具 pagefind，无法生成站内搜索索引。"
            "请在项目目录运行 `make build`（或 `pip install -e .`）安装依赖后重试。"
        )
    # A stale bundle from an earlier build (`mkdocs build --dirty`) would mix old fragments in.
    shutil.rmtree(site_dir / INDEX_FOLDER, ignore_errors=True)
    if not any((site_dir / entry_folder).glob("**/*.html")):
        # Pagefind refuses to write an empty index; the search page then says nothing is public.
        return IndexReport(0, "")
    command = [
        sys.executable, "-m", "pagefind",
        "--site", str(site_dir),
        "--output-subdir", INDEX_FOLDER,
        "--glob", f"{entry_folder.strip('/')}/**/*.html",
        "--force-language", LANGUAGE,
    ]
    try:
        result = subprocess.run(command, check=False, capture_output=True, text=True,
                                timeout=600)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"无法运行搜索索引工具 pagefind：{error}") from None
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise SearchIndexError(
            f"搜索索引工具 pagefind 运行失败（退出码 {result.returncode}），站内搜索不可用。"
            f"pagefind 的输出：\n{_tail(output)}"
        )
    return IndexReport(_indexed_pages(output), output)


def _indexed_pages(output: str) -> int:
    # Pagefind prints "Indexed 123 pages" in its summary; -1 means the line was not found.
    match = re.search(r"Indexed (\d+) pages?", output)
    return int(match.group(1)) if match else -1


def _tail(output: str, lines: int = 20) -> str:
    return "\n".join(output.splitlines()[-lines:]) or "（无输出）"
