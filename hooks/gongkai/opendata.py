"""Open data (数据开放): every published entry's metadata as data/catalogue.json and .csv.

One table, `COLUMNS`, names each field once: its JSON key, its CSV column, what it means and
how it is read off an `Entry`. The files and the 数据开放 page that documents them are both
made from it, so the documentation cannot drift from the data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .config import DisclosureConfig
from .entry import Attachment, Entry
from .urls import DATA_CSV_PATH, DATA_JSON_PATH, DATA_PAGE_URI, SITE_FEED_PATH, link_from

PAGE_TITLE = "数据开放"
CSV_LIST_SEPARATOR = ";"

Value = str | list[str] | list[dict[str, str | int]] | None


@dataclass(frozen=True)
class Column:
    key: str
    """JSON key."""
    label: str
    """CSV column heading."""
    meaning: str
    value: Callable[[Entry, DisclosureConfig], Value] | None = None
    """Reads the field off an entry; None for `validity` (which depends on the build day),
    `path`, `url` and `attachments` (which depend on the site): `records` fills those in."""


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


COLUMNS: tuple[Column, ...] = (
    Column("index_no", "索引号", "索引号；未填写时为空", lambda e, c: e.index_no),
    Column("title", "标题", "标题", lambda e, c: e.title),
    Column("date", "发布日期", "发布日期，YYYY-MM-DD", lambda e, c: e.date.isoformat()),
    Column("written", "成文日期", "成文日期，YYYY-MM-DD；未填写时为空", lambda e, c: _day(e.written)),
    Column("category", "公开类别", "公开类别（主题分类）", lambda e, c: e.category),
    Column("publisher", "发布机构", "发布机构", lambda e, c: e.publisher),
    Column("doc_no", "文号", "文号；无文号时为空", lambda e, c: e.doc_no),
    Column("validity", "有效性", "生成数据之日的有效性：有效、失效或废止"),
    Column("repealed", "废止日期", "废止日期，YYYY-MM-DD；未废止时为空", lambda e, c: _day(e.repealed)),
    Column("expires", "失效日期", "失效日期，YYYY-MM-DD；没有失效日期时为空",
           lambda e, c: _day(e.expires)),
    Column("doc_type", "信息类型", "年度报告统计用的信息类型（如行政规范性文件、行政许可）；未填写时为空",
           lambda e, c: e.doc_type),
    Column("channels", "公开渠道代码", "公开渠道的代码（见本站设置），列表",
           lambda e, c: list(e.channels)),
    Column("channel_labels", "公开渠道", "公开渠道的名称，列表",
           lambda e, c: [c.channels[key] for key in e.channels]),
    Column("tags", "关键词", "关键词，列表", lambda e, c: list(e.tags)),
    Column("summary", "内容概述", "内容概述；未填写时为空", lambda e, c: e.summary),
    Column("notice_start", "公示开始日期", "公示期第一天，YYYY-MM-DD；没有公示期时为空",
           lambda e, c: _day(e.notice_period.start) if e.notice_period else None),
    Column("notice_end", "公示结束日期", "公示期最后一天（含），YYYY-MM-DD；没有公示期时为空",
           lambda e, c: _day(e.notice_period.end) if e.notice_period else None),
    Column("related", "相关信息索引号", "本条信息关联的其他信息的索引号，列表",
           lambda e, c: [link.index_no for link in e.related]),
    Column("attachments", "附件", "附件列表，每项含 title（附件名称）、file（文件名）、url（下载地址）、"
           "format（格式，如 PDF、XLSX）、bytes（字节数）、sha256（SHA-256 校验值）；"
           "CSV 中分为“附件名称”“附件文件”“附件网址”“附件格式”“附件字节数”“附件SHA256”六列，"
           "多个附件按相同顺序以分号分隔"),
    Column("path", "页面路径", "网页地址中站点根目录之后的部分，例如 disclosures/2026/x/"),
    Column("url", "网址", "网页的完整地址（站点地址 site_url 加页面路径）"),
)


def records(
    entries: Sequence[Entry], config: DisclosureConfig, today: dt.date,
    path_of: Callable[[Entry], str], site_url: str,
    attachment_path_of: Callable[[Attachment], str] = lambda attachment: "",
) -> list[dict[str, Value]]:
    """One mapping per entry, in `COLUMNS` order; `path_of` gives the page's path relative to
    the site root, `attachment_path_of` an attachment's."""
    rows = []
    for entry in entries:
        path = path_of(entry)
        attachments: list[dict[str, str | int]] = [
            {"title": attachment.title, "file": attachment.name,
             "url": site_url + attachment_path_of(attachment), "format": attachment.format,
             "bytes": attachment.size, "sha256": attachment.sha256}
            for attachment in entry.attachments
        ]
        known: dict[str, Value] = {"validity": entry.validity_on(today), "path": path,
                                   "url": site_url + path, "attachments": attachments}
        rows.append({column.key: column.value(entry, config) if column.value
                     else known[column.key] for column in COLUMNS})
    return rows


def catalogue_json(rows: list[dict[str, Value]], generated: str, site_url: str) -> str:
    """data/catalogue.json: when it was made, the site's address, the count and the entries."""
    document = {"generated": generated, "site_url": site_url, "count": len(rows),
                "entries": rows}
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


ATTACHMENT_CSV_COLUMNS = (("title", "附件名称"), ("file", "附件文件"), ("url", "附件网址"),
                          ("format", "附件格式"), ("bytes", "附件字节数"), ("sha256", "附件SHA256"))
"""The CSV has no nested values: each attachment field is a column of its own."""

# Cell starts that make Excel, WPS and LibreOffice read a cell as a formula (OWASP, "CSV
# Injection"): `=HYPERLINK(…)` in a title would be a live link or worse in the town's
# spreadsheet. Such a cell gets a leading apostrophe, which spreadsheets show as text.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """`text` as a CSV cell no spreadsheet reads as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _cells(column: Column, value: Value) -> list[str]:
    if column.key == "attachments":
        items = value if isinstance(value, list) else []
        cells = [CSV_LIST_SEPARATOR.join(str(item[key]) for item in items if isinstance(item, dict))
                 for key, _ in ATTACHMENT_CSV_COLUMNS]
    elif value is None:
        cells = [""]
    elif isinstance(value, list):
        cells = [CSV_LIST_SEPARATOR.join(str(item) for item in value)]
    else:
        cells = [str(value)]
    return [spreadsheet_text(cell) for cell in cells]


def catalogue_csv(rows: list[dict[str, Value]]) -> bytes:
    """data/catalogue.csv with Chinese headings, CRLF and a BOM, so Excel opens it as is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for column in COLUMNS for label in (
        [label for _, label in ATTACHMENT_CSV_COLUMNS] if column.key == "attachments"
        else [column.label])])
    writer.writerows([cell for column in COLUMNS for cell in _cells(column, row[column.key])]
                     for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def page_markdown(count: int) -> str:
    """The 数据开放 page: what the two files hold, field by field."""
    table = "\n".join(
        f"| `{column.key}` | {column.label} | {column.meaning} |" for column in COLUMNS
    )
    json_link, csv_link, feed_link = (link_from(DATA_PAGE_URI, path) for path in (
        DATA_JSON_PATH, DATA_CSV_PATH, SITE_FEED_PATH))
    return f"""# {PAGE_TITLE}

本站以开放格式提供全部已公开政府信息的目录数据（共 {count} 条），可自由下载使用，
每次网站更新时重新生成。草稿和尚未到发布日期的信息不在其中。

- [{json_link}]({json_link})：JSON 格式，UTF-8 编码。`generated` 为生成时间，
  `site_url` 为本站地址，`count` 为条数，`entries` 为按发布日期从新到旧排列的条目。
- [{csv_link}]({csv_link})：CSV 格式，UTF-8 编码（带 BOM，Excel 可直接打开），
  第一行为列名，每条信息一行；列表类字段的各项以英文分号 `{CSV_LIST_SEPARATOR}` 分隔。

没有值的字段在 JSON 中为 `null`（列表为 `[]`），在 CSV 中为空。

| JSON 字段 | CSV 列名 | 含义 |
|---|---|---|
{table}

按公开类别或公开渠道订阅最新信息，请使用各栏目页的 RSS 订阅源（[全部公开信息]({feed_link})）。
"""
