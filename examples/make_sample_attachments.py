"""Writes the sample site's files: a budget XLSX, a policy PDF (attachments of two entries) and
the application form the 政府信息公开指南 links to (in docs/files/).

The files are committed; this script is how they were made, byte for byte the same on every
run (fixed dates inside and in the zip headers). Each carries an author and a company, as
files from an office do, so that the build log shows what the published copies lose.

    .venv/bin/pip install -e '.[test]'   # openpyxl and reportlab
    .venv/bin/python examples/make_sample_attachments.py
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from gongkai.application_form import application_form_docx

ROOT = Path(__file__).resolve().parent.parent
FIXED = (2026, 1, 9, 9, 0, 0)


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every part dated FIXED, and the modified date openpyxl stamps at
    saving fixed too, so the file does not change per run."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*",
                                 rb"\g<1>2026-01-09T09:00:00Z", content)
            target.writestr(fixed, content)
    return output.getvalue()


def budget_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "收支总表"
    rows = [
        ["示例镇2026年一般公共预算收支总表", None, None],
        ["单位：万元", None, None],
        ["项目", "2025年执行数", "2026年预算数"],
        ["一、一般公共预算收入", 2310.4, 2386.0],
        ["  税收收入", 1580.2, 1632.5],
        ["  非税收入", 730.2, 753.5],
        ["二、一般公共预算支出", 5128.7, 5269.3],
        ["  一般公共服务支出", 1102.6, 1088.4],
        ["  农林水支出", 1876.3, 1954.0],
        ["  社会保障和就业支出", 968.5, 1012.7],
        ["  城乡社区支出", 1181.3, 1214.2],
    ]
    for row in rows:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 32
    three = book.create_sheet("三公经费")
    for row in [["项目", "2026年预算数（万元）"], ["因公出国（境）费", 0], ["公务接待费", 3.2],
                ["公务用车购置及运行维护费", 8.6], ["合计", 11.8]]:
        three.append(row)
    created = dt.datetime(2026, 1, 9, 9, 0, 0)
    book.properties.creator = "示例镇财政所 王会计"
    book.properties.lastModifiedBy = "示例镇财政所 王会计"
    book.properties.created = book.properties.modified = created
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue())


def policy_pdf() -> bytes:
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer, invariant=1)
    document.setAuthor("示例镇农业服务中心 李某")
    document.setCreator("Microsoft Word")
    document.setTitle("示例镇耕地地力保护补贴实施办法")
    pages = [
        ["示例镇2026年耕地地力保护补贴实施办法", "",
         "第一条 为做好耕地地力保护补贴工作，根据县农业农村委有关规定，制定本办法。",
         "第二条 补贴对象为拥有耕地承包权的种地农民。",
         "第三条 补贴依据为二轮承包耕地面积，已作为畜牧养殖场使用的耕地、",
         "林地、成片粮田转为设施农业用地的不予补贴。"],
        ["第四条 补贴面积由村（社区）核实，在村级公示栏公示7个工作日。",
         "第五条 补贴资金通过惠农“一卡通”直接发放到户。",
         "第六条 本办法自印发之日起施行，由示例镇农业服务中心负责解释。"],
    ]
    for lines in pages:
        document.setFont("STSong-Light", 12)
        for number, line in enumerate(lines):
            document.drawString(72, 760 - 22 * number, line)
        document.showPage()
    document.save()
    return buffer.getvalue()


def form_docx() -> bytes:
    """政府信息公开申请表, as `gongkai init` writes it, with the author and company an office's
    Word leaves in it."""
    return application_form_docx(
        "示例镇人民政府", "受理机构：示例镇党政综合办公室　地址：示例县示例镇示例路88号",
        author="党政综合办公室 张某", company="示例镇人民政府",
    )


FILES = {
    "disclosures/2026/2026-01-15-yusuan/示例镇2026年一般公共预算收支表.xlsx": budget_xlsx,
    "disclosures/2026/2026-04-09-gengdi-butie/示例镇2026年耕地地力保护补贴实施办法.pdf": policy_pdf,
    # A page of the site links to the form, so it lives with the pages: a site page must not
    # depend on one entry being published.
    "docs/files/政府信息公开申请表.docx": form_docx,
}


def main() -> None:
    for relative, make in FILES.items():
        path = ROOT / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make())
        print(f"{relative}（{path.stat().st_size} 字节）")


if __name__ == "__main__":
    main()
