"""Attachments (附件): the files an entry lists, checked before anything of them is published.

For each file listed in an entry's `attachments`, in this order: its suffix (a format the site
publishes; legacy Office/WPS, programs, scripts and web pages refused), the file itself (there,
a regular file under the source folder, not a link, within the size limit), its content (does it
match its suffix), and what is inside it (inspection.py): personal numbers by the rules bodies
follow, and hidden content — tracked changes, comments, hidden sheets, rows and columns — which
is refused rather than stripped, since removing it would change what the document says.

Inspection is the slow part, so its outcome is cached by the file's content hash under
`.gongkai-cache/` in the project (git-ignored); the file's size and modification time find the
hash without reading the file again, so a repeated `gongkai check` costs a `stat` per file.
"""

from __future__ import annotations

import contextlib
import functools
import io
import os
import signal
import stat as file_modes
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .config import DisclosureConfig
from .entry import Attachment, Entry
from .privacy import KIND_LABELS, find_personal_data, mask
from .privacy import Finding as TextFinding
from .problems import Problem, Severity

FIELD = "attachments"
ALLOWANCE_FIELD = "personal_data_allowed"

FORMATS = {
    "pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "csv": "CSV", "txt": "TXT",
    "jpg": "JPEG", "jpeg": "JPEG", "png": "PNG",
}
"""Suffixes gongkai can check, and the format each names."""
TEXT_FORMATS = ("PDF", "DOCX", "XLSX", "CSV", "TXT")
"""Formats with text that is checked and indexed for search."""
LEGACY_SUFFIXES = {
    "doc": "DOCX 或 PDF", "wps": "DOCX 或 PDF", "rtf": "DOCX 或 PDF",
    "xls": "XLSX 或 PDF", "et": "XLSX 或 PDF",
    "ppt": "PDF", "dps": "PDF", "pptx": "PDF",
}
REFUSED_SUFFIXES = frozenset({
    "exe", "com", "bat", "cmd", "msi", "scr", "dll", "pif", "cpl", "ps1", "vbs", "vbe", "js",
    "mjs", "jse", "wsf", "hta", "jar", "apk", "sh", "bash", "py", "pl", "rb", "php", "html",
    "htm", "xhtml", "shtml", "svg", "svgz", "swf", "lnk", "reg", "docm", "xlsm", "pptm",
})
"""Programs, scripts and web pages: a reader's browser or computer would run them."""

SEARCH_TEXT_LIMIT = 200_000
"""Characters of an attachment's text indexed for search (every character is checked)."""
INSPECTION_SECONDS = 60
"""Longest time one file may take to read; a file that takes longer is refused."""

CACHE_FOLDER = ".gongkai-cache"
_CACHE_FILE = "attachments.json"
_TEXT_FOLDER = "attachment-text"
_CACHE_VERSION = 1


@dataclass(frozen=True)
class Finding:
    """A personal number found in an attachment: its kind, digits and where it is."""

    kind: str
    value: str
    where: str


@dataclass
class Summary:
    """What is cached of one file's inspection (its text is cached apart, for the build)."""

    format: str
    error: str | None = None
    hidden: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Summary:
        return cls(data["format"], data["error"], list(data["hidden"]),
                   [Finding(**finding) for finding in data["findings"]])


def suffix_of(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


# --- The content must be what the suffix says --------------------------------------------------

_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP_STARTS = (b"<!doctype html", b"<html", b"<svg", b"<script", b"<?xml", b"<head", b"<body")


def content_kind(data: bytes) -> str:
    """What the bytes are, by their first bytes: PDF, DOCX, XLSX, ZIP, OLE (legacy Office),
    JPEG, PNG, PROGRAM, MARKUP (HTML, SVG, XML), or TEXT (anything else)."""
    head = data[:1024]
    if head.startswith(b"%PDF-") or (b"%PDF-" in head and not head.startswith(b"PK")):
        return "PDF"
    if head.startswith(b"PK\x03\x04"):
        import zipfile

        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return "ZIP"
        if "word/document.xml" in names or any(name.startswith("word/") for name in names):
            return "DOCX"
        if "xl/workbook.xml" in names or any(name.startswith("xl/") for name in names):
            return "XLSX"
        return "ZIP"
    if head.startswith(_OLE_MAGIC):
        return "OLE"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(_EXECUTABLE_MAGIC) or head.startswith(b"#!"):
        return "PROGRAM"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_MARKUP_STARTS):
        return "MARKUP"
    return "TEXT"


_KIND_WORDS = {
    "PDF": "PDF 文件", "DOCX": "Word 文档（DOCX）", "XLSX": "Excel 工作簿（XLSX）",
    "ZIP": "压缩包", "OLE": "旧版 Office/WPS 文件（如 .doc、.xls）", "JPEG": "JPEG 图片",
    "PNG": "PNG 图片", "PROGRAM": "可执行程序或脚本", "MARKUP": "网页或 XML 文件（可含脚本）",
    "TEXT": "文本文件",
}


def content_problem(format_name: str, data: bytes) -> str | None:
    """Why the bytes are not a file of `format_name`, or None when they are."""
    kind = content_kind(data)
    if format_name in ("CSV", "TXT"):
        if kind == "TEXT":
            return None
    elif kind == format_name:
        return None
    if kind == "OLE":
        return ("实际上是旧版 Office/WPS 格式，只是扩展名被改过，无法检查其内容："
                "请用 Office 或 WPS 打开，另存为 DOCX、XLSX 或 PDF 后再附上")
    return (f"内容与扩展名不符：扩展名是 .{format_name.lower()}，内容却是{_KIND_WORDS[kind]}，"
            "不予发布：请附上原始文件")


# --- Bounded time --------------------------------------------------------------------------------


class _TooSlow(BaseException):
    """Raised by the timer; a BaseException, so that no reader's `except Exception` takes it."""


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    """Stop the reading of one file after `seconds` (only in the main thread, where signals
    arrive; the size limits bound it everywhere)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def inspect_file(format_name: str, data: bytes) -> tuple[Summary, str]:
    """The summary of one file's inspection, and its text for search."""
    from .inspection import Inspection, inspect

    mismatch = content_problem(format_name, data)
    if mismatch:
        return Summary(format_name, mismatch), ""
    try:
        with _time_limit(INSPECTION_SECONDS):
            inspection = inspect(format_name, data)
    except _TooSlow:
        inspection = Inspection(error=f"读取超过 {INSPECTION_SECONDS} 秒仍未完成，文件可能已损坏或被恶意构造")
    except MemoryError:
        inspection = Inspection(error="文件过大或结构异常，读取时内存不足")
    findings = [
        Finding(found.kind, found.value, part.where)
        for part in inspection.parts for found in find_personal_data(part.text)
    ]
    summary = Summary(format_name, inspection.error, inspection.hidden, findings)
    return summary, inspection.text()[:SEARCH_TEXT_LIMIT]


# --- The cache ---------------------------------------------------------------------------------


def _rules_version() -> str:
    """Changes whenever the code that finds things changes, so that old results are dropped."""
    import hashlib

    digest = hashlib.sha256(str(_CACHE_VERSION).encode())
    here = Path(__file__).parent
    for name in ("attachments.py", "inspection.py", "privacy.py"):
        with contextlib.suppress(OSError):
            digest.update((here / name).read_bytes())
    return digest.hexdigest()[:16]


class InspectionCache:
    """Inspection results by content hash, kept in `.gongkai-cache/` between runs.

    The stored results are read, and the rules' version made, when the first attachment is
    looked at: most checks have none to look at, and the files read, hashed and imported
    for it were on the path every command takes before its workers start."""

    def __init__(self, project_dir: Path):
        self.folder = project_dir / CACHE_FOLDER
        self._version = ""
        self._hashes: dict[str, list[Any]] = {}
        self._results: dict[str, dict[str, Any]] = {}
        self._texts: dict[str, str] = {}
        """Texts of this run's inspections, in case the cache folder cannot be written."""
        self._used_hashes: dict[str, list[Any]] = {}
        self._used_results: set[str] = set()
        self._changed = False

    def _load(self) -> None:
        if self._version:
            return
        self._version = _rules_version()
        import json  # only with attachments: not on every command's path

        with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
            stored = json.loads((self.folder / _CACHE_FILE).read_text("utf-8"))
            if stored["version"] == self._version:
                self._hashes, self._results = stored["hashes"], stored["results"]

    def digest(self, path: str, relative: str, status: os.stat_result) -> tuple[str, bytes | None]:
        """The file's SHA-256, and its bytes when they had to be read to get it."""
        self._load()
        known = self._hashes.get(relative)
        key = [status.st_size, status.st_mtime_ns]
        if known and known[:2] == key:
            self._used_hashes[relative] = known
            return known[2], None
        import hashlib

        data = _read(path)
        sha = hashlib.sha256(data).hexdigest()
        self._used_hashes[relative] = [*key, sha]
        self._changed = True
        return sha, data

    def summary(self, sha: str, format_name: str, data: bytes | None, path: str) -> Summary:
        """The cached summary of the file with hash `sha` read as `format_name`; when it must
        be inspected, its bytes are `data`, or read from `path` when None."""
        self._load()
        key = f"{sha}:{format_name}"
        self._used_results.add(key)
        cached = self._results.get(key)
        if cached is not None:
            with contextlib.suppress(KeyError, TypeError, ValueError):
                return Summary.from_json(cached)
        summary, text = inspect_file(format_name, _read(path) if data is None else data)
        self._results[key] = summary.to_json()
        self._changed = True
        self._texts[sha] = text
        with contextlib.suppress(OSError):
            folder = self.folder / _TEXT_FOLDER
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{sha}.txt").write_text(text, "utf-8")
        return summary

    def text(self, sha: str) -> str:
        """The searchable text of the file with hash `sha` (empty when unknown)."""
        if sha in self._texts:
            return self._texts[sha]
        try:
            return (self.folder / _TEXT_FOLDER / f"{sha}.txt").read_text("utf-8")
        except OSError:
            return ""

    def save(self) -> None:
        """Keep only what this run used, so the cache does not grow with every edit."""
        if not self._version and not (self.folder / _CACHE_FILE).exists():
            return  # no attachment looked at, nothing stored to prune
        self._load()
        if not self._changed and len(self._used_results) == len(self._results):
            return
        results = {key: self._results[key] for key in self._used_results if key in self._results}
        data = {"version": self._version, "hashes": self._used_hashes, "results": results}
        with contextlib.suppress(OSError):
            self.folder.mkdir(exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("*\n", "utf-8")  # never committed, whatever .gitignore says
            temporary = self.folder / f"{_CACHE_FILE}.tmp"
            import json

            temporary.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
            os.replace(temporary, self.folder / _CACHE_FILE)
            shas = {key.partition(":")[0] for key in results}
            for text_file in (self.folder / _TEXT_FOLDER).glob("*.txt"):
                if text_file.stem not in shas:
                    text_file.unlink(missing_ok=True)


# --- Checking an entry's attachments -----------------------------------------------------------


@dataclass
class AttachmentCheck:
    """What checking one entry's attachments found."""

    attachments: tuple[Attachment, ...] = ()
    """The entry's attachments with format, size and hash filled in."""
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    allowances_used: set[str] = field(default_factory=set)


@functools.lru_cache(maxsize=4096)
def _real_folder(folder: str) -> str:
    """The folder with every link resolved, ending in a separator; cached, as the attachments
    of one entry (and of one year) share folders and resolving costs a call per component."""
    return os.path.join(os.path.realpath(folder), "")


def _read(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def _file_problem(path: str, real_source: str, config: DisclosureConfig, attachment: Attachment
                  ) -> tuple[str | None, os.stat_result | None]:
    """Why the file at `path` cannot be published as it stands on disk, or its status.
    Paths are strings: at thousands of files, path objects cost more than the checks."""
    suffix = suffix_of(attachment.name)
    if suffix in LEGACY_SUFFIXES:
        return (f"是旧版 Office/WPS 格式（.{suffix}），无法检查其中的个人信息和隐藏内容：请用 Office "
                f"或 WPS 打开，另存为 {LEGACY_SUFFIXES[suffix]} 后再附上"), None
    if suffix in REFUSED_SUFFIXES:
        return ("是可执行程序、脚本或网页（含 SVG），本站不发布此类文件："
                "请改为 PDF、图片等文档格式"), None
    if suffix not in config.attachment_formats:
        allowed = "、".join(f".{name}" for name in config.attachment_formats)
        return f"的格式（.{suffix or '无扩展名'}）不能作为附件发布，可用的格式：{allowed}", None
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return (f"找不到文件 {attachment.file}：请把文件放到该位置（附件路径从本文件所在的文件夹算起），"
                "或改正 attachments 中的文件名"), None
    except OSError as error:
        return f"无法读取（{error.strerror or type(error).__name__}）", None
    if file_modes.S_ISLNK(status.st_mode):
        return "是一个符号链接，不予发布：请把文件本身放到 disclosures/ 中", None
    if not file_modes.S_ISREG(status.st_mode):
        return "不是普通文件（是文件夹或设备等），不予发布", None
    if not _real_folder(os.path.dirname(path)).startswith(real_source):
        return f"实际位于 {config.source_dir}/ 之外（经由链接的文件夹），不予发布", None
    limit = config.attachment_max_mb * 1024 * 1024
    if status.st_size > limit:
        return (f"有 {status.st_size / 1024 / 1024:.1f} MB，超过 {config.attachment_max_mb} MB 的上限："
                "请压缩或拆分后再附上"), None
    return None, status


_HIDDEN_ADVICE = {
    "DOCX": "请在 Word 中接受或拒绝全部修订、删除批注（和隐藏文字）后重新保存",
    "XLSX": "请取消隐藏并核对这些内容，删除不应公开的部分后重新保存",
}


def _where(finding: Finding) -> str:
    return finding.where + (" " if finding.where[-1:].isascii() else "")


def _masked(finding: Finding, config: DisclosureConfig) -> str:
    return mask(TextFinding(finding.kind, finding.value, 0), config.masking)


def refusals(summary: Summary, config: DisclosureConfig,
             reasons: dict[str, str] | None = None) -> list[str]:
    """Why an inspected file may not be published (each to follow its name), given the
    numbers the entry publishes on purpose (`reasons`)."""
    if summary.error:
        return [summary.error]
    messages = [f"{hidden}，本站不会替您删除（删除会改变文件内容）："
                f"{_HIDDEN_ADVICE.get(summary.format, '请处理后重新保存')}"
                for hidden in summary.hidden]
    messages += [
        f"{_where(finding)}含有未去标识化的{KIND_LABELS[finding.kind]}：请在原文件中改写为"
        f"「{_masked(finding, config)}」后重新保存；依法确需公开的，在 {ALLOWANCE_FIELD} "
        "中写明该号码和公开依据"
        for finding in summary.findings if finding.value not in (reasons or {})
    ]
    return messages


def check_entry_attachments(entry: Entry, project_dir: Path, config: DisclosureConfig,
                            cache: InspectionCache) -> AttachmentCheck:
    """Check every attachment of `entry`; the problems name the file and the place inside it."""
    result = AttachmentCheck()
    reasons = {allowance.value: allowance.reason for allowance in entry.personal_data_allowed}
    line = entry.line_of(FIELD)
    checked = []

    def problem(attachment: Attachment, message: str,
                severity: Severity = Severity.ERROR) -> None:
        result.problems.append(Problem(entry.path, line, FIELD,
                                       f"附件「{attachment.name}」{message}", severity))

    root = os.fspath(project_dir)
    real_source = _real_folder(os.path.join(root, config.source_dir))
    names: dict[str, str] = {}
    for attachment in entry.attachments:
        if names.setdefault(attachment.name, attachment.file) != attachment.file:
            problem(attachment, f"与 {names[attachment.name]} 同名：发布后会放在同一个文件夹中，请改名")
            continue
        path = os.path.join(root, attachment.file)
        message, status = _file_problem(path, real_source, config, attachment)
        if message or status is None:
            problem(attachment, message or "无法读取")
            continue
        try:
            sha, data = cache.digest(path, attachment.file, status)
            summary = cache.summary(sha, FORMATS[suffix_of(attachment.name)], data, path)
        except OSError as error:
            problem(attachment, f"无法读取（{error.strerror or type(error).__name__}）")
            continue
        for message in refusals(summary, config, reasons):
            problem(attachment, message)
        for finding in summary.findings:
            if finding.value in reasons:
                result.allowances_used.add(finding.value)
                result.notes.append(Problem(
                    entry.path, line, FIELD,
                    f"附件「{attachment.name}」{_where(finding)}按所写理由公开"
                    f"{KIND_LABELS[finding.kind]} {_masked(finding, config)}："
                    f"{reasons[finding.value]}", Severity.WARNING,
                ))
        if summary.error:
            continue
        checked.append(Attachment(attachment.file, attachment.title, summary.format,
                                  status.st_size, sha))
    result.attachments = tuple(checked)
    return result


def format_size(size: int) -> str:
    """A file size as sites write it: 812 B, 35.2 KB, 1.2 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
