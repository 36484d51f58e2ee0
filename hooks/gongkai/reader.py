"""Reading one disclosure file: bytes → front matter and body → a validated `Entry`.

Front matter is parsed here rather than by MkDocs, which silently drops broken front matter.
Every problem in the file is collected, each with the line of the field it concerns. The
steps live beside: front_matter.py decodes, splits and parses; fields.py holds the schema.
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any

from .config import DisclosureConfig
from .entry import DEFAULT_VALIDITY, Entry, PersonalDataAllowance
from .fields import (
    BODY_FIELD,
    BODY_PLACEHOLDER,
    FIELDS,
    FieldError,
    allowances,
    place_attachments,
    table_two_problems,
)
from .front_matter import Split, decode, full_width_slips, parse_front_matter, split_front_matter
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


def _read_fields(
    front_matter: str, split: Split, path: str, slug: str, config: DisclosureConfig
) -> tuple[Entry | None, list[Problem]]:
    raw, problems = parse_front_matter(front_matter, path)
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
    for key, spec in _REQUIRED_FIELDS:
        if key not in values and not any(p.field == key for p in problems):
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
