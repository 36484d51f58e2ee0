"""Finding unmasked personal numbers in text (个人信息去标识化), and their masked form.

Pure functions over text: 18-digit 居民身份证号 with a valid check digit and a real birth date,
15-digit old ID numbers with a real birth date, 11-digit mobile numbers and 16–19-digit bank
card numbers passing the Luhn check. Every number must stand alone — a digit run that is part
of a longer one (an amount, a code) is not a number of these kinds — so office landlines
(023-70601234), 索引号, 文号, dates and amounts pass. Masked forms (`138****5678`) contain `*`
and so never match.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ID_CARD, MOBILE, BANK_CARD = "id_card", "mobile", "bank_card"
KIND_LABELS = {ID_CARD: "居民身份证号", MOBILE: "手机号码", BANK_CARD: "银行卡号"}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_DIGITS = "10X98765432"
# A digit run standing alone: 11 to 19 digits, or 17 digits and the check letter X; or a
# mobile number written in groups, 138-1234-5678 or 138 1234 5678.
_NUMBER = re.compile(
    r"(?=\d)(?<!\d)(?:\d{17}[Xx]|\d{11,19}|(?P<grouped>1[3-9]\d([- ])\d{4}\2\d{4}))(?![\dXx])"
)
_OLDEST_BIRTH_YEAR = 1900


@dataclass(frozen=True)
class Finding:
    """One unmasked personal number in a text."""

    kind: str
    """`id_card`, `mobile` or `bank_card` (the keys of the masking rule)."""
    value: str
    """The number, digits only (an ID number may end in X)."""
    start: int
    """Offset of the number in the text."""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def _is_birth_date(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    return _OLDEST_BIRTH_YEAR <= year and born <= dt.date.today()


def _has_region_code(number: str) -> bool:
    """Province codes run from 11 (北京) to 82 (澳门)."""
    return "11" <= number[:2] <= "82"


def is_id_number(number: str) -> bool:
    """An 18-character 居民身份证号 with a valid check digit, or a 15-digit old one."""
    if len(number) == 18:
        body, check = number[:17], number[17].upper()
        if not body.isdigit() or not _has_region_code(number):
            return False
        total = sum(int(digit) * weight for digit, weight in zip(body, _ID_WEIGHTS))
        born = int(number[6:10]), int(number[10:12]), int(number[12:14])
        return _ID_CHECK_DIGITS[total % 11] == check and _is_birth_date(*born)
    if len(number) == 15 and number.isdigit():
        # Old numbers have no check digit: the birth date (YYMMDD, 19YY) is all there is.
        born = 1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
        return _has_region_code(number) and _is_birth_date(*born)
    return False


def passes_luhn(number: str) -> bool:
    """The Luhn check every bank card number satisfies."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _kind(number: str) -> str | None:
    if is_id_number(number):
        return ID_CARD
    if len(number) == 11 and number[0] == "1" and number[1] in "3456789":
        return MOBILE
    if 16 <= len(number) <= 19 and number.isdigit() and passes_luhn(number):
        return BANK_CARD
    return None


def find_personal_data(text: str) -> list[Finding]:
    """Every unmasked personal number in `text`, in order."""
    findings = []
    for match in _NUMBER.finditer(text):
        number = re.sub(r"\D", "", match.group()) if match["grouped"] else match.group().upper()
        kind = _kind(number)
        if kind is not None:
            findings.append(Finding(kind, number, match.start()))
    return findings


def mask(finding: Finding, masking: Mapping[str, Sequence[int]]) -> str:
    """The finding as the site-wide rule says to publish it, e.g. `500230********0018`."""
    keep_start, keep_end = masking[finding.kind]
    value = finding.value
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")

