"""Real `mkdocs build` runs of small projects: the HTML produced and the exact messages."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote

import pytest

from conftest import Project

FUTURE = "2999-01-01"


def entry_urls(html: str) -> list[str]:
    """Entry links of a listing table, in order."""
    return re.findall(r'<td class="gk-entry-title"><a href="([^"]+)"', html)


def test_published_entry_page_carries_its_metadata(project: Project):
    project.entry(
        "disclosures/2021/dibao.md", title="关于第一季度低保对象的公示",
        index_no="000014349/2021-00012", doc_no="测试民发〔2021〕3号", written="2021-02-26",
        channels="[website, bulletin]", category="民生保障", body="公示期为七个工作日。",
    )
    result = project.build()
    assert result.returncode == 0, result.output
    html = result.page("disclosures/2021/dibao")
    assert '<h1 class="gk-title">关于第一季度低保对象的公示</h1>' in html
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td>', html))
    assert rows == {
        "索引号": "000014349/2021-00012", "公开类别": "民生保障", "发布机构": "测试镇人民政府",
        "文号": "测试民发〔2021〕3号", "成文日期": "2021-02-26", "发布日期": "2021-03-04",
        "有效性": "有效", "公开渠道": "县政府信息公开网站子站、信息公告栏",
    }
    assert "<p>公示期为七个工作日。</p>" in html
    assert "<title>关于第一季度低保对象的公示 - 测试镇政府信息公开</title>" in html


def test_drafts_and_future_entries_appear_nowhere(project: Project):
    project.entry("disclosures/2021/public.md", title="公开的通知", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/draft.md", title="草稿中的秘密通知",
                  index_no="000014349/2021-00002", draft="true", body="草稿正文秘密")
    project.entry("disclosures/2999/later.md", title="尚未到发布日期的通知", date=FUTURE,
                  index_no="000014349/2999-00003", body="未来正文秘密")
    result = project.build()
    assert result.returncode == 0, result.output
    everything = result.all_text()
    assert "公开的通知" in everything
    for secret in ("草稿中的秘密通知", "000014349/2021-00002", "草稿正文秘密",
                   "尚未到发布日期的通知", "000014349/2999-00003", "未来正文秘密"):
        assert secret not in everything
    assert not (result.site / "disclosures" / "2021" / "draft").exists()
    sitemap = (result.site / "sitemap.xml").read_text("utf-8")
    assert "disclosures/2021/public/" in sitemap and "draft" not in sitemap and "2999" not in sitemap


def test_future_entry_goes_live_on_its_day(project: Project):
    project.entry("disclosures/2030/later.md", title="定时发布的通知", date="2030-05-01",
                  index_no="000014349/2030-00001")
    before = project.build(env={"GONGKAI_TODAY": "2030-04-30"})
    assert before.returncode == 0, before.output
    assert "定时发布的通知" not in before.all_text()
    on_the_day = project.build(env={"GONGKAI_TODAY": "2030-05-01"})
    assert "定时发布的通知" in on_the_day.page("disclosures/2030/later")


def test_catalogue_is_newest_first_paginated_and_split_by_category_and_year(project: Project):
    for day in range(1, 8):
        project.entry(f"disclosures/2021/n{day}.md", title=f"通知{day}", date=f"2021-05-0{day}",
                      index_no=f"000014349/2021-0000{day}")
    project.entry("disclosures/2020/old.md", title="旧的财政信息", date="2020-12-31",
                  category="财政信息", index_no="000014349/2020-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    first = result.page("catalogue")
    assert [unquote(u) for u in entry_urls(first)] == [
        f"../disclosures/2021/n{day}/" for day in (7, 6, 5, 4, 3)
    ]
    assert "共 8 条，第 1 / 2 页" in first
    second = result.page("catalogue/page/2")
    assert [unquote(u) for u in entry_urls(second)] == [
        "../../../disclosures/2021/n2/", "../../../disclosures/2021/n1/",
        "../../../disclosures/2020/old/",
    ]
    finance = result.page("catalogue/category/财政信息")
    assert [unquote(u) for u in entry_urls(finance)] == ["../../../disclosures/2020/old/"]
    assert "本栏目暂无公开信息" in result.page("catalogue/category/人事信息")
    assert len(entry_urls(result.page("catalogue/year/2020"))) == 1
    assert '<a href="year/2021/">2021年</a> <span class="gk-count">（7）</span>' in first


def test_navigation_shows_columns_and_categories_but_no_entries(project: Project):
    project.entry("disclosures/2021/a.md", title="不应出现在导航中的条目",
                  index_no="000014349/2021-00001")
    result = project.build()
    home = result.page("")
    nav = home[home.index('<nav class="md-nav md-nav--primary"'):]
    nav = nav[: nav.index("</nav>")]
    assert "法定主动公开内容" in nav and "财政信息" in nav and "通知公告" in nav
    assert "不应出现在导航中的条目" not in nav
    assert "不应出现在导航中的条目" in home  # the home page lists the latest entries


# The parts of a page that docs/overrides/entry.html renders once per folder depth and reuses.
REUSED_PARTS = {
    "stylesheets": r'<link rel="stylesheet"[^>]*>',
    "tabs": r'<nav class="md-tabs".*?</nav>',
    "navigation": r'<div class="md-sidebar md-sidebar--primary".*?<div class="md-sidebar md-sidebar--secondary"',
    "footer": r'<footer class="md-footer">.*?</footer>',
    "config and scripts": r'<script id="__config".*?</body>',
}


def test_entry_pages_reuse_exactly_what_main_html_renders_at_their_depth(project: Project):
    config = (project.root / "mkdocs.yml").read_text("utf-8").replace(
        "  font: false\n",
        "  font: false\n  features: [navigation.tabs, navigation.footer, navigation.top]\n",
    )
    config += "extra_css: [extra.css]\nextra_javascript: [extra.js]\n"
    (project.root / "mkdocs.yml").write_text(config, "utf-8")
    project.write("docs/extra.css", "body {}\n")
    project.write("docs/extra.js", "\n")
    # A page main.html renders at the entries' depth, out of the nav like them, and in a
    # folder that no nav page shares (so its relative links depend on its depth only).
    project.write("docs/notes/2021/reference.md", "# 参照页\n")
    project.entry("disclosures/2021/a.md", title="甲", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/b.md", title="乙", index_no="000014349/2021-00002")
    result = project.build()
    assert result.returncode == 0, result.output
    reference = result.page("notes/2021/reference")
    for slug in ("a", "b"):
        entry = result.page(f"disclosures/2021/{slug}")
        for part, pattern in REUSED_PARTS.items():
            expected = _markup(re.findall(pattern, reference, re.DOTALL))
            assert expected, part
            assert _markup(re.findall(pattern, entry, re.DOTALL)) == expected, (slug, part)
        # The header is reused but for the title: the reference page's, with the entry's.
        header = r'<header class="md-header".*?</header>'
        expected = re.search(header, reference, re.DOTALL).group().replace(
            "参照页", {"a": "甲", "b": "乙"}[slug])
        assert re.search(header, entry, re.DOTALL).group() == expected, slug


def _markup(parts: list[str]) -> list[str]:
    """`parts` with runs of white space made one space: entry.html copies a block of
    Material's with other indentation (and without an empty attribute's trailing space)."""
    return [re.sub(r"\s+", " ", part).replace(" >", ">") for part in parts]


def test_html_in_titles_is_shown_as_text(project: Project):
    # (Script in a title is refused outright: tests/test_hardening_html.py.)
    project.entry("disclosures/2021/x.md", title="'<b>粗</b> & \"引号\"'",
                  index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode == 0, result.output
    for html in (result.page("disclosures/2021/x"), result.page("catalogue"), result.page("")):
        assert "<b>粗" not in html
        assert "&lt;b&gt;粗&lt;/b&gt; &amp;" in html


@pytest.mark.parametrize("validity", ["失效", "废止"])
def test_expired_and_repealed_entries_stay_online_with_a_banner(project: Project, validity):
    project.entry("disclosures/2021/old.md", validity=validity, index_no="000014349/2021-00001")
    html = project.build().page("disclosures/2021/old")
    assert f'<div class="gk-banner gk-banner--{validity}" role="note"><strong>{validity}</strong>' in html


def test_every_link_is_relative_so_the_site_works_under_a_sub_path(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    result = project.build()
    # 404.html is the exception by design: it is served at any missing URL, so MkDocs writes
    # its links as absolute paths from site_url (here /township/), which must match the deployment.
    for path in result.site.rglob("*.html"):
        if path.name == "404.html":
            continue
        html = path.read_text("utf-8")
        absolute = re.findall(r'(?:href|src)="(/[^"]*)"', html)
        assert absolute == [], f"{path}: {absolute}"


BAD_FILES = {
    "disclosures/2021/yaml.md": ("---\ntitle: 通知\ndate: 2021-03-04\ncategory: [通知公告\n"
                                 "channels: [website]\n---\n正文\n"),
    "disclosures/2021/nodate.md": "---\ntitle: 通知\ncategory: 通知公告\nchannels: [website]\n---\n",
    "disclosures/2021/category.md": ("---\ntitle: 通知\ndate: 2021-03-04\ncategory: 财务信息\n"
                                     "channels: [website]\n---\n"),
    "disclosures/2021/channel.md": ("---\ntitle: 通知\ndate: 2021-03-04\ncategory: 通知公告\n"
                                    "channels: [weixin]\n---\n"),
    "disclosures/2021/baddate.md": ("---\ntitle: 通知\ndate: 2021-02-30\ncategory: 通知公告\n"
                                    "channels: [website]\n---\n"),
    "disclosures/2021/nochannel.md": ("---\ntitle: 通知\ndate: 2021-03-04\ncategory: 通知公告\n"
                                      "channels: []\n---\n"),
    "disclosures/2021/list.md": "---\n- 通知\n---\n",
    "disclosures/2021/nofront.md": "关于某事的通知\n",
}
EXPECTED_ERRORS = [
    "ERROR   -  disclosures/2021/baddate.md:3: date: 日期「2021-02-30」不存在：请核对年、月、日",
    ("ERROR   -  disclosures/2021/category.md:4: category: 未知分类「财务信息」，是否想写「财政信息」？"
    "可选：机构职能、政策文件、规划计划、重大决策、财政信息、行政执法、民生保障、乡村振兴、重大建设项目、"
    "公共资源配置、应急管理、人事信息、法治政府建设、通知公告"),
    ("ERROR   -  disclosures/2021/channel.md:5: channels: 未知渠道「weixin」，可选：website（县政府信息公开网站子站）、"
    "zwy（政务易平台）、broadcast（村村响广播）、bulletin（信息公告栏）、village_board（村级公示栏）、"
    "wechat（政务公众号）"),
    "ERROR   -  disclosures/2021/gbk.md:2: 编码: 文件不是 UTF-8 编码",
    "ERROR   -  disclosures/2021/list.md:2: front matter: front matter 应逐行写成“字段: 值”",
    "ERROR   -  disclosures/2021/nochannel.md:1: channels: 缺少必填字段 channels（公开渠道）",
    "ERROR   -  disclosures/2021/nodate.md:1: date: 缺少必填字段 date（发布日期）",
    "ERROR   -  disclosures/2021/nofront.md:1: front matter: 文件开头缺少 front matter",
    "ERROR   -  disclosures/2021/yaml.md:4: front matter: 格式错误：方括号「[」「]」没有配对",
]


def write_bad_files(project: Project) -> None:
    for path, text in BAD_FILES.items():
        project.write(path, text)
    project.write_bytes("disclosures/2021/gbk.md", (
        "---\ntitle: 关于通知\ndate: 2021-03-04\ncategory: 通知公告\nchannels: [website]\n---\n"
    ).encode("gbk"))


def test_every_bad_file_is_reported_and_strict_build_fails(project: Project):
    write_bad_files(project)
    project.entry("disclosures/2021/good.md", title="正常的通知", index_no="000014349/2021-00001")
    result = project.build(strict=True)
    assert result.returncode != 0
    assert "Traceback" not in result.output
    error_lines = [line for line in result.output.splitlines() if line.startswith("ERROR")]
    for expected in EXPECTED_ERRORS:
        assert sum(line.startswith(expected) for line in error_lines) == 1, expected
    assert "9 个文件有错误，未发布：disclosures/2021/baddate.md、" in result.output
    assert "有 9 个文件未通过检查（见上方 ERROR），构建已停止。" in result.output


def test_without_strict_bad_files_are_left_out_and_good_ones_published(project: Project):
    write_bad_files(project)
    project.entry("disclosures/2021/good.md", title="正常的通知", index_no="000014349/2021-00001")
    result = project.build(strict=False)
    assert result.returncode == 0, result.output
    assert "9 个文件有错误，未发布" in result.output
    assert "正常的通知" in result.page("disclosures/2021/good")
    assert len(entry_urls(result.page("catalogue"))) == 1


def test_duplicate_index_number_names_both_files(project: Project):
    project.entry("disclosures/2021/a.md", title="先写的", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/b.md", title="后写的", index_no="000014349/2021-00001")
    result = project.build()
    assert result.returncode != 0
    assert (
        "ERROR   -  disclosures/2021/b.md:6: index_no: 索引号「000014349/2021-00001」与 "
        "disclosures/2021/a.md:6 重复：索引号必须唯一，请改用新的索引号"
    ) in result.output


def test_missing_index_number_fails_strict_build_as_a_warning(project: Project):
    project.entry("disclosures/2021/a.md")
    result = project.build()
    assert result.returncode != 0
    assert "WARNING -  disclosures/2021/a.md:1: index_no: 缺少索引号" in result.output
    assert project.build(strict=False).returncode == 0


def test_bad_configuration_stops_the_build_with_a_message(project: Project):
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    (project.root / "mkdocs.yml").write_text(config + "    page_sise: 10\n", "utf-8")
    result = project.build()
    assert result.returncode != 0
    assert "Traceback" not in result.output
    assert "mkdocs.yml: extra.disclosure.page_sise: 未知设置，是否想写「page_size」？" in result.output


def test_a_few_hundred_entries_each_get_exactly_one_page(project: Project):
    count = 300
    for number in range(1, count + 1):
        month, day = divmod(number % 336, 28)
        project.entry(
            f"disclosures/2021/e{number:03d}.md", title=f"第{number}号测试通知",
            date=f"2021-{month + 1:02d}-{day + 1:02d}", index_no=f"000014349/2021-{number:05d}",
            category=["通知公告", "民生保障", "财政信息"][number % 3],
            channels=["[website]", "[website, zwy, broadcast]", "[bulletin, website]"][number % 3],
        )
    result = project.build()
    assert result.returncode == 0, result.output
    pages = sorted(result.site.glob("disclosures/2021/*/index.html"))
    assert len(pages) == count
    for number in (1, 150, 300):
        html = result.page(f"disclosures/2021/e{number:03d}")
        assert f"<td>000014349/2021-{number:05d}</td>" in html
    listed = []
    for page in range(1, count // 5 + 1):
        html = result.page("catalogue" if page == 1 else f"catalogue/page/{page}")
        listed += [unescape(unquote(url)).rsplit("/", 2)[-2] for url in entry_urls(html)]
    assert sorted(listed) == [f"e{number:03d}" for number in range(1, count + 1)]


# --- Review fixes: unreadable files, source folders MkDocs would publish itself -------------


def test_an_unreadable_entry_file_is_an_error_not_a_traceback(project: Project):
    project.entry("disclosures/2021/good.md", title="正常的通知", index_no="000014349/2021-00001")
    (project.root / "disclosures" / "2021" / "broken.md").symlink_to("nowhere.md")
    result = project.build(strict=False)
    assert "Traceback" not in result.output
    assert result.returncode == 0, result.output
    assert "ERROR   -  disclosures/2021/broken.md: 文件: 无法读取此文件" in result.output
    assert "1 个文件有错误，未发布：disclosures/2021/broken.md" in result.output
    assert "正常的通知" in result.page("disclosures/2021/good")
    assert project.build().returncode != 0
    check = project.gongkai("check")
    assert check.returncode == 1
    assert "Traceback" not in check.stderr
    assert "disclosures/2021/broken.md: 文件: 无法读取此文件" in check.stdout


@pytest.mark.parametrize("setting, folder", [
    ("source_dir: docs/notices", "docs/notices"),
    ("source_dir: ./docs", "docs"),
    ("reports_dir: docs/reports", "docs/reports"),
])
def test_a_source_folder_inside_docs_stops_the_build(project: Project, setting, folder):
    config = (project.root / "mkdocs.yml").read_text("utf-8")
    (project.root / "mkdocs.yml").write_text(config + f"    {setting}\n", "utf-8")
    source = setting.startswith("source_dir")
    base = folder if source else "disclosures"
    project.entry(f"{base}/2021/public.md", title="公开的通知", index_no="000014349/2021-00001")
    project.entry(f"{base}/2021/draft.md", title="草稿中的秘密通知",
                  index_no="000014349/2021-00002", draft="true", body="草稿正文秘密")
    result = project.build(strict=False)
    assert result.returncode != 0
    assert "Traceback" not in result.output
    name = "source_dir" if source else "reports_dir"
    assert f"extra.disclosure.{name}: 文件夹「{folder}」在 docs_dir（docs）之内" in result.output
    assert not (result.site / "disclosures").exists()
    assert not (result.site / "notices").exists()


# The parts of an entry page that entry.html cuts from the first entry's rendering and fills
# with each entry's own values: they must be Material's own rendering, byte for byte.
FILLED_PARTS = {
    "head tags": r"<head>.*?<title>",
    "content": r'<article class="md-content__inner md-typeset">.*?</article>',
    "table of contents": r'<nav class="md-nav md-nav--secondary".*?</nav>',
}


def test_entry_pages_fill_in_exactly_what_material_renders_for_each(tmp_path):
    """The same entries rendered with gongkai's entry.html and with one that only extends
    main.html (a site's own custom_dir comes first): the parts entry.html reuses around each
    entry's description, canonical address, content and table of contents are the same."""
    reused, plain = Project(tmp_path / "reused"), Project(tmp_path / "plain")
    config = plain.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(
        "  font: false\n", "  font: false\n  custom_dir: overrides\n"), "utf-8")
    plain.write("overrides/entry.html", '{% extends "main.html" %}\n')
    for project in (reused, plain):
        project.entry("disclosures/2021/a.md", "第一段。\n\n第二段。", title="甲",
                      index_no="000014349/2021-00001")
        project.entry("disclosures/2021/b.md", "## 一、概况\n\n正文。\n\n## 二、安排\n\n正文。",
                      title="乙", index_no="000014349/2021-00002", summary="乙的内容概述")
        project.entry("disclosures/2021/03/c.md", "| 村 | 户数 |\n|---|---|\n| 示例村 | 12 |",
                      title="丙", index_no="000014349/2021-00003")
        project.entry("disclosures/2021/03/d.md", "正文 & <b>粗</b>。", title="丁",
                      index_no="000014349/2021-00004")
    reused_result, plain_result = reused.build(), plain.build()
    assert reused_result.returncode == 0, reused_result.output
    assert plain_result.returncode == 0, plain_result.output
    for page in ("2021/a", "2021/b", "2021/03/c", "2021/03/d"):
        ours = reused_result.page(f"disclosures/{page}")
        theirs = plain_result.page(f"disclosures/{page}")
        for part, pattern in FILLED_PARTS.items():
            expected = re.findall(pattern, theirs, re.DOTALL)
            assert len(expected) == 1, (page, part)
            assert re.findall(pattern, ours, re.DOTALL) == expected, (page, part)
    # Each page has its own: b's headings and summary, d's canonical address.
    assert "乙的内容概述" in reused_result.page("disclosures/2021/b")
    toc = re.search(FILLED_PARTS["table of contents"], reused_result.page("disclosures/2021/b"),
                    re.DOTALL).group()
    assert '<a href="#_1" class="md-nav__link">' in toc and "二、安排" in toc
    assert '<link rel="canonical" href="https://example.gov.cn/township/disclosures/2021/03/d/">' in (
        reused_result.page("disclosures/2021/03/d"))
