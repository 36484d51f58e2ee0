"""The counted channel statistics in each format: the report sentence, JSON, CSV, Markdown.

Every function here takes the `PeriodStatistics` made by `statistics.py` and only formats it,
so the 公开统计 page (pagekinds/statistics_page.py), `stats/channels.json`,
`stats/channels.csv`, `gongkai report` (report.py) and the annual report show the same
numbers. No MkDocs import: the command line uses this module without starting a build.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

from .config import DisclosureConfig
from .entry import CHINA_STANDARD_TIME
from .markdown_tables import markdown_cell, markdown_table
from .opendata import spreadsheet_text
from .statistics import PeriodStatistics, Tally, chinese_date
from .stats_chart import chart_svg, month_label

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


def group_table(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """Each channel group with its channels and count, then the total counted once."""
    rows = [
        [markdown_cell(group), markdown_cell("、".join(config.channels[c] for c in config.groups[group])),
         str(count)]
        for group, count in stats.overall.groups.items()
    ]
    rows.append(["**合计（每条信息只计一次）**", "", f"**{stats.total}**"])
    return markdown_table(["渠道分组", "包含的公开渠道", "条数"], rows, 2)


def channel_table(
    stats: PeriodStatistics, config: DisclosureConfig, with_codes: bool = True
) -> str:
    """Each configured channel with its count, and its code for staff (not on the site)."""
    if not with_codes:
        rows = [[markdown_cell(config.channels[channel]), str(count)]
                for channel, count in stats.overall.channels.items()]
        return markdown_table(["公开渠道", "条数"], rows, 1)
    rows = [
        [markdown_cell(config.channels[channel]), f"`{channel}`", str(count)]
        for channel, count in stats.overall.channels.items()
    ]
    return markdown_table(["公开渠道", "代码", "条数"], rows, 2)


def category_table(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """公开类别 × 公开渠道, with each category's total counted once and a total row."""
    header = ["公开类别", "合计", *(markdown_cell(label) for label in config.channels.values())]
    rows = [
        [markdown_cell(category), str(tally.total), *(str(tally.channels[c]) for c in config.channels)]
        for category, tally in stats.categories.items()
    ]
    overall = stats.overall
    rows.append(["**合计**", f"**{overall.total}**",
                 *(f"**{overall.channels[c]}**" for c in config.channels)])
    return markdown_table(header, rows, 1)


def month_table(stats: PeriodStatistics, config: DisclosureConfig) -> str:
    """Months × channel groups: the data of the chart, for screen readers and copying."""
    header = ["月份", "合计", *(markdown_cell(group) for group in config.groups)]
    rows = [
        [month_label(key), str(tally.total), *(str(tally.groups[g]) for g in config.groups)]
        for key, tally in stats.months.items()
    ]
    return markdown_table(header, rows, 1)


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
    quote = f"> {markdown_cell(sentence(stats, config))}"
    if for_site:  # full-contrast text for the sentence, not blockquote grey
        quote += "\n{: .gk-sentence }"
    parts = [f"{'#' * level} {markdown_cell(stats.period.label)}", quote]
    note = partial_note(stats)
    if note:
        parts.append(markdown_cell(note))
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
