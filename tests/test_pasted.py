"""Pasted text keeps its meaning (issue 14, point 5): masked numbers keep their stars, and a
table pasted from Excel as tab-separated lines becomes a table."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import Project
from gongkai.pasted import _FENCE, _cells, _literal_stars, _table, prepare_body

MASKED = "张某某，身份证号500230********0018；李某某，身份证号500230********0023，电话138****5678。"


def test_masked_numbers_show_every_star_and_no_emphasis(project: Project):
    body = f"{MASKED}\n\n**注意**：公示期七天。\n"
    project.entry("disclosures/2021/dibao.md", body=body, index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    html = result.page("disclosures/2021/dibao")
    paragraph = re.search(r"<p>(张某某.*?)</p>", html).group(1)
    shown = paragraph.replace("&#42;", "*")
    assert shown == MASKED
    assert "<em>" not in paragraph and "<strong>" not in paragraph
    assert "<p><strong>注意</strong>：公示期七天。</p>" in html  # real emphasis still works


def test_tab_separated_block_becomes_a_table(project: Project):
    body = ("补助发放情况如下：\n村名\t户数\t金额（元）\n石梁村\t2\t1,200\n"
            "河坝村\t1\t600\n以上名单如有异议请反映。\n")
    project.entry("disclosures/2021/table.md", body=body, index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    html = result.page("disclosures/2021/table")
    table = re.search(r"<table>(.*?)</table>", html, re.DOTALL).group(1)
    assert re.findall(r"<th>([^<]*)</th>", table) == ["村名", "户数", "金额（元）"]
    assert re.findall(r"<td>([^<]*)</td>", table) == ["石梁村", "2", "1,200", "河坝村", "1", "600"]
    assert "<p>补助发放情况如下：</p>" in html and "<p>以上名单如有异议请反映。</p>" in html


def test_what_is_not_a_pasted_table_or_a_mask_is_left_alone():
    # Paragraphs indented with a tab (Word), a single tabbed line, code, emphasis.
    text = ("\t各村（社区）：\n\t现将有关事项通知如下。\n\n只有一行\t两格\n\n"
            "```\na\tb\nc\td\n2**3\n```\n\n*强调* 与 2 * 3 = 6\n")
    assert prepare_body(text) == text


def test_rows_of_different_widths_end_the_table():
    text = "a\tb\nc\td\ne\tf\tg\n"
    assert prepare_body(text) == "\n| a | b |\n|---|---|\n| c | d |\n\ne\tf\tg\n"


def _prepare_line_by_line(markdown: str) -> str:
    """prepare_body as first written: every line looked at, fences and tab blocks found."""
    lines = markdown.split("\n")
    out: list[str] = []
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or _FENCE.match(line):
            out.append(line)
            index += 1
            continue
        block: list[list[str]] = []
        while index + len(block) < len(lines):
            cells = _cells(lines[index + len(block)])
            if cells is None or len(cells) < 2 or (block and len(cells) != len(block[0])):
                break
            block.append(cells)
        if len(block) >= 2:
            out.extend(_literal_stars(text) for text in _table(block))
            index += len(block)
            continue
        out.append(_literal_stars(line))
        index += 1
    return "\n".join(out)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(["1", "X", "x", "*", "**", "a", " ", "\n", "\r\n", "\t", "|",
                                 "```", "~~~", "  ```", "正文"]), max_size=40).map("".join))
def test_bodies_without_tabs_or_fences_are_prepared_as_line_by_line(text):
    """The quick path for bodies without a tab or a fence changes them as looking at each
    line does."""
    assert prepare_body(text) == _prepare_line_by_line(text)
