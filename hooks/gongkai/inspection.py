"""What is inside an attachment: its text, each piece with where a reader finds it, and the
hidden content a publisher may not have seen.

One function per format, all returning an `Inspection`. Office files are read as the zip of
XML parts they are (no Office library): every part is streamed through a size guard
(`BoundedZip`), so a decompression bomb is refused after reading at most the limit, and through
defusedxml, which refuses DTDs and so entity expansion. Any failure of a file ends as the
`error` of its inspection in Chinese, never as an exception: callers show it with the path.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
"""All parts of one Office file together, unpacked: far above any real budget table."""
MAX_COMPRESSION_RATIO = 200
"""A part larger than 1 MB unpacked may be at most this many times its packed size."""
MAX_PARTS = 10_000

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_COMMENTS_REL = "relationships/comments"
_OFFICE_DOCUMENT_REL = "relationships/officeDocument"
# "Strict Open XML", which Word and Excel can save as, names the same elements in other
# namespaces; they are read as the usual (transitional) ones.
_STRICT_NAMESPACES = {
    "{http://purl.oclc.org/ooxml/wordprocessingml/main}": _W,
    "{http://purl.oclc.org/ooxml/spreadsheetml/main}": _S,
    "{http://purl.oclc.org/ooxml/officeDocument/relationships}": _R,
}
_STRICT_PREFIX = "{http://purl.oclc.org/ooxml/"


def _as_transitional(name: str) -> str:
    namespace, _, local = name.partition("}")
    return _STRICT_NAMESPACES.get(namespace + "}", namespace + "}") + local


@dataclass(frozen=True)
class TextPart:
    """A piece of text and where in the file a reader finds it (第 3 页, 工作表「表1」单元格 B7)."""

    where: str
    text: str


@dataclass
class Inspection:
    """The outcome of reading one attachment."""

    parts: list[TextPart] = field(default_factory=list)
    hidden: list[str] = field(default_factory=list)
    """Hidden content found, each said in words (隐藏的工作表「表2」含有数据)."""
    error: str | None = None
    """Why the file cannot be read (corrupt, encrypted, a bomb): the file is refused."""

    def text(self) -> str:
        """Everything a search should find the entry by, in reading order."""
        return "\n".join(part.text for part in self.parts)


class UnreadableFile(Exception):
    """The file is corrupt or hostile; the message is Chinese and shown to staff."""


# --- The guard: reading the parts of a zip within a budget ----------------------------------


class _CappedReader(io.RawIOBase):
    """A zip member's stream that stops once more bytes come out than were declared or the
    file's budget allows (a zip may lie about sizes)."""

    def __init__(self, stream: IO[bytes], declared: int, budget: BoundedZip):
        self._stream = stream
        self._left = declared
        self._budget = budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._stream.read(min(len(buffer), 1024 * 1024))
        self._left -= len(data)
        self._budget.spend(len(data))
        if self._left < 0:
            raise UnreadableFile("压缩包中的实际大小与声明不符，文件可能已损坏或被篡改")
        buffer[: len(data)] = data
        return len(data)


class BoundedZip:
    """An Office file's zip, whose parts are read within `MAX_UNCOMPRESSED_BYTES` in all."""

    def __init__(self, data: bytes):
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
            raise UnreadableFile(f"文件已损坏，无法打开（{_reason(error)}）") from None
        if len(infos) > MAX_PARTS:
            raise UnreadableFile(f"文件由 {len(infos)} 个部分组成，过多，疑为恶意构造")
        declared = sum(info.file_size for info in infos)
        if declared > MAX_UNCOMPRESSED_BYTES:
            raise UnreadableFile(_bomb_message(declared))
        for info in infos:
            if info.file_size > 1024 * 1024 and (
                info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)
            ):
                raise UnreadableFile(_bomb_message(info.file_size))
        self._infos = {info.filename: info for info in infos}
        self._spent = 0

    def spend(self, count: int) -> None:
        self._spent += count
        if self._spent > MAX_UNCOMPRESSED_BYTES:
            raise UnreadableFile(_bomb_message(self._spent))

    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def open(self, name: str) -> IO[bytes]:
        info = self._infos[name]
        try:
            stream = self._zip.open(info)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
            raise UnreadableFile(f"文件已损坏，无法读取其中的 {name}（{_reason(error)}）") from None
        return io.BufferedReader(_CappedReader(stream, info.file_size, self))

    def elements(self, name: str, tags: set[str]) -> Iterator[Element]:
        """The elements named in `tags` of part `name`, each once it is complete; parsed as a
        stream with DTDs refused, so no part is ever wholly in memory as a tree."""
        try:
            for _, element in iterparse(self.open(name), events=("end",), forbid_dtd=True):
                if element.tag.startswith(_STRICT_PREFIX):
                    element.tag = _as_transitional(element.tag)
                if any(key.startswith(_STRICT_PREFIX) for key in element.attrib):
                    element.attrib = {_as_transitional(key) if key.startswith("{") else key: value
                                      for key, value in element.attrib.items()}
                if element.tag in tags:
                    yield element
        except DefusedXmlException:
            raise UnreadableFile(f"{name} 含有 XML 实体或 DTD 声明，疑为恶意构造") from None
        except (SyntaxError, zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            # ElementTree's ParseError is a SyntaxError; a broken deflate stream, zlib.error,
            # is caught by zipfile as BadZipFile or surfaces as an OSError.
            raise UnreadableFile(f"文件已损坏，{name} 无法解析（{_reason(error)}）") from None
        except Exception as error:  # zlib.error and friends from a hostile file
            if isinstance(error, UnreadableFile):
                raise
            raise UnreadableFile(f"文件已损坏，{name} 无法解析（{_reason(error)}）") from None

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, target path inside the zip) of the relationships of `part`."""
        folder, _, name = part.rpartition("/")
        rels = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        if not self.has(rels):
            return {}
        found = {}
        for element in self.elements(rels, {f"{_REL}Relationship"}):
            target = element.get("Target", "")
            if element.get("TargetMode") != "External":
                target = _join(folder, target)
            found[element.get("Id", "")] = (element.get("Type", ""), target)
        return found


    def main_part(self, default: str) -> str:
        """The document's main part as the package names it (Word may write document2.xml)."""
        for kind, target in self.relationships("").values():
            if kind.endswith(_OFFICE_DOCUMENT_REL) and self.has(target):
                return target
        return default


def _join(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = (folder.split("/") if folder else []) + target.split("/")
    resolved: list[str] = []
    for part in parts:
        if part == "..":
            if resolved:
                resolved.pop()
        elif part and part != ".":
            resolved.append(part)
    return "/".join(resolved)


def _bomb_message(size: int) -> str:
    return (f"解压后超过 {size // (1024 * 1024)} MB，超出 {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB "
            "的上限，疑为压缩炸弹，未处理：请确认文件来源，或拆分后重新保存")


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__


# --- PDF --------------------------------------------------------------------------------------


def inspect_pdf(data: bytes) -> Inspection:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs in a damaged file in English; the outcome is reported here.
    logging.getLogger("pypdf").setLevel(logging.ERROR)

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return Inspection(error="PDF 已加密，无法检查其内容：请去除密码（或打开权限限制）后重新保存")
        parts = []
        for number, page in enumerate(reader.pages, start=1):
            text = page.extract_text() or ""
            if text.strip():
                parts.append(TextPart(f"第 {number} 页", text))
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            OSError, RecursionError, ZeroDivisionError, AssertionError) as error:
        return Inspection(error=f"PDF 文件已损坏，无法读取（{_reason(error)}）：请重新导出 PDF")
    return Inspection(parts)


# --- DOCX -------------------------------------------------------------------------------------


def _paragraph_text(paragraph: Element, deleted: bool = False) -> str:
    tag = f"{_W}delText" if deleted else f"{_W}t"
    return "".join(node.text or "" for node in paragraph.iter(tag))


def _docx_part(zipped: BoundedZip, part: str, label: str, inspection: Inspection,
               counts: dict[str, int]) -> None:
    """The paragraphs of one part (body, header, footnotes…): visible text, and the text of
    tracked deletions, which Word keeps in the file and shows in 修订 view."""
    # A text box's paragraphs come (and are cleared) before the paragraph holding them.
    for number, paragraph in enumerate(zipped.elements(part, {f"{_W}p"}), start=1):
        text = _paragraph_text(paragraph)
        if text.strip():
            inspection.parts.append(TextPart(f"{label}第 {number} 段", text))
        deleted = _paragraph_text(paragraph, deleted=True)
        if deleted.strip():
            inspection.parts.append(TextPart(f"{label}第 {number} 段（修订中已删除的文字）", deleted))
        counts["删除"] += len(paragraph.findall(f".//{_W}del"))
        counts["插入"] += len(paragraph.findall(f".//{_W}ins"))
        counts["隐藏文字"] += sum(
            1 for run in paragraph.iter(f"{_W}r")
            if run.find(f"{_W}rPr/{_W}vanish") is not None and _paragraph_text(run).strip()
        )
        paragraph.clear()


_DOCX_PARTS = (
    (re.compile(r"word/header\d*\.xml"), "页眉"),
    (re.compile(r"word/footer\d*\.xml"), "页脚"),
    (re.compile(r"word/footnotes\.xml"), "脚注"),
    (re.compile(r"word/endnotes\.xml"), "尾注"),
)


def inspect_docx(data: bytes, depth: int = 0) -> Inspection:
    zipped = BoundedZip(data)
    main = zipped.main_part("word/document.xml")
    if not zipped.has(main):
        raise UnreadableFile("不是有效的 Word 文档（缺少 word/document.xml）")
    inspection = Inspection()
    counts = {"删除": 0, "插入": 0, "隐藏文字": 0}
    _docx_part(zipped, main, "正文", inspection, counts)
    for name in sorted(zipped.names()):
        for pattern, label in _DOCX_PARTS:
            if pattern.fullmatch(name):
                _docx_part(zipped, name, label, inspection, counts)
    comments = 0
    if zipped.has("word/comments.xml"):
        found = zipped.elements("word/comments.xml", {f"{_W}comment"})
        for comments, comment in enumerate(found, start=1):
            text = "".join(node.text or "" for node in comment.iter(f"{_W}t"))
            inspection.parts.append(TextPart(f"批注 {comments}", text))
            comment.clear()
    changes = "、".join(f"{kind} {count} 处" for kind, count in counts.items()
                       if count and kind != "隐藏文字")
    if changes:
        inspection.hidden.append(f"含有未处理的修订（{changes}）")
    if comments:
        inspection.hidden.append(f"含有 {comments} 条批注")
    if counts["隐藏文字"]:
        inspection.hidden.append(f"含有 {counts['隐藏文字']} 处设为“隐藏”的文字")
    _embedded(zipped, inspection, depth)
    return inspection


_EMBEDDED = re.compile(r"(?:word|xl|ppt)/embeddings/[^/]+\.(docx|xlsx)", re.IGNORECASE)
_MAX_EMBEDDING_DEPTH = 2


def _embedded(zipped: BoundedZip, inspection: Inspection, depth: int) -> None:
    """Word and Excel files embedded in the document (an 对象 inserted from a file): a reader
    opens them with a double click, so they are read too, their places named after them."""
    for name in zipped.names():
        match = _EMBEDDED.fullmatch(name)
        if match is None:
            continue
        label = f"嵌入的文件「{name.rpartition('/')[2]}」中"
        if depth >= _MAX_EMBEDDING_DEPTH:
            inspection.hidden.append(f"{label}又嵌入了文件，层数过多，无法检查")
            continue
        with zipped.open(name) as stream:
            content = stream.read()
        try:
            inner = (inspect_docx if match[1].lower() == "docx" else inspect_xlsx)(content, depth + 1)
        except UnreadableFile as error:
            raise UnreadableFile(f"{label}：{error}") from None
        inspection.parts += [TextPart(label + part.where, part.text) for part in inner.parts]
        inspection.hidden += [label + hidden for hidden in inner.hidden]


# --- XLSX -------------------------------------------------------------------------------------


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index


_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def _shared_strings(zipped: BoundedZip) -> list[str]:
    if not zipped.has("xl/sharedStrings.xml"):
        return []
    strings = []
    for item in zipped.elements("xl/sharedStrings.xml", {f"{_S}si"}):
        # Phonetic guides (rPh) are not shown in the cell.
        strings.append("".join(node.text or "" for node in item.iter(f"{_S}t")
                               if node not in {t for ph in item.iter(f"{_S}rPh")
                                               for t in ph.iter(f"{_S}t")}))
        item.clear()
    return strings


def _cell_text(cell: Element, shared: list[str]) -> str:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(node.text or "" for node in cell.iter(f"{_S}t"))
    value = cell.findtext(f"{_S}v") or ""
    if kind == "s":
        try:
            return shared[int(value)]
        except (ValueError, IndexError):
            return ""
    return value


def _hidden_columns(zipped: BoundedZip, part: str) -> list[tuple[int, int]]:
    return [
        (int(col.get("min", "0")), int(col.get("max", "0")))
        for col in zipped.elements(part, {f"{_S}col"}) if col.get("hidden") in ("1", "true")
    ]


def _sheet(zipped: BoundedZip, part: str, label: str, shared: list[str],
           inspection: Inspection) -> tuple[bool, set[int], set[str]]:
    """Read one worksheet: (has data, hidden rows with data, hidden columns with data)."""
    try:
        hidden_columns = _hidden_columns(zipped, part)
    except ValueError:
        hidden_columns = []
    has_data = False
    rows_with_hidden_data: set[int] = set()
    columns_with_hidden_data: set[str] = set()
    for row in zipped.elements(part, {f"{_S}row"}):
        row_hidden = row.get("hidden") in ("1", "true")
        for cell in row.iter(f"{_S}c"):
            text = _cell_text(cell, shared)
            if not text.strip():
                continue
            has_data = True
            reference = cell.get("r", "")
            match = _CELL_REF.fullmatch(reference)
            inspection.parts.append(TextPart(f"{label}单元格 {reference}", text))
            if match is None:
                continue
            if row_hidden:
                rows_with_hidden_data.add(int(match[2]))
            column = _column_index(match[1])
            if any(low <= column <= high for low, high in hidden_columns):
                columns_with_hidden_data.add(match[1])
        row.clear()
    return has_data, rows_with_hidden_data, columns_with_hidden_data


def _sheet_comments(zipped: BoundedZip, part: str, label: str, inspection: Inspection) -> None:
    for kind, target in zipped.relationships(part).values():
        if kind.endswith(_COMMENTS_REL) and zipped.has(target):
            for comment in zipped.elements(target, {f"{_S}comment"}):
                text = "".join(node.text or "" for node in comment.iter(f"{_S}t"))
                inspection.parts.append(TextPart(f"{label}单元格 {comment.get('ref', '')} 的批注", text))
                comment.clear()


_SHEET_STATES = {"hidden": "隐藏", "veryHidden": "深度隐藏"}


def _pivot_caches(zipped: BoundedZip, inspection: Inspection) -> None:
    """数据透视表 keep a copy of their source data in the file, even after the source sheet
    is deleted: every value of it is read."""
    for name in sorted(zipped.names()):
        if not re.fullmatch(r"xl/pivotCache/pivotCache(?:Records|Definition)\d*\.xml", name):
            continue
        for item in zipped.elements(name, {f"{_S}s", f"{_S}n"}):
            value = item.get("v", "")
            if value.strip():
                inspection.parts.append(TextPart("数据透视表的缓存数据", value))


def inspect_xlsx(data: bytes, depth: int = 0) -> Inspection:
    zipped = BoundedZip(data)
    workbook = zipped.main_part("xl/workbook.xml")
    if not zipped.has(workbook):
        raise UnreadableFile("不是有效的 Excel 工作簿（缺少 xl/workbook.xml）")
    targets = zipped.relationships(workbook)
    sheets = [(sheet.get("name", ""), sheet.get("state", "visible"), sheet.get(f"{_R}id", ""))
              for sheet in zipped.elements(workbook, {f"{_S}sheet"})]
    shared = _shared_strings(zipped)
    inspection = Inspection()
    for name, state, relation in sheets:
        part = targets.get(relation, ("", ""))[1]
        if not zipped.has(part):
            continue
        state_label = _SHEET_STATES.get(state)
        label = f"工作表「{name}」" + (f"（{state_label}）" if state_label else "")
        has_data, rows, columns = _sheet(zipped, part, label, shared, inspection)
        _sheet_comments(zipped, part, label, inspection)
        if state_label and has_data:
            inspection.hidden.append(f"{state_label}的工作表「{name}」含有数据")
        if rows:
            shown = "、".join(str(row) for row in sorted(rows)[:5])
            inspection.hidden.append(
                f"工作表「{name}」第 {shown}{' 等' if len(rows) > 5 else ''} 行被隐藏且含有数据")
        if columns:
            ordered = sorted(columns, key=lambda letters: (len(letters), letters))
            inspection.hidden.append(
                f"工作表「{name}」{'、'.join(ordered[:5])}{' 等' if len(ordered) > 5 else ''} 列被隐藏且含有数据")
    _pivot_caches(zipped, inspection)
    _embedded(zipped, inspection, depth)
    return inspection


# --- CSV and TXT ------------------------------------------------------------------------------


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without BOM), else GB18030 (what Excel and Notepad save on Chinese
    Windows); None for anything else."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def inspect_text(data: bytes, is_csv: bool) -> Inspection:
    text = decode_text(data)
    if text is None:
        return Inspection(error="不是可读的文本文件（应为 UTF-8 或 GBK 编码的文字）")
    parts = []
    if is_csv:
        # One part per row (not per cell): a 50 MB table has millions of cells.
        try:
            parts = [TextPart(f"第 {number} 行", "\t".join(row))
                     for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)
                     if any(cell.strip() for cell in row)]
        except csv.Error:
            parts = []
    if not parts:
        parts = [TextPart(f"第 {number} 行", line)
                 for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
    return Inspection(parts)


def inspect(format_name: str, data: bytes) -> Inspection:
    """Inspect the bytes of a file already known to be of `format_name` (attachments.FORMATS)."""
    try:
        if format_name == "PDF":
            return inspect_pdf(data)
        if format_name == "DOCX":
            return inspect_docx(data)
        if format_name == "XLSX":
            return inspect_xlsx(data)
        if format_name in ("CSV", "TXT"):
            return inspect_text(data, format_name == "CSV")
    except UnreadableFile as error:
        return Inspection(error=str(error))
    return Inspection()  # images: no text layer
