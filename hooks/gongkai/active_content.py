"""Judging HTML as a browser reads it: an allowlist of elements, attributes and URL schemes.

gongkai's policy is to **refuse**, never to strip: a text holding anything outside the
allowlist is an error naming its line, so what staff wrote and what the public sees never
silently differ. The HTML is parsed with html5lib, which implements the WHATWG parsing
algorithm browsers use; Python's `html.parser` reads comments (`<!-->`), CDATA sections and
SVG differently from browsers, so it must never judge safety.

What is allowed is what documents hold: text structure, tables, images and links to http,
https, mailto and tel addresses or to pages of the site (relative URLs), with the presentational
attributes Word and WPS write (`style`, `class`, `align`, `width`…). Everything else is a
`Finding` of one of three kinds, each worded for staff (see `Kind`).

`find_in_html` judges HTML as it is served. Markdown is judged by what it renders to: see
screening.py, which converts each text with the site's own Markdown extensions first.
"""

from __future__ import annotations

import enum
import functools
import html
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import xml.etree.ElementTree as ET

HTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_HTML_PREFIX = "{" + HTML_NAMESPACE + "}"

ELEMENTS = frozenset({
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br",
    "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div",
    "dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "i", "img", "ins", "kbd", "li", "mark", "nobr", "ol", "p", "pre", "q",
    "rp", "rt", "ruby", "s", "samp", "section", "small", "span", "strike", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u",
    "ul", "var", "wbr",
})
"""Elements of documents: structure, text, tables, lists, images and links."""
FORM_ELEMENTS = frozenset({
    "form", "label", "input", "button", "select", "option", "optgroup", "textarea", "fieldset",
    "legend",
})
"""Allowed only in the site's own pages (docs/, e.g. the search form), never in entries."""
ATTRIBUTES = frozenset({
    "id", "class", "title", "lang", "dir", "style", "align", "valign", "width", "height",
    "role", "hidden", "name", "target", "rel", "hreflang", "alt", "border", "loading",
    "decoding", "colspan", "rowspan", "headers", "scope", "abbr", "nowrap", "bgcolor",
    "cellpadding", "cellspacing", "summary", "span", "start", "type", "reversed", "value",
    "datetime", "color", "face", "size", "open", "char", "charoff", "clear", "hspace", "vspace",
})
FORM_ATTRIBUTES = frozenset({
    "for", "method", "placeholder", "autocomplete", "disabled", "checked", "selected",
    "multiple", "readonly", "required", "maxlength", "minlength", "rows", "cols", "label",
    "enctype",
})
URL_ATTRIBUTES = {
    "a": "href", "img": "src", "blockquote": "cite", "q": "cite", "del": "cite", "ins": "cite",
    "form": "action", "button": "formaction", "input": "formaction",
}
"""The one attribute of each element that holds a URL; its scheme must be in SCHEMES."""
SCHEMES = frozenset({"http", "https", "mailto", "tel"})
WORD_ELEMENTS = frozenset({"style", "meta", "link", "xml", "title"})
"""Elements Word and WPS put into pasted HTML: `gongkai tidy` removes them."""
SCRIPT_ELEMENTS = frozenset({
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal",
    "noscript", "template",
})
"""Elements that run or embed code, or change where every link of the page leads."""
_STYLE_SCRIPT = ("expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding")

# A URL as browsers read an attribute value: tab and newline anywhere are dropped, C0
# controls and spaces around it are trimmed; then a scheme is letters, digits, + - . and `:`.
_URL_DROPPED = re.compile(r"[\t\n\r]")
_URL_TRIMMED = "".join(chr(code) for code in range(0x21))
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SCRIPT_URL = re.compile(r"(?:java|vb)script:")
# Anything browsers ignore inside a scheme in some context: white space, controls, and the
# characters CSS and SVG value lists put between items.
_IGNORED_CHARACTER = r"[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028\u2029\ufeff]"
_IGNORED_IN_SCHEME = re.compile(_IGNORED_CHARACTER + "+")
# The quick path of `find_in_html`: a tag the WHATWG tokenizer cannot read in two ways (HTML
# white space only, names of plain letters, values quoted without < and >, or unquoted).
_HTML_SPACE = "[\t\n\f\r ]"
_SIMPLE_ATTRIBUTE = (
    rf"{_HTML_SPACE}+([a-zA-Z][a-zA-Z0-9_:.-]*)(?:{_HTML_SPACE}*={_HTML_SPACE}*"
    r"""(?:"([^"<>]*)"|'([^'<>]*)'|([^\t\n\f\r "'=<>`]+)))?"""
)
_SIMPLE_TAG = re.compile(
    rf"</?([a-zA-Z][a-zA-Z0-9]*)((?:{_SIMPLE_ATTRIBUTE})*){_HTML_SPACE}*/?>"
)
_SIMPLE_ATTRIBUTE_RE = re.compile(_SIMPLE_ATTRIBUTE)
# A comment the tokenizer cannot read in two ways: no `<`, `>` or `--` inside, not opening
# with `-` or `>` (`<!-->`, `<!--->` close at once). The site's own markers are such comments
# (`<!-- gongkai:latest -->`), and without this each page holding one loaded html5lib (60 ms).
_SIMPLE_COMMENT = r"<!--(?![->])[^<>-]*(?:-[^<>-]+)*-->"
_SIMPLE_TAG_OR_COMMENT = re.compile(_SIMPLE_COMMENT + "|" + _SIMPLE_TAG.pattern)
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)


class Kind(enum.Enum):
    """What a finding is, which decides how staff are told about it."""

    SCRIPT = "script"
    """Runs code in a reader's browser, or embeds another page or program."""
    WORD = "word"
    """Formatting code pasted from Word or WPS: `gongkai tidy` removes it."""
    OTHER = "other"
    """Markup outside the allowlist that is not script: delete it."""


@dataclass(frozen=True)
class Finding:
    """One thing outside the allowlist, described in Chinese for the message to staff."""

    what: str
    kind: Kind


def _css_text(value: str) -> str:
    """A style attribute with comments and escapes resolved, lowercased, white space gone."""
    value = _CSS_COMMENT.sub("", value)

    def unescape(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code < 0x110000 else ""
        return match.group(2)
    return _IGNORED_IN_SCHEME.sub("", _CSS_ESCAPE.sub(unescape, value)).lower()


def url_scheme(value: str) -> str | None:
    """The scheme of a URL attribute's (entity-decoded) value as a browser parses it, in
    lower case; None for a relative URL."""
    url = _URL_DROPPED.sub("", value).strip(_URL_TRIMMED)
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else None


def _local(name: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if name.startswith("{"):
        namespace, _, local = name[1:].partition("}")
        return namespace, local
    return "", name


def _judge_attribute(tag: str, html: bool, name: str, value: str, forms: bool) -> Finding | None:
    """`html`: the element is in the HTML namespace (SVG has an <a> of its own)."""
    namespace, local = _local(name)
    lowered = local.lower()
    if lowered.startswith("on"):
        return Finding(f"<{tag}> 的事件属性 {local}", Kind.SCRIPT)
    if lowered == "srcdoc":
        return Finding(f"<{tag}> 的 srcdoc 属性（内嵌网页）", Kind.SCRIPT)
    is_url = html and not namespace and URL_ATTRIBUTES.get(tag) == lowered
    # A URL is judged by its scheme, as browsers read it; any other value by whether it holds
    # a script URL anywhere (SVG animations take lists: `values="#;javascript:…"`).
    scheme = url_scheme(value) if is_url else None
    squeezed = _IGNORED_IN_SCHEME.sub("", value).lower()
    if (squeezed.startswith(("javascript:", "vbscript:")) if is_url
            else _SCRIPT_URL.search(squeezed)):
        script = "vbscript:" if "vbscript:" in squeezed else "javascript:"
        return Finding(f"<{tag}> 的 {local} 中的脚本链接「{script}」", Kind.SCRIPT)
    if lowered == "style":
        if any(bad in _css_text(value) for bad in _STYLE_SCRIPT):
            return Finding(f"<{tag}> 的 style 属性中的脚本", Kind.SCRIPT)
        return None
    if namespace or ":" in local or lowered.startswith("xmlns"):
        return Finding(f"<{tag}> 的属性 {local}", Kind.WORD)
    if is_url:
        if scheme == "data":
            return Finding(f"<{tag}> 的 {local} 中的 data: 内嵌内容", Kind.OTHER)
        if scheme is not None and scheme not in SCHEMES:
            return Finding(f"<{tag}> 的 {local} 中的「{scheme}:」地址", Kind.OTHER)
        return None
    if lowered in ATTRIBUTES or lowered.startswith("aria-") or (forms and lowered in FORM_ATTRIBUTES):
        return None
    return Finding(f"<{tag}> 的属性 {local}", Kind.OTHER)


def _judge_element(tag: str, namespace: str, forms: bool) -> Finding | None:
    if tag.lower() in SCRIPT_ELEMENTS:  # in any namespace: SVG has its own <script>
        return Finding(f"<{tag}> 元素", Kind.SCRIPT)
    if namespace != HTML_NAMESPACE:
        return Finding(f"<{tag}> 图形或公式代码", Kind.OTHER)
    if tag in ELEMENTS or (forms and tag in FORM_ELEMENTS):
        return None
    if tag in WORD_ELEMENTS or ":" in tag:
        return Finding(f"<{tag}> 元素", Kind.WORD)
    return Finding(f"<{tag}> 元素", Kind.OTHER)


def judge_tree(root: ET.Element, forms: bool = False) -> list[Finding]:
    """Every finding in a parsed tree, each once, in document order. Inside an element that
    is itself refused only script is reported, so one pasted <svg> or <xml> is one finding."""
    found: dict[Finding, None] = {}
    # A stack rather than recursion: pasted HTML may nest deeper than Python recurses.
    stack: list[tuple[ET.Element, bool]] = [(root, False)]
    while stack:
        element, refused_above = stack.pop()
        refused = refused_above
        if isinstance(element.tag, str) and element.tag != "DOCUMENT_FRAGMENT":
            namespace, tag = _local(element.tag)  # comments are skipped: inert however written
            own = _judge_element(tag, namespace, forms)
            if own is not None and (not refused_above or own.kind is Kind.SCRIPT):
                found[own] = None
            # A refused element's attributes are its own business, but for script.
            refused = refused_above or own is not None
            for name, value in element.attrib.items():
                finding = _judge_attribute(tag, namespace == HTML_NAMESPACE, name, value, forms)
                if finding is not None and (not refused or finding.kind is Kind.SCRIPT):
                    found[finding] = None
        stack.extend((child, refused) for child in reversed(element))
    return list(found)


def parse(text: str) -> ET.Element:
    """`text` parsed as browsers parse the content of a page's <article>."""
    import html5lib  # here: most runs of `gongkai check` parse no HTML, and it loads slowly

    return html5lib.parseFragment(text, container="div", treebuilder="etree")


def plainly_allowed(text: str, forms: bool = False, one_line_tags: bool = False) -> bool:
    """True only when `text` is certainly inside the allowlist, found without html5lib.

    Sound because the text is then nothing but character data, tags of the plainest form
    (`_SIMPLE_TAG`) and comments of the plainest form (`_SIMPLE_COMMENT`, inert): no CDATA,
    doctype or processing instruction, since every `<` starts such a tag or comment. The
    WHATWG tokenizer reads those exactly as the expressions do, so the elements and
    attributes of the tree html5lib builds are these (tree construction
    only adds allowed structure such as <tbody>, and moves or copies elements with their
    attributes), all in the HTML namespace since no <svg> or <math> is among them. Each
    attribute is judged as written and with its character references decoded. Anything
    else, or any finding, goes to the full parse, so findings are always html5lib's.
    `one_line_tags`: also refuse tags written over several lines, and every comment (the
    text is Markdown, which reads comments its own way: see screening.py)."""
    if one_line_tags and "<!" in text or "<?" in text:
        return False
    tags = list((_SIMPLE_TAG if one_line_tags else _SIMPLE_TAG_OR_COMMENT).finditer(text))
    if len(tags) != text.count("<"):  # a match holds one `<`: so every `<` opens one
        return False
    return all(tag_match.group().startswith("<!--")
               or _tag_plainly_allowed(tag_match.group(), forms, one_line_tags)
               for tag_match in tags)


@functools.lru_cache(maxsize=4096)
def _tag_plainly_allowed(written: str, forms: bool, one_line_tags: bool) -> bool:
    """One tag matched by `_SIMPLE_TAG`; cached, as pasted tables repeat the same tags."""
    if one_line_tags and "\n" in written:
        return False
    tag_match = _SIMPLE_TAG.fullmatch(written)
    if tag_match is None:
        return False
    tag = tag_match.group(1).lower()
    if tag not in ELEMENTS and not (forms and tag in FORM_ELEMENTS):
        return False
    for attribute in _SIMPLE_ATTRIBUTE_RE.finditer(tag_match.group(2)):
        name = attribute.group(1).lower()
        value = attribute.group(2) or attribute.group(3) or attribute.group(4) or ""
        if any(_judge_attribute(tag, True, name, text, forms) is not None
               for text in (value, html.unescape(value))):
            return False
    return True


def find_in_html(text: str, forms: bool = False) -> list[Finding]:
    """Everything outside the allowlist in an HTML fragment, as a browser would parse it.
    `forms`: also allow form controls, as the site's own pages (docs/) use them."""
    if "<" not in text or plainly_allowed(text, forms):
        return []  # nothing but text and plainly allowed tags
    return judge_tree(parse(text), forms)


_SCRIPT_TAG = re.compile("<(?:" + "|".join(sorted(SCRIPT_ELEMENTS)) + ")")
# Where the tokenizer starts an attribute name: after white space, `/` or a closing quote.
_EVENT_ATTRIBUTE = re.compile("[\t\n\x0c\r /\"']on")


def _spread(marker: str) -> str:
    """An expression matching `marker` with ignored characters anywhere between its
    characters: in a text it finds exactly the markers that dropping the ignored characters
    would bring together (no character of a marker is itself ignored)."""
    return (_IGNORED_CHARACTER + "*").join(re.escape(character) for character in marker)


def _anchor(marker: str) -> str:
    return ":" if ":" in marker else "(" if "(" in marker else ""


# The script URLs and style markers, grouped by a character each marker of the group holds
# (`:`, `(`, or none): a text without it holds none of them, which `in` finds far faster
# than a pattern does. `(?:java|vb)script:` is among the style markers.
_SCRIPT_MARKERS = tuple(sorted({*_STYLE_SCRIPT, "javascript:", "vbscript:"}))


@functools.cache
def _spread_markers() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Compiled on first use: 5 ms on every command's start, which most texts never need."""
    return tuple(
        (anchor, re.compile("|".join(_spread(marker) for marker in _SCRIPT_MARKERS
                                      if _anchor(marker) == anchor)))
        for anchor in sorted({_anchor(marker) for marker in _SCRIPT_MARKERS})
    )


def _may_hold_script_marker(reading: str) -> bool:
    """Whether `reading` holds a CSS escape or comment (resolved only by the full parse), or
    a script URL or style marker once the ignored characters are dropped."""
    return "\\" in reading or "/*" in reading or any(
        anchor in reading and pattern.search(reading) is not None
        for anchor, pattern in _spread_markers())


def _may_hold_script(text: str) -> bool:
    """False only when html5lib's tree of `text` certainly holds no finding of kind SCRIPT.

    Sound because each such finding leaves a trace in the text: an element's name is the
    characters after its `<`, lowercased (never decoded from references); an attribute's
    name starts after white space, `/` or a quote; and an attribute's value is its text with
    some character references decoded, so a script URL or style marker in it is in the text
    once every reference is decoded (html.unescape decodes at least those html5lib does, and
    case-sensitively, as `&Tab;` must be) or as written, ignored characters dropped; CSS
    escapes and comments, which `_css_text` resolves, are sent to the full parse.

    Every page of a build passes here, so the markers are looked for without dropping the
    ignored characters (a copy of the page): `_spread` matches them with those characters
    between their letters, which finds the same markers."""
    lowered = text.lower()
    if _SCRIPT_TAG.search(lowered) or _EVENT_ATTRIBUTE.search(lowered) or "srcdoc" in lowered:
        return True
    if _may_hold_script_marker(lowered):
        return True
    return "&" in text and _may_hold_script_marker(html.unescape(text).lower())


def find_live_script(text: str) -> list[Finding]:
    """The findings of kind SCRIPT only: what the build's last check of each rendered page
    refuses (the pages gongkai generates hold forms and SVG charts, but never script)."""
    if "<" not in text or not _may_hold_script(text):
        return []
    return [finding for finding in judge_tree(parse(text), forms=True)
            if finding.kind is Kind.SCRIPT]
