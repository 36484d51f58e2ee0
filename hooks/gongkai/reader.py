"""Reading one disclosure file: bytes → front matter and body → a validated `Entry`.

Front matter is parsed here rather than by MkDocs, which silently drops broken front matter.
Every problem in the file is collected, each with the line of the field it concerns. Any input
whatever — wrong types, deep nesting, YAML aliases, binary junk — ends as an entry or as
problems, never as an exception.

Speed matters (`gongkai check` runs as a pre-commit hook over thousands of files), and building
Python objects from YAML nodes is most of the cost. Nearly every entry is flat `key: value`
lines, so those are read by `_simple_front_matter`, which resolves each value with the very
resolver table YAML uses and gives up — handing the text to YAML — on anything else.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from .config import DisclosureConfig
from .entry import (
    DECISION_TYPES,
    DEFAULT_VALIDITY,
    DOC_TYPES,
    EXPIRED,
    FEE_TYPE,
    REPEALED,
    VALIDITY_VALUES,
    Attachment,
    Entry,
    NoticePeriod,
    PersonalDataAllowance,
    RelatedLink,
)
from .problems import Problem, Severity

FENCE = "---"
_CLOSING_FENCES = ("---", "...")
_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_LIST_SEPARATORS = re.compile(r"[,，、;；]")
_PERSONAL_NUMBER = re.compile(r"\d{10,18}[\dX]")
BODY_FIELD = "正文"
BODY_PLACEHOLDER = "（请在此处粘贴正文，并删除本行）"
"""The body `gongkai new` writes; an entry still holding it is not ready to publish."""

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML that leaves dates as text, so a bad date is a field error, not a YAML one."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


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
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldError("应为一段文字")
    if not isinstance(value, str):
        raise FieldError(f"应为文字：请给「{value}」加上引号，以免数字被改写")
    text = " ".join(value.split())
    if not text:
        raise FieldError("不能为空")
    return text


def _date(value: Any, config: DisclosureConfig) -> dt.date:
    match = _DATE.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match:
        raise FieldError(f"日期「{value}」格式不对：请写成 YYYY-MM-DD，例如 2021-03-04")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise FieldError(f"日期「{value}」不存在：请核对年、月、日") from None


def _nearest(value: str, choices: list[str]) -> str:
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


def _channels(value: Any, config: DisclosureConfig) -> tuple[str, ...]:
    by_label = {label: key for key, label in config.channels.items()}
    keys: list[str] = []
    unknown: list[str] = []
    for item in _items(value):
        name = str(item).strip()
        key = name if name in config.channels else by_label.get(name)
        if key is None:
            unknown.append(name)
        elif key not in keys:
            keys.append(key)
    if unknown:
        hints = "".join(_nearest(name, list(config.channels) + list(by_label)) for name in unknown)
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


def _allowances(value: Any, config: DisclosureConfig) -> tuple[PersonalDataAllowance, ...]:
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


def _place_attachments(
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
    "personal_data_allowed": _Field("依法公开的个人信息", _allowances),
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


def _table_two_problems(values: dict[str, Any], lines: dict[str, int], path: str) -> list[Problem]:
    """Checks across the fields that feed table 二 and the displayed 有效性."""
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


UTF8_HELP = (
    "文件不是 UTF-8 编码（多半是用记事本或 Word 存成了 ANSI/GBK）："
    "请用记事本打开，选择“另存为”，把“编码”选为“UTF-8”后保存"
)


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """The file's text without BOM and with `\\n` line ends, or a problem saying how to re-save it."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "编码", UTF8_HELP)]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(path, line, "编码", "文件含有二进制内容，不是文本文件：请存为 UTF-8 文本")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


@dataclass
class _Split:
    front_matter: str
    body: str
    body_line: int


def _split(text: str, path: str) -> tuple[_Split | None, list[Problem]]:
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return None, [Problem(
            path, 1, "front matter",
            "文件开头缺少 front matter：第一行应为 ---，随后逐行写 title、date 等字段，再以一行 --- 结束",
        )]
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in _CLOSING_FENCES:
            return _Split("\n".join(lines[1:index]), "\n".join(lines[index + 1:]), index + 2), []
    return None, [Problem(path, 1, "front matter", "front matter 没有结束：请在最后一个字段之后加一行 ---")]


# What PyYAML's English problem texts mean for someone writing `key: value` lines.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", ("值里有英文冒号加空格「: 」：请给整个值加英文引号，"
     "例如 title: \"关于: 某事\"；如果是上一行没写完，请把它和这一行合并")),
    ("could not find expected ':'", "这一行缺少英文冒号「: 」：每行应写成“字段: 值”"),
    ("found character '\\t'", "含有 Tab 制表符：请改用空格"),
    ("expected ',' or ']'", "方括号「[」「]」没有配对：请在列表末尾补上「]」"),
    ("expected ',' or '}'", "花括号「{」「}」没有配对：请在末尾补上「}」"),
    ("found unexpected end of stream", "引号没有配对：请在值的末尾补上引号"),
    ("unknown escape character", "双引号里的反斜杠「\\」要写成「\\\\」，或改用单引号"),
    ("constructor for the tag", "请去掉 ! 开头的类型标记"),
    ("undefined tag handle", "请去掉 ! 开头的类型标记"),
    ("expected <block end>", "缩进不对：字段应从行首写起，列表项前的空格要一致"),
)
_YAML_FALLBACK = "请检查这一行的冒号、引号和缩进；值里有冒号或 # 时请给整个值加英文引号"


def yaml_advice(error: yaml.YAMLError) -> str:
    """What to do about a YAML error, in Chinese: PyYAML words its errors in English."""
    detail = str(getattr(error, "problem", None) or error)
    return next((text for known, text in _YAML_PROBLEMS if known in detail), _YAML_FALLBACK)


def _yaml_problem(error: yaml.YAMLError, path: str) -> Problem:
    # The context mark (where an unclosed bracket or quote opened) is nearer the mistake.
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    line = mark.line + 2 if mark else 1
    return Problem(path, line, "front matter", f"格式错误：{yaml_advice(error)}")


# --- Full-width punctuation: a Chinese input method types ：，［］“” where YAML needs ASCII ---

_KEY_COLON = re.compile(r"([ \t\u3000]*(?:-[ \t]+)?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*([:：])(?=[ \t]|$)|"
                        r"([ \t\u3000]*(?:-[ \t]+)?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*(：)")
_FULL_WIDTH_SIGNS = frozenset("：，［］｛｝“”‘’\u3000")
_FLOW_SIGNS = {"［": "[", "］": "]", "｛": "{", "｝": "}", "，": ", ", "：": ": "}
_SIGN_NAMES = {
    "：": "英文冒号「: 」", "，": "英文逗号「, 」", "［": "英文方括号「[」", "］": "英文方括号「]」",
    "｛": "英文花括号「{」", "｝": "英文花括号「}」", "“": "英文引号「\"」", "”": "英文引号「\"」",
    "‘": "英文引号「'」", "’": "英文引号「'」", "\u3000": "半角空格「 」",
}


def _sign_message(signs: list[str]) -> str:
    """「［」「］」请改为英文方括号「[」「]」, one clause per kind of sign, in line order."""
    by_name: dict[str, list[str]] = {}
    for sign in dict.fromkeys(signs):
        by_name.setdefault(_SIGN_NAMES[sign].split("「")[0], []).append(sign)
    clauses = []
    for name, group in by_name.items():
        wrong = "".join(f"「{sign}」" for sign in group)
        right = "".join(dict.fromkeys("「" + _SIGN_NAMES[sign].split("「")[1] for sign in group))
        clauses.append(f"{wrong}请改为{name}{right}")
    return "，".join(clauses)


def _fix_flow(value: str, signs: list[str]) -> str:
    """A `[...]` or `{...}` value with its full-width signs made ASCII, outside quotes."""
    fixed, quote = [], ""
    for char in value:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in _FLOW_SIGNS:
            signs.append(char)
            char = _FLOW_SIGNS[char]
        fixed.append(char)
    return "".join(fixed)


def _fix_value(value: str, signs: list[str]) -> str:
    stripped = value.strip()
    if stripped[:1] in ("［", "｛", "[", "{"):
        return _fix_flow(value, signs)
    for opening, closing in (("“", "”"), ("‘", "’")):
        # A value wholly inside one pair of curly quotes was meant to be quoted; a title such
        # as “双减”政策落实“回头看” keeps its quotes.
        if (len(stripped) > 1 and stripped[0] == opening and stripped[-1] == closing
                and stripped.count(opening) == 1 and stripped.count(closing) == 1):
            signs += [opening, closing]
            return json.dumps(stripped[1:-1], ensure_ascii=False)
    return value


def _full_width_slips(source: str, path: str) -> tuple[str, list[Problem]]:
    """The front matter with full-width signs in YAML's places made ASCII, and one problem
    naming them for each line that had any — reported instead of the YAML error they cause,
    which PyYAML words in English and often places on the next line."""
    if _FULL_WIDTH_SIGNS.isdisjoint(source):
        return source, []
    lines = source.split("\n")
    problems = []
    for index, line in enumerate(lines):
        if _FULL_WIDTH_SIGNS.isdisjoint(line):
            continue
        signs: list[str] = []
        field = "front matter"
        match = _KEY_COLON.match(line)
        if match:
            indent = match[1] if match[1] is not None else match[4]
            field = match[2] or match[5]
            colon = match[3] or match[6]
            if "\u3000" in indent:
                signs.append("\u3000")
            if colon == "：":
                signs.append("：")
            fixed = indent.replace("\u3000", " ") + field + ": " + _fix_value(
                line[match.end():].lstrip(), signs)
        elif line.lstrip(" \t").startswith("- "):
            dash = line.index("- ") + 2
            fixed = line[:dash] + _fix_value(line[dash:], signs)
        else:
            continue
        if signs:
            lines[index] = fixed
            problems.append(Problem(path, index + 2, field, f"第{index + 2}行的{_sign_message(signs)}"))
    return "\n".join(lines), problems


_SIMPLE_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*?))? *")
# Characters YAML treats specially somewhere (line breaks, BOM, tabs, non-printables): a file
# holding any of them is left to YAML.
_UNUSUAL = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_PLAIN_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
_BOOL_TAG = "tag:yaml.org,2002:bool"
_Unsupported = object()


def _resolvers_by_first_char() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """YAML's implicit resolvers of plain scalars, by first character (None: any other)."""
    table = _FrontMatterLoader.yaml_implicit_resolvers
    wildcard = table.get(None, [])
    return {first: resolvers + wildcard for first, resolvers in table.items()} | {None: wildcard}


_RESOLVERS = _resolvers_by_first_char()


@functools.lru_cache(maxsize=4096)  # categories, channels, tags and dates repeat across files
def _plain_scalar(text: str, in_list: bool) -> Any:
    """The value YAML gives a one-line plain scalar, or `_Unsupported` when unsure."""
    if (
        not text or text[0] in _PLAIN_INDICATORS or ": " in text or text.endswith(":")
        or " #" in text or (in_list and not _FLOW_INDICATORS.isdisjoint(text))
    ):
        return _Unsupported
    for tag, regexp in _RESOLVERS.get(text[0]) or _RESOLVERS[None]:
        if regexp.match(text):
            if tag == _BOOL_TAG and not in_list:
                return yaml.constructor.SafeConstructor.bool_values[text.lower()]
            return _Unsupported
    return text


def yaml_text(value: str) -> str:
    """`value` as YAML: plain when YAML reads it back as this very text, else double-quoted
    (a JSON string is a valid YAML one)."""
    return value if _plain_scalar(value, in_list=False) == value else json.dumps(
        value, ensure_ascii=False
    )


def _simple_value(text: str | None) -> Any:
    if text is None:
        return None
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        if not inner.strip():
            return []
        items = [_plain_scalar(item.strip(), in_list=True) for item in inner.split(",")]
        return _Unsupported if _Unsupported in items else items
    return _plain_scalar(text, in_list=False)


def _simple_front_matter(source: str) -> dict[str, tuple[Any, int]] | None:
    """Flat `key: value` front matter read without YAML, or None to let YAML read it.

    Only lines whose meaning is certain are read: a key, then nothing, a plain one-line
    scalar that resolves to text or true/false, or a one-line list of plain texts. Anything
    else (quotes, nesting, numbers, comments after a value, repeated keys) goes to YAML, so
    both readers give the same values and YAML alone words every error.
    """
    if _UNUSUAL.search(source):
        return None
    values: dict[str, tuple[Any, int]] = {}
    for index, line in enumerate(source.split("\n")):
        if not line or line[0] == "#":
            continue
        match = _SIMPLE_LINE.fullmatch(line)  # a line of blanks does not match: YAML reads it
        if match is None or match[1] in values or (
            match[1] not in FIELDS and _plain_scalar(match[1], False) != match[1]
        ):
            return None
        value = _simple_value(match[2])
        if value is _Unsupported:
            return None
        values[match[1]] = (value, index + 2)
    return values or None


def _shared_node(root: yaml.Node) -> yaml.Node | None:
    """A node reached twice: YAML anchors and aliases (`&a`, `*a`), refused because a few
    lines of them can stand for billions of values."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


# PyYAML's constructors raise these for explicit tags with bad values (`!!int x`), and int()
# raises ValueError for a number of more than `sys.get_int_max_str_digits()` digits.
_CONSTRUCTOR_ERRORS = (ValueError, TypeError, ArithmeticError, AttributeError, RecursionError)
_UNREADABLE_ADVICE = "请去掉 !! 开头的类型标记，并检查数字和日期的写法"
_LONG_NUMBER = 1000
"""Digits from which a number is reported as too long rather than as unreadable."""


def _has_long_number(root: yaml.Node) -> bool:
    """Whether a scalar under `root` is a run of more than `_LONG_NUMBER` digits."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if sum(char.isdigit() for char in node.value) > _LONG_NUMBER:
                return True
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _unreadable(error: Exception, node: yaml.Node, path: str, line: int, key: str) -> Problem:
    """A value YAML parsed but cannot turn into Python, reported at its key."""
    if isinstance(error, ValueError) and _has_long_number(node):
        return Problem(path, line, key, "数字位数过多，无法读取：请核对这一行")
    return Problem(path, line, key, f"无法读取的值：{_UNREADABLE_ADVICE}")


def _parse_front_matter(
    source: str, path: str
) -> tuple[dict[str, tuple[Any, int]] | None, list[Problem]]:
    """Each key's value and line, or the problems that make the block unreadable."""
    simple = _simple_front_matter(source)
    if simple is not None:
        return simple, []
    loader = _FrontMatterLoader(source)
    try:
        node = loader.get_single_node()
        if node is None or not isinstance(node, yaml.MappingNode):
            line = node.start_mark.line + 2 if node is not None else 2
            return None, [Problem(
                path, line, "front matter", "front matter 应逐行写成“字段: 值”，例如 title: 关于……的通知",
            )]
        shared = _shared_node(node)
        if shared is not None:
            return None, [Problem(
                path, shared.start_mark.line + 2, "front matter",
                "不支持以 & 和 * 开头的引用写法：请把每个值直接写出来",
            )]
        values: dict[str, tuple[Any, int]] = {}
        problems: list[Problem] = []
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 2
            try:
                key = str(loader.construct_object(key_node, deep=True))
            except _CONSTRUCTOR_ERRORS as error:
                problems.append(_unreadable(error, key_node, path, line, "front matter"))
                continue
            if key in values:
                problems.append(Problem(path, line, key, f"字段重复：第 {values[key][1]} 行已经写过"))
                continue
            try:
                values[key] = (loader.construct_object(value_node, deep=True), line)
            except _CONSTRUCTOR_ERRORS as error:
                problems.append(_unreadable(error, value_node, path, line, key))
                values[key] = (None, line)  # reported: not "missing" as well
        return values, problems
    except yaml.YAMLError as error:
        return None, [_yaml_problem(error, path)]
    except _CONSTRUCTOR_ERRORS:  # e.g. nesting too deep for the composer
        return None, [Problem(path, 1, "front matter", f"front matter 中有无法读取的值：{_UNREADABLE_ADVICE}")]
    finally:
        loader.dispose()


def read_entry(
    data: bytes, path: str, slug: str, config: DisclosureConfig
) -> tuple[Entry | None, list[Problem]]:
    """Validate one file's bytes; the entry is None when any problem is an error."""
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    split, problems = _split(text, path)
    if split is None:
        return None, problems
    front_matter, slips = _full_width_slips(split.front_matter, path)
    entry, problems = _read_fields(front_matter, split, path, slug, config)
    if slips:  # the problems they caused on their lines are the same mistake
        slip_lines = {slip.line for slip in slips}
        others = [problem for problem in problems if problem.line not in slip_lines]
        return None, sorted(slips + others, key=Problem.sort_key)
    return entry, problems


def body_entry(data: bytes, path: str, slug: str, config: DisclosureConfig) -> Entry | None:
    """For a file `read_entry` refused: an entry holding only its body (after the front
    matter, or the whole text when there is none to be found) and whatever
    `personal_data_allowed` could be read, so that the body is screened all the same — a
    mistake in the front matter must not hide an unmasked ID number in the body."""
    text, _ = decode(data, path)
    if text is None:
        return None
    split, _ = _split(text, path)
    if split is None:
        split = _Split("", text, 1)
    allowed: tuple[PersonalDataAllowance, ...] = ()
    raw, _ = _parse_front_matter(_full_width_slips(split.front_matter, path)[0], path)
    if raw and "personal_data_allowed" in raw:
        try:
            allowed = _allowances(raw["personal_data_allowed"][0], config)
        except FieldError:
            pass  # reported by read_entry
    return Entry(
        path=path, slug=slug, title="", date=dt.date.min, category="", channels=(),
        publisher="", body=split.body, body_line=split.body_line, personal_data_allowed=allowed,
    )


def _read_fields(
    front_matter: str, split: _Split, path: str, slug: str, config: DisclosureConfig
) -> tuple[Entry | None, list[Problem]]:
    raw, problems = _parse_front_matter(front_matter, path)
    if raw is None:
        return None, problems

    values: dict[str, Any] = {}
    for key, (value, line) in raw.items():
        spec = FIELDS.get(key)
        if spec is None:
            near = difflib.get_close_matches(key, list(FIELDS), n=1)
            hint = f"是否想写「{near[0]}」？" if near else f"可用字段：{'、'.join(FIELDS)}"
            problems.append(Problem(path, line, key, f"未知字段，已忽略。{hint}", Severity.WARNING))
            continue
        if value is None or value == "" or value == []:
            continue  # an empty optional field is the same as leaving it out
        try:
            values[key] = spec.parse(value, config)
        except FieldError as error:
            problems.append(Problem(path, line, key, str(error)))
    for key, spec in FIELDS.items():
        if spec.required and key not in values and not any(p.field == key for p in problems):
            example = f"：请加一行，例如 {spec.example(config)}" if spec.example else ""
            problems.append(Problem(path, 1, key, f"缺少必填字段 {key}（{spec.label}）{example}"))

    lines = {key: line for key, (_, line) in raw.items()}
    if "index_no" not in values and "index_no" not in lines:
        problems.append(Problem(
            path, 1, "index_no", "缺少索引号：请用 gongkai new 生成，或按本站索引号规则填写",
            Severity.WARNING,
        ))
    written, date = values.get("written"), values.get("date")
    if written and date and written > date:
        problems.append(Problem(
            path, lines["written"], "written",
            f"成文日期 {written} 晚于发布日期 {date}，请核对", Severity.WARNING,
        ))
    problems += _table_two_problems(values, lines, path)
    notice, date = values.get("notice_period"), values.get("date")
    if notice and date and notice.end < date:
        problems.append(Problem(
            path, lines["notice_period"], "notice_period",
            f"公示期 {notice.start} 至 {notice.end} 在发布日期 {date} 之前就已结束，公众看到时已无法"
            "提出意见：请核对公示期和发布日期", Severity.WARNING,
        ))
    if "attachments" in values:
        values["attachments"], attachment_problems = _place_attachments(
            values["attachments"], path, lines["attachments"], config
        )
        problems += attachment_problems
    if BODY_PLACEHOLDER in split.body:
        problems.append(Problem(
            path, split.body_line + split.body[: split.body.index(BODY_PLACEHOLDER)].count("\n"),
            BODY_FIELD, f"正文还没有填写：请把「{BODY_PLACEHOLDER}」这一行换成正文",
        ))
    if any(problem.is_error for problem in problems):
        return None, problems

    entry = Entry(
        path=path,
        slug=slug,
        title=values["title"],
        date=values["date"],
        category=values["category"],
        channels=values["channels"],
        publisher=values.get("publisher", config.publisher),
        body=split.body,
        body_line=split.body_line,
        index_no=values.get("index_no"),
        doc_no=values.get("doc_no"),
        written=values.get("written"),
        validity=values.get("validity", DEFAULT_VALIDITY),
        tags=values.get("tags", ()),
        summary=values.get("summary"),
        draft=values.get("draft", False),
        personal_data_allowed=values.get("personal_data_allowed", ()),
        related=values.get("related", ()),
        notice_period=values.get("notice_period"),
        attachments=values.get("attachments", ()),
        doc_type=values.get("doc_type"),
        repealed=values.get("repealed"),
        expires=values.get("expires"),
        decisions=values.get("decisions", 1),
        fee_amount=values.get("fee_amount"),
        decided=values.get("decided"),
        late_reason=values.get("late_reason"),
        field_lines=lines,
    )
    return entry, problems
