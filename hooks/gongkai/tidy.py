"""`gongkai tidy`: HTML pasted from Word, WPS or a web page, made into clean Markdown.

Pasting a document into an entry brings along what the word processor needs and the website
does not: `<style>` and `<meta>` blocks, `class` and `style` attributes full of `mso-`
settings, `<font>` and `<span>` wrappers, `<o:p>` and conditional comments. What the text
*says* is in the paragraphs, headings, lists, tables (with their merged cells) and bold, and
only that is kept: as Markdown, and as a minimal HTML table where Markdown has no way to merge
cells.

The body is parsed as a browser would (html5lib). A tidied body is only written when the
text a reader sees on the page — the body rendered by Markdown, then the text of its
parse, whitespace aside — is exactly the same as before; otherwise the file is left as it
was and the reason given. The front matter is never touched: its bytes, the line endings and
a byte-order mark stay as they were.
"""

from __future__ import annotations

import html
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import html5lib
import markdown

from .fields import BODY_FIELD
from .front_matter import UTF8_HELP
from .problems import Problem

MARKDOWN_EXTENSIONS = ["tables", "attr_list", "md_in_html"]
"""The site's Markdown extensions that give the tidied constructs (pipe tables) their meaning."""

_BOM = b"\xef\xbb\xbf"
_FENCES = ("---", "...")

# What a word processor adds for itself: removed with everything inside.
_DROPPED = frozenset({"style", "meta", "link", "title", "head", "xml", "colgroup", "col"})
# Contents a browser never shows as text.
_INVISIBLE = frozenset({"style", "script", "template", "title", "xml", "head", "noscript"})
# Not formatting but programs or embedded pages: not for tidy to decide about.
_REFUSED = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "select", "textarea", "svg", "math", "video", "audio", "canvas", "base",
})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_LISTS = frozenset({"ul", "ol"})
# Blocks whose children are laid out one after another, like the body itself.
_CONTAINERS = frozenset({
    "div", "section", "article", "main", "header", "footer", "center", "body", "html", "aside",
    "nav", "address", "figure", "figcaption", "dl", "dt", "dd", "details", "summary", "hgroup",
    "fieldset", "legend", "caption", "blockquote", "thead", "tbody", "tfoot",
})
_PARAGRAPHS = frozenset({"p", "pre", "li", "td", "th"})
_BLOCKS = _CONTAINERS | _PARAGRAPHS | _LISTS | set(_HEADINGS) | {"table", "tr", "hr"}
_KEPT_INLINE = {"sup": "sup", "sub": "sub", "del": "del", "s": "del", "strike": "del"}
_BOLD_STYLE = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)", re.IGNORECASE)
_ITALIC_STYLE = re.compile(r"font-style\s*:\s*italic", re.IGNORECASE)
_SAFE_LINK = re.compile(r"(?:https?:|mailto:|#|/|\.{0,2}[\w\u4e00-\u9fff-][^:]*$)", re.IGNORECASE)
_SAFE_IMAGE = re.compile(r"(?:https?:|/|\.{0,2}[\w\u4e00-\u9fff-][^:]*$)", re.IGNORECASE)
_HTML_HINT = re.compile(r"<[A-Za-z!/?]|&[#\w]+;")
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SPACE_BETWEEN_WIDE = re.compile(f"(?<=[{_WIDE}]) (?=[{_WIDE}])")
_SPACES = re.compile(r"[ \t\n\r\f\xa0]+")
_LINE_START = re.compile(r"^([ \t]*)([#>+-]|\d+\.(?=\s)|\*(?=\s))", re.MULTILINE)
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_BREAK = "\x00br\x00"


class Refused(Exception):
    """Something tidy does not know how to keep; the message says what, in Chinese."""


@dataclass(frozen=True)
class _Mode:
    """How inline content is written: as Markdown, or as HTML inside a minimal HTML table."""

    markdown: bool

    def text(self, text: str) -> str:
        if self.markdown:
            text = text.replace("\\", "\\\\")
            for char in "`*_[]":
                text = text.replace(char, "\\" + char)
            return _ENTITY_LIKE.sub("&amp;", text).replace("<", "&lt;")
        return html.escape(text, quote=False)

    def wrap(self, kind: str, inner: str) -> str:
        """`inner` bold or italic, its outer blanks kept outside the markers."""
        core = inner.strip(" ")
        if not core:
            return inner
        lead, trail = inner[: len(inner) - len(inner.lstrip(" "))], inner[len(inner.rstrip(" ")):]
        if self.markdown:
            marker = "**" if kind == "strong" else "*"
            return f"{lead}{marker}{core}{marker}{trail}"
        return f"{lead}<{kind}>{core}</{kind}>{trail}"


MARKDOWN, HTML = _Mode(True), _Mode(False)


def _tag(node: Any) -> str | None:
    """The lower-case tag name, or None for a comment or processing instruction."""
    return node.tag.lower() if isinstance(node.tag, str) else None


def _children(node: Any) -> Iterator[Any | str]:
    """Text and element children in order (an ElementTree keeps text in .text and .tail)."""
    if node.text:
        yield node.text
    for child in node:
        yield child
        if child.tail:
            yield child.tail


def _program(tag: str) -> Refused:
    return Refused(f"正文中有 <{tag}>（程序或嵌入的网页，不是文字格式），gongkai tidy 不处理：请删除它")


def _detached(node: Any) -> Any:
    """`node` without its tail, to move into another parent (its tail is its old parent's)."""
    copy = ElementTree.Element(node.tag, node.attrib)
    copy.text = node.text
    copy.extend(list(node))
    return copy


def _is_block(node: Any) -> bool:
    tag = _tag(node)
    return tag in _BLOCKS or (tag not in _DROPPED and tag is not None and any(
        _is_block(child) for child in node))


def _inline(node: Any, mode: _Mode) -> str:
    """The inline content of `node` (its text and inline elements), in `mode`."""
    parts: list[str] = []
    for child in _children(node):
        if isinstance(child, str):
            parts.append(mode.text(_SPACES.sub(" ", child)))
            continue
        tag = _tag(child)
        if tag is None or tag in _DROPPED:
            continue
        parts.append(_inline_element(child, tag, mode))
    return "".join(parts)


def _inline_element(node: Any, tag: str, mode: _Mode) -> str:
    if tag in _REFUSED:
        raise _program(tag)
    if tag == "br":
        return _BREAK
    if tag == "img":
        return _image(node, mode)
    if tag == "table" or tag in _LISTS:
        raise Refused("表格或列表里又套着表格或列表，无法整理成网页表格")
    inner = _inline(node, mode)
    style = node.get("style") or ""
    if tag in ("b", "strong") or _BOLD_STYLE.search(style):
        inner = mode.wrap("strong", inner)
    if tag in ("i", "em") or _ITALIC_STYLE.search(style):
        inner = mode.wrap("em", inner)
    if tag in _KEPT_INLINE and inner.strip():
        kept = _KEPT_INLINE[tag]
        inner = f"<{kept}>{inner}</{kept}>"
    if tag == "a" and inner.strip() and _SAFE_LINK.match(node.get("href") or "\0"):
        href = node.get("href")
        if mode.markdown:
            inner = f"[{inner}]({_destination(href)})"
        else:
            inner = f'<a href="{html.escape(href)}">{inner}</a>'
    return inner


def _image(node: Any, mode: _Mode) -> str:
    src, alt = (node.get("src") or "").strip(), node.get("alt") or ""
    if not _SAFE_IMAGE.match(src):
        raise Refused(
            "正文中的图片指向本机文件或粘贴时带入的图片数据，网站上无法显示："
            "请删去这张图片（图片可作为附件另行提供）"
        )
    if mode.markdown:
        return f"![{mode.text(alt)}]({_destination(src)})"
    return f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'


def _destination(url: str) -> str:
    """A Markdown link target: bare when it can be, else in <>; a bare one is also what a
    second `gongkai tidy` reads back as text, not as an element."""
    return url if re.fullmatch(r"[^\s()<>\\]+", url) else f"<{url}>"


def _finish_inline(text: str, mode: _Mode, breaks: str) -> str:
    """Inline text as a block: blanks collapsed, line-wrap spaces between Chinese characters
    removed (a browser shows none there either), adjacent bold runs joined."""
    text = _SPACES.sub(" ", text)
    text = _SPACE_BETWEEN_WIDE.sub("", text)
    text = text.replace("****", "") if mode.markdown else text.replace("</strong><strong>", "")
    lines = [line.strip(" ") for line in text.split(_BREAK)]
    while lines and not lines[-1]:
        lines.pop()
    return breaks.join(lines).strip(" ")


def _escape_line_starts(text: str) -> str:
    """Text that would start a heading, quote or list in Markdown, escaped to stay text."""
    return _LINE_START.sub(lambda m: m[1] + (
        m[2][:-1] + "\\." if m[2].endswith(".") else "\\" + m[2]), text)


def _paragraph(node: Any) -> list[str]:
    text = _finish_inline(_inline(node, MARKDOWN), MARKDOWN, "<br>\n")
    return [_escape_line_starts(text)] if text else []


def _blocks(node: Any) -> list[str]:
    """The Markdown blocks of a container's children; runs of inline content make paragraphs."""
    blocks: list[str] = []
    run = ElementTree.Element("p")  # inline content waiting for the next block
    last: Any = None

    def flush() -> None:
        nonlocal run, last
        blocks.extend(_paragraph(run))
        run, last = ElementTree.Element("p"), None

    for child in _children(node):
        if isinstance(child, str):
            if last is None:
                run.text = (run.text or "") + child
            else:
                last.tail = (last.tail or "") + child
            continue
        tag = _tag(child)
        if tag is None or tag in _DROPPED:
            continue
        if not _is_block(child):
            last = _detached(child)
            run.append(last)
            continue
        flush()
        blocks.extend(_block(child, tag))
    flush()
    return blocks


def _block(node: Any, tag: str) -> list[str]:
    if tag in _REFUSED:
        raise _program(tag)
    if tag in _HEADINGS:
        text = _finish_inline(_inline(node, MARKDOWN), MARKDOWN, "<br>")
        return [f"{'#' * _HEADINGS[tag]} {text}"] if text else []
    if tag in _LISTS:
        return [_list(node, tag)]
    if tag == "table":  # its caption, if any, as the paragraph above it
        captions = [child for child in node if _tag(child) == "caption"]
        return [block for caption in captions for block in _paragraph(caption)] + [_table(node)]
    if tag == "hr":
        return ["* * *"]
    if tag == "pre":
        text = "".join(node.itertext()).strip("\n")
        return ["\n".join("    " + line for line in text.split("\n"))] if text.strip() else []
    if tag == "blockquote":
        return ["\n".join("> " + line if line else ">" for line in "\n\n".join(_blocks(node)).split("\n"))]
    if tag == "p" or not any(_is_block(child) for child in node):
        return _paragraph(node)
    return _blocks(node)


def _list(node: Any, tag: str) -> str:
    items: list[str] = []
    number = int(node.get("start") or 1) if (node.get("start") or "1").isdigit() else 1
    for child in node:
        if _tag(child) != "li":
            items.extend(_blocks_of_list_filler(child))
            continue
        marker = f"{number}. " if tag == "ol" else "- "
        number += 1
        blocks = _blocks(child) or [""]
        lines = [marker + blocks[0].replace("\n", "\n    ")]
        for block in blocks[1:]:
            lines.append("    " + block.replace("\n", "\n    "))
        items.append("\n".join(lines))
    return "\n".join(items)


def _blocks_of_list_filler(node: Any) -> list[str]:
    """Content a malformed list holds outside its items (a nested list, stray text)."""
    tag = _tag(node)
    if tag is None or tag in _DROPPED:
        return []
    return ["    " + block.replace("\n", "\n    ") for block in _block(node, tag)]


# --- Tables ------------------------------------------------------------------------------


def _rows(table: Any) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for row in table.iter():
        if _tag(row) == "tr":
            rows.append([cell for cell in row if _tag(cell) in ("td", "th")])
    return rows


def _cell_text(cell: Any, mode: _Mode) -> str:
    """A cell's paragraphs as one line, joined by <br>; a list or table inside is refused."""
    parts: list[str] = []
    for block in _cell_blocks(cell):
        text = _finish_inline(_inline(block, mode), mode, "<br>")
        if text:
            parts.append(text)
    return "<br>".join(parts)


def _cell_blocks(cell: Any) -> list[Any]:
    """The cell split into its paragraphs (elements holding inline content only)."""
    if not any(_is_block(child) for child in cell):
        return [cell]
    found: list[Any] = []
    run = ElementTree.Element("p")
    for child in _children(cell):
        if isinstance(child, str) or not _is_block(child):
            if isinstance(child, str):
                if len(run):
                    run[-1].tail = (run[-1].tail or "") + child
                else:
                    run.text = (run.text or "") + child
            elif _tag(child) is not None:
                run.append(_detached(child))
            continue
        tag = _tag(child)
        if tag == "table" or tag in _LISTS or tag in _REFUSED:
            raise Refused("表格的单元格里有列表或表格，无法整理成网页表格")
        found.append(run)
        run = ElementTree.Element("p")
        found.extend(_cell_blocks(child))
    found.append(run)
    return found


def _span(cell: Any, name: str) -> int:
    value = (cell.get(name) or "1").strip()
    return int(value) if value.isdigit() and int(value) > 0 else 1


def _table(table: Any) -> str:
    rows = [row for row in _rows(table) if row]
    if any(_tag(inner) == "table" for inner in table.iter() if inner is not table):
        raise Refused("表格里又套着表格，无法整理成网页表格")
    if not rows:
        return ""
    merged = any(_span(cell, "rowspan") > 1 or _span(cell, "colspan") > 1
                 for row in rows for cell in row)
    if merged or len({len(row) for row in rows}) > 1:
        return _html_table(rows)
    lines = []
    for number, row in enumerate(rows):
        cells = [_cell_text(cell, MARKDOWN).replace("|", "\\|") for cell in row]
        lines.append("| " + " | ".join(cells) + " |")
        if number == 0:
            lines.append("|" + "|".join(" --- " for _ in row) + "|")
    return "\n".join(lines)


def _html_table(rows: list[list[Any]]) -> str:
    """Merged cells kept as they are: a table with nothing but its rows, cells and spans."""
    lines = ["<table>"]
    for row in rows:
        cells = []
        for cell in row:
            tag = _tag(cell)
            spans = "".join(
                f' {name}="{_span(cell, name)}"' for name in ("rowspan", "colspan")
                if _span(cell, name) > 1
            )
            cells.append(f"<{tag}{spans}>{_cell_text(cell, HTML)}</{tag}>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</table>")
    return "\n".join(lines)


# --- What a reader sees --------------------------------------------------------------------


def _parse(text: str) -> Any:
    return html5lib.parseFragment(text, container="div", treebuilder="etree",
                                  namespaceHTMLElements=False)


def visible_text(markdown_text: str) -> str:
    """The text a reader sees of a Markdown body, every blank left out: the body rendered
    (with the site's extensions), parsed as a browser would, its shown text joined."""
    rendered = markdown.markdown(markdown_text, extensions=MARKDOWN_EXTENSIONS)
    parts: list[str] = []

    def walk(node: Any) -> None:
        if _tag(node) in _INVISIBLE or _tag(node) is None:
            return
        for child in _children(node):
            if isinstance(child, str):
                parts.append(child)
            else:
                walk(child)

    walk(_parse(rendered))
    return "".join("".join(parts).split())


def tidy_body(body: str) -> str | None:
    """The body with pasted formatting code turned into Markdown (`\\n` line ends), None when
    there was none; raises `Refused` when it cannot be done without changing what is shown."""
    if not _HTML_HINT.search(body):
        return None
    root = _parse(body)
    if len(root) == 0:
        return None  # text only: entities, or a lone < in a sentence
    tidied = "\n\n".join(block for block in _top_level(root) if block.strip()) + "\n"
    tidied = re.sub(r"\n{3,}", "\n\n", tidied).lstrip("\n")
    if tidied == body:
        return None
    if visible_text(tidied) != visible_text(body):
        raise Refused(
            "整理后网页上显示的文字会与原来不同，为避免改动内容，没有修改这个文件："
            "请手工删除从 Word/WPS 粘贴带来的格式代码，或联系技术人员"
        )
    return tidied


def _top_level(root: Any) -> list[str]:
    """The body's blocks: text outside any element is the staff's own Markdown and is kept
    as written; elements become Markdown."""
    blocks: list[str] = []
    run: list[str] = []
    for child in _children(root):
        if isinstance(child, str):
            run.append(child)
            continue
        tag = _tag(child)
        if tag is None or tag in _DROPPED:
            continue
        if not _is_block(child):
            inline = _inline_element(child, tag, MARKDOWN)
            run.append(_finish_inline(inline, MARKDOWN, "<br>") if inline != _BREAK else "<br>")
            continue
        blocks.append("".join(run).strip("\n"))
        run = []
        blocks.extend(_block(child, tag))
    blocks.append("".join(run).strip("\n"))
    return blocks


# --- Files ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TidyOutcome:
    """What tidying one file did: `changed`, or left alone with a `problem` saying why."""

    path: str
    changed: bool
    problem: Problem | None = None


def tidy_file(file: Path, shown: str, write: Callable[[Path, bytes], None] | None = None
              ) -> TidyOutcome:
    """Tidy one entry file's body in place; its front matter, line ends and BOM unchanged."""
    try:
        data = file.read_bytes()
    except OSError as error:
        reason = ("找不到这个文件" if isinstance(error, FileNotFoundError)
                  else "这是一个文件夹" if isinstance(error, IsADirectoryError)
                  else "没有读取权限" if isinstance(error, PermissionError) else "系统错误")
        return TidyOutcome(shown, False, Problem(
            shown, 0, "文件", f"无法读取（{reason}），未改动：请核对文件名，例如 disclosures/2026/2026-03-02-00012.md"))
    bom = _BOM if data.startswith(_BOM) else b""
    try:
        text = data[len(bom):].decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return TidyOutcome(shown, False, Problem(shown, line, "编码", UTF8_HELP))
    lines = text.splitlines(keepends=True)
    closing = next((index for index, line in enumerate(lines[1:], start=1)
                    if line.rstrip("\r\n").rstrip() in _FENCES), None)
    if not lines or lines[0].rstrip("\r\n").rstrip() != "---" or closing is None:
        return TidyOutcome(shown, False, Problem(
            shown, 1, "front matter",
            "找不到以 --- 开头和结束的 front matter，为免改动字段，没有整理：请先运行 gongkai check 修正",
        ))
    head, body = "".join(lines[: closing + 1]), "".join(lines[closing + 1:])
    newline = "\r\n" if "\r\n" in text else "\n"
    try:
        tidied = tidy_body(body.replace("\r\n", "\n"))
    except Refused as refusal:
        return TidyOutcome(shown, False, Problem(shown, closing + 2, BODY_FIELD, str(refusal)))
    if tidied is None:
        return TidyOutcome(shown, False)
    (write or _replace)(file, bom + (head + tidied.replace("\n", newline)).encode("utf-8"))
    return TidyOutcome(shown, True)


def _replace(file: Path, data: bytes) -> None:
    """Write beside the file, then rename over it: never a half-written entry."""
    descriptor, temporary = tempfile.mkstemp(dir=file.parent, prefix=".tidy-", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, file.stat().st_mode & 0o7777)
        os.replace(temporary, file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
