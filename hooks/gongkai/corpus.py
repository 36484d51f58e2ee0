"""All entries of a project, read once per build and shared by every output.

Also the checks that need more than one file (a 索引号 must be unique, a `related` link must
lead to an entry that is public whenever its source is), the screening of each
entry's text (personal data, active content) and the selection of what is public on a given day.
"""

from __future__ import annotations

import datetime as dt
import errno
import gc
import os
import re
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from operator import attrgetter
from pathlib import Path

from .attachments import InspectionCache, check_entry_attachments
from .config import DisclosureConfig, read_docs_dir
from .entry import Entry
from .links import LinkChecker, Links, links_in, site_files
from .listings import entry_uri
from .privacy import (
    DayBounds,
    find_personal_data,
    mask,
    may_hold_personal_data,
    recording_day_bounds,
)
from .problems import Problem, Severity
from .reader import body_entry, read_entry
from .screening import BODY_FIELD, BodyMarks, TextScreen, body_marks, project_screen, screen_entry
from .urls import ENTRY_URI_PREFIX
from .verdict_cache import (
    FileKey,
    Stored,
    Verdict,
    VerdictCache,
    decode_verdict,
    encode_verdict,
    file_key,
    stored_record,
)
from .workers import MAX_TASKS, run_in_order

ENTRY_SUFFIX = ".md"
# Suffixes of files staff may have meant as entries; anything else (attachments) is left alone.
_LOOKALIKE_SUFFIXES = {".markdown", ".mdown", ".txt"}
# Characters that change what a URL means or need escaping in one of the places a link is
# written (pages, feeds, sitemap, open data, the search index): `#` starts a fragment, `?` a
# query, `%` an escape, … Refused rather than escaped: the file name is the address printed
# in notices, and one writer that forgot to escape would publish a broken link.
_URL_UNSAFE = re.compile(r'[#?%&+;\\"\'<>`{}|^\[\]\s\x00-\x1f\x7f]')
# Python-Markdown's link and HTML parsing cost grows with the square (or worse) of the number
# of `[` left open and of `<tag` starts left unclosed: 1,000 unmatched `[` take seconds, 40,000
# take hours. Bodies with more than these are refused before Markdown sees them.
MAX_OPEN_BRACKETS = 50
MAX_BRACKET_DEPTH = 10
MAX_UNCLOSED_TAGS = 200
_UNCLOSED_TAG = re.compile(r"<[A-Za-z!/?][^<>]*(?=<|\Z)")
# MkDocs publishes a.md at a/ and a/index.md (or a/README.md) at a/ too.
_INDEX_NAMES = ("index", "README")
_PATH, _SLUG, _INDEX_NO, _RELATED, _BODY = (
    attrgetter(name) for name in ("path", "slug", "index_no", "related", "body"))
# A file whose bytes hold this may name attachments: its verdict is never cached.
_ATTACHMENTS = b"attachments"


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
    numbers = [number for number in map(_INDEX_NO, entries) if number is not None]
    if len(set(numbers)) == len(numbers):  # nearly always: found in C
        return entries, []
    first_by_number: dict[str, Entry] = {}
    kept: list[Entry] = []
    problems: list[Problem] = []
    for entry in sorted(entries, key=_PATH):
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
    if not any(map(_RELATED, entries)):  # most projects link no entry to another
        return entries, problems
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


def _check_body_links(entries: list[Entry], links: LinkChecker, links_of: dict[str, Links]
                      ) -> tuple[list[Entry], list[Problem]]:
    """Drop entries with a body link that leads nowhere; repeat, since a dropped entry may be
    the target of another link. `links_of`: the links of entries kept without their body."""
    problems: list[Problem] = []
    while True:
        # Most entries link nowhere: the address book is made only when some entry does.
        if any(map(_BODY, entries)):
            linking = [(entry, entry_links) for entry in entries
                       if (entry_links := links_of.get(entry.path) or links_in(entry.body))]
        else:  # the commands keep no body: every link is in links_of
            by_path = dict(zip(map(_PATH, entries), entries))
            linking = [(by_path[path], entry_links) for path, entry_links in links_of.items()
                       if path in by_path]
        by_uri = {entry_uri(entry): entry for entry in entries} if linking else {}
        found = [problem for entry, entry_links in linking
                 for problem in links.problems(entry, by_uri, entry_links)]
        if not found:
            return entries, problems
        problems.extend(found)
        broken = {problem.path for problem in found}
        entries = [entry for entry in entries if entry.path not in broken]


def _source_files(source: Path) -> Iterator[str]:
    """Paths relative to `source` of every file under it, sorted, hidden ones left out.

    What `os.walk` finds (links to folders are not followed, unreadable folders are left
    out), by `os.scandir` on strings: at ten thousand files the path objects of `rglob` were
    a fifth of `gongkai check`'s time, and `os.walk`'s own steps still half of this.
    """
    found: list[str] = []
    folders = [""]
    while folders:
        prefix = folders.pop()
        try:
            with os.scandir(os.path.join(source, prefix)) as listing:
                for item in listing:
                    if item.name.startswith("."):
                        continue
                    if not item.is_dir():
                        found.append(prefix + item.name)
                    elif not item.is_symlink():
                        folders.append(f"{prefix}{item.name}/")
        except OSError:
            continue
    return iter(sorted(found))


def _nothing() -> None:
    pass


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
    markup_problem = _markup_problem(stand_in)
    if markup_problem is not None:  # Markdown must never see this body
        return [markup_problem]
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


_SPECIAL_FILE_KINDS = (
    (stat.S_ISDIR, "这是一个文件夹"), (stat.S_ISFIFO, "这是一个命名管道（FIFO）"),
    (stat.S_ISCHR, "这是一个设备文件"), (stat.S_ISBLK, "这是一个设备文件"),
    (stat.S_ISSOCK, "这是一个套接字文件"),
)


class _Refused(Exception):
    """A file that is not read: the message says why."""


def _read_regular_file(path: str, repository: str, limit: int,
                       keys: list[FileKey | None] | None = None) -> bytes:
    """The bytes of `path`, read only when it is a regular file inside the repository and
    no larger than `limit`: a link to /dev/zero or a FIFO would never end, a link to
    /etc/shadow would publish it. `keys`, when given, gets the file's key (`file_key`, None
    for a link), taken from the open file before it is read: what `os.lstat` would have
    said, without a second look-up of the path."""
    # O_NOFOLLOW first: most files are not links, and this costs no extra system call.
    # O_NONBLOCK: opening a FIFO must not wait for a writer. The kind is read from the open
    # file, so a file swapped after a check is still caught.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    followed = False
    try:
        descriptor = os.open(path, flags | os.O_NOFOLLOW)
    except OSError as error:
        if error.errno != errno.ELOOP:
            raise
        followed = True
        target = os.path.realpath(path)
        if os.path.commonpath([target, repository]) != repository:
            raise _Refused("这是指向仓库以外的链接，不会读取：请把文件本身放进仓库") from None
        descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            for is_kind, what in _SPECIAL_FILE_KINDS:
                if is_kind(status.st_mode):
                    raise _Refused(f"{what}，不是普通文件，不会读取：请把它删除")
        if keys is not None:
            keys.append(None if followed else file_key(status))
        # Ask for the size the file has (asking for the limit would allocate megabytes for
        # every file) plus one byte, to see a file still growing; never more than limit+1.
        chunks: list[bytes] = []
        size, wanted = 0, min(limit, status.st_size) + 1
        while wanted > 0:
            chunk = os.read(descriptor, wanted)
            chunks.append(chunk)
            size += len(chunk)
            if len(chunk) < wanted:  # a regular file returns less only at its end
                break
            wanted = min(limit + 1 - size, 1 << 20)
        data = b"".join(chunks)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise _Refused(
            f"文件超过 {limit // 1024} KB 的上限，不会发布：请把大的表格或文档另作附件，"
            "或在 mkdocs.yml 的 extra.disclosure.max_entry_kb 中调高上限"
        )
    return data


def _name_problem(relative: str, config: DisclosureConfig) -> tuple[str, Problem] | None:
    """A file or folder name the public must not see: the path to report (numbers masked)
    and the problem; None when the name is fine."""
    findings = find_personal_data(relative, config.masking) if may_hold_personal_data(
        relative) else []
    if findings:
        shown = relative
        for finding in reversed(findings):
            shown = shown[:finding.start] + mask(finding, config.masking) + shown[finding.end:]
        return shown, Problem(
            shown, 0, "文件名",
            f"文件名含有未去标识化的{findings[0].label}，网址和站点地图会公开它：请给文件改名",
        )
    if _URL_UNSAFE.search(relative):
        unsafe = sorted(set(_URL_UNSAFE.findall(relative)))
        shown_chars = "、".join(dict.fromkeys(
            "空格" if char.isspace() else char if char.isprintable() else "控制字符"
            for char in unsafe
        ))
        return relative, Problem(
            relative, 0, "文件名",
            f"文件名或文件夹名含有 {shown_chars}，放进网址会出错：请改名，只用汉字、字母、"
            "数字、- 和 _",
        )
    return None


def _open_brackets(marks: BodyMarks) -> tuple[int, int]:
    """How many `[` of a body are never closed, and the deepest nesting of `[`."""
    if "[" not in marks.present:
        return 0, 0
    depth = deepest = 0
    for mark in marks.found:
        if mark == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif mark == "]" and depth:
            depth -= 1
    return depth, deepest


def _markup_problem(entry: Entry) -> Problem | None:
    """A body Python-Markdown would take minutes or hours over, refused before it does."""
    marks = body_marks(entry.body)
    unmatched, deepest = _open_brackets(marks)
    unclosed = len(_UNCLOSED_TAG.findall(entry.body)) if "<" in marks.present else 0
    if unmatched <= MAX_OPEN_BRACKETS and deepest <= MAX_BRACKET_DEPTH and (
            unclosed <= MAX_UNCLOSED_TAGS):
        return None
    what = (f" {unclosed} 个没有「>」结尾的「<」标记" if unclosed > MAX_UNCLOSED_TAGS
            else f" {unmatched} 个没有配对的「[」" if unmatched > MAX_OPEN_BRACKETS
            else f"嵌套 {deepest} 层的「[」")
    return Problem(
        entry.path, entry.body_line, "正文",
        f"正文中有{what}，会让网页生成极慢，不予发布：请删除多余的符号，"
        "或改用全角的「【】」「＜」",
    )


def _url_of(slug: str) -> str:
    folder, _, name = slug.rpartition("/")
    return folder if name in _INDEX_NAMES else slug


def _docs_page_clashes(entries: list[Entry], docs_dir: Path) -> list[Problem]:
    """An entry at the address of a hand-written page: the entry is published, the page not
    (the build drops it), and check says so as the build does."""
    pages = site_files(docs_dir)
    if not any(page.startswith(ENTRY_URI_PREFIX) for page in pages):
        return []  # no page where an entry's could be
    return [
        Problem(entry.path, 0, "文件名", f"与 docs/{entry_uri(entry)} 的网址相同，docs/ 中的页面"
                "不会发布：请给其中一个文件改名")
        for entry in entries if entry_uri(entry) in pages
    ]


def _check_unique_urls(entries: list[Entry]) -> tuple[list[Entry], list[Problem]]:
    """Two files published at one address (a.md and a/index.md): neither is published, since
    which one the public would see depends on the order MkDocs happens to write them."""
    # Only an index page shares an address with another file (a/index.md, a.md): without
    # one, each address is a different file's slug. Looked for in C, in all slugs at once.
    slugs = "\n".join(map(_SLUG, entries)) + "\n"
    if not any(f"{name}\n" in slugs for name in _INDEX_NAMES):
        return entries, []
    first_at: dict[str, Entry] = {}
    by_url: dict[str, list[Entry]] = {}
    """Only the addresses more than one entry has: no list made per entry."""
    for entry in entries:
        url = _url_of(entry.slug)
        first = first_at.setdefault(url, entry)
        if first is not entry:
            by_url.setdefault(url, [first]).append(entry)
    problems: list[Problem] = []
    for clashing in by_url.values():
        paths = [entry.path for entry in clashing]
        problems.extend(Problem(
            entry.path, 0, "文件名",
            "与 " + "、".join(p for p in paths if p != entry.path)
            + " 的网址相同，两者都不会发布：请给其中一个文件改名",
        ) for entry in clashing)
    if not problems:
        return entries, problems
    rejected = {problem.path for problem in problems}
    return [entry for entry in entries if entry.path not in rejected], problems


def load_corpus(project_dir: Path, config: DisclosureConfig, docs_dir: Path | None = None,
                screen: TextScreen | None = None, verdicts: VerdictCache | None = None,
                parallel: bool = False, meanwhile: Callable[[], None] | None = None) -> Corpus:
    """Read and check every entry file under the configured source folder. `docs_dir` (the
    site's pages, which bodies may link to) defaults to mkdocs.yml's; `screen` judges the
    texts with the site's Markdown settings, by default those of the project's mkdocs.yml;
    `verdicts`, when given, holds the verdicts of unchanged files from earlier runs and gets
    those of the files judged now; it is being saved when this returns, and the caller
    calls its `wait_saved` (the entries then come without their bodies, which the commands
    never use); with
    `parallel`, many files are judged on every core (the build leaves it off: its memory is
    counted over all its processes, and a forked worker would count its parent's pages).
    `meanwhile`, called once, is other work for this process while the workers judge."""
    if docs_dir is None:
        docs_dir = project_dir / read_docs_dir(project_dir)
    with _without_cycle_collection():
        return _load_corpus(project_dir, config, docs_dir, screen or project_screen(project_dir),
                            verdicts, parallel, meanwhile or _nothing)


@dataclass
class FileVerdict:
    """One entry file read and checked on its own (the checks across files come later)."""

    entry: Entry | None
    """None when the file is refused."""
    problems: list[Problem]
    notes: list[Problem]
    """Personal data published on purpose, with its reason."""
    shown_path: str
    """The file's path as messages show it (masked when its name holds a personal number)."""
    links: Links | None = None
    """The body's links when the entry's body was dropped (`without_body`); None when the
    entry holds its body."""

    def as_tuple(self) -> Verdict:
        return self.entry, self.problems, self.notes, self.shown_path, self.links

    def without_body(self) -> FileVerdict:
        """The verdict with its entry's body replaced by the body's links: all that the
        commands use of a body once it is judged, and a small part of it to store or send."""
        if self.entry is None or self.links is not None:
            return self
        return FileVerdict(replace(self.entry, body=""), self.problems, self.notes,
                           self.shown_path, links_in(self.entry.body))


class EntryFiles:
    """Reads and checks entry files one by one, as the build and `gongkai check` do; the live
    preview checks a saved file with the same steps. With `verdicts` (the commands), the
    entries come without their bodies (`FileVerdict.without_body`), cached or not."""

    def __init__(self, project_dir: Path, config: DisclosureConfig, screen: TextScreen,
                 verdicts: VerdictCache | None = None):
        self.project_dir = project_dir
        self.config = config
        self.screen = screen
        self.verdicts = verdicts
        self.inspections = InspectionCache(project_dir)
        self._source = project_dir / config.source_dir
        self._prefix = Path(config.source_dir).as_posix().rstrip("/") + "/"
        self._repository = os.path.realpath(project_dir)
        self._limit = config.max_entry_kb * 1024

    def relative(self, name: str) -> str:
        """Path relative to the project of `name` (relative to the source folder)."""
        return self._prefix + name

    def check(self, name: str) -> FileVerdict:
        """The file `name` (relative to the source folder) read, parsed and screened; taken
        from `verdicts` when the file and the rules are unchanged since it was stored."""
        [verdict] = self.judged([name])
        return verdict

    def cached(self, name: str) -> tuple[FileKey | None, FileVerdict | None]:
        """The file's key (None without a cache or with an empty one, or when it is no
        regular file) and its stored verdict when it is unchanged."""
        if self.verdicts is None or self.verdicts.is_empty:
            return None, None  # the first run: the key is taken when the file is judged
        key = self._key(name)
        cached = self.verdicts.get(name, key) if key is not None else None
        return key, None if cached is None else FileVerdict(*cached)

    def _key(self, name: str) -> FileKey | None:
        """The key of the file as it is now (taken before it is read)."""
        try:
            return file_key(os.lstat(os.path.join(self._source, name)))
        except OSError:  # reported when the file is read
            return None

    def judge(self, name: str) -> tuple[FileVerdict, DayBounds | None]:
        """The file read and checked now, and the days its verdict holds (`DayBounds`); None
        when it must not be kept: the file could not be read, or it names attachments, so
        its verdict can change while the file does not."""
        with recording_day_bounds() as days:
            opened = self._open(name)
            if not isinstance(opened, bytes):
                verdict, cacheable = opened
                return verdict, days if cacheable else None
            verdict = self._check_data(opened, name, self.relative(name))
        return verdict, None if _ATTACHMENTS in opened else days

    def judged(self, names: list[str], parallel: bool = False,
               meanwhile: Callable[[], None] = _nothing) -> Iterator[FileVerdict]:
        """The verdicts of `names`, in their order, each given as soon as it is known: from
        the cache when unchanged, else judged now — with `parallel`, on every core when there
        are many (`_judge_in_pool`, which calls `meanwhile` while the workers judge; else it
        is called first). Given one by one, so that what the caller does with each verdict,
        like decoding it here, happens while the workers judge the next ones, not after."""
        if self.verdicts is None or self.verdicts.is_empty:  # nothing to look up: a first run
            looked_up: list[tuple[FileKey | None, FileVerdict | None]] = [(None, None)] * len(names)
            missing = names
        else:
            looked_up = [self.cached(name) for name in names]
            missing = [name for name, (_, cached) in zip(names, looked_up) if cached is None]
        pooled = parallel and len(missing) >= _pool_min_files()
        if not pooled:
            meanwhile()
        from_pool = _judge_in_pool(self, missing, meanwhile) if pooled else iter(())
        for name, (key, cached) in zip(names, looked_up):
            if cached is not None:
                yield cached
                continue
            found = next(from_pool, None)
            if found is not None:
                encoded, record = found
                if record is not None and self.verdicts is not None:
                    self.verdicts.put(name, record)
                yield FileVerdict(*decode_verdict(encoded))
                continue
            if key is None and self.verdicts is not None:
                key = self._key(name)
            verdict, holds = self.judge(name)
            if holds is not None and key is not None and self.verdicts is not None:
                self.verdicts.put(name, stored_record(key, holds,
                                                      encode_verdict(verdict.as_tuple())))
            yield verdict
        next(from_pool, None)  # past the last file: the pool ends

    def judge_plain(self, name: str) -> tuple[bytes, Stored | None] | None:
        """In a worker process: the verdict of a readable file naming no attachments, as
        `encode_verdict` gives it, and, with a cache, the cache's record of it
        (`stored_record`; None when the file is no regular file). The record is made here,
        where the file's key (taken here, so that the parent does not stat ten thousand
        files before the workers start) and the days the verdict holds are known. None for
        the other files, which the parent judges itself (their attachments' inspections must
        land in its inspection cache)."""
        keys: list[FileKey | None] = []
        with recording_day_bounds() as days:
            opened = self._open(name, keys)
            if not isinstance(opened, bytes) or _ATTACHMENTS in opened:
                return None
            verdict = self._check_data(opened, name, self.relative(name), keep_body=True)
        entry = verdict.entry
        # With a cache, written without the body (encode_verdict leaves it out when given
        # the links), as `without_body` would give it: cheaper than copying the entry.
        links = None if entry is None or self.verdicts is None else links_in(
            entry.body, body_marks(entry.body).present)
        encoded = encode_verdict((entry, verdict.problems, verdict.notes, verdict.shown_path,
                                  links))
        key = keys[0]
        if self.verdicts is None or key is None:
            return encoded, None
        return encoded, stored_record(key, days, encoded)

    def _open(self, name: str, keys: list[FileKey | None] | None = None
              ) -> bytes | tuple[FileVerdict, bool]:
        """The file's bytes (and its key added to `keys`, see `_read_regular_file`); or,
        when its name or the file itself is refused, the verdict saying so and whether it
        may be kept."""
        relative = self.relative(name)
        bad_name = _name_problem(relative, self.config)
        if bad_name is not None:
            return FileVerdict(None, [bad_name[1]], [], bad_name[0]), True
        try:
            return _read_regular_file(os.path.join(self._source, name), self._repository,
                                      self._limit, keys)
        except _Refused as refusal:
            return FileVerdict(None, [Problem(relative, 0, "文件", str(refusal))], [],
                               relative), False
        except OSError as error:  # a broken link, no permission
            return FileVerdict(None, [Problem(relative, 0, "文件",
                                              _unreadable_message(error))], [], relative), False

    def _check_data(self, data: bytes, name: str, relative: str, keep_body: bool = False
                    ) -> FileVerdict:
        entry, problems = read_entry(data, relative, name.removesuffix(ENTRY_SUFFIX), self.config)
        notes: list[Problem] = []
        if entry is not None and (markup_problem := _markup_problem(entry)) is not None:
            problems.append(markup_problem)
            entry = None  # and no screening either: Markdown must never see this body
        elif entry is not None:
            entry, screen_problems, notes = _screen(entry, self.project_dir, self.config,
                                                    self.inspections, self.screen)
            problems += screen_problems
            if any(problem.is_error for problem in screen_problems):
                entry = None
        else:
            problems += _screen_body_only(data, relative, name, self.config, self.screen)
        verdict = FileVerdict(entry, problems, notes, relative)
        return verdict if self.verdicts is None or keep_body else verdict.without_body()


POOL_MIN_FILES = 500
"""Fewer files to judge than this are judged in this process: starting workers would cost
more than it saves."""
POOL_MIN_FILES_VARIABLE = "GONGKAI_POOL_MIN_FILES"
"""Environment variable: the fewest files to judge for which workers start, in place of
POOL_MIN_FILES (the tests set it low, so that a small project's build uses the pool)."""


def _pool_min_files() -> int:
    value = os.environ.get(POOL_MIN_FILES_VARIABLE, "")
    return int(value) if value.strip().isdigit() else POOL_MIN_FILES
_POOL_CHUNK = 200
"""File names per task: few enough that both cores stay busy to the end."""


def _judge_in_pool(files: EntryFiles, names: list[str], meanwhile: Callable[[], None] = _nothing
                   ) -> Iterator[tuple[bytes, Stored | None] | None]:
    """Each file judged by `EntryFiles.judge_plain` in forked workers on every core
    (workers.py), in the order of `names`, given as soon as its chunk is judged; None for
    each file to judge in this process (no fork on Windows, a single core, a worker that
    failed). Fork, not spawn: the workers inherit the loaded package, settings and Markdown
    instead of importing them again. `meanwhile` runs here once the workers are started."""
    size = max(_POOL_CHUNK, -(-len(names) // MAX_TASKS))
    chunks = [names[start:start + size] for start in range(0, len(names), size)]
    results = run_in_order(len(chunks), lambda number: [files.judge_plain(name)
                                                        for name in chunks[number]], meanwhile)
    for chunk, judged in zip(chunks, results):
        yield from [None] * len(chunk) if judged is None else judged


def _load_corpus(project_dir: Path, config: DisclosureConfig, docs_dir: Path,
                 screen: TextScreen, verdicts: VerdictCache | None, parallel: bool,
                 meanwhile: Callable[[], None]) -> Corpus:
    source = project_dir / config.source_dir
    if not source.is_dir():
        meanwhile()
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
    files = EntryFiles(project_dir, config, screen, verdicts)
    names: list[str] = []
    for name in _source_files(source):
        # Hidden files are left out, so a name ending in .md has that suffix: the splitext
        # below is for the few others (it was 10 ms at ten thousand entries).
        if name.endswith(ENTRY_SUFFIX):
            names.append(name)
            continue
        suffix = os.path.splitext(name)[1].lower()
        if suffix == ENTRY_SUFFIX or suffix in _LOOKALIKE_SUFFIXES:
            lookalikes.append(Problem(
                files.relative(name), 0, "文件名",
                "不是以 .md 结尾的文件，不会发布：请把扩展名改为 .md", Severity.WARNING,
            ))
    links_of: dict[str, Links] = {}
    """The body links of entries kept without their body."""
    for verdict in files.judged(names, parallel, meanwhile):
        problems.extend(verdict.problems)
        notes += verdict.notes
        if verdict.entry is None:
            rejected.append(verdict.shown_path)
        else:
            listed.update(attachment.file for attachment in verdict.entry.attachments)
            entries.append(verdict.entry)
            if verdict.links:
                links_of[verdict.entry.path] = verdict.links
    if verdicts is not None:
        verdicts.save_meanwhile()  # every verdict is in: written while the checks run
    entries, url_problems = _check_unique_urls(entries)
    problems.extend(url_problems)
    rejected.extend(problem.path for problem in url_problems)
    problems.extend(_docs_page_clashes(entries, docs_dir))
    entries, duplicate_problems = _check_unique_index_numbers(entries)
    problems.extend(duplicate_problems)
    rejected.extend(problem.path for problem in duplicate_problems)
    entries, related_problems = _check_related_links(entries)
    problems.extend(related_problems)
    rejected.extend(dict.fromkeys(problem.path for problem in related_problems))
    link_checker = LinkChecker(project_dir, config, docs_dir)
    entries, link_problems = _check_body_links(entries, link_checker, links_of)
    problems.extend(link_problems)
    rejected.extend(dict.fromkeys(problem.path for problem in link_problems))
    problems.extend(problem for problem in lookalikes if problem.path not in listed)
    files.inspections.save()
    # newest_first's order by two stable sorts on attributes fetched in C, without a key
    # tuple made per entry (a third of the time at ten thousand entries).
    entries.sort(key=_PATH)
    entries.sort(key=attrgetter("date"), reverse=True)  # keeps the path order within a day
    return Corpus(entries, sorted(problems, key=Problem.sort_key), sorted(rejected), notes,
                  files.inspections)
