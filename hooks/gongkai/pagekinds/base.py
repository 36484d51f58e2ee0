"""What every generated page kind has, and what it is given to render."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..entry import Entry
from ..feeds import Feed
from ..head import MetaTags

SiteFiles = Mapping[str, str | bytes]
"""Files by their path in the site, with their content."""


@dataclass(frozen=True)
class PageLinks:
    """Links from the page being rendered, known once MkDocs has given it its URL."""

    href: Callable[[str], str]
    """A page's source URI → its URL relative to this page (the page must exist)."""
    exists: Callable[[str], bool]
    """Whether the site has a page or file of this source URI."""
    relative: Callable[[str], str]
    """A URL relative to the site root → relative to this page."""


class GeneratedPage:
    """One generated page: its source URI, title, Markdown and final HTML.

    Generated markup goes in `html` rather than through Markdown, whose raw-HTML parsing is
    slow on large tables."""

    meta_tags: MetaTags = ()
    """Government meta tags of this page (ColumnName…, ArticleTitle…), see head.py."""
    feed: Feed | None = None
    """The feed listing the same entries, announced in <head>."""
    entry: Entry | None = None
    """The entry the page shows, for entry pages."""
    description: str = ""
    """What the entry is about in a line (excerpt.description), for entry pages: the head's
    Description tag and the description Material writes, worked out once."""
    template: str | None = None
    """The theme template the page is rendered with, when not the default one."""

    def __init__(self, uri: str, title: str) -> None:
        self.uri = uri
        self.title = title

    def markdown(self) -> str:
        """The Markdown MkDocs converts: an entry's body, or a whole generated page."""
        return ""

    def html(self, converted: str, links: PageLinks) -> str:
        """The page's final content around `converted`, what Markdown made of `markdown()`."""
        return converted

    def files(self) -> SiteFiles:
        """The data files published with the page."""
        return {}
