"""The search index as part of `mkdocs build`: what it holds, that it answers exactly, and
its failures.

`IndexReader` reads the index files as gk-search.js does (the browser tests run the script
itself), so that what the builder wrote can be checked against substring truth in Python."""

from __future__ import annotations

import json
import os
import random
import time
from pathlib import Path

import markdown
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs.config import load_config

from conftest import Project
from gongkai.search import (
    FIELD_SEPARATOR,
    INDEX_FOLDER,
    SearchDocument,
    SearchIndex,
    SearchIndexError,
    fold,
    search_text,
)
from gongkai.search_worker import (
    PLAIN_PATH_EXTENSIONS,
    html_text,
    plain_paragraphs_html,
    plain_path_allowed,
    plain_text,
)
from gongkai.search_writer import IDENTIFIER_BASE, IndexWriter, bucket_of, identifier_key


def _varints(data: bytes) -> list[int]:
    values, value, shift = [], 0, 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            values.append(value)
            value, shift = 0, 0
    return values


class IndexReader:
    """The index in `folder`, read as gk-search.js reads it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.meta = json.loads((folder / "meta.json").read_text("utf-8"))

    def rows(self) -> list[list[str]]:
        """Display rows of every page, by page number."""
        rows: list[list[str]] = []
        for number in range((self.meta["count"] - 1) // self.meta["block"] + 1):
            rows += json.loads((self.folder / "d" / f"{number}.json").read_text("utf-8"))
        return rows

    def text(self, page: int) -> str:
        return (self.folder / "t" / f"{page}.bin").read_bytes().decode("utf-16-le")

    def _key(self, first: int, second: int) -> tuple[list[int], list[bool], bytes] | None:
        """A key's pages, their title flags and its position bytes, or None."""
        bucket = int(bucket_of(np.array([first]), np.array([second]), self.meta["buckets"])[0])
        data = (self.folder / "b" / f"{bucket}.bin").read_bytes()
        at = 0

        def varint() -> int:
            nonlocal at
            value, shift = 0, 0
            while True:
                byte = data[at]
                at += 1
                value |= (byte & 0x7F) << shift
                shift += 7
                if byte < 0x80:
                    return value

        headers = [[varint() for _ in range(6)] for _ in range(varint())]
        docs = at
        positions = docs + sum(h[3] for h in headers if not h[5])
        for key_first, key_second, _, doc_length, position_length, file in headers:
            if file:
                page_bytes = (self.folder / "k" / f"{file}.d").read_bytes()
                position_file = self.folder / "k" / f"{file}.p"
                position_bytes = position_file.read_bytes() if position_length else b""
            else:
                page_bytes = data[docs:docs + doc_length]
                position_bytes = data[positions:positions + position_length]
                docs += doc_length
                positions += position_length
            if (key_first, key_second) == (first, second):
                pages, flags, page = [], [], 0
                for number, value in enumerate(_varints(page_bytes)):
                    page = (0 if number == 0 else page) + value // 2
                    pages.append(page)
                    flags.append(bool(value % 2))
                return pages, flags, position_bytes
        return None

    def positions(self, first: int, second: int) -> dict[int, set[int]]:
        found = self._key(first, second)
        if found is None:
            return {}
        pages, _, position_bytes = found
        values = iter(_varints(position_bytes))
        result = {}
        for page in pages:
            position, held = 0, set()
            for number in range(next(values)):
                position = (0 if number == 0 else position) + next(values)
                held.add(position)
            result[page] = held
        return result

    def search(self, query: str) -> set[int]:
        """The pages holding `query`, as gk-search.js finds them."""
        codes = [ord(character) for character in fold(search_text(query))]
        if len(codes) == 1:
            found = self._key(codes[0], 0)
            return set(found[0]) if found else set()
        offsets = list(range(0, len(codes) - 1, 2))
        if offsets[-1] != len(codes) - 2:
            offsets.append(len(codes) - 2)
        held = [self.positions(codes[offset], codes[offset + 1] + 1) for offset in offsets]
        candidates = set(held[0]).intersection(*held[1:])
        return {page for page in candidates
                if any(all(start + offset in held[number][page]
                           for number, offset in enumerate(offsets))
                       for start in held[0][page])}

    def identifier(self, value: str) -> set[int]:
        key = identifier_key(fold(search_text(value)))
        found = self._key(key >> 32, key & 0xFFFFFFFF)
        return set(found[0]) if found else set()


def test_the_index_holds_each_published_entry_with_its_text_numbers_and_facets(
        project: Project):
    project.entry(
        "disclosures/2021/dibao.md", title="关于低保对象的公示", category="民生保障",
        index_no="000014349/2021-00012", doc_no="示民发〔2021〕3号",
        channels="[website, bulletin]", validity="失效", summary="本季度新增低保对象名单。",
        body="公示期为**七个工作日**。\n\n| 姓名 | 村 |\n|---|---|\n| 张某 | 石梁村 |\n",
    )
    project.entry("disclosures/2021/plan.md", title="年度工作计划", category="规划计划",
                  date="2021-02-01", index_no="000014349/2021-00013", body="全年重点工作。")
    project.entry("disclosures/2021/draft.md", title="草稿通知", index_no="000014349/2021-00014",
                  draft="true", body="尚未定稿。")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "站内搜索索引：已收录 2 条公开信息，另有 1 个栏目页面和年度报告" in result.output
    index = IndexReader(result.site / INDEX_FOLDER)
    # Entries newest first, then the site's one hand-written page (its home page).
    assert index.rows() == [
        ["disclosures/2021/dibao/", "关于低保对象的公示", "2021-03-04", "民生保障",
         "000014349/2021-00012", "示民发〔2021〕3号", ""],
        ["disclosures/2021/plan/", "年度工作计划", "2021-02-01", "规划计划",
         "000014349/2021-00013", "", ""],
        ["./", "首页", "", "", "", "", "栏目"],
    ]
    # Title, summary, body as Markdown made it (no ** or table pipes), 索引号, 文号: fields
    # apart, so that no match runs from one into the next.
    assert index.text(0).split(FIELD_SEPARATOR) == [
        "关于低保对象的公示", "本季度新增低保对象名单。", "公示期为七个工作日。 姓名 村 张某 石梁村",
        "000014349/2021-00012", "示民发〔2021〕3号"]
    assert index.meta["titleLength"] == [9, 6, 2]
    # The metadata table's labels and the publisher are on every page: not searched.
    for label in ("信息元数据", "公开类别", "发布机构", "有效性", "公开渠道", "测试镇人民政府"):
        assert index.search(label) == set(), label
    facets = index.meta["facets"]

    def values(facet: str, page: int) -> list[str]:
        codes = facets[facet]["pages"][page]
        return [facets[facet]["values"][code - 1]
                for code in (codes if isinstance(codes, list) else [codes] if codes else [])]

    assert {facet: values(facet, 0) for facet in facets} == {
        "category": ["民生保障"], "year": ["2021"],
        "channel": ["县政府信息公开网站子站", "信息公告栏"],
        "publisher": ["测试镇人民政府"], "validity": ["失效"], "kind": [],
    }
    assert {facet: values(facet, 2) for facet in facets if values(facet, 2)} == {"kind": ["栏目"]}
    # Exact substrings, across the <strong> tag and the table cells, and nothing else.
    assert index.search("低保对象") == {0}
    assert index.search("为七个工作") == {0}
    assert index.search("张某 石梁") == {0}
    assert index.search("2021-000") == {0, 1}
    assert index.search("示民发〔２０２１〕３号") == {0}
    assert index.search("公示本季度") == set()  # the title's end and the summary's start
    assert index.search("尚未定稿") == set()
    assert index.identifier("000014349/2021-00013") == {1}
    assert index.identifier("000014349/2021-0001") == set()


def test_drafts_future_and_offline_only_entries_are_nowhere_in_the_index(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001", body="公开正文。")
    project.entry("disclosures/2021/draft.md", title="草稿通知", index_no="000014349/2021-00002",
                  draft="true", body="草稿提到麒麟瓷器。")
    project.entry("disclosures/2999/later.md", title="定时发布的通知", date="2999-01-01",
                  index_no="000014349/2999-00001", body="未来正文提到琥珀灯笼。")
    project.entry("disclosures/2021/board.md", title="仅在公告栏公开的名单",
                  index_no="000014349/2021-00003", channels="[bulletin]", body="名单提到骆驼铃铛。")
    result = project.build()
    assert result.returncode == 0, result.output
    folder = result.site / INDEX_FOLDER
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert len(files) >= 5  # meta, a bucket, a display block, the two pages' texts
    for word in ("麒麟瓷器", "琥珀灯笼", "骆驼铃铛", "草稿通知", "仅在公告栏"):
        for path in files:
            assert word.encode("utf-8") not in path.read_bytes(), (word, path)
        assert IndexReader(folder).search(word) == set(), word
    assert IndexReader(folder).search("公开正文") == {0}


def test_a_word_only_in_an_attachment_finds_its_entry(project: Project):
    project.write("disclosures/2021/名单.txt", "第一批：石梁村\n张三丰收合作社\n")
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001",
                  attachments="[名单.txt]", body="名单见附件。")
    result = project.build()
    assert result.returncode == 0, result.output
    index = IndexReader(result.site / INDEX_FOLDER)
    assert index.search("张三丰收合作社") == {0}
    assert index.search("石梁村 张三") == {0}  # the attachment's lines, one space apart
    assert index.text(0).endswith(f"{FIELD_SEPARATOR}第一批：石梁村 张三丰收合作社")


def test_every_substring_of_a_generated_corpus_finds_exactly_the_pages_holding_it(
        tmp_path: Path):
    # Precision and recall 1 by construction: against substring truth on a corpus written
    # from few characters (so that every bigram has many pages, and the postings go to files
    # of their own), with punctuation, Latin, full-width and white space.
    generator = random.Random(11)
    alphabet = "低保对象电商地力护。，（）aB２Ａｚ 0"
    texts = ["".join(generator.choices(alphabet, k=generator.randint(0, 1500)))
             for _ in range(300)]
    writer = IndexWriter(tmp_path / "index", tmp_path / "rows", sum(map(len, texts)))
    folded = []
    for number, text in enumerate(texts):
        title = f"标题{number}"
        fields = [search_text(title), search_text(text)]
        writer.add(SearchDocument(f"p/{number}/", title, text), fields)
        folded.append([fold(field) for field in fields])
    writer.finish()
    index = IndexReader(tmp_path / "index")
    assert any((tmp_path / "index" / "k").iterdir())  # some keys went to files of their own
    queries = {fold(search_text(text[start:start + length]))
               for text in texts[:60] for length in (1, 2, 3, 4, 6, 9)
               for start in range(0, max(1, len(text) - length), 37)}
    queries |= {fold(query) for query in ("电商", "低保对象", "护。，", "ab２", "b2 0", "标题1", "题12")}
    for query in sorted(query for query in queries if query.strip()):
        truth = {number for number, fields in enumerate(folded)
                 if any(query in field for field in fields)}
        assert index.search(query) == truth, query


def test_identifier_keys_are_apart_from_character_keys():
    key = identifier_key("000014349/2021-00001")
    assert key >> 32 >= IDENTIFIER_BASE


def test_without_published_entries_the_index_holds_only_the_site_pages(project: Project):
    project.entry("disclosures/2021/draft.md", title="草稿", index_no="000014349/2021-00001",
                  draft="true")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "站内搜索索引：已收录 0 条公开信息，另有 1 个栏目页面和年度报告" in result.output
    index = IndexReader(result.site / INDEX_FOLDER)
    assert index.rows() == [["./", "首页", "", "", "", "", "栏目"]]
    assert index.meta["facets"] == {"kind": {"values": ["栏目"], "pages": [1]}}


def test_without_any_page_to_find_the_build_writes_no_index(project: Project):
    (project.root / "docs" / "index.md").write_text(
        "---\nsearch:\n  exclude: true\n---\n# 首页\n", "utf-8")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "站内搜索索引：已收录 0 条公开信息" in result.output
    assert not (result.site / INDEX_FOLDER).exists()


def test_a_failing_index_worker_stops_the_build_with_a_chinese_message(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    # A numpy that cannot be imported, ahead of the real one for the worker only (the build
    # itself never imports numpy).
    broken = project.root / "broken"
    (broken / "numpy").mkdir(parents=True)
    (broken / "numpy" / "__init__.py").write_text("raise ImportError('损坏的 numpy')\n", "utf-8")
    result = project.build(env={"PYTHONPATH": str(broken)})
    assert result.returncode == 1
    assert ("无法生成站内搜索索引：\n生成搜索索引时出错（ImportError：损坏的 numpy）"
            in result.output)
    assert "Traceback" not in result.output


def test_the_scratch_folder_beside_the_site_is_gone_soon_after_the_build(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    assert (result.site / INDEX_FOLDER / "meta.json").is_file()
    # What is left of the scratch folder is deleted by a process of its own after the build.
    deadline = time.monotonic() + 20
    while list(result.site.parent.glob(".gongkai-search-*")) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert list(result.site.parent.glob(".gongkai-search-*")) == []


MARKDOWN = markdown.Markdown(extensions=sorted(PLAIN_PATH_EXTENSIONS))
# Chinese text with the ASCII and full-width characters notices hold, Markdown's own
# characters, and the line starts and ends that change what a block is.
body_characters = st.sampled_from(
    list("公示期为七个工作日。，：；（）“”、一二1290aZ -./'\"%#>+=:|*_`[]<>&!{}~\t\u3000\\")
    + ["\n", "\n\n", "  \n", "1. ", "- ", "# ", "    ", "!!! note", "{: .x}", "[TOC]",
       "&#42;", "&#x2a;", "&#X2A;", "&#124;", "&#0;", "&#128;", "&amp;", "&lt"])


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


def _markdown_text(body: str) -> str:
    return search_text(html_text(MARKDOWN.reset().convert(body)))


@settings(max_examples=3000, deadline=None)
@given(st.lists(body_characters, max_size=40).map("".join))
def test_the_plain_text_of_a_body_is_the_text_of_its_markdown(body):
    text = plain_text(body)
    if text is not None:
        assert search_text(text) == _markdown_text(body)


table_cell = st.lists(st.sampled_from(list("村户数12张三，：-: ") * 4
                                     + ["|", "*", "---", ":--:", "&#42;", "&#124;", "&amp;"]),
                      max_size=5).map("".join)


@st.composite
def table_bodies(draw):
    """Bodies of paragraphs and pipe tables, some of them malformed (rows of another width,
    odd separator rows, no border, a paragraph line right above)."""
    blocks = []
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            blocks.append(draw(st.sampled_from(["公示期为七个工作日。", "一、基本情况", "联系人：张三"])))
            continue
        width = draw(st.sampled_from([1, 2, 2, 3, 4]))
        rows = [draw(st.lists(table_cell, min_size=width, max_size=width))]
        rows.append(draw(st.sampled_from([["---"] * width, [":--"] * width, [" --- "] * width,
                                          [""] * width, ["---"] * (width + 1)])))
        for _ in range(draw(st.integers(0, 3))):
            cells = draw(st.sampled_from([width] * 4 + [max(1, width - 1), width + 1]))
            rows.append(draw(st.lists(table_cell, min_size=cells, max_size=cells)))
        border = draw(st.sampled_from(["||", "||", "||", "|", ""]))
        lines = [border[:1] + "|".join(row) + border[1:] for row in rows]
        blocks.append("\n".join(lines))
    return draw(st.sampled_from(["\n\n", "\n\n", "\n\n", "\n"])).join(blocks) + "\n"


@settings(max_examples=3000, deadline=None)
@given(table_bodies())
def test_tables_text_is_the_text_python_markdown_makes_of_them(body):
    text = plain_text(body)
    if text is not None:
        assert search_text(text) == _markdown_text(body)


def test_tables_of_plain_cells_take_the_plain_path():
    body = "名单如下：\n\n| 村 | 户数 |\n|:---|---:|\n| 示例村 | 12 |\n| 白果村 |  |\n\n特此公示。\n"
    assert plain_text(body) == "名单如下：\n\n村 户数 示例村 12 白果村 \n\n特此公示。"
    assert search_text(plain_text(body)) == _markdown_text(body)
    # Rows wider or narrower than the header, a cell with markup: Markdown reads them.
    assert plain_text("| 村 | 户数 |\n|---|---|\n| 示例村 | 12 | 3 |\n") is None
    assert plain_text("| 村 | 户数 |\n|---|---|\n| **示例村** | 12 |\n") is None
    # A masked number's numeric references are read as the HTML parser reads them.
    assert plain_text("| 身份证号 |\n|---|\n| 500230&#42;&#42;0018 |") is None  # one column
    assert plain_text("| 姓名 | 身份证号 |\n|---|---|\n| 张某 | 500230&#42;&#42;0018 |") == (
        "姓名 身份证号 张某 500230**0018")


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
    # As on the page (not the plain path's "--").
    index = IndexReader(result.site / INDEX_FOLDER)
    assert "第一期–第二期" in index.text(0)
    assert index.search("期–第") == {0} and index.search("期--第") == set()


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
    index.start([SearchDocument("a/", "甲", "正文。")], [], {})
    with pytest.raises(SearchIndexError,
                       match="无法把搜索索引移入网站目录 /proc/gongkai-site/search-index"):
        index.finish()
