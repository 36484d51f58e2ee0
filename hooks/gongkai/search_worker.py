"""The search index's own process: page texts from the scratch folder, then the index.

Run by search.py as `python -m gongkai.search_worker SCRATCH`, where SCRATCH holds the pickled
`SearchJob` and the pages. It converts each body with the same Markdown extensions and
settings as MkDocs, takes the text out of the HTML, and hands it to the index writer
(search_writer.py), one page at a time. Its output, empty or a Chinese error, is what the
build reports.
"""

from __future__ import annotations

import html
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
_MARKUP_CHARACTERS = r"\x00-\x08\x0b-\x1f\x7f\\`*_\[\]<>&!{}~\t\r"
_MARKUP_CHARACTER = re.compile(f"[{_MARKUP_CHARACTERS}|]")
_MARKUP_CHARACTER_BUT_PIPE = re.compile(f"[{_MARKUP_CHARACTERS}]")
# A numeric character reference (&#42; in a masked ID number) Markdown keeps as it is, and the
# HTML parser reads with html.unescape; Markdown escapes "&" in anything else (&#X2A;, &amp).
_NUMERIC_REFERENCE = re.compile(r"&#(?:[0-9]+|x[0-9a-fA-F]+);")
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


def _table_text(block: str) -> str | None:
    """The text of a block that is a pipe table with borders, as the tables extension reads
    it: its header's and rows' cells (not the separator row), or None for any other block, or
    a table whose rows are not all as wide as its header (the extension pads or cuts them)."""
    lines = block.split("\n")
    if len(lines) < 2 or not all(len(line) > 1 and line[0] == line[-1] == "|" for line in lines):
        return None
    rows = [line[1:-1].split("|") for line in lines]
    width = len(rows[0])
    if width < 2 or any(len(row) != width for row in rows) or not set("".join(rows[1])) <= set(":- "):
        return None
    return " ".join(cell.strip(" ") for row in [rows[0], *rows[2:]] for cell in row)


def plain_text(body: str) -> str | None:
    """The searchable text of a body of plain paragraphs and pipe tables with borders (most
    notices; a table's cells hold plain text too), the same as html_text of what
    Python-Markdown makes of it once white space runs are one space; None when the body
    needs Markdown. Tables were half the county corpus's bodies and most of the worker's
    Markdown time."""
    if _OTHER_BLOCK_START.search(body):
        return None
    parts = []
    for block in re.split(r"\n\n+", body.strip("\n")):
        checked = _NUMERIC_REFERENCE.sub("", block)
        if "|" not in block:
            if _MARKUP_CHARACTER.search(checked):
                return None
            parts.append(block)
            continue
        table = _table_text(block)
        if table is None or _MARKUP_CHARACTER_BUT_PIPE.search(checked):
            return None
        parts.append(table)
    return _NUMERIC_REFERENCE.sub(lambda reference: html.unescape(reference[0]),
                                  "\n\n".join(parts))


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
        # A plain body's text is the body itself (its paragraphs become spaces), with its
        # tables' cells.
        body = plain_text(document.body_markdown) if plain_path else None
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
