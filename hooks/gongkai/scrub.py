"""The published copy of an attachment, without the metadata that names people and places.

PDF: the document information dictionary and XMP (author, creator, producer). DOCX/XLSX: the
`docProps` parts (core: author, last modified by; app: company, manager, template; custom),
replaced by empty ones, every other part copied byte for byte. JPEG: the APP1 (EXIF with GPS
and camera, XMP), APP13 (IPTC) segments and comments, the image data untouched. PNG: the
text, EXIF and time chunks. The file in the repository is never changed; each function gives
the new bytes and what it removed, in words for the build log.
"""

from __future__ import annotations

import io
import struct
import zipfile

_OFFICE_EMPTY_PARTS = {
    "docProps/core.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
    ),
    "docProps/app.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
    ),
    "docProps/custom.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>'
    ),
}
_PROPERTY_WORDS = {
    "creator": "作者", "lastModifiedBy": "最后修改者", "Company": "单位", "Manager": "经理",
    "Template": "模板", "title": "标题", "subject": "主题", "keywords": "关键词",
    "description": "备注", "category": "类别", "Application": "生成程序",
    "AppVersion": "程序版本", "created": "创建时间", "modified": "修改时间",
    "lastPrinted": "打印时间", "revision": "修订号", "TotalTime": "编辑时长",
    "PDF /Author": "作者", "PDF /Creator": "创建工具", "PDF /Producer": "生成工具",
    "PDF /Title": "标题", "PDF /Subject": "主题", "PDF /Keywords": "关键词",
    "PDF /CreationDate": "创建时间", "PDF /ModDate": "修改时间", "PDF /Trapped": "陷印标记",
}


def _office_properties(data: bytes) -> list[str]:
    """Names of the non-empty properties in a docProps part."""
    from defusedxml.ElementTree import fromstring

    try:
        root = fromstring(data, forbid_dtd=True)
    except Exception:  # noqa: BLE001 (a property part we cannot read is replaced all the same)
        return ["文档属性"]
    names = []
    for element in root.iter():
        if element is not root and (element.text or "").strip():
            local = element.tag.rpartition("}")[2]
            names.append(_PROPERTY_WORDS.get(local, local))
        if element.get("name"):
            names.append(f"自定义属性「{element.get('name')}」")
    return names


def scrub_office(data: bytes) -> tuple[bytes, list[str]]:
    source = zipfile.ZipFile(io.BytesIO(data))
    removed: list[str] = []
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename in _OFFICE_EMPTY_PARTS:
                removed += _office_properties(content)
                content = _OFFICE_EMPTY_PARTS[info.filename].encode("utf-8")
            target.writestr(info, content, compress_type=info.compress_type)
    return output.getvalue(), list(dict.fromkeys(removed))


def scrub_pdf(data: bytes) -> tuple[bytes, list[str]]:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(data), strict=False)
    removed = [
        _PROPERTY_WORDS.get(f"PDF {key}", key.lstrip("/"))
        for key, value in (reader.metadata or {}).items() if str(value).strip()
    ]
    writer = PdfWriter(clone_from=reader)
    writer.metadata = None
    if "/Metadata" in writer._root_object:
        del writer._root_object["/Metadata"]
        removed.append("XMP 元数据")
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue(), list(dict.fromkeys(removed))


_JPEG_DROPPED = {0xE1: "EXIF/XMP（含拍摄地点、相机、作者）", 0xED: "IPTC", 0xFE: "注释"}


def scrub_jpeg(data: bytes) -> tuple[bytes, list[str]]:
    """Segments up to the image data, less the ones that describe rather than draw."""
    output = bytearray(data[:2])
    removed: list[str] = []
    position = 2
    while position + 4 <= len(data) and data[position] == 0xFF:
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the compressed image follows to the end
            break
        length = struct.unpack(">H", data[position + 2: position + 4])[0]
        segment = data[position: position + 2 + length]
        if marker in _JPEG_DROPPED:
            removed.append(_JPEG_DROPPED[marker])
        else:
            output += segment
        position += 2 + length
    output += data[position:]
    return bytes(output), list(dict.fromkeys(removed))


_PNG_DROPPED = {b"tEXt": "文字说明", b"zTXt": "文字说明", b"iTXt": "文字说明（含 XMP）",
                b"eXIf": "EXIF", b"tIME": "修改时间"}


def scrub_png(data: bytes) -> tuple[bytes, list[str]]:
    output = bytearray(data[:8])
    removed: list[str] = []
    position = 8
    while position + 12 <= len(data):
        length = struct.unpack(">I", data[position: position + 4])[0]
        kind = data[position + 4: position + 8]
        end = position + 12 + length
        if kind in _PNG_DROPPED:
            removed.append(_PNG_DROPPED[kind])
        else:
            output += data[position:end]
        position = end
    return bytes(output), list(dict.fromkeys(removed))


def published_copy(format_name: str, data: bytes) -> tuple[bytes, list[str]]:
    """The bytes to publish for a checked attachment, and what was removed from them."""
    if format_name == "PDF":
        return scrub_pdf(data)
    if format_name in ("DOCX", "XLSX"):
        return scrub_office(data)
    if format_name == "JPEG":
        return scrub_jpeg(data)
    if format_name == "PNG":
        return scrub_png(data)
    return data, []
