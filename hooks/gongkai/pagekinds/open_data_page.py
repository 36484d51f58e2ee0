"""The 数据开放 page and the catalogue's data files it documents."""

from __future__ import annotations

from ..opendata import PAGE_TITLE, Value, catalogue_csv, catalogue_json, page_markdown
from ..urls import DATA_CSV_PATH, DATA_JSON_PATH, DATA_PAGE_URI
from .base import GeneratedPage, SiteFiles


class OpenDataPage(GeneratedPage):
    def __init__(self, rows: list[dict[str, Value]], generated: str, site_url: str) -> None:
        super().__init__(DATA_PAGE_URI, PAGE_TITLE)
        self._rows = rows
        self._generated = generated
        self._site_url = site_url

    def markdown(self) -> str:
        return page_markdown(len(self._rows))

    def files(self) -> SiteFiles:
        return {
            DATA_JSON_PATH: catalogue_json(self._rows, self._generated, self._site_url),
            DATA_CSV_PATH: catalogue_csv(self._rows),
        }
