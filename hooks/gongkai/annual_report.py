"""The annual report (政府信息公开工作年度报告, 国办公开办函〔2021〕30号) as Markdown.

Sections 一 to 六 in the national structure:

- 一、总体情况 opens with the channel sentence of `stats_formats.sentence` (the same counting as the
  公开统计 page), followed by the staff's own prose from the year's file;
- 二、主动公开政府信息情况 is computed from the entries (`table_two`);
- 三 and 四 (tables) and 五 and 六 (prose) come from the year's file (`annual_data.py`).

Table 二's counting rules are in annual_tables.py.

No MkDocs import: `gongkai annual-report` and the site's report pages both call `render`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
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
from .annual_tables import TableTwo, amount_text, table_two
from .config import DisclosureConfig
from .entry import FEE_TYPE, Entry
from .markdown_tables import markdown_cell, markdown_table
from .statistics import Period, chinese_date, count_period
from .stats_formats import partial_note, sentence

APPLICATIONS_TITLE = "收到和处理政府信息公开申请情况"


def _bold(text: str) -> str:
    return f"**{text}**"


def table_two_markdown(table: TableTwo) -> str:
    """The four small tables of section 二, each under its 第二十条 item as in the template."""
    documents = markdown_table(
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        [[name, str(c.issued), str(c.ended), str(c.in_force)]
         for name, c in table.documents.items()],
        1,
    )
    licences = markdown_table(["信息内容", "本年处理决定数量"],
                      [["行政许可", str(table.decisions["行政许可"])]], 1)
    sanctions = markdown_table(
        ["信息内容", "本年处理决定数量"],
        [[name, str(table.decisions[name])] for name in ("行政处罚", "行政强制")], 1,
    )
    fees = markdown_table(["信息内容", "本年收费金额（单位：万元）"],
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
    return f"{note}\n\n{markdown_table(header, lines, 1)}"


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
    return markdown_table(["类别", *OUTCOMES, TOTAL], lines, 1)


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
    overview = [markdown_cell(sentence(stats, config))]
    if OVERVIEW in data.texts:
        overview.append(data.texts[OVERVIEW])
    parts = [f"# {markdown_cell(report_title(config, year))}"]
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
