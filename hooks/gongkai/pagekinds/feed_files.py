"""The RSS feeds: the whole site, each category and each channel (files only, no page)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..feeds import Feed, rss_xml
from .base import SiteFiles


class FeedFiles:
    def __init__(self, feeds: Sequence[Feed], description: str,
                 url_of: Callable[[str], str]) -> None:
        self._feeds = feeds
        self._description = description
        self._url_of = url_of
        """Absolute URL of a page's source URI: readers need absolute links."""

    def files(self) -> SiteFiles:
        return {feed.uri: rss_xml(feed, self._description, self._url_of) for feed in self._feeds}
