"""The annual report (issue 7): table 二 from the records, the yearly file, the site's pages.

Table 二 is computed on a fixture year whose figures are worked out by hand next to each
record; the yearly file's rules are checked on small texts; one real build shows the report.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from conftest import REPO, Project
from gongkai.annual_data import RESULT_ROWS, load_all_annual_data, read_annual_data
from gongkai.annual_tables import DocumentCounts, amount_text, table_two
from gongkai.config import DisclosureConfig
from gongkai.entry import Entry
from gongkai.reader import read_entry
from test_report_outputs import tables_of

CONFIG = DisclosureConfig()
TODAY = dt.date(2022, 3, 1)
D = dt.date


def entry(number: int, date: dt.date, doc_type: str, **fields: object) -> Entry:
    values: dict[str, object] = {
        "path": f"disclosures/x{number}.md", "slug": f"x{number}", "title": f"第{number}号",
        "date": date, "category": "政策文件", "channels": ("website",),
        "publisher": "测试镇人民政府", "body": "正文", "body_line": 8, "doc_type": doc_type,
    }
    values.update(fields)
    return Entry(**values)  # type: ignore[arg-type]


FIXTURE_2021 = [
    # 行政规范性文件
    entry(1, D(2021, 3, 1), "行政规范性文件"),  # issued, in force
    entry(2, D(2019, 5, 1), "行政规范性文件", repealed=D(2021, 6, 30)),  # ended
    entry(3, D(2020, 1, 1), "行政规范性文件", validity="失效"),  # not in force, no end date
    entry(4, D(2021, 8, 1), "行政规范性文件", repealed=D(2022, 2, 1)),  # issued, in force 31 Dec
    entry(5, D(2021, 5, 1), "行政规范性文件", draft=True),  # never counts
    entry(6, D(2022, 1, 10), "行政规范性文件"),  # next year's
    entry(7, D(2018, 1, 1), "行政规范性文件", expires=D(2030, 1, 1)),  # in force
    # 规章: issued and expired on 31 Dec, so not in force that day
    entry(8, D(2021, 4, 1), "规章", expires=D(2021, 12, 31)),
    # 行政许可: 12 decided in 2021 and published in 2022 count for 2021; 3 by publish date
    entry(9, D(2022, 1, 5), "行政许可", decisions=12, decided=D(2021, 12, 28)),
    entry(10, D(2021, 2, 1), "行政许可", decisions=3),
    entry(11, D(2022, 5, 1), "行政许可", decisions=50, decided=D(2021, 11, 1)),  # not yet public
    # 行政处罚 decided in 2020 (published 2021) counts for 2020
    entry(12, D(2021, 1, 4), "行政处罚", decisions=2, decided=D(2020, 12, 30)),
    entry(13, D(2021, 7, 1), "行政强制"),  # 1 decision by default
    # 行政事业性收费: 0.1 + 0.2 in 2021 (exactly 0.3), 5 in 2020
    entry(14, D(2021, 3, 3), "行政事业性收费", fee_amount=Decimal("0.1")),
    entry(15, D(2021, 9, 9), "行政事业性收费", fee_amount=Decimal("0.2")),
    entry(16, D(2020, 9, 9), "行政事业性收费", fee_amount=Decimal(5)),
]


def test_table_two_matches_the_hand_computed_figures():
    table = table_two(FIXTURE_2021, 2021, TODAY)
    assert table.documents == {
        "规章": DocumentCounts(issued=1, ended=1, in_force=0),
        "行政规范性文件": DocumentCounts(issued=2, ended=1, in_force=3),  # 1, 4, 7
    }
    assert table.decisions == {"行政许可": 15, "行政处罚": 0, "行政强制": 1}
    assert table.fees == Decimal("0.3")
    assert amount_text(table.fees) == "0.3"
    assert table_two(FIXTURE_2021, 2020, TODAY).decisions["行政处罚"] == 2


def test_a_year_still_running_is_counted_up_to_the_build_day():
    table = table_two(FIXTURE_2021, 2021, D(2021, 6, 30))
    # 1 and 7 are in force on 30 June; 2 was repealed that very day.
    assert table.documents["行政规范性文件"] == DocumentCounts(issued=1, ended=1, in_force=2)
    assert table.decisions["行政许可"] == 3


@pytest.mark.parametrize("amount, text", [
    (Decimal(0), "0"), (Decimal("12.50"), "12.5"), (Decimal("1E+1"), "10"),
])
def test_amounts_are_written_plainly(amount, text):
    assert amount_text(amount) == text


# --- Front matter that feeds table 二 -----------------------------------------------------


def read(text: str) -> tuple[Entry | None, list[str]]:
    data = ("---\ntitle: 测试\ndate: 2021-03-04\ncategory: 政策文件\nchannels: [website]\n"
            f"index_no: X/2021-00001\n{text}---\n正文\n").encode()
    entry, problems = read_entry(data, "d/x.md", "x", CONFIG)
    return entry, [str(problem) for problem in problems]


@pytest.mark.parametrize("front_matter, message", [
    ("doc_type: 规范性文件\n", "d/x.md:7: doc_type: 未知信息类型「规范性文件」，是否想写「行政规范性文件」？"),
    ("doc_type: 行政许可\ndecisions: 0\n", "d/x.md:8: decisions: 应为正整数（件数），而不是「0」"),
    ("decisions: 3\n", "d/x.md:7: decisions: 处理决定数量只用于信息类型为行政许可、行政处罚、行政强制的信息"),
    ("doc_type: 行政事业性收费\nfee_amount: -1\n", "d/x.md:8: fee_amount: 金额「-1」应为不小于 0 的数字"),
    ("doc_type: 行政事业性收费\nfee_amount: 十万\n", "d/x.md:8: fee_amount: 「十万」不是金额"),
    ("validity: 有效\nrepealed: 2021-05-01\n",
     "d/x.md:7: validity: 有效性写的是「有效」，但 repealed: 2021-05-01 表明文件自该日起废止"),
    ("validity: 废止\nexpires: 2021-05-01\n",
     "d/x.md:7: validity: 有效性写的是「废止」，但 expires: 2021-05-01 表明文件自该日起失效"),
])
def test_table_two_fields_are_validated_with_lines_in_chinese(front_matter, message):
    entry, problems = read(front_matter)
    assert entry is None
    assert any(problem.startswith(message) for problem in problems), problems


def test_validity_follows_the_dates_on_the_day_asked():
    entry, problems = read("doc_type: 行政规范性文件\nvalidity: 废止\nrepealed: 2021-05-01\n"
                           "expires: 2021-04-01\nfee_amount:\n")
    assert entry is not None and problems == []
    assert [entry.validity_on(D(2021, day, 1)) for day in (3, 4, 5)] == ["有效", "失效", "废止"]
    assert entry.ended == D(2021, 4, 1)


# --- The yearly file ----------------------------------------------------------------------

BALANCED = """\
申请情况:
  本年新收: {自然人: 3, 商业企业: 1}
  上年结转: {自然人: 1}
  本年度办理结果:
    予以公开: {自然人: 1, 商业企业: 1}
    不予公开:
      危及三安全一稳定: {自然人: 1}
    （四）无法提供:
      1.本机关不掌握相关政府信息: {自然人: 1}
    总计: {自然人: 3, 商业企业: 1, 总计: 4}
  结转下年: {自然人: 1}
复议诉讼:
  行政复议: {结果维持: 1, 总计: 1}
  行政诉讼:
    复议后起诉: {尚未审结: 1}
存在的主要问题及改进情况: 公示栏更新不够及时。
"""


def test_a_balanced_file_is_read_with_every_missing_number_zero():
    data, problems = read_annual_data(BALANCED, "annual-reports/2021.yml")
    assert problems == []
    rows = data.applications
    assert rows["总计"] == {"自然人": 3, "商业企业": 1, "科研机构": 0, "社会公益组织": 0,
                          "法律服务机构": 0, "其他": 0, "总计": 4}
    assert rows["危及“三安全一稳定”"]["总计"] == 1
    assert sum(rows[row.key]["总计"] for row in RESULT_ROWS) == 4
    assert data.appeals["复议后起诉"]["总计"] == 1
    assert data.appeals["未经复议直接起诉"]["总计"] == 0
    assert data.texts == {"存在的主要问题及改进情况": "公示栏更新不够及时。"}


def test_a_file_that_breaks_the_balance_rule_names_the_column_and_the_rows():
    text = BALANCED.replace("结转下年: {自然人: 1}", "结转下年: {自然人: 2}")
    _, problems = read_annual_data(text, "annual-reports/2021.yml")
    assert [str(problem) for problem in problems] == [
        (
            "annual-reports/2021.yml:2: 申请情况: 「自然人」一列不平衡：一、本年新收政府信息公开申请数量"
            "（3）加二、上年结转政府信息公开申请数量（1）共 4 件，而三、本年度办理结果（七）总计（3）"
            "加四、结转下年度继续办理（2）共 5 件：第一项加第二项之和应等于第三项加第四项之和"
        ),
        (
            "annual-reports/2021.yml:2: 申请情况: 「总计」一列不平衡：一、本年新收政府信息公开申请数量"
            "（4）加二、上年结转政府信息公开申请数量（1）共 5 件，而三、本年度办理结果（七）总计（4）"
            "加四、结转下年度继续办理（2）共 6 件：第一项加第二项之和应等于第三项加第四项之和"
        ),
    ]


@pytest.mark.parametrize("change, message", [
    (("{结果维持: 1, 总计: 1}", "{结果维持: 1, 总计: 2}"),
     "annual-reports/2021.yml:13: 行政复议: 总计写的是 2，但结果维持、结果纠正、其他结果、尚未审结之和是 1"),
    (("总计: {自然人: 3, 商业企业: 1, 总计: 4}", "总计: {自然人: 2, 商业企业: 1}"),
     "annual-reports/2021.yml:10: （七）总计: 「自然人」写的是 2，但（一）至（六）各项之和是 3"),
    (("予以公开: {自然人: 1, 商业企业: 1}", "予以公开: {自然人: 1, 商业企业: 1.5}"),
     "annual-reports/2021.yml:5: （一）予以公开: 「1.5」应为不小于 0 的整数（件数）"),
    (("不予公开:\n      危及三安全一稳定: {自然人: 1}", "不予公开: {自然人: 1}"),
     "annual-reports/2021.yml:6: （三）不予公开: （三）不予公开要按情形分行填写"),
    (("本年新收", "本年新增"), "annual-reports/2021.yml:2: 申请情况: 未知项目「本年新增」，是否想写「本年新收」？"),
    (("存在的主要问题及改进情况: 公示栏更新不够及时。",
      "存在的主要问题及改进情况: <script>alert(1)</script>"),
     "annual-reports/2021.yml:16: 存在的主要问题及改进情况: 含有可执行的活动内容"),
])
def test_file_mistakes_name_the_line_and_the_row(change, message):
    _, problems = read_annual_data(BALANCED.replace(*change), "annual-reports/2021.yml")
    assert any(str(problem).startswith(message) for problem in problems), problems


@pytest.mark.parametrize("value", ["1234567890", "9" * 5000])
def test_a_count_with_too_many_digits_is_a_problem_at_its_line(value):
    text = BALANCED.replace("上年结转: {自然人: 1}", f"上年结转: {{自然人: {value}}}")
    _, problems = read_annual_data(text, "annual-reports/2021.yml")
    assert [str(problem) for problem in problems] == [(
        f"annual-reports/2021.yml:3: 二、上年结转政府信息公开申请数量: 「{value[:9]}…」位数过多："
        "件数最多写 9 位数字，请核对"
    )]


def test_nesting_too_deep_for_the_yaml_reader_is_a_yaml_problem():
    text = "申请情况: " + "[" * 5000 + "]" * 5000 + "\n"
    _, problems = read_annual_data(text, "annual-reports/2021.yml")
    assert [str(problem) for problem in problems] == [
        "annual-reports/2021.yml:1: YAML: YAML 嵌套层数过多，无法读取：请按使用指南中的示例填写"
    ]


@pytest.mark.parametrize("name, expected", [
    ("0000.yml", "2025.yml"),
    ("1899.yml", "2025.yml"),
    ("2024.yaml", "2024.yml"),
    ("2024年.yml", "2024.yml"),
    ("２０２４.yml", "2024.yml"),  # full-width digits
    ("2024.YML", "2024.yml"),
    ("年报.yml", "2025.yml"),
    ("2024", "2024.yml"),
])
def test_a_file_not_named_as_a_year_is_reported_not_read(tmp_path, name, expected):
    (tmp_path / "annual-reports").mkdir()
    (tmp_path / "annual-reports" / name).write_text(BALANCED, encoding="utf-8")
    (tmp_path / "annual-reports" / ".gitkeep").write_text("", encoding="utf-8")
    valid, problems = load_all_annual_data(tmp_path, "annual-reports")
    assert valid == {}
    assert [str(problem) for problem in problems] == [(
        f"annual-reports/{name}: 文件名: 没有读取这个文件：年度报告数据文件应命名为"
        f"“四位年份.yml”（1900 至 2999 年），例如 {expected}"
    )]
    assert not problems[0].is_error


def test_a_year_file_is_read_from_the_path_found(tmp_path):
    (tmp_path / "annual-reports").mkdir()
    (tmp_path / "annual-reports" / "2021.yml").write_text(BALANCED, encoding="utf-8")
    valid, problems = load_all_annual_data(tmp_path, "./annual-reports/")
    assert problems == []
    assert valid[2021].path == "annual-reports/2021.yml"
    assert valid[2021].applications["本年新收"]["总计"] == 4


# --- The report on the site and from the command line ---------------------------------------

REPORT_DOCS_PAGE = "# 政府信息公开年报\n\n<!-- gongkai:annual-reports -->\n"


def report_project(project: Project) -> Project:
    project.write("docs/annual-reports/index.md", REPORT_DOCS_PAGE)
    project.write("annual-reports/2021.yml", BALANCED)
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001", date="2021-03-01",
                  doc_type="行政规范性文件", category="政策文件",
                  channels="[website, bulletin]")
    project.entry("disclosures/2021/b.md", index_no="000014349/2021-00002", date="2021-10-12",
                  doc_type="行政许可", decisions=12, decided="2021-09-30", category="行政执法")
    project.entry("disclosures/2021/c.md", index_no="000014349/2021-00003", date="2021-11-02",
                  doc_type="行政事业性收费", fee_amount=2.5)
    return project


def test_the_report_renders_on_the_site_with_its_tables(project: Project):
    report_project(project)
    result = project.build(env={"GONGKAI_TODAY": "2022-03-01"})
    assert result.returncode == 0, result.output
    index = result.page("annual-reports")
    assert '<a href="2021/">测试镇人民政府2021年政府信息公开工作年度报告</a>' in index
    html = result.page("annual-reports/2021")
    assert "<title>测试镇人民政府2021年政府信息公开工作年度报告" in html
    headings = re.findall(r"<h2[^>]*>([^<]*)</h2>", html)
    assert headings == [
        "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert ("2021年，主动公开政府信息3条，其中，网站子站公开信息3条；"
            "信息公告栏和村级公示栏公开信息1条。") in html
    documents, licences, sanctions, fees, applications, appeals = tables_of(html)
    assert documents[1:] == [["规章", "0", "0", "0"], ["行政规范性文件", "1", "0", "1"]]
    assert licences[1:] == [["行政许可", "12"]]
    assert sanctions[1:] == [["行政处罚", "0"], ["行政强制", "0"]]
    assert fees[1:] == [["行政事业性收费", "2.5"]]
    # The national two-level header, merged: 申请人情况 over every column, 法人或其他组织
    # over its five kinds, the label column's corner cell over all three header rows.
    assert applications[0] == ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
                               "申请人情况"]
    assert applications[1] == ["自然人", "法人或其他组织", "总计"]
    assert applications[2] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    assert '<td class="gk-t3__corner" rowspan="3">' in html
    assert '<th scope="colgroup" colspan="7">申请人情况</th>' in html
    assert '<th scope="col" rowspan="2">自然人</th><th scope="colgroup" colspan="5">法人或其他组织</th>' in html
    applications = applications[2:]
    assert applications[1] == ["一、本年新收政府信息公开申请数量", "3", "1", "0", "0", "0", "0", "4"]
    assert ["（七）总计", "3", "1", "0", "0", "0", "0", "4"] in applications
    assert appeals[1:] == [
        ["行政复议", "1", "0", "0", "0", "1"],
        ["行政诉讼（未经复议直接起诉）", "0", "0", "0", "0", "0"],
        ["行政诉讼（复议后起诉）", "0", "0", "0", "1", "1"],
    ]
    assert "公示栏更新不够及时。" in html

    command = project.gongkai("annual-report", "--year", "2021",
                              env={"GONGKAI_TODAY": "2022-03-01"})
    assert command.returncode == 0, command.stderr
    assert command.stdout.startswith("# 测试镇人民政府2021年政府信息公开工作年度报告\n")
    assert "| 行政许可 | 12 |" in command.stdout


def test_a_year_still_running_has_no_report_page_yet(project: Project):
    report_project(project)
    result = project.build(env={"GONGKAI_TODAY": "2021-12-01"})
    assert result.returncode == 0, result.output
    assert not (result.site / "annual-reports/2021").exists()
    assert "暂无已发布的年度报告。" in result.page("annual-reports")


def test_an_unbalanced_file_fails_the_build_check_and_command(project: Project):
    report_project(project)
    project.write("annual-reports/2021.yml",
                  BALANCED.replace("结转下年: {自然人: 1}", "结转下年: {自然人: 2}"))
    env = {"GONGKAI_TODAY": "2022-03-01"}
    message = "annual-reports/2021.yml:2: 申请情况: 「自然人」一列不平衡"
    result = project.build(env=env)
    assert result.returncode != 0
    assert f"ERROR   -  {message}" in result.output
    check = project.gongkai("check", env=env)
    assert check.returncode == 1 and message in check.stdout
    command = project.gongkai("annual-report", "--year", "2021", env=env)
    assert command.returncode == 1 and command.stdout == ""
    assert message in command.stderr and "Traceback" not in command.stderr


def test_the_sample_file_documents_its_own_shape():
    """The sample town's file is the example staff copy: it must stay valid and balanced."""
    text = (REPO / "annual-reports/2025.yml").read_text(encoding="utf-8")
    data, problems = read_annual_data(text, "annual-reports/2025.yml")
    assert problems == []
    assert data.applications["本年新收"]["总计"] > 0


def test_a_year_zero_file_is_reported_by_check_and_build_without_a_traceback(project: Project):
    report_project(project)
    project.write("annual-reports/0000.yml", BALANCED)
    env = {"GONGKAI_TODAY": "2022-03-01"}
    message = "annual-reports/0000.yml: 文件名: 没有读取这个文件"
    check = project.gongkai("check", env=env)
    assert check.returncode == 1 and message in check.stdout
    result = project.build(env=env)
    assert f"WARNING -  {message}" in result.output
    assert "Traceback" not in result.output
