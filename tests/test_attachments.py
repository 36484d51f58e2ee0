"""Attachments (附件), with real files: refusals in `gongkai check` and the build, published
copies without metadata, the 附件 block, body links, search text and open data."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from pathlib import Path

import pypdf
from openpyxl import load_workbook
from PIL import Image

from attachment_files import (
    EXE,
    ID_MASKED,
    ID_NUMBER,
    LEGACY_DOC,
    MOBILE,
    MOBILE_MASKED,
    docx,
    jpeg_with_gps,
    paragraph,
    pdf,
    png_with_text,
    tracked_deletion,
    xlsx,
    zip_bomb_xlsx,
)
from conftest import Project
from gongkai.attachments import inspect_file
from gongkai.inspection import BoundedZip, UnreadableFile

ADVICE = "依法确需公开的，在 personal_data_allowed 中写明该号码和公开依据"


def _check(project: Project) -> tuple[int, str]:
    result = project.gongkai("check", env={"GONGKAI_TODAY": "2026-06-01"})
    return result.returncode, result.stdout + result.stderr


def test_every_refusal_names_the_file_and_where_inside_it(project: Project):
    folder = "disclosures/2021"
    project.write_bytes(f"{folder}/预算表.xlsx", xlsx(
        {"收支总表": [["项目", "金额"], ["办公费", 12.5]], "Sheet2": [["身份证号", ID_NUMBER]]},
        hidden=("Sheet2",)))
    project.write_bytes(f"{folder}/申请表.docx", docx(paragraph("申请表"), comments=[f"请联系 {MOBILE}"]))
    project.write_bytes(f"{folder}/修订稿.docx", docx(tracked_deletion("保留的文字", "已删去的一句")))
    project.write_bytes(f"{folder}/政策.pdf", pdf(["第一页", f"身份证号 {ID_NUMBER}"]))
    project.write_bytes(f"{folder}/旧文件.doc", LEGACY_DOC)
    project.write_bytes(f"{folder}/伪装.pdf", EXE)
    project.write_bytes(f"{folder}/setup.exe", EXE)
    project.write_bytes(f"{folder}/炸弹.xlsx", zip_bomb_xlsx())
    project.write_bytes(f"{folder}/改名.docx", LEGACY_DOC)
    project.entry(f"{folder}/a.md", index_no="000014349/2021-00001",
                  attachments="[预算表.xlsx, 申请表.docx, 修订稿.docx, 政策.pdf]")
    project.entry(f"{folder}/b.md", index_no="000014349/2021-00002",
                  attachments="[旧文件.doc, 伪装.pdf, setup.exe, 没有这个文件.pdf, 炸弹.xlsx, 改名.docx]")
    project.entry(f"{folder}/c.md", index_no="000014349/2021-00003",
                  attachments="[../../../outside.pdf]")
    started = time.monotonic()
    code, output = _check(project)
    assert time.monotonic() - started < 60
    assert code == 1
    assert "Traceback" not in output
    at_a = f"{folder}/a.md:7: attachments: "
    at_b = f"{folder}/b.md:7: attachments: "
    expected = [
        (f"{at_a}附件「预算表.xlsx」工作表「Sheet2」（隐藏）单元格 B1 含有未去标识化的居民身份证号："
         f"请在原文件中改写为「{ID_MASKED}」后重新保存；{ADVICE}"),
        (f"{at_a}附件「预算表.xlsx」隐藏的工作表「Sheet2」含有数据，本站不会替您删除（删除会改变文件内容）："
         "请取消隐藏并核对这些内容，删除不应公开的部分后重新保存"),
        f"{at_a}附件「申请表.docx」批注 1 含有未去标识化的手机号码：请在原文件中改写为「{MOBILE_MASKED}」",
        (f"{at_a}附件「申请表.docx」含有 1 条批注，本站不会替您删除（删除会改变文件内容）："
         "请在 Word 中接受或拒绝全部修订、删除批注（和隐藏文字）后重新保存"),
        f"{at_a}附件「修订稿.docx」含有未处理的修订（删除 1 处），本站不会替您删除",
        f"{at_a}附件「政策.pdf」第 2 页含有未去标识化的居民身份证号：请在原文件中改写为「{ID_MASKED}」",
        (f"{at_b}附件「旧文件.doc」是旧版 Office/WPS 格式（.doc），无法检查其中的个人信息和隐藏内容："
         "请用 Office 或 WPS 打开，另存为 DOCX 或 PDF 后再附上"),
        f"{at_b}附件「伪装.pdf」内容与扩展名不符：扩展名是 .pdf，内容却是可执行程序或脚本，不予发布",
        f"{at_b}附件「setup.exe」是可执行程序、脚本或网页（含 SVG），本站不发布此类文件",
        f"{at_b}附件「没有这个文件.pdf」找不到文件 {folder}/没有这个文件.pdf",
        f"{at_b}附件「炸弹.xlsx」解压后超过 300 MB，超出 200 MB 的上限，疑为压缩炸弹",
        f"{at_b}附件「改名.docx」实际上是旧版 Office/WPS 格式，只是扩展名被改过",
        f"{folder}/c.md:7: attachments: 附件「../../../outside.pdf」位于 disclosures/ 之外",
    ]
    for message in expected:
        assert message in output, message
    assert ID_NUMBER not in output and MOBILE not in output  # logs stay free of the numbers
    # The same messages stop the strict build.
    result = project.build()
    assert result.returncode != 0
    assert expected[0] in result.output and expected[6] in result.output


def test_symlink_special_file_and_size_limit(project: Project):
    folder = project.root / "disclosures/2021"
    project.write_bytes("disclosures/2021/real.pdf", pdf(["正文"]))
    (folder / "link.pdf").symlink_to(folder / "real.pdf")
    (folder / "dir.pdf").mkdir()
    project.write_bytes("disclosures/2021/big.csv", b"a,b\n" * (1024 * 1024 // 4 + 1))
    project.write("mkdocs.yml", (project.root / "mkdocs.yml").read_text("utf-8")
                  + "    attachment_max_mb: 1\n")
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001",
                  attachments="[link.pdf, dir.pdf, big.csv]")
    code, output = _check(project)
    assert code == 1
    prefix = "disclosures/2021/a.md:7: attachments: "
    assert f"{prefix}附件「link.pdf」是一个符号链接，不予发布" in output
    assert f"{prefix}附件「dir.pdf」不是普通文件（是文件夹或设备等），不予发布" in output
    assert f"{prefix}附件「big.csv」有 1.0 MB，超过 1 MB 的上限" in output


def test_published_copies_lose_metadata_open_and_are_listed(project: Project):
    folder = "disclosures/2021"
    project.write_bytes(f"{folder}/预算表.xlsx", xlsx(
        {"收支总表": [["项目", "金额"], ["办公费鹦鹉螺", 12.5]]}, creator="张三"))
    project.write_bytes(f"{folder}/a/政策 文件.pdf", pdf(["耕地地力保护补贴实施办法玳瑁"], author="李四"))
    project.write_bytes(f"{folder}/申请表.docx", docx(paragraph("政府信息公开申请表")))
    project.write_bytes(f"{folder}/现场.jpg", jpeg_with_gps())
    project.write_bytes(f"{folder}/图.png", png_with_text())
    project.write_bytes(f"{folder}/名单.csv", "姓名,金额\n张某,100\n".encode("gbk"))
    project.entry(f"{folder}/a.md", index_no="000014349/2021-00001", body=(
        "详见[预算表](预算表.xlsx)和[政策](<a/政策 文件.pdf>)。\n\n![现场](现场.jpg)"),
        attachments=("[{file: 预算表.xlsx, title: 示例镇2021年部门预算表}, \"a/政策 文件.pdf\", "
                     "申请表.docx, 现场.jpg, 图.png, 名单.csv]"))
    project.write_bytes(f"{folder}/草稿附件.pdf", pdf(["草稿里的秘密词"]))
    project.entry(f"{folder}/draft.md", index_no="000014349/2021-00002", draft="true",
                  attachments="[草稿附件.pdf]")
    project.write_bytes("disclosures/2099/未来.pdf", pdf(["未来的词"]))
    project.entry("disclosures/2099/future.md", date="2099-01-01",
                  index_no="000014349/2099-00001", attachments="[未来.pdf]")
    result = project.build()
    assert result.returncode == 0, result.output
    published = result.site / "disclosures/2021/a"
    assert sorted(path.name for path in published.iterdir()) == sorted(
        ["index.html", "预算表.xlsx", "政策 文件.pdf", "申请表.docx", "现场.jpg", "图.png", "名单.csv"])
    # Metadata gone, and the copies still open with the libraries that wrote them.
    book = load_workbook(published / "预算表.xlsx")
    assert book["收支总表"]["A2"].value == "办公费鹦鹉螺"
    assert b"\xe5\xbc\xa0\xe4\xb8\x89" not in zipfile.ZipFile(published / "预算表.xlsx").read(
        "docProps/core.xml")  # 张三
    reader = pypdf.PdfReader(published / "政策 文件.pdf")
    assert "玳瑁" in reader.pages[0].extract_text()
    assert not reader.metadata and "/Metadata" not in reader.trailer["/Root"]
    assert "李四".encode("utf-16-be") not in (published / "政策 文件.pdf").read_bytes()
    core = zipfile.ZipFile(published / "申请表.docx").read("docProps/core.xml").decode()
    app = zipfile.ZipFile(published / "申请表.docx").read("docProps/app.xml").decode()
    assert "王五" not in core and "赵六" not in core and "某某科技" not in app
    photo = Image.open(published / "现场.jpg")
    photo.load()
    assert photo.size == (64, 48) and not photo.getexif() and not photo.getexif().get_ifd(0x8825)
    assert "Author" not in Image.open(published / "图.png").info
    assert (project.root / f"{folder}/现场.jpg").read_bytes() == jpeg_with_gps()  # repo untouched
    assert ("INFO    -  disclosures/2021/a.md: attachments: 附件「现场.jpg」的发布副本已去除元数据："
            "EXIF/XMP（含拍摄地点、相机、作者）") in result.output
    assert "附件「政策 文件.pdf」的发布副本已去除元数据：作者、创建时间、创建工具" in result.output
    # The 附件 block ends the page, each a download link, URL-encoded; body links rewritten.
    page = result.page("disclosures/2021/a")
    block = page[page.index('<section class="gk-attachments"'):]
    assert ('<li><a href="%E9%A2%84%E7%AE%97%E8%A1%A8.xlsx" download="预算表.xlsx">'
            "附件1：示例镇2021年部门预算表</a>（XLSX，") in block
    assert '<a href="%E6%94%BF%E7%AD%96%20%E6%96%87%E4%BB%B6.pdf" download="政策 文件.pdf">附件2：政策 文件</a>（PDF，' in block
    assert "附件6：名单</a>（CSV，" in block
    assert 'href="%E6%94%BF%E7%AD%96%20%E6%96%87%E4%BB%B6.pdf">政策</a>' in page
    assert 'src="%E7%8E%B0%E5%9C%BA.jpg"' in page
    # Drafts' and future entries' attachments reach no output at all.
    everything = result.all_text()
    assert not (result.site / "disclosures/2021/draft").exists()
    assert "草稿附件" not in everything and "未来.pdf" not in everything
    assert not list(result.site.rglob("草稿附件.pdf")) and not list(result.site.rglob("未来.pdf"))
    # Open data: title, file, url, format, bytes, sha256.
    data = json.loads((result.site / "data/catalogue.json").read_text("utf-8"))
    first = data["entries"][0]["attachments"][0]
    source = (project.root / f"{folder}/预算表.xlsx").read_bytes()
    import hashlib

    assert first == {
        "title": "示例镇2021年部门预算表", "file": "预算表.xlsx",
        "url": "https://example.gov.cn/township/disclosures/2021/a/%E9%A2%84%E7%AE%97%E8%A1%A8.xlsx",
        "format": "XLSX", "bytes": len(source), "sha256": hashlib.sha256(source).hexdigest(),
    }
    rows = list(csv.DictReader(io.StringIO(
        (result.site / "data/catalogue.csv").read_bytes().decode("utf-8-sig"))))
    assert rows[0]["附件文件"].split(";")[:2] == ["预算表.xlsx", "政策 文件.pdf"]
    assert rows[0]["附件格式"] == "XLSX;PDF;DOCX;JPEG;PNG;CSV"
    assert "<code>attachments</code>" in result.page("data")
    # Search: the words only in attachments are in the index's input (checked in the browser
    # test too); here, that the index was built with the entry.
    assert "站内搜索索引：已收录 1 条公开信息" in result.output


def test_body_links_must_resolve(project: Project):
    project.write_bytes("disclosures/2021/listed.pdf", pdf(["x"]))
    project.write_bytes("disclosures/2021/unlisted.pdf", pdf(["y"]))
    project.entry("disclosures/2021/other.md", index_no="000014349/2021-00001", date="2021-01-01")
    project.entry("disclosures/2021/later.md", index_no="000014349/2021-00003", date="2021-05-01")
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00002", attachments="[listed.pdf]",
                  body=("[附件](listed.pdf) [另一条](other.md) [首页](../../index.md) [外部](https://x.cn/a.pdf)\n"
                        "[锚点](#x) `[代码](nothing.pdf)`\n\n"
                        "[未列出](unlisted.pdf)\n\n![图](missing.png)\n\n[以后](later.md)\n\n"
                        "[ref]: ../../nowhere.md\n"))
    code, output = _check(project)
    assert code == 1
    prefix = "disclosures/2021/a.md"
    assert (f"{prefix}:12: 正文: 链接的文件「unlisted.pdf」没有列在 attachments 中，不会发布，链接将打不开："
            "请在 attachments 中列出它（attachments: [unlisted.pdf]）") in output
    assert (f"{prefix}:14: 正文: 链接「missing.png」的目标不存在，网站上将打不开：请核对文件名；"
            "附件要在 attachments 中列出，链接其他信息请写它的 .md 文件名") in output
    assert f"{prefix}:16: 正文: 链接的「关于测试事项的公告」（later.md）发布日期 2021-05-01 晚于本文的 2021-03-04" in output
    assert f"{prefix}:18: 正文: 链接「../../nowhere.md」的目标不存在" in output
    assert output.count(f"{prefix}:") == 4
    result = project.build()
    assert result.returncode != 0
    assert f"{prefix}:12: 正文: 链接的文件「unlisted.pdf」没有列在 attachments 中" in result.output
    assert "is not found among documentation files" not in result.output


def test_allowed_number_in_an_attachment_is_published_and_noted(project: Project):
    project.write_bytes("disclosures/2021/决定书.pdf", pdf([f"当事人身份证号 {ID_NUMBER}"]))
    project.write("disclosures/2021/a.md", f"""\
        ---
        title: 行政处罚决定书
        date: 2021-03-04
        category: 行政执法
        channels: [website]
        index_no: 000014349/2021-00001
        attachments: [决定书.pdf]
        personal_data_allowed: [{{value: "{ID_NUMBER}", reason: "依据《行政处罚法》第四十八条公开"}}]
        ---
        正文。
        """)
    code, output = _check(project)
    assert code == 0, output
    assert (f"disclosures/2021/a.md:7: attachments: 附件「决定书.pdf」第 1 页按所写理由公开居民身份证号 "
            f"{ID_MASKED}：依据《行政处罚法》第四十八条公开") in output


def test_repeated_check_reads_the_cache_and_sees_changes(project: Project):
    path = project.write_bytes("disclosures/2021/表.xlsx", xlsx({"表": [["甲"]]}))
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001", attachments="[表.xlsx]")
    assert _check(project)[0] == 0
    cache = json.loads((project.root / ".gongkai-cache/attachments.json").read_text("utf-8"))
    assert list(cache["hashes"]) == ["disclosures/2021/表.xlsx"]
    assert (project.root / ".gongkai-cache/.gitignore").read_text() == "*\n"
    path.write_bytes(xlsx({"表": [["甲"]], "隐藏": [[MOBILE]]}, hidden=("隐藏",)))
    code, output = _check(project)
    assert code == 1 and "附件「表.xlsx」工作表「隐藏」（隐藏）单元格 A1 含有未去标识化的手机号码" in output


def test_entity_expansion_and_lying_zip_sizes_are_refused_quickly():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            '<workbook>&lol2;</workbook>'))
    summary, _ = inspect_file("XLSX", bomb.getvalue())
    assert summary.error == "xl/workbook.xml 含有 XML 实体或 DTD 声明，疑为恶意构造"
    # A member whose header understates its size is stopped when the excess comes out.
    honest = io.BytesIO()
    with zipfile.ZipFile(honest, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("word/document.xml", b"<w>" + b"x" * 5000 + b"</w>")
    data = bytearray(honest.getvalue())
    central = data.rindex(b"PK\x01\x02")
    data[central + 24: central + 28] = (100).to_bytes(4, "little")  # uncompressed size: 100
    try:
        zipped = BoundedZip(bytes(data))
        list(zipped.elements("word/document.xml", {"w"}))
    except UnreadableFile as error:
        assert "实际大小与声明不符" in str(error) or "损坏" in str(error)
    else:
        raise AssertionError("a zip that lies about its size was read")


def test_corrupt_files_are_named_errors(project: Project):
    project.write_bytes("disclosures/2021/坏.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    project.write_bytes("disclosures/2021/坏.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001", attachments="[坏.pdf, 坏.xlsx]")
    code, output = _check(project)
    assert code == 1 and "Traceback" not in output
    assert "disclosures/2021/a.md:7: attachments: 附件「坏.pdf」PDF 文件已损坏，无法读取" in output
    assert "disclosures/2021/a.md:7: attachments: 附件「坏.xlsx」内容与扩展名不符" in output


def test_attachment_field_errors(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001",
                  attachments="[https://example.com/a.pdf]")
    project.entry("disclosures/2021/b.md", index_no="000014349/2021-00002",
                  attachments="[{title: 无文件}]")
    _, output = _check(project)
    assert ("disclosures/2021/a.md:7: attachments: 第 1 项「https://example.com/a.pdf」应为相对于本文件所在"
            "文件夹的路径（如 预算表.xlsx），不能是网址或绝对路径") in output
    assert "disclosures/2021/b.md:7: attachments: 第 1 项应写 file（和可选的 title）" in output


def test_txt_attachment_is_not_reported_as_a_misnamed_entry(project: Project):
    project.write("disclosures/2021/说明.txt", "说明文字\n")
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001", attachments="[说明.txt]")
    code, output = _check(project)
    assert code == 0, output


def test_searching_a_word_only_in_an_attachment_finds_the_entry(tmp_path: Path, browser):
    from urllib.parse import quote, unquote, urlsplit

    from browser import serve_under_sub_path
    from conftest import build_with_project_front_end

    def write(project: Project) -> None:
        project.write_bytes("disclosures/2021/办法.pdf", pdf(["本办法所称鹦鹉螺补贴"]))
        project.write_bytes("disclosures/2021/表.xlsx", xlsx({"表": [["玳瑁项目", 1]]}))
        project.write_bytes("disclosures/2021/单.docx", docx(paragraph("砗磲申请")))
        project.write("disclosures/2021/说明.csv", "项目,说明\n甲,珊瑚礁\n")
        project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001",
                      title="关于补贴的通知", attachments="[办法.pdf, 表.xlsx, 单.docx, 说明.csv]")
        project.entry("disclosures/2021/b.md", index_no="000014349/2021-00002", title="无关的通知")

    result = build_with_project_front_end(tmp_path / "site-project", write)
    with serve_under_sub_path(result.site) as base:
        for word in ("鹦鹉螺", "玳瑁", "砗磲", "珊瑚礁"):
            page = browser.new_page()
            page.goto(f"{base}search/?q={quote(word)}")
            page.wait_for_selector("body[data-gk-state=done]")
            urls = page.eval_on_selector_all(".gk-result__title",
                                             "links => links.map(a => a.pathname)")
            page.close()
            assert [unquote(url) for url in urls] == [
                f"{urlsplit(base).path}disclosures/2021/a/"], word


def test_new_attach_copies_the_files_beside_the_entry_and_lists_them(project: Project):
    outside = project.root.parent / "收件箱"
    outside.mkdir()
    (outside / "预算表.xlsx").write_bytes(xlsx({"表": [["项目"]]}))
    (outside / "申请 表.docx").write_bytes(docx(paragraph("申请表")))
    today = {"GONGKAI_TODAY": "2026-11-26"}
    created = project.gongkai("new", "--title", "关于预算的公告", "--category", "财政信息",
                              "--channels", "website", "--attach", str(outside / "预算表.xlsx"),
                              str(outside / "申请 表.docx"), env=today)
    assert created.returncode == 0, created.stderr
    entry = project.root / "disclosures/2026/2026-11-26-00001.md"
    text = entry.read_text("utf-8")
    assert 'attachments: ["2026-11-26-00001/预算表.xlsx", "2026-11-26-00001/申请 表.docx"]\n' in text
    folder = project.root / "disclosures/2026/2026-11-26-00001"
    assert (folder / "预算表.xlsx").read_bytes() == (outside / "预算表.xlsx").read_bytes()
    entry.write_text(text.replace("（请在此处粘贴正文，并删除本行）", "见附件。"), "utf-8")
    check = project.gongkai("check", env=today)
    assert check.returncode == 0, check.stdout
    result = project.build(env=today)
    assert result.returncode == 0, result.output
    assert (result.site / "disclosures/2026/2026-11-26-00001/申请 表.docx").is_file()
    missing = project.gongkai("new", "--title", "另一条", "--category", "财政信息",
                              "--channels", "website", "--attach", "没有.pdf", env=today)
    assert missing.returncode == 1
    assert "gongkai new：--attach：找不到文件「没有.pdf」（或它不是文件）" in missing.stderr


def test_files_embedded_in_a_document_and_strict_ooxml_are_read_too():
    inner = xlsx({"名单": [["姓名", "电话"], ["张某", MOBILE]]})
    outer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx(paragraph("见嵌入的表格")))) as source, \
            zipfile.ZipFile(outer, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/embeddings/Microsoft_Excel_Worksheet.xlsx", inner)
    summary, _ = inspect_file("DOCX", outer.getvalue())
    assert [(finding.kind, finding.where) for finding in summary.findings] == [
        ("mobile", "嵌入的文件「Microsoft_Excel_Worksheet.xlsx」中工作表「名单」单元格 B2")]
    # "Strict Open XML": the same elements in other namespaces.
    strict = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx(tracked_deletion("保留", "删去")))) as source, \
            zipfile.ZipFile(strict, "w") as target:
        for info in source.infolist():
            target.writestr(info, source.read(info).replace(
                b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                b"http://purl.oclc.org/ooxml/wordprocessingml/main"))
    summary, text = inspect_file("DOCX", strict.getvalue())
    assert summary.hidden == ["含有未处理的修订（删除 1 处）"] and "保留" in text


def test_documents_among_the_site_pages_are_screened_and_published_without_metadata(
        project: Project):
    project.write_bytes("docs/files/申请表.docx", docx(paragraph("政府信息公开申请表")))
    project.write("docs/guide.md", "# 指南\n\n[申请表](files/申请表.docx)\n")
    result = project.build()
    assert result.returncode == 0, result.output
    assert "INFO    -  docs/files/申请表.docx: 文件: 发布副本已去除元数据：标题、作者" in result.output
    core = zipfile.ZipFile(result.site / "files/申请表.docx").read("docProps/core.xml").decode()
    assert "王五" not in core
    project.write_bytes("docs/files/名单.xlsx", xlsx({"表": [["甲"]], "隐": [[MOBILE]]}, hidden=("隐",)))
    result = project.build()
    assert result.returncode != 0
    assert ("WARNING -  docs/files/名单.xlsx: 文件: 隐藏的工作表「隐」含有数据，本站不会替您删除"
            in result.output)
    assert "docs/files/名单.xlsx: 文件: 工作表「隐」（隐藏）单元格 A1 含有未去标识化的手机号码" in result.output
