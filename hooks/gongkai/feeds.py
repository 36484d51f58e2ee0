"""RSS 2.0 feeds of the published entries: the whole site, each category and each channel.

Each feed holds the newest FEED_LENGTH entries, newest first. Items link to absolute URLs
(feed readers need them), made from `site_url`. The XML is built with ElementTree, which
escapes every text; characters XML 1.0 cannot hold at all are dropped first.

An item's <description> is plain text written as HTML (escaped once for HTML, then once for
XML): readers render descriptions as HTML, so a body's `<img onerror>` or entity-written
`&lt;script&gt;` must arrive as the words it is, never as markup. Plain text rather than
sanitised HTML in CDATA because the description is already a one-line plain excerpt
(excerpt.py), and text has no markup a reader could misread.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from html import escape
from urllib.parse import quote

from .config import DisclosureConfig
from .entry import CHINA_STANDARD_TIME, Entry
from .excerpt import description
from .listings import Listing
from .urls import CATALOGUE_URI, SITE_FEED_PATH, category_feed_path, channel_feed_path, entry_uri

FEED_LENGTH = 50
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

ET.register_namespace("atom", ATOM_NAMESPACE)


@dataclass(frozen=True)
class Feed:
    """One feed: what it filters, where it is written, and the page it mirrors."""

    kind: str
    """`site`, `category` or `channel`."""
    key: str
    """The category's name or the channel's key; empty for the site feed."""
    uri: str
    """Path of the XML file in the built site."""
    title: str
    page_uri: str
    """Source URI of the page that lists the same entries (the feed's <link>)."""
    entries: Sequence[Entry]
    page_query: str = ""
    """Query string added to the page's URL: channel feeds point at the filtered catalogue."""


def plan_feeds(
    published: Sequence[Entry], listings: Sequence[Listing], config: DisclosureConfig,
    site_name: str,
) -> list[Feed]:
    """The site feed first, then one per category listing, then one per channel."""
    feeds = [Feed("site", "", SITE_FEED_PATH, f"{site_name}：全部公开信息", CATALOGUE_URI,
                  published[:FEED_LENGTH])]
    for listing in listings:
        if listing.kind == "category":
            feeds.append(Feed(
                "category", listing.key, category_feed_path(listing.key),
                f"{site_name}：{listing.title}", listing.page_uri(1),
                listing.entries[:FEED_LENGTH],
            ))
    for key, label in config.channels.items():
        on_channel = [entry for entry in published if key in entry.channels][:FEED_LENGTH]
        feeds.append(Feed("channel", key, channel_feed_path(key),
                          f"{site_name}：经{label}公开的信息", CATALOGUE_URI, on_channel,
                          f"?channel={quote(label)}"))
    return feeds


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _NOT_IN_XML.sub("", text)
    return element


def _rfc822(day: dt.date) -> str:
    """A 发布日期 as RSS wants it: midnight China time (entries have a day, not a time)."""
    return format_datetime(dt.datetime.combine(day, dt.time(), CHINA_STANDARD_TIME))


def rss_xml(feed: Feed, site_description: str, url_of: Callable[[str], str]) -> bytes:
    """The feed as UTF-8 XML; `url_of` turns a source URI into the page's absolute URL."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", feed.title)
    _text(channel, "link", url_of(feed.page_uri) + feed.page_query)
    _text(channel, "description", site_description or feed.title)
    _text(channel, "language", "zh-CN")
    ET.SubElement(channel, f"{{{ATOM_NAMESPACE}}}link",
                  {"href": url_of(feed.uri), "rel": "self", "type": "application/rss+xml"})
    if feed.entries:
        # The newest entry's day rather than the build time, so an unchanged site
        # rebuilds into the same feed.
        _text(channel, "lastBuildDate", _rfc822(feed.entries[0].date))
    for entry in feed.entries:
        item = ET.SubElement(channel, "item")
        link = url_of(entry_uri(entry))
        _text(item, "title", entry.title)
        _text(item, "link", link)
        _text(item, "guid", link, isPermaLink="true")
        _text(item, "pubDate", _rfc822(entry.date))
        _text(item, "category", entry.category)
        _text(item, "description", escape(description(entry), quote=False))
    ET.indent(rss)
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True) + b"\n"

