"""The counting rules of the channel statistics (issue 3), as a table, plus the report sentence."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace

import pytest

from gongkai.config import DisclosureConfig
from gongkai.entry import Entry
from gongkai.statistics import Period, count_period, count_years
from gongkai.stats_formats import sentence

CONFIG = DisclosureConfig()  # the seed's channels and groups
TODAY = dt.date(2026, 1, 5)
WEB, ZWY, RADIO, BOARD, VILLAGE, WECHAT = (
    "website", "zwy", "broadcast", "bulletin", "village_board", "wechat"
)
G_WEB, G_ZWY, G_BOARD = "网站子站", "政务易平台和村村响广播", "信息公告栏和村级公示栏"


def entry(day: str, *channels: str, draft: bool = False, category: str = "民生保障") -> Entry:
    date = dt.date.fromisoformat(day)
    return Entry(
        path=f"disclosures/{day}-{'-'.join(channels)}.md", slug=f"{day}", title="标题",
        date=date, category=category, channels=channels, publisher="示例镇人民政府",
        body="", body_line=1, draft=draft,
    )


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {key: value for key, value in counts.items() if value}


Y2021 = Period.year(2021)

# (case, entries, period, today, total, non-zero channel counts, non-zero group counts)
CASES = [
    ("draft is not counted",
     [entry("2021-03-01", WEB, draft=True), entry("2021-03-01", WEB)], Y2021, TODAY,
     1, {WEB: 1}, {G_WEB: 1}),
    ("dated after today is not counted, dated today is",
     [entry("2026-01-06", WEB), entry("2026-01-05", ZWY), entry("2999-01-01", WEB)],
     Period.year(2026), TODAY,
     1, {ZWY: 1}, {G_ZWY: 1}),
    ("several channels of one group: each channel once, the group once",
     [entry("2021-05-05", ZWY, RADIO)], Y2021, TODAY,
     1, {ZWY: 1, RADIO: 1}, {G_ZWY: 1}),
    ("channels of two groups: once in each group, once in the total",
     [entry("2021-05-05", WEB, BOARD, VILLAGE), entry("2021-06-01", BOARD)], Y2021, TODAY,
     2, {WEB: 1, BOARD: 2, VILLAGE: 1}, {G_WEB: 1, G_BOARD: 2}),
    ("31 December stays in its year",
     [entry("2021-12-31", WEB), entry("2022-01-01", ZWY)], Y2021, TODAY,
     1, {WEB: 1}, {G_WEB: 1}),
    ("1 January opens the next year",
     [entry("2021-12-31", WEB), entry("2022-01-01", ZWY)], Period.year(2022), TODAY,
     1, {ZWY: 1}, {G_ZWY: 1}),
    ("a year without entries counts 0",
     [entry("2020-12-31", WEB), entry("2022-01-01", WEB)], Y2021, TODAY,
     0, {}, {}),
    ("--from/--to: both ends included",
     [entry("2020-12-31", WEB), entry("2021-01-01", WEB), entry("2021-06-30", RADIO),
      entry("2021-07-01", WEB)],
     Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30)), TODAY,
     2, {WEB: 1, RADIO: 1}, {G_WEB: 1, G_ZWY: 1}),
    ("a period ending after today counts only up to today",
     [entry("2025-12-01", WEB), entry("2026-01-05", WEB), entry("2026-01-06", WEB)],
     Period(dt.date(2025, 12, 1), dt.date(2026, 12, 31)), TODAY,
     2, {WEB: 2}, {G_WEB: 2}),
    ("a draft dated inside the period is still not counted",
     [entry("2021-02-02", WECHAT, draft=True)], Y2021, TODAY,
     0, {}, {}),
]


@pytest.mark.parametrize(
    "entries, period, today, total, channels, groups",
    [case[1:] for case in CASES], ids=[case[0] for case in CASES],
)
def test_counting_rules(entries, period, today, total, channels, groups):
    stats = count_period(entries, CONFIG, period, today)
    assert stats.total == total
    assert nonzero(stats.overall.channels) == channels
    assert nonzero(stats.overall.groups) == groups
    # The breakdowns count the same entries as the total.
    assert sum(t.total for t in stats.months.values()) == total
    assert sum(t.total for t in stats.categories.values()) == total


def test_every_channel_group_and_category_is_listed_even_at_zero():
    stats = count_period([], CONFIG, Y2021, TODAY)
    assert list(stats.overall.channels) == list(CONFIG.channels)
    assert list(stats.overall.groups) == list(CONFIG.groups)
    assert list(stats.categories) == CONFIG.categories
    assert list(stats.months) == [f"{m:02d}" for m in range(1, 13)]


def test_group_holding_two_of_an_entrys_channels_counts_it_once():
    config = replace(CONFIG, groups={"甲": [WEB, ZWY], "乙": [ZWY]})
    stats = count_period([entry("2021-01-01", WEB, ZWY)], config, Y2021, TODAY)
    assert stats.overall.groups == {"甲": 1, "乙": 1}
    assert stats.overall.channels[WEB] == stats.overall.channels[ZWY] == 1


def test_months_and_categories_split_by_date_and_category():
    entries = [
        entry("2021-01-01", WEB, category="财政信息"),
        entry("2021-01-31", WEB, BOARD, category="财政信息"),
        entry("2021-12-31", ZWY, category="通知公告"),
    ]
    stats = count_period(entries, CONFIG, Y2021, TODAY)
    assert stats.months["01"].total == 2
    assert stats.months["01"].groups == {G_WEB: 2, G_ZWY: 0, G_BOARD: 1, "政务公众号": 0}
    assert stats.months["12"].channels[ZWY] == 1
    assert stats.categories["财政信息"].total == 2
    assert stats.categories["财政信息"].channels[WEB] == 2
    assert stats.categories["通知公告"].total == 1


def test_months_of_a_period_across_new_year_carry_the_year():
    period = Period(dt.date(2021, 11, 15), dt.date(2022, 2, 1))
    stats = count_period([entry("2022-01-01", WEB)], CONFIG, period, TODAY)
    assert list(stats.months) == ["2021-11", "2021-12", "2022-01", "2022-02"]
    assert stats.months["2022-01"].total == 1


def test_count_years_lists_only_years_with_a_published_entry():
    entries = [
        entry("2019-06-01", WEB, draft=True),
        entry("2021-12-31", WEB), entry("2020-01-01", ZWY), entry("2020-03-03", ZWY),
        entry("2026-01-06", WEB),
    ]
    years = count_years(entries, CONFIG, TODAY)
    assert [(s.period.key, s.total) for s in years] == [("2020", 2), ("2021", 1)]


def test_partial_period_is_flagged():
    assert count_period([], CONFIG, Period.year(2026), TODAY).is_partial
    assert not count_period([], CONFIG, Y2021, TODAY).is_partial


SEED_SENTENCE = (
    "2021年，主动公开政府信息204条，其中，网站子站公开信息24条；政务易平台和村村响广播公开信息62条；"
    "信息公告栏和村级公示栏公开信息118条。"
)


@pytest.mark.parametrize("entries, period, expected", [
    ([entry("2021-01-01", WEB)] * 24 + [entry("2021-02-01", ZWY)] * 62
     + [entry("2021-03-01", VILLAGE)] * 118, Y2021, SEED_SENTENCE),
    ([], Period.year(2019), "2019年，主动公开政府信息0条。"),
    ([entry("2021-03-01", WECHAT), entry("2021-04-01", BOARD)],
     Period(dt.date(2021, 1, 1), dt.date(2021, 6, 30)),
     ("2021年1月1日至2021年6月30日，主动公开政府信息2条，其中，信息公告栏和村级公示栏公开信息1条；"
      "政务公众号公开信息1条。")),
], ids=["seed year, empty group left out", "empty year", "period"])
def test_sentence(entries, period, expected):
    assert sentence(count_period(entries, CONFIG, period, TODAY), CONFIG) == expected


def test_counting_report_and_page_kind_modules_do_not_import_mkdocs():
    code = (
        "import sys, gongkai.statistics, gongkai.report, gongkai.cli, gongkai.pagekinds;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'mkdocs'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
