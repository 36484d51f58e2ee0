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

The cache file holds each verdict in `marshal`'s format, which both the workers that judge
and the process that writes or reads the cache handle in C (JSON cost a fifth of a cold
check's verdict handling at 10,000 entries). `marshal` is not safe against crafted data,
so the file is read only when it carries a keyed hash (HMAC-SHA256) made with a random key
that lives outside every project, in the user's cache folder (`$XDG_CACHE_HOME/gongkai/`,
as Jupyter keeps the key it signs trusted notebooks with): a cache file committed to the repository, copied from elsewhere
or edited by hand is not authentic and is ignored, never loaded. Without that folder (no home,
read-only) the commands simply judge every file each time. Never pickle: nothing in a project
may be able to run code. A corrupt, foreign or stale cache is ignored and rewritten; it is
written to a temporary file and renamed, so an interrupted run never leaves half a cache. It
lives in `.gongkai-cache/`, which is git-ignored. Checks across files (duplicate 索引号, links,
related) always run on the entries, cached or not.

The build does not use it: in CI it starts without a cache anyway, reading is a small part
of a build, and what the public sees should never depend on state left by an earlier run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import operator
import os
import stat
import sys
import threading
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

from . import privacy
from .attachments import CACHE_FOLDER
from .config import DisclosureConfig
from .entry import (
    Attachment,
    Entry,
    NoticePeriod,
    PersonalDataAllowance,
    RelatedLink,
    entry_in_order,
)
from .links import Links
from .privacy import DayBounds
from .problems import Problem, Severity
from .screening import MarkdownSettings

CACHE_FILE = "verdicts.bin"
_OLD_CACHE_FILE = "verdicts.json"
"""Earlier versions' cache, removed when the new one is written."""
FORMAT = 4
_MAGIC = b"gongkai verdicts\n"
_MAC_SIZE = 32
KEY_FOLDER_VARIABLE = "XDG_CACHE_HOME"
_KEY_FILE = "cache-key"
# The libraries whose reading or judging of a text decides a verdict.
_LIBRARIES = ("PyYAML", "Markdown", "pymdown-extensions", "html5lib")
_DATE_FIELDS = ("date", "written", "repealed", "expires", "decided")
_ENTRY_FIELDS = tuple(item.name for item in fields(Entry))

FileKey = tuple[int, int, int, int]
"""size, mtime_ns, ctime_ns, inode: what git's index compares to see a file changed."""
Stored = tuple[FileKey, str, str, bytes]
"""A file's key, the first and last day (ISO) its verdict holds, and the verdict
(`encode_verdict`): one file's record in the cache."""


def file_key(status: os.stat_result) -> FileKey | None:
    """The key of a regular file; None for a link or anything else, which is never cached."""
    if not stat.S_ISREG(status.st_mode):
        return None
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino


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


# --- Verdicts in marshal's format ------------------------------------------------------------


_entry_values = operator.attrgetter(*_ENTRY_FIELDS)
"""All the fields' values of an entry, in declaration order, fetched in C."""
_AT = {name: index for index, name in enumerate(_ENTRY_FIELDS)}
_DATE_INDEXES = tuple(_AT[name] for name in _DATE_FIELDS)
_SEVERITIES = {severity.value: severity for severity in Severity}
_from_ordinal = dt.date.fromordinal


def _entry_values_of(entry: Entry, with_body: bool) -> list[Any]:
    """The entry's fields in declaration order as values marshal writes (entry.py is in the
    digest, so the order holds): dates as day numbers, the amount as text, the small
    dataclasses as tuples."""
    data: list[Any] = list(_entry_values(entry))
    if not with_body:
        data[_AT["body"]] = ""
    for index in _DATE_INDEXES:
        if data[index] is not None:
            data[index] = data[index].toordinal()
    if entry.fee_amount is not None:
        data[_AT["fee_amount"]] = str(entry.fee_amount)
    if entry.personal_data_allowed:
        data[_AT["personal_data_allowed"]] = tuple((item.value, item.reason)
                                                   for item in entry.personal_data_allowed)
    if entry.related:
        data[_AT["related"]] = tuple((link.index_no, link.relation) for link in entry.related)
    if entry.notice_period is not None:
        data[_AT["notice_period"]] = (entry.notice_period.start.toordinal(),
                                      entry.notice_period.end.toordinal())
    if entry.attachments:
        data[_AT["attachments"]] = tuple(
            (item.file, item.title, item.format, item.size, item.sha256)
            for item in entry.attachments)
    return data


_FEE, _ALLOWED, _RELATED, _NOTICE, _ATTACHED = (
    _AT[name] for name in ("fee_amount", "personal_data_allowed", "related", "notice_period",
                           "attachments"))


def _entry(data: list[Any]) -> Entry:
    """The entry of `_entry_values_of`'s values (a list marshal made, changed in place)."""
    for index in _DATE_INDEXES:
        if data[index] is not None:
            data[index] = _from_ordinal(data[index])
    if data[_FEE] is not None:
        from decimal import Decimal  # few entries have an amount: not on every command's path

        data[_FEE] = Decimal(data[_FEE])
    if data[_ALLOWED]:
        data[_ALLOWED] = tuple(PersonalDataAllowance(*item) for item in data[_ALLOWED])
    if data[_RELATED]:
        data[_RELATED] = tuple(RelatedLink(*item) for item in data[_RELATED])
    if data[_NOTICE] is not None:
        start, end = data[_NOTICE]
        data[_NOTICE] = NoticePeriod(_from_ordinal(start), _from_ordinal(end))
    if data[_ATTACHED]:
        data[_ATTACHED] = tuple(Attachment(*item) for item in data[_ATTACHED])
    return entry_in_order(data)


Verdict = tuple[Entry | None, list[Problem], list[Problem], str, Links | None]
"""entry (None when refused), problems, notes, the path as messages show it, and the links
of the body when the entry's body was dropped (None: the entry holds its body)."""


def _problem_values(problems: list[Problem]) -> tuple[tuple[Any, ...], ...]:
    return tuple((problem.path, problem.line, problem.field, problem.message,
                  problem.severity.value) for problem in problems)


def _problems(data: tuple[tuple[Any, ...], ...]) -> list[Problem]:
    return [Problem(path, line, field, message, _SEVERITIES[severity])
            for path, line, field, message, severity in data]


def encode_verdict(verdict: Verdict) -> bytes:
    """The verdict as the bytes the cache holds and workers send; its entry without the body
    when it carries the body's links."""
    entry, problems, notes, shown_path, links = verdict
    return marshal.dumps((None if entry is None else _entry_values_of(entry, links is None),
                          _problem_values(problems), _problem_values(notes), shown_path, links))


def decode_verdict(data: bytes) -> Verdict:
    """The verdict `encode_verdict` made, from this process or a worker of it, or from a
    cache file whose keyed hash proved it is one this user's commands wrote."""
    entry, problems, notes, shown_path, links = marshal.loads(data)
    return (None if entry is None else _entry(entry), _problems(problems), _problems(notes),
            shown_path, links)


def stored_record(key: FileKey, days: DayBounds, verdict: bytes) -> Stored:
    return key, days.first.isoformat(), days.last.isoformat(), verdict


# --- The cache file --------------------------------------------------------------------------


def _key_folder() -> Path:
    return Path(os.environ.get(KEY_FOLDER_VARIABLE) or Path.home() / ".cache") / "gongkai"


def cache_key() -> bytes | None:
    """This user's key for the cache files' keyed hash, made on first use; None when it can
    be neither read nor made (the cache is then not used)."""
    try:
        path = _key_folder() / _KEY_FILE
        with contextlib.suppress(FileNotFoundError):
            key = path.read_bytes()
            return key if len(key) == _MAC_SIZE else None
        path.parent.mkdir(parents=True, exist_ok=True)
        made = path.with_name(f"{_KEY_FILE}.{os.getpid()}.tmp")
        descriptor = os.open(made, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(descriptor, "wb") as out:
                out.write(os.urandom(_MAC_SIZE))
            with contextlib.suppress(FileExistsError):  # another command made it first
                os.link(made, path)  # never a half-written key: linked once complete
        finally:
            made.unlink(missing_ok=True)
        key = path.read_bytes()
        return key if len(key) == _MAC_SIZE else None
    except (OSError, RuntimeError):  # RuntimeError: Path.home() without a home
        return None


def _mac(key: bytes, payload: bytes | memoryview) -> bytes:
    import hmac  # OpenSSL's SHA-256: twice BLAKE2b's speed on processors with SHA extensions

    return hmac.digest(key, payload, "sha256")


def read_cache_file(path: Path, key: bytes | None) -> tuple[str, dict[str, Stored]] | None:
    """The digest and the records of the cache file at `path`, when it is one of ours and
    made with `key`; else None, without ever unmarshalling what is not proven ours."""
    if key is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    import hmac

    start = len(_MAGIC) + _MAC_SIZE
    if not data.startswith(_MAGIC) or not hmac.compare_digest(
            data[len(_MAGIC):start], _mac(key, memoryview(data)[start:])):
        return None
    try:
        version, digest, files = marshal.loads(memoryview(data)[start:])
    except (ValueError, TypeError, EOFError):
        return None
    if version != FORMAT or not isinstance(digest, str) or not isinstance(files, dict):
        return None
    return digest, files


def write_cache_file(path: Path, key: bytes, digest: str, files: dict[str, Stored]) -> None:
    """Write the cache file atomically (a temporary file renamed), with its keyed hash."""
    payload = marshal.dumps((FORMAT, digest, files))
    with contextlib.suppress(OSError):
        path.parent.mkdir(exist_ok=True)
        ignore = path.parent / ".gitignore"
        if not ignore.exists():
            ignore.write_text("*\n", "utf-8")  # never committed, whatever .gitignore says
        temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            with open(temporary, "wb") as out:  # in two writes: no copy of the payload
                out.write(_MAGIC + _mac(key, payload))
                out.write(payload)
            os.replace(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
        (path.parent / _OLD_CACHE_FILE).unlink(missing_ok=True)


class VerdictCache:
    """Verdicts by file name, for one set of rules (`digest`)."""

    def __init__(self, project_dir: Path, rules: str | Callable[[], str]):
        """`rules`: the digest of the rules (`rules_digest`), or a function making it, called
        only when a stored cache is there to compare with, or by `make_digest` or `save`: a
        fresh clone has no cache, and its command makes the digest while workers judge."""
        self.path = project_dir / CACHE_FOLDER / CACHE_FILE
        self._rules = rules
        self._key = cache_key()
        self._stored: dict[str, Stored] = {}
        self._used: dict[str, Stored] = {}
        self._changed = False
        self._saving: threading.Thread | None = None
        self._failure: Exception | None = None
        found = read_cache_file(self.path, self._key)
        if found is not None and found[0] == self.digest:
            self._stored = found[1]

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
        if not isinstance(stored, tuple) or len(stored) != 4 or stored[0] != key:
            return None
        try:
            _, first, last, verdict = stored
            if not first <= privacy.today().isoformat() <= last:  # ISO dates sort as text
                return None
            found = decode_verdict(verdict)
        except (ValueError, TypeError, KeyError, IndexError, EOFError):
            return None
        self._used[name] = stored
        return found

    def put(self, name: str, record: Stored) -> None:
        """Keep the verdict of a file judged in this run (`stored_record`)."""
        self._used[name] = record
        self._changed = True

    def save(self) -> None:
        """Write what this run used (a deleted file's verdict goes), when anything changed."""
        if not self._changed and len(self._used) == len(self._stored):  # nothing judged
            return
        if self._key is not None:
            write_cache_file(self.path, self._key, self.digest, self._used)

    def save_meanwhile(self) -> None:
        """`save` in a thread, while this one does the checks across files and of timing:
        hashing and writing the cache release the GIL (16 MB at 30,000 entries, tens of
        milliseconds of the command's serial end). `wait_saved` must follow."""
        self._saving = threading.Thread(target=self._save_noting_failure, name="gongkai-cache")
        self._saving.start()

    def _save_noting_failure(self) -> None:
        try:
            self.save()
        except Exception as error:  # noqa: BLE001 (raised again by wait_saved)
            self._failure = error

    def wait_saved(self) -> None:
        """Once the cache is written (`save_meanwhile`); raises what writing it raised."""
        if self._saving is not None:
            self._saving.join()
            self._saving = None
        if self._failure is not None:
            raise self._failure
