"""All entries of a project, read once per build and shared by every output.

Also the checks that need more than one file (a 索引号 must be unique) and the selection of
what is public on a given day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from .config import DisclosureConfig
from .entry import Entry
from .problems import Problem, Severity
from .reader import read_entry

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

    def published(self, today: dt.date) -> list[Entry]:
        """Entries the public may see on `today`, newest first."""
        return [entry for entry in self.entries if entry.is_published(today)]

    def pending(self, today: dt.date) -> list[Entry]:
        """Valid entries not yet public: drafts and those dated after `today`."""
        return [entry for entry in self.entries if not entry.is_published(today)]


def _newest_first(entry: Entry) -> tuple[int, str]:
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


def load_corpus(project_dir: Path, config: DisclosureConfig) -> Corpus:
    """Read and check every entry file under the configured source folder."""
    source = project_dir / config.source_dir
    if not source.is_dir():
        return Corpus([], [Problem(
            config.source_dir, 0, "文件夹", "找不到存放公开信息的文件夹，网站上将没有任何条目",
            Severity.WARNING,
        )])
    entries: list[Entry] = []
    problems: list[Problem] = []
    rejected: list[str] = []
    for file in sorted(source.rglob("*")):
        if not file.is_file() or any(p.startswith(".") for p in file.relative_to(source).parts):
            continue
        relative = file.relative_to(project_dir).as_posix()
        suffix = file.suffix.lower()
        if file.suffix != ENTRY_SUFFIX:
            if suffix == ENTRY_SUFFIX or suffix in _LOOKALIKE_SUFFIXES:
                problems.append(Problem(
                    relative, 0, "文件名", "不是以 .md 结尾的文件，不会发布：请把扩展名改为 .md",
                    Severity.WARNING,
                ))
            continue
        slug = file.relative_to(source).as_posix().removesuffix(ENTRY_SUFFIX)
        entry, file_problems = read_entry(file.read_bytes(), relative, slug, config)
        problems.extend(file_problems)
        if entry is None:
            rejected.append(relative)
        else:
            entries.append(entry)
    entries, duplicate_problems = _check_unique_index_numbers(entries)
    problems.extend(duplicate_problems)
    rejected.extend(problem.path for problem in duplicate_problems)
    entries.sort(key=_newest_first)
    return Corpus(entries, sorted(problems, key=Problem.sort_key), sorted(rejected))
