"""One page of the 信息公开目录 or of a category or year listing: all generated markup."""

from __future__ import annotations

from collections.abc import Sequence

from ..config import DisclosureConfig
from ..feeds import Feed
from ..head import column_meta
from ..listings import Listing, ListingPage, render_listing_page
from .base import GeneratedPage, PageLinks


class CataloguePage(GeneratedPage):
    def __init__(self, listing_page: ListingPage, listings: Sequence[Listing],
                 config: DisclosureConfig, feed: Feed | None) -> None:
        super().__init__(listing_page.uri, listing_page.title)
        self.meta_tags = column_meta(listing_page.listing)
        self.feed = feed
        self._listing_page = listing_page
        self._listings = listings
        self._config = config

    def html(self, converted: str, links: PageLinks) -> str:
        """`converted` (of no Markdown) is empty."""
        return render_listing_page(self._listing_page, self._listings, self._config, links.href)
