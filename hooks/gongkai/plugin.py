"""The MkDocs side of gongkai: turns the corpus into generated pages, nav and logs.

This is the only module that imports MkDocs. The hook file `hooks/gongkai_hooks.py` forwards
each event here; one `DisclosureSite` is made per build, so `mkdocs serve` rebuilds start clean.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from .active_content import find_in_html
from .config import ConfigError, DisclosureConfig, build_day, config_from_mapping
from .corpus import Corpus, load_corpus
from .entry import Entry
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
from .pages import render_entry_page
from .problems import Problem
from .report import PAGE_TITLE, PAGE_URI, generated_timestamp, stats_page, write_site_files
from .search import SearchIndexError, index_site
from .statistics import PeriodStatistics, count_years

# Under `mkdocs.` so that `mkdocs build --strict` counts these warnings.
log = logging.getLogger("mkdocs.hooks.gongkai")

LATEST_MARKER = "<!-- gongkai:latest -->"

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
        self.corpus: Corpus | None = None
        self._generated: dict[str, _GeneratedPage] = {}
        self._listings: list[Listing] = []
        self.statistics: list[PeriodStatistics] = []

    def add_files(self, files: Files, mkdocs_config: MkDocsConfig) -> Files:
        """Read the entries, report their problems, and add one page per published entry."""
        self.corpus = load_corpus(self.project_dir, self.config)
        _report(self.corpus.problems, self.corpus)
        if mkdocs_config.strict and self.corpus.rejected:
            raise PluginError(
                f"有 {len(self.corpus.rejected)} 个文件未通过检查（见上方 ERROR），构建已停止。"
            )
        published = self.corpus.published(self.today)
        for entry in published:
            self._add(files, mkdocs_config, entry_uri(entry), _GeneratedPage(
                entry.title,
                lambda page, files, entry=entry: entry.body,
                lambda page, files, html, entry=entry: self._render_entry(entry, page, html),
            ))
        self._listings = plan_listings(published, self.config)
        for listing in self._listings:
            for listing_page in paginate(listing, self.config.page_size):
                self._add(files, mkdocs_config, listing_page.uri, _GeneratedPage(
                    listing_page.title,
                    _no_markdown,
                    lambda page, files, html, lp=listing_page: self._render_listing(lp, page, files),
                ))
        self._add_statistics(files, mkdocs_config, published)
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

    # --- Channel statistics (issue 3): counted once here, shown on a page and in two files.

    def _add_statistics(self, files: Files, mkdocs_config: MkDocsConfig,
                        published: list[Entry]) -> None:
        self.statistics = count_years(published, self.config, self.today)
        self._add(files, mkdocs_config, PAGE_URI, _GeneratedPage(
            PAGE_TITLE, lambda page, files: stats_page(self.statistics, self.config, self.today)
        ))

    def write_statistics(self, mkdocs_config: MkDocsConfig) -> None:
        """Write stats/channels.json and stats/channels.csv into the built site."""
        try:
            write_site_files(Path(mkdocs_config.site_dir), self.statistics, self.config,
                             generated_timestamp())
        except OSError as error:
            raise PluginError(f"无法写入统计文件 {error.filename}：{error.strerror}") from None

    def _render_listing(self, listing_page: ListingPage, page: Page, files: Files) -> str:
        return render_listing_page(listing_page, self._listings, self.config, _href(page, files))

    def add_category_nav(self, nav: Navigation, files: Files) -> Navigation:
        """Turn the catalogue's nav item into a section holding it and each category listing."""
        catalogue_page = _find_page(nav.items, CATALOGUE_URI)
        if catalogue_page is None:
            return nav
        children: list[Page | Section] = [catalogue_page]
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
            return generated.markdown(page, files)
        if LATEST_MARKER in markdown and self.corpus is not None:
            latest = self.corpus.published(self.today)[: self.config.latest_count]
            return markdown.replace(LATEST_MARKER, render_latest(latest, _href(page, files)))
        return markdown

    def page_content(self, html: str, page: Page, files: Files) -> str:
        """Generated pages get their final HTML around what Markdown made of their source."""
        generated = self._generated.get(page.file.src_uri)
        if generated is None or generated.html is None:
            return html
        return generated.html(page, files, html)

    def _render_entry(self, entry: Entry, page: Page, body_html: str) -> str:
        """Safety net behind the check of each entry's source: whatever Markdown and its
        extensions made of the body, an entry page with active content is never written.
        Only entry pages are marked as what the search index holds."""
        found = find_in_html(body_html)
        if found:
            raise PluginError(
                f"{entry.path}: 正文: 生成的网页中含有可执行的活动内容（{found[0].what}），"
                "构建已停止：请删除该内容后重新构建"
            )
        return render_entry_page(entry, self.config, body_html)

    def build_search_index(self, site_dir: str) -> None:
        """Index the written entry pages with Pagefind; a failure stops the build in Chinese."""
        try:
            report = index_site(Path(site_dir), ENTRY_URI_PREFIX)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None
        log.info("站内搜索索引：已收录 %d 条公开信息", report.pages)

    def watch_folder(self) -> str:
        return str(self.project_dir / self.config.source_dir)


def _no_markdown(page: Page, files: Files) -> str:
    return ""


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
