"""All entries of a project, read once per build and shared by every output.

Also the checks that need more than one file (a 索引号 must be unique, a `related` link must
lead to an entry that is public whenever its source is), the screening of each
entry's text (personal data, active content) and the selection of what is public on a given day.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .attachments import InspectionCache, check_entry_attachments
from .config import DisclosureConfig, read_docs_dir
from .entry import Entry
from .links import LinkChecker
from .listings import entry_uri
from .problems import Problem, Severity
from .reader import body_entry, read_entry
from .screening import BODY_FIELD, TextScreen, project_screen, screen_entry

ENTRY_SUFFIX = ".md"
# Suffixes of files staff may have meant as entries; anything else (attachments) is left alone.
_LOOKALIKE_SUFFIXES = {".markdown", ".mdown", ".txt"}


@dataclass
class Corpus:
    """The valid entries, sorted newest first, and every problem found on the way."""

    entries: list[Entry]
    problems: list[Problem] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    """Paths of files left out because of an error."""
    notes: list[Problem] = field(default_factory=list)
    """Personal data published on purpose with a written reason: reported for the record
    (the build logs them at INFO level), never failing a build."""
    inspections: InspectionCache | None = None
    """The attachments' inspection results, which hold their text for search."""

    def published(self, today: dt.date) -> list[Entry]:
        """Entries the public may see on `today`, newest first."""
        return [entry for entry in self.entries if entry.is_published(today)]

    def on_site(self, today: dt.date, site_channel: str) -> list[Entry]:
        """Entries published on `today` through this site's own channel: the only ones that
        become pages, listings, search results, feed items or open-data rows. The others
        were disclosed offline (a notice board, a broadcast) and are only counted."""
        return [entry for entry in self.entries if entry.is_on_site(today, site_channel)]

    def pending(self, today: dt.date) -> list[Entry]:
        """Valid entries not yet public: drafts and those dated after `today`."""
        return [entry for entry in self.entries if not entry.is_published(today)]


def newest_first(entry: Entry) -> tuple[int, str]:
    return (-entry.date.toordinal(), entry.path)


def _check_unique_index_numbers(entries: list[Entry]) -> tuple[list[Entry], list[Problem]]:
    """Keep the first file (by path) holding each 索引号; the others are errors naming it."""
    first_by_number: dict[str, Entry] = {}
    kept: list[Entry] = []
    problems: list[Problem] = []
    for entry in sorted(entries, key=lambda e: e.path):
        if entry.index_no is None:
            kept.append(entry)
            continue
        first = first_by_number.setdefault(entry.index_no, entry)
        if first is entry:
            kept.append(entry)
        else:
            problems.append(Problem(
                entry.path, entry.line_of("index_no"), "index_no",
                f"索引号「{entry.index_no}」与 {first.path}:{first.line_of('index_no')} 重复："
                "索引号必须唯一，请改用新的索引号",
            ))
    return kept, problems


def _related_problem(entry: Entry, index_no: str, by_number: dict[str, Entry]) -> str | None:
    """Why `entry`'s link to `index_no` cannot be shown, or None when it can."""
    target = by_number.get(index_no)
    if target is None:
        return f"关联的索引号「{index_no}」不存在（或该文件有错误未发布）：请核对索引号"
    if target is entry:
        return "不能关联本文自己"
    # Both conditions hold whatever the build day: when `entry` is public, so is its target.
    if target.draft and not entry.draft:
        return f"关联的「{target.title}」（{target.path}）是草稿，尚未公开：请先发布它，或删除这条关联"
    if target.date > entry.date:
        return (
            f"关联的「{target.title}」（{target.path}）发布日期 {target.date} 晚于本文的 "
            f"{entry.date}，本文发布时它还看不到：请在后发布的那条信息中填写关联"
            "（网站会在两条信息上都显示）"
        )
    return None


def _check_related_links(entries: list[Entry]) -> tuple[list[Entry], list[Problem]]:
    """Drop entries whose `related` links lead nowhere public; repeat, since a dropped entry
    may be the target of another link."""
    problems: list[Problem] = []
    while True:
        by_number = {entry.index_no: entry for entry in entries if entry.index_no}
        found = [
            Problem(entry.path, entry.line_of("related"), "related", message)
            for entry in entries for link in entry.related
            if (message := _related_problem(entry, link.index_no, by_number)) is not None
        ]
        if not found:
            return entries, problems
        problems.extend(found)
        broken = {problem.path for problem in found}
        entries = [entry for entry in entries if entry.path not in broken]


def _check_body_links(entries: list[Entry], links: LinkChecker
                      ) -> tuple[list[Entry], list[Problem]]:
    """Drop entries with a body link that leads nowhere; repeat, since a dropped entry may be
    the target of another link."""
    problems: list[Problem] = []
    while True:
        by_uri = {entry_uri(entry): entry for entry in entries}
        found = [problem for entry in entries for problem in links.problems(entry, by_uri)]
        if not found:
            return entries, problems
        problems.extend(found)
        broken = {problem.path for problem in found}
        entries = [entry for entry in entries if entry.path not in broken]


def _source_files(source: Path) -> Iterator[str]:
    """Paths relative to `source` of every file under it, sorted, hidden ones left out.

    `os.walk` on strings rather than `Path.rglob`: at ten thousand files the path objects
    were a fifth of `gongkai check`'s time.
    """
    found: list[str] = []
    for folder, subfolders, names in os.walk(source):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        relative = os.path.relpath(folder, source)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        found.extend(prefix + name for name in names if not name.startswith("."))
    return iter(sorted(found))


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """Reading makes many objects and no reference cycles; the cycle collector's repeated
    passes over all of them cost `gongkai check` about a tenth of its time at 10,000 files."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _unreadable_message(error: OSError) -> str:
    reason = (
        "文件不存在（多半是指向已删除文件的链接）" if isinstance(error, FileNotFoundError)
        else "没有读取权限" if isinstance(error, PermissionError)
        else "这是一个文件夹，不是文件" if isinstance(error, IsADirectoryError)
        else f"系统错误：{error.strerror or type(error).__name__}"
    )
    return f"无法读取此文件（{reason}），不会发布：请检查该文件，或把它删除"


def _screen_body_only(data: bytes, path: str, name: str, config: DisclosureConfig,
                      screen: TextScreen) -> list[Problem]:
    """The body findings (personal numbers, active content) of a file refused for its front
    matter: reported now, not only after the front matter is fixed."""
    stand_in = body_entry(data, path, name.removesuffix(ENTRY_SUFFIX), config)
    if stand_in is None:
        return []
    problems, _ = screen_entry(stand_in, config, screen=screen)
    return [problem for problem in problems if problem.field == BODY_FIELD]


def _screen(entry: Entry, project_dir: Path, config: DisclosureConfig,
            inspections: InspectionCache, screen: TextScreen
            ) -> tuple[Entry, list[Problem], list[Problem]]:
    """The entry's text and attachments checked: the entry with its attachments' format, size
    and hash filled in, its problems, and its notes of personal data published on purpose."""
    if not entry.attachments:
        return entry, *screen_entry(entry, config, screen=screen)
    attached = check_entry_attachments(entry, project_dir, config, inspections)
    problems, notes = screen_entry(entry, config, frozenset(attached.allowances_used), screen)
    return (replace(entry, attachments=attached.attachments),
            problems + attached.problems, notes + attached.notes)


def load_corpus(project_dir: Path, config: DisclosureConfig, docs_dir: Path | None = None,
                screen: TextScreen | None = None) -> Corpus:
    """Read and check every entry file under the configured source folder. `docs_dir` (the
    site's pages, which bodies may link to) defaults to mkdocs.yml's; `screen` judges the
    texts with the site's Markdown settings, by default those of the project's mkdocs.yml."""
    if docs_dir is None:
        docs_dir = project_dir / read_docs_dir(project_dir)
    with _without_cycle_collection():
        return _load_corpus(project_dir, config, docs_dir, screen or project_screen(project_dir))


def _load_corpus(project_dir: Path, config: DisclosureConfig, docs_dir: Path,
                 screen: TextScreen) -> Corpus:
    source = project_dir / config.source_dir
    if not source.is_dir():
        return Corpus([], [Problem(
            config.source_dir, 0, "文件夹", "找不到存放公开信息的文件夹，网站上将没有任何条目",
            Severity.WARNING,
        )])
    entries: list[Entry] = []
    problems: list[Problem] = []
    notes: list[Problem] = []
    rejected: list[str] = []
    lookalikes: list[Problem] = []
    listed: set[str] = set()
    """Every file some entry lists as an attachment (a .txt one is not a misnamed entry)."""
    inspections = InspectionCache(project_dir)
    source_prefix = Path(config.source_dir).as_posix().rstrip("/") + "/"
    for name in _source_files(source):
        relative = source_prefix + name
        suffix = os.path.splitext(name)[1]
        if suffix != ENTRY_SUFFIX:
            if suffix.lower() == ENTRY_SUFFIX or suffix.lower() in _LOOKALIKE_SUFFIXES:
                lookalikes.append(Problem(
                    relative, 0, "文件名", "不是以 .md 结尾的文件，不会发布：请把扩展名改为 .md",
                    Severity.WARNING,
                ))
            continue
        try:
            data = (source / name).read_bytes()
        except OSError as error:  # a broken link, a folder named x.md, no permission
            problems.append(Problem(relative, 0, "文件", _unreadable_message(error)))
            rejected.append(relative)
            continue
        entry, file_problems = read_entry(data, relative, name.removesuffix(ENTRY_SUFFIX), config)
        if entry is not None:
            listed.update(attachment.file for attachment in entry.attachments)
            entry, screen_problems, screen_notes = _screen(entry, project_dir, config, inspections,
                                                           screen)
            file_problems += screen_problems
            notes += screen_notes
            if any(problem.is_error for problem in screen_problems):
                entry = None
        else:
            file_problems += _screen_body_only(data, relative, name, config, screen)
        problems.extend(file_problems)
        if entry is None:
            rejected.append(relative)
        else:
            entries.append(entry)
    entries, duplicate_problems = _check_unique_index_numbers(entries)
    problems.extend(duplicate_problems)
    rejected.extend(problem.path for problem in duplicate_problems)
    entries, related_problems = _check_related_links(entries)
    problems.extend(related_problems)
    rejected.extend(dict.fromkeys(problem.path for problem in related_problems))
    entries, link_problems = _check_body_links(entries, LinkChecker(project_dir, config, docs_dir))
    problems.extend(link_problems)
    rejected.extend(dict.fromkeys(problem.path for problem in link_problems))
    problems.extend(problem for problem in lookalikes if problem.path not in listed)
    inspections.save()
    entries.sort(key=newest_first)
    return Corpus(entries, sorted(problems, key=Problem.sort_key), sorted(rejected), notes,
                  inspections)
