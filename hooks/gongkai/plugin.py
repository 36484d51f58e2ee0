"""The MkDocs side of gongkai: turns the corpus into generated pages, nav and logs.

This is the only module that imports MkDocs. `GongkaiPlugin` receives MkDocs' events: a
township site names it in mkdocs.yml (`plugins: [gongkai]`, through the package's entry
point), and this repository's hook file `hooks/gongkai_hooks.py` exposes the same events as a
hook. Each event forwards to one `DisclosureSite`, made anew per build so that `mkdocs serve`
rebuilds start clean.
"""

from __future__ import annotations

import gzip
import logging
import os
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import escape
from itertools import chain
from pathlib import Path
from typing import Any

from jinja2 import Environment

# Private, but mkdocs is pinned (pyproject.toml): how MkDocs itself reads and builds a page,
# every plugin event included; the preview and the entry pages' own rendering call them.
from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure import StructureItem
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_timestamp, get_relative_url
from mkdocs.utils.meta import get_data
from mkdocs.utils.templates import TemplateContext

from .active_content import find_live_script
from .annual_data import AnnualData
from .annual_report import render as render_annual_report
from .annual_report import report_title
from .attachments import FORMATS, TEXT_FORMATS, InspectionCache, inspect_file, refusals, suffix_of
from .config import (
    ConfigError,
    DisclosureConfig,
    build_day,
    config_from_mapping,
    folders_inside_docs,
)
from .corpus import Corpus, EntryFiles, newest_first
from .entry import Attachment, Entry
from .entry_bodies import ChangedWhileBuilding, EntryBodies
from .feeds import Feed, plan_feeds
from .frontend import (
    INCOMPATIBLE_FEATURES,
    SCRIPTS,
    STYLESHEETS,
    THEME_DIR,
    search_page_source,
)
from .head import feed_link_html, footer_html, meta_html, site_meta
from .links import LinkChecker, body_links
from .listings import Listing, paginate, plan_listings, render_latest
from .old_site import OldSiteRemoval
from .opendata import records
from .pagekinds import (
    AnnualReportPage,
    CataloguePage,
    EntryContext,
    EntryPage,
    FeedFiles,
    GeneratedPage,
    OpenDataPage,
    PageLinks,
    SiteFiles,
    SiteMapPage,
    StatisticsPage,
)
from .pagekinds.annual_report_page import report_list_markdown, site_years
from .pages import MapItem, search_document
from .pasted import prepare_body
from .preview import PREVIEW_CHILD, PreviewBuilder
from .problems import Problem
from .project import load_project
from .relations import relations_by_path
from .screening import MarkdownSettings, ProjectFiles, TextScreen
from .scrub import published_copy
from .search import (
    ANNUAL_REPORT_KIND,
    PAGE_KIND,
    SearchDocument,
    SearchIndex,
    SearchIndexError,
    markdown_title,
    site_search_document,
)
from .search_worker import plain_paragraphs_html, plain_path_allowed
from .statistics import count_years
from .stats_formats import generated_timestamp
from .two_process import TwoProcessRendering, can_fork, return_freed_memory
from .urls import (
    CATALOGUE_URI,
    ROBOTS_PATH,
    SEARCH_PAGE_URI,
    SITEMAP_XML_PATH,
    TEMPLATE_LINKS,
    attachment_copy_path,
    entry_uri,
    template_links,
)
from .urls import annual_report_uri as page_uri

# Under `mkdocs.` so that `mkdocs build --strict` counts these warnings.
log = logging.getLogger("mkdocs.hooks.gongkai")

LATEST_MARKER = "<!-- gongkai:latest -->"
REPORTS_MARKER = "<!-- gongkai:annual-reports -->"


@dataclass
class _RenderingState:
    """What rendering one page again needs, kept from the build (see render_saved_entries)."""

    config: MkDocsConfig
    files: Files | None = None
    env: Environment | None = None


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
        _install_front_end(mkdocs_config)
        self.search_index = SearchIndex(Path(mkdocs_config.site_dir))
        self._published: list[Entry] = []
        """Every entry public on the build day through any channel, newest first: what the
        statistics and the annual reports count."""
        self._on_site: list[Entry] = []
        """Those of them published through this site's own channel (`site_channel`): the
        only ones any page, listing, search index, feed, sitemap or data file shows."""
        self._generated: dict[str, GeneratedPage] = {}
        """The generated pages by source URI (pagekinds/)."""
        self._listings: list[Listing] = []
        self._annual: dict[int, AnnualData] = {}
        """Valid yearly report files by year."""
        self._report_years: list[int] = []
        self.site_name = mkdocs_config.site_name
        site_url = mkdocs_config.site_url
        self.site_url = site_url.rstrip("/") + "/" if site_url else ""
        """The site's address ending in /, or empty when mkdocs.yml has no site_url."""
        self._entry_context = EntryContext(self.config, self.today, self._attachment_path)
        """What every entry page reads of the build (relations, neighbours, breadcrumb)."""
        self._nav: Navigation | None = None
        self._feeds: list[Feed] = []
        self._index_numbers: dict[str, str] = {}
        """索引号 → path of every valid entry, drafts and scheduled ones included."""
        self._rendering = _RenderingState(mkdocs_config)
        self._screen = TextScreen()
        """Judges texts with this build's Markdown settings (set when the entries are read)."""
        self._saved_files: EntryFiles | None = None
        """The preview's reader of saved entry files, made on the first save."""
        self._docs_dir = Path(mkdocs_config.docs_dir)
        self._attachment_files: dict[str, File] = {}
        """The published copy of each attachment, by the attachment's path in the project."""
        self._site_search_count = 0
        """Pages other than entries handed to the search index (栏目, 年报)."""
        self.renders_entries = False
        """Whether gongkai renders the entry pages itself, on two cores (`mkdocs build`), and
        MkDocs' own loops skip them; `mkdocs serve` and its preview leave them to MkDocs."""
        self._entry_files: list[File] = []
        self._entry_rendering: TwoProcessRendering[File] | None = None
        self.old_site = OldSiteRemoval(Path(mkdocs_config.site_dir))
        """The previous build's output, deleted on the side (`mkdocs build` without --dirty)."""
        self._generated_files_written = False
        self._plain_bodies: bool | None = None
        """Whether entry bodies of plain paragraphs skip Python-Markdown (_entry_markdown)."""
        self._plain_html: dict[str, str] = {}
        """Their HTML, by page source URI, from page_markdown until page_content."""
        self._site_meta_html: str | None = None
        """The meta tags every page has (head_html), made on the first page."""

    def read_entries(self, mkdocs_config: MkDocsConfig) -> None:
        """Read the entries, report their problems, and start indexing the published ones.

        Called from on_config, before MkDocs cleans the site folder and gathers its files,
        so that the search index (search.py) starts as early as it can."""
        # What `gongkai check` reads and finds, with the settings MkDocs loaded for this build.
        # `mkdocs build` judges the files on both cores (forked while this process is still
        # small); `mkdocs serve` reads them here, as it always did.
        project = load_project(self.project_dir, config=self.config,
                               files=_project_files(mkdocs_config), docs_dir=self._docs_dir,
                               today=self.today, parallel=self.renders_entries)
        corpus, self._screen, self._annual = project.corpus, project.screen, project.annual
        _report(project.problems, corpus)
        for reminder in project.reminders:  # from time passing, not a file: never fails a build
            log.info("提醒：%s", reminder)
        if project.site_problems:  # names and pages cannot be left out as an entry can
            raise PluginError(
                "mkdocs.yml 的设置或 docs 中的页面未通过检查（见上方 ERROR），构建已停止。"
            )
        if mkdocs_config.strict and corpus.rejected:
            raise PluginError(
                f"有 {len(corpus.rejected)} 个文件未通过检查（见上方 ERROR），构建已停止。"
            )
        self._published = corpus.published(self.today)
        self._index_numbers = {entry.index_no: entry.path for entry in corpus.entries
                               if entry.index_no}
        self._on_site = corpus.on_site(self.today, self.config.site_channel)
        log.info("%d 条网站发布，%d 条仅线下公开（只计入统计，不在网站上出现）",
                 len(self._on_site), len(self._published) - len(self._on_site))
        site_pages = self._site_search_pages(mkdocs_config)
        self._site_search_count = len(site_pages)
        try:
            self.search_index.start(
                chain(self._entry_search_documents(mkdocs_config, corpus.inspections),
                      site_pages),
                mkdocs_config.markdown_extensions, mkdocs_config.mdx_configs)
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def _entry_search_documents(self, mkdocs_config: MkDocsConfig,
                                inspections: InspectionCache | None
                                ) -> Iterator[SearchDocument]:
        """The entries on the site, newest first (the index numbers its pages in that order),
        one at a time, as the index writes them to its scratch folder."""
        for entry in sorted(self._on_site, key=newest_first):
            page_file = File(entry_uri(entry), None, mkdocs_config.site_dir,
                             mkdocs_config.use_directory_urls)
            yield search_document(entry, self.config, self.today, page_file.url,
                                  prepare_body(entry.body),
                                  _attachment_search_text(entry, inspections))

    def _site_search_pages(self, mkdocs_config: MkDocsConfig) -> list[SearchDocument]:
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
            pages.append(site_search_document(page_file.url, title, PAGE_KIND, markdown))
        for year in site_years(list(self._annual), self.today):
            page_file = File(page_uri(year), None, mkdocs_config.site_dir,
                             mkdocs_config.use_directory_urls)
            markdown = render_annual_report(self._published, self._annual[year], self.config,
                                            year, self.today)
            pages.append(site_search_document(page_file.url, report_title(self.config, year),
                                              ANNUAL_REPORT_KIND, markdown))
        return pages

    def add_files(self, files: Files, mkdocs_config: MkDocsConfig) -> Files:
        """Add one page per entry on the site, and the listings, feeds and data made from them;
        the statistics and annual reports count every published entry."""
        self._rendering.files = files
        published = self._on_site
        self._entry_context.relations = relations_by_path(published)
        self._add_attachments(files, mkdocs_config, published)
        self._screen_site_documents(files, mkdocs_config)
        for entry in published:
            self._add(files, mkdocs_config, EntryPage(entry, self._entry_context))
        self._listings = plan_listings(published, self.config)
        neighbours = self._entry_context.neighbours
        for listing in self._listings:
            if listing.kind == "category":  # newest first: the one after is the older one
                for number, entry in enumerate(listing.entries):
                    newer = listing.entries[number - 1] if number else None
                    older = listing.entries[number + 1] if number + 1 < len(listing.entries) else None
                    neighbours[entry.path] = (older, newer)
        self._feeds = plan_feeds(published, self._listings, self.config, self.site_name)
        category_feeds = {feed.key: feed for feed in self._feeds if feed.kind == "category"}
        for listing in self._listings:
            feed = category_feeds.get(listing.key) if listing.kind == "category" else None
            for listing_page in paginate(listing, self.config.page_size):
                self._add(files, mkdocs_config,
                          CataloguePage(listing_page, self._listings, self.config, feed))
        # The statistics (issue 3) and the annual reports (issue 7) count every published
        # entry; the annual reports are those of the finished years with a file.
        statistics = count_years(self._published, self.config, self.today)
        self._add(files, mkdocs_config,
                  StatisticsPage(statistics, self.config, self.today, generated_timestamp()))
        self._report_years = site_years(list(self._annual), self.today)
        for year in self._report_years:
            self._add(files, mkdocs_config, AnnualReportPage(
                self._published, self._annual[year], self.config, year, self.today,
                self.site_name, self.site_url))
        self._add_public_files(files, mkdocs_config, published)
        # The search page comes with the package; a site's own docs/search.md is kept instead.
        if files.get_file_from_path(SEARCH_PAGE_URI) is None:
            search_page = File.generated(mkdocs_config, SEARCH_PAGE_URI,
                                         content=search_page_source())
            search_page.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(search_page)
        self._add(files, mkdocs_config, SiteMapPage(self._listings, self._nav_map_items,
                                                    self._in_nav))
        badge = self.config.badge_image
        if badge and files.get_file_from_path(badge) is None:
            log.warning("mkdocs.yml: extra.disclosure.badge_image: 找不到 %s/%s：页脚的党政机关标识将无法显示",
                        Path(mkdocs_config.docs_dir).name, badge)
        return files

    def _add(self, files: Files, mkdocs_config: MkDocsConfig, generated: GeneratedPage) -> None:
        """A generated page, whose content is made in on_page_markdown (MkDocs only needs
        the file to exist now), and the data files that go with it."""
        uri = generated.uri
        existing = files.get_file_from_path(uri)
        if existing is not None and generated.entry is not None:
            files.remove(existing)  # an error of the entry's, reported by corpus.py
        elif existing is not None:
            files.remove(existing)
            log.warning("docs/%s 与自动生成的页面同名，已被自动生成的页面取代", uri)
        file = File.generated(mkdocs_config, uri, content="")
        file.inclusion = InclusionLevel.NOT_IN_NAV
        files.append(file)
        self._generated[uri] = generated
        self._add_files(files, mkdocs_config, generated.files())

    # --- Attachments (issue 13): the checked files, published without their metadata.

    def _add_attachments(self, files: Files, mkdocs_config: MkDocsConfig,
                         published: list[Entry]) -> None:
        """Each published entry's attachments, beside its page under their own names. The
        source URI is where the body's relative links lead (MkDocs rewrites them to the copy)."""
        links = LinkChecker(self.project_dir, self.config, self._docs_dir)
        for entry in published:
            for attachment in entry.attachments:
                if attachment.file in self._attachment_files:
                    continue  # one file listed by two entries: published once, beside the first
                try:
                    data = (self.project_dir / attachment.file).read_bytes()
                    content, removed = published_copy(attachment.format, data)
                except Exception as error:  # noqa: BLE001 (a file changed since it was checked)
                    raise PluginError(
                        f"{entry.path}: attachments: 附件「{attachment.name}」无法生成发布副本"
                        f"（{type(error).__name__}）：请重新保存该文件后再构建"
                    ) from None
                if removed:
                    log.info("%s: attachments: 附件「%s」的发布副本已去除元数据：%s",
                             entry.path, attachment.name, "、".join(removed))
                uri = links.attachment_uri(attachment.file)
                existing = files.get_file_from_path(uri)
                if existing is not None:
                    files.remove(existing)
                file = File.generated(mkdocs_config, uri, content=content)
                file.dest_uri = attachment_copy_path(entry, attachment.name)
                files.append(file)
                self._attachment_files[attachment.file] = file

    def _screen_site_documents(self, files: Files, mkdocs_config: MkDocsConfig) -> None:
        """Documents among the hand-written pages (a form the 指南 links to) get what
        attachments get: inspection (a problem is a warning, so --strict stops) and a
        published copy without metadata."""
        for file in list(files):
            format_name = FORMATS.get(suffix_of(file.src_uri))
            if format_name is None or file.generated_by is not None or file.abs_src_path is None:
                continue
            name = f"{Path(mkdocs_config.docs_dir).name}/{file.src_uri}"
            data = file.content_bytes
            summary, _ = inspect_file(format_name, data)
            for message in refusals(summary, self.config):
                log.warning("%s: 文件: %s", name, message)
            if summary.error:
                continue
            content, removed = published_copy(format_name, data)
            if removed:
                log.info("%s: 文件: 发布副本已去除元数据：%s", name, "、".join(removed))
                copy = File.generated(mkdocs_config, file.src_uri, content=content)
                files.remove(file)
                files.append(copy)

    def _attachment_path(self, attachment: Attachment) -> str:
        """URL of an attachment's published copy relative to the site root."""
        return self._attachment_files[attachment.file].url

    # --- Feeds, open data and robots.txt (issue 6): files made from the entries, which
    # MkDocs copies into the site like any other file (and `mkdocs serve` serves).

    def _add_files(self, files: Files, mkdocs_config: MkDocsConfig,
                   contents: SiteFiles) -> None:
        for uri, content in contents.items():
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

        feeds = FeedFiles(self._feeds, mkdocs_config.site_description or "", url_of).files()
        for uri, xml in feeds.items():
            _check_feed(uri, xml)
        self._add_files(files, mkdocs_config, feeds)
        rows = records(published, self.config, self.today,
                       lambda entry: path_of(entry_uri(entry)), self.site_url,
                       self._attachment_path)
        self._add(files, mkdocs_config, OpenDataPage(rows, generated_timestamp(), self.site_url))
        # A robots.txt of the site's own (in docs/) is kept.
        if files.get_file_from_path(ROBOTS_PATH) is None:
            sitemap = f"Sitemap: {self.site_url}{SITEMAP_XML_PATH}\n" if self.site_url else ""
            files.append(File.generated(mkdocs_config, ROBOTS_PATH,
                                        content=f"User-agent: *\nAllow: /\n{sitemap}"))

    def add_template_globals(self, env: Environment, files: Files) -> Environment:
        """What gongkai's theme (frontend.THEME_DIR) writes: <head> tags, the footer and the
        URLs it links to (urls.template_links)."""
        env.globals["gongkai_head"] = self.head_html
        env.globals["gongkai_links"] = template_links(
            {uri: file.url for uri in TEMPLATE_LINKS.values()
             if (file := files.get_file_from_path(uri)) is not None})
        env.globals["gongkai_render_cache"] = {}  # see theme/entry.html
        env.globals["gongkai_footer"] = footer_html(self.config)
        env.globals["gongkai_disclosure"] = self.config
        self._rendering.env = env
        return env

    # --- The entry pages, rendered by gongkai on two cores (two_process.py, `mkdocs build`).

    def set_entry_pages_aside(self, mkdocs_config: MkDocsConfig, files: Files) -> None:
        """Take the entry pages out of MkDocs' own reading and building (an excluded page is
        skipped by both), after giving each its Page and what others read of it before it is
        rendered: the sitemap's <lastmod>."""
        for file in files.documentation_pages():
            generated = self._generated.get(file.src_uri)
            if generated is None or generated.entry is None:
                continue
            page = file.page if isinstance(file.page, Page) else Page(None, file, mkdocs_config)
            page.update_date = generated.entry.date.isoformat()
            file.inclusion = InclusionLevel.EXCLUDED
            self._entry_files.append(file)

    def pages_with_entries(self, files: Files) -> list[File]:
        """The site's pages as MkDocs lists them to templates (`pages`), entries included."""
        entries = {file.src_uri for file in self._entry_files}
        return [file for file in files if file.is_documentation_page()
                and (file.inclusion.is_included() or file.src_uri in entries)]

    def template_context(self, context: TemplateContext) -> TemplateContext:
        """sitemap.xml (and any static template) lists every page, entries included."""
        if self.renders_entries and self._rendering.files is not None:
            context["pages"] = self.pages_with_entries(self._rendering.files)
            if not self._generated_files_written:  # the first static template (sitemap.xml)
                self._generated_files_written = True
                self._let_go_of_generated_files()
                return_freed_memory()
                self._fork_entry_renderer()
        return context

    def prepare_entry_rendering(self, mkdocs_config: MkDocsConfig, files: Files,
                                env: Environment) -> None:
        """How an entry page is rendered, now that MkDocs has read every other page (nav
        titles known) and the template environment is complete."""
        nav = self._nav
        assert nav is not None, "on_nav runs before on_env"
        pages = self.pages_with_entries(files)
        anchors_level = mkdocs_config.validation.links.anchors
        # Nothing but an entry's own page reads its body from here on (entry_bodies.py):
        # the forked renderer does not inherit them, each page reads its own again.
        bodies = EntryBodies(self.project_dir)
        bodies.let_go(self._published)

        def render(file: File) -> None:
            page = file.page
            assert isinstance(page, Page)
            entry = self._generated[file.src_uri].entry
            assert entry is not None
            try:
                bodies.read_again(entry)
            except ChangedWhileBuilding as error:
                raise PluginError(str(error)) from None
            try:
                _populate_page(page, mkdocs_config, files)
                _build_page(page, mkdocs_config, pages, nav, env)
            finally:
                bodies.release(entry)
            page.validate_anchor_links(files=files, log_level=anchors_level)
            page.markdown = page.content = None  # written: only its anchors are read again

        self._entry_rendering = TwoProcessRendering(self._entry_files, render, PluginError)

    def _fork_entry_renderer(self) -> None:
        """Fork the second renderer, which starts on the entries at once: as soon as MkDocs
        has copied the generated files (feeds, data, attachments), so that neither process
        holds them (the build's peak memory is the sum over its processes). Without a static
        template (a theme other than Material's), the parent renders every entry."""
        if self._entry_rendering is not None and can_fork(len(self._entry_files)):
            self._entry_rendering.start(prepare_child=self._prepare_child)

    def _prepare_child(self) -> None:
        """In the forked child: entry pages back (below), and what only the parent writes
        let go, so that the child's memory is returned (bench/README.md, peak memory): the
        other pages' HTML."""
        self._entry_pages_back()
        entries = set(map(id, self._entry_files))
        for file in self._rendering.files or ():
            if file.page is not None and id(file) not in entries:
                file.page.content = file.page.markdown = None

    def _let_go_of_generated_files(self) -> None:
        """Empty the generated files other than pages (feeds, data, attachment copies): MkDocs
        has copied them into the site before it renders any template."""
        for file in self._rendering.files or ():
            if not file.is_documentation_page() and file.generated_by is not None:
                file.content_bytes = b""

    def _entry_pages_back(self) -> None:
        """Once MkDocs' loops are past: entry pages are pages like others again, so that a
        warning in one is a warning (MkDocs lowers those of excluded pages to INFO) and a link
        from one entry to another is an ordinary link."""
        for file in self._entry_files:
            file.inclusion = InclusionLevel.NOT_IN_NAV

    def finish_entry_rendering(self) -> None:
        """Render the entries the child has not claimed (all of them without a child), then
        wait for the child."""
        if self._entry_rendering is None:
            return
        self._entry_pages_back()
        self._entry_rendering.finish()  # kept until done: a failure here kills the child
        self._entry_rendering = None
        if self._rendering.files is not None:
            self._sitemap_gz_dated(self.pages_with_entries(self._rendering.files))

    def _sitemap_gz_dated(self, pages: list[File]) -> None:
        """MkDocs dates sitemap.xml.gz by the newest page it saw, entries left out (they were
        excluded then): gzip it again dated as if they were not, so that it is the same bytes
        as when MkDocs renders entries itself (an entry can be newer than SOURCE_DATE_EPOCH)."""
        site_dir = Path(self._rendering.config.site_dir)
        sitemap, packed = site_dir / SITEMAP_XML_PATH, site_dir / f"{SITEMAP_XML_PATH}.gz"
        if not (sitemap.is_file() and packed.is_file()):
            return
        timestamp = get_build_timestamp(pages=[file.page for file in pages
                                               if file.page is not None])
        with open(packed, "wb") as output, gzip.GzipFile(
                fileobj=output, filename=str(packed), mode="wb", mtime=timestamp) as zipped:
            zipped.write(sitemap.read_bytes())

    def abandon_entry_rendering(self) -> None:
        if self._entry_rendering is not None:
            self._entry_rendering.abandon()

    # --- The live preview's fast path (preview.py): one saved entry, one page rendered.

    def render_saved_entries(self, paths: list[str]) -> bool:
        """Render the pages of these saved entry files into the site folder, with the build's
        own reader and checks; False (nothing rendered) when one of them needs a full build:
        a problem to report, not public on the build day, or a change to other entries."""
        state, nav = self._rendering, self._nav
        if state.files is None or nav is None or state.env is None:
            return False
        entries = []
        for path in paths:
            entry = self._read_saved_entry(path)
            if entry is None:
                return False
            entries.append(entry)
        pages = [self._replace_entry(entry, state.files) for entry in entries]
        documentation = state.files.documentation_pages()
        for page in pages:
            _populate_page(page, state.config, state.files)
            _build_page(page, state.config, documentation, nav, state.env)
        return True

    def _read_saved_entry(self, path: str) -> Entry | None:
        if self._saved_files is None:
            self._saved_files = EntryFiles(self.project_dir, self.config, self._screen)
        source_prefix = self.config.source_dir.rstrip("/") + "/"
        verdict = self._saved_files.check(path.removeprefix(source_prefix))
        entry = verdict.entry
        # Attachments, body links and related entries are checked against other files: the
        # full build does that, and reports any problem in the build's words.
        if entry is None or verdict.problems or verdict.notes or entry.related or (
                entry.attachments or any(body_links(entry.body))):
            return None
        owner = self._index_numbers.get(entry.index_no) if entry.index_no else None
        if owner not in (None, entry.path) or not entry.is_on_site(self.today,
                                                                     self.config.site_channel):
            return None
        return entry

    def _replace_entry(self, entry: Entry, files: Files) -> Page:
        """The entry's page with `entry` as its content, made when the entry is new."""
        uri = entry_uri(entry)
        old = self._generated.get(uri)
        self._generated[uri] = EntryPage(entry, self._entry_context)
        self._published = _with(self._published, entry)
        self._on_site = _with(self._on_site, entry)
        if entry.index_no:
            self._index_numbers[entry.index_no] = entry.path
        file = files.get_file_from_path(uri)
        if old is None or file is None or not isinstance(file.page, Page):
            file = File.generated(self._rendering.config, uri, content="")
            file.inclusion = InclusionLevel.NOT_IN_NAV
            files.append(file)
            return Page(None, file, self._rendering.config)
        return file.page

    def head_html(self, page: Page | None) -> str:
        """Meta tags and feed links for `page` (None: a page without a source, such as 404)."""
        generated = self._generated.get(page.file.src_uri) if page is not None else None
        if self._site_meta_html is None:  # the same on every page
            self._site_meta_html = meta_html(site_meta(self.site_name, self.site_url,
                                                       self.config))
        own_html = meta_html(generated.meta_tags) if generated else ""
        links = []
        if page is not None:
            # The site feed everywhere; a category's own feed on its listing pages too.
            feeds = [self._feeds[0], *([generated.feed] if generated and generated.feed else [])]
            links = [feed_link_html(feed.title, get_relative_url(feed.uri, page.url))
                     for feed in feeds]
        tags_html = "\n".join(part for part in (self._site_meta_html, own_html) if part)
        return "\n".join([tags_html, *links])

    def reports_folder(self) -> str | None:
        """The folder of the yearly report files, when there is one to watch."""
        folder = self.project_dir / self.config.reports_dir
        return str(folder) if folder.is_dir() else None

    def _nav_map_items(self, href: Callable[[str], str]) -> list[MapItem]:
        """The navigation's sections and pages, for the site map."""
        def item_of(item: StructureItem) -> MapItem:
            if isinstance(item, Section):
                return MapItem(item.title or "", None, [item_of(child) for child in item.children])
            if isinstance(item, Page):
                return MapItem(item.title or "", href(item.file.src_uri))
            return MapItem(getattr(item, "title", "") or "", getattr(item, "url", None))

        return [item_of(item) for item in (self._nav.items if self._nav else [])]

    def _in_nav(self, uri: str) -> bool:
        return _find_page(self._nav.items if self._nav else [], uri) is not None

    def add_category_nav(self, nav: Navigation, files: Files) -> Navigation:
        """Turn the catalogue's nav item into a section holding it and each category listing."""
        self._nav = nav
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
        self._entry_context.catalogue_label = (catalogue_page.title
                                               or self._entry_context.catalogue_label)
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
            if generated.template is not None:
                page.meta["template"] = generated.template
            if generated.entry is not None:
                # The sitemap's <lastmod>, and the description Material writes: escaped, as
                # the theme writes page.meta values as they are.
                page.update_date = generated.entry.date.isoformat()
                page.meta["description"] = escape(generated.description)
                return self._entry_markdown(generated.markdown(), page)
            return generated.markdown()
        if REPORTS_MARKER in markdown:
            markdown = markdown.replace(REPORTS_MARKER, report_list_markdown(
                self._report_years, self.config, lambda uri: _source_link(page, uri)
            ))
        if LATEST_MARKER in markdown:
            latest = self._on_site[: self.config.latest_count]
            return markdown.replace(LATEST_MARKER, render_latest(latest, _href(page, files)))
        return markdown

    def _entry_markdown(self, body: str, page: Page) -> str:
        """What MkDocs converts of an entry's body: nothing when the body is plain paragraphs
        and nothing else changes pages (no other plugin's page_markdown or page_content, only
        the Markdown extensions search_worker.PLAIN_PATH_EXTENSIONS names), whose HTML is
        made here at a fraction of Python-Markdown's cost and put in place in page_content.
        Markdown would find no heading, link or anchor in such a body either: the page's
        table of contents, anchors and links come out the same."""
        if self._plain_bodies is None:
            config = self._rendering.config
            self._plain_bodies = (plain_path_allowed(config.markdown_extensions)
                                  and len(config.plugins.events["page_markdown"]) == 1
                                  and len(config.plugins.events["page_content"]) == 1)
        if self._plain_bodies:
            html = plain_paragraphs_html(body)
            if html is not None:
                self._plain_html[page.file.src_uri] = html
                return ""
        return body

    def page_content(self, html: str, page: Page, files: Files) -> str:
        """Generated pages get their final HTML around what Markdown made of their source."""
        generated = self._generated.get(page.file.src_uri)
        if generated is not None:
            plain = self._plain_html.pop(page.file.src_uri, None)
            if plain is not None and not html:
                html = plain
            html = generated.html(html, _page_links(page, files))
        # The second wall behind the screening of every source: whatever Markdown, its
        # extensions or another plugin made, a page holding script is never written.
        found = find_live_script(html)
        if found:
            source = (f"{generated.entry.path}: 正文" if generated and generated.entry
                      else f"{page.file.src_uri}: 页面")
            raise PluginError(
                f"{source}: 生成的网页中含有可执行的活动内容（{found[0].what}），"
                "构建已停止：请删除该内容后重新构建"
            )
        return html

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


def _install_front_end(mkdocs_config: MkDocsConfig) -> None:
    """Add gongkai's theme folder, styles and scripts (frontend.py) to the site's settings.

    The folder goes right after the site's own custom_dir (so a site may still override a
    template), ahead of Material's; MkDocs then copies its assets like any theme's."""
    features = mkdocs_config.theme.get("features") or []
    for feature, reason in INCOMPATIBLE_FEATURES.items():
        if feature in features:
            raise PluginError(f"gongkai 设置有误：\nmkdocs.yml: theme.features: {reason}")
    dirs = mkdocs_config.theme.dirs
    theme_dir = str(THEME_DIR)
    if theme_dir not in dirs:
        dirs.insert(1 if mkdocs_config.theme.custom_dir else 0, theme_dir)
    own_css = [css for css in mkdocs_config.extra_css if css not in STYLESHEETS]
    mkdocs_config.extra_css = [*STYLESHEETS, *own_css]
    listed = {str(script) for script in mkdocs_config.extra_javascript}
    for script in SCRIPTS:
        if script.path in listed:
            continue
        value = ExtraScriptValue(script.path)
        if script.module:
            value.type = "module"
        mkdocs_config.extra_javascript.append(value)


def _project_files(mkdocs_config: MkDocsConfig) -> ProjectFiles:
    """What screening reads of mkdocs.yml, from this build's configuration."""
    config_path = Path(mkdocs_config.config_file_path)
    try:
        text = config_path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        text = ""
    docs_dir = os.path.relpath(mkdocs_config.docs_dir, config_path.parent)
    return ProjectFiles(text, Path(docs_dir).as_posix(),
                        MarkdownSettings.of(mkdocs_config.markdown_extensions,
                                            mkdocs_config.mdx_configs))


_FEED_HTML = ("title", "description")


def _check_feed(uri: str, xml: str | bytes) -> None:
    """The wall for feeds: readers render an item's title and description as HTML."""
    for element in ET.fromstring(xml).iter():
        found = find_live_script(element.text or "") if element.tag in _FEED_HTML else []
        if found:
            raise PluginError(
                f"{uri}: 订阅源中含有可执行的活动内容（{found[0].what}），构建已停止"
            )


def _source_link(page: Page, uri: str) -> str:
    """A Markdown link target from `page` to the source file `uri` (MkDocs resolves it)."""
    return get_relative_url(uri, page.file.src_uri)


def _attachment_search_text(entry: Entry, inspections: InspectionCache | None) -> str:
    """The text of the entry's attachments, for the search index: a word only in an
    attachment finds the entry."""
    if inspections is None:
        return ""
    texts = [inspections.text(attachment.sha256) for attachment in entry.attachments
             if attachment.format in TEXT_FORMATS]
    return "\n".join(text for text in texts if text.strip())


def _file_of(files: Files, uri: str) -> File | None:
    """files.get_file_from_path without its path normalising for the URIs gongkai makes,
    which are normal already (tens of thousands of look-ups in a build)."""
    return files.src_uris.get(uri) or files.get_file_from_path(uri)


def _href(page: Page, files: Files) -> Callable[[str], str]:
    def href(uri: str) -> str:
        target = _file_of(files, uri)
        if target is None:
            raise PluginError(f"内部错误：找不到生成的页面 {uri}")
        return get_relative_url(target.url, page.url) or "./"
    return href


def _page_links(page: Page, files: Files) -> PageLinks:
    """What a generated page links with, from its URL and the build's files."""
    return PageLinks(
        href=_href(page, files),
        exists=lambda uri: _file_of(files, uri) is not None,
        relative=lambda url: get_relative_url(url, page.url),
    )


def _find_page(items: list, uri: str) -> Page | None:
    for item in items:
        if isinstance(item, Page) and item.file.src_uri == uri:
            return item
        if isinstance(item, Section):
            found = _find_page(item.children, uri)
            if found is not None:
                return found
    return None


class GongkaiPlugin(BasePlugin):  # type: ignore[type-arg]
    """gongkai's MkDocs events; each forwards to the build's `DisclosureSite`."""

    latest_site: DisclosureSite | None = None
    """The state of the newest build in this process: `mkdocs serve` loads the configuration
    (and with it a new plugin object) anew for each full rebuild, and the preview renders
    saved entries with the newest one."""

    def __init__(self) -> None:
        self._site: DisclosureSite | None = None
        self._command: str | None = None
        self._dirty = False

    @property
    def site(self) -> DisclosureSite:
        assert self._site is not None, "on_config runs first"
        return self._site

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self._command, self._dirty = command, dirty

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._site = DisclosureSite(config)
        # Not `serve` (its preview renders entries through MkDocs), nor a build from Python
        # (no on_startup: the preview's background build, the benchmark's report).
        self._site.renders_entries = self._command in ("build", "gh-deploy")
        self._site.read_entries(config)
        GongkaiPlugin.latest_site = self._site
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.site.renders_entries and not self._dirty:
            # Right before MkDocs' own clean, which then finds nothing to delete (old_site.py);
            # not earlier, so that a build stopped in on_config leaves the old site as it was.
            self.site.old_site.start()

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        return self.site.add_files(files, config)

    @event_priority(-100)  # after every other plugin's nav, which sees the entry pages
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        nav = self.site.add_category_nav(nav, files)
        if self.site.renders_entries:
            self.site.set_entry_pages_aside(config, files)
        return nav

    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig,
                         files: Files) -> str:
        return self.site.page_markdown(markdown, page, files)

    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig,
                        files: Files) -> str:
        return self.site.page_content(html, page, files)

    @event_priority(-100)  # the child renders with every plugin's template globals
    def on_env(self, env: Environment, *, config: MkDocsConfig, files: Files) -> Environment:
        env = self.site.add_template_globals(env, files)
        if self.site.renders_entries:
            self.site.prepare_entry_rendering(config, files, env)
        return env

    def on_template_context(self, context: TemplateContext, *, template_name: str,
                            config: MkDocsConfig) -> TemplateContext:
        return self.site.template_context(context)

    @event_priority(100)  # before other plugins' post_build: every page is written by then
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.site.finish_entry_rendering()
        self.site.finish_search_index()
        self.site.old_site.finish()

    def on_build_error(self, *, error: Exception) -> None:
        if self._site is not None:
            self._site.abandon_entry_rendering()
            self._site.abandon_search_index()

    def on_serve(self, server: LiveReloadServer, *, config: MkDocsConfig,
                 builder: Callable[..., Any]) -> LiveReloadServer:
        server.watch(self.site.watch_folder())
        reports = self.site.reports_folder()
        if reports:
            server.watch(reports)
        if not os.environ.get(PREVIEW_CHILD):
            server.builder = _preview_builder(self.site, config, builder)
        return server


def _with(entries: list[Entry], entry: Entry) -> list[Entry]:
    """`entries` with `entry` in place of the entry of the same file, newest first."""
    return sorted([entry, *(e for e in entries if e.path != entry.path)], key=newest_first)


def _latest_site() -> DisclosureSite:
    assert GongkaiPlugin.latest_site is not None, "a build ran before serving"
    return GongkaiPlugin.latest_site


def _preview_builder(site: DisclosureSite, config: MkDocsConfig,
                     full_build: Callable[[], None]) -> PreviewBuilder:
    """MkDocs' serve rebuild, with the fast path for saved entries (preview.py)."""
    others = [Path(config.docs_dir), Path(config.config_file_path)]
    if site.reports_folder():
        others.append(Path(site.reports_folder() or ""))
    site_url = config.site_url or ""
    return PreviewBuilder(
        site=_latest_site, full_build=full_build, project_dir=site.project_dir,
        source_dir=site.config.source_dir, watched=others,
        background_command=lambda output: [
            sys.executable, "-m", "gongkai.preview", config.config_file_path, str(output),
            site_url,
        ],
        served_dir=Path(config.site_dir),
    )
