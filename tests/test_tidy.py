"""`gongkai tidy` (issue 15, point 3): Word/WPS/web HTML pasted into a body becomes clean
Markdown, the front matter stays byte for byte, and nothing is written that would change
what a reader sees."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Project
from gongkai.tidy import Refused, tidy_body, visible_text

FIXTURES = Path(__file__).parent / "fixtures" / "paste"
TODAY = {"GONGKAI_TODAY": "2026-01-01"}
FRONT_MATTER = (
    "---\n"
    "title: 关于2021年第一季度新增低保对象的公示\n"
    "date: 2021-03-04\n"
    "category: 民生保障\n"
    "channels: [website, bulletin]\n"
    "index_no: 000014349/2021-00001\n"
    "---\n"
)
NOISE = ("mso-", "class=", "style=", "<o:p", "<style", "<meta", "<link", "<font", "<span",
         "<!--", "<![", "仿宋")

WORD_MARKDOWN = """\
## 一、公示对象

根据《社会救助暂行办法》，经村（居）民委员会评议、镇人民政府审核，现将**2021**年第一季度新增低保对象予以公示，\
公示期间如有异议，请向镇社会事务办公室反映。

1\\. 公示期为七天；

**联系电话：**023-70601234

<table>
<tr><td><strong>村（社区）</strong></td><td><strong>户主</strong></td><td><strong>保障人数</strong></td></tr>
<tr><td rowspan="2">石桥村</td><td>张某某</td><td>3</td></tr>
<tr><td>李某某</td><td>2</td></tr>
<tr><td colspan="2">合计</td><td>5</td></tr>
</table>

测试镇人民政府
"""
WPS_MARKDOWN = """\
各村（社区）、镇属各单位：

**一、工作目标**

完成**3**条村道硬化，改善群众出行条件。

二、项目清单

| **序号** | **项目名称** | **投资（万元）** |
| --- | --- | --- |
| 1 | 石桥村道路硬化 | 45.5 |
| 2 | 河口村便民桥 \\| 维修 | 12 |
"""
WEB_MARKDOWN = """\
为进一步做好政务公开工作，现将有关事项通知如下：

### **一、公开内容**

- 机构职能、*政策文件*；
- 财政预决算，详见[财政信息专栏](https://www.example.gov.cn/zwgk/czxx/)；

1. 第一步：梳理目录<br>
    （由办公室牵头）
2. 第二步：上网公开

测试镇人民政府办公室<br>
2021年3月4日
"""


def paste(project: Project, fixture: str, front_matter: str = FRONT_MATTER) -> Path:
    body = (FIXTURES / f"{fixture}.html").read_text("utf-8")
    return project.write_bytes(f"disclosures/2021/{fixture}.md",
                               (front_matter + body).encode("utf-8"))


@pytest.mark.parametrize("fixture, expected", [
    ("word", WORD_MARKDOWN), ("wps", WPS_MARKDOWN), ("web", WEB_MARKDOWN),
])
def test_pasted_html_becomes_clean_markdown_that_passes_check(project: Project, fixture, expected):
    path = paste(project, fixture)
    before = project.gongkai("check", env=TODAY)
    assert before.returncode == 1  # <style>/<meta> are refused as they are
    result = project.gongkai("tidy", f"disclosures/2021/{fixture}.md")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == (
        f"disclosures/2021/{fixture}.md: 已整理：去掉了从 Word/WPS 粘贴带来的格式代码，字段和文字没有改动\n"
        "\n请打开整理过的文件核对一遍，再运行 gongkai check。\n"
    )
    text = path.read_text("utf-8")
    assert text == FRONT_MATTER + expected
    assert [noise for noise in NOISE if noise in text] == []
    after = project.gongkai("check", env=TODAY)
    assert after.returncode == 0, after.stdout
    assert after.stdout.splitlines()[-1] == "检查结果：通过。"


def test_a_second_tidy_changes_nothing(project: Project):
    path = paste(project, "word")
    assert project.gongkai("tidy", str(path)).returncode == 0
    tidied = path.read_bytes()
    again = project.gongkai("tidy", str(path))
    assert again.returncode == 0
    assert again.stdout.splitlines()[0] == f"{path}: 正文中没有需要整理的格式代码，未改动"
    assert path.read_bytes() == tidied


def test_front_matter_bytes_line_endings_and_bom_are_kept(project: Project):
    front_matter = "\ufeff" + FRONT_MATTER.replace("index_no", "# 由 gongkai new 生成\nindex_no")
    front_matter = front_matter.replace("\n", "\r\n")
    body = (FIXTURES / "wps.html").read_text("utf-8").replace("\n", "\r\n")
    path = project.write_bytes("disclosures/2021/crlf.md", (front_matter + body).encode("utf-8"))
    assert project.gongkai("tidy", "disclosures/2021/crlf.md").returncode == 0
    data = path.read_bytes()
    assert data.startswith(front_matter.encode("utf-8"))
    assert data[len(front_matter.encode("utf-8")):] == WPS_MARKDOWN.replace("\n", "\r\n").encode()
    assert project.gongkai("check", env=TODAY).returncode == 0


def test_the_built_page_keeps_merged_cells_and_bold(project: Project):
    paste(project, "word")
    assert project.gongkai("tidy", "disclosures/2021/word.md").returncode == 0
    result = project.build(env=TODAY)
    assert result.returncode == 0, result.output
    page = result.page("disclosures/2021/word")
    assert '<td rowspan="2">石桥村</td>' in page and '<td colspan="2">合计</td>' in page
    assert "<strong>2021</strong>" in page and "<h2" in page


REFUSALS = [
    ("an image on the typist's own disk",
     '<p>现场照片：</p><p><img src="file:///C:/Users/ADMINI~1/AppData/Local/Temp/clip_image002.jpg"></p>',
     "正文中的图片指向本机文件或粘贴时带入的图片数据，网站上无法显示：请删去这张图片（图片可作为附件另行提供）"),
    ("a table inside a table cell",
     "<table><tr><td><table><tr><td>甲</td></tr></table></td></tr></table>",
     "表格里又套着表格，无法整理成网页表格"),
    ("a list inside a table cell", "<table><tr><td><ul><li>甲</li><li>乙</li></ul></td></tr></table>",
     "表格的单元格里有列表或表格，无法整理成网页表格"),
    ("an embedded page", '<p>地图：</p><iframe src="https://map.example.com/"></iframe>',
     "正文中有 <iframe>（程序或嵌入的网页，不是文字格式），gongkai tidy 不处理：请删除它"),
    # The site's Markdown reads `{: …}` at the end of a heading as attributes, so the tidied
    # page would lose that text: the visible-text comparison catches what the converter missed.
    ("text the site's Markdown would read as syntax", '<h2 class=MsoHeading2>附件一 {: #fj}</h2>',
     ("整理后网页上显示的文字会与原来不同，为避免改动内容，没有修改这个文件："
     "请手工删除从 Word/WPS 粘贴带来的格式代码，或联系技术人员")),
]


@pytest.mark.parametrize("body, message", [case[1:] for case in REFUSALS],
                         ids=[case[0] for case in REFUSALS])
def test_tidy_refuses_and_leaves_the_file_as_it_was(project: Project, body, message):
    path = project.write_bytes("disclosures/2021/a.md", (FRONT_MATTER + body + "\n").encode())
    before = path.read_bytes()
    result = project.gongkai("tidy", "disclosures/2021/a.md")
    assert result.returncode == 1
    assert result.stdout == (
        f"disclosures/2021/a.md:8: 正文: {message}\n"
        "\n有 1 个文件没有整理（原因见上方），这些文件保持原样。\n"
    )
    assert path.read_bytes() == before


def test_a_file_without_front_matter_is_not_touched(project: Project):
    path = project.write_bytes("disclosures/2021/a.md", "<p class=MsoNormal>正文</p>\n".encode())
    result = project.gongkai("tidy", "disclosures/2021/a.md")
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == (
        "disclosures/2021/a.md:1: front matter: 找不到以 --- 开头和结束的 front matter，"
        "为免改动字段，没有整理：请先运行 gongkai check 修正"
    )
    assert path.read_bytes() == "<p class=MsoNormal>正文</p>\n".encode()


def test_a_missing_file_or_a_folder_is_named_without_a_traceback(project: Project):
    result = project.gongkai("tidy", "disclosures/2021/nosuch.md", "disclosures")
    assert result.returncode == 1
    assert result.stdout.splitlines()[:2] == [
        ("disclosures/2021/nosuch.md: 文件: 无法读取（找不到这个文件），未改动："
        "请核对文件名，例如 disclosures/2026/2026-03-02-00012.md"),
        "disclosures: 文件: 无法读取（这是一个文件夹），未改动：请核对文件名，例如 disclosures/2026/2026-03-02-00012.md",
    ]
    assert result.stderr == ""


def test_plain_markdown_is_left_alone_and_other_files_are_still_tidied(project: Project):
    plain = project.write_bytes("disclosures/2021/plain.md", (
        FRONT_MATTER + "一、说明\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\nA &amp; B <b\n").encode())
    before = plain.read_bytes()
    paste(project, "web")
    result = project.gongkai("tidy", "disclosures/2021/plain.md", "disclosures/2021/web.md")
    assert result.returncode == 0
    assert result.stdout.splitlines()[:2] == [
        "disclosures/2021/plain.md: 正文中没有需要整理的格式代码，未改动",
        "disclosures/2021/web.md: 已整理：去掉了从 Word/WPS 粘贴带来的格式代码，字段和文字没有改动",
    ]
    assert plain.read_bytes() == before


def test_check_calls_pasted_formatting_what_it_is_and_names_tidy(project: Project):
    paste(project, "word")
    result = project.gongkai("check", env=TODAY)
    assert result.returncode == 1
    # One message per kind of code, at the first line that holds it.
    assert result.stdout.splitlines()[:2] == [
        f"disclosures/2021/word.md:{line}: 正文: 含有从 Word/WPS 粘贴带来的格式代码（<{tag}> 元素），"
        "本站不予发布：请运行 gongkai tidy disclosures/2021/word.md 清理，或手工删除这段代码"
        for line, tag in ((13, "meta"), (16, "link"))
    ]


PASTE_PIECES = st.sampled_from([
    "<p class=MsoNormal>", "</p>", "<b>", "</b>", "<span style='font-weight:bold'>", "</span>",
    "<table>", "<tr>", "<td rowspan=2>", "<td>", "</td>", "</tr>", "</table>", "<ul>", "<li>",
    "</ul>", "<br>", "<h2>", "</h2>", "<o:p>", "</o:p>", "<![if !supportLists]>", "<![endif]>",
    "<!--[if gte mso 9]><xml><w:x/></xml><![endif]-->", "<style>p{}</style>", "<font face=宋体>",
    "</font>", "公示", "名单", " ", "\n", "*", "_", "#", "1. ", "- ", "|", "&nbsp;", "&amp;", "<",
    "[", "]", "`", "\\", "<a href='https://example.gov.cn/a'>", "</a>", "<pre>", "</pre>",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(PASTE_PIECES, max_size=30).map("".join))
def test_any_paste_is_tidied_or_refused_never_a_crash(body):
    try:
        tidied = tidy_body(body)
    except Refused:
        return
    if tidied is not None:
        assert visible_text(tidied) == visible_text(body)


def test_a_table_caption_becomes_the_paragraph_above_the_table():
    body = "<table><caption>表1　名单</caption><tr><td>甲</td><td>乙</td></tr></table>\n"
    assert tidy_body(body) == "表1　名单\n\n| 甲 | 乙 |\n| --- | --- |\n"
