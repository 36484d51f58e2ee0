"""The one data model of a disclosure entry (政府信息), independent of any site generator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from decimal import Decimal

VALIDITY_VALUES = ("有效", "失效", "废止")
DEFAULT_VALIDITY = "有效"
REPEALED = "废止"
EXPIRED = "失效"

# 信息类型 of the annual report's table 二 (国办公开办函〔2021〕30号).
DOC_TYPES = ("规章", "行政规范性文件", "行政许可", "行政处罚", "行政强制", "行政事业性收费")
DOCUMENT_TYPES = ("规章", "行政规范性文件")
"""Counted by 本年制发件数 / 本年废止件数 / 现行有效件数."""
DECISION_TYPES = ("行政许可", "行政处罚", "行政强制")
"""Counted by 本年处理决定数量; each item publishes `decisions` decisions."""
FEE_TYPE = "行政事业性收费"

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
class RelatedLink:
    """A link from one entry to another by its 索引号, e.g. a draft for comment → the notice
    of how comments were taken up. The other entry shows the link back (computed, not written)."""

    index_no: str
    relation: str
    """What the linked entry is to this one, shown next to the link (e.g. 意见采纳情况)."""


@dataclass(frozen=True)
class NoticePeriod:
    """公示期: first and last day (inclusive) on which the public may raise objections."""

    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Attachment:
    """A file published with an entry (附件), as listed in its `attachments`."""

    file: str
    """Path relative to the project folder, with forward slashes (`disclosures/2026/预算表.xlsx`)."""
    title: str
    """What the 附件 list calls it; the file name without its suffix unless given."""
    format: str = ""
    """PDF, DOCX, XLSX, CSV, TXT, JPEG or PNG; filled in once the file has been checked."""
    size: int = 0
    """Bytes of the file in the repository (filled in once checked)."""
    sha256: str = ""

    @property
    def name(self) -> str:
        """The file's own name, under which it is published beside the entry's page."""
        return self.file.rpartition("/")[2]


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
    doc_type: str | None = None
    """One of DOC_TYPES: what the item counts as in table 二 of the annual report."""
    repealed: dt.date | None = None
    """废止日期: from this day on the document is 废止."""
    expires: dt.date | None = None
    """失效日期: from this day on the document is 失效 (unless repealed earlier)."""
    decisions: int = 1
    """Decisions the item publishes (a batch 公示 of 12 许可 results is 12)."""
    fee_amount: Decimal | None = None
    """行政事业性收费 amount in 万元, exact (Decimal, so sums of 0.1 stay 0.1)."""
    decided: dt.date | None = None
    """决定日期 of a 许可/处罚/强制 decision: starts the 双公示 deadline."""
    late_reason: str | None = None
    """Why the item went public after its statutory deadline (逾期公开说明)."""
    related: tuple[RelatedLink, ...] = ()
    notice_period: NoticePeriod | None = None
    attachments: tuple[Attachment, ...] = ()
    """附件, in the order the file lists them."""
    field_lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)
    """Line of each front-matter key in the file, for messages."""

    @property
    def year(self) -> int:
        return self.date.year

    def is_published(self, today: dt.date) -> bool:
        """Public on `today`: not a draft, and its 发布日期 has come."""
        return not self.draft and self.date <= today

    def is_on_site(self, today: dt.date, site_channel: str) -> bool:
        """Public on `today` through the site itself; other entries were disclosed offline
        (a notice board, a broadcast) and are only counted."""
        return self.is_published(today) and site_channel in self.channels

    def line_of(self, key: str) -> int:
        return self.field_lines.get(key, 1)

    def validity_on(self, day: dt.date) -> str:
        """有效性 on `day`. Dates decide when given; `validity` covers documents without one
        (the reader refuses a `validity` that contradicts the dates)."""
        if self.repealed is not None and self.repealed <= day:
            return REPEALED
        if self.expires is not None and self.expires <= day:
            return EXPIRED
        if self.repealed is not None or self.expires is not None:
            return DEFAULT_VALIDITY
        return self.validity

    @property
    def ended(self) -> dt.date | None:
        """The first day the document was no longer 有效: its 废止 or 失效 date, if any."""
        return min((day for day in (self.repealed, self.expires) if day), default=None)

    @property
    def decision_day(self) -> dt.date:
        """The day a decision counts for in table 二: `decided`, else the 发布日期."""
        return self.decided or self.date


_ENTRY_DEFAULTS = {item.name: item.default for item in fields(Entry) if item.default is not MISSING}
_ENTRY_FIELD_COUNT = len(fields(Entry))


def entry_of(values: dict[str, Any]) -> Entry:
    """`Entry(**values)`, made without the frozen dataclass's `__init__`, which sets each of
    its thirty fields through `object.__setattr__`: 3.4 µs an entry, and the reader makes
    one for every file of every check. Entry has no `__post_init__` and every default is
    immutable, so the result is the same; a value missing or not a field goes to
    `__init__`, which says so. `field_lines` (a default factory) must be among `values`."""
    merged = _ENTRY_DEFAULTS | values
    if len(merged) != _ENTRY_FIELD_COUNT:
        return Entry(**values)
    entry = object.__new__(Entry)
    entry.__dict__.update(merged)
    return entry


_ENTRY_FIELD_NAMES = tuple(item.name for item in fields(Entry))


def entry_in_order(values: Sequence[Any]) -> Entry:
    """The entry of every field's value in declaration order, made as `entry_of` makes it
    (no defaults to merge: the commands decode ten thousand verdicts into entries)."""
    if len(values) != _ENTRY_FIELD_COUNT:
        raise ValueError(f"{len(values)} values for the {_ENTRY_FIELD_COUNT} fields of Entry")
    entry = object.__new__(Entry)
    entry.__dict__.update(zip(_ENTRY_FIELD_NAMES, values))
    return entry


def china_today() -> dt.date:
    """The calendar day in China now, whatever the build machine's time zone is."""
    return dt.datetime.now(CHINA_STANDARD_TIME).date()
