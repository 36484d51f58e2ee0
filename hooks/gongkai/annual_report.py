"""The annual report (政府信息公开工作年度报告, 国办公开办函〔2021〕30号) as Markdown.

Sections 一 to 六 in the national structure:

- 一、总体情况 opens with the channel sentence of `report.sentence` (the same counting as the
  公开统计 page), followed by the staff's own prose from the year's file;
- 二、主动公开政府信息情况 is computed from the entries (`table_two`);
- 三 and 四 (tables) and 五 and 六 (prose) come from the year's file (`annual_data.py`).

The counting rules of table 二, for the year as counted up to `min(31 Dec, today)`:

- 本年制发件数: 规章 / 行政规范性文件 published in the year;
- 本年废止件数: those whose first 废止 or 失效 date (`repealed`, `expires`) is in the year;
- 现行有效件数: those published by the year's last counted day and still 有效 on it;
- 本年处理决定数量: the sum of `decisions` over 行政许可 / 行政处罚 / 行政强制 items whose
  decision date (`decided`, else the 发布日期) is in the year — an item decided in December
  and published in January counts for December's year, once it is published;
- 本年收费金额: the sum of `fee_amount` (万元) over 行政事业性收费 items published in the year.

No MkDocs import: `gongkai annual-report` and the site's report pages both call `render`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from .annual_data import (
    CARRIED_IN,
    CARRIED_OUT,
    COLUMNS,
    NEW,
    OTHER,
    OUTCOMES,
    OVERVIEW,
    PROBLEMS,
    RESULT_GROUPS,
    RESULTS,
    RESULTS_TOTAL,
    TABLE_FOUR_ROWS,
    TOTAL,
    AnnualData,
    Cells,
)
from .config import DisclosureConfig
from .entry import DECISION_TYPES, DEFAULT_VALIDITY, DOCUMENT_TYPES, FEE_TYPE, Entry
from .report import _cell, _table, partial_note, sentence
from .statistics import Period, chinese_date, count_period, counted_entries
from .urls import annual_report_uri

APPLICATIONS_TITLE = "收到和处理政府信息公开申请情况"


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


def _bold(text: str) -> str:
    return f"**{text}**"


def table_two_markdown(table: TableTwo) -> str:
    """The four small tables of section 二, each under its 第二十条 item as in the template."""
    documents = _table(
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        [[name, str(c.issued), str(c.ended), str(c.in_force)]
         for name, c in table.documents.items()],
        1,
    )
    licences = _table(["信息内容", "本年处理决定数量"],
                      [["行政许可", str(table.decisions["行政许可"])]], 1)
    sanctions = _table(
        ["信息内容", "本年处理决定数量"],
        [[name, str(table.decisions[name])] for name in ("行政处罚", "行政强制")], 1,
    )
    fees = _table(["信息内容", "本年收费金额（单位：万元）"],
                  [[FEE_TYPE, amount_text(table.fees)]], 1)
    return "\n\n".join([
        _bold("第二十条第（一）项"), documents,
        _bold("第二十条第（五）项"), licences,
        _bold("第二十条第（六）项"), sanctions,
        _bold("第二十条第（八）项"), fees,
    ])


def _numbers(cells: Cells, columns: Sequence[str]) -> list[str]:
    return [str(cells[column]) for column in (*columns, TOTAL)]


def table_three_markdown(data: AnnualData) -> str:
    """Table 三 with the national rows; a group's heading row has no numbers of its own."""
    rows = data.applications
    blank = [""] * (len(COLUMNS) + 1)
    lines = [
        [NEW.label, *_numbers(rows[NEW.key], COLUMNS)],
        [CARRIED_IN.label, *_numbers(rows[CARRIED_IN.key], COLUMNS)],
        [RESULTS.label, *blank],
    ]
    for group, members in RESULT_GROUPS:
        if not members:
            lines.append([group.label, *_numbers(rows[group.key], COLUMNS)])
            continue
        lines.append([group.label, *blank])
        lines += [[f"　{row.label}", *_numbers(rows[row.key], COLUMNS)] for row in members]
    lines.append([_bold(RESULTS_TOTAL.label), *_numbers(rows[RESULTS_TOTAL.key], COLUMNS)])
    lines.append([CARRIED_OUT.label, *_numbers(rows[CARRIED_OUT.key], COLUMNS)])
    header = ["申请人情况", "自然人", *(f"法人或其他组织：{name}" for name in COLUMNS[1:]), TOTAL]
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    return f"{note}\n\n{_table(header, lines, 1)}"


def table_three_html(data: AnnualData) -> str:
    """Table 三 for the site, with the national merged two-level header (申请人情况 over the
    columns, 法人或其他组织 over its five kinds) that a Markdown table cannot express. The row
    labels keep one column of their own; a group's heading row spans the table."""
    rows = data.applications
    width = len(COLUMNS) + 2

    def numbers(key: str) -> str:
        return "".join(f"<td>{value}</td>" for value in _numbers(rows[key], COLUMNS))

    def row(label: str, key: str, css: str = "") -> str:
        kind = f' class="{css}"' if css else ""
        return f'<tr{kind}><th scope="row">{escape(label)}</th>{numbers(key)}</tr>'

    def heading(label: str) -> str:
        return (f'<tr class="gk-t3__group"><th scope="rowgroup" colspan="{width}">'
                f"{escape(label)}</th></tr>")

    body = [row(NEW.label, NEW.key), row(CARRIED_IN.label, CARRIED_IN.key), heading(RESULTS.label)]
    for group, members in RESULT_GROUPS:
        if not members:
            body.append(row(group.label, group.key, "gk-t3__level1"))
            continue
        body.append(f'<tr class="gk-t3__level1"><th scope="rowgroup" colspan="{width}">'
                    f"{escape(group.label)}</th></tr>")
        body += [row(member.label, member.key, "gk-t3__level2") for member in members]
    body.append(row(RESULTS_TOTAL.label, RESULTS_TOTAL.key, "gk-t3__level1 gk-t3__total"))
    body.append(row(CARRIED_OUT.label, CARRIED_OUT.key))
    kinds = "".join(f'<th scope="col">{escape(name)}</th>' for name in COLUMNS[1:])
    head = (
        '<tr><td class="gk-t3__corner" rowspan="3">（本列数据的勾稽关系为：第一项加第二项之和，'
        f'等于第三项加第四项之和）</td><th scope="colgroup" colspan="{width - 1}">申请人情况</th></tr>'
        f'<tr><th scope="col" rowspan="2">{COLUMNS[0]}</th>'
        f'<th scope="colgroup" colspan="{len(COLUMNS) - 1}">法人或其他组织</th>'
        f'<th scope="col" rowspan="2">{TOTAL}</th></tr>'
        f"<tr>{kinds}</tr>"
    )
    # One line: a blank line would end Markdown's raw HTML block.
    return (
        f'<div class="gk-t3" role="region" aria-label="{APPLICATIONS_TITLE}" tabindex="0">'
        f'<table class="gk-t3__table"><thead>{head}</thead><tbody>{"".join(body)}</tbody>'
        "</table></div>"
    )


def table_four_markdown(data: AnnualData) -> str:
    """Table 四, one row per 行政复议 / 行政诉讼 part (the template prints them side by side)."""
    lines = [[row.label, *_numbers(data.appeals[row.key], OUTCOMES)] for row in TABLE_FOUR_ROWS]
    return _table(["类别", *OUTCOMES, TOTAL], lines, 1)


def report_title(config: DisclosureConfig, year: int) -> str:
    return f"{config.publisher}{year}年政府信息公开工作年度报告"


def intro_text(year: int) -> str:
    """The report's opening paragraph: its legal basis and the period it covers."""
    period = Period.year(year)
    return (
        "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和"
        "《中华人民共和国政府信息公开工作年度报告格式》（国办公开办函〔2021〕30号）编制。"
        f"本报告所列数据的统计期限为{chinese_date(period.start)}至{chinese_date(period.end)}。"
    )


def render(
    entries: Sequence[Entry], data: AnnualData, config: DisclosureConfig, year: int,
    today: dt.date, *, for_site: bool = False,
) -> str:
    """The whole report as Markdown, sections 一 to 六. `for_site`: table 三 as HTML with the
    national merged header (the command's Markdown keeps a plain table staff can edit)."""
    stats = count_period(entries, config, Period.year(year), today)
    intro = intro_text(year)
    overview = [_cell(sentence(stats, config))]
    if OVERVIEW in data.texts:
        overview.append(data.texts[OVERVIEW])
    parts = [f"# {_cell(report_title(config, year))}"]
    note = partial_note(stats)
    if note:
        parts.append(f"!!! warning \"本年度尚未结束\"\n    {note}")
    parts += [
        intro,
        "## 一、总体情况", *overview,
        "## 二、主动公开政府信息情况", table_two_markdown(table_two(entries, year, today)),
        f"## 三、{APPLICATIONS_TITLE}",
        table_three_html(data) if for_site else table_three_markdown(data),
        "## 四、政府信息公开行政复议、行政诉讼情况", table_four_markdown(data),
        f"## 五、{PROBLEMS}", data.texts.get(PROBLEMS, "无。"),
        f"## 六、{OTHER}", data.texts.get(OTHER, "无。"),
    ]
    return "\n\n".join(parts) + "\n"


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
        f"- [{_cell(report_title(config, year))}]({href(annual_report_uri(year))})" for year in years
    )
