"""Government-site page conventions: the meta tags in <head>, feed links and the footer.

gov.cn sites label every page for the county and national portals' crawlers (see
GB/T 42147-2022): site-level SiteName/SiteDomain/SiteIDCode, ColumnName/ColumnType on column
pages, ArticleTitle/PubDate/ContentSource/Keywords/Description on article pages. Everything is
returned as escaped HTML; the theme writes it as is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import urlsplit

from .config import DisclosureConfig
from .entry import Entry
from .listings import Listing

MetaTags = Sequence[tuple[str, str]]

COLUMN_TYPES = {"catalogue": "信息公开目录", "category": "公开类别", "year": "年度"}
"""ColumnType of each kind of listing page."""
ICP_REGISTER_URL = "https://beian.miit.gov.cn/"


def site_meta(site_name: str, site_url: str, config: DisclosureConfig) -> MetaTags:
    """Tags of every page; SiteDomain is the host of site_url, SiteIDCode the 网站标识码."""
    return [
        ("SiteName", site_name),
        ("SiteDomain", urlsplit(site_url).netloc),
        ("SiteIDCode", config.site_id_code or ""),
    ]


def column_meta(listing: Listing) -> MetaTags:
    """Tags of a listing page (every page of it)."""
    return [("ColumnName", listing.title), ("ColumnType", COLUMN_TYPES[listing.kind])]


def article_meta(entry: Entry, summary: str) -> MetaTags:
    """Tags of an entry page, `summary` its description (excerpt.description). PubDate wants a
    time; entries have a day, so it is 00:00."""
    return [
        ("ArticleTitle", entry.title),
        ("PubDate", f"{entry.date.isoformat()} 00:00"),
        ("ContentSource", entry.publisher),
        ("Keywords", ",".join(entry.tags) or entry.category),
        ("Description", summary),
    ]


def meta_html(tags: Iterable[tuple[str, str]]) -> str:
    """<meta> elements of the tags that have a value, escaped."""
    return "\n".join(
        f'<meta name="{escape(name)}" content="{escape(content)}">'
        for name, content in tags if content
    )


def feed_link_html(title: str, href: str) -> str:
    """The autodiscovery link of one RSS feed."""
    return (f'<link rel="alternate" type="application/rss+xml" title="{escape(title)}" '
            f'href="{escape(href)}">')


def footer_html(config: DisclosureConfig) -> str:
    """The configured footer lines (主办单位, 联系方式, 网站标识码, 备案号); empty if none."""
    items = [
        ("主办单位", escape(config.sponsor or "")),
        ("联系方式", escape(config.contact or "")),
        ("网站标识码", escape(config.site_id_code or "")),
    ]
    if config.icp_record:
        link = (f'<a href="{ICP_REGISTER_URL}" rel="noopener">'
                f"{escape(config.icp_record)}</a>")
        items.append(("ICP备案号", link))
    items.append(("公安机关备案号", escape(config.police_record or "")))
    shown = "".join(
        f'<li><span class="gk-footer__label">{label}：</span>{value}</li>'
        for label, value in items if value
    )
    return f'<ul class="gk-footer">{shown}</ul>' if shown else ""
