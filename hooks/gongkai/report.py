"""Rendering counted statistics: the report sentence, Markdown, CSV, JSON and an SVG chart.

Every function here takes the `PeriodStatistics` made by `statistics.py` and only formats it,
so the 公开统计 page, `site/stats/channels.json`, `site/stats/channels.csv` and
`gongkai report` show the same numbers. No MkDocs import: the command line uses this module
without starting a build.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from html import escape
from typing import Any

from .config import DisclosureConfig
from .entry import CHINA_STANDARD_TIME
from .opendata import spreadsheet_text
from .statistics import PeriodStatistics, Tally, chinese_date
from .urls import STATS_CSV_PATH, STATS_JSON_PATH, STATS_PAGE_URI, link_from

FORMATS = ("text", "md", "csv", "json")

# Said by every output that shows group (or channel) figures next to the total.
OVERLAP_NOTE = (
    "说明：同一条信息可以经多个渠道公开，它在每个渠道、每个渠道分组中各计一次，在合计中只计一次，"
    "因此各渠道、各分组的条数相加可能大于合计。"
)
RULES_NOTE = (
    "统计口径：只计已公开的信息（草稿和发布日期未到的不计），按发布日期归入年份和月份。"
)


def sentence(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """The 总体情况 sentence of the annual report; groups with no item are left out.

    `2021年，主动公开政府信息204条，其中，网站子站公开信息24条；……公开信息118条。`
    """
    head = f"{stats.period.label}，主动公开政府信息{stats.total}条"
    parts = [
        f"{name}公开信息{count}条" for name, count in stats.overall.groups.items() if count
    ]
    return f"{head}，其中，{'；'.join(parts)}。" if parts else f"{head}。"


def partial_note(stats: PeriodStatistics) -> str | None:
    """A warning when the period is not over on the build day, so the figures may still grow."""
    if not stats.is_partial:
        return None
    return f"注意：{stats.period.label}尚未结束，只统计到{chinese_date(stats.counted_until)}。"


# --- JSON -------------------------------------------------------------------------------------


def _channels_only(tally: Tally) -> dict[str, Any]:
    return {"total": tally.total, "channels": dict(tally.channels)}


def period_json(stats: PeriodStatistics) -> dict[str, Any]:
    """One period in the shape of a year of channels.json (also `gongkai report --format json`)."""
    return {
        "total": stats.total,
        "channels": dict(stats.overall.channels),
        "groups": dict(stats.overall.groups),
        "categories": {name: _channels_only(t) for name, t in stats.categories.items()},
        "months": {key: _channels_only(t) for key, t in stats.months.items()},
    }


def generated_timestamp(now: dt.datetime | None = None) -> str:
    """Time of generation in China Standard Time, e.g. `2026-01-05T10:00:00+08:00`."""
    moment = now or dt.datetime.now(dt.UTC)
    return moment.astimezone(CHINA_STANDARD_TIME).isoformat(timespec="seconds")


def site_json(
    years: Sequence[PeriodStatistics], config: DisclosureConfig, generated: str
) -> dict[str, Any]:
    """The whole of channels.json: exactly the keys the issue names, years oldest first."""
    return {
        "generated": generated,
        "channels": dict(config.channels),
        "groups": {name: list(members) for name, members in config.groups.items()},
        "years": {stats.period.key: period_json(stats) for stats in years},
    }


def dump_json(data: Any) -> str:
    """JSON as UTF-8 text with the Chinese readable, not as \\u escapes."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- CSV --------------------------------------------------------------------------------------

CSV_HEADER = ["期间", "统计项", "公开类别", "代码", "名称", "条数", "说明"]
# On each total row: the figures below it may add up to more than it.
_CSV_OVERLAP = (
    "各渠道、各分组的条数相加可能大于合计：一条信息经多个渠道公开时，在每个渠道、每个分组中各计一次"
)


def _csv_rows(
    stats: PeriodStatistics, config: DisclosureConfig, by_category: bool
) -> list[list[str | int]]:
    key = stats.period.key
    rows: list[list[str | int]] = [
        [key, "合计", "", "", "主动公开政府信息", stats.total, _CSV_OVERLAP]
    ]
    for channel, count in stats.overall.channels.items():
        rows.append([key, "渠道", "", channel, config.channels[channel], count, ""])
    for group, count in stats.overall.groups.items():
        members = "、".join(config.channels[channel] for channel in config.groups[group])
        rows.append([key, "渠道分组", "", group, f"{group}（{members}）", count, ""])
    if by_category:
        for category, tally in stats.categories.items():
            rows.append([key, "公开类别合计", category, "", category, tally.total, _CSV_OVERLAP])
            for channel, count in tally.channels.items():
                rows.append([key, "公开类别·渠道", category, channel, config.channels[channel],
                             count, ""])
    return rows


def csv_text(
    periods: Sequence[PeriodStatistics], config: DisclosureConfig, by_category: bool = False
) -> str:
    """One row per period and channel, plus a total row and one row per group."""
    buffer = io.StringIO()
    # CRLF, as Excel writes; the BOM is added when the text is encoded (see csv_bytes).
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for stats in periods:
        writer.writerows([spreadsheet_text(cell) if isinstance(cell, str) else cell
                          for cell in row] for row in _csv_rows(stats, config, by_category))
    return buffer.getvalue()


def csv_bytes(
    periods: Sequence[PeriodStatistics], config: DisclosureConfig, by_category: bool = False
) -> bytes:
    """The CSV as UTF-8 with BOM: without the BOM, Excel on Windows shows the Chinese garbled."""
    return csv_text(periods, config, by_category).encode("utf-8-sig")


# --- Markdown ---------------------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell and paragraph (labels come from mkdocs.yml)."""
    text = escape(text, quote=False)
    for char in "\\`*_[]|":
        text = text.replace(char, "\\" + char)
    return text


def _table(header: list[str], rows: list[list[str]], numeric_from: int) -> str:
    """A Markdown table; columns from `numeric_from` on are right-aligned numbers."""
    align = ["---" if i < numeric_from else "---:" for i in range(len(header))]
    lines = [header, align, *rows]
    return "\n".join(f"| {' | '.join(line)} |" for line in lines)


def group_table(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """Each channel group with its channels and count, then the total counted once."""
    rows = [
        [_cell(group), _cell("、".join(config.channels[c] for c in config.groups[group])),
         str(count)]
        for group, count in stats.overall.groups.items()
    ]
    rows.append(["**合计（每条信息只计一次）**", "", f"**{stats.total}**"])
    return _table(["渠道分组", "包含的公开渠道", "条数"], rows, 2)


def channel_table(
    stats: PeriodStatistics, config: DisclosureConfig, with_codes: bool = True
) -> str:
    """Each configured channel with its count, and its code for staff (not on the site)."""
    if not with_codes:
        rows = [[_cell(config.channels[channel]), str(count)]
                for channel, count in stats.overall.channels.items()]
        return _table(["公开渠道", "条数"], rows, 1)
    rows = [
        [_cell(config.channels[channel]), f"`{channel}`", str(count)]
        for channel, count in stats.overall.channels.items()
    ]
    return _table(["公开渠道", "代码", "条数"], rows, 2)


def category_table(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """公开类别 × 公开渠道, with each category's total counted once and a total row."""
    header = ["公开类别", "合计", *(_cell(label) for label in config.channels.values())]
    rows = [
        [_cell(category), str(tally.total), *(str(tally.channels[c]) for c in config.channels)]
        for category, tally in stats.categories.items()
    ]
    overall = stats.overall
    rows.append(["**合计**", f"**{overall.total}**",
                 *(f"**{overall.channels[c]}**" for c in config.channels)])
    return _table(header, rows, 1)


def month_label(key: str) -> str:
    """`01` → `1月`; `2021-07` → `2021年7月`."""
    if "-" in key:
        year, month = key.split("-")
        return f"{year}年{int(month)}月"
    return f"{int(key)}月"


def month_table(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """Months × channel groups: the data of the chart, for screen readers and copying."""
    header = ["月份", "合计", *(_cell(group) for group in config.groups)]
    rows = [
        [month_label(key), str(tally.total), *(str(tally.groups[g]) for g in config.groups)]
        for key, tally in stats.months.items()
    ]
    return _table(header, rows, 1)


def markdown_section(
    stats: PeriodStatistics,
    config: DisclosureConfig,
    *,
    by_category: bool,
    for_site: bool = False,
    level: int = 2,
) -> str:
    """One period as Markdown: heading, sentence, tables.

    `for_site` adds the chart and its data table, and marks the sentence for the stylesheet;
    it relies on the site's `attr_list` and `md_in_html` extensions (see mkdocs.yml).
    """
    sub = "#" * (level + 1)
    quote = f"> {_cell(sentence(stats, config))}"
    if for_site:  # full-contrast text for the sentence, not blockquote grey
        quote += "\n{: .gk-sentence }"
    parts = [f"{'#' * level} {_cell(stats.period.label)}", quote]
    note = partial_note(stats)
    if note:
        parts.append(_cell(note))
    if for_site:
        parts.append(chart_svg(stats, config))
        parts.append(
            '<details class="gk-stats-months" markdown="1">\n'
            "<summary>按月统计表（图表数据）</summary>\n\n"
            f"{month_table(stats, config)}\n\n</details>"
        )
    parts += [
        f"{sub} 按渠道分组", group_table(stats, config), OVERLAP_NOTE,
        f"{sub} 按公开渠道", channel_table(stats, config, with_codes=not for_site),
    ]
    if by_category:
        parts += [f"{sub} 按公开类别和公开渠道", category_table(stats, config)]
    return "\n\n".join(parts) + "\n"


def markdown_report(
    stats: PeriodStatistics, config: DisclosureConfig, by_category: bool
) -> str:
    """`gongkai report --format md`: a document that pastes into the annual report draft."""
    return (
        f"# 主动公开政府信息统计（{_cell(stats.period.label)}）\n\n{RULES_NOTE}\n\n"
        + markdown_section(stats, config, by_category=by_category)
    )


# --- SVG chart --------------------------------------------------------------------------------

_WIDTH = 720
_MARGIN = 10
_TITLE_HEIGHT = 26
_VALUE_HEIGHT = 18
_BAR_HEIGHT = 80
_AXIS_HEIGHT = 20
_PANEL_GAP = 14
_PANEL_HEIGHT = _TITLE_HEIGHT + _VALUE_HEIGHT + _BAR_HEIGHT + _AXIS_HEIGHT + _PANEL_GAP
# A fallback for when the stylesheet is missing; gongkai.css sets the theme's colour.
_BAR_FILL = "#4051b5"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def chart_svg(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """Items per month per channel group as an inline SVG, one small bar chart per group.

    One panel per group (named in text, not by colour), one shared scale, and the count
    written above every bar: readable in black and white and by screen readers (`<title>`,
    `<desc>`), with no script.
    """
    groups = list(config.groups)
    months = list(stats.months)
    chart_id = f"gk-chart-{stats.period.key.replace('~', '-')}"
    peak = max((t.groups[g] for t in stats.months.values() for g in groups), default=0) or 1
    column = (_WIDTH - 2 * _MARGIN) / max(1, len(months))
    bar_width = column * 0.6
    height = len(groups) * _PANEL_HEIGHT

    panels = []
    for index, group in enumerate(groups):
        top = index * _PANEL_HEIGHT
        base = top + _TITLE_HEIGHT + _VALUE_HEIGHT + _BAR_HEIGHT
        items = [
            (f'<text class="gk-chart__group" x="{_MARGIN}" y="{top + 18}" font-size="15" '
             'font-weight="bold">'
             f"{escape(group)}（共 {stats.overall.groups[group]} 条）</text>"),
            (f'<line class="gk-chart__axis" x1="{_MARGIN}" x2="{_WIDTH - _MARGIN}" '
             f'y1="{base}" y2="{base}" stroke="currentColor"/>'),
        ]
        for number, key in enumerate(months):
            count = stats.months[key].groups[group]
            bar = _BAR_HEIGHT * count / peak
            centre = _MARGIN + column * (number + 0.5)
            label = month_label(key)
            items.append(
                f'<rect class="gk-chart__bar" x="{_number(centre - bar_width / 2)}" '
                f'y="{_number(base - bar)}" width="{_number(bar_width)}" height="{_number(bar)}" '
                f'fill="{_BAR_FILL}"><title>{escape(group)}，{label}：{count} 条</title></rect>'
            )
            items.append(
                f'<text class="gk-chart__value" x="{_number(centre)}" y="{_number(base - bar - 4)}"'
                f' text-anchor="middle">{count}</text>'
            )
            items.append(
                f'<text class="gk-chart__month" x="{_number(centre)}" y="{base + 16}" '
                f'text-anchor="middle">{label}</text>'
            )
        panels.append(f'<g class="gk-chart__panel">{"".join(items)}</g>')

    title = f"{stats.period.label}各渠道分组每月公开信息条数"
    description = "；".join(
        f"{group}：" + "，".join(
            f"{month_label(key)}{stats.months[key].groups[group]}条" for key in months
        )
        for group in groups
    )
    svg = (
        f'<svg class="gk-chart__svg" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {_WIDTH} {height}" width="{_WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" fill="currentColor" font-size="13">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}。</desc>'
        f'{"".join(panels)}</svg>'
    )
    caption = (
        f"{escape(title)}。每组一行，柱上数字为当月条数；"
        "一条信息经多个分组的渠道公开时，在每个分组中各计一次。"
    )
    # One line: a blank line inside would end Markdown's raw HTML block. tabindex: on narrow
    # screens the figure scrolls sideways, and keyboard users must be able to scroll it too.
    return f'<figure class="gk-chart" tabindex="0">{svg}<figcaption>{caption}</figcaption></figure>'


# --- The site's page and files ----------------------------------------------------------------

PAGE_TITLE = "公开统计"
ALL_CHANNELS_NOTE = (
    "本页统计本机关主动公开的全部政府信息，包括本网站以外的渠道（如公告栏、广播、政务公众号）"
    "公开的信息。线下公开的信息不在本网站上刊登，所以这里的条数可能多于网站上能查到的条数。"
)


def stats_page(
    years: Sequence[PeriodStatistics], config: DisclosureConfig, today: dt.date
) -> str:
    """Markdown of the 公开统计 page: every year with an entry, newest first."""
    csv_link, json_link = (link_from(STATS_PAGE_URI, path)
                           for path in (STATS_CSV_PATH, STATS_JSON_PATH))
    parts = [
        f"# {PAGE_TITLE}",
        ALL_CHANNELS_NOTE,
        RULES_NOTE,
        # Raw HTML: these files are written after the build, so MkDocs cannot check the links.
        (f'数据下载：<a href="{csv_link}" download>{csv_link}</a>（Excel 可直接打开）、'
         f'<a href="{json_link}">{json_link}</a>。统计日期：{chinese_date(today)}。'),
    ]
    if not years:
        parts.append("暂无已公开的信息。")
    for stats in reversed(years):
        parts.append(markdown_section(stats, config, by_category=True, for_site=True))
    return "\n\n".join(parts) + "\n"


def site_files(
    years: Sequence[PeriodStatistics], config: DisclosureConfig, generated: str,
) -> dict[str, str | bytes]:
    """stats/channels.json and stats/channels.csv: their content by path in the site."""
    return {
        STATS_JSON_PATH: dump_json(site_json(years, config, generated)),
        STATS_CSV_PATH: csv_bytes(years, config),
    }


# --- gongkai report ---------------------------------------------------------------------------


def render(
    stats: PeriodStatistics, config: DisclosureConfig, fmt: str, by_category: bool
) -> str:
    """The output of `gongkai report` in one of FORMATS."""
    if fmt == "json":
        return dump_json(period_json(stats))
    if fmt == "csv":
        # Printed as text; the BOM is for files Excel opens, see `csv_bytes`.
        return csv_text([stats], config, by_category)
    if fmt == "md":
        return markdown_report(stats, config, by_category)
    text = sentence(stats, config) + "\n"
    if by_category:
        text += "\n" + category_table(stats, config) + "\n"
    return text
