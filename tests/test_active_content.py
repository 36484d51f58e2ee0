"""The active-content scanner: what it refuses, what pasted documents may keep."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.active_content import _Scanner, find_in_html, find_in_markdown

REFUSED = [
    ("<script>alert(1)</script>", "<script> 元素"),
    ("<SCRIPT src=x></SCRIPT>", "<script> 元素"),
    ('<iframe src="https://example.com"></iframe>', "<iframe> 元素"),
    ('<object data="x.swf"></object>', "<object> 元素"),
    ('<embed src="x.swf">', "<embed> 元素"),
    ("<style>body{display:none}</style>", "<style> 元素"),
    ('<link rel="stylesheet" href="x.css">', "<link> 元素"),
    ('<meta http-equiv="refresh" content="0;url=https://x">', "<meta> 元素"),
    ('<base href="https://evil.example/">', "<base> 元素"),
    ('<form action="https://x"><input></form>', "<form> 元素"),
    ('<img src="x.png" onerror="alert(1)">', "<img> 的事件属性 onerror"),
    ("<div/onmouseover=alert(1)>x</div>", "<div> 的事件属性 onmouseover"),
    ('<a href="javascript:alert(1)">x</a>', "<a> 的 href 中的脚本链接「javascript:」"),
    ('<a href=" JaVa\tScRiPt:alert(1)">x</a>', "<a> 的 href 中的脚本链接「javascript:」"),
    ('<a href="&#106;avascript:alert(1)">x</a>', "<a> 的 href 中的脚本链接「javascript:」"),
    ('<a href="vbscript:msgbox">x</a>', "<a> 的 href 中的脚本链接「vbscript:」"),
    ('<img src="data:image/png;base64,AAAA">', "<img> 的 src 中的 data: 内嵌内容"),
    ('<span style="width:expression(alert(1))">x</span>', "<span> 的 style 属性中的脚本"),
    ("[点此](javascript:alert(1))", "Markdown 链接中的脚本链接「javascript:」"),
    ("![图](data:image/png;base64,AAAA)", "Markdown 链接中的 data: 内嵌内容"),
    ("[x]: javascript:alert(1)", "Markdown 链接中的脚本链接「javascript:」"),
]


@pytest.mark.parametrize("text, what", REFUSED, ids=[case[0] for case in REFUSED])
def test_active_content_is_refused_with_its_line(text, what):
    found = find_in_markdown(f"第一行\n\n{text}\n")
    assert [(item.line, item.what.split("（")[0]) for item in found][:1] == [(3, what.split("（")[0])]


ALLOWED = [
    ('<table border="1" style="border-collapse:collapse"><tr><td style="text-align:center;'
     'font-weight:bold">合计</td><td>1,280.00</td></tr></table>'),
    '<p class="MsoNormal"><span style="font-family:宋体">正文</span>&nbsp;</p>',
    "| 村 | 金额 |\n|---|---|\n| 示例村 | 100 |",
    "[县政府网站](https://www.example.gov.cn/) 与 [附件](files/a.pdf)",
    '<a href="https://www.example.gov.cn/data:2025">数据</a>',
    "金额<1000元、面积>50平方米的项目",
    "<!-- 注释 -->本办法自发布之日起施行。",
    "电话 on 023-70601234，data: 2025年",
]


@pytest.mark.parametrize("text", ALLOWED)
def test_plain_html_from_documents_is_allowed(text):
    assert find_in_markdown(text) == []


def _full_scan(text: str) -> list:
    scanner = _Scanner()
    scanner.feed(text)
    scanner.close()
    return scanner.found


FRAGMENTS = st.sampled_from([
    "<", ">", "/", " ", "\t", "\n", "\x01", '"', "'", "=", ":", "&", "&#106;", "#", "(",
    "a", "t", "on", "href", "src", "style", "data", "java", "script", "vb", "img", "div",
    "expression", "behavior", "正文", "表", "iframe", "x",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_the_quick_precheck_never_hides_a_finding(text):
    """`find_in_html` skips parsing when a cheap test says nothing can be found: never wrongly."""
    assert find_in_html(text) == _full_scan(text)
