"""The fields of an entry's front matter: what each means, how its value is read and
checked, and the checks across fields (dates in order, 表二's types), with messages in Chinese."""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .config import DisclosureConfig
from .entry import (
    DECISION_TYPES,
    DOC_TYPES,
    EXPIRED,
    FEE_TYPE,
    REPEALED,
    VALIDITY_VALUES,
    Attachment,
    NoticePeriod,
    PersonalDataAllowance,
    RelatedLink,
)
from .problems import Problem, Severity

if TYPE_CHECKING:
    from decimal import Decimal

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LIST_SEPARATORS = re.compile(r"[,，、;；]")
_PERSONAL_NUMBER = re.compile(r"\d{10,18}[\dX]")
BODY_FIELD = "正文"
BODY_PLACEHOLDER = "（请在此处粘贴正文，并删除本行）"
"""The body `gongkai new` writes; an entry still holding it is not ready to publish."""


class FieldError(ValueError):
    """A front-matter value is unusable; the message is shown to staff as is."""


@dataclass(frozen=True)
class _Field:
    label: str
    """The Chinese name staff know the field by."""
    parse: Callable[[Any, DisclosureConfig], Any]
    required: bool = False
    example: Callable[[DisclosureConfig], str] | None = None
    """For a required field: the line to add, and the allowed values, when it is missing."""


def _text(value: Any, config: DisclosureConfig) -> str:
    if isinstance(value, str):  # nearly always: tested first
        text = " ".join(value.split())
        if not text:
            raise FieldError("不能为空")
        return text
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise FieldError("应为一段文字")
    raise FieldError(f"应为文字：请给「{value}」加上引号，以免数字被改写")


def _date(value: Any, config: DisclosureConfig) -> dt.date:
    match = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise FieldError(f"日期「{value}」格式不对：请写成 YYYY-MM-DD，例如 2021-03-04")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise FieldError(f"日期「{value}」不存在：请核对年、月、日") from None


def _nearest(value: str, choices: list[str]) -> str:
    import difflib  # only for a mistake: not on every command's path

    near = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return f"是否想写「{near[0]}」？" if near else ""


def _category_choices(config: DisclosureConfig) -> str:
    return f"可选：{'、'.join(config.categories)}"


def _channel_choices(config: DisclosureConfig) -> str:
    return "可选：" + "、".join(f"{key}（{label}）" for key, label in config.channels.items())


def _category(value: Any, config: DisclosureConfig) -> str:
    name = _text(value, config)
    if name not in config.categories:
        raise FieldError(
            f"未知分类「{name}」，{_nearest(name, config.categories)}{_category_choices(config)}"
        )
    return name


def _items(value: Any) -> list[Any]:
    """A YAML list, or one line of text separated by commas or 、 (how staff often write it)."""
    if isinstance(value, str):
        return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]
    if isinstance(value, list):
        return value
    raise FieldError("应为列表，例如 [website, bulletin]")


def _channel_labels(config: DisclosureConfig) -> dict[str, str]:
    return {label: key for key, label in config.channels.items()}


def _channels(value: Any, config: DisclosureConfig) -> tuple[str, ...]:
    keys: list[str] = []
    unknown: list[str] = []
    for item in _items(value):
        name = str(item).strip()
        # Labels only for a name that is no key: most files write keys, and building the
        # labels' dictionary for every file was wasted work.
        key = name if name in config.channels else _channel_labels(config).get(name)
        if key is None:
            unknown.append(name)
        elif key not in keys:
            keys.append(key)
    if unknown:
        hints = "".join(_nearest(name, list(config.channels) + list(_channel_labels(config)))
                        for name in unknown)
        raise FieldError(f"未知渠道「{'、'.join(unknown)}」，{hints}{_channel_choices(config)}")
    if not keys:
        raise FieldError("至少要写一个公开渠道，例如 [website]")
    return tuple(keys)


def _validity(value: Any, config: DisclosureConfig) -> str:
    text = _text(value, config)
    if text not in VALIDITY_VALUES:
        raise FieldError(f"有效性「{text}」无效，可选：{'、'.join(VALIDITY_VALUES)}")
    return text


def _tags(value: Any, config: DisclosureConfig) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_text(item, config) for item in _items(value)))


def _flag(value: Any, config: DisclosureConfig) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"应为 true 或 false，而不是「{value}」")
    return value


_ALLOWANCE_EXAMPLE = (
    "每项写明号码和公开依据，例如 personal_data_allowed: "
    "[{value: \"号码\", reason: \"依据《中华人民共和国行政处罚法》第四十八条公开\"}]"
)


def allowances(value: Any, config: DisclosureConfig) -> tuple[PersonalDataAllowance, ...]:
    if not isinstance(value, list):
        raise FieldError(f"应为列表，{_ALLOWANCE_EXAMPLE}")
    allowances = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict) or set(item) != {"value", "reason"}:
            raise FieldError(f"第 {number} 项应只有 value 和 reason 两项，{_ALLOWANCE_EXAMPLE}")
        digits = re.sub(r"[\s-]", "", str(item["value"])).upper()
        if not _PERSONAL_NUMBER.fullmatch(digits):
            raise FieldError(f"第 {number} 项的 value 应为身份证号、手机号码或银行卡号")
        try:
            reason = _text(item["reason"], config)
        except FieldError:
            raise FieldError(f"第 {number} 项缺少公开依据（reason）：{_ALLOWANCE_EXAMPLE}") from None
        allowances.append(PersonalDataAllowance(digits, reason))
    return tuple(allowances)


DEFAULT_RELATION = "相关信息"
_RELATED_EXAMPLE = (
    "例如 related: [{index_no: \"11500230MB0000000X/2026-00012\", relation: 意见采纳情况}]"
)


def _related(value: Any, config: DisclosureConfig) -> tuple[RelatedLink, ...]:
    """Links to other entries by 索引号: `{index_no, relation}` items, or bare 索引号 texts.
    Whether each target exists is a cross-file check (corpus.py)."""
    if not isinstance(value, list):
        value = [value]
    links: dict[str, RelatedLink] = {}
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            item = {"index_no": item}
        if not set(item) <= {"index_no", "relation"} or "index_no" not in item:
            raise FieldError(f"第 {number} 项应写 index_no（和可选的 relation），{_RELATED_EXAMPLE}")
        try:
            index_no = _text(item["index_no"], config)
            relation = _text(item.get("relation") or DEFAULT_RELATION, config)
        except FieldError as error:
            raise FieldError(f"第 {number} 项：{error}，{_RELATED_EXAMPLE}") from None
        links.setdefault(index_no, RelatedLink(index_no, relation))
    return tuple(links.values())


def _notice_period(value: Any, config: DisclosureConfig) -> NoticePeriod:
    example = "例如 notice_period: {start: 2026-03-02, end: 2026-03-10}"
    if not isinstance(value, dict) or set(value) != {"start", "end"}:
        raise FieldError(f"应写明起止日期 start 和 end，{example}")
    start, end = _date(value["start"], config), _date(value["end"], config)
    if end < start:
        raise FieldError(f"公示期结束日期 {end} 早于开始日期 {start}，请核对")
    return NoticePeriod(start, end)


_ATTACHMENT_EXAMPLE = "例如 attachments: [预算表.xlsx, {file: 申请表.docx, title: 政府信息公开申请表}]"
_NOT_RELATIVE = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*:|/|~)")


def _attachments(value: Any, config: DisclosureConfig) -> tuple[Attachment, ...]:
    """附件 as written: a file name (relative to the entry's file), or `{file, title}`.
    Where the files are, and what is in them, is checked later (attachments.py)."""
    items = value if isinstance(value, list) else [value]
    attachments = []
    for number, item in enumerate(items, start=1):
        title: Any = None
        if isinstance(item, dict):
            if "file" not in item or not set(item) <= {"file", "title"}:
                raise FieldError(f"第 {number} 项应写 file（和可选的 title），{_ATTACHMENT_EXAMPLE}")
            item, title = item["file"], item.get("title")
        if not isinstance(item, str) or not item.strip():
            raise FieldError(f"第 {number} 项应为文件名，{_ATTACHMENT_EXAMPLE}")
        file = item.strip().replace("\\", "/")
        if _NOT_RELATIVE.match(file):
            raise FieldError(
                f"第 {number} 项「{file}」应为相对于本文件所在文件夹的路径（如 预算表.xlsx），"
                "不能是网址或绝对路径"
            )
        name = file.rpartition("/")[2]
        default_title = name.rpartition(".")[0] if "." in name.strip(".") else name
        try:
            title = _text(title, config) if title not in (None, "") else default_title
        except FieldError as error:
            raise FieldError(f"第 {number} 项的 title {error}") from None
        attachments.append(Attachment(file, title))
    return tuple(attachments)


def place_attachments(
    attachments: tuple[Attachment, ...], path: str, line: int, config: DisclosureConfig
) -> tuple[tuple[Attachment, ...], list[Problem]]:
    """The attachments with paths relative to the project; a path leaving the source
    folder, or a file listed twice, is a problem."""
    source = posixpath.normpath(config.source_dir.replace("\\", "/")) + "/"
    placed: dict[str, Attachment] = {}
    problems = []
    for attachment in attachments:
        file = posixpath.normpath(posixpath.join(posixpath.dirname(path), attachment.file))
        if not file.startswith(source):
            problems.append(Problem(
                path, line, "attachments",
                f"附件「{attachment.file}」位于 {source} 之外：附件要和信息文件一起放在 {source} 中"
                "（通常与本文件放在同一文件夹，或放在以本文件命名的文件夹中）",
            ))
        elif file in placed:
            problems.append(Problem(path, line, "attachments", f"附件「{attachment.file}」重复列出"))
        else:
            placed[file] = Attachment(file, attachment.title)
    return tuple(placed.values()), problems


def _doc_type(value: Any, config: DisclosureConfig) -> str:
    name = _text(value, config)
    if name not in DOC_TYPES:
        raise FieldError(
            f"未知信息类型「{name}」，{_nearest(name, list(DOC_TYPES))}可选：{'、'.join(DOC_TYPES)}"
        )
    return name


def _positive_int(value: Any, config: DisclosureConfig) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise FieldError(f"应为正整数（件数），而不是「{value}」")
    return value


MAX_AMOUNT_DIGITS = 12
"""Digits before the decimal point of an amount in 万元 (below a trillion 万元)."""
AMOUNT_DECIMALS = 6
"""Decimal places of an amount in 万元: 0.000001 万元 is one 分."""


def _amount(value: Any, config: DisclosureConfig) -> Decimal:
    """万元, exactly as written: `12.5` stays 12.5 (via its text, not the float)."""
    from decimal import Decimal, InvalidOperation  # few entries have an amount

    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise FieldError(f"应为金额（万元），例如 12.5，而不是「{value}」")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise FieldError(f"「{value}」不是金额：请只写数字（单位万元），例如 12.5") from None
    if not amount.is_finite() or amount < 0:
        raise FieldError(f"金额「{value}」应为不小于 0 的数字（单位万元）")
    # Checked on the exponent, before any arithmetic: `1e999999999999` is a valid Decimal
    # that overflows the sums of the annual report, and `1e999999` prints a million digits.
    if amount and amount.adjusted() >= MAX_AMOUNT_DIGITS:
        raise FieldError(
            f"金额「{value}」超出范围：单位是万元，应小于 1{'0' * MAX_AMOUNT_DIGITS} 万元，请核对"
        )
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -AMOUNT_DECIMALS:
        cents = amount.quantize(Decimal(1).scaleb(-AMOUNT_DECIMALS))
        if cents != amount:
            raise FieldError(
                f"金额「{value}」小数位数过多：单位是万元，最多写 {AMOUNT_DECIMALS} 位小数（精确到分）"
            )
        amount = cents  # trailing zeros only: the same amount, without a million of them
    elif not amount and isinstance(exponent, int) and exponent > 0:
        amount = Decimal(0)  # `0e999999999` is nought, not a number with a billion places
    return amount


FIELDS: dict[str, _Field] = {
    "title": _Field("标题", _text, True, lambda config: "title: 关于……的通知"),
    "date": _Field("发布日期", _date, True, lambda config: "date: 2021-03-04"),
    "category": _Field("公开类别", _category, True, lambda config: (
        f"category: {next(iter(config.categories), '')}；{_category_choices(config)}"
    )),
    "channels": _Field("公开渠道", _channels, True, lambda config: (
        f"channels: [{next(iter(config.channels), '')}]；{_channel_choices(config)}"
    )),
    "index_no": _Field("索引号", _text),
    "publisher": _Field("发布机构", _text),
    "doc_no": _Field("文号", _text),
    "written": _Field("成文日期", _date),
    "validity": _Field("有效性", _validity),
    "tags": _Field("关键词", _tags),
    "summary": _Field("内容概述", _text),
    "draft": _Field("草稿", _flag),
    "personal_data_allowed": _Field("依法公开的个人信息", allowances),
    "related": _Field("相关信息", _related),
    "notice_period": _Field("公示期", _notice_period),
    "attachments": _Field("附件", _attachments),
    "doc_type": _Field("信息类型", _doc_type),
    "repealed": _Field("废止日期", _date),
    "expires": _Field("失效日期", _date),
    "decisions": _Field("处理决定数量", _positive_int),
    "fee_amount": _Field("收费金额（万元）", _amount),
    "decided": _Field("决定日期", _date),
    "late_reason": _Field("逾期公开说明", _text),
}

# Fields that only mean something for some 信息类型; elsewhere the annual report would
# silently ignore them, so they are errors.
_TYPED_FIELDS = {
    "decisions": DECISION_TYPES,
    "decided": DECISION_TYPES,
    "fee_amount": (FEE_TYPE,),
}

_TABLE_TWO_DATA = frozenset(_TYPED_FIELDS) | {"repealed", "expires"}
"""Without one of these fields, none of `table_two_problems`' checks applies."""


def table_two_problems(values: dict[str, Any], lines: dict[str, int], path: str) -> list[Problem]:
    """Checks across the fields that feed table 二 and the displayed 有效性."""
    if _TABLE_TWO_DATA.isdisjoint(values):  # most entries: nothing to check
        return []
    problems = []
    doc_type = values.get("doc_type")
    for key, types in _TYPED_FIELDS.items():
        if key in values and doc_type not in types:
            problems.append(Problem(
                path, lines[key], key,
                f"{FIELDS[key].label}只用于信息类型为{'、'.join(types)}的信息：请填写 doc_type，"
                "或删去这一行",
            ))
    # What the dates finally make the document; an explicit validity must say the same.
    final = REPEALED if "repealed" in values else EXPIRED if "expires" in values else None
    validity = values.get("validity")
    if final and validity and validity != final:
        date_key = "repealed" if final == REPEALED else "expires"
        problems.append(Problem(
            path, lines["validity"], "validity",
            f"有效性写的是「{validity}」，但 {date_key}: {values[date_key]} 表明文件自该日起{final}："
            "请删去 validity，网站会按日期自动显示有效性",
        ))
    decided, date = values.get("decided"), values.get("date")
    if decided and date and decided > date:
        problems.append(Problem(
            path, lines["decided"], "decided",
            f"决定日期 {decided} 晚于发布日期 {date}，请核对", Severity.WARNING,
        ))
    return problems

