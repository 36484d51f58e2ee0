"""Finding active content in HTML and Markdown: what could run code in a reader's browser.

gongkai's policy is to **refuse**, never to strip: an entry that contains any of these is an
error naming the line, so what staff wrote and what the public sees never silently differ.
Plain HTML pasted from documents (tables, spans, styles on cells) is fine. Refused:

- the elements in `FORBIDDEN_TAGS` (scripts, frames, plug-ins, style sheets, forms, …);
- any `on…=` event-handler attribute;
- `javascript:` and `vbscript:` URLs in any attribute, `data:` URLs in attributes that load or
  link something, and script in `style` attributes;
- the same URLs as Markdown link or image targets, `[x](javascript:…)`.

One scanner serves twice: on an entry's source (line numbers of the file) and, in the build,
on the HTML Markdown made of it, as a safety net for anything a Markdown extension produced.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser

FORBIDDEN_TAGS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link",
    "meta", "base", "form", "noscript", "template", "portal",
})
# Attributes whose value a browser loads or follows as a URL.
URL_ATTRIBUTES = frozenset({
    "href", "src", "srcset", "action", "formaction", "data", "poster", "background", "cite",
    "longdesc", "lowsrc", "dynsrc", "xlink:href", "codebase", "manifest", "ping", "icon",
})
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
DATA_SCHEME = "data:"
_STYLE_SCRIPT = ("expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding")
# Browsers ignore white space and control characters anywhere in a URL's scheme.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")
# Signs that a text holding HTML may hold active content; see `_may_be_active`.
_ATTRIBUTE_NAMED_ON = re.compile(r"[\s/'\"]on")
_MARKUP_MARKERS = re.compile("|".join(
    re.escape(marker) for marker in (*(f"<{tag}" for tag in sorted(FORBIDDEN_TAGS)), *_STYLE_SCRIPT)
))
_URL_MARKERS = (*SCRIPT_SCHEMES, DATA_SCHEME)
# The last letter of every URL marker, then its colon, maybe with white space between.
_URL_MARKER_END = re.compile(r"[ta][\x00-\x20\x7f]*:")
# Markdown link and image targets: [text](target …) and reference definitions [id]: target.
_MARKDOWN_TARGET = re.compile(
    r"\]\(\s*<?([^\s)>]+)|^ {0,3}\[[^\]\n]+\]:[ \t]*<?([^\s>]+)", re.MULTILINE
)


@dataclass(frozen=True)
class ActiveContent:
    """One piece of active content and the line (1 = first line of the scanned text) it is on."""

    line: int
    what: str
    """What was found, in Chinese, for the message to staff."""


def _scheme(url: str) -> str:
    return _IGNORED_IN_URL.sub("", html.unescape(url)).lower()


def _url_problem(attribute: str, value: str) -> str | None:
    url = _scheme(value)
    if url.startswith(SCRIPT_SCHEMES):
        return f"{attribute} 中的脚本链接「{url.split(':', 1)[0]}:」"
    if attribute in URL_ATTRIBUTES and url.startswith(DATA_SCHEME):
        return f"{attribute} 中的 data: 内嵌内容（图片请另存为文件再插入）"
    return None


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[ActiveContent] = []

    def _add(self, what: str) -> None:
        self.found.append(ActiveContent(self.getpos()[0], what))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self._add(f"<{tag}> 元素")
        for name, value in attrs:
            if name.startswith("on"):
                self._add(f"<{tag}> 的事件属性 {name}")
            elif value is None:
                continue
            elif name == "style" and any(bad in value.lower() for bad in _STYLE_SCRIPT):
                self._add(f"<{tag}> 的 style 属性中的脚本")
            else:
                problem = _url_problem(name, value)
                if problem:
                    self._add(f"<{tag}> 的 {problem}")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _may_be_active(text: str) -> bool:
    """False only when the scanner cannot find anything: a cheap test that spares parsing the
    HTML of most entries (tables pasted from documents), which would dominate `gongkai check`.

    Sound because everything the scanner flags leaves a trace here: a forbidden element is `<`
    and its name; an event attribute is `on` after white space, `/` or a quote; an attribute
    value the parser decoded from entities held `&`; and a value without entities is a run of
    the text itself, so a style marker in it is in the text, and a URL scheme, once white
    space and control characters are dropped as `_scheme` drops them, is in the text with
    them dropped (which is only worth computing when a scheme's last letter and colon are).
    """
    if "<" not in text:
        return False
    lowered = text.lower()
    if "&" in text or _ATTRIBUTE_NAMED_ON.search(lowered):
        return True
    if _MARKUP_MARKERS.search(lowered):
        return True
    if not _URL_MARKER_END.search(lowered):
        return False
    squeezed = _IGNORED_IN_URL.sub("", lowered)
    return any(marker in squeezed for marker in _URL_MARKERS)


def find_in_html(text: str) -> list[ActiveContent]:
    """Active content in HTML (or in Markdown read as HTML, which is what raw HTML in it is)."""
    if not _may_be_active(text):
        return []
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.found


def find_in_markdown(text: str) -> list[ActiveContent]:
    """Active content in a Markdown source: its raw HTML and its link and image targets."""
    found = find_in_html(text)
    if "](" in text or "]:" in text:
        for match in _MARKDOWN_TARGET.finditer(text):
            problem = _url_problem("href", match.group(1) or match.group(2))
            if problem:
                line = text.count("\n", 0, match.start()) + 1
                found.append(ActiveContent(line, f"Markdown 链接{problem.removeprefix('href ')}"))
    return sorted(found, key=lambda item: item.line)
