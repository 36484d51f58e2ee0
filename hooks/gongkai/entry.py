"""The one data model of a disclosure entry (政府信息), independent of any site generator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

VALIDITY_VALUES = ("有效", "失效", "废止")
DEFAULT_VALIDITY = "有效"

CHINA_STANDARD_TIME = dt.timezone(dt.timedelta(hours=8), "CST")


@dataclass(frozen=True)
class PersonalDataAllowance:
    """One piece of personal data an entry publishes on purpose, and the written reason why.

    Sanction notices (行政处罚决定) and other mandatory disclosures may have to name a person;
    the reason is kept in the file so a reviewer can see the legal basis next to the number.
    """

    value: str
    """The number as it appears in the text, digits only (an ID may end in X)."""
    reason: str


@dataclass(frozen=True)
class Entry:
    """One proactively disclosed item, read from one Markdown file under `disclosures/`."""

    path: str
    """Path relative to the project folder, with forward slashes: `disclosures/2021/x.md`."""
    slug: str
    """Path inside the source folder without `.md` (`2021/x`): the stable part of its URL."""
    title: str
    date: dt.date
    """发布日期: the day the item goes public."""
    category: str
    channels: tuple[str, ...]
    """公开渠道 keys, in the order the file gives them, without repeats."""
    publisher: str
    body: str
    """The Markdown after the front matter."""
    body_line: int
    """Line of the file on which `body` starts, so body findings can name their line."""
    index_no: str | None = None
    doc_no: str | None = None
    written: dt.date | None = None
    validity: str = DEFAULT_VALIDITY
    tags: tuple[str, ...] = ()
    summary: str | None = None
    draft: bool = False
    personal_data_allowed: tuple[PersonalDataAllowance, ...] = ()
    """Findings of the personal-data guard this entry publishes on purpose."""
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each front-matter key in the file, for messages."""

    @property
    def year(self) -> int:
        return self.date.year

    def is_published(self, today: dt.date) -> bool:
        """Public on `today`: not a draft, and its 发布日期 has come."""
        return not self.draft and self.date <= today

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, 1)


def china_today() -> dt.date:
    """The calendar day in China now, whatever the build machine's time zone is."""
    return dt.datetime.now(CHINA_STANDARD_TIME).date()
