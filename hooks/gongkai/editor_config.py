"""The editor's Decap CMS configuration, generated from `extra.disclosure` and the reader's fields.

One function, `decap_config`, makes the whole configuration each time the editor page loads, so
the editor offers exactly what `gongkai check` accepts: the site's categories and channels (with
their Chinese labels), the publisher default, the required fields, the 索引号 pattern, the
fields' Chinese labels as the reader words them. A field added to the reader without a widget
here still gets a plain text box (see `_widget`), so nothing silently disappears.

Entries are grouped one collection per year folder (`disclosures/<year>/`), newest year first:
Decap reads a whole collection when its list opens, and a year is what staff look for.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

from .config import DisclosureConfig
from .entry import DOC_TYPES, VALIDITY_VALUES
from .fields import FIELDS
from .register import IndexPattern

API_PATH = "/api/v1"
COLLECTION_PREFIX = "y"
"""Collection names are `y<year>` (`y2026`); the server maps them back to folders."""
FILE_NAME_FIELD = "gongkai_file"
"""Set by the editor's preSave handler for a new entry to the server-issued file name
(`<date>-<serial>`), which the collection's slug uses; the server strips it before writing,
so it never reaches the file."""
DATE_FORMAT = "YYYY-MM-DD"

_YEAR_FOLDER = re.compile(r"\d{4}")


def year_folders(project_dir: os.PathLike[str] | str, config: DisclosureConfig,
                 today: dt.date) -> list[int]:
    """Years with a folder under the source folder, and this year, newest first."""
    source = os.path.join(project_dir, config.source_dir)
    years = {today.year}
    if os.path.isdir(source):
        years.update(int(name) for name in os.listdir(source)
                     if _YEAR_FOLDER.fullmatch(name) and os.path.isdir(os.path.join(source, name)))
    return sorted(years, reverse=True)


def collection_folder(config: DisclosureConfig, name: str) -> str | None:
    """The folder (relative to the project) of the collection called `name`, or None."""
    year = name.removeprefix(COLLECTION_PREFIX)
    if not name.startswith(COLLECTION_PREFIX) or not _YEAR_FOLDER.fullmatch(year):
        return None
    return f"{config.source_dir.rstrip('/')}/{year}"


def index_no_regex(config: DisclosureConfig) -> str:
    """The 索引号 of any year, as a whole-value JavaScript regex (the check's own pattern)."""
    finder = IndexPattern(config.index_pattern, config.org_code).finder(None)
    return "^" + finder.pattern + "$"


def _date(required: bool = False, default: str | None = None) -> dict[str, Any]:
    widget: dict[str, Any] = {
        "widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT,
        "time_format": False, "picker_utc": True, "required": required,
    }
    if default is not None:
        widget["default"] = default
    return widget


def _select(options: list[Any], multiple: bool = False, required: bool = False) -> dict[str, Any]:
    return {"widget": "select", "options": options, "multiple": multiple, "required": required}


def _widgets(config: DisclosureConfig, today: dt.date) -> dict[str, dict[str, Any]]:
    """Each front-matter field's widget (labels and `required` are added from the reader)."""
    channel_options = [{"label": label, "value": key} for key, label in config.channels.items()]
    text = {"widget": "string"}
    return {
        "title": text,
        "date": _date(default=today.isoformat()),
        "category": _select(list(config.categories)),
        "channels": {**_select(channel_options, multiple=True), "min": 1},
        "index_no": {
            "widget": "string",
            "hint": "留空即可：保存时自动按索引号登记簿编号（与 gongkai new 相同）",
            "pattern": [index_no_regex(config), "索引号格式不对：请留空，保存时会自动编号"],
        },
        "publisher": {"widget": "string", "default": config.publisher},
        "doc_no": {**text, "hint": "例如 示府发〔2026〕12号；没有文号的留空"},
        "written": _date(),
        "validity": _select(list(VALIDITY_VALUES)),
        "tags": {"widget": "list", "hint": "多个关键词用逗号分开"},
        "summary": {"widget": "text"},
        # No default: Decap would write `draft: false` into every new file.
        "draft": {"widget": "boolean", "hint": "打开后不会发布，适合还没写完的信息"},
        "personal_data_allowed": {"widget": "list", "fields": [
            {"name": "value", "label": "号码", "widget": "string"},
            {"name": "reason", "label": "公开依据", "widget": "string"},
        ]},
        "related": {"widget": "list", "fields": [
            {"name": "index_no", "label": "索引号", "widget": "string"},
            {"name": "relation", "label": "关系", "widget": "string", "required": False},
        ]},
        # Not required inside: Decap would then demand them of every entry, 公示 or not; a
        # half-filled period is the check's to report.
        "notice_period": {"widget": "object", "collapsed": True, "fields": [
            {"name": "start", "label": "开始日期", **_date()},
            {"name": "end", "label": "结束日期", **_date()},
        ]},
        "doc_type": _select(list(DOC_TYPES)),
        "repealed": _date(),
        "expires": _date(),
        "decisions": {"widget": "number", "value_type": "int", "min": 1},
        "fee_amount": {"widget": "string", "hint": "单位万元，例如 12.5"},
        "decided": _date(),
        "late_reason": {"widget": "text"},
        # Files stored beside the entry (the collection's media_folder is ""), written as the
        # reader's `{file, title}` items; an empty title means the file's name.
        "attachments": {"widget": "list", "fields": [
            {"name": "file", "label": "文件", "widget": "file"},
            {"name": "title", "label": "附件名称", "widget": "string", "required": False},
        ]},
    }


def _fields(config: DisclosureConfig, today: dt.date) -> list[dict[str, Any]]:
    widgets = _widgets(config, today)
    fields = []
    for name, spec in FIELDS.items():
        widget = widgets.get(name, {"widget": "string"})
        fields.append({**widget, "name": name, "label": spec.label, "required": spec.required})
    # The check does not require a body (a notice may be all in its attachments).
    fields.append({"name": "body", "label": "正文", "widget": "markdown", "required": False})
    return fields


def decap_config(
    config: DisclosureConfig, years: list[int], today: dt.date, preview_url: str
) -> dict[str, Any]:
    """The whole Decap CMS configuration (what `config.yml` would hold)."""
    fields = _fields(config, today)
    collections = []
    for year in years:
        collections.append({
            "name": f"{COLLECTION_PREFIX}{year}",
            "label": f"{year} 年",
            "label_singular": "公开信息",
            "description": f"{year} 年的公开信息（{config.source_dir}/{year}/）",
            "folder": f"{config.source_dir.rstrip('/')}/{year}",
            "extension": "md",
            "format": "frontmatter",
            "create": True,
            "delete": False,
            "slug": "{{fields." + FILE_NAME_FIELD + "}}",
            "identifier_field": "title",
            "summary": "{{date}}　{{title}}　〔{{category}}〕",
            "sortable_fields": [
                {"field": "date", "label": "发布日期", "default_sort": "desc"},
                {"field": "title", "label": "标题"},
                {"field": "index_no", "label": "索引号"},
            ],
            "view_filters": [{"label": "草稿", "field": "draft", "pattern": True}],
            "view_groups": [{"label": "公开类别", "field": "category", "pattern": ".*"}],
            # Attachments go beside the entry file, as the build expects them.
            "media_folder": "",
            "public_folder": "",
            "fields": fields,
        })
    return {
        "backend": {"name": "proxy", "proxy_url": API_PATH},
        "locale": "zh_Hans",
        "site_url": preview_url,
        "display_url": preview_url,
        "media_folder": config.source_dir,
        "public_folder": "",
        "publish_mode": "simple",
        "collections": collections,
    }
