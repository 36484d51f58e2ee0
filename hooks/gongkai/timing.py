"""Statutory timing: the Art 26 and 双公示 deadlines, and how long a category went unupdated.

- 《政府信息公开条例》第二十六条: an item is published within 20 working days of being formed
  (`written`, 成文日期).
- 双公示: a 行政许可 or 行政处罚 decision is published within 7 working days of the decision
  (`decided`, 决定日期).
- Inspection rules (DOMAIN §6): a category with no new item for longer than its configured
  limit is stale.

Working days follow the State Council's yearly holiday and 调休 notice as recorded by the
maintained `chinese-calendar` package (pip name `chinesecalendar`), never a table of our own.
Days are counted as the law counts periods: the day the period starts is not counted, the
last day is, so an item written on a Monday and published on Tuesday took 1 working day.

Three kinds of finding, because they differ in what staff can do about them:

- a late item is a warning (it fails `--strict` and `gongkai check`) until staff write the
  reason in its `late_reason` field — then it is a note on record, like personal data
  published with a reason, since a late publication cannot be undone by editing a file;
- staleness and a year the calendar does not cover yet are reminders: they come from time
  passing, not from any file, so they never fail a build or a check. Were they warnings, the
  daily rebuild would stop on the day a category turned stale, and scheduled items would stop
  going live — the opposite of what the inspection rule wants.

Deadlines are checked on every entry that is not a draft, scheduled ones included, so that
`gongkai check` (run before every commit) finds a late item before the daily rebuild does.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import chinese_calendar

from .config import DisclosureConfig
from .corpus import Corpus
from .entry import Entry
from .problems import Problem, Severity

ART26_LIMIT = 20
"""Working days from 成文日期 to 发布日期 (《条例》第二十六条)."""
DUAL_PUBLICITY_LIMIT = 7
"""Working days from a 许可/处罚 decision to its publication (双公示)."""
DUAL_PUBLICITY_TYPES = ("行政许可", "行政处罚")
CALENDAR_PACKAGE = "chinesecalendar"

_HOLIDAY_NAMES = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}
_FIRST_YEAR = min(chinese_calendar.holidays).year
_LAST_YEAR = max(chinese_calendar.holidays).year


class CalendarGap(Exception):
    """`chinese-calendar` has no holiday notice for `year` (not published yet, or too old)."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


@dataclass(frozen=True)
class WorkingDays:
    """The working days after `start` up to and including `end`, as the calendar counts them."""

    start: dt.date
    end: dt.date
    count: int
    holidays: tuple[str, ...]
    """Names of the holidays that fell on weekdays in the range (so were not counted)."""
    makeup_days: tuple[dt.date, ...]
    """Weekend days in the range that were 调休 working days (so were counted)."""
    deadline: dt.date | None
    """The `limit`-th working day after `start`, when it falls inside the range."""

    def describe(self, start_label: str, end_label: str) -> str:
        """`成文日期 2021-09-28 至发布日期 2021-10-29 间有 19 个工作日（已扣除国庆节假期，…）`."""
        same_year = self.start.year == self.end.year
        notes = []
        if self.holidays:
            notes.append(f"已扣除{'、'.join(self.holidays)}假期")
        if self.makeup_days:
            days = "、".join(day.strftime("%m-%d") if same_year else day.isoformat()
                            for day in self.makeup_days)
            notes.append(f"含 {days} 调休上班日")
        detail = f"（{'，'.join(notes)}）" if notes else ""
        return (
            f"{start_label} {self.start} 至{end_label} {self.end} 间有 {self.count} 个工作日"
            f"{detail}"
        )


def _is_workday(day: dt.date) -> bool:
    """chinese_calendar.is_workday on its own data, without its per-call check of the year
    range (a scan of every holiday it knows), which was a sixth of `gongkai check`."""
    if not _FIRST_YEAR <= day.year <= _LAST_YEAR:
        raise CalendarGap(day.year)
    return day in chinese_calendar.workdays or (
        day.weekday() <= 4 and day not in chinese_calendar.holidays)


def count_working_days(start: dt.date, end: dt.date, limit: int) -> WorkingDays:
    """Working days in (start, end]; raises CalendarGap when the calendar lacks a year."""
    count = 0
    holidays: list[str] = []
    makeup: list[dt.date] = []
    deadline = None
    day = start
    while day < end:
        day += dt.timedelta(days=1)
        weekend = day.weekday() >= 5
        if _is_workday(day):
            count += 1
            if weekend:
                makeup.append(day)
            if count == limit:
                deadline = day
        elif not weekend:
            name = chinese_calendar.get_holiday_detail(day)[1]
            label = _HOLIDAY_NAMES.get(name, name or "法定节假日")
            if label not in holidays:
                holidays.append(label)
    return WorkingDays(start, end, count, tuple(holidays), tuple(makeup), deadline)


@functools.cache
def _working_days_through(year: int) -> list[int]:
    """For each day of `year` (index 0 is 1 January), the working days from 1 January up
    to and including it."""
    day, counts, total = dt.date(year, 1, 1), [], 0
    while day.year == year:
        total += _is_workday(day)
        counts.append(total)
        day += dt.timedelta(days=1)
    return counts


def working_day_count(start: dt.date, end: dt.date) -> int | None:
    """The working days in (start, end], as `count_working_days` counts them, from a table
    per year instead of a look-up per day (a county's ten thousand entries, most with a
    成文日期, spent a fifth of `gongkai check`'s last serial step there); None when the
    range reaches a year the calendar lacks."""
    after = start + dt.timedelta(days=1)
    if end < after:
        return 0
    if not _FIRST_YEAR <= after.year <= end.year <= _LAST_YEAR:
        return None
    first = after.timetuple().tm_yday - 1
    before = _working_days_through(after.year)[first - 1] if first else 0
    through_end = _working_days_through(end.year)[end.timetuple().tm_yday - 1]
    if after.year == end.year:
        return through_end - before
    return (_working_days_through(after.year)[-1] - before
            + sum(_working_days_through(year)[-1] for year in range(after.year + 1, end.year))
            + through_end)


@dataclass(frozen=True)
class _Deadline:
    """One statutory deadline: from which date, how many working days, under which rule."""

    start_label: str
    limit: int
    rule: str


_ART26 = _Deadline("成文日期", ART26_LIMIT, "《政府信息公开条例》第二十六条")
_DUAL = _Deadline("决定日期", DUAL_PUBLICITY_LIMIT, "双公示")


def _deadlines(entry: Entry) -> list[tuple[_Deadline, dt.date]]:
    found = []
    if entry.written is not None:
        found.append((_ART26, entry.written))
    if entry.decided is not None and entry.doc_type in DUAL_PUBLICITY_TYPES:
        found.append((_DUAL, entry.decided))
    return found


@dataclass
class TimingFindings:
    """Everything the timing checks found, by what it does to a build (module docstring)."""

    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    reminders: list[Problem] = field(default_factory=list)


def _check_entry(entry: Entry, findings: TimingFindings, gaps: dict[int, list[str]]) -> None:
    late = False
    for rule, start in _deadlines(entry):
        if start > entry.date:
            continue  # the reader already warns that the date comes after publication
        count = working_day_count(start, entry.date)
        if count is not None and count <= rule.limit:
            continue  # in time: the day-by-day count below only words the message
        try:
            days = count_working_days(start, entry.date, rule.limit)
        except CalendarGap as gap:
            gaps.setdefault(gap.year, []).append(entry.path)
            continue
        if days.count <= rule.limit:
            continue
        late = True
        message = (
            f"{days.describe(rule.start_label, '发布日期')}，超过{rule.rule}规定的 "
            f"{rule.limit} 个工作日（最迟应于 {days.deadline} 公开）"
        )
        if entry.late_reason:
            findings.notes.append(Problem(
                entry.path, entry.line_of("late_reason"), "late_reason",
                f"{message}；逾期原因：{entry.late_reason}", Severity.WARNING,
            ))
        else:
            findings.problems.append(Problem(
                entry.path, entry.line_of("date"), "date",
                f"{message}：请核对日期；确属逾期公开的，请在 late_reason 中写明原因",
                Severity.WARNING,
            ))
    if entry.late_reason and not late and not any(entry.path in p for p in gaps.values()):
        findings.problems.append(Problem(
            entry.path, entry.line_of("late_reason"), "late_reason",
            "按成文日期、决定日期核对，这条信息没有逾期公开：请删去 late_reason",
            Severity.WARNING,
        ))


CALENDAR_FIELD = "节假日安排"


def _gap_reminder(year: int, paths: list[str], source_dir: str) -> Problem:
    # Staff read this: no package or file names but the one the technician needs, at the end.
    version = importlib.metadata.version(CALENDAR_PACKAGE)
    shown = "、".join(paths[:3]) + ("等" if len(paths) > 3 else "")
    return Problem(
        source_dir, 0, CALENDAR_FIELD,
        f"本站只收录了 {_FIRST_YEAR}—{_LAST_YEAR} 年的节假日和调休安排，{year} 年的 {len(paths)} 条"
        f"信息（{shown}）暂时无法核对公开期限：国务院办公厅公布该年安排后，请联系技术人员升级"
        f"（节假日数据 {CALENDAR_PACKAGE} {version}）",
        Severity.WARNING,
    )


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole months; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has at least 28 days")


def _limit_label(months: int) -> str:
    return f"{months // 12} 年" if months % 12 == 0 else f"{months} 个月"


def stale_categories(
    published: Iterable[Entry], config: DisclosureConfig, today: dt.date
) -> list[Problem]:
    """A reminder for each category with a limit whose newest item is older than the limit.

    A category with no item at all is left alone: it may not apply to this township, and a
    reminder on every check of a new site would teach staff to ignore reminders.
    """
    newest: dict[str, dt.date] = {}
    for entry in published:
        _note_newest(newest, entry)
    return _stale_reminders(newest, config, today)


def _note_newest(newest: dict[str, dt.date], entry: Entry) -> None:
    if entry.date > newest.get(entry.category, dt.date.min):
        newest[entry.category] = entry.date


def _stale_reminders(newest: dict[str, dt.date], config: DisclosureConfig, today: dt.date
                     ) -> list[Problem]:
    reminders = []
    for category, months in config.staleness.items():
        last = newest.get(category)
        if not months or last is None or add_months(last, months) >= today:
            continue
        reminders.append(Problem(
            config.source_dir, 0, category,
            f"最近一条信息发布于 {last}，已超过 {_limit_label(months)}没有更新：按政府网站检查要求，"
            "请及时发布新信息（期限在 mkdocs.yml 的 extra: disclosure: staleness 中设置）",
            Severity.WARNING,
        ))
    return reminders


def check_timing(
    entries: Sequence[Entry], config: DisclosureConfig, today: dt.date
) -> TimingFindings:
    """Deadlines of every entry that is not a draft, and staleness of the published ones,
    in one pass over the entries (at 30,000 entries each pass costs milliseconds: they are
    read newest first, not in the order they lie in memory)."""
    findings = TimingFindings()
    gaps: dict[int, list[str]] = {}
    newest: dict[str, dt.date] = {}
    for entry in entries:
        if entry.draft:
            continue
        # Without these three fields there is nothing to check (most entries).
        if entry.written or entry.decided or entry.late_reason:
            _check_entry(entry, findings, gaps)
        if entry.is_published(today):
            _note_newest(newest, entry)
    findings.reminders += [
        _gap_reminder(year, paths, config.source_dir) for year, paths in sorted(gaps.items())
    ]
    findings.reminders += _stale_reminders(newest, config, today)
    return findings


def add_timing_findings(corpus: Corpus, config: DisclosureConfig, today: dt.date) -> list[Problem]:
    """Merge the timing warnings and notes into `corpus` (so the build and `gongkai check`
    report them with the rest) and return the reminders, which each caller shows its way."""
    findings = check_timing(corpus.entries, config, today)
    corpus.problems = sorted(corpus.problems + findings.problems, key=Problem.sort_key)
    corpus.notes += findings.notes
    return findings.reminders
