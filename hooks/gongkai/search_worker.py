"""The search index's own process: page texts from the scratch folder, then the index.

Run by search.py as `python -m gongkai.search_worker SCRATCH`, where SCRATCH holds the pickled
`SearchJob` and the pages. It converts each body with the same Markdown extensions and
settings as MkDocs, takes the text out of the HTML, and hands it to the index writer
(search_writer.py), one page at a time. Its output, empty or a Chinese error, is what the
build reports.
"""

from __future__ import annotations

import pickle
import re
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown

from .search import (
    DOCUMENTS_FILE,
    JOB_FILE,
    WORKER_FAILED,
    SearchDocument,
    SearchJob,
    search_text,
)

# A body of plain paragraphs (most notices): no character Markdown or its extensions give a
# meaning to, no line that starts a block of another kind (list, heading, quote, code, rule,
# table, admonition), no white space at either end of a line (which Markdown would drop or
# read as a hard line break). Python-Markdown turns such a body into one <p>
# per block of lines, as plain_paragraphs_html does; it is slow at it (most of the worker's
# time went into its inline processing), and tests/test_search_index.py checks that both agree
# on generated bodies.
_MARKUP_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\\`*_\[\]<>&!{}|~\t\r]")
_OTHER_BLOCK_START = re.compile(r"^(?:[^\S\n]|[#>+=:-]|\d+[.)])|[^\S\n]$", re.MULTILINE)


PLAIN_PATH_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "attr_list", "md_in_html",
                                   "admonition"})
"""The Markdown extensions under which plain_paragraphs_html is what Python-Markdown makes of a
plain body (the test checks it with exactly these). With any other extension configured
(smarty, nl2br, pymdownx.*…) every body goes through Python-Markdown."""


def plain_path_allowed(extensions: list[Any]) -> bool:
    return all(isinstance(name, str)
               and name.removeprefix("markdown.extensions.") in PLAIN_PATH_EXTENSIONS
               for name in extensions)


def plain_paragraphs_html(body: str) -> str | None:
    """The HTML of a body of plain paragraphs, or None when the body needs Markdown."""
    if _MARKUP_CHARACTER.search(body) or _OTHER_BLOCK_START.search(body):
        return None
    blocks = re.split(r"\n\n+", body.strip("\n"))
    return "\n".join(f"<p>{block}</p>" for block in blocks if block)


class _TextOf(HTMLParser):
    """The text of converted Markdown: character references read, comments and scripts
    dropped, a space between blocks and table cells so that words of two do not join."""

    _SKIPPED = frozenset({"script", "style", "template"})
    _INLINE = frozenset({"a", "abbr", "b", "cite", "code", "em", "i", "kbd", "mark", "q",
                         "s", "small", "span", "strong", "sub", "sup", "u", "del", "ins"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag not in self._INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag not in self._INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)


def documents(path: Path) -> Iterator[SearchDocument]:
    with open(path, "rb") as stream:
        while True:
            try:
                yield pickle.load(stream)
            except EOFError:
                return


def build_index(job: SearchJob, scratch: Path) -> None:
    # Imported here: a missing or broken numpy is then the worker's reported error.
    from .search_writer import IndexWriter

    converter = markdown.Markdown(extensions=job.markdown_extensions,
                                  extension_configs=job.markdown_configs)
    plain_path = plain_path_allowed(job.markdown_extensions)
    writer = IndexWriter(Path(job.output), scratch / "rows", job.markdown_characters)
    for document in documents(scratch / DOCUMENTS_FILE):
        # A plain body's text is the body itself: its paragraphs become spaces.
        body = document.body_markdown if plain_path and plain_paragraphs_html(
            document.body_markdown) is not None else None
        if body is None:
            body = html_text(converter.reset().convert(document.body_markdown))
        fields = [document.title, document.summary, body, document.index_no, document.doc_no,
                  document.attachment_text]
        writer.add(document, [search_text(text) for text in fields])
    writer.finish()


def main(scratch: Path) -> None:
    try:
        job: SearchJob = pickle.loads((scratch / JOB_FILE).read_bytes())
        build_index(job, scratch)
    except OSError as error:
        print(f"无法写入搜索索引的文件 {error.filename}：{error.strerror}", flush=True)
        sys.exit(WORKER_FAILED)
    except Exception as error:  # noqa: BLE001 (a process boundary: the build reports it)
        print(f"生成搜索索引时出错（{type(error).__name__}：{error}）", flush=True)
        sys.exit(WORKER_FAILED)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
