"""Table 二 of the annual report (主动公开政府信息情况), counted from the entries.

The counting rules, for the year as counted up to `min(31 Dec, today)`:

- 本年制发件数: 规章 / 行政规范性文件 published in the year;
- 本年废止件数: those whose first 废止 or 失效 date (`repealed`, `expires`) is in the year;
- 现行有效件数: those published by the year's last counted day and still 有效 on it;
- 本年处理决定数量: the sum of `decisions` over 行政许可 / 行政处罚 / 行政强制 items whose
  decision date (`decided`, else the 发布日期) is in the year — an item decided in December
  and published in January counts for December's year, once it is published;
- 本年收费金额: the sum of `fee_amount` (万元) over 行政事业性收费 items published in the year.

The report (annual_report.py) and the county roll-up's figures (rollup.py) both use it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .entry import DECISION_TYPES, DEFAULT_VALIDITY, DOCUMENT_TYPES, FEE_TYPE, Entry
from .statistics import Period, counted_entries


@dataclass(frozen=True)
class DocumentCounts:
    """第二十条第（一）项 for one kind of document."""

    issued: int
    """本年制发件数"""
    ended: int
    """本年废止件数"""
    in_force: int
    """现行有效件数"""


@dataclass(frozen=True)
class TableTwo:
    """二、主动公开政府信息情况, counted from the entries (rules in the module docstring)."""

    documents: dict[str, DocumentCounts]
    """规章 and 行政规范性文件."""
    decisions: dict[str, int]
    """行政许可, 行政处罚 and 行政强制: 本年处理决定数量."""
    fees: Decimal
    """行政事业性收费: 本年收费金额（万元）."""


def table_two(entries: Sequence[Entry], year: int, today: dt.date) -> TableTwo:
    """Table 二 of `year` from the entries published by `today`."""
    period = Period.year(year)
    last = min(period.end, today)
    published = [entry for entry in entries if entry.is_published(today)]
    in_year = counted_entries(entries, period, today)
    documents = {}
    for doc_type in DOCUMENT_TYPES:
        kind = [entry for entry in published if entry.doc_type == doc_type]
        documents[doc_type] = DocumentCounts(
            issued=sum(1 for entry in in_year if entry.doc_type == doc_type),
            ended=sum(1 for entry in kind
                      if entry.ended is not None and period.start <= entry.ended <= last),
            in_force=sum(1 for entry in kind
                         if entry.is_published(last) and entry.validity_on(last) == DEFAULT_VALIDITY),
        )
    decisions = {
        doc_type: sum(
            entry.decisions for entry in published
            if entry.doc_type == doc_type and period.start <= entry.decision_day <= last
        )
        for doc_type in DECISION_TYPES
    }
    fees = sum(
        (entry.fee_amount for entry in in_year
         if entry.doc_type == FEE_TYPE and entry.fee_amount is not None),
        Decimal(0),
    )
    return TableTwo(documents, decisions, fees)


def amount_text(amount: Decimal) -> str:
    """万元 as written in the table: `12.5`, `0`, never `1.25E+1`."""
    text = format(amount, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
