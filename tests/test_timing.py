"""Statutory timing (issue 7): Art 26 and 双公示 deadlines in working days, and staleness.

Working days come from the real `chinese-calendar` data. Around 国庆 2021 the State Council's
notice made 1–7 October holidays and Sunday 26 September and Saturday 9 October working days.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.metadata
import random

import chinese_calendar
import pytest

from conftest import Project
from gongkai.config import ConfigError, DisclosureConfig, config_from_mapping
from gongkai.entry import Entry
from gongkai.timing import check_timing, count_working_days, stale_categories

CONFIG = DisclosureConfig()
TODAY = dt.date(2022, 3, 1)


def entry(**fields: object) -> Entry:
    values: dict[str, object] = {
        "path": "disclosures/2021/x.md", "slug": "2021/x", "title": "标题",
        "date": dt.date(2021, 10, 29), "category": "通知公告", "channels": ("website",),
        "publisher": "测试镇人民政府", "body": "正文", "body_line": 8,
        "field_lines": {"date": 3, "late_reason": 7},
    }
    values.update(fields)
    return Entry(**values)  # type: ignore[arg-type]


def test_working_days_skip_the_national_day_holiday_and_count_both_makeup_days():
    days = count_working_days(dt.date(2021, 9, 24), dt.date(2021, 10, 11), 7)
    # 26 Sep (Sunday, 调休), 27–30 Sep, 8 Oct, 9 Oct (Saturday, 调休), 11 Oct.
    assert days.count == 8
    assert days.makeup_days == (dt.date(2021, 9, 26), dt.date(2021, 10, 9))
    assert days.holidays == ("国庆节",)
    assert days.deadline == dt.date(2021, 10, 9)
    assert days.describe("决定日期", "发布日期") == (
        "决定日期 2021-09-24 至发布日期 2021-10-11 间有 8 个工作日"
        "（已扣除国庆节假期，含 09-26、10-09 调休上班日）"
    )


@pytest.mark.parametrize("fields, late", [
    # Art 26: 20 working days from 28 Sep 2021 end on 1 Nov (19 by 29 Oct, 国庆 skipped).
    ({"written": dt.date(2021, 9, 28), "date": dt.date(2021, 11, 1)}, False),
    ({"written": dt.date(2021, 9, 28), "date": dt.date(2021, 11, 2)}, True),
    # 双公示: decided Thursday 30 Sep, published Tuesday 12 Oct — 12 calendar days, but only
    # 4 working days (8 Oct, Saturday 9 Oct, 11 Oct, 12 Oct).
    ({"doc_type": "行政许可", "decided": dt.date(2021, 9, 30), "date": dt.date(2021, 10, 12)},
     False),
    ({"doc_type": "行政处罚", "decided": dt.date(2021, 9, 24), "date": dt.date(2021, 10, 11)},
     True),
    # 行政强制 has no 双公示 deadline.
    ({"doc_type": "行政强制", "decided": dt.date(2021, 9, 1), "date": dt.date(2021, 10, 11)},
     False),
])
def test_deadlines_flag_late_items_and_pass_on_time_ones(fields, late):
    findings = check_timing([entry(**fields)], CONFIG, TODAY)
    assert bool(findings.problems) == late
    assert not findings.notes


def test_a_late_item_message_names_the_counted_days_and_the_last_allowed_day():
    late = entry(written=dt.date(2021, 9, 28), date=dt.date(2021, 11, 2))
    [problem] = check_timing([late], CONFIG, TODAY).problems
    assert str(problem) == (
        "disclosures/2021/x.md:3: date: 成文日期 2021-09-28 至发布日期 2021-11-02 间有 21 个工作日"
        "（已扣除国庆节假期，含 10-09 调休上班日），超过《政府信息公开条例》第二十六条规定的 20 个"
        "工作日（最迟应于 2021-11-01 公开）：请核对日期；确属逾期公开的，请在 late_reason 中写明原因"
    )


def test_a_written_reason_turns_the_warning_into_a_note_and_an_unneeded_one_is_flagged():
    late = entry(written=dt.date(2021, 9, 28), date=dt.date(2021, 11, 2), late_reason="停电")
    findings = check_timing([late], CONFIG, TODAY)
    assert findings.problems == []
    assert findings.notes[0].message.endswith("逾期原因：停电")
    on_time = dataclasses.replace(late, date=dt.date(2021, 10, 8))
    [problem] = check_timing([on_time], CONFIG, TODAY).problems
    assert (problem.field, problem.line) == ("late_reason", 7)


def test_a_year_the_calendar_does_not_know_is_a_reminder_not_a_crash():
    old = entry(written=dt.date(2003, 1, 2), date=dt.date(2003, 3, 3))
    draft = entry(path="d.md", written=dt.date(2003, 1, 2), date=dt.date(2003, 3, 3), draft=True)
    findings = check_timing([old, draft], CONFIG, TODAY)
    assert findings.problems == []
    [reminder] = [r for r in findings.reminders if r.field == "节假日安排"]
    version = importlib.metadata.version("chinesecalendar")
    known = sorted(day.year for day in chinese_calendar.holidays)
    assert str(reminder) == (
        f"disclosures: 节假日安排: 本站只收录了 {known[0]}—{known[-1]} 年的节假日和调休安排，"
        "2003 年的 1 条信息"
        "（disclosures/2021/x.md）暂时无法核对公开期限：国务院办公厅公布该年安排后，"
        f"请联系技术人员升级（节假日数据 chinesecalendar {version}）"
    )


def test_staleness_uses_the_configured_months_and_leaves_empty_categories_alone():
    entries = [
        entry(category="通知公告", date=dt.date(2021, 8, 31)),  # 6 months: stale after 2022-02-28
        entry(category="人事信息", date=dt.date(2021, 3, 1)),  # 1 year: fresh until 2022-03-01
        entry(category="民生保障", date=dt.date(2010, 1, 1)),  # no limit
    ]
    reminders = stale_categories(entries, CONFIG, TODAY)
    assert [(r.field, r.message[:33]) for r in reminders] == [
        ("通知公告", "最近一条信息发布于 2021-08-31，已超过 6 个月没有更新"),
    ]
    strict = config_from_mapping({"staleness": {"民生保障": 12, "通知公告": 0}})
    assert [r.field for r in stale_categories(entries, strict, TODAY)] == ["民生保障"]


def test_staleness_setting_is_validated():
    with pytest.raises(ConfigError) as error:
        config_from_mapping({"staleness": {"财务信息": 6, "通知公告": -1}})
    assert [p.message for p in error.value.problems] == [
        "「财务信息」不是 categories 中的公开类别", "通知公告 应为 0 到 1200 之间的月数（0 表示不检查）",
    ]
    # Defaults for categories a site does not have are dropped, not errors.
    assert config_from_mapping({"categories": ["通知公告"]}).staleness == {"通知公告": 6}


def test_a_late_item_fails_the_strict_build_and_check_until_its_reason_is_written(
    project: Project,
):
    env = {"GONGKAI_TODAY": "2022-03-01"}
    project.entry("disclosures/2021/on-time.md", index_no="000014349/2021-00001",
                  date="2021-10-12", doc_type="行政许可", decided="2021-09-30")
    late = {"index_no": "000014349/2021-00002", "date": "2021-10-11", "doc_type": "行政处罚",
            "decided": "2021-09-24"}
    project.entry("disclosures/2021/late.md", **late)
    message = (
        "disclosures/2021/late.md:3: date: 决定日期 2021-09-24 至发布日期 2021-10-11 间有 8 个工作日"
        "（已扣除国庆节假期，含 09-26、10-09 调休上班日），超过双公示规定的 7 个工作日"
    )
    result = project.build(env=env)
    assert result.returncode != 0
    assert f"WARNING -  {message}" in result.output
    assert "on-time.md" not in result.output
    check = project.gongkai("check", env=env)
    assert check.returncode == 1
    assert message in check.stdout

    project.entry("disclosures/2021/late.md", late_reason="系统故障，延迟上传", **late)
    result = project.build(env=env)
    assert result.returncode == 0, result.output
    assert "INFO    -  disclosures/2021/late.md:6: late_reason:" in result.output
    assert project.gongkai("check", env=env).returncode == 0


def test_staleness_is_shown_but_never_fails_a_build_or_a_check(project: Project):
    env = {"GONGKAI_TODAY": "2022-03-01"}
    project.entry("disclosures/2021/x.md", index_no="000014349/2021-00001", date="2021-03-04")
    result = project.build(env=env)
    assert result.returncode == 0, result.output
    assert "INFO    -  提醒：disclosures: 通知公告: 最近一条信息发布于 2021-03-04" in result.output
    check = project.gongkai("check", env=env)
    assert check.returncode == 0
    assert "提醒（1 条，不影响检查结果）：" in check.stdout


def test_working_day_lookup_agrees_with_chinese_calendar_on_every_known_day():
    import chinese_calendar

    from gongkai.timing import _FIRST_YEAR, _LAST_YEAR, _is_workday

    day, last = dt.date(_FIRST_YEAR, 1, 1), dt.date(_LAST_YEAR, 12, 31)
    while day <= last:
        assert _is_workday(day) == chinese_calendar.is_workday(day), day
        day += dt.timedelta(days=1)


def test_the_per_year_table_counts_as_the_day_by_day_count():
    """`working_day_count` (tables per year) agrees with `count_working_days` (day by day)
    on ranges inside a year, across years, empty and reversed, and gives None past the
    calendar's years, where the day-by-day count names the year it lacks."""
    from gongkai.timing import _FIRST_YEAR, _LAST_YEAR, CalendarGap, working_day_count

    first, last = dt.date(_FIRST_YEAR, 1, 1), dt.date(_LAST_YEAR, 12, 31)
    span = (last - first).days
    randomly = random.Random(17)
    for _ in range(400):
        start = first + dt.timedelta(days=randomly.randrange(-3, span + 3))
        end = start + dt.timedelta(days=randomly.choice([0, 1, 6, 20, 45, 400, 800, -5]))
        try:
            expected: int | None = count_working_days(start, end, 20).count
        except CalendarGap:
            expected = None
        assert working_day_count(start, end) == expected, (start, end)
    day = dt.timedelta(days=1)
    assert working_day_count(last, last + day) is None
    assert working_day_count(first - day, first) == count_working_days(first - day, first, 1).count
    assert working_day_count(first - 2 * day, first) is None
