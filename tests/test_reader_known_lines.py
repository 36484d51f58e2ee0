"""The reader's fast path — lines read before, plain text lines told apart by one match —
gives exactly what the full reading (YAML alone) gives: the same entry, the same problems."""

from __future__ import annotations

import dataclasses
import datetime as dt
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai import front_matter, reader
from gongkai.config import DisclosureConfig
from gongkai.entry import Entry
from gongkai.fields import FIELDS
from gongkai.reader import read_entry

CONFIG = DisclosureConfig()
PATH = "disclosures/2021/a.md"


def _read(data: bytes, config: DisclosureConfig = CONFIG):
    entry, problems = read_entry(data, PATH, "2021/a", config)
    return entry, entry.field_lines if entry else None, problems


def _read_by_yaml_alone(data: bytes, config: DisclosureConfig = CONFIG):
    """The reference: no known lines, no flat reader, every block read by YAML."""
    with mock.patch.object(reader, "_known_fields", lambda *_: None), \
            mock.patch.object(front_matter, "_simple_front_matter", lambda _: None):
        return _read(data, config)


# Values as staff write them, right and wrong, and what a Chinese input method slips in.
values = st.sampled_from([
    "", " ", "关于印发《示例镇2021年财政预算》的通知", "示环发〔2019〕49号", "11500230MB0700226D/2019-00049",
    "000014349/2021-00012", "2021-03-04", "2021-3-4", "2021-02-30", "2021年3月4日", "2021/03/04",
    "'2021-03-04'", '"2021-03-04"', "2021-03-04 10:00:00", "民生保障", "政策文", "其他信息",
    "[website]", "[website, bulletin]", "[]", "[webiste]", "[信息公告栏, 村村响广播]", "website、bulletin",
    "website", "[website, website]", "［website］", "[website，bulletin]", "“双减”政策", "“标题”",
    "关于: 某事", "关于：某事", "标题 # 注释", "标题#号", "'单引号", '"双引号', "'it''s'", '"a\\tb"',
    "true", "false", "yes", "no", "on", "~", "null", "2021", "1.5e3", "0x1F", ".inf", "12.50",
    "十二", "有效", "失效", "废止", "有效期", "行政许可", "行政事业性收费", "行政许", "3", "-1",
    "&a x", "*a", "!!int 3", "{start: 2021-01-01, end: 2021-01-10}", "[{value: x, reason: y}]",
    "关于\t某事", "关于\u3000某事", "关于\xa0某事", "关于  某事", "关于某事  ", "a: b: c", "[a, [b]]",
    "|", ">", "- 列表", "@x", "`x`", "%x", "关于\u2028某事", "关于:某事", "ab:", "关于，某事",
])
keys = st.one_of(st.sampled_from(list(FIELDS)), st.sampled_from([
    "catgory", "Title", "author", "null", "yes", "on", "x_1", "tags ", " title",
]))
good_lines = st.sampled_from([
    "publisher: 示例县生态环境局", "doc_no: 示环发〔2019〕49号", "tags: [财政决算, 重大建设项目]",
    "summary: 财政决算有关情况。", "index_no: 11500230MB0700226D/2019-00049", "written: 2021-03-01",
    "validity: 有效", "draft: false", "tags: 低保、公示", "", "# 注释",
])
lines = st.one_of(good_lines, st.one_of(
    st.builds(lambda key, value: f"{key}: {value}", keys, values),
    st.builds(lambda key, value: f"{key}：{value}", keys, values),
    st.builds(lambda key, value: f"{key}:{value}", keys, values),
    st.builds(lambda key, value: f"{key}:  {value} ", keys, values),
    st.sampled_from(["", "   ", "# 注释", "#", "\u3000title: 关于某事", "\ttitle: x", "  category: 民生保障",
                     "tags:", "- 甲", "  - 乙", "key", "---", "...", "title: |", "  续行"]),
))
# The required fields, mostly right, so that whole entries are read and not only refused.
required = st.fixed_dictionaries({
    "title": st.sampled_from(["title: 关于某事的通知", "title: 示例县政府2021年工作报告"]),
    "date": st.sampled_from(["date: 2021-03-04", "date: 2019-12-15"]),
    "category": st.sampled_from(["category: 民生保障", "category: 政策文件"]),
    "channels": st.sampled_from(["channels: [website]", "channels: [website, bulletin]"]),
})


@st.composite
def files(draw) -> bytes:
    block = list(draw(required).values()) + draw(st.lists(lines, max_size=6))
    block = draw(st.permutations(block))
    text = "---\n" + "\n".join(block) + "\n---\n" + draw(st.sampled_from(["正文。\n", ""]))
    if draw(st.booleans()):
        text = text.replace("\n", draw(st.sampled_from(["\r\n", "\r"])))
    data = text.encode("utf-8")
    return b"\xef\xbb\xbf" + data if draw(st.booleans()) else data


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(files(), min_size=1, max_size=3))
def test_the_fast_path_reads_as_yaml_alone_reads(datas):
    # Several files in a row, each read twice: lines learnt from one serve the next.
    for data in datas + datas:
        assert _read(data) == _read_by_yaml_alone(data)


def test_most_generated_files_are_read_whole():
    """The property above is about entries, not only refusals: the generator must give both."""
    ok = settings(max_examples=200, deadline=None, database=None, derandomize=True)(given(files())(
        lambda data: outcomes.append(_read(data)[0] is not None)))
    outcomes: list[bool] = []
    ok()
    assert 0.1 < sum(outcomes) / len(outcomes) < 0.9


def _file(*lines: str) -> bytes:
    return ("---\n" + "\n".join(lines) + "\n---\n正文。\n").encode("utf-8")


REQUIRED = ("title: 关于某事的通知", "date: 2021-03-04", "category: 民生保障",
            "channels: [website]", "index_no: 000014349/2021-00012")


def test_a_known_line_gives_its_line_in_each_file():
    first, _, _ = _read(_file(*REQUIRED))
    second, lines, problems = _read(_file("", "# 注释", *reversed(REQUIRED)))
    assert first is not None and second is not None and problems == []
    assert (first.line_of("date"), second.line_of("date")) == (3, 7)
    assert lines == {"index_no": 4, "channels": 5, "category": 6, "date": 7, "title": 8}


def test_a_line_known_under_one_configuration_is_read_again_under_another():
    assert _read(_file(*REQUIRED))[0] is not None
    other = DisclosureConfig(categories=["政策文件"])
    entry, _, problems = _read(_file(*REQUIRED), other)
    assert entry is None
    assert [str(problem) for problem in problems] == [
        "disclosures/2021/a.md:4: category: 未知分类「民生保障」，可选：政策文件",
    ]


def test_a_known_line_written_twice_is_reported_as_repeated():
    _read(_file(*REQUIRED))
    entry, _, problems = _read(_file(*REQUIRED, "date: 2021-03-04"))
    assert entry is None
    assert [str(problem) for problem in problems] == [
        "disclosures/2021/a.md:7: date: 字段重复：第 3 行已经写过",
    ]


def test_a_known_line_after_a_comment_holding_a_line_separator_is_yamls_to_read():
    # U+2028 ends a line for YAML, not for `split("\n")`: the comment's tail is a key.
    _read(_file(*REQUIRED))
    assert _read(_file("# 注释\u2028draft: true", *REQUIRED)) == _read_by_yaml_alone(
        _file("# 注释\u2028draft: true", *REQUIRED))


def test_every_field_is_an_entry_attribute_whose_default_is_the_absent_field():
    """The reader builds `Entry(**values)`: a field missing from the file takes the
    attribute's default, which must be what the field's absence means."""
    attributes = {field.name: field for field in dataclasses.fields(Entry)}
    assert set(FIELDS) <= set(attributes)
    entry, _, problems = _read(_file(*REQUIRED))
    assert entry is not None and problems == []
    absent = set(FIELDS) - {line.split(":")[0] for line in REQUIRED} - {"publisher"}
    defaults = {"validity": "有效", "tags": (), "draft": False, "personal_data_allowed": (),
                "related": (), "attachments": (), "decisions": 1}
    assert {key: getattr(entry, key) for key in absent} == {
        key: defaults.get(key) for key in absent}
    assert entry.publisher == CONFIG.publisher and entry.date == dt.date(2021, 3, 4)



def _characters(parsed) -> set[str] | None:
    """Every character a parsed regex can match, or None if it can match any."""
    from re import _constants as constants  # type: ignore[attr-defined]

    found: set[str] = set()
    for op, argument in parsed:
        if op is constants.LITERAL:
            found.add(chr(argument))
        elif op is constants.RANGE:
            found.update(chr(code) for code in range(argument[0], argument[1] + 1))
        elif op is constants.IN:
            inner = _characters(argument)
            if inner is None:
                return None
            found |= inner
        elif op is constants.BRANCH:
            for branch in argument[1]:
                inner = _characters(branch)
                if inner is None:
                    return None
                found |= inner
        elif op is constants.SUBPATTERN:
            inner = _characters(argument[-1])
            if inner is None:
                return None
            found |= inner
        elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT):
            inner = _characters(argument[2])
            if inner is None:
                return None
            found |= inner
        elif op is not constants.AT:  # ANY, NOT_LITERAL, NEGATE, CATEGORY: anything
            return None
    return found


def test_no_resolver_accepts_a_character_plain_scalar_takes_as_text():
    from re import _parser as parser  # type: ignore[attr-defined]

    accepted: set[str] = set()
    for resolvers in front_matter._RESOLVERS.values():
        for _, regexp in resolvers:
            characters = _characters(parser.parse(regexp.pattern, regexp.flags))
            assert characters is not None, regexp.pattern
            accepted |= characters
    assert accepted  # the walk found the resolvers' characters
    assert not [char for char in accepted if front_matter._NEVER_RESOLVED.match(char)]
    assert front_matter.plain_scalar("11500230MB0700226D/2019-00049", False) == (
        "11500230MB0700226D/2019-00049")


def _simple_line_by_its_regex(line: str):
    """`simple_line` as first written, with `_SIMPLE_LINE` (kept as its definition)."""
    match = (front_matter._PLAIN_TEXT_LINE.fullmatch(line)
             or front_matter._SIMPLE_LINE.fullmatch(line))
    if match is None or front_matter.plain_scalar(match[1], False) != match[1]:
        return None
    if match.re is front_matter._PLAIN_TEXT_LINE:
        return match[1], match[2]
    value = front_matter._simple_value(match[2])
    return None if value is front_matter._Unsupported else (match[1], value)


_LINE_PIECES = st.sampled_from([
    "title", "index_no", "null", "true", "a1", "1a", "_x", ":", ": ", " ", "  ", "\t", "#",
    " #", "x", "标题", "2021", "/", "-", "[", "]", ",", "[a, b]", "'", '"', "\r", "yes", "~",
    "e", "1.5",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_LINE_PIECES, max_size=10).map("".join))
def test_a_line_is_read_as_its_regex_reads_it(line):
    assert front_matter.simple_line(line) == _simple_line_by_its_regex(line)
