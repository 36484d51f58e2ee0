"""Every public page at phone and desktop widths, in normal and 长者模式 (issue 14, point 9).

At 360, 390 and 1366 px: no page scrolls sideways, listings show each row's 发布日期 on screen,
the 长者模式 switch stays on screen and says how to leave the mode, and axe-core finds no
serious or critical violation. One full-page screenshot per page, width and mode is kept in
tests/screenshots/widths/ (git-ignored) for a person to look at.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
import yaml

from browser import REPO, SCREENSHOTS, axe_script, open_page, serve_under_sub_path
from conftest import Project, build_with_project_front_end

WIDTHS = (360, 390, 1366)
OLD_RULES = "000014349/2025-00001"
OFFLINE_TITLE = "村级公示栏张贴的救助名单"
PAGES = {
    "home": "",
    "catalogue-filtered": f"catalogue/?category={quote('民生保障')}",
    "category": f"catalogue/category/{quote('政策文件')}/",
    "entry-notice": "disclosures/2025/dibao/",
    "entry-repealed": "disclosures/2025/rules/",
    "entry-related": "disclosures/2025/repeal/",
    "search": f"search/?q={quote('低保')}",
    "stats": "stats/",
    "annual-report": "annual-reports/2025/",
    "data": "data/",
}
LISTINGS = ("catalogue-filtered", "category")
SHOTS = SCREENSHOTS / "widths"


@dataclass
class Site:
    base: str
    browser: object


def _write_fixture(project: Project) -> None:
    config_file = project.root / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text(encoding="utf-8"))
    config["nav"] += [{"政府信息公开年报": "annual-reports/index.md"},
                      {"数据开放": "data/index.md"}, {"公开统计": "stats/index.md"}]
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    (project.root / "annual-reports").mkdir()
    shutil.copy(REPO / "annual-reports" / "2025.yml", project.root / "annual-reports" / "2025.yml")
    project.write("docs/annual-reports/index.md", "# 政府信息公开年报\n\n<!-- gongkai:annual-reports -->\n")
    long_title = "关于做好2025年度城乡居民基本医疗保险参保缴费和困难群众资助参保工作的通知"
    for number in range(2, 14):
        project.entry(f"disclosures/2025/n{number:02d}.md", title=f"{long_title}（第{number}批）",
                      date=f"2025-{number - 1:02d}-15", index_no=f"000014349/2025-{number:05d}",
                      category=["民生保障", "政策文件"][number % 2],
                      channels="[website, bulletin, village_board]",
                      body=f"这是第{number}批的说明。其余内容从略。")
    project.entry("disclosures/2025/rules.md", title="村庄清洁以奖代补实施办法（试行）",
                  date="2025-01-10", category="政策文件", index_no=OLD_RULES,
                  doc_no="测试府发〔2025〕1号", written="2025-01-05", doc_type="行政规范性文件",
                  repealed="2025-09-30", body="第一条 为改善农村人居环境，制定本办法。")
    project.entry("disclosures/2025/repeal.md", title="关于废止村庄清洁以奖代补实施办法的通知",
                  date="2025-09-30", category="政策文件", index_no="000014349/2025-00020",
                  related=f'[{{index_no: "{OLD_RULES}", relation: 被废止的文件}}]',
                  body="决定废止该办法，自本通知印发之日起不再执行。")
    project.entry("disclosures/2025/dibao.md", title="关于2025年第一季度低保对象的公示",
                  date="2025-03-02", category="民生保障", index_no="000014349/2025-00030",
                  notice_period="{start: 2025-03-02, end: 2025-03-10}", tags="[低保, 公示]",
                  summary="公示新增低保对象3户5人。",
                  body="| 村 | 户数 | 人数 |\n|---|---|---|\n| 石梁村 | 2 | 3 |\n| 河坝村 | 1 | 2 |\n")
    project.entry("disclosures/2025/offline.md", title=OFFLINE_TITLE, date="2025-04-01",
                  category="民生保障", index_no="000014349/2025-00040",
                  channels="[village_board]", body="只在村级公示栏张贴。")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[Site]:
    result = build_with_project_front_end(tmp_path_factory.mktemp("widths") / "project",
                                          _write_fixture)
    assert OFFLINE_TITLE not in result.all_text()
    SHOTS.mkdir(parents=True, exist_ok=True)
    with serve_under_sub_path(result.site) as base:
        yield Site(base, browser)


def _serious_violations(page) -> list[dict]:
    page.add_script_tag(path=str(axe_script()))
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in results["violations"] if v["impact"] in ("serious", "critical")
    ]


def _wider_than_screen(page) -> list[str]:
    """Elements whose right edge is past the screen, outside any box that scrolls itself."""
    return page.evaluate("""() => {
      const width = innerWidth;
      const clipped = (element) => {
        for (let up = element.parentElement; up; up = up.parentElement) {
          const overflow = getComputedStyle(up).overflowX;
          if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden') return true;
        }
        return false;
      };
      return [...document.body.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > width + 1 && !clipped(e))
        .slice(0, 5).map((e) => `${e.tagName}.${e.className}`);
    }""")


@pytest.mark.parametrize("care", [False, True], ids=["normal", "care"])
@pytest.mark.parametrize("width", WIDTHS)
def test_pages_fit_the_screen_show_dates_and_pass_axe(site: Site, width: int, care: bool):
    page = open_page(site.browser, viewport={"width": width, "height": 800})
    if care:
        page.context.add_init_script("localStorage.setItem('gk-care', 'on')")
    mode = "care" if care else "normal"
    problems = {}
    for name, path in PAGES.items():
        page.goto(site.base + path)
        if name in ("catalogue-filtered", "search"):  # drawn once the search index answers
            page.wait_for_selector("body[data-gk-state=done]")
        page.screenshot(path=SHOTS / f"{name}-{width}-{mode}.png", full_page=True)
        found = []
        scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
        if scroll_width > width:
            found.append(f"页面可横向滚动 {scroll_width - width} px：{_wider_than_screen(page)}")
        toggle = page.locator("#gk-care-toggle").bounding_box()
        if toggle is None or toggle["x"] < 0 or toggle["x"] + toggle["width"] > width:
            found.append(f"长者模式开关不在屏幕内：{toggle}")
        expected = ("退出长者模式", "true") if care else ("长者模式", "false")
        shown = (page.inner_text("#gk-care-toggle").strip(),
                 page.get_attribute("#gk-care-toggle", "aria-pressed"))
        if shown != expected:
            found.append(f"开关显示 {shown}，应为 {expected}")
        if name in LISTINGS:
            date = page.locator("table.gk-listing:visible td.gk-col-date").first
            box = date.bounding_box()
            if box is None or box["x"] < 0 or box["x"] + box["width"] > width:
                found.append(f"列表中的发布日期不在屏幕内：{box}")
            elif not date.inner_text().strip().startswith("2025-"):
                found.append(f"发布日期为「{date.inner_text()}」")
        violations = _serious_violations(page)
        if violations:
            found.append(f"axe：{violations}")
        if found:
            problems[name] = found
    page.context.close()
    assert problems == {}



def _finder_dates(page) -> list[str]:
    return page.eval_on_selector_all("#gk-finder-results td.gk-col-date",
                                     "cells => cells.map(c => c.textContent.trim())")


def test_finder_on_a_wide_screen_chips_and_sort(site: Site):
    page = open_page(site.browser, viewport={"width": 1366, "height": 900})
    page.goto(site.base + PAGES["catalogue-filtered"])
    page.wait_for_selector("body[data-gk-state=done]")
    # Filters beside the results, open; the condition as a chip above them.
    panel = page.locator("#gk-finder-panel").bounding_box()
    results = page.locator("#gk-finder-results-start").bounding_box()
    assert panel["x"] + panel["width"] <= results["x"] and abs(panel["y"] - results["y"]) < 5
    assert page.is_visible('[data-gk-facet=category] input[value="民生保障"]')
    assert page.inner_text("#gk-finder-status") == "共 7 条公开信息，按发布日期从新到旧排列"
    assert page.inner_text("#gk-finder-chips").replace("\n", "") == "公开类别：民生保障 ×"
    dates = _finder_dates(page)
    assert dates == sorted(dates, reverse=True)
    # Sort oldest first: the order turns, the URL says so, no history entry is added.
    history = page.evaluate("history.length")
    page.evaluate("document.body.dataset.gkState = 'stale'")
    page.select_option("#gk-finder-sort", "oldest")
    page.wait_for_selector("body[data-gk-state=done]")
    oldest_first = _finder_dates(page)  # the first page of five (page_size)
    assert oldest_first == sorted(oldest_first) and oldest_first[0] == "2025-01-15"
    assert dates[0] == "2025-11-15"
    assert page.url.endswith("&sort=oldest") and page.evaluate("history.length") == history
    assert page.inner_text("#gk-finder-status").endswith("按发布日期从旧到新排列")
    # Removing the chip removes the condition.
    page.evaluate("document.body.dataset.gkState = 'stale'")
    page.click(".gk-chip")
    page.wait_for_selector("body[data-gk-state=done]")
    assert page.url.endswith("catalogue/?sort=oldest")
    assert page.inner_text("#gk-finder-status").startswith("共 15 条")  # the offline-only entry is not on the site
    assert page.is_hidden("#gk-finder-chips")
    page.context.close()


def test_finder_on_a_phone_folds_the_filters_into_a_panel(site: Site):
    page = open_page(site.browser, viewport={"width": 360, "height": 800})
    page.goto(site.base + "catalogue/")
    page.wait_for_selector("body[data-gk-state=done]")
    assert page.is_hidden('[data-gk-facet=category] input[value="民生保障"]')
    page.click("#gk-finder-panel > summary")
    page.evaluate("document.body.dataset.gkState = 'stale'")
    page.check('[data-gk-facet=category] input[value="民生保障"]')
    page.wait_for_selector("body[data-gk-state=done]")
    assert page.inner_text("#gk-finder-show") == "查看 7 条结果"
    page.click("#gk-finder-show")
    assert page.is_hidden('[data-gk-facet=category] input[value="民生保障"]')
    assert page.evaluate("document.activeElement.id") == "gk-finder-results-start"
    page.context.close()


def test_repealed_entry_prints_its_notice_without_the_page_tools(site: Site):
    page = open_page(site.browser, viewport={"width": 1366, "height": 900})
    page.goto(site.base + PAGES["entry-repealed"])
    page.emulate_media(media="print")
    assert page.is_visible(".gk-banner--废止")
    assert "本文件已于2025年9月30日废止" in page.inner_text(".gk-banner--废止")
    for hidden in (".gk-breadcrumb", ".gk-toolbar", ".gk-pager", ".gk-related"):
        assert page.locator(hidden).is_hidden(), hidden
    page.context.close()


def test_text_size_is_chosen_in_the_toolbar_and_remembered(site: Site):
    page = open_page(site.browser, viewport={"width": 1366, "height": 900})
    page.goto(site.base + PAGES["entry-notice"])
    body_size = "() => parseFloat(getComputedStyle(document.querySelector('.md-content .md-typeset')).fontSize)"
    medium = page.evaluate(body_size)
    assert page.get_attribute('[data-gk-size="medium"]', "aria-pressed") == "true"
    page.click('[data-gk-size="large"]')
    assert page.evaluate(body_size) > medium
    assert page.get_attribute('[data-gk-size="large"]', "aria-pressed") == "true"
    assert page.get_attribute('[data-gk-size="medium"]', "aria-pressed") == "false"
    # Another page opens at that size, set in <head> before the body is drawn.
    page.goto(site.base + PAGES["entry-repealed"])
    assert page.evaluate("document.documentElement.classList.contains('gk-size-large')")
    assert page.evaluate(body_size) > medium
    page.click('[data-gk-size="small"]')
    assert page.evaluate(body_size) < medium
    page.click('[data-gk-size="medium"]')
    assert page.evaluate(body_size) == medium
    assert page.evaluate("localStorage.getItem('gk-size')") is None
    page.context.close()
