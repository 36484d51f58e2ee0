"""The search index: gongkai's own, built on the second core while MkDocs builds the site.

Search finds exact substrings. Every searchable text of a page (title, 内容概述, body, 索引号,
文号, attachment text) is put in one folded form (search_text, fold), and a query in the
same form matches a page exactly when it stands in one of those texts: no dictionary, no
segmenter, so what a visitor types is what is found. The index (written by search_writer.py,
read by theme/assets/js/gk-search.js) holds character bigrams with their positions, which
verify a query of any length, and single characters' page lists.

The index does not wait for MkDocs: as soon as the entries are read, a worker process
(search_worker.py) converts their Markdown to text and writes the index into a scratch
folder, while MkDocs converts and renders the site on the other core. The build waits for it
at the end and moves the folder into the site. Only published entries are ever handed over,
so drafts and offline-only records are in no index. The worker converts each entry's own
Markdown with mkdocs.yml's extensions; what other plugins might do to a page's Markdown is not
seen (gongkai's own hooks leave entry bodies as they are).
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .urls import SEARCH_INDEX_FOLDER as INDEX_FOLDER

"""Where the index goes, relative to the site root; gk-search.js loads it from there."""

DOCUMENTS_FILE = "documents.pickle"
"""The pages handed to the worker, one pickle after another, in the scratch folder."""
JOB_FILE = "job.pickle"
"""The worker's settings (SearchJob), written after the pages."""

SCRATCH_PREFIX = ".gongkai-search-"
WORKER_FAILED = 3
"""The worker's exit code when it could not build the index (its output says why)."""

_TIMEOUT_SECONDS = 600
_PACKAGE_PARENT = Path(__file__).resolve().parent.parent

FIELD_SEPARATOR = "\x1f"
"""Joins a page's fields into its one searchable text. No key of the index contains it and a
query never does, so no match runs from one field into the next (a title's end into the
body's start)."""

SPACE = "\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
"""White space as JavaScript's \\s has it (Python's differs at the edges), a regex class body;
gk-search.js's SPACE lists the same characters."""
_SPACE_RUN = re.compile(f"[{SPACE}{FIELD_SEPARATOR}]+")

_FOLD = {
    **{code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)},  # ０-９
    **{code: code - 0xFEE0 + 0x20 for code in range(0xFF21, 0xFF3B)},  # Ａ-Ｚ
    **{code: code - 0xFEE0 for code in range(0xFF41, 0xFF5B)},  # ａ-ｚ
    **{code: code + 0x20 for code in range(0x41, 0x5B)},  # A-Z
}
"""Full-width digits and Latin letters (２０２１, ＡＢ, typed with a Chinese input method) as
ASCII, Latin letters as lower case. One character for one, so that a position in the folded
text is the same position in the text as shown (the excerpt relies on it). Full-width
punctuation stays as it is: a pasted title with （试行） is matched as written."""


def search_text(text: str) -> str:
    """A field's text as stored for excerpts: white space runs made one space, trimmed."""
    return _SPACE_RUN.sub(" ", text).strip(" ")


def fold(text: str) -> str:
    """search_text's result as the index holds it (and as gk-search.js folds a query)."""
    return text.translate(_FOLD)


PAGE_KIND = "栏目"
"""The kind of a hand-written page of the site (指南, 制度, 年报…); entries have none."""
ANNUAL_REPORT_KIND = "年报"
"""The kind of a generated annual report."""


class SearchIndexError(Exception):
    """The index could not be built; the message is Chinese and says what to do."""


@dataclass(frozen=True)
class SearchDocument:
    """One page as the index sees it: what is searched, what a result shows, its facets."""

    url: str
    """The page's URL relative to the site root (`disclosures/2021/a/`, `` for the home)."""
    title: str
    body_markdown: str
    kind: str = ""
    """PAGE_KIND or ANNUAL_REPORT_KIND for pages that are not entries; "" for an entry."""
    date: str = ""
    category: str = ""
    index_no: str = ""
    doc_no: str = ""
    summary: str = ""
    attachment_text: str = ""
    facets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The catalogue's filters (category, year, channel, publisher, validity) or `kind`."""


def site_search_document(url: str, title: str, kind: str, body_markdown: str) -> SearchDocument:
    """A page of the site that is not an entry. It has no date, so the catalogue (which
    always sorts by date) never lists it; the search page lists it apart by its kind."""
    return SearchDocument(url, title, body_markdown, kind=kind, facets={"kind": (kind,)})


def markdown_title(markdown_text: str) -> str | None:
    """The first level-1 heading of a page's Markdown (`# 政府信息公开指南`), if any."""
    match = re.search(r"^# +(.+?)\s*#*\s*$", markdown_text, re.MULTILINE)
    return match.group(1) if match else None


@dataclass(frozen=True)
class SearchJob:
    """The worker's settings: the size of the pages in DOCUMENTS_FILE (which sets the
    index's bucket count and the builder's partitions), where to write, and the
    Markdown settings MkDocs converts the same bodies with."""

    markdown_characters: int
    output: str
    markdown_extensions: list[Any]
    markdown_configs: dict[str, Any]


class SearchIndex:
    """One build's index: the worker process that writes it into a scratch folder."""

    def __init__(self, site_dir: Path):
        self._site_dir = site_dir
        self._scratch: Path | None = None
        self._process: subprocess.Popen[str] | None = None
        self._count = 0

    def start(self, documents: Iterable[SearchDocument], markdown_extensions: list[Any],
              markdown_configs: dict[str, Any]) -> None:
        """Start indexing `documents` (entries newest first, then the other pages) in the
        background; `finish` waits for it and puts the index into the site. It may start
        before MkDocs has cleaned the site folder: the worker writes into the scratch folder,
        never into the site. The pages are written to the scratch folder one by one, so no
        second copy of the corpus is held in memory."""
        if importlib.util.find_spec("numpy") is None:
            raise SearchIndexError(
                "未安装 numpy，无法生成站内搜索索引。"
                "请联系技术人员在项目目录运行 make build（它会安装所需的程序）后重试。"
            )
        self._scratch = self._make_scratch_folder()
        count = characters = 0
        try:
            with open(self._scratch / DOCUMENTS_FILE, "wb") as stream:
                for document in documents:
                    pickle.dump(document, stream, pickle.HIGHEST_PROTOCOL)
                    count += 1
                    characters += (len(document.body_markdown) + len(document.attachment_text)
                                   + len(document.title) + len(document.summary))
            if count == 0:
                self._discard()
                return  # nothing to find: the search page says nothing is public
            job = SearchJob(characters, str(self._scratch / INDEX_FOLDER),
                            markdown_extensions, markdown_configs)
            try:
                data = pickle.dumps(job, pickle.HIGHEST_PROTOCOL)
            except (pickle.PicklingError, TypeError, AttributeError) as error:
                self._discard()
                raise SearchIndexError(
                    f"mkdocs.yml 的 markdown_extensions 设置无法交给搜索索引进程：{error}"
                ) from None
            (self._scratch / JOB_FILE).write_bytes(data)
        except OSError as error:
            self._discard()
            raise SearchIndexError(
                f"无法写入搜索索引的临时文件 {error.filename}：{error.strerror}"
            ) from None
        self._count = count
        # The worker imports this package from the same folder as the build does.
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(_PACKAGE_PARENT), os.environ.get("PYTHONPATH")]))}
        command = [sys.executable, "-m", "gongkai.search_worker", str(self._scratch)]
        try:
            self._process = subprocess.Popen(command, stdout=subprocess.PIPE, env=environment,
                                             stderr=subprocess.STDOUT, text=True)
        except OSError as error:
            self._discard()
            raise SearchIndexError(f"无法启动搜索索引进程：{error}") from None

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
        """Wait for the worker, put its index into the site, and return how many pages the
        index holds (0: no index written)."""
        output_folder = self._site_dir / INDEX_FOLDER
        try:
            # An index from an earlier build (`mkdocs build --dirty`) would mix old files in,
            # and the new one would be moved inside it.
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
                f"搜索索引进程超过 {_TIMEOUT_SECONDS} 秒仍未完成，站内搜索不可用。"
            ) from None
        output = output.strip()
        try:
            if self._process.returncode == WORKER_FAILED:
                raise SearchIndexError(f"无法生成站内搜索索引：\n{_tail(output)}")
            if self._process.returncode != 0:
                raise SearchIndexError(
                    f"搜索索引进程运行失败（退出码 {self._process.returncode}），"
                    f"站内搜索不可用。它的输出：\n{_tail(output)}"
                )
            assert self._scratch is not None
            shutil.move(self._scratch / INDEX_FOLDER, output_folder)
        except OSError as error:
            raise SearchIndexError(
                f"无法把搜索索引移入网站目录 {output_folder}：{error.strerror}"
            ) from None
        finally:
            self._discard()
        return self._count

    def abandon(self) -> None:
        """Stop the worker and drop the scratch folder."""
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._discard()

    def _discard(self) -> None:
        if self._scratch is None:
            return
        # The scratch folder holds the index's thousands of small files until they are moved
        # (or, after a failure, all of them); a process of its own deletes what is left, so
        # that the build does not wait for it.
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


def _tail(output: str, lines: int = 20) -> str:
    return "\n".join(output.splitlines()[-lines:]) or "（无输出）"
