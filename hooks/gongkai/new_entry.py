"""`gongkai new`: a new entry file with today's date, the publisher and the next 索引号.

The file is `<source_dir>/<year>/<date>-<serial>.md`, e.g. `disclosures/2026/2026-11-26-00042.md`.
File names are ASCII so that URLs stay readable and portable; a title is Chinese and there is
no ASCII form of it without a pinyin dictionary, so the name is made of the publish date and
the 索引号 serial instead — unique, stable, and sorted by date in a file browser.

The body is a placeholder that `gongkai check` refuses, so a file committed before its text
was pasted in cannot go public.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import register
from .config import DisclosureConfig
from .reader import BODY_PLACEHOLDER, FIELDS, FieldError, yaml_text

# Optional fields written empty, so staff see what they may fill in.
OPTIONAL_FIELDS = ("doc_no", "written", "tags", "summary")


@dataclass(frozen=True)
class NewEntryRequest:
    """What staff asked for; None where they gave nothing (then they are asked)."""

    title: str | None = None
    category: str | None = None
    channels: str | None = None


@dataclass(frozen=True)
class CreatedEntry:
    path: Path
    index_no: str


class Cancelled(Exception):
    """Staff ended the questions (Ctrl+D / Ctrl+C)."""


def _choose(options: list[str], answer: str) -> list[str] | None:
    """Options picked by their numbers (1-based, separated by commas, 、 or spaces)."""
    parts = [part for part in re.split(r"[\s,，、;；]+", answer.strip()) if part]
    if not parts or not all(p.isdigit() and 1 <= int(p) <= len(options) for p in parts):
        return None
    return [options[int(part) - 1] for part in dict.fromkeys(parts)]


def ask_missing(
    request: NewEntryRequest, config: DisclosureConfig,
    ask: Callable[[str], str] = input, say: Callable[[str], None] = print,
) -> NewEntryRequest:
    """Ask in Chinese for whatever the request lacks; categories and channels by number."""
    try:
        title = request.title
        while not (title and title.strip()):
            title = ask("标题：")
        category = request.category
        categories = list(config.categories)
        while category is None:
            say("公开类别：\n" + "\n".join(f"  {n}. {name}" for n, name in enumerate(categories, 1)))
            chosen = _choose(categories, ask("请输入编号："))
            category = chosen[0] if chosen and len(chosen) == 1 else None
        channels = request.channels
        keys = list(config.channels)
        while channels is None:
            say("公开渠道（可多选）：\n" + "\n".join(
                f"  {n}. {key}（{config.channels[key]}）" for n, key in enumerate(keys, 1)
            ))
            chosen = _choose(keys, ask("请输入编号，多个编号用逗号或空格分开："))
            channels = ",".join(chosen) if chosen else None
    except (EOFError, KeyboardInterrupt):
        raise Cancelled from None
    return replace(request, title=title, category=category, channels=channels)


def _validate(
    request: NewEntryRequest, config: DisclosureConfig
) -> tuple[dict[str, Any], list[str]]:
    """The parsed values, or messages naming the option, with the reader's own wording."""
    values: dict[str, Any] = {}
    messages: list[str] = []
    for option, value in (("title", request.title), ("category", request.category),
                          ("channels", request.channels)):
        spec = FIELDS[option]
        try:
            values[option] = spec.parse(value or "", config)
        except FieldError as error:
            messages.append(f"--{option}（{spec.label}）：{error}")
    return values, messages


def entry_text(values: dict[str, Any], day: dt.date, index_no: str, config: DisclosureConfig) -> str:
    """The new file: front matter in the reader's format, and the placeholder body."""
    lines = [
        f"title: {yaml_text(values['title'])}",
        f"date: {day.isoformat()}",
        f"category: {yaml_text(values['category'])}",
        f"channels: [{', '.join(values['channels'])}]",
        f"index_no: {yaml_text(index_no)}",
        f"publisher: {yaml_text(config.publisher)}",
        *(f"{name}:" for name in OPTIONAL_FIELDS),
    ]
    return "---\n" + "\n".join(lines) + "\n---\n" + BODY_PLACEHOLDER + "\n"


def create_entry(
    project_dir: Path, config: DisclosureConfig, day: dt.date, request: NewEntryRequest
) -> CreatedEntry | list[str]:
    """Write the new entry and register its 索引号; or the messages saying why not."""
    values, messages = _validate(request, config)
    if messages:
        return messages
    serial = register.next_serial(project_dir, config, day.year)
    if isinstance(serial, list):
        return [str(problem) for problem in serial]
    index_no = register.IndexPattern(config.index_pattern, config.org_code).format(day.year, serial)
    relative = new_entry_path(config, day, serial)
    path = project_dir / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(entry_text(values, day, index_no, config))
    except FileExistsError:
        return [f"{relative.as_posix()} 已存在，不会覆盖：请检查该文件，或删除后重试"]
    record_issued(project_dir, index_no, day.year, serial, day, relative, values["title"])
    return CreatedEntry(relative, index_no)


def new_entry_path(config: DisclosureConfig, day: dt.date, serial: int) -> Path:
    """Where a new entry of `day` with 索引号 serial `serial` is written (see the module doc)."""
    return Path(config.source_dir) / str(day.year) / f"{day.isoformat()}-{serial:05d}.md"


def record_issued(
    project_dir: Path, index_no: str, year: int, serial: int, registered: dt.date,
    relative: Path, title: str,
) -> None:
    """Enter an issued 索引号 in the register (also used by the editor's save)."""
    register.record(project_dir, {
        "索引号": index_no, "年度": str(year), "序号": str(serial),
        "登记日期": registered.isoformat(), "文件": relative.as_posix(), "标题": title,
    })
