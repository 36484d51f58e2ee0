"""A finished year's 年度报告 page, and the same figures as data for the county roll-up."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ..annual_data import AnnualData
from ..annual_report import render, report_title
from ..config import DisclosureConfig
from ..entry import Entry
from ..report import dump_json
from ..rollup import annual_figures
from ..urls import annual_figures_path, annual_report_uri
from .base import GeneratedPage, SiteFiles


class AnnualReportPage(GeneratedPage):
    def __init__(self, published: Sequence[Entry], data: AnnualData, config: DisclosureConfig,
                 year: int, today: dt.date, site_name: str, site_url: str) -> None:
        super().__init__(annual_report_uri(year), report_title(config, year))
        self._published = published
        self._data = data
        self._config = config
        self._year = year
        self._today = today
        self._site = (site_name, site_url)

    def markdown(self) -> str:
        return render(self._published, self._data, self._config, self._year, self._today,
                      for_site=True)

    def files(self) -> SiteFiles:
        figures = annual_figures(self._published, self._data, self._config, self._year,
                                 self._today, *self._site)
        return {annual_figures_path(self._year): dump_json(figures)}
