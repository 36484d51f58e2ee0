"""The 公开统计 page and its two data files, from the channel statistics counted once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..config import DisclosureConfig
from ..report import PAGE_TITLE, site_files, stats_page
from ..statistics import PeriodStatistics
from ..urls import STATS_PAGE_URI
from .base import GeneratedPage, SiteFiles


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
