"""Entry pages as 政务公开 pages are laid out (issue 14, point 4): 当前位置, the two-column
metadata box, 打印/字号, 上一篇/下一篇 within the category, and the 废止 notice at the top."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote, unquote

from conftest import Project

OLD_RULES = "000014349/2021-00001"


def _policy_entries(project: Project) -> None:
    project.entry("disclosures/2021/rules.md", title="村庄清洁以奖代补实施办法", date="2021-02-01",
                  category="政策文件", index_no=OLD_RULES, doc_no="测试府发〔2021〕1号",
                  written="2021-01-25", repealed="2021-06-30", channels="[website, bulletin]")
    project.entry("disclosures/2021/middle.md", title="关于春耕备耕的通知", date="2021-03-01",
                  category="政策文件", index_no="000014349/2021-00002")
    project.entry("disclosures/2021/other.md", title="别的类别的公告", date="2021-04-01",
                  category="通知公告", index_no="000014349/2021-00003")
    project.entry("disclosures/2021/repeal.md", title="关于废止村庄清洁以奖代补实施办法的通知",
                  date="2021-06-30", category="政策文件", index_no="000014349/2021-00004",
                  related=f'[{{index_no: "{OLD_RULES}", relation: 被废止的文件}}]')


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_entry_page_has_breadcrumb_two_column_box_toolbar_and_neighbours(project: Project):
    _policy_entries(project)
    result = project.build()
    assert result.returncode == 0, result.output
    html = result.page("disclosures/2021/middle")
    crumbs = re.search(r'<nav class="gk-breadcrumb" aria-label="当前位置"[^>]*>(.*?)</nav>', html)
    assert crumbs is not None
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', crumbs.group(1)) == [
        ("../../../", "首页"), ("../../../catalogue/", "法定主动公开内容"),
        ("../../../catalogue/category/%E6%94%BF%E7%AD%96%E6%96%87%E4%BB%B6/", "政策文件"),
    ]
    box = re.search(r'<table class="gk-meta">(.*?)</table>', html).group(1)
    rows = [re.findall(r'<th scope="row">([^<]+)</th><td>([^<]*)</td>', row)
            for row in re.findall(r"<tr>(.*?)</tr>", box)]
    assert rows == [
        [("索引号", "000014349/2021-00002"), ("公开类别", "政策文件")],
        [("发布机构", "测试镇人民政府"), ("成文日期", "—")],
        [("文号", "—"), ("发布日期", "2021-03-01")],
        [("有效性", "有效"), ("公开渠道", "县政府信息公开网站子站")],
    ]
    assert "信息元数据" not in html
    toolbar = re.search(r'<div class="gk-toolbar".*?</div>', html).group(0)
    assert _text(toolbar) == "打印字号：大中小"
    pager = re.search(r'<nav class="gk-pager".*?</nav>', html).group(0)
    # Same category only (通知公告's entry of April is skipped), by date.
    assert _text(pager) == ("上一篇：村庄清洁以奖代补实施办法"
                            "下一篇：关于废止村庄清洁以奖代补实施办法的通知")
    assert 'href="../rules/" rel="prev"' in pager and 'href="../repeal/" rel="next"' in pager
    first = result.page("disclosures/2021/rules")
    assert "上一篇：</span>没有了" in first


def test_repealed_entry_says_when_and_links_the_repealing_entry_at_the_top(project: Project):
    _policy_entries(project)
    result = project.build(env={"GONGKAI_TODAY": "2021-08-01"})
    assert result.returncode == 0, result.output
    html = result.page("disclosures/2021/rules")
    banner = re.search(r'<div class="gk-banner gk-banner--废止" role="note">(.*?)</div>', html)
    assert banner is not None
    assert _text(banner.group(1)) == (
        "废止 本文件已于2021年6月30日废止，仅供查阅，不再作为依据。"
        "见关于废止村庄清洁以奖代补实施办法的通知。"
    )
    assert '<a href="../repeal/">' in banner.group(1)
    # At the top: after the title, before the metadata box and the body.
    assert html.index('class="gk-title"') < banner.start() < html.index('class="gk-meta"')
    # Before the repeal date the entry is 有效 and has no notice.
    before = project.build(env={"GONGKAI_TODAY": "2021-06-29"})
    assert "gk-banner" not in before.page("disclosures/2021/rules")


def test_repealed_without_date_or_repealing_entry_says_so_plainly(project: Project):
    project.entry("disclosures/2021/old.md", validity="失效", index_no=OLD_RULES)
    html = project.build().page("disclosures/2021/old")
    banner = re.search(r'<div class="gk-banner gk-banner--失效" role="note">(.*?)</div>', html)
    assert _text(banner.group(1)) == "失效 本文件已失效，仅供查阅，不再作为依据。"


def test_each_entry_gets_the_breadcrumb_of_its_own_depth_and_category(project: Project):
    """The breadcrumb is made once per folder depth and category: entries of two categories
    and two depths each link to their own category, and every link leads to a page."""
    project.entry("disclosures/2021/a.md", category="政策文件", index_no="000014349/2021-00001")
    project.entry("disclosures/2021/b.md", category="通知公告", index_no="000014349/2021-00002")
    project.entry("disclosures/2021/03/c.md", category="政策文件", index_no="000014349/2021-00003")
    project.entry("disclosures/2021/03/d.md", category="通知公告", index_no="000014349/2021-00004")
    result = project.build()
    assert result.returncode == 0, result.output
    policy, notice = (f"catalogue/category/{quote(name)}/" for name in ("政策文件", "通知公告"))
    for page, up, category in (("2021/a", "../../../", policy), ("2021/b", "../../../", notice),
                               ("2021/03/c", "../../../../", policy),
                               ("2021/03/d", "../../../../", notice)):
        html = result.page(f"disclosures/{page}")
        crumbs = re.search(r'<nav class="gk-breadcrumb"[^>]*>(.*?)</nav>', html).group(1)
        hrefs = re.findall(r'<a href="([^"]+)">', crumbs)
        assert hrefs == [up, f"{up}catalogue/", f"{up}{category}"], page
        folder = result.site / "disclosures" / page
        for href in hrefs:
            assert (folder / unquote(href) / "index.html").is_file(), (page, href)


BODIES = {
    "plain": "一、基本情况\n\n现将有关事项公示如下，联系电话：023-70600000。\n请相互转告。",
    "table": "| 村 | 户数 |\n|---|---|\n| 示例村 | 12 |",
    "heading": "## 一、概况\n\n正文。",
}
"""A body of plain paragraphs, which skips Python-Markdown, and two that need it."""


def _body_entries(project: Project) -> None:
    for number, (name, body) in enumerate(BODIES.items(), start=1):
        project.entry(f"disclosures/2021/{name}.md", body, title=f"公告{name}",
                      index_no=f"000014349/2021-0000{number}")


def _html_files(site) -> dict[str, str]:
    return {path.relative_to(site).as_posix(): path.read_text("utf-8")
            for path in sorted(site.rglob("*.html"))}


def test_plain_bodies_skip_python_markdown_and_the_site_is_the_same(tmp_path):
    """A plain body's HTML is made without Python-Markdown, unless an extension outside the
    plain path is configured: `abbr` changes nothing in these bodies, so both sites must be
    the same bytes, page for page."""
    fast, slow = Project(tmp_path / "fast"), Project(tmp_path / "slow")
    for project in (fast, slow):
        _body_entries(project)
    config = slow.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8") + "markdown_extensions:\n  - abbr\n", "utf-8")
    fast_result, slow_result = fast.build(), slow.build()
    assert fast_result.returncode == 0, fast_result.output
    assert slow_result.returncode == 0, slow_result.output
    assert "<p>现将有关事项公示如下，联系电话：023-70600000。\n请相互转告。</p>" in (
        fast_result.page("disclosures/2021/plain"))
    assert _html_files(fast_result.site) == _html_files(slow_result.site)


def test_another_plugins_markdown_reaches_plain_bodies(project: Project):
    """With another plugin changing pages' Markdown, every body goes through Markdown with
    what that plugin added."""
    hook = project.write("more_hooks.py", '''
        def on_page_markdown(markdown, **kwargs):
            return markdown + "\\n\\n另一插件追加的段落。"
    ''')
    config = project.root / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace(  # after gongkai's own hook
        "gongkai_hooks.py\n", f"gongkai_hooks.py\n  - {hook.as_posix()}\n"), "utf-8")
    _body_entries(project)
    result = project.build()
    assert result.returncode == 0, result.output
    html = result.page("disclosures/2021/plain")
    assert "<p>一、基本情况</p>\n<p>现将有关事项公示如下" in html
    assert "<p>另一插件追加的段落。</p>" in html
