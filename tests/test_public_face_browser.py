"""The public face in headless Chromium: axe-core, 长者模式, meta tags, feeds, 公示期, print.

One fixture site with the project's real front end (theme override, scripts, styles) is built
with the real `mkdocs` and served under /sub/. axe-core is injected from the npm package in
tests/.node (see `browser.axe_script`), never fetched from a CDN.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from browser import axe_script, open_page, serve_under_sub_path
from conftest import Project, build_with_project_front_end

FOOTER = {
    "site_id_code": "5001070012",
    "sponsor": "测试镇人民政府",
    "contact": "电话 023-12345678",
    "icp_record": "测ICP备12345678号",
    "police_record": "测公网安备50010702000001号",
}
NOTICE = "disclosures/2024/dibao"
PAGES = {
    "home": "",
    "catalogue": "catalogue/",
    "category": f"catalogue/category/{quote('民生保障')}/",
    "entry": f"{NOTICE}/",
    "stats": "stats/",
}
SERIOUS = ("serious", "critical")


@dataclass
class Site:
    base: str
    browser: object
    root: Path

    def new_page(self, **options: object):
        return open_page(self.browser, **options)


def _write_fixture(project: Project) -> None:
    config_file = project.root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["extra"]["disclosure"].update(FOOTER)
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    for number in range(1, 7):
        project.entry(f"disclosures/2023/n{number}.md", title=f"关于第{number}项工作的通知",
                      date=f"2023-0{number}-10", index_no=f"000014349/2023-0000{number}",
                      category="通知公告" if number % 2 else "财政信息",
                      body=f"这是第{number}项工作的说明。其余内容从略。")
    project.entry(NOTICE + ".md", title="关于2024年第一季度低保对象的公示", date="2024-03-02",
                  category="民生保障", index_no="000014349/2024-00001",
                  tags="[低保, 公示]", publisher="测试镇社会事务办公室",
                  summary="公示新增低保对象3户5人。",
                  notice_period="{start: 2024-03-02, end: 2024-03-10}",
                  related='[{index_no: "000014349/2023-00001", relation: 依据文件}]',
                  body="| 村 | 户数 |\n|---|---|\n| 一村 | 2 |\n| 二村 | 1 |\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[Site]:
    result = build_with_project_front_end(tmp_path_factory.mktemp("public") / "project",
                                          _write_fixture)
    with serve_under_sub_path(result.site) as base:
        yield Site(base, browser, result.site)


def _set_care_mode(page, on: bool) -> None:
    pressed = page.get_attribute("#gk-care-toggle", "aria-pressed") == "true"
    if pressed != on:
        page.click("#gk-care-toggle")
    page.wait_for_function(f"document.documentElement.classList.contains('gk-care') === {str(on).lower()}")


def _axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(axe_script()))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"] if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_serious_violation(site: Site, name: str, care: bool):
    page = site.new_page()
    page.goto(site.base + PAGES[name])
    if name == "catalogue":  # the filters' counts are drawn once the search index is loaded
        page.wait_for_selector("body[data-gk-state=done]")
    _set_care_mode(page, care)
    assert _axe_violations(page) == []
    page.context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_has_lang_one_h1_landmarks_and_table_headers(site: Site, name: str):
    page = site.new_page()
    page.goto(site.base + PAGES[name])
    assert page.get_attribute("html", "lang") == "zh"
    assert page.locator("h1").count() == 1
    for landmark in ("header", "main", "footer", "nav"):
        assert page.locator(landmark).count() >= 1, landmark
    tables = page.locator("article table")
    for index in range(tables.count()):
        assert tables.nth(index).locator("th").count() > 0
    page.context.close()


def test_keyboard_focus_is_visible(site: Site):
    page = site.new_page()
    page.goto(site.base + PAGES["entry"])
    page.keyboard.press("Tab")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert page.evaluate("() => document.activeElement !== document.body")
    assert outline not in ("none", "")
    page.context.close()


def test_care_mode_works_by_keyboard_and_persists_across_pages(site: Site):
    page = site.new_page()
    page.goto(site.base + PAGES["entry"])
    normal_size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert page.get_attribute("#gk-care-toggle", "aria-pressed") == "false"
    page.focus("#gk-care-toggle")
    page.keyboard.press("Enter")
    assert page.get_attribute("#gk-care-toggle", "aria-pressed") == "true"
    care_size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert care_size >= normal_size * 1.25
    article = "getComputedStyle(document.querySelector('article.md-typeset'))"
    assert page.evaluate(f"() => parseFloat({article}.lineHeight) / parseFloat({article}.fontSize)"
                         ) >= 1.5
    # Another page opens in 长者模式 already, with the class set before the body is drawn.
    page.goto(site.base + PAGES["catalogue"])
    assert page.evaluate("() => document.documentElement.classList.contains('gk-care')")
    assert page.get_attribute("#gk-care-toggle", "aria-pressed") == "true"
    page.keyboard.press("Tab")  # Space on the focused button switches it off again
    page.focus("#gk-care-toggle")
    page.keyboard.press(" ")
    page.goto(site.base + PAGES["home"])
    assert not page.evaluate("() => document.documentElement.classList.contains('gk-care')")
    page.context.close()


def test_care_class_is_set_before_the_page_is_drawn(site: Site):
    page = site.new_page()
    page.goto(site.base)
    page.evaluate("localStorage.setItem('gk-care', 'on')")
    # The inline script in <head> runs before <body> exists: seen from the first DOM event on.
    page.add_init_script("""document.addEventListener('readystatechange', () => {
        if (document.readyState === 'interactive') window.gkCareAtParse =
            document.documentElement.classList.contains('gk-care'); });""")
    page.goto(site.base + PAGES["entry"])
    assert page.evaluate("window.gkCareAtParse") is True
    page.context.close()


def test_entry_page_meta_tags_have_the_entrys_values(site: Site):
    page = site.new_page()
    page.goto(site.base + PAGES["entry"])
    tags = dict(page.eval_on_selector_all(
        "meta[name]", "metas => metas.map(m => [m.getAttribute('name'), m.content])"))
    assert {name: tags.get(name) for name in (
        "SiteName", "SiteDomain", "SiteIDCode", "ArticleTitle", "PubDate", "ContentSource",
        "Keywords", "Description")} == {
        "SiteName": "测试镇政府信息公开", "SiteDomain": "example.gov.cn",
        "SiteIDCode": "5001070012", "ArticleTitle": "关于2024年第一季度低保对象的公示",
        "PubDate": "2024-03-02 00:00", "ContentSource": "测试镇社会事务办公室",
        "Keywords": "低保,公示", "Description": "公示新增低保对象3户5人。",
    }
    page.goto(site.base + PAGES["category"])
    tags = dict(page.eval_on_selector_all(
        "meta[name]", "metas => metas.map(m => [m.getAttribute('name'), m.content])"))
    assert (tags["ColumnName"], tags["ColumnType"]) == ("民生保障", "公开类别")
    feeds = page.eval_on_selector_all(
        "link[rel=alternate][type='application/rss+xml']", "links => links.map(l => l.href)")
    assert sorted(feeds) == sorted([f"{site.base}feeds/all.xml",
                                    f"{site.base}feeds/category/{quote('民生保障')}.xml"])
    page.context.close()


def test_footer_shows_the_configured_lines(site: Site):
    page = site.new_page()
    page.goto(site.base)
    footer = page.inner_text("footer")
    for label, key in (("主办单位", "sponsor"), ("联系方式", "contact"), ("网站标识码", "site_id_code"),
                       ("ICP备案号", "icp_record"), ("公安机关备案号", "police_record")):
        assert f"{label}：{FOOTER[key]}" in footer
    page.click("footer >> text=数据开放")
    assert page.locator("h1").inner_text() == "数据开放"
    page.context.close()


@pytest.mark.parametrize(("today", "status"), [
    ("2024-03-01", "尚未开始"), ("2024-03-02", "公示中（含今天还有 9 天）"),
    ("2024-03-10", "公示中（含今天还有 1 天）"), ("2024-03-11", "已结束"),
])
def test_notice_period_status_follows_the_readers_date(site: Site, today: str, status: str):
    page = site.new_page()
    # 10:00 in China on that day, whatever the machine's zone.
    page.clock.set_fixed_time(f"{today}T02:00:00Z")
    page.goto(site.base + PAGES["entry"])
    period = page.locator(".gk-notice-period")
    assert period.inner_text().startswith("公示期：2024年3月2日至2024年3月10日")
    assert period.locator(".gk-notice-period__status").inner_text() == status
    page.context.close()


def test_entry_page_prints_metadata_and_body_only(site: Site):
    page = site.new_page()
    page.goto(site.base + PAGES["entry"])
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-tabs", ".md-sidebar--primary", ".md-footer",
                   ".gk-related", "#gk-care-toggle"):
        assert page.locator(hidden).first.is_hidden(), hidden
    for shown in ("h1.gk-title", "table.gk-meta", ".gk-notice-period", "article table >> nth=1"):
        assert page.locator(shown).first.is_visible(), shown
    page.context.close()


def test_feeds_and_open_data_agree_with_the_catalogue(site: Site):
    page = site.new_page()
    page.goto(site.base + PAGES["catalogue"])
    listed = page.eval_on_selector_all("#gk-static-listing .gk-entry-title a",
                                       "links => links.map(a => a.href)")
    data = json.loads(page.request.get(site.base + "data/catalogue.json").text())
    feed = ET.fromstring(page.request.get(site.base + "feeds/all.xml").body())
    page.context.close()
    # page_size is 5 in the fixture: the first page of the catalogue holds the newest five.
    urls = [row["url"] for row in data["entries"]]
    assert data["count"] == len(urls) == 7
    feed_links = [item.findtext("link") for item in feed.iter("item")]
    assert len(feed_links) == 7
    local = [url.replace("https://example.gov.cn/township/", site.base) for url in urls]
    assert local[:5] == listed
    assert [url.replace("https://example.gov.cn/township/", site.base)
            for url in feed_links] == local
