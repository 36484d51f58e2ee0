"""The search index as part of `mkdocs build`: what Pagefind is given, and its failures."""

from __future__ import annotations

import gzip
import json
import os
import time
from pathlib import Path

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from conftest import Project
from gongkai.search import SearchIndex, SearchIndexError, SearchPage
from gongkai.search_worker import (
    PLAIN_PATH_EXTENSIONS,
    plain_paragraphs_html,
    plain_path_allowed,
)


def index_records(site: Path) -> dict[str, dict]:
    """What Pagefind stored for each indexed page (its fragments: gzipped JSON after a
    signature), by URL, with the zero-width spaces it puts between Chinese words removed."""
    records = {}
    for path in (site / "pagefind" / "fragment").iterdir():
        record = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        record["content"] = record["content"].replace("\u200b", "")
        records[record["url"]] = record
    return records


def test_the_index_holds_each_published_entry_with_its_text_numbers_and_filters(
        project: Project):
    project.entry(
        "disclosures/2021/dibao.md", title="关于低保对象的公示", category="民生保障",
        index_no="000014349/2021-00012", doc_no="示民发〔2021〕3号",
        channels="[website, bulletin]", validity="失效", summary="本季度新增低保对象名单。",
        body="公示期为**七个工作日**。\n\n| 姓名 | 村 |\n|---|---|\n| 张某 | 石梁村 |\n",
    )
    project.entry("disclosures/2021/plan.md", title="年度工作计划", category="规划计划",
                  index_no="000014349/2021-00013", body="全年重点工作。")
    project.entry("disclosures/2021/draft.md", title="草稿通知", index_no="000014349/2021-00014",
                  draft="true", body="尚未定稿。")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "站内搜索索引：已收录 2 条公开信息" in result.output
    assert (result.site / "pagefind" / "pagefind.js").is_file()
    records = index_records(result.site)
    # The two published entries, and the site's one hand-written page (its home page).
    assert sorted(records) == ["/", "/disclosures/2021/dibao/", "/disclosures/2021/plan/"]
    dibao = records["/disclosures/2021/dibao/"]
    # Title, summary and body as Markdown made them (no ** or table pipes), then the numbers,
    # each Chinese character a word of its own (also across the <strong> tag) and the
    # punctuation inside numbers made spaces: the index's form, which queries are put in too.
    assert dibao["content"].startswith(
        "关 于 低 保 对 象 的 公 示. 本 季 度 新 增 低 保 对 象 名 单 。 公 示 期 为 七 个 工 作 日 。")
    assert "张 某. 石 梁 村." in dibao["content"]  # table cells, as Pagefind separates them
    assert "**" not in dibao["content"] and "|" not in dibao["content"]
    assert dibao["content"].endswith("000014349 2021 00012. 示 民 发 2021 3 号.")
    # The metadata table's labels and the publisher are on every page: not indexed.
    for label in ("信息元数据", "公开类别", "发布机构", "有效性", "公开渠道", "测试镇人民政府"):
        assert label not in dibao["content"], label
    assert dibao["filters"] == {
        "category": ["民生保障"], "year": ["2021"],
        "channel": ["县政府信息公开网站子站", "信息公告栏"],
        "publisher": ["测试镇人民政府"], "validity": ["失效"],
    }
    # The results show the values as written.
    assert dibao["meta"] == {"category": "民生保障", "date": "2021-03-04",
                             "title": "关于低保对象的公示", "index_no": "000014349/2021-00012",
                             "doc_no": "示民发〔2021〕3号"}
    # The index is made from slim copies, so no page of the site carries Pagefind's marks.
    for page in result.site.rglob("*.html"):
        assert "data-pagefind" not in page.read_text("utf-8"), page


def test_without_published_entries_the_index_holds_only_the_site_pages(project: Project):
    project.entry("disclosures/2021/draft.md", title="草稿", index_no="000014349/2021-00001",
                  draft="true")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "站内搜索索引：已收录 0 条公开信息，另有 1 个栏目页面和年度报告" in result.output
    [home] = index_records(result.site).values()
    assert home["url"] == "/" and home["meta"]["kind"] == "栏目"
    assert home["filters"] == {"kind": ["栏目"]}


def test_without_any_page_to_find_the_build_writes_no_index(project: Project):
    (project.root / "docs" / "index.md").write_text(
        "---\nsearch:\n  exclude: true\n---\n# 首页\n", "utf-8")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "站内搜索索引：已收录 0 条公开信息" in result.output
    assert not (result.site / "pagefind").exists()


def test_a_failing_indexer_stops_the_build_with_a_chinese_message(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    # The pagefind package runs the binary this variable names; /bin/false fails at once.
    result = project.build(env={"PAGEFIND_BINARY_PATH": "/bin/false"})
    assert result.returncode == 1
    assert "搜索索引工具 pagefind 运行失败（退出码 1），站内搜索不可用。" in result.output
    assert "Traceback" not in result.output


def test_the_scratch_folder_beside_the_site_is_gone_soon_after_the_build(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    assert (result.site / "pagefind" / "pagefind.js").is_file()
    # The slim pages are deleted by a process of its own once the build is over.
    deadline = time.monotonic() + 20
    while list(result.site.parent.glob(".gongkai-search-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(result.site.parent.glob(".gongkai-search-*")) == []


MARKDOWN = markdown.Markdown(extensions=sorted(PLAIN_PATH_EXTENSIONS))
# Chinese text with the ASCII and full-width characters notices hold, Markdown's own
# characters, and the line starts and ends that change what a block is.
body_characters = st.sampled_from(
    list("公示期为七个工作日。，：；（）“”、一二1290aZ -./'\"%#>+=:|*_`[]<>&!{}~\t\u3000\\")
    + ["\n", "\n\n", "  \n", "1. ", "- ", "# ", "    ", "!!! note", "{: .x}", "[TOC]"])


@settings(max_examples=3000, deadline=None)
@given(st.lists(body_characters, max_size=40).map("".join))
def test_plain_paragraphs_are_what_python_markdown_makes_of_them(body):
    plain = plain_paragraphs_html(body)
    if plain is not None:
        assert plain == MARKDOWN.reset().convert(body)


def test_most_notices_take_the_plain_path_and_tables_do_not():
    assert plain_paragraphs_html("一、基本情况\n\n现将有关事项公示如下，联系电话：023-70600000。\n") == (
        "<p>一、基本情况</p>\n<p>现将有关事项公示如下，联系电话：023-70600000。</p>")
    assert plain_paragraphs_html("| 村 | 户数 |\n|---|---|\n| 示例村 | 12 |\n") is None
    assert plain_paragraphs_html("**重要**：请于月底前报送。") is None


def test_the_projects_own_markdown_settings_take_the_plain_path():
    config = load_config(str(Path(__file__).parent.parent / "mkdocs.yml"))
    assert plain_path_allowed(config.markdown_extensions), config.markdown_extensions
    assert not plain_path_allowed([*config.markdown_extensions, "smarty"])


def test_with_another_markdown_extension_every_body_goes_through_markdown(project: Project):
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    (project.root / "mkdocs.yml").write_text(config + "markdown_extensions: [smarty]\n", "utf-8")
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001",
                  body="第一期--第二期")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "第一期&ndash;第二期" in result.page("disclosures/2021/a")
    record = index_records(result.site)["/disclosures/2021/a/"]
    # As on the page (not the plain path's "--"), in the index's form.
    assert "第 一 期 – 第 二 期" in record["content"]


def test_a_scratch_folder_left_by_a_killed_build_is_deleted_by_the_next(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    left = project.root / ".gongkai-search-killed"
    (left / "pages").mkdir(parents=True)
    two_hours_ago = time.time() - 7200
    os.utime(left, (two_hours_ago, two_hours_ago))
    recent = project.root / ".gongkai-search-running"
    recent.mkdir()
    result = project.build()
    assert result.returncode == 0, result.output
    assert not left.exists()
    assert recent.exists()  # it may belong to a build running now


def test_a_site_folder_that_cannot_take_the_index_gives_a_chinese_message():
    # /proc cannot hold new folders, not even root's: the scratch folder goes to the system's
    # temporary folder and moving the index into the site fails.
    index = SearchIndex(Path("/proc/gongkai-site"))
    index.start([SearchPage("a/index.html", "<h1>甲</h1>", "正文。", "")], [], {})
    with pytest.raises(SearchIndexError, match="无法把搜索索引移入网站目录 /proc/gongkai-site/pagefind"):
        index.finish()
