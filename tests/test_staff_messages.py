"""Messages for people who are not programmers (issue 15, point 4): each says, in Chinese,
where the slip is and what to type instead."""

from __future__ import annotations

import pytest

from conftest import Project
from gongkai.new_entry import NewEntryRequest, ask_missing
from gongkai.problems import Severity
from gongkai.reader import read_entry
from test_reader import CONFIG, PATH, VALID  # the reader's valid entry, broken field by field

ID_NUMBER = "500230199001010015"
ID_MASKED = "500230********0015"
CHANNEL_CHOICES = (
    "可选：website（县政府信息公开网站子站）、zwy（政务易平台）、broadcast（村村响广播）、"
    "bulletin（信息公告栏）、village_board（村级公示栏）、wechat（政务公众号）"
)


def read(text: str):
    return read_entry(text.encode("utf-8"), PATH, "2021/a", CONFIG)


# --- Full-width punctuation in the front matter ---------------------------------------------

FULL_WIDTH = [
    ("colon after a key", ("title: 关于", "title：关于"),
     "2: title: 第2行的「：」请改为英文冒号「: 」"),
    ("colon and a blank", ("date: 2021", "date ： 2021"),
     "3: date: 第3行的「：」请改为英文冒号「: 」"),
    ("comma in a list", ("[website, bulletin]", "[website，bulletin]"),
     "5: channels: 第5行的「，」请改为英文逗号「, 」"),
    ("brackets of a list", ("[website, bulletin]", "［website, bulletin］"),
     "5: channels: 第5行的「［」「］」请改为英文方括号「[」「]」"),
    ("quotes around a value", ("000014349/2021-00012", "“000014349/2021-00012”"),
     "6: index_no: 第6行的「“」「”」请改为英文引号「\"」"),
    ("colon and brackets on one line", ("channels: [website, bulletin]", "channels：［website］"),
     "5: channels: 第5行的「：」请改为英文冒号「: 」，「［」「］」请改为英文方括号「[」「]」"),
]


@pytest.mark.parametrize("change, expected", [case[1:] for case in FULL_WIDTH],
                         ids=[case[0] for case in FULL_WIDTH])
def test_full_width_punctuation_is_named_at_its_line_instead_of_a_yaml_error(change, expected):
    entry, problems = read(VALID.replace(*change))
    assert entry is None
    assert [str(problem) for problem in problems] == [f"{PATH}:{expected}"]


def test_a_full_width_colon_in_a_nested_field_and_other_mistakes_are_all_reported():
    text = VALID.replace("---\n正文", (
        "notice_period:\n  start：2021-03-05\n  end: 2021-03-12\n---\n正文"
    )).replace("民生保障", "民生保证")
    entry, problems = read(text)
    assert entry is None
    assert [str(problem) for problem in problems] == [
        (f"{PATH}:4: category: 未知分类「民生保证」，是否想写「民生保障」？可选：机构职能、政策文件、"
        "规划计划、重大决策、财政信息、行政执法、民生保障、乡村振兴、重大建设项目、公共资源配置、应急管理、"
        "人事信息、法治政府建设、通知公告"),
        f"{PATH}:8: start: 第8行的「：」请改为英文冒号「: 」",
    ]


def test_chinese_quotes_and_commas_inside_a_text_are_not_slips():
    text = VALID.replace("关于2021年第一季度低保对象的公示", "“双减”政策落实“回头看”，情况通报")
    entry, problems = read(text)
    assert problems == []
    assert entry is not None and entry.title == "“双减”政策落实“回头看”，情况通报"


def test_yaml_errors_are_explained_without_english():
    entry, problems = read(VALID.replace("title: 关于", "title: 关于: "))
    assert entry is None
    assert [str(problem) for problem in problems] == [
        (f"{PATH}:2: front matter: 格式错误：值里有英文冒号加空格「: 」：请给整个值加英文引号，"
        "例如 title: \"关于: 某事\"；如果是上一行没写完，请把它和这一行合并")
    ]


# --- Missing required fields list what may be written ---------------------------------------


def test_a_missing_channels_field_lists_the_configured_channels():
    entry, problems = read(VALID.replace("channels: [website, bulletin]\n", ""))
    assert entry is None
    assert [str(problem) for problem in problems] == [
        f"{PATH}:1: channels: 缺少必填字段 channels（公开渠道）：请加一行，例如 channels: [website]；"
        + CHANNEL_CHOICES
    ]


def test_a_missing_category_lists_the_configured_categories():
    entry, problems = read(VALID.replace("category: 民生保障\n", ""))
    assert entry is None
    assert [str(problem) for problem in problems] == [
        (f"{PATH}:1: category: 缺少必填字段 category（公开类别）：请加一行，例如 category: 机构职能；"
        "可选：机构职能、政策文件、规划计划、重大决策、财政信息、行政执法、民生保障、乡村振兴、重大建设项目、"
        "公共资源配置、应急管理、人事信息、法治政府建设、通知公告")
    ]


# --- 公示期 -----------------------------------------------------------------------------------


def test_a_notice_period_ending_before_publication_is_a_warning():
    entry, problems = read(VALID.replace(
        "---\n正文", "notice_period: {start: 2021-02-20, end: 2021-02-27}\n---\n正文"))
    assert entry is not None
    assert [(str(problem), problem.severity) for problem in problems] == [(
        (f"{PATH}:7: notice_period: 公示期 2021-02-20 至 2021-02-27 在发布日期 2021-03-04 之前就已"
        "结束，公众看到时已无法提出意见：请核对公示期和发布日期"), Severity.WARNING,
    )]


def test_a_notice_period_ending_on_or_after_publication_is_fine():
    entry, problems = read(VALID.replace(
        "---\n正文", "notice_period: {start: 2021-02-25, end: 2021-03-04}\n---\n正文"))
    assert entry is not None and problems == []


# --- gongkai check: body screening despite a broken front matter, and the verdict -----------

TODAY = {"GONGKAI_TODAY": "2026-01-01"}


def test_body_is_screened_even_when_the_front_matter_is_broken(project: Project):
    project.write("disclosures/2021/broken.md", f"""\
        ---
        title：关于低保对象的公示
        date: 2021-03-04
        category: 民生保障
        channels: [website]
        index_no: 000014349/2021-00001
        ---
        名单：张某某，身份证号 {ID_NUMBER}。

        <meta charset="gbk">
        """)
    project.write("disclosures/2021/nofront.md", f"关于某事的通知\n\n身份证号 {ID_NUMBER}\n")
    result = project.gongkai("check", env=TODAY)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "disclosures/2021/broken.md:2: title: 第2行的「：」请改为英文冒号「: 」",
        (f"disclosures/2021/broken.md:8: 正文: 含有未去标识化的居民身份证号：请改写为「{ID_MASKED}」；"
        "依法确需公开的，在 personal_data_allowed 中写明该号码和公开依据"),
        lines[2],  # the active-content finding, worded by screening.py
        ("disclosures/2021/nofront.md:1: front matter: 文件开头缺少 front matter：第一行应为 ---，"
        "随后逐行写 title、date 等字段，再以一行 --- 结束"),
        (f"disclosures/2021/nofront.md:3: 正文: 含有未去标识化的居民身份证号：请改写为「{ID_MASKED}」；"
        "依法确需公开的，在 personal_data_allowed 中写明该号码和公开依据"),
    ]
    assert lines[2].startswith("disclosures/2021/broken.md:10: 正文: ")
    assert ID_NUMBER not in result.stdout


def test_check_with_only_a_warning_says_why_it_fails_and_that_tonight_nothing_changes(
        project: Project):
    project.entry("disclosures/2021/a.md")  # no 索引号: a warning
    result = project.gongkai("check", env=TODAY)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-3:] == [
        "",
        "检查了 1 个文件：1 条已可公开（1 条网站发布，0 条仅线下公开），0 条待发布。",
        ("检查结果：未通过（错误 0 个、警告 1 个）。有警告，今晚网站不会更新："
        "请按上面每一行的说明修改后，再运行 gongkai check。"),
    ]
    assert "0 个文件有错误" not in result.stdout


def test_check_with_errors_and_warnings_counts_both(project: Project):
    project.entry("disclosures/2021/a.md")
    project.entry("disclosures/2021/b.md", date="2021-02-30", index_no="000014349/2021-00001")
    result = project.gongkai("check", env=TODAY)
    assert result.returncode == 1
    assert result.stdout.splitlines()[-2:] == [
        "检查了 2 个文件：1 条已可公开（1 条网站发布，0 条仅线下公开），0 条待发布，1 个文件有错误不会发布。",
        ("检查结果：未通过（错误 1 个、警告 1 个）。有错误，今晚网站不会更新："
        "请按上面每一行的说明修改后，再运行 gongkai check。"),
    ]


def test_check_that_passes_says_so_last(project: Project):
    project.entry("disclosures/2021/a.md", index_no="000014349/2021-00001")
    result = project.gongkai("check", env=TODAY)
    assert result.returncode == 0
    assert result.stdout.splitlines()[-1] == "检查结果：通过。"


# --- gongkai new: a refused answer is refused out loud --------------------------------------


def test_new_says_why_each_answer_was_refused():
    answers = iter(["", "关于修路的通知", "", "十四", "99", "1 2", "14", "1, x", "1, 4"])
    said: list[str] = []
    request = ask_missing(NewEntryRequest(), CONFIG, lambda prompt: next(answers), said.append)
    assert (request.title, request.category, request.channels) == (
        "关于修路的通知", "通知公告", "website,bulletin")
    refusals = [line for line in said if "：\n" not in line]  # the lists of choices aside
    assert refusals == [
        "标题不能为空：请输入这条信息的标题",
        "没有输入编号：请输入 1—14 之间的编号",
        "「十四」不是编号：请输入 1—14 之间的编号（只写数字）",
        "没有第 99 项：请输入 1—14 之间的编号",
        "只能选一个：请只输入一个编号（1—14 之间的编号）",
        "「x」不是编号：请输入 1—6 之间的编号（只写数字）",
    ]


def test_an_annual_report_file_with_a_yaml_indentation_slip_is_explained_in_chinese():
    from gongkai.annual_data import read_annual_data

    _, problems = read_annual_data("收到申请数:\n  自然人: 3\n 法人: [1\n", "annual-reports/2021.yml")
    assert [str(problem) for problem in problems] == [
        "annual-reports/2021.yml:3: YAML: 格式错误：缩进不对：字段应从行首写起，列表项前的空格要一致"
    ]
