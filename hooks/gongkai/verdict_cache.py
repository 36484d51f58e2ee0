"""Each entry file's verdict kept between runs of the commands, so a repeated `gongkai check`
re-reads only the files that changed (issue 13: within 1 s at 10,000 entries).

A verdict (the Entry read from the file, its problems and notes) is reused only when
- the file is the same as git's index would judge it: a regular file (not a link) of the same
  size, mtime, ctime and inode; and
- nothing else that can change a verdict has changed: the package's own source (the rules),
  the settings, the Markdown settings, the versions of Python and of the libraries that read
  and judge the text (`rules_digest`); and
- today lies within the verdict's day bounds: a number is an ID number only once its birth
  date has passed (privacy.py), so a verdict is kept with the days on which each such test
  made while judging it comes out the same (`DayBounds`) — for nearly every file, all days,
  so the first check of a morning is not a cold one.
Files that name attachments are never cached: their verdict also depends on the attached
files (whose inspection has its own cache by content, attachments.py). A verdict holds its
entry without the body, and the body's links instead (links.py `links_in`): that is all the
commands and the checks across files use of it, and bodies made the cache 62 MB at 10,000
county entries, a write the first run paid.

The cache is JSON, never pickle (a file in the project must not be able to run code); a
corrupt or foreign one is ignored and rewritten; it is written to a temporary file and
renamed, so an interrupted run never leaves half a cache. It lives in `.gongkai-cache/`,
which is git-ignored. Checks across files (duplicate 索引号, links, related) always run on
the entries, cached or not.

The build does not use it: in CI it starts without a cache anyway, reading is a small part
of a build, and what the public sees should never depend on state left by an earlier run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import operator
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import fields
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import privacy
from .attachments import CACHE_FOLDER
from .config import DisclosureConfig
from .entry import Attachment, Entry, NoticePeriod, PersonalDataAllowance, RelatedLink
from .links import Links
from .privacy import DayBounds
from .problems import Problem, Severity
from .screening import MarkdownSettings

CACHE_FILE = "verdicts.json"
FORMAT = 3
# The libraries whose reading or judging of a text decides a verdict.
_LIBRARIES = ("PyYAML", "Markdown", "pymdown-extensions", "html5lib")
_DATE_FIELDS = ("date", "written", "repealed", "expires", "decided")
_ENTRY_FIELDS = tuple(item.name for item in fields(Entry))

FileKey = list[int]
"""size, mtime_ns, ctime_ns, inode: what git's index compares to see a file changed."""


def file_key(status: os.stat_result) -> FileKey | None:
    """The key of a regular file; None for a link or anything else, which is never cached."""
    if not stat.S_ISREG(status.st_mode):
        return None
    return [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino]


def _library_version(name: str) -> str:
    from importlib import metadata  # 10 ms to import: only when a digest is made

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def rules_digest(config: DisclosureConfig, markdown: MarkdownSettings,
                 package_dir: Path = Path(__file__).parent) -> str:
    """Changes whenever anything but the file itself could change a file's verdict."""
    import hashlib  # here: OpenSSL's loading was on every command's path before its workers

    digest = hashlib.sha256(
        f"{FORMAT}\n{sys.version}\n{config!r}\n{markdown!r}\n".encode()
    )
    for library in _LIBRARIES:
        digest.update(f"{library}={_library_version(library)}\n".encode())
    for source in sorted(package_dir.rglob("*.py")):
        digest.update(source.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(source.read_bytes())
    return digest.hexdigest()


# --- Verdicts as JSON ------------------------------------------------------------------------


def _problem_json(problem: Problem) -> list[Any]:
    return [problem.path, problem.line, problem.field, problem.message, problem.severity.value]


def _problem(data: list[Any]) -> Problem:
    path, line, field, message, severity = data
    return Problem(path, line, field, message, Severity(severity))


_entry_values = operator.attrgetter(*_ENTRY_FIELDS)
"""All the fields' values of an entry, in declaration order, fetched in C."""
_AT = {name: index for index, name in enumerate(_ENTRY_FIELDS)}
_DATE_INDEXES = tuple(_AT[name] for name in _DATE_FIELDS)


def _entry_json(entry: Entry, with_body: bool) -> list[Any]:
    """The entry's fields in declaration order: a list, since ten thousand copies of the
    names cost more to read than the values (entry.py is in the digest, so the order holds)."""
    data: list[Any] = list(_entry_values(entry))
    if not with_body:
        data[_AT["body"]] = ""
    for index in _DATE_INDEXES:
        if data[index] is not None:
            data[index] = data[index].isoformat()
    if entry.fee_amount is not None:
        data[_AT["fee_amount"]] = str(entry.fee_amount)
    data[_AT["personal_data_allowed"]] = [[item.value, item.reason]
                                          for item in entry.personal_data_allowed]
    data[_AT["related"]] = [[link.index_no, link.relation] for link in entry.related]
    if entry.notice_period is not None:
        data[_AT["notice_period"]] = [entry.notice_period.start.isoformat(),
                                      entry.notice_period.end.isoformat()]
    data[_AT["attachments"]] = [[item.file, item.title, item.format, item.size, item.sha256]
                                for item in entry.attachments]
    return data


def _entry(data: list[Any]) -> Entry:
    values = dict(zip(_ENTRY_FIELDS, data, strict=True))
    for name in _DATE_FIELDS:
        if values[name] is not None:
            values[name] = dt.date.fromisoformat(values[name])
    if values["fee_amount"] is not None:
        values["fee_amount"] = Decimal(values["fee_amount"])
    values["channels"] = tuple(values["channels"])
    values["tags"] = tuple(values["tags"])
    if values["personal_data_allowed"]:
        values["personal_data_allowed"] = tuple(PersonalDataAllowance(*item)
                                                for item in values["personal_data_allowed"])
    else:
        values["personal_data_allowed"] = ()
    values["related"] = tuple(RelatedLink(*item) for item in values["related"])
    if values["notice_period"] is not None:
        start, end = values["notice_period"]
        values["notice_period"] = NoticePeriod(dt.date.fromisoformat(start),
                                               dt.date.fromisoformat(end))
    values["attachments"] = tuple(Attachment(*item) for item in values["attachments"])
    # Not `Entry(**values)`: a frozen dataclass's __init__ sets each of its thirty fields
    # through object.__setattr__, a third of reading ten thousand verdicts. Every field is
    # here (strict zip above) and Entry has no __post_init__, so the result is the same.
    entry = object.__new__(Entry)
    entry.__dict__.update(values)
    return entry


Verdict = tuple[Entry | None, list[Problem], list[Problem], str, Links | None]
"""entry (None when refused), problems, notes, the path as messages show it, and the links
of the body when the entry's body was dropped (None: the entry holds its body)."""


def verdict_json(verdict: Verdict) -> list[Any]:
    """The verdict as JSON values; its entry without the body when it carries the links."""
    entry, problems, notes, shown_path, links = verdict
    return [None if entry is None else _entry_json(entry, with_body=links is None),
            [_problem_json(problem) for problem in problems],
            [_problem_json(note) for note in notes], shown_path,
            None if links is None else [list(link) for link in links]]


def verdict_from_json(data: list[Any]) -> Verdict:
    entry, problems, notes, shown_path, links = data
    return (None if entry is None else _entry(entry), [_problem(item) for item in problems],
            [_problem(item) for item in notes], shown_path,
            None if links is None else tuple((offset, target) for offset, target in links))


_dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
"""Compact JSON text of `value`. One encoder for every call: `json.dumps` with options makes
a new one each time, which cost a tenth of encoding a verdict."""


def _days_json(days: DayBounds) -> list[str]:
    return [days.first.isoformat(), days.last.isoformat()]


def encode_verdict(verdict: Verdict) -> str:
    """The verdict as the JSON text the cache file holds (`cache_member`)."""
    return _dumps(verdict_json(verdict))


def cache_member(name: str, key: FileKey, verdict: str, days: DayBounds) -> bytes:
    """The `"name":[key,verdict,days]` member of the cache file's files object, in UTF-8,
    for the verdict as `encode_verdict` gave it: made where the file was judged, so the
    process that writes the cache only joins the members."""
    # Written out by hand: json.dumps of the key and days was most of this, 10,000 times.
    return (f"{_dumps(name)}:[[{','.join(map(str, key))}],{verdict},"
            f'["{days.first.isoformat()}","{days.last.isoformat()}"]]').encode()


class VerdictCache:
    """Verdicts by file name, for one set of rules (`digest`)."""

    def __init__(self, project_dir: Path, rules: str | Callable[[], str]):
        """`rules`: the digest of the rules (`rules_digest`), or a function making it, called
        only when a stored cache is there to compare with, or by `make_digest` or `save`: a
        fresh clone has no cache, and its command makes the digest while workers judge."""
        self.path = project_dir / CACHE_FOLDER / CACHE_FILE
        self._rules = rules
        self._stored: dict[str, list[Any]] = {}
        self._used: dict[str, list[Any]] = {}
        self._encoded: dict[str, bytes] = {}
        """Verdicts judged in worker processes: the `"name":[…]` members they made."""
        self._changed = False
        with contextlib.suppress(OSError, ValueError, TypeError, KeyError, AttributeError):
            stored = json.loads(self.path.read_bytes())
            if stored["format"] == FORMAT and stored["digest"] == self.digest:
                self._stored = stored["files"]
                if not isinstance(self._stored, dict):
                    self._stored = {}

    @property
    def digest(self) -> str:
        if not isinstance(self._rules, str):
            self._rules = self._rules()
        return self._rules

    def make_digest(self) -> None:
        """Make the digest now, when this process has time for it (`save` needs it)."""
        self._rules = self.digest

    @property
    def is_empty(self) -> bool:
        """No stored verdict to reuse (the first run, or the rules changed)."""
        return not self._stored

    def get(self, name: str, key: FileKey) -> Verdict | None:
        """The verdict stored for `name` when the file is unchanged, else None."""
        stored = self._stored.get(name)
        if not isinstance(stored, list) or len(stored) != 3 or stored[0] != key:
            return None
        try:
            first, last = stored[2]
            if not first <= privacy.today().isoformat() <= last:  # ISO dates sort as text
                return None
            verdict = verdict_from_json(stored[1])
        except (ValueError, TypeError, KeyError, AttributeError):
            return None
        self._used[name] = stored
        return verdict

    def put_json(self, name: str, key: FileKey, verdict: list[Any], days: DayBounds) -> None:
        """Keep a verdict already in its JSON form (verdict_json), for the days it holds."""
        self._used[name] = [key, verdict, _days_json(days)]
        self._changed = True

    def put_member(self, name: str, member: bytes) -> None:
        """Keep a verdict judged in a worker process, as the `"name":[…]` member of the
        files object the cache file holds (`cache_member`): written out as it is."""
        self._encoded[name] = member
        self._changed = True

    def save(self) -> None:
        """Write what this run used (a deleted file's verdict goes), when anything changed."""
        if not self._changed and len(self._used) == len(self._stored):  # nothing judged
            return
        used = _dumps({name: value for name, value in self._used.items()
                       if name not in self._encoded}).encode()
        parts = [f'{{"format":{FORMAT},"digest":{_dumps(self.digest)},"files":'.encode(),
                 used[:-1]]
        if self._encoded:
            parts += [b"," if len(used) > 2 else b"", b",".join(self._encoded.values())]
        data = b"".join([*parts, b"}}"])
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(exist_ok=True)
            ignore = self.path.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", "utf-8")  # never committed, whatever .gitignore says
            temporary = self.path.with_name(f"{CACHE_FILE}.{os.getpid()}.tmp")
            try:
                temporary.write_bytes(data)
                os.replace(temporary, self.path)
            finally:
                temporary.unlink(missing_ok=True)
