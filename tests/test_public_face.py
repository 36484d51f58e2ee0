"""Feeds, open data, meta tags, sitemap, related entries and 公示期: reading and real builds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from browser import use_project_front_end
from conftest import Project
from gongkai.config import ConfigError, DisclosureConfig, config_from_mapping
from gongkai.entry import NoticePeriod, RelatedLink
from gongkai.excerpt import MAX_LENGTH, first_sentence, plain_text
from gongkai.reader import read_entry

CONFIG = DisclosureConfig()
PATH = "disclosures/2024/x.md"


def read(extra: str):
    text = (
        "---\ntitle: 测试\ndate: 2024-03-02\ncategory: 通知公告\nchannels: [website]\n"
        f"index_no: A/2024-00001\n{extra}\n---\n正文。\n"
    )
    return read_entry(text.encode(), PATH, "2024/x", CONFIG)


# --- Reading the two new fields


@pytest.mark.parametrize(("line", "expected"), [
    ('related: [{index_no: "B/1", relation: 意见采纳情况}]', (RelatedLink("B/1", "意见采纳情况"),)),
    ("related: [B/1, B/2]", (RelatedLink("B/1", "相关信息"), RelatedLink("B/2", "相关信息"))),
    ('related: "B/1"', (RelatedLink("B/1", "相关信息"),)),
    ("related: [B/1, B/1]", (RelatedLink("B/1", "相关信息"),)),
])
def test_related_is_read(line: str, expected: tuple):
    entry, problems = read(line)
    assert problems == [] and entry is not None
    assert entry.related == expected


@pytest.mark.parametrize(("line", "message"), [
    ("related: [{relation: 依据}]", "related: 第 1 项应写 index_no（和可选的 relation）"),
    ("related: [{index_no: B/1, note: x}]", "related: 第 1 项应写 index_no"),
    ('related: [{index_no: ""}]', "related: 第 1 项：不能为空"),
    ("notice_period: {start: 2024-03-10, end: 2024-03-02}",
     "notice_period: 公示期结束日期 2024-03-02 早于开始日期 2024-03-10，请核对"),
    ("notice_period: {start: 2024-03-02}", "notice_period: 应写明起止日期 start 和 end"),
    ("notice_period: {start: 2024-02-30, end: 2024-03-02}",
     "notice_period: 日期「2024-02-30」不存在"),
])
def test_bad_related_and_notice_period_are_errors_on_their_line(line: str, message: str):
    entry, problems = read(line)
    assert entry is None
    assert next(str(p) for p in problems if p.is_error).startswith(f"{PATH}:7: {message}")


def test_notice_period_is_read():
    entry, _ = read("notice_period: {start: 2024-03-02, end: 2024-03-10}")
    assert entry is not None
    assert entry.notice_period == NoticePeriod(dt.date(2024, 3, 2), dt.date(2024, 3, 10))


@pytest.mark.parametrize(("body", "sentence"), [
    ("第一句。第二句。", "第一句。"),
    ("## 标题\n\n依据[《条例》](x.md)第**五**条。其余", "标题 依据《条例》第 五 条。"),
    ("<p>段落</p>没有句号", "段落 没有句号"),
    ("字" * 200, "字" * 119 + "…"),
])
def test_first_sentence(body: str, sentence: str):
    assert first_sentence(body) == sentence


BODY_PIECES = ["", "字", "字" * 9, "字" * 30, "字" * 130, "。", "！", "?", "&amp", "&amp;", "&#12290",
               "&#x3002;", "&", "#", "## ", "> ", "- ", "1. ", "|", "|---|", "<p>", "</p>", "<",
               ">", "[链接](x.md)", "![图](x.png)", "[", "](", ")", "**", "`", " ", "\t"]


def _first_sentence_of_whole_text(markdown: str) -> str:
    """first_sentence as defined: cut from the plain text of the whole body."""
    text = plain_text(markdown)
    end = re.search(r"[。！？!?]", text)
    if end is not None and end.end() <= MAX_LENGTH:
        return text[: end.end()]
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.lists(st.sampled_from(BODY_PIECES), max_size=8).map("".join),
                max_size=30).map("\n".join))
# Four lines (read first) of exactly MAX_LENGTH characters of text, then more; then one
# character more; a reference cut by the line end; sixteen lines of it.
@example("\n".join(["字" * 29] * 3 + ["字" * 30, "字"]))
@example("\n".join(["字" * 29] * 3 + ["字" * 31, "字"]))
@example("\n".join(["字" * 29] * 3 + ["字" * 30 + "&amp", ";。"]))
@example("\n".join(["字" * 6] * 15 + ["字" * 15, "字"]))
def test_first_sentence_reading_the_first_lines_equals_reading_the_whole_body(body: str):
    """first_sentence reads a long body's first lines only when they decide the sentence."""
    assert first_sentence(body) == _first_sentence_of_whole_text(body)


def test_footer_settings_are_validated():
    with pytest.raises(ConfigError) as error:
        config_from_mapping({"site_id_code": 5001070012, "sponsor": " "})
    assert str(error.value).splitlines() == [
        "mkdocs.yml: extra.disclosure.sponsor: 应为非空文字",
        'mkdocs.yml: extra.disclosure.site_id_code: 「5001070012」应为加引号的 10 位数字，例如 "5001070012"',
    ]


# --- Real builds


def entries(project: Project, count: int) -> None:
    """`count` entries, one a day from 2021-01-01, alternating two categories."""
    for number in range(count):
        day = f"2021-{1 + number // 28:02d}-{1 + number % 28:02d}"
        project.entry(f"disclosures/2021/n{number:02d}.md", title=f"第{number}号通知",
                      date=day, index_no=f"000014349/2021-{number:05d}",
                      category="财政信息" if number % 2 else "通知公告",
                      channels="[website, wechat]" if number % 3 == 0 else "[website]")


def feed_items(site: Path, uri: str) -> tuple[ET.Element, list[dict[str, str]]]:
    root = ET.fromstring((site / uri).read_bytes())
    items = [{child.tag: child.text or "" for child in item} for item in root.iter("item")]
    return root, items


def test_feeds_hold_the_newest_fifty_published_entries_newest_first(project: Project):
    entries(project, 53)
    project.entry("disclosures/2021/draft.md", title="草稿", date="2021-03-01", draft="true",
                  index_no="000014349/2021-00900")
    project.entry("disclosures/2999/later.md", title="未来", date="2999-01-01",
                  index_no="000014349/2999-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    root, items = feed_items(result.site, "feeds/all.xml")
    assert root.findtext("channel/title") == "测试镇政府信息公开：全部公开信息"
    assert [item["title"] for item in items] == [f"第{n}号通知" for n in range(52, 2, -1)]
    assert items[0]["link"] == "https://example.gov.cn/township/disclosures/2021/n52/"
    assert items[0]["pubDate"] == "Thu, 25 Feb 2021 00:00:00 +0800"
    assert items[0]["category"] == "通知公告"
    _, finance = feed_items(result.site, "feeds/category/财政信息.xml")
    assert [item["title"] for item in finance] == [f"第{n}号通知" for n in range(51, 0, -2)]
    _, wechat = feed_items(result.site, "feeds/channel/wechat.xml")
    assert [item["title"] for item in wechat] == [f"第{n}号通知" for n in range(51, -1, -3)]


def test_feed_titles_and_texts_are_escaped(project: Project):
    project.entry("disclosures/2021/amp.md", title='关于"A&B"<试点>的通知',
                  index_no="000014349/2021-00001", summary="概述 & <说明>")
    result = project.build()
    assert result.returncode == 0, result.output
    raw = (result.site / "feeds/all.xml").read_text("utf-8")
    assert "&amp;B" in raw and "&lt;试点&gt;" in raw
    _, items = feed_items(result.site, "feeds/all.xml")
    # The description is plain text written as HTML, which readers render (feeds.py).
    assert (items[0]["title"], items[0]["description"]) == ('关于"A&B"<试点>的通知',
                                                           "概述 &amp; &lt;说明&gt;")


def test_open_data_agrees_with_listings_and_channel_statistics(project: Project):
    entries(project, 12)
    project.entry("disclosures/2021/draft.md", title="草稿", draft="true",
                  index_no="000014349/2021-00900")
    result = project.build()
    assert result.returncode == 0, result.output
    data = json.loads((result.site / "data/catalogue.json").read_text("utf-8"))
    raw_csv = (result.site / "data/catalogue.csv").read_bytes()
    assert raw_csv.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw_csv.decode("utf-8-sig"))))
    stats = json.loads((result.site / "stats/channels.json").read_text("utf-8"))
    listed = re.search(r"共 (\d+) 条", result.page("catalogue"))
    assert listed is not None
    assert data["count"] == len(data["entries"]) == len(rows) == int(listed[1]) == 12
    assert sum(year["total"] for year in stats["years"].values()) == 12
    assert data["entries"][0] == {
        "index_no": "000014349/2021-00011", "title": "第11号通知", "date": "2021-01-12",
        "written": None, "category": "财政信息", "publisher": "测试镇人民政府", "doc_no": None,
        "validity": "有效", "repealed": None, "expires": None, "doc_type": None, "channels": ["website"], "channel_labels": ["县政府信息公开网站子站"],
        "tags": [], "summary": None, "notice_start": None, "notice_end": None, "related": [], "attachments": [],
        "path": "disclosures/2021/n11/",
        "url": "https://example.gov.cn/township/disclosures/2021/n11/",
    }
    assert rows[0]["公开渠道代码"] == "website" and rows[2]["公开渠道代码"] == "website;wechat"
    # Every field is documented on the 数据开放 page.
    page = result.page("data")
    for key in data["entries"][0]:
        assert f"<code>{key}</code>" in page


def test_entry_page_meta_tags_are_escaped_and_lastmod_is_the_entry_date(project: Project):
    use_project_front_end(project.root)
    project.entry("disclosures/2021/q.md", title='关于"甲&乙"的<通知>', date="2021-05-06",
                  index_no="000014349/2021-00001", tags="[甲, 乙]", body="第一句话。第二句话。")
    result = project.build()
    assert result.returncode == 0, result.output
    html = result.page("disclosures/2021/q")
    tags = dict(re.findall(r'<meta name="([A-Z]\w+)" content="([^"]*)">', html))
    assert tags["ArticleTitle"] == "关于&quot;甲&amp;乙&quot;的&lt;通知&gt;"
    assert {name: unescape(value) for name, value in tags.items()} == {
        "SiteName": "测试镇政府信息公开", "SiteDomain": "example.gov.cn",
        "ArticleTitle": '关于"甲&乙"的<通知>', "PubDate": "2021-05-06 00:00",
        "ContentSource": "测试镇人民政府", "Keywords": "甲,乙", "Description": "第一句话。",
    }
    assert '<meta name="description" content="第一句话。">' in html
    sitemap = (result.site / "sitemap.xml").read_text("utf-8")
    assert re.search(r"disclosures/2021/q/</loc>\s*<lastmod>2021-05-06</lastmod>", sitemap)
    assert (result.site / "robots.txt").read_text("utf-8") == (
        "User-agent: *\nAllow: /\nSitemap: https://example.gov.cn/township/sitemap.xml\n")


def related_project(project: Project, related: str, target: dict[str, str]) -> None:
    project.entry("disclosures/2021/draft-for-comment.md", title="征求意见稿",
                  index_no="000014349/2021-00001", category="重大决策",
                  **{"date": "2021-03-01", **target})
    project.entry("disclosures/2021/feedback.md", title="意见采纳情况的公告", date="2021-04-01",
                  index_no="000014349/2021-00002", category="重大决策", related=related)


def test_related_entries_link_both_ways(project: Project):
    related_project(project, '[{index_no: "000014349/2021-00001", relation: 征求意见稿}]', {})
    result = project.build()
    assert result.returncode == 0, result.output
    feedback = result.page("disclosures/2021/feedback")
    assert ('<span class="gk-relation">征求意见稿：</span><a href="../draft-for-comment/">'
            "征求意见稿</a>") in feedback
    original = result.page("disclosures/2021/draft-for-comment")
    assert ('<a href="../feedback/">意见采纳情况的公告</a> <time datetime="2021-04-01">2021-04-01'
            '</time> <span class="gk-relation">（本文是其“征求意见稿”）</span>') in original


@pytest.mark.parametrize(("related", "target", "message"), [
    ("[000014349/2021-09999]", {},
     "related: 关联的索引号「000014349/2021-09999」不存在（或该文件有错误未发布）：请核对索引号"),
    ("[000014349/2021-00001]", {"draft": "true"},
     "related: 关联的「征求意见稿」（disclosures/2021/draft-for-comment.md）是草稿，尚未公开"),
    ("[000014349/2021-00001]", {"date": "2021-05-01"},
     ("related: 关联的「征求意见稿」（disclosures/2021/draft-for-comment.md）发布日期 2021-05-01 "
     "晚于本文的 2021-04-01")),
    ("[000014349/2021-00002]", {}, "related: 不能关联本文自己"),
])
def test_a_related_link_to_nothing_public_is_an_error_naming_the_line(
    project: Project, related: str, target: dict[str, str], message: str,
):
    related_project(project, related, target)
    result = project.build()
    assert result.returncode == 1
    assert f"ERROR   -  disclosures/2021/feedback.md:7: {message}" in result.output


def test_notice_period_shows_its_dates_on_the_page(project: Project):
    project.entry("disclosures/2021/dibao.md", title="低保公示", index_no="000014349/2021-00001",
                  notice_period="{start: 2021-03-04, end: 2021-03-12}")
    result = project.build()
    assert result.returncode == 0, result.output
    assert ('<p class="gk-notice-period" data-start="2021-03-04" data-end="2021-03-12">'
            '<strong>公示期：</strong><time datetime="2021-03-04">2021年3月4日</time>至'
            '<time datetime="2021-03-12">2021年3月12日</time>') in result.page("disclosures/2021/dibao")
