"""The 信息公开目录 and its listings by category and by year, paginated, as HTML.

Pages are planned here from the published entries; links are made by a function the caller
passes in (`href`: page URI → URL relative to the page being written), so this module knows
nothing about the generator and the site works under any sub-path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from .config import DisclosureConfig
from .entry import VALIDITY_VALUES, Entry
from .urls import (
    CATALOGUE_FOLDER,
    CATALOGUE_URI,
    category_folder,
    entry_uri,
    listing_page_uri,
    year_folder,
)

CATALOGUE_TITLE = "信息公开目录"

Href = Callable[[str], str]


@dataclass(frozen=True)
class Listing:
    """One listing (the whole catalogue, a category or a year) and its published entries."""

    kind: str
    """`catalogue`, `category` or `year`."""
    key: str
    title: str
    base: str
    """URI folder of the listing (urls.py names it and its pages)."""
    entries: Sequence[Entry]

    def page_uri(self, number: int) -> str:
        return listing_page_uri(self.base, number)


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing."""

    listing: Listing
    number: int
    count: int
    entries: Sequence[Entry]

    @property
    def uri(self) -> str:
        return self.listing.page_uri(self.number)

    @property
    def title(self) -> str:
        suffix = f"（第 {self.number} 页）" if self.number > 1 else ""
        return f"{self.listing.title}{suffix}"


def plan_listings(published: Sequence[Entry], config: DisclosureConfig) -> list[Listing]:
    """The catalogue, one listing per configured category (empty ones too) and per year."""
    listings = [Listing("catalogue", "", CATALOGUE_TITLE, CATALOGUE_FOLDER, published)]
    for category in config.categories:
        listings.append(Listing(
            "category", category, category, category_folder(category),
            [entry for entry in published if entry.category == category],
        ))
    for year in sorted({entry.year for entry in published}, reverse=True):
        listings.append(Listing(
            "year", str(year), f"{year}年", year_folder(year),
            [entry for entry in published if entry.year == year],
        ))
    return listings


def paginate(listing: Listing, page_size: int) -> list[ListingPage]:
    """A listing cut into pages of `page_size` entries; an empty listing still has one page."""
    count = max(1, -(-len(listing.entries) // page_size))
    return [
        ListingPage(listing, number, count,
                    listing.entries[(number - 1) * page_size: number * page_size])
        for number in range(1, count + 1)
    ]


LISTING_COLUMNS = (("标题", "gk-entry-title"), ("索引号", "gk-col-index"),
                   ("发布日期", "gk-col-date"))
"""What each listing row shows: a citizen finds an item by its title and date; staff and
inspectors look for its 索引号. The rest of the metadata is on the entry's own page, so the
row fits a phone without scrolling sideways (gongkai.css stacks it as a card there)."""


def _entry_table(entries: Sequence[Entry], href: Href) -> str:
    if not entries:
        return '<p class="gk-empty">本栏目暂无公开信息。</p>'
    headings = "".join(
        f'<th scope="col" class="{css}">{label}</th>' for label, css in LISTING_COLUMNS
    )
    rows = []
    for entry in entries:
        link = f'<a href="{escape(href(entry_uri(entry)))}">{escape(entry.title)}</a>'
        date = entry.date.isoformat()
        rows.append(
            f'<tr><td class="gk-entry-title">{link}</td>'
            f'<td class="gk-col-index" data-label="索引号">{escape(entry.index_no or "—")}</td>'
            f'<td class="gk-col-date" data-label="发布日期"><time datetime="{date}">{date}</time>'
            "</td></tr>"
        )
    return (
        '<table class="gk-listing">'
        f"<thead><tr>{headings}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _pagination(page: ListingPage, href: Href) -> str:
    if page.count == 1:
        return ""
    links = []
    if page.number > 1:
        links.append(f'<a href="{escape(href(page.listing.page_uri(page.number - 1)))}" '
                     'rel="prev">上一页</a>')
    shown = sorted({1, page.count, *range(max(1, page.number - 2),
                                          min(page.count, page.number + 2) + 1)})
    previous = 0
    for number in shown:
        if number - previous > 1:
            links.append('<span class="gk-gap">…</span>')
        if number == page.number:
            links.append(f'<span aria-current="page">{number}</span>')
        else:
            links.append(f'<a href="{escape(href(page.listing.page_uri(number)))}">{number}</a>')
        previous = number
    if page.number < page.count:
        links.append(f'<a href="{escape(href(page.listing.page_uri(page.number + 1)))}" '
                     'rel="next">下一页</a>')
    return (
        f'<nav class="gk-pagination" aria-label="分页">'
        f'<span>共 {len(page.listing.entries)} 条，第 {page.number} / {page.count} 页</span> '
        f"{' '.join(links)}</nav>"
    )


def _facet_links(listings: Sequence[Listing], kind: str, label: str, href: Href) -> str:
    items = "".join(
        f'<li><a href="{escape(href(listing.page_uri(1)))}">{escape(listing.title)}</a>'
        f" <span class=\"gk-count\">（{len(listing.entries)}）</span></li>"
        for listing in listings if listing.kind == kind
    )
    return f'<nav class="gk-facets" aria-label="{label}"><h2>{label}</h2><ul>{items}</ul></nav>'


def _checkboxes(name: str, label: str, values: Sequence[str]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="{name}" value="{escape(value)}"> {escape(value)}'
        f' <span class="gk-count" data-value="{escape(value)}"></span></label>'
        for value in values
    )
    return f'<fieldset data-gk-facet="{name}"><legend>{label}</legend>{boxes}</fieldset>'


def _select(name: str, label: str, values: Sequence[str]) -> str:
    options = "".join(
        f'<option value="{escape(value)}" data-label="{escape(value)}">{escape(value)}</option>'
        for value in values
    )
    return (
        f'<fieldset data-gk-facet="{name}" data-gk-single><legend>{label}</legend>'
        f'<select name="{name}" aria-label="{label}"><option value="">全部</option>{options}'
        "</select></fieldset>"
    )


def _finder(entries: Sequence[Entry], config: DisclosureConfig) -> str:
    """The catalogue's search-and-filter form, shown by gk-catalogue.js once the index loads.

    The facet names are the search index's facets of the entry pages (`pages.search_document`) and
    the URL's query parameters. Values are listed here in the configured order, so the script
    only has to fill in the counts; without JavaScript the form stays hidden.
    """
    years = sorted({str(entry.year) for entry in entries}, reverse=True)
    publishers = sorted({entry.publisher for entry in entries})
    facets = "".join([
        _checkboxes("category", "公开类别", config.categories),
        _select("year", "年份", years),
        _checkboxes("channel", "公开渠道", list(config.channels.values())),
        _select("publisher", "发布机构", publishers),
        _checkboxes("validity", "有效性", VALIDITY_VALUES),
    ])
    return (
        f'<div id="gk-finder" class="gk-finder" data-page-size="{config.page_size}" hidden>'
        '<a class="gk-skip-link" href="#gk-finder-results-start">跳到搜索结果</a>'
        '<form id="gk-finder-form" role="search" action="./" method="get">'
        '<p class="gk-finder__query"><label for="gk-finder-q">关键词</label> '
        '<input id="gk-finder-q" name="q" type="search" autocomplete="off" '
        'placeholder="标题、正文、索引号或文号"> '
        '<button type="button" id="gk-finder-reset" class="md-button">清除条件</button></p>'
        '<div class="gk-finder__layout">'
        '<details id="gk-finder-panel" class="gk-finder__panel"><summary>筛选</summary>'
        f'<div class="gk-finder__facets">{facets}</div>'
        '<button type="button" id="gk-finder-show" class="gk-finder__show md-button">'
        "查看结果</button></details>"
        '<div class="gk-finder__results" id="gk-finder-results-start" tabindex="-1">'
        '<div class="gk-finder__bar">'
        '<p id="gk-finder-status" class="gk-status" aria-live="polite"></p>'
        '<p class="gk-finder__sort"><label for="gk-finder-sort">排序</label> '
        '<select id="gk-finder-sort" name="sort"><option value="">最新在前</option>'
        '<option value="oldest">最早在前</option></select></p></div>'
        '<ul id="gk-finder-chips" class="gk-finder__chips" aria-label="已选条件"></ul>'
        '<table class="gk-listing gk-finder__table"><thead><tr>'
        '<th scope="col" class="gk-entry-title">标题</th><th scope="col">公开类别</th>'
        '<th scope="col" class="gk-col-date">发布日期</th>'
        '</tr></thead><tbody id="gk-finder-results"></tbody></table>'
        '<button id="gk-finder-more" type="button" class="md-button" hidden>加载更多</button>'
        "</div></div></form></div>"
    )


def render_listing_page(
    page: ListingPage, listings: Sequence[Listing], config: DisclosureConfig, href: Href,
) -> str:
    """The page's HTML: heading, (on the catalogue's first page) the facets, table, pages.

    The catalogue's first page also holds the filter form; its script replaces the static
    part (`#gk-static-listing`) only once the search index has loaded.
    """
    parts = [f"<h1>{escape(page.title)}</h1>"]
    static = []
    if page.listing.kind == "catalogue" and page.number == 1:
        parts.append(_finder(page.listing.entries, config))
        static.append(_facet_links(listings, "category", "按公开类别", href))
        static.append(_facet_links(listings, "year", "按年份", href))
    elif page.listing.kind != "catalogue":
        static.append(f'<p><a href="{escape(href(CATALOGUE_URI))}">返回{CATALOGUE_TITLE}</a></p>')
    static.append(_entry_table(page.entries, href))
    static.append(_pagination(page, href))
    static_html = "\n".join(part for part in static if part)
    parts.append(f'<div id="gk-static-listing">\n{static_html}\n</div>')
    return "\n\n".join(parts) + "\n"


def render_latest(entries: Sequence[Entry], href: Href) -> str:
    """The home page's list of the newest entries, with a link to the catalogue."""
    items = "".join(
        f'<li><time datetime="{entry.date.isoformat()}">{entry.date.isoformat()}</time> '
        f'<a href="{escape(href(entry_uri(entry)))}">{escape(entry.title)}</a> '
        f'<span class="gk-category">{escape(entry.category)}</span></li>'
        for entry in entries
    )
    listing = f'<ul class="gk-latest">{items}</ul>' if entries else "<p>暂无公开信息。</p>"
    more = f'<p><a href="{escape(href(CATALOGUE_URI))}">查看全部（{CATALOGUE_TITLE}）</a></p>'
    return f"{listing}\n\n{more}\n"
