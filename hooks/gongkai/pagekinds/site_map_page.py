"""The 网站地图: every section and page of the navigation, the year listings, the statistics
page when the navigation leaves it out, and the search page."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..listings import Listing
from ..pages import SITE_MAP_TITLE, MapItem, site_map_html
from ..urls import SEARCH_PAGE_URI, SITE_MAP_URI, STATS_PAGE_URI
from .base import GeneratedPage, PageLinks
from .statistics_page import PAGE_TITLE as STATS_TITLE

NavItems = Callable[[Callable[[str], str]], list[MapItem]]
"""The navigation's items as map items, with links made by the given `href`."""


class SiteMapPage(GeneratedPage):
    def __init__(self, listings: Sequence[Listing], nav_items: NavItems,
                 in_nav: Callable[[str], bool]) -> None:
        super().__init__(SITE_MAP_URI, SITE_MAP_TITLE)
        self._listings = listings
        self._nav_items = nav_items
        self._in_nav = in_nav

    def html(self, converted: str, links: PageLinks) -> str:
        href = links.href
        items = self._nav_items(href)
        years = [listing for listing in self._listings if listing.kind == "year"]
        if years:
            items.append(MapItem("按年份浏览", None, [
                MapItem(listing.title, href(listing.page_uri(1))) for listing in years]))
        if not self._in_nav(STATS_PAGE_URI):
            items.append(MapItem(STATS_TITLE, href(STATS_PAGE_URI)))
        if links.exists(SEARCH_PAGE_URI):
            items.append(MapItem("站内搜索", href(SEARCH_PAGE_URI)))
        return site_map_html(items)
