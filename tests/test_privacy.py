"""The personal-data guard: what it finds, how it masks, and what it must leave alone."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai import privacy
from gongkai.config import DisclosureConfig, read_project_config
from gongkai.corpus import load_corpus
from gongkai.entry import Entry
from gongkai.privacy import (
    BANK_CARD,
    ID_CARD,
    MOBILE,
    find_personal_data,
    mask,
    may_hold_personal_data,
    may_hold_run,
    passes_luhn,
)
from gongkai.screening import screen_entry
from test_hardening_data import SPELLINGS

REPO = Path(__file__).resolve().parent.parent
ID_18 = "500230199001010015"
ID_18_X = "11010519491231002X"
ID_15 = "500230900101001"
MOBILE_NO = "13812345678"
CARD_16 = "6222021001123459"
CARD_19 = "6217001234567890122"

# (as written in a notice, kind, the number found, its masked form)
FOUND = [
    (ID_18, ID_CARD, ID_18, "500230********0015"),
    (ID_18_X, ID_CARD, ID_18_X, "110105********002X"),
    (ID_18_X[:-1] + "x", ID_CARD, ID_18_X, "110105********002X"),
    (ID_15, ID_CARD, ID_15, "500230*****1001"),
    (MOBILE_NO, MOBILE, MOBILE_NO, "138****5678"),
    ("138-1234-5678", MOBILE, MOBILE_NO, "138****5678"),
    ("138 1234 5678", MOBILE, MOBILE_NO, "138****5678"),
    (CARD_16, BANK_CARD, CARD_16, "6222********3459"),
    (CARD_19, BANK_CARD, CARD_19, "6217***********0122"),
]


@pytest.mark.parametrize("written, kind, value, masked", FOUND, ids=[case[0] for case in FOUND])
def test_unmasked_numbers_are_found_and_masked_by_the_site_rule(written, kind, value, masked):
    findings = find_personal_data(f"|张某某|{written}|")
    assert [(f.kind, f.value, f.start) for f in findings] == [(kind, value, 5)]
    assert mask(findings[0], DisclosureConfig().masking) == masked
    assert find_personal_data(f"|张某某|{masked}|") == []


NOT_PERSONAL = [
    "办公电话：023-70601234", "办公电话：（023）70601234", "传真 023-70600008",
    "索引号：11500230MB0000000X/2025-00014", "索引号：000014349/2017-00110",
    "索引号：11500230999956605H/2999-00001（17 位数字满足 Luhn 校验）",
    "示例府发〔2021〕12号", "示例府罚决〔2025〕3号", "2025-03-18", "20250318", "2025年3月18日",
    "金额 1,280.00 元", "合计 12345678.90 元", "投资 1234567890 元", "邮编 409000",
    "统一社会信用代码 91500230MA5U1234X6", "已脱敏 500230********0015", "138****5678",
    f"{ID_18[:-1]}9（校验位错误）", "500230199013010015（无此月份）", "990230199001010011",
    f"86{MOBILE_NO}0（更长的数字串）", "12812345678（12 开头不是手机号）",
    f"{CARD_16[:-1]}0（不满足 Luhn 校验）", "公示期 2025年3月18日至2025年3月26日",
]


@pytest.mark.parametrize("text", NOT_PERSONAL)
def test_public_numbers_are_not_flagged(text):
    assert find_personal_data(text) == []


@pytest.mark.parametrize("number, valid", [
    ("79927398713", True), ("79927398710", False), (CARD_16, True), (CARD_19, True),
])
def test_luhn(number, valid):
    assert passes_luhn(number) is valid


def test_masking_rule_is_configurable():
    config = DisclosureConfig(masking={"id_card": [2, 3], "mobile": [3, 4], "bank_card": [0, 4]})
    id_finding, card_finding = find_personal_data(f"{ID_18} {CARD_16}")
    assert mask(id_finding, config.masking) == "50*************015"
    assert mask(card_finding, config.masking) == "************3459"


# --- False positives, measured: on the sample site and on generated text ---------------------


def test_sample_site_has_no_personal_data_findings():
    """The whole sample corpus (every title, summary and body) raises no finding at all."""
    config = read_project_config(REPO)
    corpus = load_corpus(REPO, config)
    texts = [text for entry in corpus.entries for text in (entry.title, entry.summary or "",
                                                          entry.body)]
    assert len(texts) >= 3 * 20
    assert [f for text in texts for f in find_personal_data(text)] == []
    assert not any("未去标识化" in problem.message for problem in corpus.problems)


def _public_numbers(rng: random.Random) -> str:
    """One realistic, public number of the kinds notices are full of."""
    year = rng.randint(2000, 2030)
    choices = [
        f"0{rng.randint(10, 999)}-{rng.randint(1000000, 99999999)}",
        f"（0{rng.randint(10, 99)}）{rng.randint(10000000, 99999999)}",
        f"11500230MB0000000X/{year}-{rng.randint(1, 99999):05d}",
        f"{rng.randint(100000000, 999999999)}/{year}-{rng.randint(1, 99999):05d}",
        f"示例府发〔{year}〕{rng.randint(1, 300)}号",
        f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
        f"{year}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
        f"{rng.randint(0, 10**9):,}.{rng.randint(0, 99):02d}元",
        f"{rng.randint(0, 10**10)}.{rng.randint(0, 99):02d}元",
        f"{rng.randint(0, 10**10)}元",
        f"{rng.randint(100000, 999999)}",
        f"{rng.randint(1, 999)}户{rng.randint(1, 9999)}人",
        f"{rng.randint(1, 99)}.{rng.randint(0, 99)}%",
    ]
    return rng.choice(choices)


def test_generated_public_numbers_are_never_flagged():
    rng = random.Random(20261126)
    texts = ["，".join(_public_numbers(rng) for _ in range(10)) for _ in range(10_000)]
    flagged = [text for text in texts if find_personal_data(text)]
    assert flagged == []  # 0 of 100,000 generated public numbers


def _valid_id(rng: random.Random) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    born = f"{rng.randint(1930, 2015)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"{rng.randint(11, 82)}{rng.randint(0, 9999):04d}{born}{rng.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


def test_generated_personal_numbers_are_all_found():
    rng = random.Random(7)
    for _ in range(2_000):
        number = rng.choice([_valid_id(rng), f"1{rng.randint(3, 9)}{rng.randint(0, 10**9 - 1):09d}"])
        filler = _public_numbers(rng)
        findings = find_personal_data(f"{filler}，姓名张某某，号码{number}，{filler}")
        assert [f.value for f in findings] == [number.upper()]


def _credit_codes_opening_with_a_card_number() -> list[str]:
    """Valid 统一社会信用代码 (made by bench/generate.py's own GB 32100 code) whose 17 digits
    pass the Luhn check and whose check character is a letter."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from generate import credit_code

    codes = []
    for serial in range(100000, 200000):
        code = credit_code("91", "500230", f"{serial:09d}")
        if code[-1].isalpha() and passes_luhn(code[:17]):
            codes.append(code)
        if len(codes) == 5:
            return codes
    raise AssertionError("no such code in the range")


def test_a_company_credit_code_in_a_body_is_not_a_bank_card():
    for code in _credit_codes_opening_with_a_card_number():
        assert find_personal_data(f"中标单位：某某建筑有限公司（统一社会信用代码：{code}）。") == []
        # The exemption is the code's own check character: with a wrong one the 17 digits
        # are still a card number.
        wrong = next(letter for letter in "ABCDEFGHJKLMNPQRTUWY" if letter != code[-1])
        findings = find_personal_data(f"账号：{code[:17]}{wrong}。")
        assert [finding.kind for finding in findings] == [BANK_CARD]


# --- The prefilter screening puts before find_personal_data ---------------------------------

_PIECES = ["1", "3", "8", "5", "0", "9", "*", " ", "-", ".", "\n", "`", "X", "年", "元", "/2021",
           "１", "３", "－", "—", "\u200b", "\u3000", "&#49;", "&#x33;", "<span>", "</b>", "<br>",
           "<!--", "-->", "\\", "●", "𝟏"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_the_prefilter_passes_every_text_in_which_a_number_is_found(text):
    assert may_hold_personal_data(text) or find_personal_data(text) == [], text


# Every character `_RUN` treats apart (digits, stars, each separator, X), characters whose
# UTF-8 bytes are many (CJK, astral), and lone surrogates, which UTF-8 cannot encode plainly.
_RUN_PIECES = ["1", "3", "8", "0", "9", "*", "**", " ", "  ", "   ", "\t", "-", ".", "_", "`",
               "``", "~", "~~", "\n", "X", "x", "a", "年", "𝟏", "\ud800", "/2021", "元"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_RUN_PIECES), max_size=60).map("".join))
def test_the_digit_run_filter_never_skips_a_text_the_scan_finds_something_in(text):
    """`find_personal_data` returns early when `may_hold_run` says no: it must say no only
    where the old scan, the regex over the whole text, found no run — and so found the same."""
    with patch("gongkai.privacy.may_hold_run", return_value=True):
        unfiltered = find_personal_data(text)
    assert find_personal_data(text) == unfiltered, text
    assert may_hold_run(text) or privacy._RUN.search(text) is None, text


@pytest.mark.parametrize("written", SPELLINGS.values(), ids=SPELLINGS.keys())
def test_a_number_in_any_spelling_is_found_in_every_front_matter_field(written):
    """Screening skips the fields the prefilter clears: a number written only with
    characters that are read as digits (full-width, references, tags) must not be one."""
    assert may_hold_personal_data(f"关于{written}的说明")
    entry = Entry(
        path="disclosures/a.md", slug="a", title=f"关于{written}的说明", date=dt.date(2021, 3, 4),
        category="通知公告", channels=("website",), publisher="测试镇人民政府", body="正文。",
        body_line=9, doc_no=f"文号{written}", tags=(f"标签{written}",), summary=f"概述{written}",
        field_lines={"title": 2, "doc_no": 3, "tags": 4, "summary": 5},
    )
    problems, _ = screen_entry(entry, DisclosureConfig(publisher="测试镇人民政府"))
    found = {problem.field for problem in problems if "未去标识化" in problem.message}
    assert found == {"title", "doc_no", "tags", "summary"}
