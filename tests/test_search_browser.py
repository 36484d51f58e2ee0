"""Search and the faceted catalogue in headless Chromium, on a fixture site served under /sub/.

One fixture site of a few dozen entries is built with the real `mkdocs` and the project's real
front end (theme override, scripts, styles), indexed by gongkai's own search index during the build, and served
on 127.0.0.1. Expected results are worked out from the same table the entries are written from.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import numpy as np
import pytest

from browser import (
    REPO,
    SCREENSHOTS,
    serve_under_sub_path,
    use_project_front_end,
)
from conftest import Project, build_with_project_front_end
from gongkai.search import fold, search_text
from gongkai.search_writer import bucket_of, identifier_key

CHANNEL_LABELS = {"website": "县政府信息公开网站子站", "bulletin": "信息公告栏",
                  "broadcast": "村村响广播"}
CATEGORIES = ["通知公告", "财政信息", "民生保障", "乡村振兴"]
OFFICE = "测试镇财政所"


@dataclass(frozen=True)
class FixtureEntry:
    slug: str
    title: str
    date: str
    category: str
    channels: tuple[str, ...]
    publisher: str = "测试镇人民政府"
    validity: str = "有效"
    body: str = "本公告依照有关规定发布，请各村（社区）和有关单位知悉。"
    index_no: str = ""
    doc_no: str | None = None

    @property
    def year(self) -> str:
        return self.date[:4]


def _plain_entries() -> list[FixtureEntry]:
    entries = []
    for number in range(36):
        year = 2022 + number % 3
        channels = ("website",) + (("bulletin",) if number % 2 == 0 else ()) + (
            ("broadcast",) if number % 5 == 0 else ())
        entries.append(FixtureEntry(
            slug=f"{year}/notice-{number:02d}",
            title=f"测试事项公告第{number + 1}号",
            date=f"{year}-{1 + number % 12:02d}-{1 + number % 28:02d}",
            category=CATEGORIES[number % 4],
            channels=channels,
            publisher=OFFICE if number % 4 == 1 else "测试镇人民政府",
            validity="失效" if number % 9 == 0 else "有效",
            index_no=f"000014349/{year}-{number + 1:05d}",
            doc_no=f"测试府发〔{year}〕{number + 1}号" if number % 3 == 0 else None,
        ))
    return entries


HOUSING = FixtureEntry(
    slug="2023/housing", title="关于2023年农村住房安全保障工作的通知", date="2023-06-15",
    category="民生保障", channels=("website", "bulletin"), index_no="000014349/2023-00901",
    body="今年继续实施农村危房改造，对鉴定为C级、D级的房屋按规定给予补助。",
)
BEES = FixtureEntry(
    slug="2024/bees", title="关于扶持特色养殖产业的通知", date="2024-04-02",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00902",
    body="全镇新增中蜂养殖蜂箱三百余个，由专业合作社统一收购蜂蜜。",
)
NUMBERED = FixtureEntry(
    slug="2024/numbered", title="关于调整镇级议事协调机构的通知", date="2024-08-20",
    category="通知公告", channels=("website", "broadcast"), index_no="000014349/2024-00077",
    doc_no="测试府发〔2024〕77号",
)
CITING = FixtureEntry(
    slug="2024/citing", title="关于落实议事协调机构有关事项的通知", date="2024-09-01",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00905",
    body=f"根据{NUMBERED.doc_no}，现将有关事项通知如下。",
)
# 电商 stands side by side in one notice only; the others hold 电 and 商 apart, or across a
# full stop (用电。商户), which a search for 电商 must not return.
ECOMMERCE = FixtureEntry(
    slug="2024/ecommerce", title="关于农村电商服务站建设的通知", date="2024-03-08",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00906",
    body="各村服务站要做好农产品上行工作。",
)
POWER = FixtureEntry(
    slug="2024/power", title="关于商户消防检查的通知", date="2024-03-09",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00907",
    body="请各商户注意用电安全，不得私拉乱接电线。",
)
FULL_STOP = FixtureEntry(
    slug="2024/full-stop", title="关于节日期间安全生产的通知", date="2024-03-10",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00908",
    body="节日期间不得违规用电。商户须配备灭火器。",
)
# Words a dictionary segments differently inside longer ones: 低保 in 城乡低保对象, 地力保护 in
# 耕地地力保护补贴; and notices holding the parts but not the word.
DIBAO = FixtureEntry(
    slug="2024/dibao", title="关于城乡低保对象名单的公示", date="2024-05-08",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00909",
    body="经村民代表评议，下列城乡低保对象予以公示。",
)
INSURANCE = FixtureEntry(
    slug="2024/insurance", title="关于参加城乡居民医疗保险的通知", date="2024-05-09",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00910",
    body="请按时缴纳医疗保险费，保障自身权益，不要降低标准。",
)
FARMLAND = FixtureEntry(
    slug="2024/farmland", title="关于发放耕地地力保护补贴的公示", date="2024-05-10",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00911",
    body="耕地地力保护补贴按实际种植面积发放。",
)
SOIL = FixtureEntry(
    slug="2024/soil", title="关于土壤改良和生态保护的通知", date="2024-05-11",
    category="乡村振兴", channels=("website",), index_no="000014349/2024-00912",
    body="提升地力，保护生态。",
)
ENTRIES = _plain_entries() + [HOUSING, BEES, NUMBERED, CITING, ECOMMERCE, POWER, FULL_STOP,
                              DIBAO, INSURANCE, FARMLAND, SOIL]

DRAFT_WORD = "麒麟瓷器"
FUTURE_WORD = "琥珀灯笼"
HOME_WORD = "骆驼铃铛"
GUIDE_WORD = "政府信息公开申请表"


def _write_fixture(project: Project) -> None:
    project.write("docs/index.md", f"# 首页\n\n{HOME_WORD}。\n\n<!-- gongkai:latest -->\n")
    project.write("docs/guide.md", f"# 政府信息公开指南\n\n申请人可以下载{GUIDE_WORD}。\n")
    for entry in ENTRIES:
        project.entry(
            f"disclosures/{entry.slug}.md", body=entry.body, title=entry.title, date=entry.date,
            category=entry.category, channels=f"[{', '.join(entry.channels)}]",
            publisher=entry.publisher, validity=entry.validity, index_no=entry.index_no,
            doc_no=entry.doc_no,
        )
    project.entry("disclosures/2024/draft.md", title="草稿通知", date="2024-01-05",
                  index_no="000014349/2024-00990", draft="true", body=f"草稿正文提到{DRAFT_WORD}。")
    project.entry("disclosures/2999/later.md", title="定时发布的通知", date="2999-01-01",
                  index_no="000014349/2999-00001", body=f"未来正文提到{FUTURE_WORD}。")


@dataclass
class Site:
    base: str
    """URL of the site root, ending in /sub/."""
    browser: object
    requests: list[str]

    def url_of(self, entry: FixtureEntry) -> str:
        return f"{urlsplit(self.base).path}disclosures/{entry.slug}/"

    def new_page(self, **options: object):
        """A page in a fresh context that records every request and fails on script errors."""
        context = self.browser.new_context(**options)
        context.on("request", lambda request: self.requests.append(request.url))
        page = context.new_page()
        page.on("pageerror", lambda error: pytest.fail(f"页面脚本出错：{error}"))
        return page


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, browser: object) -> Iterator[Site]:
    result = build_with_project_front_end(tmp_path_factory.mktemp("search") / "project",
                                          _write_fixture)
    assert (f"站内搜索索引：已收录 {len(ENTRIES)} 条公开信息，另有 2 个栏目页面和年度报告"
            in result.output)
    with serve_under_sub_path(result.site) as base:
        yield Site(base, browser, [])


def search_page_results(site: Site, query: str, *, screenshot: str | None = None,
                        listed: str = "#gk-search-results") -> list[str]:
    """Result URLs the search page shows for `?q=query` among the notices (or in the list
    `listed`), after loading it as a shared link."""
    page = site.new_page()
    page.goto(f"{site.base}search/?q={quote(query)}")
    page.wait_for_selector("body[data-gk-state=done]")
    urls = page.eval_on_selector_all(f"{listed} .gk-result__title",
                                     "links => links.map(a => a.pathname)")
    if screenshot:
        page.screenshot(path=SCREENSHOTS / screenshot, full_page=True)
    page.context.close()
    return [unquote(url) for url in urls]


def site_pages_found(site: Site, query: str) -> list[str]:
    """URLs the search page lists for `?q=query` apart from the notices (栏目, 年报)."""
    return search_page_results(site, query, listed="#gk-search-page-results")


def test_a_word_of_one_entrys_body_finds_that_entry(site: Site):
    assert search_page_results(site, "蜂箱") == [site.url_of(BEES)]


def test_a_word_inside_a_longer_word_is_found(site: Site):
    assert search_page_results(site, "改造", screenshot="search-result.png") == [
        site.url_of(HOUSING)]
    assert search_page_results(site, "危房改造") == [site.url_of(HOUSING)]
    # Quotes typed in the box change nothing: every query is matched as written.
    assert search_page_results(site, '"危房改造"') == [site.url_of(HOUSING)]


def test_a_query_finds_only_notices_holding_its_characters_side_by_side(site: Site):
    assert search_page_results(site, "电商") == [site.url_of(ECOMMERCE)]
    # The other two hold both characters, apart or across a full stop: found by each part.
    assert set(search_page_results(site, "用电")) == {site.url_of(POWER), site.url_of(FULL_STOP)}
    assert set(search_page_results(site, "商户")) == {site.url_of(POWER), site.url_of(FULL_STOP)}


def test_words_segmented_differently_inside_longer_words_are_found(site: Site):
    # 低保 inside 城乡低保对象 (a dictionary keeps 城乡 and 低保对象 together); not in the notice
    # with 保险, 保障 and 降低 only.
    assert search_page_results(site, "低保") == [site.url_of(DIBAO)]
    assert search_page_results(site, "地力保护") == [site.url_of(FARMLAND)]
    assert set(search_page_results(site, "保护")) == {site.url_of(FARMLAND), site.url_of(SOIL)}
    # Three characters of one word and one of the next.
    assert search_page_results(site, "低保对象名") == [site.url_of(DIBAO)]


def test_notices_with_the_query_in_their_title_come_before_newer_ones_without(site: Site):
    # SOIL (2024-05-11) is newer than FARMLAND (2024-05-10) but has 地力 in its body only.
    assert search_page_results(site, "地力") == [site.url_of(FARMLAND), site.url_of(SOIL)]


def test_a_query_with_punctuation_is_matched_exactly(site: Site):
    # Punctuation is part of the text: 请各村（社区）和 finds the notices holding exactly that,
    # the plain entries' default body, and no other.
    holding = [entry for entry in ENTRIES if "请各村（社区）和" in entry.body]
    page = site.new_page()
    page.goto(f"{site.base}search/?q={quote('请各村（社区）和')}")
    page.wait_for_selector("body[data-gk-state=done]")
    assert page.inner_text("#gk-search-status") == (
        f"“请各村（社区）和”共找到 {len(holding)} 条公开信息")
    page.context.close()
    shown = search_page_results(site, "村（社区）和有关")  # the first 20 of them
    assert len(shown) == 20 and set(shown) <= {site.url_of(entry) for entry in holding}
    # Punctuation that stands nowhere side by side finds nothing (not everything).
    assert search_page_results(site, "（）") == []
    # 用电。商户 holds 电。商 but not 电商; the full stop is searched as written.
    assert search_page_results(site, "电。商") == [site.url_of(FULL_STOP)]


def test_index_number_and_document_number_find_their_entry(site: Site):
    assert search_page_results(site, NUMBERED.index_no) == [site.url_of(NUMBERED)]
    # The notice citing the 文号 is found too, after the notice that has it.
    assert search_page_results(site, NUMBERED.doc_no or "") == [
        site.url_of(NUMBERED), site.url_of(CITING)]
    # Part of a number, as typed: its parts side by side; full-width digits as ASCII ones.
    assert search_page_results(site, "2024-00077") == [site.url_of(NUMBERED)]
    assert search_page_results(site, "测试府发〔２０２４〕７７号") == [
        site.url_of(NUMBERED), site.url_of(CITING)]


def test_the_browser_folds_and_hashes_a_query_as_the_build_did_the_text(site: Site):
    # gk-search.js's searchForm, bucketOf and identifierKey must agree with search.py and
    # search_writer.py on every text, or a query would miss what the index holds: compared
    # on random mixtures of what they treat differently (Chinese, characters beyond the BMP,
    # punctuation, digits, Latin, full-width, white space of every kind).
    pieces = ["低", "保", "𠀀", "〇", "，", "。", "（", "）", "〔", "〕", "/", "-", ".", "2", "0",
              "a", "Z", "２", "Ａ", "ｚ", " ", "\n", "《", "》", "&", "_", "é", "ー", "\u3000",
              "\u00a0", "\u200b", "\ufeff", "\x1f", "İ"]
    generator = random.Random(17)
    texts = ["".join(generator.choices(pieces, k=generator.randint(1, 12))) for _ in range(400)]
    pairs = [[generator.randrange(0x110000), generator.randrange(0x110001)] for _ in range(400)]
    page = site.new_page()
    page.goto(f"{site.base}search/")
    formed, buckets, identifiers = page.evaluate("""async ([texts, pairs]) => {
        const search = await import(new URL("../assets/js/gk-search.js", location.href).href);
        return [texts.map(search.searchForm),
                pairs.map(([a, b]) => search.bucketOf(a, b, 1777)),
                texts.map((text) => search.identifierKey(search.searchForm(text)))]; }""",
                                                [texts, pairs])
    page.context.close()
    assert formed == [fold(search_text(text)) for text in texts]
    first, second = (np.array(column, np.uint32) for column in zip(*pairs))
    assert buckets == bucket_of(first, second, 1777).tolist()
    assert [(key[0] << 32) | key[1] for key in identifiers] == [
        identifier_key(fold(search_text(text))) for text in texts]


def test_words_of_drafts_and_future_entries_find_nothing(site: Site):
    assert search_page_results(site, DRAFT_WORD) == []
    assert search_page_results(site, FUTURE_WORD) == []
    # The same page does find a published entry's words, so "nothing" is not a broken page.
    assert search_page_results(site, "公告第7号")[0] == site.url_of(ENTRIES[6])


def test_navigation_header_footer_are_not_indexed(site: Site):
    # On every entry page, outside its content: "首页" in the navigation, "搜索" in the header's
    # search box, "Material" in the footer, "顶部" on the back-to-top button: the index is
    # made from the entries' own texts, not from rendered pages. HOME_WORD is on the home page only, which is
    # found as a page of the site, not as a notice.
    for word in ("首页", "搜索", "Material", "顶部", HOME_WORD):
        assert search_page_results(site, word) == [], word
    for word in ("搜索", "Material", "顶部"):
        assert site_pages_found(site, word) == [], word
    home = urlsplit(site.base).path
    assert site_pages_found(site, HOME_WORD) == [home]


def test_hand_written_pages_are_found_and_listed_apart_from_notices(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}search/?q={quote(GUIDE_WORD)}")
    page.wait_for_selector("body[data-gk-state=done]")
    assert page.is_visible("#gk-search-pages")
    found = page.locator("#gk-search-page-results .gk-result")
    assert found.count() == 1
    assert found.locator(".gk-result__title").inner_text() == "政府信息公开指南"
    assert found.locator(".gk-result__kind").inner_text() == "栏目"
    assert found.locator(".gk-result__excerpt mark").first.inner_text() == GUIDE_WORD
    assert unquote(found.locator("a").get_attribute("href") or "").endswith("/guide/")
    assert page.locator("#gk-search-results li").count() == 0
    assert page.inner_text("#gk-search-status") == (
        f"没有找到与“{GUIDE_WORD}”相关的公开信息，相关栏目页面见上。")
    page.screenshot(path=SCREENSHOTS / "search-site-page.png", full_page=True)
    # A search that finds only notices hides the box again.
    page.goto(f"{site.base}search/?q={quote('蜂箱')}")
    page.wait_for_selector("body[data-gk-state=done]")
    assert page.is_hidden("#gk-search-pages")
    page.context.close()


def test_a_result_shows_title_date_category_index_number_and_highlighted_excerpt(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}search/?q={quote('蜂箱')}")
    page.wait_for_selector("body[data-gk-state=done]")
    result = page.locator("#gk-search-results .gk-result")
    assert result.count() == 1
    assert result.locator(".gk-result__title").inner_text() == BEES.title
    assert result.locator(".gk-result__date").inner_text() == BEES.date
    assert result.locator(".gk-result__category").inner_text() == BEES.category
    assert result.locator(".gk-result__index-no").inner_text() == BEES.index_no
    assert result.locator(".gk-result__excerpt mark").first.inner_text() == "蜂箱"
    result.locator(".gk-result__title").click()
    page.wait_for_load_state()
    assert unquote(urlsplit(page.url).path) == site.url_of(BEES)
    assert page.locator("h1.gk-title").inner_text() == BEES.title
    page.screenshot(path=SCREENSHOTS / "entry.png", full_page=True)
    page.context.close()


def test_typing_on_the_search_page_searches_and_updates_the_link(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}search/")
    page.wait_for_selector("body[data-gk-state=done]")
    # Playwright's type() sends no key-up for Chinese, as an IME would not: set the value and
    # dispatch the "input" event the page listens to.
    page.evaluate("""word => { const box = document.getElementById('gk-q'); box.value = word;
                     box.dispatchEvent(new Event('input', {bubbles: true})); }""", "改造")
    page.wait_for_function("() => new URLSearchParams(location.search).get('q') === '改造'"
                           " && document.body.dataset.gkState === 'done'")
    links = page.eval_on_selector_all("#gk-search-results .gk-result__title", "links => links.map(a => a.pathname)")
    assert [unquote(link) for link in links] == [site.url_of(HOUSING)]
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_header_search_box_leads_to_the_search_page(site: Site, javascript: bool):
    page = site.new_page(java_script_enabled=javascript)
    page.goto(f"{site.base}disclosures/{BEES.slug}/")
    page.fill("#gk-header-q", "蜂箱")
    page.press("#gk-header-q", "Enter")
    page.wait_for_url(re.compile(r".*/search/\?q="))
    assert page.url == f"{site.base}search/?q={quote('蜂箱')}"
    if javascript:
        page.wait_for_selector("body[data-gk-state=done]")
        assert page.locator("#gk-search-results .gk-result").count() == 1
    page.context.close()


# --- The catalogue's filters


def expected(**chosen: object) -> set[str]:
    """Entries matching every given facet; a list value matches any of its items."""
    def matches(entry: FixtureEntry) -> bool:
        for facet, wanted in chosen.items():
            values = {"category": [entry.category], "year": [entry.year],
                      "channel": [CHANNEL_LABELS[key] for key in entry.channels],
                      "publisher": [entry.publisher], "validity": [entry.validity]}[facet]
            options = wanted if isinstance(wanted, list) else [wanted]
            if not set(values) & set(options):
                return False
        return True
    return {entry.slug for entry in ENTRIES if matches(entry)}


def catalogue_rows(page) -> list[tuple[str, str]]:
    """(entry slug, 发布日期) of every row, after loading all of them with 加载更多."""
    page.wait_for_selector("body[data-gk-state=done]")
    while page.is_visible("#gk-finder-more"):
        count = page.locator("#gk-finder-results tr").count()
        page.click("#gk-finder-more")
        page.wait_for_function(f"() => document.querySelectorAll('#gk-finder-results tr').length"
                               f" > {count}")
    rows = page.eval_on_selector_all(
        "#gk-finder-results tr",
        "rows => rows.map(r => [r.querySelector('a').pathname,"
        " r.querySelector('.gk-finder__date').textContent])")
    return [(re.sub(r"^.*/disclosures/|/$", "", unquote(url)), date) for url, date in rows]


def changed(page, action) -> list[tuple[str, str]]:
    """Rows after `action`, waiting for the search it starts to finish."""
    page.evaluate("document.body.dataset.gkState = 'stale'")
    action()
    return catalogue_rows(page)


def test_catalogue_lists_everything_newest_first_without_filters(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}catalogue/")
    rows = catalogue_rows(page)
    assert {slug for slug, _ in rows} == {entry.slug for entry in ENTRIES}
    dates = [date for _, date in rows]
    assert dates == sorted(dates, reverse=True)
    assert page.is_hidden("#gk-static-listing")
    assert page.inner_text("#gk-finder-status").startswith(f"共 {len(ENTRIES)} 条")
    page.context.close()


def test_catalogue_sorts_oldest_first_on_request(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}catalogue/?sort=oldest")
    rows = catalogue_rows(page)
    assert {slug for slug, _ in rows} == {entry.slug for entry in ENTRIES}
    dates = [date for _, date in rows]
    assert dates == sorted(dates)
    page.context.close()


def test_catalogue_filters_narrow_the_list_with_counts(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}catalogue/")
    catalogue_rows(page)
    finance = expected(category="财政信息")
    count = page.inner_text('[data-gk-facet=category] .gk-count[data-value="财政信息"]')
    assert count == f"（{len(finance)}）"
    rows = changed(page, lambda: page.check('[data-gk-facet=category] input[value="财政信息"]'))
    assert {slug for slug, _ in rows} == finance
    # A second category widens (one of them); a year narrows (and).
    rows = changed(page, lambda: page.check('[data-gk-facet=category] input[value="民生保障"]'))
    assert {slug for slug, _ in rows} == expected(category=["财政信息", "民生保障"])
    rows = changed(page, lambda: page.select_option("[data-gk-facet=year] select", "2023"))
    wanted = expected(category=["财政信息", "民生保障"], year="2023")
    assert {slug for slug, _ in rows} == wanted and 0 < len(wanted) < len(finance)
    year_option = page.inner_text('[data-gk-facet=year] option[value="2023"]')
    assert year_option == f"2023（{len(wanted)}）"
    assert unquote(page.url).endswith("catalogue/?category=财政信息&category=民生保障&year=2023")
    page.screenshot(path=SCREENSHOTS / "catalogue-filtered.png", full_page=True)
    page.context.close()


def test_catalogue_filters_channel_publisher_and_validity(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}catalogue/?channel={quote('村村响广播')}")
    assert {slug for slug, _ in catalogue_rows(page)} == expected(channel="村村响广播")
    page.goto(f"{site.base}catalogue/?publisher={quote(OFFICE)}&validity={quote('失效')}")
    rows = catalogue_rows(page)
    assert {slug for slug, _ in rows} == expected(publisher=OFFICE, validity="失效") != set()
    page.context.close()


def test_catalogue_filters_combine_with_a_text_query(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}catalogue/?category={quote('民生保障')}")
    assert len(catalogue_rows(page)) == len(expected(category="民生保障"))

    def type_query() -> None:
        page.evaluate("""word => { const box = document.getElementById('gk-finder-q');
                         box.value = word; box.dispatchEvent(new Event('input', {bubbles: true}));
                         }""", "改造")

    assert changed(page, type_query) == [(HOUSING.slug, HOUSING.date)]
    page.wait_for_function("() => location.search.includes('q=')")
    assert unquote(page.url).endswith("catalogue/?q=改造&category=民生保障")
    rows = changed(page, lambda: page.check('[data-gk-facet=category] input[value="财政信息"]'))
    assert rows == [(HOUSING.slug, HOUSING.date)]
    rows = changed(page, lambda: page.uncheck('[data-gk-facet=category] input[value="民生保障"]'))
    assert rows == []
    assert page.inner_text("#gk-finder-status") == "没有符合条件的公开信息。"
    page.context.close()


def test_catalogue_state_is_restored_from_the_url(site: Site):
    page = site.new_page()
    page.goto(f"{site.base}catalogue/?category={quote('通知公告')}&year=2024&q={quote('调整')}")
    assert catalogue_rows(page) == [(NUMBERED.slug, NUMBERED.date)]
    assert page.is_checked('[data-gk-facet=category] input[value="通知公告"]')
    assert not page.is_checked('[data-gk-facet=category] input[value="财政信息"]')
    assert page.input_value("[data-gk-facet=year] select") == "2024"
    assert page.input_value("#gk-finder-q") == "调整"
    # Going back restores the previous state too.
    page.goto(f"{site.base}catalogue/?year=2022")
    catalogue_rows(page)
    rows = changed(page, lambda: page.check('[data-gk-facet=validity] input[value="失效"]'))
    assert {slug for slug, _ in rows} == expected(year="2022", validity="失效")
    rows = changed(page, page.go_back)
    assert {slug for slug, _ in rows} == expected(year="2022")
    assert not page.is_checked('[data-gk-facet=validity] input[value="失效"]')
    page.context.close()


def test_catalogue_without_javascript_keeps_the_static_listing(site: Site):
    page = site.new_page(java_script_enabled=False)
    page.goto(f"{site.base}catalogue/")
    assert page.is_hidden("#gk-finder")
    assert page.is_visible("#gk-static-listing table.gk-listing")
    assert page.locator("#gk-static-listing .gk-pagination").count() == 1
    page.context.close()


def test_home_page_screenshot(site: Site):
    page = site.new_page()
    page.goto(site.base)
    assert page.locator("#gk-header-q").is_visible()
    page.screenshot(path=SCREENSHOTS / "home.png", full_page=True)
    page.context.close()


def test_no_request_went_to_another_origin(site: Site):
    # Runs after the tests above (file order) and checks every request any of them made.
    page = site.new_page()
    for path in ("", "catalogue/", f"search/?q={quote('改造')}", f"disclosures/{BEES.slug}/"):
        page.goto(site.base + path)
        page.wait_for_load_state("networkidle")
    page.context.close()
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site.base))
    assert any("/sub/search-index/" in url for url in site.requests)
    foreign = sorted({url for url in site.requests
                      if not url.startswith(origin + "/") and not url.startswith("data:")})
    assert foreign == []
    for name in ("home.png", "catalogue-filtered.png", "entry.png", "search-result.png"):
        assert (SCREENSHOTS / name).stat().st_size > 10_000, name


# --- The sample corpus of the real project


def test_sample_corpus_search_link_shows_an_entry_within_seconds(tmp_path: Path,
                                                                 browser: object):
    site_dir = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(REPO / "mkdocs.yml"),
         "--site-dir", str(site_dir)],
        check=False, capture_output=True, text=True, cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert build.returncode == 0, build.stdout + build.stderr
    slug, word = _word_of_one_entry(site_dir)
    assert_shared_link_finds(browser, site_dir, slug, word)


def test_a_few_hundred_entries_a_shared_link_finds_one_within_seconds(project: Project,
                                                                      browser: object):
    sys.path.insert(0, str(REPO / "bench"))
    from generate import write_corpus  # the benchmarks' deterministic corpus

    use_project_front_end(project.root)
    write_corpus(project.root / "disclosures", 300)
    project.entry("disclosures/2024/orchard.md", title="关于果园病虫害统防统治的通知",
                  date="2024-05-06", index_no="000014349/2024-09999",
                  body="今年推行柑橘黄龙病联防联控，请各村做好果园巡查。")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "站内搜索索引：已收录 " in result.output
    assert_shared_link_finds(browser, result.site, "2024/orchard", "黄龙病")


def assert_shared_link_finds(browser: object, site_dir: Path, slug: str, word: str) -> None:
    """Opening `search/?q=<word>` lists the entry at `slug` within 5 seconds."""
    with serve_under_sub_path(site_dir) as base:
        page = browser.new_page()
        started = time.monotonic()
        page.goto(f"{base}search/?q={quote(word)}")
        page.wait_for_selector("body[data-gk-state=done]", timeout=5_000)
        elapsed = time.monotonic() - started
        links = page.eval_on_selector_all("#gk-search-results .gk-result__title",
                                          "links => links.map(a => a.pathname)")
    page.close()
    assert f"{urlsplit(base).path}disclosures/{slug}/" in [unquote(link) for link in links], word
    assert elapsed < 5


def _word_of_one_entry(site_dir: Path) -> tuple[str, str]:
    """(slug, word): four Chinese characters of one entry's body that no other entry page has."""
    texts = {
        path.parent.relative_to(site_dir / "disclosures").as_posix():
            re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8"))
        for path in (site_dir / "disclosures").rglob("index.html")
    }
    for slug, text in sorted(texts.items()):
        body = text.split("信息元数据", 1)[-1]
        for run in re.findall(r"[\u4e00-\u9fff]{4,}", body):
            for start in range(len(run) - 3):
                word = run[start:start + 4]
                if sum(word in other for other in texts.values()) == 1:
                    return slug, word
    raise AssertionError("样例语料中没有只出现在一条公开信息中的词")


# --- Text windows by HTTP Range (excerpts, long identifiers) against whole files

CITED = "000014349/2021-00777"
ASTRAL_TITLE = "关于𠮷祥村果园病虫害统防统治的通知"
ASTRAL_BODY = "𠮷祥村、𡈼田村今年推行柑橘黄龙病联防联控，请各村做好果园巡查。" * 3


def _answers(browser: object, base: str, query: str) -> tuple[list[tuple[str, str]], list]:
    """The search page's notices for `query` as (path, excerpt HTML), and its requests for
    page texts as (Range header, status, body length)."""
    context = browser.new_context()
    texts: list[tuple[str | None, int, int]] = []

    def record(response: object) -> None:
        if "/search-index/t/" in response.url:
            texts.append((response.request.headers.get("range"), response.status,
                          len(response.body())))

    context.on("response", record)
    page = context.new_page()
    page.goto(f"{base}search/?q={quote(query)}")
    page.wait_for_selector("body[data-gk-state=done]", timeout=60_000)
    page.wait_for_load_state("networkidle")
    shown = page.eval_on_selector_all(
        "#gk-search-results .gk-result", """items => items.map(item => [
          item.querySelector('.gk-result__title').pathname,
          item.querySelector('.gk-result__excerpt').innerHTML])""")
    context.close()
    return [(unquote(path), excerpt) for path, excerpt in shown], texts


def test_text_windows_by_range_show_what_whole_texts_show(project: Project, browser: object):
    sys.path.insert(0, str(REPO / "bench"))
    from bench_quality import served
    from generate import write_corpus

    use_project_front_end(project.root)
    write_corpus(project.root / "disclosures", 200, shape="county")
    project.entry("disclosures/2024/astral.md", title=ASTRAL_TITLE, date="2024-05-06",
                  index_no="000014349/2024-09999", body=ASTRAL_BODY)
    # Pair 9/ is on these pages only (inline positions, free); 00, 14, 34, 20, 21, -0, 07
    # and 77 are in the numbers of the lists (position files): the few starts 9/ leaves are
    # checked on the text. The second notice cites the first's 索引号.
    for number in range(8):
        listed = "；".join(f"2021-{serial:05d}" for serial in range(number, 3000, 8))
        project.entry(f"disclosures/2021/list-{number}.md", title=f"文件目录（第{number + 1}批）",
                      date="2021-02-01", index_no=f"000014348/2021-0{number + 1:04d}",
                      body=f"本批文件编号：{listed}。")
    project.entry("disclosures/2021/cited.md", title="关于公布名单的通知", date="2021-03-01",
                  index_no=CITED, body="名单见附件。")
    project.entry("disclosures/2021/citing.md", title="关于名单的补充通知", date="2021-03-02",
                  index_no="000014349/2021-00778", body=f"根据{CITED}号通知，补充如下。")
    # A word past the 20,000 characters of text kept for excerpts: the excerpt shows the start.
    project.entry("disclosures/2021/long.md", title="关于长篇材料的通知", date="2021-04-01",
                  index_no="000014349/2021-00901",
                  body="长篇材料开头。\n\n" + "本段为正文内容。" * 2600 + "\n\n末尾提到琉璃瓦当。")
    result = project.build()
    assert result.returncode == 0, result.output
    numbers = {re.findall(r"^index_no: (.*)$", path.read_text("utf-8"), re.MULTILINE)[0]:
               f"/sub/disclosures/2021/{path.stem}/"
               for path in (project.root / "disclosures" / "2021").glob("*.md")
               if "draft: true" not in path.read_text("utf-8")
               and "channels: [website" in path.read_text("utf-8")}
    identifier = sorted(numbers)[len(numbers) // 2]
    queries = [CITED, identifier, "琉璃瓦当", "黄龙病", "黄龙", "病虫害统防", "低保", "政府采购", "防汛抗旱"]
    with served(result.site, ranges=True) as base:
        ranged = {query: _answers(browser, base, query) for query in queries}
    with served(result.site, ranges=False) as base:
        whole = {query: _answers(browser, base, query) for query in queries}
    for query in queries:
        assert ranged[query][0] == whole[query][0], query
        assert ranged[query][0], query
        # A server that ignores Range sends whole files (the browser's cache may then answer
        # a later window of the same file with 206 itself).
        assert any(status == 200 for _, status, _ in whole[query][1]), query
    assert ranged[identifier][0][0][0] == numbers[identifier]
    # The notice whose 索引号 it is first, then the one citing it; found by windows of the
    # query's length (one per start left), with no whole text fetched.
    assert [path for path, _ in ranged[CITED][0]] == ["/sub/disclosures/2021/cited/",
                                                      "/sub/disclosures/2021/citing/"]
    assert any(status == 206 and length == 2 * len(CITED)
               for _, status, length in ranged[CITED][1])
    assert all(status == 206 and length <= 2 * 200 for _, status, length in ranged[CITED][1])
    # Excerpts of notices without characters outside the BMP came as small windows.
    assert all(status == 206 and length <= 2 * 200 for query in ("防汛抗旱", "政府采购")
               for _, status, length in ranged[query][1])
    assert ranged["琉璃瓦当"][0] == [("/sub/disclosures/2021/long/",
                                     ranged["琉璃瓦当"][0][0][1])]
    assert ranged["琉璃瓦当"][0][0][1].startswith("长篇材料开头。 本段为正文内容。")
    # The notice with 𠮷 and 𡈼 (two UTF-16 units each) shows the right words marked.
    astral = "/sub/disclosures/2024/astral/"
    for query in ("黄龙病", "黄龙"):
        excerpt = dict(ranged[query][0])[astral]
        assert f"柑橘<mark>{query}</mark>" in excerpt, excerpt
