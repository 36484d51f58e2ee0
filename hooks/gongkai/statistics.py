"""Counting published entries by period, channel, channel group, category and month.

Pure functions over `Entry` values and the settings: no MkDocs, no files, no clock (the day
that decides what is published is an argument). Every output (the site's JSON, CSV and
公开统计 page, and `gongkai report`) renders the same `PeriodStatistics`, so they cannot
disagree.

The counting rules (issue 3): an entry counts when it is published — not a draft, and its
发布日期 inside the period and on or before `today`. It counts once in the period's total,
once in each of its channels, and once in each group that contains any of its channels, so the
group (and channel) counts may add up to more than the total.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .config import DisclosureConfig
from .entry import Entry

FORMATS = ("text", "md", "csv", "json")
"""What `gongkai report` and `gongkai rollup` print statistics as: text, Markdown, CSV, JSON
(here, not with the printing, so the command line offers them without loading it)."""


@dataclass(frozen=True)
class Period:
    """Closed range of 发布日期, `start` and `end` both included."""

    start: dt.date
    end: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        """The calendar year, 1 Jan – 31 Dec: the period of an annual report."""
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def is_calendar_year(self) -> bool:
        """True for 1 Jan – 31 Dec of one year, the period of the site's yearly figures."""
        return (
            self.start.year == self.end.year
            and (self.start.month, self.start.day) == (1, 1)
            and (self.end.month, self.end.day) == (12, 31)
        )

    @property
    def key(self) -> str:
        """Short machine form: `2021`, or `2021-01-01~2021-06-30` for any other period."""
        if self.is_calendar_year:
            return str(self.start.year)
        return f"{self.start.isoformat()}~{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """How the annual report names the period: `2021年`, `2021年1月1日至2021年6月30日`."""
        if self.is_calendar_year:
            return f"{self.start.year}年"
        return f"{chinese_date(self.start)}至{chinese_date(self.end)}"

    def month_keys(self) -> list[str]:
        """Every month the period touches, as `01`…`12` within one year, else as `2021-07`.

        Months without entries are listed too, so charts and tables keep their shape.
        """
        keys = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            keys.append(_month_key(year, month, self.start.year == self.end.year))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return keys


def chinese_date(day: dt.date) -> str:
    """`2021年6月30日`, the way dates are written in government prose."""
    return f"{day.year}年{day.month}月{day.day}日"


def _month_key(year: int, month: int, single_year: bool) -> str:
    return f"{month:02d}" if single_year else f"{year}-{month:02d}"


@dataclass
class Tally:
    """Counts of one slice of entries. Every configured channel and group is a key, even at 0."""

    total: int
    channels: dict[str, int]
    groups: dict[str, int]

    @classmethod
    def empty(cls, config: DisclosureConfig) -> Tally:
        """All zeros, with every configured channel and group present."""
        return cls(0, dict.fromkeys(config.channels, 0), dict.fromkeys(config.groups, 0))


@dataclass
class PeriodStatistics:
    """Everything counted for one period: the one shape every output renders."""

    period: Period
    counted_until: dt.date
    """Last day counted: the period's end, or the build day when the period is not over yet."""
    overall: Tally
    categories: dict[str, Tally] = field(default_factory=dict)
    """Every configured 公开类别, in the configured order."""
    months: dict[str, Tally] = field(default_factory=dict)
    """Every month of the period (keys as `Period.month_keys`), in calendar order."""

    @property
    def total(self) -> int:
        """Entries counted in the period, each once whatever its channels."""
        return self.overall.total

    @property
    def is_partial(self) -> bool:
        """True when the period runs past the build day, so later entries are not counted yet."""
        return self.counted_until < self.period.end


def groups_of_channels(config: DisclosureConfig) -> dict[str, tuple[str, ...]]:
    """Channel key → the groups containing it, in the configured group order."""
    return {
        channel: tuple(name for name, members in config.groups.items() if channel in members)
        for channel in config.channels
    }


def counted_entries(
    entries: Iterable[Entry], period: Period, today: dt.date
) -> list[Entry]:
    """The entries that count for `period`: dated inside it and published by its last counted
    day (its end, or `today` when that is earlier)."""
    last = min(period.end, today)
    return [entry for entry in entries if entry.is_published(last) and period.start <= entry.date]


def _add(tally: Tally, entry: Entry, channel_groups: dict[str, tuple[str, ...]]) -> None:
    tally.total += 1
    groups: set[str] = set()
    for channel in entry.channels:  # the reader already removed repeated channels
        tally.channels[channel] += 1
        groups.update(channel_groups[channel])
    for group in groups:
        tally.groups[group] += 1


def count_period(
    entries: Iterable[Entry], config: DisclosureConfig, period: Period, today: dt.date
) -> PeriodStatistics:
    """Count the entries published in `period` as of `today` (see the module docstring)."""
    channel_groups = groups_of_channels(config)
    single_year = period.start.year == period.end.year
    stats = PeriodStatistics(
        period=period,
        counted_until=min(period.end, today),
        overall=Tally.empty(config),
        categories={category: Tally.empty(config) for category in config.categories},
        months={key: Tally.empty(config) for key in period.month_keys()},
    )
    for entry in counted_entries(entries, period, today):
        _add(stats.overall, entry, channel_groups)
        # The reader only accepts configured categories; setdefault keeps a stray one visible.
        _add(stats.categories.setdefault(entry.category, Tally.empty(config)),
             entry, channel_groups)
        month = _month_key(entry.date.year, entry.date.month, single_year)
        _add(stats.months[month], entry, channel_groups)
    return stats


def count_years(
    entries: Sequence[Entry], config: DisclosureConfig, today: dt.date
) -> list[PeriodStatistics]:
    """One `PeriodStatistics` per calendar year that has a published entry, oldest first."""
    by_year: dict[int, list[Entry]] = {}
    for entry in counted_entries(entries, Period(dt.date.min, dt.date.max), today):
        by_year.setdefault(entry.year, []).append(entry)
    return [
        count_period(by_year[year], config, Period.year(year), today)
        for year in sorted(by_year)
    ]
