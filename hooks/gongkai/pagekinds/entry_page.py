"""The page of one disclosure entry: its body inside the metadata box, breadcrumb, related
entries, attachments and neighbours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from ..config import DisclosureConfig
from ..entry import Attachment, Entry
from ..excerpt import description
from ..head import article_meta
from ..listings import CATALOGUE_TITLE
from ..pages import EntrySurroundings, PageLink, attachments_html, render_entry_page
from ..pasted import prepare_body
from ..relations import Relation, ending_entry, related_html
from ..urls import CATALOGUE_URI, HOME_URI, category_uri, entry_uri
from .base import GeneratedPage, PageLinks

ENTRY_TEMPLATE = "entry.html"


@dataclass
class EntryContext:
    """What every entry page reads of the build: filled as the build learns it."""

    config: DisclosureConfig
    today: dt.date
    attachment_url: Callable[[Attachment], str]
    """URL of an attachment's published copy relative to the site root."""
    relations: dict[str, list[Relation]] = field(default_factory=dict)
    neighbours: dict[str, tuple[Entry | None, Entry | None]] = field(default_factory=dict)
    """Each entry's (上一篇, 下一篇): the entries of its category published just before
    and just after it."""
    catalogue_label: str = CATALOGUE_TITLE
    """The catalogue's name in the navigation (法定主动公开内容), for the breadcrumb."""
    _breadcrumbs: dict[tuple[str, str, str], list[PageLink]] = field(
        default_factory=dict, init=False, repr=False)

    def breadcrumb(self, category: str, links: PageLinks) -> list[PageLink]:
        """首页 › the catalogue › the category, linked from an entry's page. Every entry's page
        lies under ENTRY_URI_PREFIX, a folder none of these pages is in, so the links depend
        on the page's depth only (its link to the site root): made once per depth and
        category, as entry.html reuses the navigation."""
        key = (links.relative(""), category, self.catalogue_label)
        steps = self._breadcrumbs.get(key)
        if steps is None:
            href = links.href
            steps = [PageLink("首页", href(HOME_URI))] if links.exists(HOME_URI) else []
            steps.append(PageLink(self.catalogue_label, href(CATALOGUE_URI)))
            if category in self.config.categories:
                steps.append(PageLink(category, href(category_uri(category))))
            self._breadcrumbs[key] = steps
        return steps


class EntryPage(GeneratedPage):
    template = ENTRY_TEMPLATE

    def __init__(self, entry: Entry, context: EntryContext) -> None:
        super().__init__(entry_uri(entry), entry.title)
        self.entry: Entry = entry
        self.description = description(entry)
        self.meta_tags = article_meta(entry, self.description)
        self._context = context

    def markdown(self) -> str:
        return prepare_body(self.entry.body)

    def html(self, converted: str, links: PageLinks) -> str:
        entry, context, href = self.entry, self._context, links.href
        relations = context.relations.get(entry.path, [])

        def link(other: Entry | None) -> PageLink | None:
            return None if other is None else PageLink(
                other.title, href(entry_uri(other)), other.date)

        older, newer = context.neighbours.get(entry.path, (None, None))
        surroundings = EntrySurroundings(
            breadcrumb=context.breadcrumb(entry.category, links),
            previous=link(older), next=link(newer),
            ended_by=link(ending_entry(relations)),
            related_html=related_html(relations, lambda other: href(entry_uri(other))),
        )
        attachments = attachments_html(entry.attachments, lambda attachment: links.relative(
            context.attachment_url(attachment)))
        return render_entry_page(entry, context.config, converted, context.today,
                                 surroundings, attachments)
