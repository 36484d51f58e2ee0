"""`gongkai annual-report --format docx`: the report as a Word file in the national layout."""

from __future__ import annotations

import io
import os
import subprocess
import sys

from docx import Document
from docx.oxml.ns import qn

from conftest import Project
from test_annual_report import report_project

TODAY = {"GONGKAI_TODAY": "2022-03-01"}


def _spans(row) -> list[tuple[str, int, str | None]]:
    """(text, columns spanned, vertical merge) of each real cell of a table row, from its XML."""
    found = []
    for cell in row._tr.findall(qn("w:tc")):
        properties = cell.find(qn("w:tcPr"))
        span = properties.find(qn("w:gridSpan")) if properties is not None else None
        merge = properties.find(qn("w:vMerge")) if properties is not None else None
        text = "".join(node.text or "" for node in cell.iter(qn("w:t")))
        found.append((text, int(span.get(qn("w:val"))) if span is not None else 1,
                      None if merge is None else (merge.get(qn("w:val")) or "continue")))
    return found


def test_docx_report_has_the_sections_and_national_tables(project: Project):
    report_project(project)
    result = project.gongkai("annual-report", "--year", "2021", "--format", "docx",
                             "-o", "2021年报.docx", env=TODAY)
    assert result.returncode == 0, result.stderr
    assert "已写入 2021年报.docx" in result.stderr
    document = Document(str(project.root / "2021年报.docx"))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert texts[0] == "测试镇人民政府2021年政府信息公开工作年度报告"
    headings = [text for text in texts if text[:2] in ("一、", "二、", "三、", "四、", "五、", "六、")]
    assert headings == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert ("2021年，主动公开政府信息3条，其中，网站子站公开信息3条；"
            "信息公告栏和村级公示栏公开信息1条。") in texts
    assert "公示栏更新不够及时。" in "".join(texts)
    two, three, four = document.tables
    assert _spans(two.rows[0]) == [("第二十条第（一）项", 4, None)]
    assert _spans(two.rows[3]) == [("行政规范性文件", 1, None), ("1", 1, None), ("0", 1, None),
                                   ("1", 1, None)]
    assert _spans(two.rows[6]) == [("行政许可", 1, None), ("12", 3, None)]
    assert _spans(two.rows[13]) == [("行政事业性收费", 1, None), ("2.5", 3, None)]
    # Table 三: the merged two-level header, then the rows with their numbers.
    corner = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert _spans(three.rows[0]) == [(corner, 1, "restart"), ("申请人情况", 7, None)]
    assert _spans(three.rows[1]) == [("", 1, "continue"), ("自然人", 1, "restart"),
                                     ("法人或其他组织", 5, None), ("总计", 1, "restart")]
    assert [text for text, _, _ in _spans(three.rows[2])] == [
        "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]
    assert [text for text, _, _ in _spans(three.rows[3])] == [
        "一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "0", "4"]
    assert _spans(three.rows[5]) == [("三、本年度办理结果", 8, None)]
    assert [text for text, _, _ in _spans(three.rows[-2])] == [
        "（七）总计", "3", "1", "0", "0", "0", "0", "4"]
    # Table 四: 行政复议 and the two kinds of 行政诉讼 side by side.
    assert _spans(four.rows[0]) == [("行政复议", 5, "restart"), ("行政诉讼", 10, None)]
    assert _spans(four.rows[1])[1:] == [("未经复议直接起诉", 5, None), ("复议后起诉", 5, None)]
    assert [text for text, _, _ in _spans(four.rows[3])] == [
        "1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "1", "1"]


def test_docx_goes_to_a_redirected_stdout_too(project: Project):
    report_project(project)
    result = subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "annual-report", "--year", "2021", "--format", "docx"],
        check=False, cwd=project.root, capture_output=True, env={**os.environ, **TODAY},
    )
    assert result.returncode == 0, result.stderr.decode()
    document = Document(io.BytesIO(result.stdout))
    assert document.paragraphs[0].text == "测试镇人民政府2021年政府信息公开工作年度报告"
