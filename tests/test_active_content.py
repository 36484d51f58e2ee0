"""The allowlist of active_content.py: what it refuses (and how it words it), what pasted
documents may keep."""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.active_content import (
    Finding,
    Kind,
    _may_hold_script,
    find_in_html,
    find_live_script,
    judge_tree,
    parse,
    plainly_allowed,
    url_scheme,
)
from gongkai.screening import MarkdownSettings, TextScreen

SCRIPT, WORD, OTHER = Kind.SCRIPT, Kind.WORD, Kind.OTHER

REFUSED_HTML = [
    ("<script>alert(1)</script>", "<script> 元素", SCRIPT),
    ("<SCRIPT src=x></SCRIPT>", "<script> 元素", SCRIPT),
    ('<iframe src="https://example.com"></iframe>', "<iframe> 元素", SCRIPT),
    ('<object data="x.swf"></object>', "<object> 元素", SCRIPT),
    ('<embed src="x.swf">', "<embed> 元素", SCRIPT),
    ('<base href="https://evil.example/">', "<base> 元素", SCRIPT),
    ("<style>body{display:none}</style>", "<style> 元素", WORD),
    ('<link rel="stylesheet" href="x.css">', "<link> 元素", WORD),
    ('<meta http-equiv="refresh" content="0;url=https://x">', "<meta> 元素", WORD),
    ("<p>正文<o:p></o:p></p>", "<o:p> 元素", WORD),
    ('<p xmlns:o="urn:schemas-microsoft-com:office:office">x</p>', "<p> 的属性 xmlns:o", WORD),
    ('<form action="https://x"><input></form>', "<form> 元素", OTHER),
    ('<img src="x.png" onerror="alert(1)">', "<img> 的事件属性 onerror", SCRIPT),
    ("<div/onmouseover=alert(1)>x</div>", "<div> 的事件属性 onmouseover", SCRIPT),
    ('<a href="javascript:alert(1)">x</a>', "<a> 的 href 中的脚本链接「javascript:」", SCRIPT),
    ('<a href=" JaVa\tScRiPt:alert(1)">x</a>', "<a> 的 href 中的脚本链接「javascript:」", SCRIPT),
    ('<a href="&#106;avascript:alert(1)">x</a>', "<a> 的 href 中的脚本链接「javascript:」", SCRIPT),
    ('<a href="java&#x0A;script:alert(1)">x</a>', "<a> 的 href 中的脚本链接「javascript:」", SCRIPT),
    ('<a href="vbscript:msgbox">x</a>', "<a> 的 href 中的脚本链接「vbscript:」", SCRIPT),
    ('<img src="data:image/png;base64,AAAA">', "<img> 的 src 中的 data: 内嵌内容", OTHER),
    ('<a href="file:///C:/x.doc">x</a>', "<a> 的 href 中的「file:」地址", OTHER),
    ('<span style="width:expression(alert(1))">x</span>', "<span> 的 style 属性中的脚本", SCRIPT),
    ('<span style="width:expr\\65 ssion(alert(1))">x</span>', "<span> 的 style 属性中的脚本",
     SCRIPT),
    ("<!--> <img src=x onerror=alert(1)> -->", "<img> 的事件属性 onerror", SCRIPT),
    ("<!---> <img src=x onerror=alert(1)> -->", "<img> 的事件属性 onerror", SCRIPT),
    ("<![CDATA[ ><img src=x onerror=alert(1)> ]]>", "<img> 的事件属性 onerror", SCRIPT),
    ('<svg><animate attributeName="href" values="#;javascript:alert(1)"/></svg>',
     "<animate> 的 values 中的脚本链接「javascript:」", SCRIPT),
    ('<svg><set attributeName="href" to="javascript:alert(1)"/></svg>',
     "<set> 的 to 中的脚本链接「javascript:」", SCRIPT),
    ("<math><mi xlink:href=javascript:alert(1)>x</mi></math>",
     "<mi> 的 href 中的脚本链接「javascript:」", SCRIPT),
    ('<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
     "<iframe> 的 srcdoc 属性（内嵌网页）", SCRIPT),
    ('<button formaction="javascript:alert(1)">x</button>',
     "<button> 的 formaction 中的脚本链接「javascript:」", SCRIPT),
    ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
     "<noscript> 元素", SCRIPT),
]


@pytest.mark.parametrize("text, what, kind", REFUSED_HTML, ids=[case[0] for case in REFUSED_HTML])
def test_html_outside_the_allowlist_is_found_and_named(text, what, kind):
    assert Finding(what, kind) in find_in_html(f"<p>前文</p>{text}")
    assert bool(find_live_script(text)) == (kind is SCRIPT)


ALLOWED_HTML = [
    ('<table class="MsoTableGrid" border="1" style="border-collapse:collapse"><tr>'
     '<td width="120" style="text-align:center;font-weight:bold" colspan="2">合计</td>'
     "<td>1,280.00</td></tr></table>"),
    ('<p class="MsoNormal" align="center"><span style="font-family:宋体" lang="EN-US">正文</span>'
    "&nbsp;</p>"),
    ('<a href="https://www.example.gov.cn/data:2025">数据</a> <a href="mailto:a@example.cn">信</a>'
    ' <a href="tel:023-70601234">电话</a> <a href="../files/a.pdf">附件</a> <a href="#top">顶</a>'),
    '<img src="images/a.png" alt="图" width="300">',
    "金额<1000元、面积>50平方米的项目",
    "<!-- 注释 -->本办法自发布之日起施行。<!--[if gte mso 9]><xml><o:p></o:p></xml><![endif]-->",
    "<h2 id=\"x\">标题</h2><ol start=\"3\"><li>一</li></ol><blockquote>引文</blockquote>",
]


@pytest.mark.parametrize("text", ALLOWED_HTML)
def test_plain_html_from_documents_is_allowed(text):
    assert find_in_html(text) == []


def test_forms_are_allowed_only_where_asked_for():
    form = '<form action="./" method="get"><label for="q">词</label><input id="q" name="q"></form>'
    assert find_in_html(form, forms=True) == []
    assert Finding("<form> 元素", OTHER) in find_in_html(form)
    assert find_in_html('<form action="https://evil.example/">', forms=True) == []
    assert find_in_html('<form action="ftp://x/">', forms=True) == [
        Finding("<form> 的 action 中的「ftp:」地址", OTHER)]


@pytest.mark.parametrize("url, scheme", [
    ("https://x", "https"), (" \x01JavaScript:x", "javascript"), ("java\tscript:x", "javascript"),
    ("java script:x", None), ("./a:b", None), ("//evil.example/x", None), ("#a", None),
])
def test_url_schemes_are_read_as_browsers_read_them(url, scheme):
    assert url_scheme(url) == scheme


SITE_MARKDOWN = MarkdownSettings(("toc", "tables", "fenced_code", "attr_list", "md_in_html"))
REFUSED_MARKDOWN = [
    ("[点此](javascript:alert(1))", "<a> 的 href 中的脚本链接「javascript:」"),
    ("![图](data:image/png;base64,AAAA)", "<img> 的 src 中的 data: 内嵌内容"),
    ("[点此][x]\n\n[x]:\n  javascript:alert(1)", "<a> 的 href 中的脚本链接「javascript:」"),
    ("[点此](java\tscript:alert(1))", "<a> 的 href 中的脚本链接「javascript:」"),
    ("[点此](&#106;avascript:alert(1))", "<a> 的 href 中的脚本链接「javascript:」"),
    ("<javascript:alert(1)>", "<javascript:alert(1)> 元素"),  # raw HTML to Markdown
    ("段落\n{: onclick=alert(1) }", "<p> 的事件属性 onclick"),
    ("| a |\n|---|\n| b {: onclick=alert(1) } |", "<td> 的事件属性 onclick"),
    ('<div markdown="1">\n*x*{: onmouseover=alert(1) }\n</div>', "<em> 的事件属性 onmouseover"),
    ("`<!--` <img src=x onerror=alert(1)> `-->`", "<img> 的事件属性 onerror"),
]


@pytest.mark.parametrize("text, what", REFUSED_MARKDOWN, ids=[case[0] for case in REFUSED_MARKDOWN])
def test_markdown_is_judged_by_what_it_renders_to(text, what):
    screen = TextScreen(SITE_MARKDOWN)
    assert what in [finding.what for finding in screen.markdown_findings(text)]


def test_a_finding_is_traced_to_the_line_that_completes_it():
    screen = TextScreen(SITE_MARKDOWN)
    text = "第一行\n\n[点此][x]\n\n中间\n\n[x]:\n  javascript:alert(1)\n\n末行"
    [problem] = screen.screen("a.md", 10, "正文", text)
    assert problem.line == 17


HTML_PIECES = st.sampled_from([
    "<", ">", "/", "/>", " ", "\t", "\n", "\x0c", '"', "'", "=", "`", "&", "&#106;", "&quot;",
    "&#x09;", "<!--", "-->", "<?", "p", "a", "td", "table", "img", "svg", "math", "o:p", "span",
    "style", "script", "href", "src", "class", "on", "click", "javascript:", "java", "data:",
    "x", "正文", "<p>", "</p>", "<a href=", '<img src="', "<td class=", "expression(",
    "&Tab;", "&colon;", "&#x6A;", "\\", "/*", "*/", "65", "srcdoc", "<iframe", "<svg><script>",
])


@settings(max_examples=500, deadline=None)
@given(st.lists(HTML_PIECES, max_size=30).map("".join))
def test_the_quick_path_agrees_with_the_full_parse(text):
    """`find_in_html` skips html5lib for plainly allowed HTML, `find_live_script` for HTML
    that cannot hold script: never wrongly."""
    assert find_in_html(text) == judge_tree(parse(text))
    assert find_in_html(text, forms=True) == judge_tree(parse(text), forms=True)
    script = [found for found in judge_tree(parse(text), forms=True) if found.kind is Kind.SCRIPT]
    assert find_live_script(text) == script


COMMENTS_PLAINLY_INERT = ["<!-- gongkai:latest -->", "<p>前文</p>\n<!-- a - b -->\n<p>后文</p>"]
COMMENTS_FOR_THE_FULL_PARSE = ["<!-->", "<!--->", "<!--->x-->", "<!-- a -- b -->",
                               "<!-- <p> -->", "<!-- a --!>", "<!-- a --->", "<!---->"]


@pytest.mark.parametrize("text", COMMENTS_PLAINLY_INERT)
def test_plain_comments_such_as_the_site_markers_skip_the_full_parse(text):
    assert plainly_allowed(text)
    assert not plainly_allowed(text, one_line_tags=True)  # Markdown reads comments its own way


@pytest.mark.parametrize("text", COMMENTS_FOR_THE_FULL_PARSE)
def test_comments_the_tokenizer_may_read_otherwise_go_to_the_full_parse(text):
    assert not plainly_allowed(f"{text}<p>x</p>")
    assert find_in_html(f"{text}<p>x</p>") == judge_tree(parse(f"{text}<p>x</p>"))


def _may_hold_script_by_dropping(text: str) -> bool:
    """The build's pre-check as it was first written, kept as the definition the fast one
    must meet: look for each marker in a copy of the text without its ignored characters."""
    ignored = re.compile(r"[\x00-\x20\x7f\u00ad\u200b-\u200f\u2028\u2029\ufeff]+")
    lowered = text.lower()
    if (re.search("<(?:applet|base|embed|frame|frameset|iframe|noscript|object|portal|script"
                  "|template)", lowered)
            or re.search("[\t\n\x0c\r /\"']on", lowered) or "srcdoc" in lowered):
        return True
    readings = {lowered, html.unescape(text).lower()} if "&" in text else {lowered}
    for reading in readings:
        squeezed = ignored.sub("", reading)
        if ("\\" in reading or "/*" in reading or re.search("(?:java|vb)script:", squeezed)
                or any(marker in squeezed for marker in (
                    "expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding"))):
            return True
    return False


IGNORED_PIECES = ["\x00", "\x01", "\x1f", " ", "\t", "\n", "\x7f", "\u00ad", "\u200b",
                  "\u200f", "\u2028", "\u2029", "\ufeff", "&#x200b;", "&shy;", "&NewLine;"]
MARKER_PIECES = ["java", "vb", "script", ":", "&colon;", "&#58;", "expr", "ession", "(",
                 "&lpar;", "be", "havior", "-moz", "-binding", "J", "S", "&#x4A;", "&#115;",
                 "\u0130", "\u212a", "x", "正文", '<p style="', '<a href="', '">', "</a>",
                 "\\", "/", "*", "&", "on", "<scr", "ipt"]


@pytest.mark.parametrize("marker", ["javascript:", "vbscript:", "expression(", "behavior:",
                                    "-moz-binding"])
@pytest.mark.parametrize("between", ["", "\u200b", "\ufeff\u00ad", "\x00\t\n", "&#x200b;",
                                     "\u2028 \u2029"])
def test_every_marker_is_seen_however_ignored_characters_split_it(marker, between):
    """Each script URL or style marker, with ignored characters (or a reference to one)
    between every two of its letters, in upper case too, sends the page to the full parse."""
    for written in (marker, marker.upper()):
        text = f'<p><a href="{between.join(written)}x">正文</a></p>'
        assert _may_hold_script(text), text
        assert _may_hold_script_by_dropping(text), text


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(IGNORED_PIECES + MARKER_PIECES), max_size=24).map("".join))
def test_the_build_pre_check_decides_as_dropping_the_ignored_characters_does(text):
    """The fast pre-check of every page (`_may_hold_script`) never lets through what looking
    in a copy without the ignored characters would send to the full parse, nor the reverse."""
    assert _may_hold_script(text) == _may_hold_script_by_dropping(text)
