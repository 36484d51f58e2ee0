"""The search index as part of `mkdocs build`: what is marked for Pagefind, and its failures."""

from __future__ import annotations

import re

from conftest import Project


def test_only_entry_pages_are_marked_and_carry_filters_meta_and_sort(project: Project):
    project.entry(
        "disclosures/2021/dibao.md", title="关于低保对象的公示", category="民生保障",
        index_no="000014349/2021-00012", channels="[website, bulletin]", validity="失效",
        body="公示期为七个工作日。",
    )
    result = project.build()
    assert result.returncode == 0, result.output
    assert "站内搜索索引：已收录 1 条公开信息" in result.output
    assert (result.site / "pagefind" / "pagefind.js").is_file()
    html = result.page("disclosures/2021/dibao")
    body = html.split("<div data-pagefind-body>", 1)[1]
    # The metadata table (索引号, 文号) and the text are inside the indexed part.
    assert body.index("000014349/2021-00012") < body.index("<p>公示期为七个工作日。</p>")
    attributes = re.findall(r'<span data-pagefind-(\w+)="(\w+)">([^<]*)</span>', html)
    assert attributes == [
        ("filter", "category", "民生保障"), ("filter", "year", "2021"),
        ("filter", "channel", "县政府信息公开网站子站"), ("filter", "channel", "信息公告栏"),
        ("filter", "publisher", "测试镇人民政府"), ("filter", "validity", "失效"),
        ("meta", "category", "民生保障"), ("meta", "date", "2021-03-04"),
        ("sort", "date", "2021-03-04"),
    ]
    for other in ("", "catalogue/", "catalogue/year/2021/"):
        assert "data-pagefind-body" not in result.page(other), other


def test_without_published_entries_the_build_writes_no_index(project: Project):
    project.entry("disclosures/2021/draft.md", title="草稿", index_no="000014349/2021-00001",
                  draft="true")
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
