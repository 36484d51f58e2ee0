"""The search index: Pagefind indexes the entries on the second core while MkDocs builds.

Pagefind (the `pagefind[extended]` package, whose binary segments Chinese) reads HTML files and
writes its index under `pagefind/` in the site. It cannot start before every page it indexes
exists, and it needs about as much time as the rest of a 10,000-entry build, so it does not
wait for MkDocs: as soon as the entries are read, a worker process (search_worker.py) converts
their Markdown into slim pages of their own in a scratch folder and runs Pagefind over them,
while MkDocs converts and renders the site on the other core. The build waits for it at the end.
Only published entries are ever handed over, so drafts, listings and hand-written pages are in
no index. The worker converts each entry's own Markdown with mkdocs.yml's extensions; what other
plugins might do to a page's Markdown is not seen (gongkai's own hooks leave entry bodies as
they are).
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from typing import Any

INDEX_FOLDER = "pagefind"
"""Where Pagefind writes its bundle, relative to the site root; the scripts load it from there."""

LANGUAGE = "zh"
"""The slim pages say lang="zh"; forcing it keeps one index whatever a page says."""

INDEX_CHUNK_SIZE = "1500"
"""Pagefind's PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE (its default gives ~330 chunks at 10,000
entries). With a word per Chinese character, a rare character's postings shared a chunk with
a common one's; smaller chunks cut what a query downloads (at 10,000 entries, 公益性岗位 from
243 to 136 KiB of index, 防汛抗旱 from 190 to 36), and 500 saved nothing more: what is left is
the common characters' own postings. Pinned with Pagefind's version: the setting is marked
unstable."""

JOB_FILE = "job.pickle"
"""What the worker is given, in the scratch folder; its pages go into `pages/` beside it."""

SCRATCH_PREFIX = ".gongkai-search-"
WORKER_FAILED = 3
"""The worker's exit code when it could not write the slim pages (Pagefind never ran)."""

_TIMEOUT_SECONDS = 600
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent


HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
"""Chinese characters (a regex class body); gk-pagefind.js's HAN lists the same ranges."""
PUNCTUATION = "!-/:-@\\[-`{-~、。，：；！？“”‘’（）〔〕【】《》〈〉「」『』—…·－／～"
"""The punctuation that may join the parts of a number (a regex class body); the same in
gk-pagefind.js."""
_JOINING_PUNCTUATION = re.compile(
    f"(?<=[0-9A-Za-z])[{PUNCTUATION}]|[{PUNCTUATION}](?=[0-9A-Za-z])")
SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
"""White space as JavaScript's \\s has it (Python's differs at the edges); the same list in
gk-pagefind.js."""
_AROUND_HAN = re.compile(f"(?<=[{HAN}])(?=[^{SPACE}])|(?<=[^{SPACE}])(?=[{HAN}])")


_HALF_WIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B),
                                                *range(0xFF41, 0xFF5B))}
"""Full-width digits and Latin letters (２０２１, ＡＢ), typed with a Chinese input method, as
their ASCII forms; full-width punctuation stays as it is."""


def index_form(text: str) -> str:
    """Text as the index holds it, so that a query matches wherever it is a substring.

    Pagefind splits Chinese into words with a dictionary when indexing and with the browser's
    segmenter when searching, and the two disagree (低保 inside 城乡低保对象 is another word than
    低保 typed alone), so words cannot be trusted to line up. Here every Chinese character
    is made a word of its own, and gk-pagefind.js searches a query as the exact phrase of its
    characters: a page matches when the characters stand next to each other, which is
    substring semantics. Punctuation keeps its own position in Pagefind's index, so 用电。商户
    does not match 电商; punctuation inside numbers (000014349/2021-00007, 〔2021〕7号) becomes
    a space, on both sides, so that identifiers match as typed. gk-pagefind.js's indexForm
    does exactly the same to a query; the display puts the text back together. Full-width
    digits and Latin letters are read as ASCII ones.
    """
    return _AROUND_HAN.sub(" ", _JOINING_PUNCTUATION.sub(" ", text.translate(_HALF_WIDTH)))


_TAG = re.compile(r"(<[^>]*>)")


def index_form_html(html: str) -> str:
    """index_form applied to the text of `html` (character references read), its tags kept.

    The text is put in the index's form as a whole, across inline tags (`为<strong>七个`),
    and the spaces it gains are put back into the pieces between the tags."""
    parts = _TAG.split(html)
    previous = ""  # the last character of the text before this piece
    for number in range(0, len(parts), 2):
        text = unescape(parts[number])
        if not text:
            continue
        formed = index_form(previous + text)[len(previous):] if previous else index_form(text)
        parts[number] = escape(formed, quote=False)
        previous = text[-1]
    return "".join(parts)


class SearchIndexError(Exception):
    """The index could not be built; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class SearchPage:
    """One entry as Pagefind sees it: the body between two pieces of generated HTML."""

    path: str
    """The entry page's file relative to the site root (`disclosures/2021/a/index.html`), so
    that Pagefind's result URLs are the entry pages' URLs."""
    head_html: str
    body_markdown: str
    tail_html: str


PAGE_KIND = "栏目"
"""The kind (Pagefind metadata `kind`, and filter of the same name) of a hand-written page of
the site (指南, 制度, 年报…); entries have none."""
ANNUAL_REPORT_KIND = "年报"
"""The kind of a generated annual report."""


def site_search_page(path: str, title: str, kind: str, body_markdown: str) -> SearchPage:
    """A page of the site that is not an entry, as the index sees it.

    Its title and kind are metadata, and `kind` is also a filter, by which the search page
    shows these pages apart from the notices. It has no date to sort by, so the catalogue
    (which always sorts by date, and Pagefind leaves out of a sorted search every page without
    the sort key) never lists it. A title is added only when the Markdown has no heading of
    its own at the top."""
    spans = "".join(
        f'<span data-pagefind-{what}="{name}">{escape(value)}</span>'
        for what, name, value in (("meta", "title", title), ("meta", "kind", kind),
                                  ("filter", "kind", kind))
    )
    heading = "" if re.match(r"\s*# ", body_markdown) else f"<h1>{escape(index_form(title))}</h1>"
    return SearchPage(path, f"{heading}<div hidden data-pagefind-ignore>{spans}</div>",
                      body_markdown, "")


def markdown_title(markdown_text: str) -> str | None:
    """The first level-1 heading of a page's Markdown (`# 政府信息公开指南`), if any."""
    match = re.search(r"^# +(.+?)\s*#*\s*$", markdown_text, re.MULTILINE)
    return match.group(1) if match else None


@dataclass(frozen=True)
class SearchJob:
    """Everything the worker needs, pickled into one file: the pages, the Markdown settings
    MkDocs converts the same bodies with, and where Pagefind writes."""

    pages: list[SearchPage]
    output: str
    markdown_extensions: list[Any]
    markdown_configs: dict[str, Any]


class SearchIndex:
    """One build's index: the worker process that writes the slim pages and runs Pagefind."""

    def __init__(self, site_dir: Path):
        self._site_dir = site_dir
        self._scratch: Path | None = None
        self._process: subprocess.Popen[str] | None = None

    def start(self, pages: list[SearchPage], markdown_extensions: list[Any],
              markdown_configs: dict[str, Any]) -> None:
        """Start indexing `pages` in the background; `finish` waits for it and puts the index
        into the site. It may start before MkDocs has cleaned the site folder: Pagefind writes
        into the scratch folder, never into the site."""
        if not pages:
            return  # Pagefind refuses an empty index; the search page says nothing is public
        if importlib.util.find_spec("pagefind") is None:
            raise SearchIndexError(
                "未安装搜索索引工具 pagefind，无法生成站内搜索索引。"
                "请联系技术人员在项目目录运行 make build（它会安装所需的程序）后重试。"
            )
        self._scratch = self._make_scratch_folder()
        job = SearchJob(pages, str(self._scratch / INDEX_FOLDER), markdown_extensions,
                        markdown_configs)
        try:
            data = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError) as error:
            self._discard()
            raise SearchIndexError(
                f"mkdocs.yml 的 markdown_extensions 设置无法交给搜索索引进程：{error}"
            ) from None
        try:
            (self._scratch / JOB_FILE).write_bytes(data)
        except OSError as error:
            self._discard()
            raise SearchIndexError(
                f"无法写入搜索索引的临时文件 {error.filename}：{error.strerror}"
            ) from None
        # The worker imports this package from the same folder as the build does.
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(_PACKAGE_PARENT), os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-m", "gongkai.search_worker", str(self._scratch)]
        try:
            self._process = subprocess.Popen(command, stdout=subprocess.PIPE, env=environment,
                                             stderr=subprocess.STDOUT, text=True)
        except OSError as error:
            self._discard()
            raise SearchIndexError(f"无法运行搜索索引工具 pagefind：{error}") from None

    def _make_scratch_folder(self) -> Path:
        """A new scratch folder beside the site when possible, so that the finished index is
        moved in by a rename; else in the system's temporary folder."""
        parent = self._site_dir.parent
        if parent.is_dir():
            _delete_abandoned(parent)
            try:
                return Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=parent))
            except OSError:
                pass  # a site folder whose parent cannot be written to
        try:
            return Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX))
        except OSError as error:
            raise SearchIndexError(
                f"无法创建搜索索引的临时文件夹：{error.strerror}"
            ) from None

    def finish(self) -> int:
        """Wait for Pagefind, put its index into the site, and return how many pages the index
        holds (0: no index written)."""
        output_folder = self._site_dir / INDEX_FOLDER
        try:
            # A bundle from an earlier build (`mkdocs build --dirty`) would mix old fragments
            # in, and the new one would be moved inside it.
            shutil.rmtree(output_folder)
        except FileNotFoundError:
            pass
        except OSError as error:
            self.abandon()
            raise SearchIndexError(
                f"无法删除网站目录中旧的搜索索引 {error.filename}：{error.strerror}"
            ) from None
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
        output = output.strip()
        try:
            if self._process.returncode == WORKER_FAILED:
                raise SearchIndexError(f"无法生成站内搜索索引的页面：\n{_tail(output)}")
            if self._process.returncode != 0:
                raise SearchIndexError(
                    f"搜索索引工具 pagefind 运行失败（退出码 {self._process.returncode}），"
                    f"站内搜索不可用。pagefind 的输出：\n{_tail(output)}"
                )
            assert self._scratch is not None
            shutil.move(self._scratch / INDEX_FOLDER, output_folder)
        except OSError as error:
            raise SearchIndexError(
                f"无法把搜索索引移入网站目录 {output_folder}：{error.strerror}"
            ) from None
        finally:
            self._discard()
        return _indexed_pages(output)

    def abandon(self) -> None:
        """Stop the worker (or Pagefind, which replaced it) and drop the scratch pages."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._discard()

    def _discard(self) -> None:
        if self._scratch is None:
            return
        # Deleting 10,000 slim pages (a folder each) takes over a second; a process of its own
        # does it, so that the build does not wait for it.
        try:
            subprocess.Popen([sys.executable, "-c", _DELETE_FOLDER, str(self._scratch)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
        except OSError:
            shutil.rmtree(self._scratch, ignore_errors=True)
        self._scratch = None


_DELETE_FOLDER = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
_ABANDONED_AFTER_SECONDS = 3600


def _delete_abandoned(parent: Path) -> None:
    """Delete scratch folders that builds killed before their end (SIGTERM, a CI timeout) left
    in `parent`: no build runs for an hour (the index times out after ten minutes)."""
    for folder in parent.glob(SCRATCH_PREFIX + "*"):
        try:
            if time.time() - folder.stat().st_mtime > _ABANDONED_AFTER_SECONDS:
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            continue  # gone meanwhile


def _indexed_pages(output: str) -> int:
    # Pagefind prints "Indexed 123 pages" in its summary; -1 means the line was not found.
    match = re.search(r"Indexed (\d+) pages?", output)
    return int(match.group(1)) if match else -1


def _tail(output: str, lines: int = 20) -> str:
    return "\n".join(output.splitlines()[-lines:]) or "（无输出）"
