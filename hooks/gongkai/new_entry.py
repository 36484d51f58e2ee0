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
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from . import register
from .config import DisclosureConfig
from .entry_writer import yaml_text
from .fields import BODY_PLACEHOLDER, FIELDS, FieldError
from .privacy import find_personal_data, mask

# Optional fields written empty, so staff see what they may fill in.
OPTIONAL_FIELDS = ("doc_no", "written", "tags", "summary")


@dataclass(frozen=True)
class NewEntryRequest:
    """What staff asked for; None where they gave nothing (then they are asked)."""

    title: str | None = None
    category: str | None = None
    channels: str | None = None
    attach: tuple[str, ...] = ()
    """Files to copy beside the new entry as its attachments (paths as given on the command
    line, relative to the current folder)."""


@dataclass(frozen=True)
class CreatedEntry:
    path: Path
    index_no: str


class Cancelled(Exception):
    """Staff ended the questions (Ctrl+D / Ctrl+C)."""


def _choose(options: list[str], answer: str, single: bool) -> list[str] | str:
    """Options picked by their numbers (1-based, separated by commas, 、 or spaces), or why
    the answer was refused, said back to staff before they are asked again."""
    parts = [part for part in re.split(r"[\s,，、;；]+", answer.strip()) if part]
    numbers = f"1—{len(options)} 之间的编号"
    if not parts:
        return f"没有输入编号：请输入 {numbers}"
    for part in parts:
        if not (part.isascii() and part.isdigit()):
            return f"「{part}」不是编号：请输入 {numbers}（只写数字）"
        if not 1 <= int(part) <= len(options):
            return f"没有第 {part} 项：请输入 {numbers}"
    if single and len(set(parts)) > 1:
        return f"只能选一个：请只输入一个编号（{numbers}）"
    return [options[int(part) - 1] for part in dict.fromkeys(parts)]


def _ask_choice(
    options: list[str], prompt: str, single: bool,
    ask: Callable[[str], str], say: Callable[[str], None],
) -> list[str]:
    while True:
        chosen = _choose(options, ask(prompt), single)
        if isinstance(chosen, list):
            return chosen
        say(chosen)


def ask_missing(
    request: NewEntryRequest, config: DisclosureConfig,
    ask: Callable[[str], str] = input, say: Callable[[str], None] = print,
) -> NewEntryRequest:
    """Ask in Chinese for whatever the request lacks; categories and channels by number.
    An answer that cannot be used is refused with the reason, then asked again."""
    try:
        title = request.title
        while not (title and title.strip()):
            title = ask("标题：")
            if not title.strip():
                say("标题不能为空：请输入这条信息的标题")
        category = request.category
        categories = list(config.categories)
        if category is None:
            say("公开类别：\n" + "\n".join(f"  {n}. {name}" for n, name in enumerate(categories, 1)))
            category = _ask_choice(categories, "请输入编号：", True, ask, say)[0]
        channels = request.channels
        keys = list(config.channels)
        if channels is None:
            say("公开渠道（可多选）：\n" + "\n".join(
                f"  {n}. {key}（{config.channels[key]}）" for n, key in enumerate(keys, 1)
            ))
            channels = ",".join(
                _ask_choice(keys, "请输入编号，多个编号用逗号或空格分开：", False, ask, say)
            )
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
    names: set[str] = set()
    for file in request.attach:
        name = Path(file).name
        if not Path(file).is_file():
            messages.append(f"--attach：找不到文件「{file}」（或它不是文件）")
        elif name in names:
            messages.append(f"--attach：有两个附件都叫「{name}」，请改名")
        names.add(name)
    # The title goes into the register, which is committed and kept forever.
    for finding in find_personal_data(values.get("title") or "", config.masking):
        messages.append(f"--title（{FIELDS['title'].label}）：含有未去标识化的{finding.label}："
                        f"请改写为「{mask(finding, config.masking)}」")
    return values, messages


def entry_text(values: dict[str, Any], day: dt.date, index_no: str, config: DisclosureConfig,
               attachments: list[str] = ()) -> str:  # type: ignore[assignment]
    """The new file: front matter in the reader's format, and the placeholder body."""
    listed = ", ".join(json.dumps(file, ensure_ascii=False) for file in attachments)
    lines = [
        f"title: {yaml_text(values['title'])}",
        f"date: {day.isoformat()}",
        f"category: {yaml_text(values['category'])}",
        f"channels: [{', '.join(values['channels'])}]",
        f"index_no: {yaml_text(index_no)}",
        f"publisher: {yaml_text(config.publisher)}",
        *(f"{name}:" for name in OPTIONAL_FIELDS),
        *([f"attachments: [{listed}]"] if attachments else []),
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
    # Attachments go into a folder named after the entry, so that two entries' files of the
    # same name never meet; the entry lists them relative to itself.
    folder = path.with_suffix("")
    attachments = [f"{folder.name}/{Path(file).name}" for file in request.attach]
    try:
        with path.open("x", encoding="utf-8", newline="\n") as file:
            file.write(entry_text(values, day, index_no, config, attachments))
    except FileExistsError:
        return [f"{relative.as_posix()} 已存在，不会覆盖：请检查该文件，或删除后重试"]
    if request.attach:
        folder.mkdir(exist_ok=True)
        for source in request.attach:
            target = folder / Path(source).name
            if not target.exists():
                shutil.copyfile(source, target)
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
