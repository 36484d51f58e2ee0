"""The shortcuts screening takes for speed find exactly what the long way finds.

Each shortcut in privacy.py and screening.py keeps the definition it replaced beside it (or
here, for the Luhn check): generated texts hold the two to each other, on the characters the
rewriting treats apart (dashes, spaces, full-width digits, mask glyphs, emphasis, entities,
tags, comments, hidden characters) and the runs the scan reads."""

from __future__ import annotations

from unittest.mock import patch

from hypothesis import example, given, settings
from hypothesis import strategies as st

from gongkai import privacy
from gongkai.privacy import (
    DEFAULT_MASKING,
    find_personal_data,
    may_hold_personal_data,
    may_hold_personal_data_each,
    passes_luhn,
)
from gongkai.screening import _CONTROL, body_marks

_ID = "500230199001010015"
_PIECES = [
    "1", "3", "8", "5", "0", "2", "9", "*", "**", " ", "  ", "-", ".", "_", "`", "~~", "\n", "X",
    "x", "年", "元", "/2021", "|", _ID, "13812345678", "138****5678", "500230********0018",
    "5002301990****0015", "6222021001123459", "１", "３", "８", "Ｘ", "－", "—", "–", "\u2212",
    "\u3000", "\xa0", "\u2009", "\u200b", "\u00ad", "\ufeff", "\x07", "\x85", "&#49;", "&#x33;",
    "&nbsp;", "&amp;", "<span>", "</b>", "<br>", "<td>", "<!--", "-->", "\\", "\\-", "●", "×",
    "∗", "𝟏", "\U0001f600", "<", "&",
]
_texts = st.lists(st.sampled_from(_PIECES), max_size=40).map("".join)
_MASKINGS = st.sampled_from([DEFAULT_MASKING, {"id_card": [4, 2], "mobile": [2, 2],
                                               "bank_card": [0, 4]}])


def _uncached_partly_masked(run, masking, masking_key):
    found = privacy._partly_masked(run, 0, masking)
    return (found.kind, found.value) if found else None


def _groups_the_long_way(run, run_start):
    return privacy._split_groups(run, run_start)


def _luhn_the_long_way(number: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


@settings(max_examples=3000, deadline=None)
@given(_texts, _MASKINGS)
def test_findings_are_those_of_the_long_way(text, masking):
    """Same kinds, values and offsets as rewriting piece by piece, splitting every run at
    its separators and judging every masked run anew."""
    found = find_personal_data(text, masking)
    with patch.object(privacy, "_SHORT_TEXT", -1):  # the run prefilter on every text
        assert find_personal_data(text, masking) == found, text
    with patch.object(privacy, "_normalize",
                      lambda text, specials=None: privacy._normalize_pieces(text)), \
         patch.object(privacy, "_partly_masked_cached", _uncached_partly_masked), \
         patch.object(privacy, "_groups", _groups_the_long_way), \
         patch.object(privacy, "_possible_runs", lambda text: (0, len(text))):
        assert find_personal_data(text, masking) == found, text


_RUN_PIECES = ["1", "3", "8", "0", "9", "*", "**", " ", "  ", "   ", "\t", "-", ".", "_", "`",
               "``", "~", "~~", "\n", "X", "x", "a", "年", "—", "é", "𝟏", "\ud800", "/2021",
               # whose UTF-16 bytes read as digits, separators or nothing: 00 30, 01 30, 2A 30,
               # 2E 2D, 20 0A, 0A 30, 31 31, 2D 4E
               "\u3000", "、", "\u302a", "\u2d2e", "\u0a20", "《", "\u3131", "中"]


@settings(max_examples=6000, deadline=None)
@given(st.lists(st.sampled_from(_RUN_PIECES), max_size=60).map("".join))
def test_the_run_search_between_its_bounds_finds_every_run(text):
    """None only where no run is; else bounds between which the search finds the same."""
    everywhere = [match.span() for match in privacy._RUN.finditer(text)]
    span = privacy._possible_runs(text)
    if span is None:
        assert everywhere == [], text
    else:
        assert [match.span() for match in privacy._RUN.finditer(text, *span)] == everywhere, text


@settings(max_examples=2000, deadline=None)
@given(_texts)
def test_dashes_and_spaces_are_read_as_the_long_way_reads_them(text):
    assert privacy._normalize(text).text == privacy._normalize_pieces(text).text, text


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=25))
def test_luhn_in_c_is_the_luhn_check(number):
    assert passes_luhn(number) is _luhn_the_long_way(number)


@settings(max_examples=2000, deadline=None)
@given(st.lists(_texts, max_size=8))
def test_fields_searched_together_are_judged_as_one_by_one(texts):
    assert may_hold_personal_data_each(texts) == [may_hold_personal_data(text) for text in texts]


@settings(max_examples=1000, deadline=None)
@given(st.from_regex(privacy._PLAIN_INDEX_NUMBER, fullmatch=True))
@example("500230199001010015/2021-00001")  # an ID number where the code belongs
@example("13812345678/2021-1")
@example("6222021001123459X/2021-000001")
@example("91500230MA5UXXXX9X/2021-00001")
def test_a_plainly_written_index_number_is_passed_by_the_prefilter_as_it_holds_nothing(text):
    assert find_personal_data(text) == []
    if privacy._PLAIN_INDEX_NUMBER.fullmatch(text):
        assert not may_hold_personal_data(text)
        assert may_hold_personal_data_each(["标题", text]) == [False, False]


def test_every_control_character_is_among_a_bodys_marks():
    """Screening looks for control characters in a body only when its marks hold one."""
    for code in range(0x110000):
        char = chr(code)
        if _CONTROL.match(char) or char == "\r":
            assert body_marks(f"正文{char}。").may_hold_control, hex(code)
    assert not body_marks("正文，“引号”与【括号】。").may_hold_control


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + ["[", "]", "](", "]:", "{", "\r"]), max_size=40)
       .map("".join), _MASKINGS)
def test_one_search_for_a_bodys_marks_answers_as_each_search_did(text, masking):
    marks = body_marks(text)
    assert find_personal_data(text, masking, marks.rewritten) == find_personal_data(text, masking)
    assert marks.may_hold_control is bool(_CONTROL.search(text) or "\r" in text)
    for char in "<[]{":
        assert (char in marks.present) is (char in text)
    assert [mark for mark in marks.found if mark in "[]"] == [c for c in text if c in "[]"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["138****5678", "5002301990****0015", "500230********0018",
                                 "1381234**78", "*" * 11, "138**\n**5678", "年"]),
                max_size=12).map(" ".join), _MASKINGS)
def test_remembered_masked_runs_follow_the_masking_rule(text, masking):
    """The same run judged under two rules gives each rule's answer."""
    for rule in (masking, DEFAULT_MASKING):
        with patch.object(privacy, "_partly_masked_cached", _uncached_partly_masked):
            expected = find_personal_data(text, rule)
        assert find_personal_data(text, rule) == expected, (text, rule)
