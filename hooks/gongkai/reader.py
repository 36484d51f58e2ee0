"""Reading one disclosure file: bytes → front matter and body → a validated `Entry`.

Front matter is parsed here rather than by MkDocs, which silently drops broken front matter.
Every problem in the file is collected, each with the line of the field it concerns. The
steps live beside: front_matter.py decodes, splits and parses; fields.py holds the schema.
A line many files share (`date:`, `category:`, `channels: [website]`) is read and checked once
per run (`_known_fields`); anything unusual or wrong is read in full, which words the problems.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from .config import DisclosureConfig
from .entry import Entry, PersonalDataAllowance, entry_of
from .fields import (
    BODY_FIELD,
    BODY_PLACEHOLDER,
    FIELDS,
    FieldError,
    allowances,
    place_attachments,
    table_two_problems,
)
from .front_matter import (
    Split,
    decode,
    full_width_slips,
    parse_front_matter,
    simple_line,
    skipped_line,
    split_front_matter,
    unusual_characters,
)
from .problems import Problem, Severity


def read_entry(
    data: bytes, path: str, slug: str, config: DisclosureConfig
) -> tuple[Entry | None, list[Problem]]:
    """Validate one file's bytes; the entry is None when any problem is an error."""
    text, problems = decode(data, path)
    if text is None:
        return None, problems
    split, problems = split_front_matter(text, path)
    if split is None:
        return None, problems
    front_matter, slips = full_width_slips(split.front_matter, path)
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
    split, _ = split_front_matter(text, path)
    if split is None:
        split = Split("", text, 1)
    allowed: tuple[PersonalDataAllowance, ...] = ()
    raw, _ = parse_front_matter(full_width_slips(split.front_matter, path)[0], path)
    if raw and "personal_data_allowed" in raw:
        try:
            allowed = allowances(raw["personal_data_allowed"][0], config)
        except FieldError:
            pass  # reported by read_entry
    return Entry(
        path=path, slug=slug, title="", date=dt.date.min, category="", channels=(),
        publisher="", body=split.body, body_line=split.body_line, personal_data_allowed=allowed,
    )


_REQUIRED_FIELDS = tuple((key, spec) for key, spec in FIELDS.items() if spec.required)


def _empty(value: Any) -> bool:
    """An empty optional field is the same as leaving it out."""
    return value is None or value == "" or value == []


# --- Lines read before: most of an entry's lines are written the same in many files ----------

_SKIP = ("", None)
"""What a blank line or a comment gives: no key."""
_ABSENT = object()
"""The value of a line that names its key but leaves it empty."""
_SHARED_FIELDS = frozenset({
    "date", "category", "channels", "publisher", "written", "validity", "tags", "draft",
    "doc_type", "repealed", "expires", "decided", "decisions", "fee_amount",
})
"""Fields whose lines repeat across files (a title or an 索引号 is one file's own) and whose
values are immutable, so that one value may serve every file."""
_KNOWN_LINES_LIMIT = 50_000


class _KnownLines:
    """Each `key: value` line of a shared field read without problems: its key and value.

    A value depends on the line and the configuration alone (problems, which name the path,
    are never kept), so a line seen in another file needs neither parsing nor checking."""

    def __init__(self) -> None:
        self.config: DisclosureConfig | None = None
        self.lines: dict[str, tuple[str, Any]] = {}

    def for_config(self, config: DisclosureConfig) -> dict[str, tuple[str, Any]]:
        if config is not self.config or len(self.lines) > _KNOWN_LINES_LIMIT:
            self.config, self.lines = config, {"": _SKIP}
        return self.lines


_KNOWN_LINES = _KnownLines()


def _learn_line(
    line: str, config: DisclosureConfig, known: dict[str, tuple[str, Any]]
) -> tuple[str, Any] | None:
    """A line's key and value, or None for a line the full reading must word problems for."""
    simple = simple_line(line)
    if simple is None:
        return _SKIP if skipped_line(line) else None
    spec = FIELDS.get(simple[0])
    if spec is None:  # an unknown key: the full reading words the warning
        return None
    key, value = simple
    if _empty(value):
        learnt: tuple[str, Any] = (key, _ABSENT)
    else:
        try:
            learnt = (key, spec.parse(value, config))
        except FieldError:
            return None
    if key in _SHARED_FIELDS:
        known[line] = learnt
    return learnt


def _known_fields(
    front_matter: str, config: DisclosureConfig
) -> tuple[dict[str, Any], dict[str, int]] | None:
    """The values and lines of flat front matter whose every line reads without problems,
    or None to leave the block to the full reading (which gives the same values)."""
    if unusual_characters(front_matter):
        return None
    known = _KNOWN_LINES.for_config(config)
    values: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(front_matter.split("\n"), start=2):
        learnt = known.get(line) or _learn_line(line, config, known)
        if learnt is None:
            return None
        if learnt is _SKIP:  # a blank line or a comment
            continue
        key, value = learnt
        if key in lines:  # repeated: the full reading words it
            return None
        lines[key] = number
        if value is not _ABSENT:
            values[key] = value
    return (values, lines) if lines else None


def _read_fields(
    front_matter: str, split: Split, path: str, slug: str, config: DisclosureConfig
) -> tuple[Entry | None, list[Problem]]:
    problems: list[Problem]
    known = _known_fields(front_matter, config)
    if known is not None:
        (values, lines), problems = known, []
    else:
        raw, problems = parse_front_matter(front_matter, path)
        if raw is None:
            return None, problems
        values, lines = _field_values(raw, path, config, problems)
    for key, spec in _REQUIRED_FIELDS:
        if key not in values and not any(p.field == key for p in problems):
            example = f"：请加一行，例如 {spec.example(config)}" if spec.example else ""
            problems.append(Problem(path, 1, key, f"缺少必填字段 {key}（{spec.label}）{example}"))

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
    problems += table_two_problems(values, lines, path)
    notice, date = values.get("notice_period"), values.get("date")
    if notice and date and notice.end < date:
        problems.append(Problem(
            path, lines["notice_period"], "notice_period",
            f"公示期 {notice.start} 至 {notice.end} 在发布日期 {date} 之前就已结束，公众看到时已无法"
            "提出意见：请核对公示期和发布日期", Severity.WARNING,
        ))
    if "attachments" in values:
        values["attachments"], attachment_problems = place_attachments(
            values["attachments"], path, lines["attachments"], config
        )
        problems += attachment_problems
    if BODY_PLACEHOLDER in split.body:
        problems.append(Problem(
            path, split.body_line + split.body[: split.body.index(BODY_PLACEHOLDER)].count("\n"),
            BODY_FIELD, f"正文还没有填写：请把「{BODY_PLACEHOLDER}」这一行换成正文",
        ))
    if problems and any(problem.is_error for problem in problems):
        return None, problems

    # The fields are named as the entry's attributes, and an absent field means the
    # attribute's default, save the publisher's.
    if "publisher" not in values:
        values["publisher"] = config.publisher
    entry = entry_of({**values, "path": path, "slug": slug, "body": split.body,
                      "body_line": split.body_line, "field_lines": lines})
    return entry, problems


def _field_values(
    raw: dict[str, tuple[Any, int]], path: str, config: DisclosureConfig, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, int]]:
    """Each field's value read from the parsed front matter, and each key's line; the
    problems of unknown keys and unusable values are added to `problems`."""
    values: dict[str, Any] = {}
    for key, (value, line) in raw.items():
        spec = FIELDS.get(key)
        if spec is None:
            import difflib  # only for a mistake: not on every command's path

            near = difflib.get_close_matches(key, list(FIELDS), n=1)
            hint = f"是否想写「{near[0]}」？" if near else f"可用字段：{'、'.join(FIELDS)}"
            problems.append(Problem(path, line, key, f"未知字段，已忽略。{hint}", Severity.WARNING))
            continue
        if _empty(value):
            continue
        try:
            values[key] = spec.parse(value, config)
        except FieldError as error:
            problems.append(Problem(path, line, key, str(error)))
    return values, {key: line for key, (_, line) in raw.items()}
