"""The page of one entry: title, validity banner, metadata table (元数据) and body."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from .attachments import format_size
from .config import DisclosureConfig
from .entry import DEFAULT_VALIDITY, REPEALED, Attachment, Entry, NoticePeriod
from .search import SearchDocument
from .statistics import chinese_date

_BANNER_ENDINGS = {"失效": "已失效", "废止": "已废止"}


@dataclass(frozen=True)
class PageLink:
    """A link the caller has made (it knows the URLs): breadcrumb steps, neighbours."""

    title: str
    href: str
    date: dt.date | None = None


@dataclass(frozen=True)
class EntrySurroundings:
    """What an entry page shows around the entry itself, all linked by the caller."""

    breadcrumb: Sequence[PageLink] = ()
    """当前位置: 首页 › the catalogue's section › the category listing."""
    previous: PageLink | None = None
    """上一篇: the entry of the same category published just before this one."""
    next: PageLink | None = None
    """下一篇: the one published just after it."""
    ended_by: PageLink | None = None
    """The entry that repealed (废止) or ended this one, when one says so in `related`."""
    related_html: str = ""
    """The 相关信息 section (relations.related_html)."""


def metadata_rows(
    entry: Entry, config: DisclosureConfig, today: dt.date
) -> list[tuple[str, str]]:
    """(label, plain text) pairs of the catalogue metadata, in the order government sites use;
    有效性 as of `today`, the build day (it follows the entry's 废止 and 失效 dates)."""
    return [
        ("索引号", entry.index_no or "—"),
        ("公开类别", entry.category),
        ("发布机构", entry.publisher),
        ("文号", entry.doc_no or "—"),
        ("成文日期", entry.written.isoformat() if entry.written else "—"),
        ("发布日期", entry.date.isoformat()),
        ("有效性", entry.validity_on(today)),
        ("公开渠道", "、".join(config.channels[key] for key in entry.channels)),
    ]


def search_document(entry: Entry, config: DisclosureConfig, today: dt.date, url: str,
                    body_markdown: str, attachment_text: str) -> SearchDocument:
    """The entry as the search index holds it: what is searched (title, 内容概述, body, 索引号,
    文号, attachment text), what a result shows, and the catalogue's facets (named as
    gk-catalogue.js asks for them). The labels of the metadata table and the 发布机构 are not
    searched: the same words on every page, they would only fill the excerpts."""
    return SearchDocument(
        url=url, title=entry.title, body_markdown=body_markdown, date=entry.date.isoformat(),
        category=entry.category, index_no=entry.index_no or "", doc_no=entry.doc_no or "",
        summary=entry.summary or "", attachment_text=attachment_text,
        facets={
            "category": (entry.category,),
            "year": (str(entry.year),),
            "channel": tuple(config.channels[key] for key in entry.channels),
            "publisher": (entry.publisher,),
            "validity": (entry.validity_on(today),),
        },
    )


def notice_period_html(period: NoticePeriod) -> str:
    """The 公示期 with its dates always shown; gk-notice-period.js adds, from the reader's
    today, whether it is open (公示中), over (已结束) or not yet started (未开始)."""
    start, end = period.start, period.end
    return (
        f'<p class="gk-notice-period" data-start="{start}" data-end="{end}">'
        f'<strong>公示期：</strong><time datetime="{start}">{chinese_date(start)}</time>至'
        f'<time datetime="{end}">{chinese_date(end)}</time>'
        '<span class="gk-notice-period__status" aria-live="polite"></span></p>'
    )


METADATA_PAIRS = (("索引号", "公开类别"), ("发布机构", "成文日期"), ("文号", "发布日期"),
                  ("有效性", "公开渠道"))
"""The national two-column layout of the metadata box, row by row."""


_METADATA_BOX = '<table class="gk-meta"><tbody>{}</tbody></table>'.format("".join(
    "<tr>" + "".join(f'<th scope="row">{escape(label)}</th><td>{{}}</td>' for label in pair)
    + "</tr>"
    for pair in METADATA_PAIRS
))
"""The box with a `{}` for each value, in METADATA_PAIRS order: the same on every page."""
_METADATA_ORDER = tuple(label for pair in METADATA_PAIRS for label in pair)


def metadata_box(entry: Entry, config: DisclosureConfig, today: dt.date) -> str:
    """The metadata in the two-column box of government sites (one column on phones, see
    gongkai.css). No caption: the labels say what each value is."""
    values = dict(metadata_rows(entry, config, today))
    return _METADATA_BOX.format(*(escape(values[label]) for label in _METADATA_ORDER))


def _breadcrumb(steps: Sequence[PageLink]) -> str:
    if not steps:
        return ""
    items = "".join(
        f'<li><a href="{escape(step.href)}">{escape(step.title)}</a></li>' for step in steps
    )
    return (f'<nav class="gk-breadcrumb" aria-label="当前位置">'
            f'<span class="gk-breadcrumb__label">当前位置：</span><ol>{items}</ol></nav>')


def _ended_banner(entry: Entry, validity: str, ended_by: PageLink | None) -> str:
    """The 废止/失效 notice at the top of the page (kept in print): since when, and by what."""
    day = entry.repealed if validity == REPEALED else entry.expires
    when = f"已于{chinese_date(day)}{validity}" if day else _BANNER_ENDINGS[validity]
    by = "" if ended_by is None else (
        f'见<a href="{escape(ended_by.href)}">{escape(ended_by.title)}</a>。'
    )
    return (
        f'<div class="gk-banner gk-banner--{escape(validity)}" role="note">'
        f"<strong>{escape(validity)}</strong> 本文件{when}，仅供查阅，不再作为依据。{by}</div>"
    )


TOOLBAR = (
    '<div class="gk-toolbar" hidden>'
    '<button type="button" class="gk-toolbar__print" data-gk-print>打印</button>'
    '<span class="gk-toolbar__sizes" role="group" aria-labelledby="gk-size-label">'
    '<span id="gk-size-label">字号：</span>'
    '<button type="button" data-gk-size="large" aria-pressed="false">大</button>'
    '<button type="button" data-gk-size="medium" aria-pressed="true">中</button>'
    '<button type="button" data-gk-size="small" aria-pressed="false">小</button>'
    "</span></div>"
)
"""打印 and 字号 大/中/小: buttons, so hidden until gk-access.js makes them work."""


def _neighbours(surroundings: EntrySurroundings) -> str:
    items = []
    for label, link in (("上一篇", surroundings.previous), ("下一篇", surroundings.next)):
        if link is None:
            items.append(f'<li><span class="gk-pager__label">{label}：</span>没有了</li>')
            continue
        rel = "prev" if label == "上一篇" else "next"
        items.append(
            f'<li><span class="gk-pager__label">{label}：</span>'
            f'<a href="{escape(link.href)}" rel="{rel}">{escape(link.title)}</a></li>'
        )
    return (f'<nav class="gk-pager" aria-label="同类别的上一篇和下一篇">'
            f'<ul>{"".join(items)}</ul></nav>')


def render_entry_page(
    entry: Entry, config: DisclosureConfig, body_html: str, today: dt.date,
    surroundings: EntrySurroundings = EntrySurroundings(), attachments_html: str = "",
) -> str:
    """The entry page's content HTML around its converted body; every value is escaped here.

    The generated markup is added after Markdown has run, not fed through it: Python-Markdown's
    raw-HTML parsing of these tables was the largest single cost of a 10,000-entry build.
    """
    parts = [_breadcrumb(surroundings.breadcrumb),
             f'<h1 class="gk-title">{escape(entry.title)}</h1>']
    validity = entry.validity_on(today)
    if validity != DEFAULT_VALIDITY:
        parts.append(_ended_banner(entry, validity, surroundings.ended_by))
    parts.append(TOOLBAR)
    parts.append(metadata_box(entry, config, today))
    if entry.notice_period is not None:
        parts.append(notice_period_html(entry.notice_period))
    if entry.summary:
        parts.append(f'<p class="gk-summary"><strong>内容概述：</strong>{escape(entry.summary)}</p>')
    parts.append(body_html)
    # The entry's own material ends here: its 附件 go after the body, before the links to
    # other entries.
    parts.append(attachments_html)
    parts.append(surroundings.related_html)
    parts.append(_neighbours(surroundings))
    return "\n".join(part for part in parts if part)


SITE_MAP_TITLE = "网站地图"


@dataclass(frozen=True)
class MapItem:
    """One item of the 网站地图: a page (with its link) or a section (with children)."""

    title: str
    href: str | None
    children: Sequence[MapItem] = ()


def site_map_html(items: Sequence[MapItem]) -> str:
    """The 网站地图 page: every section and page of the navigation as nested lists. Entries
    are reached through their category and year listings, which it names."""

    def listing(level: Sequence[MapItem]) -> str:
        rows = []
        for item in level:
            label = (f'<a href="{escape(item.href)}">{escape(item.title)}</a>' if item.href
                     else f"<strong>{escape(item.title)}</strong>")
            inner = listing(item.children) if item.children else ""
            rows.append(f"<li>{label}{inner}</li>")
        return f"<ul>{''.join(rows)}</ul>"

    return (f'<h1>{SITE_MAP_TITLE}</h1><nav class="gk-site-map" aria-label="{SITE_MAP_TITLE}">'
            f"{listing(items)}</nav>")


def attachments_html(attachments: tuple[Attachment, ...], href: Callable[[Attachment], str]
                     ) -> str:
    """The 附件 block that ends an entry page: one download link per attachment; `href` gives
    the published copy's URL relative to the page."""
    if not attachments:
        return ""
    items = "".join(
        f'<li><a href="{escape(href(attachment))}" download="{escape(attachment.name)}">'
        f"附件{number}：{escape(attachment.title)}</a>"
        f"（{attachment.format}，{format_size(attachment.size)}）</li>"
        for number, attachment in enumerate(attachments, start=1)
    )
    return (f'<section class="gk-attachments" aria-label="附件"><h2>附件</h2>'
            f'<ul class="gk-attachments__list">{items}</ul></section>')
