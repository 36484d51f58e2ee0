"""The yearly file staff write for what the disclosures cannot tell: `annual-reports/<年>.yml`.

Tables 三 (applications) and 四 (行政复议, 行政诉讼) and the prose of sections 五 and 六 of
the annual report (国办公开办函〔2021〕30号), plus optional prose for 一、总体情况. Every
number left out is 0; every 总计 may be left out (it is computed) and, when written, must
equal the sum of its parts. Table 三 must balance in every column: 一 + 二 = 三（七）总计 + 四.

The file is read into nodes, not plain values, so that every message names its line. Keys
are the short names shown in `STAFF.md`; the official row labels (with or without
their numbering, with or without the quotes of “三安全一稳定”) are accepted too, since staff
copy them from last year's report.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .front_matter import decode, yaml_advice
from .problems import Problem, Severity
from .screening import TextScreen, project_screen

COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
"""申请人情况 of table 三: 自然人, then the five kinds of 法人或其他组织."""
TOTAL = "总计"
OUTCOMES = ("结果维持", "结果纠正", "其他结果", "尚未审结")
"""Columns of each part of table 四, before its 总计."""


@dataclass(frozen=True)
class Row:
    """One row of table 三: the key staff write and the label the national table prints."""

    key: str
    label: str


NEW = Row("本年新收", "一、本年新收政府信息公开申请数量")
CARRIED_IN = Row("上年结转", "二、上年结转政府信息公开申请数量")
RESULTS = Row("本年度办理结果", "三、本年度办理结果")
RESULTS_TOTAL = Row("总计", "（七）总计")
CARRIED_OUT = Row("结转下年", "四、结转下年度继续办理")

# 三、本年度办理结果 without its 总计: (一) and (二) are rows, (三)–(六) are groups of rows.
RESULT_GROUPS: tuple[tuple[Row, tuple[Row, ...]], ...] = (
    (Row("予以公开", "（一）予以公开"), ()),
    (Row("部分公开", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"), ()),
    (Row("不予公开", "（三）不予公开"), (
        Row("属于国家秘密", "1.属于国家秘密"),
        Row("其他法律行政法规禁止公开", "2.其他法律行政法规禁止公开"),
        Row("危及“三安全一稳定”", "3.危及“三安全一稳定”"),
        Row("保护第三方合法权益", "4.保护第三方合法权益"),
        Row("属于三类内部事务信息", "5.属于三类内部事务信息"),
        Row("属于四类过程性信息", "6.属于四类过程性信息"),
        Row("属于行政执法案卷", "7.属于行政执法案卷"),
        Row("属于行政查询事项", "8.属于行政查询事项"),
    )),
    (Row("无法提供", "（四）无法提供"), (
        Row("本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息"),
        Row("没有现成信息需要另行制作", "2.没有现成信息需要另行制作"),
        Row("补正后申请内容仍不明确", "3.补正后申请内容仍不明确"),
    )),
    (Row("不予处理", "（五）不予处理"), (
        Row("信访举报投诉类申请", "1.信访举报投诉类申请"),
        Row("重复申请", "2.重复申请"),
        Row("要求提供公开出版物", "3.要求提供公开出版物"),
        Row("无正当理由大量反复申请", "4.无正当理由大量反复申请"),
        Row("要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重新出具已获取信息"),
    )),
    (Row("其他处理", "（六）其他处理"), (
        Row(
            "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
            "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        ),
        Row(
            "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
        Row("其他", "3.其他"),
    )),
)
RESULT_ROWS = tuple(
    row for group, rows in RESULT_GROUPS for row in (rows or (group,))
)
"""The rows whose numbers staff write, in table order; (七)总计 is their sum."""

REVIEW = Row("行政复议", "行政复议")
LITIGATION = Row("行政诉讼", "行政诉讼")
DIRECT_SUIT = Row("未经复议直接起诉", "行政诉讼（未经复议直接起诉）")
SUIT_AFTER_REVIEW = Row("复议后起诉", "行政诉讼（复议后起诉）")
TABLE_FOUR_ROWS = (REVIEW, DIRECT_SUIT, SUIT_AFTER_REVIEW)

OVERVIEW = "总体情况"
APPLICATIONS = "申请情况"
APPEALS = "复议诉讼"
PROBLEMS = "存在的主要问题及改进情况"
OTHER = "其他需要报告的事项"
_SECTION_ALIASES = {
    OVERVIEW: OVERVIEW,
    APPLICATIONS: APPLICATIONS,
    "收到和处理政府信息公开申请情况": APPLICATIONS,
    "表三": APPLICATIONS,
    APPEALS: APPEALS,
    "政府信息公开行政复议、行政诉讼情况": APPEALS,
    "表四": APPEALS,
    PROBLEMS: PROBLEMS,
    OTHER: OTHER,
}
TEXT_SECTIONS = (OVERVIEW, PROBLEMS, OTHER)

MAX_DIGITS = 9
"""Longest count accepted: far above any township's, and far below Python's int-parsing limit."""

Cells = dict[str, int]
"""One row: column → number, every column present, 总计 included."""


@dataclass
class AnnualData:
    """The contents of one year's file, with every number filled in (0 when left out)."""

    path: str | None
    """Path relative to the project, or None when the year has no file."""
    applications: dict[str, Cells]
    """Table 三 by row key: NEW, CARRIED_IN, each of RESULT_ROWS, RESULTS_TOTAL, CARRIED_OUT."""
    appeals: dict[str, Cells]
    """Table 四 by row key of TABLE_FOUR_ROWS, each with OUTCOMES and 总计."""
    texts: dict[str, str] = field(default_factory=dict)
    """Markdown of the text sections that were written (keys of TEXT_SECTIONS)."""


def _zeros(columns: tuple[str, ...]) -> Cells:
    return dict.fromkeys((*columns, TOTAL), 0)


def empty_data(path: str | None = None) -> AnnualData:
    """A year with nothing written: all zeros and no text."""
    applications = {row.key: _zeros(COLUMNS) for row in
                    (NEW, CARRIED_IN, *RESULT_ROWS, RESULTS_TOTAL, CARRIED_OUT)}
    return AnnualData(path, applications, {row.key: _zeros(OUTCOMES) for row in TABLE_FOUR_ROWS})


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、])")
_IGNORED = re.compile(r"[\s“”\"'‘’]")


def _normal(name: str) -> str:
    """A key as compared: without leading numbering, spaces and quotes."""
    return _IGNORED.sub("", _NUMBERING.sub("", name.strip()))


def _names(row: Row) -> set[str]:
    return {_normal(row.key), _normal(row.label)}


class _Reader:
    """Walks the composed YAML of one file, collecting problems with their lines."""

    def __init__(self, path: str, screen: TextScreen):
        self.screen = screen
        self.path = path
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node, where: str, message: str) -> None:
        self.problems.append(Problem(self.path, node.start_mark.line + 1, where, message))

    def mapping(self, node: yaml.Node, where: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """(key, key node, value node) of a mapping; an empty value is an empty mapping."""
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return []
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, where, "应为“名称: 值”的映射，例如 自然人: 2")
            return []
        pairs = []
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else ""
            if _normal(key) in seen:
                self.problem(key_node, where, f"「{key}」重复")
                continue
            seen.add(_normal(key))
            pairs.append((key, key_node, value_node))
        return pairs

    def unknown(self, key: str, node: yaml.Node, where: str, allowed: list[str]) -> None:
        near = difflib.get_close_matches(key, allowed, n=1, cutoff=0.5)
        hint = f"是否想写「{near[0]}」？" if near else ""
        self.problem(node, where, f"未知项目「{key}」，{hint}可写：{'、'.join(allowed)}")

    def number(self, node: yaml.Node, where: str) -> int:
        if (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":int")
                and node.value.isdigit()):
            if len(node.value) > MAX_DIGITS:
                self.problem(node, where, (
                    f"「{node.value[:MAX_DIGITS]}…」位数过多：件数最多写 {MAX_DIGITS} 位数字，请核对"
                ))
                return 0
            return int(node.value)
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"):
            return 0
        shown = node.value if isinstance(node, yaml.ScalarNode) else "…"
        self.problem(node, where, f"「{shown}」应为不小于 0 的整数（件数）")
        return 0

    def cells(self, node: yaml.Node, where: str, columns: tuple[str, ...]) -> Cells:
        """One row; a written 总计 must equal the sum of the columns."""
        values = _zeros(columns)
        total_node: yaml.Node | None = None
        for key, key_node, value_node in self.mapping(node, where):
            name = _normal(key)
            if name == TOTAL:
                total_node = value_node
            elif name in columns:
                values[name] = self.number(value_node, where)
            else:
                self.unknown(key, key_node, where, [*columns, TOTAL])
        values[TOTAL] = sum(values[column] for column in columns)
        if total_node is not None:
            written = self.number(total_node, where)
            if written != values[TOTAL]:
                self.problem(total_node, where, (
                    f"总计写的是 {written}，但{'、'.join(columns)}之和是 {values[TOTAL]}："
                    "请核对，或删去总计（程序会自动计算）"
                ))
        return values

    def text(self, node: yaml.Node, where: str) -> str | None:
        if not isinstance(node, yaml.ScalarNode) or not node.tag.endswith(":str"):
            self.problem(node, where, "应为一段文字；多段文字请写成 |（竖线）后另起一行并缩进")
            return None
        first_line = node.start_mark.line + 1 + (1 if node.style in ("|", ">") else 0)
        # The texts reach the report page through Markdown, as entry bodies do.
        self.problems += self.screen.screen(self.path, first_line, where, node.value)
        return node.value.strip() or None


def _read_results(reader: _Reader, node: yaml.Node, data: AnnualData) -> None:
    """Rows of 三、本年度办理结果; a written (七)总计 must equal the computed one."""
    where = f"{APPLICATIONS}.{RESULTS.key}"
    groups = {name: (group, rows) for group, rows in RESULT_GROUPS for name in _names(group)}
    written_total: tuple[Cells, yaml.Node] | None = None
    for key, key_node, value_node in reader.mapping(node, where):
        name = _normal(key)
        if name in _names(RESULTS_TOTAL):
            written_total = (reader.cells(value_node, RESULTS_TOTAL.label, COLUMNS), value_node)
            continue
        if name not in groups:
            reader.unknown(key, key_node, where, [g.key for g, _ in RESULT_GROUPS] + [TOTAL])
            continue
        group, rows = groups[name]
        if not rows:
            data.applications[group.key] = reader.cells(value_node, group.label, COLUMNS)
            continue
        by_name = {alias: row for row in rows for alias in _names(row)}
        for sub_key, sub_key_node, sub_value in reader.mapping(value_node, group.label):
            row = by_name.get(_normal(sub_key))
            if row is None:
                if _normal(sub_key) in (*COLUMNS, TOTAL):
                    reader.problem(sub_key_node, group.label, (
                        f"{group.label}要按情形分行填写，例如 {rows[0].key}: {{自然人: 1}}"
                    ))
                else:
                    reader.unknown(sub_key, sub_key_node, group.label, [r.key for r in rows])
                continue
            data.applications[row.key] = reader.cells(
                sub_value, f"{group.label}{row.label}", COLUMNS
            )
    computed = {column: sum(data.applications[row.key][column] for row in RESULT_ROWS)
                for column in (*COLUMNS, TOTAL)}
    data.applications[RESULTS_TOTAL.key] = computed
    if written_total is not None:
        written, total_node = written_total
        for column in (*COLUMNS, TOTAL):
            if written[column] != computed[column]:
                reader.problem(total_node, RESULTS_TOTAL.label, (
                    f"「{column}」写的是 {written[column]}，但（一）至（六）各项之和是 "
                    f"{computed[column]}：请核对，或删去总计（程序会自动计算）"
                ))


def _read_applications(reader: _Reader, node: yaml.Node, data: AnnualData) -> None:
    problems_before = len(reader.problems)
    plain_rows = {alias: row for row in (NEW, CARRIED_IN, CARRIED_OUT) for alias in _names(row)}
    allowed = [NEW.key, CARRIED_IN.key, RESULTS.key, CARRIED_OUT.key]
    for key, key_node, value_node in reader.mapping(node, APPLICATIONS):
        name = _normal(key)
        if name in plain_rows:
            row = plain_rows[name]
            data.applications[row.key] = reader.cells(value_node, row.label, COLUMNS)
        elif name in _names(RESULTS):
            _read_results(reader, value_node, data)
        else:
            reader.unknown(key, key_node, APPLICATIONS, allowed)
    if len(reader.problems) == problems_before:  # balance only means something once rows read
        _check_balance(reader, node, data)


def _check_balance(reader: _Reader, node: yaml.Node, data: AnnualData) -> None:
    """一 + 二 = 三（七）总计 + 四 in every column (the table's own 勾稽关系)."""
    rows = data.applications
    for column in (*COLUMNS, TOTAL):
        received = rows[NEW.key][column] + rows[CARRIED_IN.key][column]
        handled = rows[RESULTS_TOTAL.key][column] + rows[CARRIED_OUT.key][column]
        if received != handled:
            reader.problem(node, APPLICATIONS, (
                f"「{column}」一列不平衡：{NEW.label}（{rows[NEW.key][column]}）加"
                f"{CARRIED_IN.label}（{rows[CARRIED_IN.key][column]}）共 {received} 件，"
                f"而{RESULTS.label}{RESULTS_TOTAL.label}（{rows[RESULTS_TOTAL.key][column]}）加"
                f"{CARRIED_OUT.label}（{rows[CARRIED_OUT.key][column]}）共 {handled} 件："
                "第一项加第二项之和应等于第三项加第四项之和"
            ))


def _read_appeals(reader: _Reader, node: yaml.Node, data: AnnualData) -> None:
    for key, key_node, value_node in reader.mapping(node, APPEALS):
        name = _normal(key)
        if name == REVIEW.key:
            data.appeals[REVIEW.key] = reader.cells(value_node, REVIEW.label, OUTCOMES)
        elif name == LITIGATION.key:
            suits = {row.key: row for row in (DIRECT_SUIT, SUIT_AFTER_REVIEW)}
            for sub_key, sub_key_node, sub_value in reader.mapping(value_node, LITIGATION.key):
                row = suits.get(_normal(sub_key))
                if row is None:
                    reader.unknown(sub_key, sub_key_node, LITIGATION.key, list(suits))
                else:
                    data.appeals[row.key] = reader.cells(sub_value, row.label, OUTCOMES)
        else:
            reader.unknown(key, key_node, APPEALS, [REVIEW.key, LITIGATION.key])


def read_annual_data(text: str, path: str,
                     screen: TextScreen | None = None) -> tuple[AnnualData, list[Problem]]:
    """One year's file from its text; problems name `path`, the line and the row. `screen`
    judges its texts with the site's Markdown settings (default: MkDocs' own)."""
    data = empty_data(path)
    reader = _Reader(path, screen or TextScreen())
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        return data, [Problem(path, line, "YAML", f"格式错误：{yaml_advice(error)}")]
    except RecursionError:
        return data, [Problem(path, 1, "YAML", "YAML 嵌套层数过多，无法读取：请按使用指南中的示例填写")]
    if root is None:
        return data, []
    for key, key_node, value_node in reader.mapping(root, "文件"):
        section = _SECTION_ALIASES.get(_normal(key))
        if section == APPLICATIONS:
            _read_applications(reader, value_node, data)
        elif section == APPEALS:
            _read_appeals(reader, value_node, data)
        elif section in TEXT_SECTIONS:
            written = reader.text(value_node, section)
            if written:
                data.texts[section] = written
        else:
            reader.unknown(key, key_node, "文件", [OVERVIEW, APPLICATIONS, APPEALS, PROBLEMS, OTHER])
    return data, reader.problems


def data_path(reports_dir: str, year: int) -> str:
    """Where the file of `year` lives, relative to the project: `annual-reports/2021.yml`."""
    return f"{Path(reports_dir).as_posix().rstrip('/')}/{year}.yml"


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""Years a file may be named after; any other four digits (`0000.yml`) are a typo."""
_YEAR_FILE = re.compile(r"([0-9]{4})\.yml")
_YEAR_IN_NAME = re.compile(r"[0-9]{4}")
_EXAMPLE_YEAR = 2025


def _sensible_year(digits: str) -> int | None:
    return int(digits) if FIRST_YEAR <= int(digits) <= LAST_YEAR else None


def _year_of(name: str) -> int | None:
    """The year a file is for, when its name is exactly `<year>.yml` of a sensible year."""
    match = _YEAR_FILE.fullmatch(name)
    return _sensible_year(match[1]) if match else None


def _misnamed(relative: str, name: str) -> Problem:
    """A warning for a file that is not read, naming the name it probably should have."""
    guess = _YEAR_IN_NAME.search(unicodedata.normalize("NFKC", name))
    year = (_sensible_year(guess[0]) if guess else None) or _EXAMPLE_YEAR
    return Problem(relative, 0, "文件名", (
        f"没有读取这个文件：年度报告数据文件应命名为“四位年份.yml”（{FIRST_YEAR} 至 {LAST_YEAR} 年），"
        f"例如 {year}.yml"
    ), Severity.WARNING)


def _data_files(project_dir: Path, reports_dir: str) -> tuple[dict[int, str], list[Problem]]:
    """Year → path (relative to the project) of every year's file, and a warning for every
    other name in the folder, so a misnamed file is never silently left out. Hidden names
    (`.gitkeep`) are left out, as in the source folder."""
    folder = project_dir / reports_dir
    if not folder.is_dir():
        return {}, []
    found: dict[int, str] = {}
    problems: list[Problem] = []
    for path in sorted(folder.iterdir()):
        if path.name.startswith("."):
            continue
        year = _year_of(path.name) if path.is_file() else None
        relative = f"{Path(reports_dir).as_posix().rstrip('/')}/{path.name}"
        if year is None:
            problems.append(_misnamed(relative, path.name))
        else:
            found[year] = relative
    return found, problems


def _read_file(project_dir: Path, relative: str,
               screen: TextScreen) -> tuple[AnnualData, list[Problem]]:
    text, problems = decode((project_dir / relative).read_bytes(), relative)
    if text is None:
        return empty_data(relative), problems
    return read_annual_data(text, relative, screen)


def load_annual_data(
    project_dir: Path, reports_dir: str, year: int, screen: TextScreen | None = None
) -> tuple[AnnualData, list[Problem]]:
    """The file of `year`, or all zeros (path None) when there is none. `screen`: by
    default, with the Markdown settings of the project's mkdocs.yml."""
    try:
        return _read_file(project_dir, data_path(reports_dir, year),
                          screen or project_screen(project_dir))
    except FileNotFoundError:
        return empty_data(), []


def load_all_annual_data(
    project_dir: Path, reports_dir: str, screen: TextScreen | None = None
) -> tuple[dict[int, AnnualData], list[Problem]]:
    """Every year's file: the valid ones by year, and the problems of all of them."""
    valid: dict[int, AnnualData] = {}
    files, problems = _data_files(project_dir, reports_dir)
    screen = screen or project_screen(project_dir)
    for year, relative in sorted(files.items()):
        data, found = _read_file(project_dir, relative, screen)
        problems += found
        if not any(problem.is_error for problem in found):
            valid[year] = data
    return valid, problems
