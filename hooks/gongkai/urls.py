"""Every path gongkai writes into a site, in one place.

Pages are named by their MkDocs source URI (`catalogue/index.md`): MkDocs makes the page's
URL (`catalogue/`) and file (`catalogue/index.html`) from it, following `use_directory_urls`,
and every link to a page is made from its File, so the site works under any sub-path. Other
files (feeds, data, statistics) are named by their path in the site. Templates get their
links from `template_links`, through the plugin, rather than writing paths of their own.

No module but this one spells a generated path; tests/test_urls.py walks `site_paths` of a
built site against the files the build wrote.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping

from .entry import Entry

HOME_URI = "index.md"

# --- Entries and their attachments -------------------------------------------------------------

ENTRY_URI_PREFIX = "disclosures/"
"""Folder of the entries' pages, and of their attachments' copies beside them."""


def entry_uri(entry: Entry) -> str:
    """Source URI of the entry's generated page; its URL follows from its file's path."""
    return f"{ENTRY_URI_PREFIX}{entry.slug}.md"


def attachment_source_uri(file: str, source_dir: str) -> str:
    """The source URI of an attachment (`file`, relative to the project): where the entries'
    relative links lead, as their own folder is `ENTRY_URI_PREFIX` on the site."""
    source = posixpath.normpath(source_dir) + "/"
    return ENTRY_URI_PREFIX + file.removeprefix(source)


def attachment_copy_path(entry: Entry, name: str) -> str:
    """Where the published copy of an entry's attachment `name` is written: in a folder named
    after the entry's page, so that a download keeps the attachment's own name."""
    return f"{posixpath.splitext(entry_uri(entry))[0]}/{name}"


# --- Listings (信息公开目录, by category, by year) -----------------------------------------------

CATALOGUE_FOLDER = "catalogue"
CATALOGUE_URI = f"{CATALOGUE_FOLDER}/index.md"


def category_folder(category: str) -> str:
    return f"{CATALOGUE_FOLDER}/category/{category}"


def year_folder(year: int) -> str:
    return f"{CATALOGUE_FOLDER}/year/{year}"


def listing_page_uri(folder: str, number: int) -> str:
    """Source URI of page `number` (from 1) of the listing in `folder`."""
    return f"{folder}/index.md" if number == 1 else f"{folder}/page/{number}.md"


def category_uri(category: str) -> str:
    """Source URI of the first page of a category's listing."""
    return listing_page_uri(category_folder(category), 1)


# --- Feeds -------------------------------------------------------------------------------------

FEEDS_FOLDER = "feeds"
SITE_FEED_PATH = f"{FEEDS_FOLDER}/all.xml"


def category_feed_path(category: str) -> str:
    return f"{FEEDS_FOLDER}/category/{category}.xml"


def channel_feed_path(channel: str) -> str:
    return f"{FEEDS_FOLDER}/channel/{channel}.xml"


# --- Open data (数据开放) -----------------------------------------------------------------------

DATA_FOLDER = "data"
DATA_PAGE_URI = f"{DATA_FOLDER}/index.md"
DATA_JSON_PATH = f"{DATA_FOLDER}/catalogue.json"
DATA_CSV_PATH = f"{DATA_FOLDER}/catalogue.csv"

# --- Channel statistics (公开统计) --------------------------------------------------------------

STATS_FOLDER = "stats"
STATS_PAGE_URI = f"{STATS_FOLDER}/index.md"
STATS_JSON_PATH = f"{STATS_FOLDER}/channels.json"
STATS_CSV_PATH = f"{STATS_FOLDER}/channels.csv"

# --- Annual reports (年度报告) and their figures for the county roll-up ------------------------

ANNUAL_REPORTS_FOLDER = "annual-reports"


def annual_report_uri(year: int) -> str:
    """Source URI of the site's report page of `year` (`annual-reports/2021/`)."""
    return f"{ANNUAL_REPORTS_FOLDER}/{year}/index.md"


def annual_figures_path(year: int) -> str:
    """Where a site publishes the year's figures (`gongkai rollup` reads them there)."""
    return f"{ANNUAL_REPORTS_FOLDER}/{year}.json"


# --- Search, site map and the files for crawlers ----------------------------------------------

SEARCH_PAGE_URI = "search.md"
"""The search page (`search/?q=…`), reached from every page's header, not from the nav."""
SEARCH_INDEX_FOLDER = "search-index"
"""The search index's folder (search.py writes it, not MkDocs). Named here, not there, so
that every module needing an address does not load the index writer."""
SITE_MAP_URI = "sitemap/index.md"
ROBOTS_PATH = "robots.txt"
SITEMAP_XML_PATH = "sitemap.xml"
"""Written by MkDocs itself; robots.txt names it."""

GENERATED_FOLDERS = tuple(f"{folder}/" for folder in (
    CATALOGUE_FOLDER, DATA_FOLDER, STATS_FOLDER, FEEDS_FOLDER, ANNUAL_REPORTS_FOLDER))
"""Where gongkai generates pages and files: an entry's body may link into them."""

TEMPLATE_LINKS = {
    "search": SEARCH_PAGE_URI,
    "site_map": SITE_MAP_URI,
    "open_data": DATA_PAGE_URI,
    "site_feed": SITE_FEED_PATH,
}
"""What the theme's templates link to (header search form, footer), by name."""


def template_links(url_of: Mapping[str, str] | None = None) -> dict[str, str]:
    """`TEMPLATE_LINKS` as URLs relative to the site root; `url_of` maps a source URI to
    its file's URL (MkDocs knows whether `search.md` is `search/` or `search.html`)."""
    known = url_of or {}
    return {name: known.get(uri, uri) for name, uri in TEMPLATE_LINKS.items()}


def link_from(page_uri: str, target: str) -> str:
    """A relative link from the page of source URI `page_uri` to the file or source `target`,
    for pages that are always an `index.md` (so their URL is their folder either way)."""
    return posixpath.relpath(target, posixpath.dirname(page_uri))


def site_paths(
    entries: Iterable[Entry], categories: Iterable[str], years: Iterable[int],
    channels: Iterable[str], report_years: Iterable[int],
) -> list[str]:
    """The first page or the file of everything gongkai generates for a site with these
    entries (on the site), categories, years with entries, channels and report years: what
    a built site must hold. Source URIs of pages end in `.md`."""
    paths = [
        *(entry_uri(entry) for entry in entries),
        CATALOGUE_URI,
        *(category_uri(category) for category in categories),
        *(listing_page_uri(year_folder(year), 1) for year in years),
        SITE_FEED_PATH,
        *(category_feed_path(category) for category in categories),
        *(channel_feed_path(channel) for channel in channels),
        DATA_PAGE_URI, DATA_JSON_PATH, DATA_CSV_PATH,
        STATS_PAGE_URI, STATS_JSON_PATH, STATS_CSV_PATH,
        *(path for year in report_years
          for path in (annual_report_uri(year), annual_figures_path(year))),
        SEARCH_PAGE_URI, SITE_MAP_URI, ROBOTS_PATH,
    ]
    return paths
