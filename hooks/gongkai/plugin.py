"""The MkDocs side of gongkai: turns the corpus into generated pages, nav and logs.

This is the only module that imports MkDocs. The hook file `hooks/gongkai_hooks.py` forwards
each event here; one `DisclosureSite` is made per build, so `mkdocs serve` rebuilds start clean.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html import escape
from pathlib import Path

from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url
from mkdocs.utils.meta import get_data

from .active_content import find_in_html
from .annual_data import AnnualData, load_all_annual_data
from .annual_report import page_uri, report_list_markdown, report_title, site_years
from .annual_report import render as render_annual_report
from .config import (
    ConfigError,
    DisclosureConfig,
    build_day,
    config_from_mapping,
    folders_inside_docs,
)
from .corpus import Corpus, load_corpus
from .entry import Entry
from .excerpt import description
from .feeds import Feed, plan_feeds, rss_xml
from .head import (
    MetaTags,
    article_meta,
    column_meta,
    feed_link_html,
    footer_html,
    meta_html,
    site_meta,
)
from .listings import (
    CATALOGUE_URI,
    ENTRY_URI_PREFIX,
    Listing,
    ListingPage,
    entry_uri,
    paginate,
    plan_listings,
    render_latest,
    render_listing_page,
)
from .opendata import CSV_URI, JSON_URI, catalogue_csv, catalogue_json, records
from .opendata import PAGE_TITLE as DATA_PAGE_TITLE
from .opendata import PAGE_URI as DATA_PAGE_URI
from .opendata import page_markdown as data_page_markdown
from .pages import render_entry_page, search_page_parts
from .problems import Problem
from .relations import Relation, related_html, relations_by_path
from .report import PAGE_TITLE, PAGE_URI, generated_timestamp, stats_page, write_site_files
from .search import (
    ANNUAL_REPORT_KIND,
    PAGE_KIND,
    SearchIndex,
    SearchIndexError,
    SearchPage,
    markdown_title,
    site_search_page,
)
from .statistics import PeriodStatistics, count_years
from .timing import add_timing_findings

# Under `mkdocs.` so that `mkdocs build --strict` counts these warnings.
log = logging.getLogger("mkdocs.hooks.gongkai")

LATEST_MARKER = "<!-- gongkai:latest -->"
SEARCH_PAGE_URI = "search.md"
"""The search page (docs/search.md): the one hand-written page search does not find."""
ENTRY_TEMPLATE = "entry.html"
REPORTS_MARKER = "<!-- gongkai:annual-reports -->"

Renderer = Callable[[Page, Files], str]
HtmlRenderer = Callable[[Page, Files, str], str]


@dataclass(frozen=True)
class _GeneratedPage:
    title: str
    markdown: Renderer
    """The Markdown MkDocs converts: an entry's body, or a whole generated page."""
    html: HtmlRenderer | None = None
    """Builds the final content around the converted Markdown, once the page's URL (and so
    its relative links) is known. Generated markup goes here rather than through Markdown,
    whose raw-HTML parsing is slow on large tables."""
    meta_tags: MetaTags = ()
    """Government meta tags of this page (ColumnName…, ArticleTitle…), see head.py."""
    feed: Feed | None = None
    """The feed listing the same entries, announced in <head>."""
    entry: Entry | None = None


def _report(problems: list[Problem], corpus: Corpus) -> None:
    for problem in problems:
        log.log(logging.ERROR if problem.is_error else logging.WARNING, str(problem))
    for note in corpus.notes:  # on purpose and with a reason: on record, never a warning
        log.info(str(note))
    if corpus.rejected:
        log.error(
            "%d 个文件有错误，未发布：%s", len(corpus.rejected), "、".join(corpus.rejected)
        )


class DisclosureSite:
    """State of one build: settings, corpus, and the generated pages by source URI."""

    def __init__(self, mkdocs_config: MkDocsConfig):
        try:
            self.config: DisclosureConfig = config_from_mapping(
                mkdocs_config.extra.get("disclosure")
            )
            self.today = build_day()
        except ConfigError as error:
            raise PluginError(f"gongkai 设置有误：\n{error}") from None
        self.project_dir = Path(mkdocs_config.config_file_path).parent
        inside = folders_inside_docs(self.project_dir, Path(mkdocs_config.docs_dir), self.config)
        if inside:
            raise PluginError(f"gongkai 设置有误：\n{ConfigError(inside)}")
        self.search_index = SearchIndex(Path(mkdocs_config.site_dir))
        self._published: list[Entry] = []
        """The entries the public may see on the build day, newest first."""
        self._generated: dict[str, _GeneratedPage] = {}
        self._listings: list[Listing] = []
        # A project without gongkai's theme overrides renders entries with main.html.
        self._entry_template = next(
            (ENTRY_TEMPLATE for folder in mkdocs_config.theme.dirs
             if (Path(folder) / ENTRY_TEMPLATE).is_file()), None)
        self.statistics: list[PeriodStatistics] = []
        self._annual: dict[int, AnnualData] = {}
        """Valid yearly report files by year."""
        self._report_years: list[int] = []
        self.site_name = mkdocs_config.site_name
        site_url = mkdocs_config.site_url
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        """The site's address ending in /, or empty when mkdocs.yml has no site_url."""
        self._relations: dict[str, list[Relation]] = {}
        self._feeds: list[Feed] = []
        self._site_search_count = 0
        """Pages other than entries handed to the search index (栏目, 年报)."""

    def read_entries(self, mkdocs_config: MkDocsConfig) -> None:
        """Read the entries, report their problems, and start indexing the published ones.

        Called from on_config, before MkDocs cleans the site folder and gathers its files,
        so that the search index (search.py) starts as early as it can."""
        corpus = load_corpus(self.project_dir, self.config)
        reminders = add_timing_findings(corpus, self.config, self.today)
        self._annual, annual_problems = load_all_annual_data(
            self.project_dir, self.config.reports_dir
        )
        _report(corpus.problems + annual_problems, corpus)
        for reminder in reminders:  # from time passing, not from a file: never fails a build
            log.info("提醒：%s", reminder)
        if mkdocs_config.strict and corpus.rejected:
            raise PluginError(
                f"有 {len(corpus.rejected)} 个文件未通过检查（见上方 ERROR），构建已停止。"
            )
        self._published = corpus.published(self.today)
        search_pages = []
        for entry in self._published:
            page_file = File(entry_uri(entry), None, mkdocs_config.site_dir,
                             mkdocs_config.use_directory_urls)
            head, tail = search_page_parts(entry, self.config, self.today)
            search_pages.append(SearchPage(page_file.dest_uri, head, entry.body, tail))
        site_pages = self._site_search_pages(mkdocs_config)
        self._site_search_count = len(site_pages)
        search_pages += site_pages
        try:
            self.search_index.start(search_pages, mkdocs_config.markdown_extensions,
                                    mkdocs_config.mdx_configs)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def _site_search_pages(self, mkdocs_config: MkDocsConfig) -> list[SearchPage]:
        """The pages besides the entries that search finds: the hand-written ones (指南, 制度,
        年报…, not the search page itself nor those whose front matter says `search:
        exclude: true`, as with Material's search) and the annual reports."""
        docs = Path(mkdocs_config.docs_dir)
        excluded = mkdocs_config.exclude_docs
        pages = []
        for source in sorted(docs.rglob("*.md")):
            uri = source.relative_to(docs).as_posix()
            if uri == SEARCH_PAGE_URI or (excluded is not None and excluded.match_file(uri)):
                continue
            try:
                markdown, meta = get_data(source.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError):
                continue  # MkDocs reports the file itself when it reads it
            search_meta = meta.get("search")
            if isinstance(search_meta, dict) and search_meta.get("exclude"):
                continue
            title = str(meta.get("title") or markdown_title(markdown) or source.stem)
            page_file = File(uri, str(docs), mkdocs_config.site_dir,
                             mkdocs_config.use_directory_urls)
            pages.append(site_search_page(page_file.dest_uri, title, PAGE_KIND, markdown))
        for year in site_years(list(self._annual), self.today):
            page_file = File(page_uri(year), None, mkdocs_config.site_dir,
                             mkdocs_config.use_directory_urls)
            markdown = render_annual_report(self._published, self._annual[year], self.config,
                                            year, self.today)
            pages.append(site_search_page(page_file.dest_uri, report_title(self.config, year),
                                          ANNUAL_REPORT_KIND, markdown))
        return pages

    def add_files(self, files: Files, mkdocs_config: MkDocsConfig) -> Files:
        """Add one page per published entry, and the listings, feeds and data made from them."""
        published = self._published
        self._relations = relations_by_path(published)
        for entry in published:
            self._add(files, mkdocs_config, entry_uri(entry), _GeneratedPage(
                entry.title,
                partial(_entry_markdown, entry),
                partial(self._render_entry, entry),
                meta_tags=article_meta(entry),
                entry=entry,
            ))
        self._listings = plan_listings(published, self.config)
        self._feeds = plan_feeds(published, self._listings, self.config, self.site_name)
        category_feeds = {feed.key: feed for feed in self._feeds if feed.kind == "category"}
        for listing in self._listings:
            feed = category_feeds.get(listing.key) if listing.kind == "category" else None
            for listing_page in paginate(listing, self.config.page_size):
                self._add(files, mkdocs_config, listing_page.uri, _GeneratedPage(
                    listing_page.title,
                    _no_markdown,
                    partial(self._render_listing, listing_page),
                    meta_tags=column_meta(listing),
                    feed=feed,
                ))
        self._add_statistics(files, mkdocs_config, published)
        self._add_annual_reports(files, mkdocs_config, published)
        self._add_public_files(files, mkdocs_config, published)
        return files

    def _add(self, files: Files, mkdocs_config: MkDocsConfig, uri: str,
             generated: _GeneratedPage) -> None:
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
            log.warning("docs/%s 与自动生成的页面同名，已被自动生成的页面取代", uri)
        # The content is made in on_page_markdown; MkDocs only needs the file to exist.
        file = File.generated(mkdocs_config, uri, content="")
        file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
        self._generated[uri] = generated

    # --- Feeds, open data and robots.txt (issue 6): files made from the entries, which
    # MkDocs copies into the site like any other file (and `mkdocs serve` serves).

    def _add_file(self, files: Files, mkdocs_config: MkDocsConfig, uri: str,
                  content: str | bytes) -> None:
        existing = files.get_file_from_path(uri)
        if existing is not None:
            files.remove(existing)
            log.warning("docs/%s 与自动生成的文件同名，已被自动生成的文件取代", uri)
        files.append(File.generated(mkdocs_config, uri, content=content))

    def _add_public_files(self, files: Files, mkdocs_config: MkDocsConfig,
                          published: list[Entry]) -> None:
        if not self.site_url:
            log.warning("mkdocs.yml 未设置 site_url：订阅源和开放数据中的网址将不完整")

        def path_of(uri: str) -> str:
            """URL of a page relative to the site root (feeds are added before they exist)."""
            file = files.get_file_from_path(uri)
            return file.url if file is not None else uri

        def url_of(uri: str) -> str:
            return self.site_url + path_of(uri)

        description_text = mkdocs_config.site_description or ""
        for feed in self._feeds:
            self._add_file(files, mkdocs_config, feed.uri, rss_xml(feed, description_text, url_of))
        rows = records(published, self.config, self.today,
                       lambda entry: path_of(entry_uri(entry)), self.site_url)
        self._add_file(files, mkdocs_config, JSON_URI,
                       catalogue_json(rows, generated_timestamp(), self.site_url))
        self._add_file(files, mkdocs_config, CSV_URI, catalogue_csv(rows))
        self._add(files, mkdocs_config, DATA_PAGE_URI, _GeneratedPage(
            DATA_PAGE_TITLE, lambda page, files: data_page_markdown(len(rows)),
        ))
        # A robots.txt of the site's own (in docs/) is kept.
        if files.get_file_from_path("robots.txt") is None:
            sitemap = f"Sitemap: {self.site_url}sitemap.xml\n" if self.site_url else ""
            files.append(File.generated(mkdocs_config, "robots.txt",
                                        content=f"User-agent: *\nAllow: /\n{sitemap}"))

    def add_template_globals(self, env: Environment) -> Environment:
        """What the theme override (docs/overrides) writes: <head> tags and the footer."""
        env.globals["gongkai_head"] = self.head_html
        env.globals["gongkai_render_cache"] = {}  # see docs/overrides/entry.html
        env.globals["gongkai_footer"] = footer_html(self.config)
        return env

    def head_html(self, page: Page | None) -> str:
        """Meta tags and feed links for `page` (None: a page without a source, such as 404)."""
        generated = self._generated.get(page.file.src_uri) if page is not None else None
        tags = [*site_meta(self.site_name, self.site_url, self.config),
                *(generated.meta_tags if generated else ())]
        links = []
        if page is not None:
            # The site feed everywhere; a category's own feed on its listing pages too.
            feeds = [self._feeds[0], *([generated.feed] if generated and generated.feed else [])]
            links = [feed_link_html(feed.title, get_relative_url(feed.uri, page.url))
                     for feed in feeds]
        return "\n".join([meta_html(tags), *links])

    # --- Channel statistics (issue 3): counted once here, shown on a page and in two files.

    def _add_statistics(self, files: Files, mkdocs_config: MkDocsConfig,
                        published: list[Entry]) -> None:
        self.statistics = count_years(published, self.config, self.today)
        self._add(files, mkdocs_config, PAGE_URI, _GeneratedPage(
            PAGE_TITLE, lambda page, files: stats_page(self.statistics, self.config, self.today)
        ))

    # --- Annual reports (issue 7): one page per finished year with a file, from annual_report.

    def _add_annual_reports(self, files: Files, mkdocs_config: MkDocsConfig,
                            published: list[Entry]) -> None:
        self._report_years = site_years(list(self._annual), self.today)
        for year in self._report_years:
            self._add(files, mkdocs_config, page_uri(year), _GeneratedPage(
                report_title(self.config, year),
                partial(self._render_annual_report, published, year),
            ))

    def reports_folder(self) -> str | None:
        """The folder of the yearly report files, when there is one to watch."""
        folder = self.project_dir / self.config.reports_dir
        return str(folder) if folder.is_dir() else None

    def write_statistics(self, mkdocs_config: MkDocsConfig) -> None:
        """Write stats/channels.json and stats/channels.csv into the built site."""
        try:
            write_site_files(Path(mkdocs_config.site_dir), self.statistics, self.config,
                             generated_timestamp())
        except OSError as error:
            raise PluginError(f"无法写入统计文件 {error.filename}：{error.strerror}") from None

    def _render_listing(self, listing_page: ListingPage, page: Page, files: Files,
                        converted: str) -> str:
        """A listing's page, all generated markup: `converted` (of no Markdown) is empty."""
        return render_listing_page(listing_page, self._listings, self.config, _href(page, files),
                                   self.today)

    def _render_annual_report(self, published: list[Entry], year: int, page: Page,
                              files: Files) -> str:
        return render_annual_report(published, self._annual[year], self.config, year, self.today)

    def add_category_nav(self, nav: Navigation, files: Files) -> Navigation:
        """Turn the catalogue's nav item into a section holding it and each category listing."""
        catalogue_page = _find_page(nav.items, CATALOGUE_URI)
        if catalogue_page is None:
            return nav
        children: list[StructureItem] = [catalogue_page]
        for listing in self._listings:
            if listing.kind == "category":
                file = files.get_file_from_path(listing.page_uri(1))
                if file is not None and isinstance(file.page, Page):
                    file.page.title = listing.title
                    children.append(file.page)
        section = Section(catalogue_page.title or "", children)
        section.parent = catalogue_page.parent
        siblings = catalogue_page.parent.children if catalogue_page.parent else nav.items
        siblings[siblings.index(catalogue_page)] = section
        for child in children:
            child.parent = section
        return nav

    def page_markdown(self, markdown: str, page: Page, files: Files) -> str:
        """Generated pages get their content now that URLs are known; the home page its list."""
        generated = self._generated.get(page.file.src_uri)
        if generated is not None:
            # The theme writes `page.meta.title` into <title> and the header unescaped.
            page.meta["title"] = escape(generated.title)
            if self._entry_template and page.file.src_uri.startswith(ENTRY_URI_PREFIX):
                page.meta["template"] = self._entry_template
            if generated.entry is not None:
                # The sitemap's <lastmod>, and the description Material writes: escaped, as
                # the theme writes page.meta values as they are.
                page.update_date = generated.entry.date.isoformat()
                page.meta["description"] = escape(description(generated.entry))
            return generated.markdown(page, files)
        if REPORTS_MARKER in markdown:
            markdown = markdown.replace(REPORTS_MARKER, report_list_markdown(
                self._report_years, self.config, lambda uri: _source_link(page, uri)
            ))
        if LATEST_MARKER in markdown:
            latest = self._published[: self.config.latest_count]
            return markdown.replace(LATEST_MARKER, render_latest(latest, _href(page, files)))
        return markdown

    def page_content(self, html: str, page: Page, files: Files) -> str:
        """Generated pages get their final HTML around what Markdown made of their source."""
        generated = self._generated.get(page.file.src_uri)
        if generated is None or generated.html is None:
            return html
        return generated.html(page, files, html)

    def _render_entry(self, entry: Entry, page: Page, files: Files, body_html: str) -> str:
        """Safety net behind the check of each entry's source: whatever Markdown and its
        extensions made of the body, an entry page with active content is never written."""
        found = find_in_html(body_html)
        if found:
            raise PluginError(
                f"{entry.path}: 正文: 生成的网页中含有可执行的活动内容（{found[0].what}），"
                "构建已停止：请删除该内容后重新构建"
            )
        href = _href(page, files)
        related = related_html(self._relations.get(entry.path, []),
                               lambda other: href(entry_uri(other)))
        return render_entry_page(entry, self.config, body_html, self.today, related)

    def finish_search_index(self) -> None:
        """Wait for the index; a failure stops the build with a Chinese message."""
        try:
            pages = self.search_index.finish()
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        others = self._site_search_count if pages >= 0 else 0
        log.info("站内搜索索引：已收录 %d 条公开信息%s", pages - others,
                 f"，另有 {others} 个栏目页面和年度报告" if others else "")

    def abandon_search_index(self) -> None:
        self.search_index.abandon()

    def watch_folder(self) -> str:
        return str(self.project_dir / self.config.source_dir)


def _source_link(page: Page, uri: str) -> str:
    """A Markdown link target from `page` to the source file `uri` (MkDocs resolves it)."""
    return get_relative_url(uri, page.file.src_uri)


def _no_markdown(page: Page, files: Files) -> str:
    return ""


def _entry_markdown(entry: Entry, page: Page, files: Files) -> str:
    return entry.body


def _href(page: Page, files: Files) -> Callable[[str], str]:
    def href(uri: str) -> str:
        target = files.get_file_from_path(uri)
        if target is None:
            raise PluginError(f"内部错误：找不到生成的页面 {uri}")
        return get_relative_url(target.url, page.url) or "./"
    return href


def _find_page(items: list, uri: str) -> Page | None:
    for item in items:
        if isinstance(item, Page) and item.file.src_uri == uri:
            return item
        if isinstance(item, Section):
            found = _find_page(item.children, uri)
            if found is not None:
                return found
    return None
