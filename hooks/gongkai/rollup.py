"""The county roll-up (集约化): each site publishes its annual figures as data, and
`gongkai rollup` adds up the figures of several sites.

Each built site carries `annual-reports/<year>.json` beside the report page of that year
(`annual_figures`): the channel statistics of the year and tables 二, 三 and 四, exactly as
the site's report shows them. The county office runs `gongkai rollup --year 2025 SOURCE…`
over the built sites (folders) or their addresses (URLs) and gets one row per site and the
totals. A source whose year is missing or whose data has another format version is refused by
name: a county total that silently leaves out a township is worse than none.

No MkDocs import: the build writes the data (pagekinds/annual_report_page.py), the command
reads it here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .annual_data import (
    CARRIED_IN,
    CARRIED_OUT,
    DIRECT_SUIT,
    NEW,
    RESULTS_TOTAL,
    REVIEW,
    SUIT_AFTER_REVIEW,
    TOTAL,
    AnnualData,
)
from .annual_tables import amount_text, table_two
from .config import DisclosureConfig
from .entry import DECISION_TYPES, DOCUMENT_TYPES, Entry
from .opendata import spreadsheet_text
from .statistics import Period, count_period
from .stats_formats import period_json
from .urls import annual_figures_path as figures_uri

FORMAT_NAME = "gongkai-annual-figures"
FORMAT_VERSION = 1
"""Raised whenever a key changes meaning; the roll-up refuses data of another version."""
FETCH_TIMEOUT_SECONDS = 30
MAX_SOURCE_BYTES = 10 * 1024 * 1024
"""Far above any site's figures (a few KB): a larger answer is not our data."""


def annual_figures(
    entries: Sequence[Entry], data: AnnualData, config: DisclosureConfig, year: int,
    today: dt.date, site_name: str, site_url: str,
) -> dict[str, Any]:
    """The year's figures of one site, as published in `annual-reports/<year>.json`.

    `entries` are all published entries, offline-only records included: the annual report
    counts every channel."""
    stats = count_period(entries, config, Period.year(year), today)
    two = table_two(entries, year, today)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "year": year,
        "site": {
            "name": site_name,
            "publisher": config.publisher,
            "org_code": config.org_code,
            "url": site_url,
        },
        "counted_until": stats.counted_until.isoformat(),
        "channel_labels": dict(config.channels),
        "statistics": period_json(stats),
        "table_two": {
            "documents": {
                name: {"issued": c.issued, "ended": c.ended, "in_force": c.in_force}
                for name, c in two.documents.items()
            },
            "decisions": dict(two.decisions),
            # A decimal string: 万元 with cents must add up exactly, as the report prints them.
            "fees": amount_text(two.fees),
        },
        "table_three": {key: dict(cells) for key, cells in data.applications.items()},
        "table_four": {key: dict(cells) for key, cells in data.appeals.items()},
    }


# --- Reading the sources ------------------------------------------------------------------------


class SourceError(Exception):
    """A source that cannot be rolled up; the message (Chinese) names it."""


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _read_source(source: str, year: int) -> bytes:
    if _is_url(source):
        address = source.rstrip("/") + "/" + figures_uri(year)
        try:
            with urllib.request.urlopen(address, timeout=FETCH_TIMEOUT_SECONDS) as answer:
                return bytes(answer.read(MAX_SOURCE_BYTES + 1))
        except urllib.error.HTTPError as error:
            if error.code == 404:
                raise SourceError(
                    f"{source}：没有 {year} 年的年报数据（{address} 不存在）：该站点尚未发布"
                    f"{year} 年的年度报告，或不是用 gongkai 生成的"
                ) from None
            raise SourceError(f"{source}：无法下载 {address}（HTTP {error.code}）") from None
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", None) or error
            raise SourceError(f"{source}：无法连接（{reason}）：请检查网址和网络") from None
    folder = Path(source)
    if not folder.is_dir():
        raise SourceError(f"{source}：找不到这个文件夹：请给出生成好的网站文件夹（site）或网址")
    path = folder / figures_uri(year)
    if not path.is_file():
        raise SourceError(
            f"{source}：没有 {year} 年的年报数据（{figures_uri(year)}）：该站点尚未发布"
            f"{year} 年的年度报告（需要 annual-reports/{year}.yml 且该年已结束），"
            "或用的是不含年报数据的旧版 gongkai"
        )
    try:
        with path.open("rb") as file:
            return file.read(MAX_SOURCE_BYTES + 1)
    except OSError as error:
        raise SourceError(f"{source}：无法读取 {path}（{error.strerror}）") from None


def load_figures(source: str, year: int) -> dict[str, Any]:
    """The year's figures published by `source` (a built site folder or a site URL)."""
    raw = _read_source(source, year)
    if len(raw) > MAX_SOURCE_BYTES:
        raise SourceError(f"{source}：年报数据文件过大，不是 gongkai 生成的数据")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise SourceError(f"{source}：年报数据不是有效的 JSON，无法汇总") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise SourceError(f"{source}：{figures_uri(year)} 不是 gongkai 的年报数据，无法汇总")
    if data.get("version") != FORMAT_VERSION:
        raise SourceError(
            f"{source}：年报数据格式版本为 {data.get('version')}，本工具读取的是版本 "
            f"{FORMAT_VERSION}：请各站点使用同一版本的 gongkai 重新生成网站后再汇总"
        )
    if data.get("year") != year:
        raise SourceError(f"{source}：数据年份为 {data.get('year')}，不是 {year}")
    return data


# --- Adding up ----------------------------------------------------------------------------------


@dataclass
class SiteRow:
    """One site's line of the county summary."""

    source: str
    publisher: str
    org_code: str
    values: dict[str, Decimal]
    """Column name (see `columns`) → figure."""


@dataclass
class RollUp:
    year: int
    columns: list[str]
    rows: list[SiteRow]
    totals: dict[str, Decimal]
    partial: list[str] = field(default_factory=list)
    """Publishers whose figures were counted before the year ended."""
    detail: dict[str, Any] = field(default_factory=dict)
    """Every table summed cell by cell, for the JSON output."""


def _cells_total(table: dict[str, dict[str, int]], key: str) -> int:
    return int(table.get(key, {}).get(TOTAL, 0))


def _site_values(data: dict[str, Any]) -> dict[str, Decimal]:
    """The summary columns of one site: totals a county office reports, in table order."""
    stats = data["statistics"]
    two = data["table_two"]
    three = data["table_three"]
    four = data["table_four"]
    values: dict[str, Decimal] = {"主动公开信息（条）": Decimal(stats["total"])}
    for group, count in stats["groups"].items():
        values[f"其中{group}（条）"] = Decimal(count)
    for name in DOCUMENT_TYPES:
        values[f"{name}本年制发（件）"] = Decimal(two["documents"][name]["issued"])
    for name in DECISION_TYPES:
        values[f"{name}决定（件）"] = Decimal(two["decisions"][name])
    try:
        values["行政事业性收费（万元）"] = Decimal(two["fees"])
    except InvalidOperation:
        raise SourceError(f"{data['site']['publisher']}：收费金额「{two['fees']}」不是数字") from None
    values["本年新收申请（件）"] = Decimal(_cells_total(three, NEW.key))
    values["上年结转申请（件）"] = Decimal(_cells_total(three, CARRIED_IN.key))
    values["本年办结（件）"] = Decimal(_cells_total(three, RESULTS_TOTAL.key))
    values["结转下年（件）"] = Decimal(_cells_total(three, CARRIED_OUT.key))
    values["行政复议（件）"] = Decimal(_cells_total(four, REVIEW.key))
    values["行政诉讼（件）"] = Decimal(
        _cells_total(four, DIRECT_SUIT.key) + _cells_total(four, SUIT_AFTER_REVIEW.key)
    )
    return values


def _add_tables(into: dict[str, Any], table: dict[str, dict[str, Any]]) -> None:
    for row, cells in table.items():
        target = into.setdefault(row, {})
        for column, number in cells.items():
            target[column] = target.get(column, 0) + int(number)


def roll_up(sources: Sequence[tuple[str, dict[str, Any]]], year: int) -> RollUp:
    """Add up the figures of `sources` ((source, figures) pairs, in the order given)."""
    rows: list[SiteRow] = []
    columns: list[str] = []
    seen: dict[str, str] = {}
    detail: dict[str, Any] = {"groups": {}, "channels": {}, "table_two": {}, "table_three": {},
                              "table_four": {}}
    partial = []
    for source, data in sources:
        site = data["site"]
        key = site.get("org_code") or site["publisher"]
        if key in seen:
            raise SourceError(
                f"{source}：与 {seen[key]} 是同一单位（{site['publisher']}），重复汇总会多算：请只保留一个"
            )
        seen[key] = source
        values = _site_values(data)
        columns.extend(name for name in values if name not in columns)
        rows.append(SiteRow(source, site["publisher"], site.get("org_code", ""), values))
        if data["counted_until"] < f"{year}-12-31":
            partial.append(site["publisher"])
        for group, count in data["statistics"]["groups"].items():
            detail["groups"][group] = detail["groups"].get(group, 0) + count
        labels = data.get("channel_labels", {})
        for channel, count in data["statistics"]["channels"].items():
            label = labels.get(channel, channel)
            detail["channels"][label] = detail["channels"].get(label, 0) + count
        _add_tables(detail["table_two"], data["table_two"]["documents"])
        _add_tables(detail["table_three"], data["table_three"])
        _add_tables(detail["table_four"], data["table_four"])
    # Groups are named by each site's mkdocs.yml: a group one site lacks counts 0 there.
    _fill_missing(rows, columns)
    totals = {column: sum((row.values[column] for row in rows), Decimal(0)) for column in columns}
    return RollUp(year, columns, rows, totals, partial, detail)


def _fill_missing(rows: list[SiteRow], columns: list[str]) -> None:
    for row in rows:
        row.values = {column: row.values.get(column, Decimal(0)) for column in columns}


# --- Output ---------------------------------------------------------------------------------


def _number(value: Decimal) -> str:
    return amount_text(value)


def _table_rows(rollup: RollUp) -> list[list[str]]:
    lines = [[row.publisher, *(_number(row.values[c]) for c in rollup.columns)]
             for row in rollup.rows]
    lines.append(["合计", *(_number(rollup.totals[c]) for c in rollup.columns)])
    return lines


def _title(rollup: RollUp) -> str:
    return f"{rollup.year}年政府信息公开工作汇总（{len(rollup.rows)} 个单位）"


def _notes(rollup: RollUp) -> list[str]:
    notes = [(
        "说明：各单位数据取自其网站发布的年报数据；“其中……”各列为渠道分组，"
        "一条信息经多个渠道公开时在每个分组中各计一次，各分组相加可能大于合计。"
    )]
    if rollup.partial:
        notes.append(f"注意：{'、'.join(rollup.partial)}的数据统计时该年度尚未结束。")
    return notes


def _markdown_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|")


def render(rollup: RollUp, output_format: str) -> str:
    """The summary as `text`, `md`, `csv` (for Excel; write it with a BOM) or `json`."""
    header = ["单位", *rollup.columns]
    lines = _table_rows(rollup)
    if output_format == "json":
        return json.dumps({
            "year": rollup.year,
            "columns": rollup.columns,
            "sites": [
                {"source": row.source, "publisher": row.publisher, "org_code": row.org_code,
                 "values": {c: _number(row.values[c]) for c in rollup.columns}}
                for row in rollup.rows
            ],
            "totals": {c: _number(rollup.totals[c]) for c in rollup.columns},
            "partial": rollup.partial,
            "detail": rollup.detail,
        }, ensure_ascii=False, indent=2) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        # A site's 发布机构 comes from its own mkdocs.yml: no cell may read as a formula.
        writer.writerows([spreadsheet_text(cell) for cell in line] for line in [header, *lines])
        return buffer.getvalue()
    if output_format == "md":
        table = [
            "| " + " | ".join(_markdown_cell(cell) for cell in header) + " |",
            "|" + "---|" * len(header),
            *("| " + " | ".join(_markdown_cell(cell) for cell in line) + " |" for line in lines),
        ]
        return "\n\n".join([f"# {_title(rollup)}", "\n".join(table), *_notes(rollup)]) + "\n"
    text = [_title(rollup), ""]
    for line in lines:
        text.append(line[0])
        text.extend(f"  {column}：{value}" for column, value in zip(rollup.columns, line[1:]))
    return "\n".join([*text, "", *_notes(rollup)]) + "\n"
