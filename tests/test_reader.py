"""Reading and validating one entry file: every bad input gives one clear line."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.config import ConfigError, DisclosureConfig, config_from_mapping
from gongkai.entry import Entry, entry_in_order, entry_of
from gongkai.front_matter import UTF8_HELP, split_front_matter
from gongkai.problems import Severity
from gongkai.reader import read_entry

CONFIG = DisclosureConfig()
PATH = "disclosures/2021/a.md"

VALID = """\
---
title: 关于2021年第一季度低保对象的公示
date: 2021-03-04
category: 民生保障
channels: [website, bulletin]
index_no: 000014349/2021-00012
---
正文第一段。
"""


def read(text: str | bytes):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_entry(data, PATH, "2021/a", CONFIG)


def test_valid_entry_has_every_field_and_defaults():
    entry, problems = read(VALID)
    assert problems == []
    assert entry is not None
    assert entry.title == "关于2021年第一季度低保对象的公示"
    assert entry.date == dt.date(2021, 3, 4)
    assert entry.channels == ("website", "bulletin")
    assert entry.publisher == CONFIG.publisher
    assert entry.validity == "有效"
    assert entry.body == "正文第一段。\n"
    assert entry.body_line == 8
    assert entry.line_of("channels") == 5


def test_bom_and_crlf_are_normal_input():
    entry, problems = read(b"\xef\xbb\xbf" + VALID.replace("\n", "\r\n").encode("utf-8"))
    assert problems == []
    assert entry is not None and entry.title.startswith("关于2021年")
    assert "\r" not in entry.body


def test_optional_fields_are_parsed():
    entry, problems = read(VALID.replace("---\n正文", (
        "publisher: 测试镇社会事务办公室\ndoc_no: 示例府发〔2021〕12号\nwritten: 2021-02-26\n"
        "validity: 废止\ntags: 低保、公示\nsummary: 概述\ndraft: true\n---\n正文"
    )))
    assert problems == []
    assert entry is not None
    assert (entry.publisher, entry.doc_no, entry.written, entry.validity) == (
        "测试镇社会事务办公室", "示例府发〔2021〕12号", dt.date(2021, 2, 26), "废止")
    assert entry.tags == ("低保", "公示")
    assert entry.summary == "概述" and entry.draft is True


def test_channel_labels_and_comma_text_are_accepted():
    entry, problems = read(VALID.replace("[website, bulletin]", "信息公告栏，website"))
    assert problems == []
    assert entry is not None and entry.channels == ("bulletin", "website")


# (what is wrong, file text, expected "line: field: message" start)
BAD_INPUTS = [
    ("malformed YAML", VALID.replace("category: 民生保障", "category: [民生保障"),
     "4: front matter: 格式错误：方括号「[」「]」没有配对：请在列表末尾补上「]」"),
    ("missing title", VALID.replace("title: 关于2021年第一季度低保对象的公示\n", ""),
     "1: title: 缺少必填字段 title（标题）"),
    ("missing date", VALID.replace("date: 2021-03-04\n", ""),
     "1: date: 缺少必填字段 date（发布日期）"),
    ("missing category", VALID.replace("category: 民生保障\n", ""),
     "1: category: 缺少必填字段 category（公开类别）"),
    ("missing channels", VALID.replace("channels: [website, bulletin]\n", ""),
     "1: channels: 缺少必填字段 channels（公开渠道）"),
    ("unknown category", VALID.replace("民生保障", "民生保证"),
     "4: category: 未知分类「民生保证」，是否想写「民生保障」？可选：机构职能、"),
    ("unknown channel", VALID.replace("bulletin]", "bulletn]"),
     "5: channels: 未知渠道「bulletn」，是否想写「bulletin」？可选：website（县政府信息公开网站子站）"),
    ("invalid date", VALID.replace("2021-03-04", "2021-02-30"),
     "3: date: 日期「2021-02-30」不存在：请核对年、月、日"),
    ("date in another format", VALID.replace("2021-03-04", "2021/03/04"),
     "3: date: 日期「2021/03/04」格式不对：请写成 YYYY-MM-DD"),
    ("empty channel list", VALID.replace("[website, bulletin]", "[]"),
     "1: channels: 缺少必填字段 channels（公开渠道）"),
    ("channel list of blanks", VALID.replace("[website, bulletin]", "'，'"),
     "5: channels: 至少要写一个公开渠道"),
    ("front matter not a mapping", "---\n- title\n- date\n---\n正文\n",
     "2: front matter: front matter 应逐行写成“字段: 值”"),
    ("no front matter", "关于某事的通知\n\n正文。\n",
     "1: front matter: 文件开头缺少 front matter"),
    ("front matter never closed", "---\ntitle: 标题\ndate: 2021-03-04\n",
     "1: front matter: front matter 没有结束"),
    ("not UTF-8", VALID.encode("gbk"), f"2: 编码: {UTF8_HELP}"),
    ("binary junk", b"---\ntitle: a\x00b\n---\n", "2: 编码: 文件含有二进制内容"),
    # The line counts from the file's first byte, BOM or not (it was 1 here: offsets were
    # taken after the BOM and counted in the bytes before it).
    ("not UTF-8 after a BOM", b"\xef\xbb\xbf---\ntitle: a\n\xff\n---\n", f"3: 编码: {UTF8_HELP}"),
    ("duplicate key", VALID.replace("date: 2021-03-04\n", "date: 2021-03-04\ndate: 2021-03-05\n"),
     "4: date: 字段重复：第 3 行已经写过"),
    ("number as title", VALID.replace("title: 关于2021年第一季度低保对象的公示", "title: 2021"),
     "2: title: 应为文字：请给「2021」加上引号"),
    ("validity not allowed", VALID.replace("---\n正文", "validity: 作废\n---\n正文"),
     "7: validity: 有效性「作废」无效，可选：有效、失效、废止"),
    ("draft not a flag", VALID.replace("---\n正文", "draft: 是\n---\n正文"),
     "7: draft: 应为 true 或 false，而不是「是」"),
    ("python tag", VALID.replace("title: 关于", "title: !!python/object:os.system 关于"),
     "2: front matter: 格式错误：请去掉 ! 开头的类型标记"),
]


@pytest.mark.parametrize("text, expected", [case[1:] for case in BAD_INPUTS],
                         ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_one_clear_error(text, expected):
    entry, problems = read(text)
    assert entry is None
    assert next(str(p) for p in problems if p.is_error).startswith(f"{PATH}:{expected}")


def test_every_problem_of_a_file_is_reported_at_once():
    text = VALID.replace("民生保障", "民生保证").replace("2021-03-04", "2021-13-01")
    entry, problems = read(text)
    assert entry is None
    assert [(p.line, p.field) for p in problems] == [(3, "date"), (4, "category")]


def test_unknown_key_is_a_warning_suggesting_the_nearest_key():
    entry, problems = read(VALID.replace("---\n正文", "dco_no: 示例府发〔2021〕1号\n---\n正文"))
    assert entry is not None
    assert [str(p) for p in problems] == [
        f"{PATH}:7: dco_no: 未知字段，已忽略。是否想写「doc_no」？"
    ]
    assert problems[0].severity is Severity.WARNING


def test_missing_index_number_is_a_warning_only():
    entry, problems = read(VALID.replace("index_no: 000014349/2021-00012\n", ""))
    assert entry is not None
    assert [(p.field, p.severity) for p in problems] == [("index_no", Severity.WARNING)]


def test_index_number_that_yaml_would_read_as_a_number_must_be_quoted():
    entry, problems = read(VALID.replace("000014349/2021-00012", "00012"))
    assert entry is None
    assert "请给「10」加上引号" in str(problems[0])


def test_written_after_publish_date_is_a_warning():
    entry, problems = read(VALID.replace("---\n正文", "written: 2021-04-01\n---\n正文"))
    assert entry is not None
    assert [str(p) for p in problems] == [
        f"{PATH}:7: written: 成文日期 2021-04-01 晚于发布日期 2021-03-04，请核对"
    ]


@pytest.mark.parametrize("today, published", [
    (dt.date(2021, 3, 3), False), (dt.date(2021, 3, 4), True), (dt.date(2021, 3, 5), True),
])
def test_published_from_its_date_on(today, published):
    entry, _ = read(VALID)
    assert entry is not None and entry.is_published(today) is published


def test_draft_is_never_published():
    entry, _ = read(VALID.replace("---\n正文", "draft: true\n---\n正文"))
    assert entry is not None and not entry.is_published(dt.date(2999, 1, 1))


CONFIG_CASES = [
    ({"chanels": {}}, "mkdocs.yml: extra.disclosure.chanels: 未知设置，是否想写「channels」？"),
    ({"channels": {"web site": "网站"}}, "extra.disclosure.channels: 渠道代码「web site」只能用"),
    ({"groups": {"网站": ["nope"]}}, "extra.disclosure.groups: 分组「网站」中的渠道「nope」未在 channels 中定义"),
    ({"categories": []}, "extra.disclosure.categories: 应为非空的文字列表"),
    ({"categories": ["财政/预算"]}, "extra.disclosure.categories: 「财政/预算」含有不能用于网址的字符"),
    ({"page_size": 0}, "extra.disclosure.page_size: 应为正整数"),
    ({"publisher": ""}, "extra.disclosure.publisher: 应为非空文字"),
    ({"index_pattern": "{org_code}-{serial}"}, "extra.disclosure.index_pattern: 「{org_code}-{serial}」无效"),
    ({"index_pattern": "{org_code}/{year}-{serial:05q}"}, "index_pattern: 「{org_code}/{year}-{serial:05q}」无效"),
    ({"masking": {"mobile": [5, 4]}}, "extra.disclosure.masking: mobile 保留的位数太多：至少要隐去 4 位"),
    ({"masking": {"phone": [3, 4]}}, "extra.disclosure.masking: 未知号码类型「phone」"),
    ({"masking": {"id_card": [6]}}, "extra.disclosure.masking: id_card 应写成 [保留开头位数, 保留末尾位数]"),
    # Review fixes: replacement fields other than the bare names, staleness out of range,
    # categories that are not usable folder names.
    ({"index_pattern": "{org_code}/{year}-{serial[0]}"},
     "extra.disclosure.index_pattern: 「{org_code}/{year}-{serial[0]}」无效"),
    ({"index_pattern": "{org_code.x}/{year}-{serial}"},
     "extra.disclosure.index_pattern: 「{org_code.x}/{year}-{serial}」无效"),
    ({"index_pattern": "{org_code}/{year:>6}-{serial}"},
     "extra.disclosure.index_pattern: 「{org_code}/{year:>6}-{serial}」无效"),
    ({"index_pattern": "{org_code!r}/{year}-{serial}"},
     "extra.disclosure.index_pattern: 「{org_code!r}/{year}-{serial}」无效"),
    ({"index_pattern": "{org_code}/{year}-{serial:{year}}"},
     "extra.disclosure.index_pattern: 「{org_code}/{year}-{serial:{year}}」无效"),
    ({"staleness": {"通知公告": 100000}},
     "extra.disclosure.staleness: 通知公告 应为 0 到 1200 之间的月数（0 表示不检查）"),
    ({"staleness": {"通知公告": 1201}}, "extra.disclosure.staleness: 通知公告 应为 0 到 1200"),
    ({"categories": ["通知公告", ".."]}, "extra.disclosure.categories: 「..」不能用作文件夹名"),
    ({"categories": ["."]}, "extra.disclosure.categories: 「.」不能用作文件夹名"),
    ({"categories": [".通知"]}, "extra.disclosure.categories: 「.通知」不能用作文件夹名"),
    ({"categories": ["通知. "]}, "extra.disclosure.categories: 「通知. 」不能用作文件夹名"),
    ({"categories": [" 通知"]}, "extra.disclosure.categories: 「 通知」不能用作文件夹名"),
]


@pytest.mark.parametrize("raw, expected", CONFIG_CASES)
def test_bad_configuration_is_reported(raw, expected):
    with pytest.raises(ConfigError) as caught:
        config_from_mapping(raw)
    assert expected in str(caught.value)


def test_configuration_defaults():
    config = config_from_mapping(None)
    assert config == DisclosureConfig()
    assert config.groups["政务易平台和村村响广播"] == ["zwy", "broadcast"]
    assert len(config.categories) == 14


# --- Added for publishing safety: aliases, allowances, the unwritten body ---------------------


@pytest.mark.parametrize("text, expected", [
    (VALID.replace("---\n正文", "a: &a [website]\nb: *a\n---\n正文"),
     "7: front matter: 不支持以 & 和 * 开头的引用写法"),
    (VALID.replace("title: 关于", "title: !!int x关于"), "2: title: 无法读取的值：请去掉 !! 开头的类型标记"),
    (VALID.replace("---\n正文", "personal_data_allowed: 500230199001010015\n---\n正文"),
     "7: personal_data_allowed: 应为列表，每项写明号码和公开依据"),
    (VALID.replace("---\n正文", "personal_data_allowed: [{value: '500230199001010015'}]\n---\n正文"),
     "7: personal_data_allowed: 第 1 项应只有 value 和 reason 两项"),
    (VALID.replace("---\n正文", "personal_data_allowed: [{value: 张三, reason: 依法}]\n---\n正文"),
     "7: personal_data_allowed: 第 1 项的 value 应为身份证号、手机号码或银行卡号"),
    (VALID.replace("---\n正文", "personal_data_allowed: [{value: '13812345678', reason: ''}]\n"
                   "---\n正文"), "7: personal_data_allowed: 第 1 项缺少公开依据（reason）"),
    (VALID.replace("正文第一段。", "第一段。\n（请在此处粘贴正文，并删除本行）"),
     "9: 正文: 正文还没有填写"),
])
def test_publishing_safety_input_errors(text, expected):
    entry, problems = read(text)
    assert entry is None
    assert next(str(p) for p in problems if p.is_error).startswith(f"{PATH}:{expected}")


def test_personal_data_allowances_are_read_with_their_reasons():
    entry, problems = read(VALID.replace("---\n正文", (
        "personal_data_allowed:\n  - value: 138-1234-5678\n    reason: 依法公开\n"
        "  - value: 11010519491231002x\n    reason: 依据处罚决定公开\n---\n正文"
    )))
    assert problems == [] and entry is not None
    assert [(a.value, a.reason) for a in entry.personal_data_allowed] == [
        ("13812345678", "依法公开"), ("11010519491231002X", "依据处罚决定公开")]


def test_flat_and_nested_front_matter_read_the_same():
    flat, _ = read(VALID)
    nested, _ = read(VALID.replace("channels: [website, bulletin]",
                                   "channels:\n  - website\n  - bulletin"))
    assert flat is not None and nested is not None
    assert flat.channels == nested.channels and flat.title == nested.title


def test_partial_masking_rule_keeps_the_other_defaults():
    config = config_from_mapping({"masking": {"id_card": [2, 3]}})
    assert config.masking == {"id_card": [2, 3], "mobile": [3, 4], "bank_card": [4, 4]}


def test_index_pattern_with_a_format_spec_on_serial_and_long_staleness_are_accepted():
    config = config_from_mapping({
        "index_pattern": "{org_code}-{year}/{serial:04d}", "staleness": {"通知公告": 1200},
    })
    assert config.index_pattern == "{org_code}-{year}/{serial:04d}"
    assert config.staleness["通知公告"] == 1200


# --- Review fixes: amounts and numbers that would crash or flood later steps ----------------

FEE = "doc_type: 行政事业性收费\nfee_amount: {}\n---\n正文"


@pytest.mark.parametrize("amount, expected", [
    ("1e999999999999", "8: fee_amount: 金额「1e999999999999」超出范围"),
    ("1e999999", "8: fee_amount: 金额「1e999999」超出范围"),
    ("'1e999999'", "8: fee_amount: 金额「1e999999」超出范围"),
    ("1000000000000", "8: fee_amount: 金额「1000000000000」超出范围"),
    ("1e-999999", "8: fee_amount: 金额「1e-999999」小数位数过多"),
    ("'0.0000001'", "8: fee_amount: 金额「0.0000001」小数位数过多"),
    ("-1e999999999999", "8: fee_amount: 金额「-1e999999999999」应为不小于 0 的数字"),
])
def test_huge_and_tiny_amounts_are_errors_on_their_line(amount, expected):
    entry, problems = read(VALID.replace("---\n正文", FEE.format(amount)))
    assert entry is None
    assert next(str(p) for p in problems if p.is_error).startswith(f"{PATH}:{expected}")


@pytest.mark.parametrize("amount, kept", [
    ("12.50", "12.5"), ("'12.50'", "12.50"),
    ("'999999999999.999999'", "999999999999.999999"), ("0", "0"),
    ("1E+3", "1E+3"), ("0e-999999", "0.000000"), ("0e999999999", "0"), ("'12.500000000000'", "12.500000"),
])
def test_reasonable_amounts_are_kept_with_at_most_six_decimals(amount, kept):
    entry, problems = read(VALID.replace("---\n正文", FEE.format(amount)))
    assert problems == [] and entry is not None
    assert str(entry.fee_amount) == kept


def test_a_number_with_thousands_of_digits_is_an_error_at_its_key():
    entry, problems = read(VALID.replace(
        "---\n正文", "doc_type: 行政许可\ndecisions: " + "9" * 5000 + "\n---\n正文"
    ))
    assert entry is None
    assert [str(p) for p in problems if p.is_error] == [
        f"{PATH}:8: decisions: 数字位数过多，无法读取：请核对这一行"
    ]



def _split_line_by_line(text: str) -> tuple[str, str, int] | None:
    """split_front_matter as it was written before its closing fence was found by a regex:
    the reference the property test below holds it to."""
    line_end = text.find("\n")
    if (text if line_end < 0 else text[:line_end]).rstrip() != "---":
        return None
    front_start = line_start = line_end + 1
    index = 1
    while line_end >= 0:
        line_end = text.find("\n", line_start)
        line = text[line_start:] if line_end < 0 else text[line_start:line_end]
        if line.rstrip() in ("---", "..."):
            body = "" if line_end < 0 else text[line_end + 1:]
            return text[front_start:max(front_start, line_start - 1)], body, index + 2
        line_start = line_end + 1
        index += 1
    return None


# Lines made of fences, dots, dashes and every kind of whitespace (Unicode's included: rstrip
# strips them, so the regex must take them as trailing blanks too), and ordinary text.
_FENCE_PIECES = st.sampled_from([
    "---", "...", "--", "..", "----", "-", ".", " ", "\t", "\u3000", "\x0b", "\x0c", "\x1c",
    "\x85", "\u2028", "\u00a0", "\r", "a", "title: 标题", "\n", "\n", "\n",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(_FENCE_PIECES, max_size=14).map("".join))
def test_split_front_matter_finds_the_fence_the_line_by_line_reading_found(tail):
    for text in ("---\n" + tail, "--- \n" + tail, tail):
        split, problems = split_front_matter(text, "p.md")
        expected = _split_line_by_line(text)
        if expected is None:
            assert split is None and len(problems) == 1
        else:
            assert split is not None and not problems
            assert (split.front_matter, split.body, split.body_line) == expected


def test_entries_made_without_the_dataclass_init_equal_those_made_with_it():
    """reader.py builds each entry by `entry_of` (entry.py): the same Entry as `Entry(**…)`,
    defaults included, and the same refusal of a missing or unknown field."""
    values = {"path": "disclosures/2021/a.md", "slug": "2021/a", "title": "标题",
              "date": dt.date(2021, 3, 4), "category": "通知公告", "channels": ("website",),
              "publisher": "测试镇人民政府", "body": "正文", "body_line": 8,
              "field_lines": {"title": 2}, "summary": "概述", "decisions": 3}
    made, expected = entry_of(values), Entry(**values)
    assert type(made) is Entry and made == expected
    assert [getattr(made, item.name) for item in dataclasses.fields(Entry)] == [
        getattr(expected, item.name) for item in dataclasses.fields(Entry)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.title = "改"  # type: ignore[misc]
    for broken in ({**values, "titel": "x"}, {k: v for k, v in values.items() if k != "date"}):
        with pytest.raises(TypeError):
            entry_of(broken)
    in_order = entry_in_order([getattr(expected, item.name) for item in dataclasses.fields(Entry)])
    assert type(in_order) is Entry and in_order == expected
    with pytest.raises(ValueError):
        entry_in_order([expected.path, expected.slug])
