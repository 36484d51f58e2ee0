"""Relative links and images in entry bodies: each must lead somewhere the site publishes.

A body is published as the page `disclosures/<slug>.md` (listings.entry_uri), so its relative
links are resolved from there, as MkDocs resolves them: to one of the entry's own attachments
(published beside its page), to another entry, or to a page or file of the site (`docs/` and
the pages gongkai generates). Anything else would be a broken link on the public site, and
MkDocs' own warning about it is in English and names no line: here it is an error in
`gongkai check` and the build alike, in Chinese, with the line and the target.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from .config import DisclosureConfig
from .entry import Entry
from .problems import Problem
from .urls import ENTRY_URI_PREFIX, GENERATED_FOLDERS, attachment_source_uri, entry_uri

FIELD = "正文"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}).*?^ {0,3}\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1", re.DOTALL)
_INLINE_LINK = re.compile(r"\]\(\s*(<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)")
_REFERENCE = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*(<[^>\n]*>|\S+)", re.MULTILINE)
_EXTERNAL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")


def _blank(match: re.Match[str]) -> str:
    """The match replaced by as many blank lines, so offsets after it keep their lines."""
    return "\n" * match.group().count("\n")


Links = tuple[tuple[int, str], ...]
"""(line offset in the body, target) of each link of a body, as `body_links` finds them."""


def links_in(body: str, present: frozenset[str] | None = None) -> Links:
    """The links of a body: what the checks across files need of it, kept by the commands
    instead of the body itself (corpus.py). `present`: the body's characters of `[]` and
    others, when known (screening.py `BodyMarks`)."""
    if ("]" not in present) if present is not None else (
            "](" not in body and "]:" not in body):
        return ()
    return tuple(body_links(body))


def body_links(body: str) -> Iterator[tuple[int, str]]:
    """(line offset in the body, target) of each Markdown link and image, code left out."""
    text = _CODE_SPAN.sub(_blank, _FENCE.sub(_blank, body))
    for pattern in (_INLINE_LINK, _REFERENCE):
        for match in pattern.finditer(text):
            target = match.group(1).strip("<>").strip()
            yield text.count("\n", 0, match.start(1)), target


def site_files(docs_dir: Path) -> frozenset[str]:
    """Every file of `docs_dir`, as a path relative to it with forward slashes."""
    found: list[str] = []
    for folder, _, names in os.walk(docs_dir):
        relative = os.path.relpath(folder, docs_dir)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.extend(prefix + name for name in names)
    return frozenset(found)


def _candidates(uri: str) -> list[str]:
    """The files a link may mean: itself, or for a link without a suffix (a page's URL), its
    Markdown source."""
    if posixpath.splitext(uri)[1]:
        return [uri]
    base = uri.rstrip("/")
    return [base + ".md", base + "/index.md"] if base else ["index.md"]


class LinkChecker:
    """Resolves the body links of one corpus' entries."""

    def __init__(self, project_dir: Path, config: DisclosureConfig, docs_dir: Path):
        self._project_dir = project_dir
        self._source = posixpath.normpath(config.source_dir) + "/"
        self._docs_dir = docs_dir
        self._site: frozenset[str] | None = None

    def _site_page(self, uri: str) -> bool:
        if self._site is None:  # walked only when a body has a relative link
            self._site = site_files(self._docs_dir)
        return uri in self._site or uri.startswith(GENERATED_FOLDERS)

    def attachment_uri(self, file: str) -> str:
        """Where the site has an attachment's source: the entries' own folder."""
        return attachment_source_uri(file, self._source)

    def problems(self, entry: Entry, entries: dict[str, Entry], links: Links | None = None
                 ) -> list[Problem]:
        """The broken links of `entry`; `entries` are the valid entries by page URI; `links`
        those of its body (`links_in`), found in the body when not given."""
        if links is None:
            links = links_in(entry.body)
        if not links:
            return []
        own = {self.attachment_uri(attachment.file) for attachment in entry.attachments}
        page = entry_uri(entry)
        found = []
        for offset, target in links:
            message = self._message(entry, page, target, own, entries)
            if message:
                found.append(Problem(entry.path, entry.body_line + offset, FIELD, message))
        return found

    def _message(self, entry: Entry, page: str, target: str, own: set[str],
                 entries: dict[str, Entry]) -> str | None:
        path = unquote(target.split("#", 1)[0].split("?", 1)[0])
        if not path or _EXTERNAL.match(target) or path.startswith("/"):
            return None  # an anchor on the page itself, another site, or a site-root path
        uri = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        if uri.startswith("../") or uri == "..":
            return f"链接「{target}」指向网站之外，网站上无法打开：请核对路径"
        for candidate in _candidates(uri):
            if candidate in own:
                return None
            other = entries.get(candidate)
            if other is not None:
                return _entry_link_problem(entry, other, target)
            if self._site_page(candidate):
                return None
        source_file = self._source + uri.removeprefix(ENTRY_URI_PREFIX)
        exists = uri.startswith(ENTRY_URI_PREFIX) and (self._project_dir / source_file).is_file()
        if exists and uri.endswith(".md"):
            return f"链接的信息「{target}」有错误未发布（见该文件的错误），链接将打不开"
        if exists:
            return (f"链接的文件「{target}」没有列在 attachments 中，不会发布，链接将打不开："
                    f"请在 attachments 中列出它（attachments: [{posixpath.basename(uri)}]）")
        return (f"链接「{target}」的目标不存在，网站上将打不开：请核对文件名；附件要在 attachments 中"
                "列出，链接其他信息请写它的 .md 文件名")


def _entry_link_problem(entry: Entry, other: Entry, target: str) -> str | None:
    """A link to another entry must work whenever `entry` is public."""
    if other is entry:
        return None
    if other.draft and not entry.draft:
        return f"链接的「{other.title}」（{target}）是草稿，不会公开，链接将打不开"
    if other.date > entry.date:
        return (f"链接的「{other.title}」（{target}）发布日期 {other.date} 晚于本文的 {entry.date}，"
                "本文发布时它还不存在：请在后发布的那条信息中链接本文")
    return None
