"""Real attachment files for the tests, made with the libraries that write them for real.

Word documents are written as the zip of XML parts Word itself writes (python-docx cannot make
comments or tracked changes), so each test says exactly what the document holds.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from openpyxl.comments import Comment
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

ID_NUMBER = "500230199001010015"
ID_MASKED = "500230********0015"
MOBILE = "13812345678"
MOBILE_MASKED = "138****5678"

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>
<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>
<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>
</Types>"""
_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>
</Relationships>"""
_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/>
</Relationships>"""
CORE_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>申请表</dc:title><dc:creator>王五</dc:creator><cp:lastModifiedBy>赵六</cp:lastModifiedBy>
<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-02T03:04:05Z</dcterms:created>
</cp:coreProperties>"""
APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>Microsoft Office Word</Application><Company>某某科技有限公司</Company><Manager>钱七</Manager><Template>Normal.dotm</Template>
</Properties>"""


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def docx(body_xml: str, comments: list[str] = (), core: str = CORE_XML) -> bytes:  # type: ignore[assignment]
    """A Word document whose body is `body_xml` (w:p elements) and with `comments`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _PACKAGE_RELS)
        archive.writestr("word/_rels/document.xml.rels", _DOCUMENT_RELS)
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                         f'<w:document xmlns:w="{_W}"><w:body>{body_xml}</w:body></w:document>')
        if comments:
            items = "".join(f'<w:comment w:id="{n}" w:author="审核人">{paragraph(text)}</w:comment>'
                            for n, text in enumerate(comments))
            archive.writestr("word/comments.xml", f'<?xml version="1.0" encoding="UTF-8"?>'
                             f'<w:comments xmlns:w="{_W}">{items}</w:comments>')
        archive.writestr("docProps/core.xml", core)
        archive.writestr("docProps/app.xml", APP_XML)
    return buffer.getvalue()


def tracked_deletion(kept: str, deleted: str) -> str:
    """A paragraph with `kept` text and a tracked deletion of `deleted`."""
    return (f'<w:p><w:r><w:t>{kept}</w:t></w:r><w:del w:id="1" w:author="王五" '
            f'w:date="2026-01-02T00:00:00Z"><w:r><w:delText>{deleted}</w:delText></w:r></w:del></w:p>')


def xlsx(sheets: dict[str, list[list[object]]], hidden: tuple[str, ...] = (),
         very_hidden: tuple[str, ...] = (), hidden_rows: dict[str, list[int]] | None = None,
         hidden_columns: dict[str, list[str]] | None = None,
         comments: dict[str, dict[str, str]] | None = None, creator: str = "张三") -> bytes:
    """A workbook made by openpyxl with the sheets, hidden as asked."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
        if name in very_hidden:
            sheet.sheet_state = "veryHidden"
        for number in (hidden_rows or {}).get(name, []):
            sheet.row_dimensions[number].hidden = True
        for letter in (hidden_columns or {}).get(name, []):
            sheet.column_dimensions[letter].hidden = True
        for cell, text in (comments or {}).get(name, {}).items():
            sheet[cell].comment = Comment(text, "审核人")
    book.properties.creator = creator
    book.properties.lastModifiedBy = creator
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def pdf(pages: list[str], author: str = "张三") -> bytes:
    """A PDF with one line of (Chinese) text per page and an author in its Info."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, invariant=1)
    document.setAuthor(author)
    document.setCreator("Microsoft Word")
    for text in pages:
        document.setFont("STSong-Light", 12)
        document.drawString(72, 700, text)
        document.showPage()
    document.save()
    return buffer.getvalue()


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG photo whose EXIF holds a camera, an author and a GPS position."""
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "某品牌相机"  # Make
    exif[0x013B] = "张三"  # Artist
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (29.0, 33.0, 10.0)
    gps[3], gps[4] = "E", (106.0, 30.0, 5.0)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def png_with_text() -> bytes:
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "张三")
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


def zip_bomb_xlsx(megabytes: int = 300) -> bytes:
    """An XLSX whose one sheet unpacks to `megabytes` MB of XML (a few hundred KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            chunk = b"<row>" + b" " * (1024 * 1024 - 11) + b"</row>"
            for _ in range(megabytes):
                sheet.write(chunk)
    return buffer.getvalue()


LEGACY_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + "示例".encode("utf-16-le") * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
