"""The 公开统计 page and its two data files, from the channel statistics counted once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..config import DisclosureConfig
from ..statistics import PeriodStatistics, chinese_date
from ..stats_formats import RULES_NOTE, csv_bytes, dump_json, markdown_section, site_json
from ..urls import STATS_CSV_PATH, STATS_JSON_PATH, STATS_PAGE_URI, link_from
from .base import GeneratedPage, SiteFiles

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
        # Raw HTML, so that the CSV link can carry `download`.
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


class StatisticsPage(GeneratedPage):
    def __init__(self, statistics: Sequence[PeriodStatistics], config: DisclosureConfig,
                 today: dt.date, generated: str) -> None:
        super().__init__(STATS_PAGE_URI, PAGE_TITLE)
        self._statistics = statistics
        self._config = config
        self._today = today
        self._generated = generated

    def markdown(self) -> str:
        return stats_page(self._statistics, self._config, self._today)

    def files(self) -> SiteFiles:
        return site_files(self._statistics, self._config, self._generated)
