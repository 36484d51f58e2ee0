"""The kinds of page (and file) gongkai generates, one small class each.

Each class knows one kind: its source URI (from urls.py), its title and government meta tags,
the Markdown MkDocs converts, the HTML made around it once the page's URL is known, and the
data files that go with it. None imports MkDocs: plugin.py adds the pages and files to
MkDocs' `Files`, and hands each page the links it needs (`PageLinks`) when it renders it.

- `EntryPage`: one disclosure entry (entry_page.py);
- `CataloguePage`: one page of the 信息公开目录 or of a category or year listing;
- `StatisticsPage`: the 公开统计 page and `stats/channels.json` / `.csv`;
- `AnnualReportPage`: a year's 年度报告 and its figures for the county roll-up;
- `OpenDataPage`: the 数据开放 page and `data/catalogue.json` / `.csv`;
- `SiteMapPage`: the 网站地图;
- `FeedFiles`: the RSS feeds (files only).
"""

from .annual_report_page import AnnualReportPage
from .base import GeneratedPage, PageLinks, SiteFiles
from .catalogue_page import CataloguePage
from .entry_page import EntryContext, EntryPage
from .feed_files import FeedFiles
from .open_data_page import OpenDataPage
from .site_map_page import SiteMapPage
from .statistics_page import StatisticsPage

__all__ = [
    "AnnualReportPage",
    "CataloguePage",
    "EntryContext",
    "EntryPage",
    "FeedFiles",
    "GeneratedPage",
    "OpenDataPage",
    "PageLinks",
    "SiteFiles",
    "SiteMapPage",
    "StatisticsPage",
]
