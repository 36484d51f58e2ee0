"""A finished year's 年度报告 page, and the same figures as data for the county roll-up;
the list of the reports for the 年报 column page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from ..annual_data import AnnualData
from ..annual_report import render, report_title
from ..config import DisclosureConfig
from ..entry import Entry
from ..markdown_tables import markdown_cell
from ..rollup import annual_figures
from ..stats_formats import dump_json
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


def site_years(data_years: Sequence[int], today: dt.date) -> list[int]:
    """Years whose report the site shows, newest first: those with a file, once over.

    The file is the staff's statement that the report is ready (without it tables 三 and 四
    would claim zero applications); a year still running has no report yet, whatever its file.
    """
    return sorted((year for year in data_years if year < today.year), reverse=True)


def report_list_markdown(
    years: Sequence[int], config: DisclosureConfig, href: Callable[[str], str]
) -> str:
    """The list of reports for the 政府信息公开年报 page; `href` makes a source path a link."""
    if not years:
        return "暂无已发布的年度报告。"
    return "\n".join(
        f"- [{markdown_cell(report_title(config, year))}]({href(annual_report_uri(year))})" for year in years
    )
