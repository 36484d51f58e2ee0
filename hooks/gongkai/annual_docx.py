"""The annual report as a Word document in the national layout (`gongkai annual-report
--format docx`): staff submit the report in Word, so it is written, not pasted.

The same figures as the Markdown of annual_report.py, laid out as the national template
(国办公开办函〔2021〕30号) prints them: table 二 as one table with a merged row per 第二十条 item,
table 三 with its merged two-level header, table 四 with 行政复议 and the two kinds of 行政诉讼
side by side. Fonts are the usual ones of government documents (方正小标宋 title, 黑体 headings,
仿宋 text); Word substitutes them where they are not installed.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

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
)
from .annual_report import APPLICATIONS_TITLE, intro_text, report_title
from .annual_tables import amount_text, table_two
from .config import DisclosureConfig
from .entry import FEE_TYPE, Entry
from .statistics import Period, count_period
from .stats_formats import partial_note, sentence

TITLE_FONT, HEADING_FONT, TEXT_FONT, TABLE_FONT = "方正小标宋简体", "黑体", "仿宋_GB2312", "宋体"


def _font(run: Run, name: str, size: float, bold: bool = False) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    # Word takes Chinese text's font from eastAsia, which font.name does not set.
    run.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def _paragraph(document: WordDocument, text: str, *, font: str = TEXT_FONT, size: float = 16,
               bold: bool = False, indent: bool = True, centred: bool = False) -> Paragraph:
    paragraph = document.add_paragraph()
    if centred:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


def _plain(markdown: str) -> list[str]:
    """Paragraphs of staff prose (Markdown) as plain text: Word gets the words, not the marks."""
    text = re.sub(r"[*_`]", "", markdown)
    return [" ".join(block.split()) for block in re.split(r"\n\s*\n", text) if block.strip()]


def _table(document: WordDocument, rows: int, columns: int) -> Table:
    table = document.add_table(rows=rows, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _set(table: Table, row: int, column: int, text: str, *, bold: bool = False,
         centred: bool = True) -> None:
    cell = table.cell(row, column)
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if centred else WD_ALIGN_PARAGRAPH.LEFT
    _font(paragraph.add_run(text), TABLE_FONT, 10.5, bold)


def _merged(table: Table, top: int, left: int, bottom: int, right: int, text: str,
            **options: bool) -> None:
    table.cell(top, left).merge(table.cell(bottom, right))
    _set(table, top, left, text, **options)


def _table_two(document: WordDocument, entries: Sequence[Entry], year: int, today: dt.date) -> None:
    figures = table_two(entries, year, today)
    table = _table(document, 14, 4)
    _merged(table, 0, 0, 0, 3, "第二十条第（一）项", bold=True)
    for column, heading in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        _set(table, 1, column, heading)
    for offset, (name, counts) in enumerate(figures.documents.items()):
        for column, value in enumerate(
                [name, str(counts.issued), str(counts.ended), str(counts.in_force)]):
            _set(table, 2 + offset, column, value)
    sections = [
        (4, "第二十条第（五）项", "本年处理决定数量", [("行政许可", str(figures.decisions["行政许可"]))]),
        (7, "第二十条第（六）项", "本年处理决定数量",
         [(name, str(figures.decisions[name])) for name in ("行政处罚", "行政强制")]),
        (11, "第二十条第（八）项", "本年收费金额（单位：万元）",
         [(FEE_TYPE, amount_text(figures.fees))]),
    ]
    for row, item, heading, values in sections:
        _merged(table, row, 0, row, 3, item, bold=True)
        _set(table, row + 1, 0, "信息内容")
        _merged(table, row + 1, 1, row + 1, 3, heading)
        for offset, (name, value) in enumerate(values):
            _set(table, row + 2 + offset, 0, name)
            _merged(table, row + 2 + offset, 1, row + 2 + offset, 3, value)


def _table_three(document: WordDocument, data: AnnualData) -> None:
    lines: list[tuple[str, str | None, bool]] = [
        (NEW.label, NEW.key, False), (CARRIED_IN.label, CARRIED_IN.key, False),
        (RESULTS.label, None, True),
    ]
    for group, members in RESULT_GROUPS:
        lines.append((group.label, None if members else group.key, bool(members)))
        lines += [(member.label, member.key, False) for member in members]
    lines += [(RESULTS_TOTAL.label, RESULTS_TOTAL.key, False),
              (CARRIED_OUT.label, CARRIED_OUT.key, False)]
    width = len(COLUMNS) + 2
    table = _table(document, 3 + len(lines), width)
    _merged(table, 0, 0, 2, 0, "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
            centred=False)
    _merged(table, 0, 1, 0, width - 1, "申请人情况", bold=True)
    _merged(table, 1, 1, 2, 1, COLUMNS[0])
    _merged(table, 1, 2, 1, width - 2, "法人或其他组织")
    _merged(table, 1, width - 1, 2, width - 1, TOTAL)
    for offset, name in enumerate(COLUMNS[1:]):
        _set(table, 2, 2 + offset, name)
    for number, (label, key, heading) in enumerate(lines, start=3):
        if key is None:
            _merged(table, number, 0, number, width - 1, label, bold=True, centred=False)
            continue
        _set(table, number, 0, label, centred=False)
        cells = data.applications[key]
        for offset, column in enumerate((*COLUMNS, TOTAL)):
            _set(table, number, 1 + offset, str(cells[column]))


def _table_four(document: WordDocument, data: AnnualData) -> None:
    per_part = len(OUTCOMES) + 1
    table = _table(document, 4, per_part * len(TABLE_FOUR_ROWS))
    review, *suits = TABLE_FOUR_ROWS
    _merged(table, 0, 0, 1, per_part - 1, review.key, bold=True)
    _merged(table, 0, per_part, 0, per_part * len(TABLE_FOUR_ROWS) - 1, "行政诉讼", bold=True)
    for index, suit in enumerate(suits, start=1):
        _merged(table, 1, per_part * index, 1, per_part * (index + 1) - 1, suit.key)
    for index, row in enumerate(TABLE_FOUR_ROWS):
        cells = data.appeals[row.key]
        for offset, column in enumerate((*OUTCOMES, TOTAL)):
            _set(table, 2, per_part * index + offset, column)
            _set(table, 3, per_part * index + offset, str(cells[column]))


def render_docx(
    entries: Sequence[Entry], data: AnnualData, config: DisclosureConfig, year: int,
    today: dt.date,
) -> bytes:
    """The whole report, sections 一 to 六, as the bytes of a .docx file."""
    document = Document()
    _paragraph(document, report_title(config, year), font=TITLE_FONT, size=22, centred=True)
    stats = count_period(entries, config, Period.year(year), today)
    note = partial_note(stats)
    if note:
        _paragraph(document, note, bold=True)
    _paragraph(document, intro_text(year))

    def heading(text: str) -> None:
        _paragraph(document, text, font=HEADING_FONT, indent=True)

    heading("一、总体情况")
    _paragraph(document, sentence(stats, config))
    for text in _plain(data.texts.get(OVERVIEW, "")):
        _paragraph(document, text)
    heading("二、主动公开政府信息情况")
    _table_two(document, entries, year, today)
    heading(f"三、{APPLICATIONS_TITLE}")
    _table_three(document, data)
    heading("四、政府信息公开行政复议、行政诉讼情况")
    _table_four(document, data)
    for number, section in (("五", PROBLEMS), ("六", OTHER)):
        heading(f"{number}、{section}")
        for text in _plain(data.texts.get(section, "无。")):
            _paragraph(document, text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
