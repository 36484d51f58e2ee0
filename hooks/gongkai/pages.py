"""The page of one entry: title, validity banner, metadata table (元数据) and body."""

from __future__ import annotations

import datetime as dt
from html import escape

from .config import DisclosureConfig
from .entry import DEFAULT_VALIDITY, Entry, NoticePeriod
from .search import index_form
from .statistics import chinese_date

_BANNERS = {
    "失效": "本文件已失效，仅供查阅，不再作为依据。",
    "废止": "本文件已废止，仅供查阅，不再作为依据。",
}


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


def search_page_parts(entry: Entry, config: DisclosureConfig, today: dt.date) -> tuple[str, str]:
    """The HTML before and after the converted body in the slim page Pagefind indexes.

    The page holds what a reader searches for: the title, 内容概述, the body, and then the
    索引号 and 文号 as plain values, all in the index's form (search.index_form: a word per
    Chinese character), and the same values unchanged as metadata for the results. The labels of the metadata table and the 发布机构 (a filter)
    are left out on purpose: the same words on every page, each one made a posting list as long
    as the corpus, which a query downloads whenever its own word shares that index chunk, and
    they filled the excerpts. The hidden spans give Pagefind the filters (the catalogue's
    facets, named as gk-catalogue.js asks for them), the metadata results show, and the date
    sort.
    """
    values = [
        ("filter", "category", entry.category),
        ("filter", "year", str(entry.year)),
        *(("filter", "channel", config.channels[key]) for key in entry.channels),
        ("filter", "publisher", entry.publisher),
        ("filter", "validity", entry.validity_on(today)),
        ("meta", "title", entry.title),
        ("meta", "category", entry.category),
        ("meta", "date", entry.date.isoformat()),
        *(("meta", name, value) for name, value in (("index_no", entry.index_no),
                                                    ("doc_no", entry.doc_no)) if value),
        ("sort", "date", entry.date.isoformat()),
    ]
    spans = "".join(
        f'<span data-pagefind-{kind}="{name}">{escape(value)}</span>'
        for kind, name, value in values
    )
    before = [f"<h1>{escape(index_form(entry.title))}</h1>",
              f'<div hidden data-pagefind-ignore>{spans}</div>']
    if entry.summary:
        before.append(f"<p>{escape(index_form(entry.summary))}</p>")
    # A paragraph each, so that a query cannot match across the end of one into the other.
    numbers = "".join(f"<p>{escape(index_form(value))}</p>"
                      for value in (entry.index_no, entry.doc_no) if value)
    return "\n".join(before), numbers


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


def render_entry_page(
    entry: Entry, config: DisclosureConfig, body_html: str, today: dt.date,
    related_html: str = "",
) -> str:
    """The entry page's content HTML around its converted body; every value is escaped here.
    `related_html` (links to other entries, made by the caller who knows URLs) ends the page.

    The generated markup is added after Markdown has run, not fed through it: Python-Markdown's
    raw-HTML parsing of these tables was the largest single cost of a 10,000-entry build.
    """
    parts = [f'<h1 class="gk-title">{escape(entry.title)}</h1>']
    validity = entry.validity_on(today)
    if validity != DEFAULT_VALIDITY:
        parts.append(
            f'<div class="gk-banner gk-banner--{escape(validity)}" role="note">'
            f"<strong>{escape(validity)}</strong> {_BANNERS[validity]}</div>"
        )
    cells = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{escape(value)}</td></tr>'
        for label, value in metadata_rows(entry, config, today)
    )
    parts.append(f'<table class="gk-meta"><caption>信息元数据</caption><tbody>{cells}</tbody></table>')
    if entry.notice_period is not None:
        parts.append(notice_period_html(entry.notice_period))
    if entry.summary:
        parts.append(f'<p class="gk-summary"><strong>内容概述：</strong>{escape(entry.summary)}</p>')
    parts.append(body_html)
    if related_html:
        parts.append(related_html)
    return "\n".join(parts)
