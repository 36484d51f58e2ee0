"""The 政府信息公开申请表 (application form) as a Word file, for a site's 政府信息公开指南.

Written part by part as Word writes them (no Office library needed), byte for byte the same
for the same arguments: `gongkai init` gives every new site one with its own 发布机构, and the
sample site's copy is made by examples/make_sample_attachments.py.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

FIXED = (2026, 1, 9, 9, 0, 0)
"""Date of every zip part, so the same arguments give the same bytes."""
FILE_NAME = "政府信息公开申请表.docx"
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _paragraph(text: str, bold: bool = False) -> str:
    properties = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return (f'<w:p><w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
            "</w:p>")


def _row(*cells: str) -> str:
    return "<w:tr>" + "".join(f"<w:tc>{_paragraph(cell)}</w:tc>" for cell in cells) + "</w:tr>"


def application_form_docx(publisher: str, office: str, author: str = "",
                          company: str = "") -> bytes:
    """The form addressed to `publisher`, naming `office` (受理机构 and address) at its foot.
    `author` and `company` go into the file's properties, as an office's Word would write
    them (the published copy loses them); empty, the properties hold neither."""
    table = (
        "<w:tbl><w:tblPr><w:tblBorders>"
        + "".join(f'<w:{side} w:val="single" w:sz="4"/>'
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + "</w:tblBorders></w:tblPr>"
        + _row("申请人类型", "□公民　□法人或者其他组织")
        + _row("姓名／名称", "")
        + _row("证件名称及号码", "")
        + _row("联系电话", "")
        + _row("通信地址及邮政编码", "")
        + _row("所需政府信息的名称、文号或者便于查询的其他特征性描述", "")
        + _row("获取信息的方式", "□邮寄　□电子邮件　□当面领取　□在线获取")
        + _row("申请人签名（盖章）", "")
        + _row("申请时间", "　　年　　月　　日")
        + "</w:tbl>"
    )
    body = (_paragraph("政府信息公开申请表", bold=True)
            + _paragraph(f"{publisher}：")
            + _paragraph("根据《中华人民共和国政府信息公开条例》，申请公开以下政府信息。")
            + table
            + _paragraph(office))
    creator = (f"<dc:creator>{escape(author)}</dc:creator>"
               f"<cp:lastModifiedBy>{escape(author)}</cp:lastModifiedBy>" if author else "")
    company_xml = f"<Company>{escape(company)}</Company>" if company else ""
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>"),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>"),
        "word/document.xml": (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                              f'<w:document xmlns:w="{_W}"><w:body>{body}</w:body></w:document>'),
        "docProps/core.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>政府信息公开申请表</dc:title>'
            f"{creator}"
            '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-09T09:00:00Z</dcterms:created>'
            "</cp:coreProperties>"),
        "docProps/app.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            f"<Application>Microsoft Office Word</Application>{company_xml}"
            "<Template>Normal.dotm</Template></Properties>"),
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return output.getvalue()
