"""Finding unmasked personal numbers in text (个人信息去标识化), and their masked form.

Pure functions over text: 18-digit 居民身份证号 with a valid check digit and a real birth date,
15-digit old ID numbers with a real birth date, 11-digit mobile numbers and 16–19-digit bank
card numbers passing the Luhn check.

Numbers are found the way a reader sees them, not the way they are typed. The text is first
normalised, keeping a map back to the original offsets so line numbers stay right:

- HTML character references are resolved (`&#49;3812345678`), HTML comments and inline tags
  dropped (`138<span>1234</span>5678`; a block tag such as `<td>` or `<br>` still separates),
  Markdown backslash escapes dropped;
- every character is brought to NFKC (full-width `１３８…`, circled and mathematical digits),
  invisible and formatting characters (zero-width space, soft hyphen, …) are removed, all
  dashes become `-`, all spaces ` ` and mask glyphs (●, ×, ∗) `*`.

Then digits separated by a space, a hyphen, a dot, an underscore, a backtick or a line break
are read as groups, and a number is found when consecutive groups have one of the groupings
people and Word use (`GROUPINGS`: 138 1234 5678, 500230 19900101 0015, 6222 0210 0112 3459),
or when one group is a whole number, with or without a `+86`/`0086`/`86` prefix. Markdown
emphasis inside a number (`138**1234**5678`) is ignored, because it renders as the number.

A number must stand alone: a digit group that is part of a longer one (a code) is not a number
of these kinds, so office landlines (023-70601234), 索引号, 文号 and dates pass. A number
followed by a currency unit (元, 万元, 亿元, 美元, …) or after a currency sign is an amount.

A masked number (`138****5678`) is accepted only when it hides at least what the site's
`masking` rule hides: a run of digits and one block of `*` as long as a number of some kind,
which shows a digit where the rule hides one (`5002301980010100*0`), is a finding too.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from operator import mul

from .config import DEFAULT_MASKING
from .unicode_tables_data import HIDDEN_OR_LOOKALIKE

ID_CARD, MOBILE, BANK_CARD = "id_card", "mobile", "bank_card"
KIND_LABELS = {ID_CARD: "居民身份证号", MOBILE: "手机号码", BANK_CARD: "银行卡号"}
_KIND_LENGTHS = {ID_CARD: (15, 18), MOBILE: (11,), BANK_CARD: (16, 17, 18, 19)}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_DIGITS = "10X98765432"
_OLDEST_BIRTH_YEAR = 1900

# Group lengths, in order, of the ways each kind is written in groups. A number written as
# one group is checked for every kind; a grouped one only for the kind its grouping belongs to.
GROUPINGS: dict[tuple[int, ...], str] = {
    (3, 4, 4): MOBILE, (3, 8): MOBILE,
    (6, 8, 4): ID_CARD, (6, 4, 4, 4): ID_CARD, (6, 6, 6): ID_CARD, (6, 6, 3): ID_CARD,
    (4, 4, 4, 4): BANK_CARD, (4, 4, 4, 4, 1): BANK_CARD, (4, 4, 4, 4, 2): BANK_CARD,
    (4, 4, 4, 4, 3): BANK_CARD, (6, 10): BANK_CARD, (6, 12): BANK_CARD, (6, 13): BANK_CARD,
}
_MAX_GROUPS = max(len(grouping) for grouping in GROUPINGS)
# Cards written in groups must start like a card (UnionPay 62, Visa 4, Mastercard 5, JCB and
# Amex 3, old domestic 9): four-digit groups of years or counts are common, a tenth of them
# pass Luhn, and none of them start with 3–6 or 9 … except counts, so the Luhn check stays.
_CARD_FIRST_DIGITS = "34569"
_MOBILE_PREFIXES = ("0086", "86")

_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_MASK_GLYPHS = "\u00d7\u2022\u2217\u25cb\u25cf\u25ef\u2731\u273d\ufe61\uff0a"
_INLINE_TAGS = frozenset((
    "a", "abbr", "b", "bdi", "bdo", "big", "cite", "code", "data", "del", "dfn", "em", "font",
    "i", "ins", "kbd", "mark", "nobr", "q", "s", "samp", "small", "span", "strike", "strong",
    "sub", "sup", "time", "tt", "u", "var", "wbr",
))
# What a block tag becomes: a character that is neither a digit nor a separator.
_BLOCK_BREAK = "\x1e"
_SPECIAL_CHARACTERS = HIDDEN_OR_LOOKALIKE + _DASHES + _MASK_GLYPHS + "\U00010000-\U0010ffff"
REWRITTEN_CHARACTERS = r"<&\\" + _SPECIAL_CHARACTERS
"""The inside of a regex character class: the characters from which reading a text may
differ from the text (tags, references, escapes, hidden, lookalike and control characters)."""
# One character class first: a text without any of these (most texts) needs no rewriting, and
# a class is searched many times faster than the alternatives below.
_MAY_NEED_REWRITING = re.compile("[" + REWRITTEN_CHARACTERS + "]")
_SPECIAL = re.compile(
    r"<!--"
    r"|<(/?)([A-Za-z][A-Za-z0-9-]*)[^<>]*>"
    r"|&(?:#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?"
    r"|\\(?=[!-/:-@\[-`{-~])"
    "|[" + _SPECIAL_CHARACTERS + "]+"
)
# Runs of at least 11 digits (or mask stars), with at most one short separator between two.
# The run starts with a character class and its quantifiers are possessive: the search skips
# along in C and never backtracks, as fast as the plain 11-digit search it replaced.
_SEPARATOR = r"(?:[ \t]{1,3}[-._]?[ \t]{0,2}|[-._`~\n][ \t]{0,2}|[`~]{2})"
_RUN = re.compile(
    rf"[0-9*](?<![0-9*][0-9*])(?:{_SEPARATOR}?+[0-9*]){{10,}}+"
    r"(?:[Xx](?![A-Za-z0-9]))?+"
)
_SEPARATOR_SPLIT = re.compile(_SEPARATOR)
# A match of `_RUN` is made of ASCII only: 11 or more of [0-9*] with nothing between them but
# separator characters (and maybe a final X). So a text whose UTF-8 bytes, separators deleted
# and [0-9*] turned into "d", hold no 11 "d" in a row holds no run. Checked in C in a third of
# the time `_RUN` takes: the regex engine starts a match at every digit (a million in 10,000
# county bodies), and two bodies in three have no run. UTF-8 continuation bytes are deleted
# too, so every other character leaves one byte: where the first 11 "d" stand is then at most
# the offset of the first run in the text, and `_RUN` need not search before it; nor after
# the "d" that close the last 11, moved on by the separators deleted (`_possible_runs`).
_RUN_CHARACTERS = bytes(ord("d") if chr(byte) in "0123456789*" else ord("z") for byte in range(256))
_RUN_SEPARATORS = b" \t-._`~\n"
_RUN_SKIPPED = _RUN_SEPARATORS + bytes(range(0x80, 0xC0))
# Most texts are read from UTF-16 instead, which CPython makes of a text without astral
# characters two to three times faster than UTF-8: there every character is two bytes, an
# ASCII one's second byte 0, deleted with the separators. A CJK character's first byte may
# read as a digit or separator, but its second (4E-9F) never: more "d" than in UTF-8 at
# worst, never fewer, so the test stays sound; the bounds are reckoned per two bytes.
_RUN_SKIPPED_UTF16 = _RUN_SEPARATORS + b"\x00"
_ELEVEN_DIGITS = b"d" * 11
_SEPARATOR_CHARACTER = re.compile(r"[ \t\-._`~\n]")
_EMPHASIS = re.compile(r"[*`~]+")
_AMOUNT_AFTER = re.compile(
    r"(?:[.,][0-9]+)*[ \t]*(?:元|圆|万|亿|千|百|块|角|美元|港元|港币|欧元|日元|英镑|人民币)"
)
_AMOUNT_BEFORE = re.compile(r"(?:[¥$€£]|人民币|RMB)[ \t]*$")
# A 索引号 starts with the organisation code (up to 18 characters) and then /year. A 统一社会信用代码
# may end in one or two letters after its digits (…56605H, …4497X5): still the code.
# The year may be any gongkai accepts (1900-2999, as for annual-report files): an entry
# dated far ahead, e.g. 2999 for "not yet", keeps its code from being taken for a card.
_INDEX_NUMBER_AFTER = re.compile(r"(?:[A-Z][0-9A-Z]?)?/(?:19|2[0-9])[0-9]{2}")
# A whole 索引号 written the plain way (`115002306973166886/2019-00001`: an organisation code
# of digits, maybe one or two letters, /year, a serial too short to join a run) holds one
# run, followed by /year: a code (`_INDEX_NUMBER_AFTER`), so nothing is found in it. A county
# writes one in every file; reading it the long way cost 3 µs.
_PLAIN_INDEX_NUMBER = re.compile(r"[0-9]{11,19}(?:[A-Z][0-9A-Z]?)?/(?:19|2[0-9])[0-9]{2}-[0-9]{1,6}")


@dataclass(frozen=True)
class Finding:
    """One unmasked (or too little masked) personal number in a text."""

    kind: str
    """`id_card`, `mobile` or `bank_card` (the keys of the masking rule)."""
    value: str
    """The number as read: digits (an ID number may end in X), and `*` where a partly
    masked number hides a digit."""
    start: int
    """Offset of the number's first character in the original text."""
    end: int = 0
    """Offset just after the number's last character in the original text."""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class DayBounds:
    """The days on which every birth-date test made while recording comes out as it did:
    a number whose birth date is still to come becomes an ID number on that day (so the
    bounds end the day before), one whose birth date has passed stays one (so they start on
    it). The only part of judging a text that depends on the day is this test."""

    first: dt.date = dt.date.min
    last: dt.date = dt.date.max

    def note(self, born: dt.date, passed: bool) -> None:
        if passed:
            self.first = max(self.first, born)
        else:
            self.last = min(self.last, born - dt.timedelta(days=1))


_day_bounds: DayBounds | None = None


def today() -> dt.date:
    """The day birth dates are compared with (the machine's calendar, like the cache's)."""
    return dt.date.today()


class _Recording:
    """What `recording_day_bounds` gives: a context manager written as a class, entered for
    every file judged (one made of a generator by `contextmanager` cost 1.5 µs a file)."""

    __slots__ = ("bounds", "outer")

    def __enter__(self) -> DayBounds:
        global _day_bounds
        self.outer = _day_bounds
        self.bounds = _day_bounds = DayBounds()
        return self.bounds

    def __exit__(self, *_: object) -> None:
        global _day_bounds
        outer = _day_bounds = self.outer
        if outer is not None:
            outer.note(self.bounds.first, True)
            outer.last = min(outer.last, self.bounds.last)


def recording_day_bounds() -> _Recording:
    """The bounds of the days on which the birth-date tests made inside come out the same."""
    return _Recording()


def _is_birth_date(year: int, month: int, day: int) -> bool:
    try:
        born = dt.date(year, month, day)
    except ValueError:
        return False
    if year < _OLDEST_BIRTH_YEAR:
        return False
    passed = born <= today()
    if _day_bounds is not None:
        _day_bounds.note(born, passed)
    return passed


def _has_region_code(number: str) -> bool:
    """Province codes run from 11 (北京) to 82 (澳门)."""
    return "11" <= number[:2] <= "82"


def is_id_number(number: str) -> bool:
    """An 18-character 居民身份证号 with a valid check digit, or a 15-digit old one."""
    if len(number) == 18:
        body, check = number[:17], number[17].upper()
        if not body.isdigit() or not _has_region_code(number) or not (
                "01" <= number[10:12] <= "12" and "01" <= number[12:14] <= "31"):
            return False  # no month and day where they belong: most codes end here
        total = sum(map(mul, map(int, body), _ID_WEIGHTS))
        born = int(number[6:10]), int(number[10:12]), int(number[12:14])
        return _ID_CHECK_DIGITS[total % 11] == check and _is_birth_date(*born)
    if len(number) == 15 and number.isdigit():
        # Old numbers have no check digit: the birth date (YYMMDD, 19YY) is all there is.
        born = 1900 + int(number[6:8]), int(number[8:10]), int(number[10:12])
        return _has_region_code(number) and _is_birth_date(*born)
    return False


_LUHN_SAME = bytes.maketrans(b"0123456789", bytes(range(10)))
_LUHN_DOUBLED = bytes.maketrans(b"0123456789", bytes((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)))


def passes_luhn(number: str) -> bool:
    """The Luhn check every bank card number satisfies."""
    if not (number.isascii() and number.isdigit()):
        number = "".join(str(int(char)) for char in number)  # other digits; else ValueError
    # Digits turned into their values (doubled, digit sum taken, every second one from the
    # right) and summed in C: a county's 索引号 codes ask this of ten thousand numbers.
    digits = number.encode()[::-1]
    return (sum(digits[::2].translate(_LUHN_SAME))
            + sum(digits[1::2].translate(_LUHN_DOUBLED))) % 10 == 0


def _is_mobile(number: str) -> bool:
    return len(number) == 11 and number[0] == "1" and number[1] in "3456789"


def _kind(number: str) -> str | None:
    if is_id_number(number):
        return ID_CARD
    if _is_mobile(number):
        return MOBILE
    if 16 <= len(number) <= 19 and number.isdigit() and passes_luhn(number):
        return BANK_CARD
    return None


# --- Normalising: what a reader sees, with a map back to where it was written --------------


def _normal_char(char: str) -> str:
    if char in _DASHES:
        return "-"
    if char in _MASK_GLYPHS:
        return "*"
    category = unicodedata.category(char)
    if category[0] == "Z":
        return " "
    if category in ("Cf", "Mn", "Me", "Cc") and char not in "\t\n\r":
        return ""
    return unicodedata.normalize("NFKC", char)


def _replacement(match: re.Match[str], text: str, last_comment_end: int) -> tuple[str, int]:
    """What a special piece of text reads as, and where the text after it starts."""
    piece = match.group()
    if piece == "<!--":
        # Hidden up to -->. Without one, read on: hiding the rest would hide numbers, and
        # searching again for each of thousands of `<!--` would be quadratic.
        end = text.find("-->", match.end()) if match.end() <= last_comment_end else -1
        return "", match.end() if end < 0 else end + 3
    if match.group(2) is not None:
        tag = match.group(2).lower()
        return ("" if tag in _INLINE_TAGS else _BLOCK_BREAK), match.end()
    if piece[0] == "&":
        piece = html.unescape(piece)
    elif piece[0] == "\\":
        return "", match.end()
    return "".join(map(_normal_char, piece)), match.end()


@dataclass(slots=True)
class _Normalized:
    text: str
    starts: list[int]
    """Offsets in `text` where a piece starts."""
    origins: list[int]
    """Offset in the original text of each piece."""
    copied: list[bool]
    """Whether each piece is an unchanged copy (else a replacement, mapped to its start)."""

    def origin(self, offset: int) -> int:
        piece = bisect_right(self.starts, offset) - 1
        if piece < 0:
            return offset
        shift = offset - self.starts[piece] if self.copied[piece] else 0
        return self.origins[piece] + shift

    def origin_end(self, end: int, original_length: int) -> int:
        """Offset in the original text just after what `text[:end]` was made from."""
        piece = bisect_right(self.starts, end - 1) - 1
        if piece < 0 or self.copied[piece]:
            return self.origin(end - 1) + 1
        return self.origins[piece + 1] if piece + 1 < len(self.origins) else original_length


_IDENTITY_STARTS = [0]
_IDENTITY_COPIED = [True]


def _next_special(text: str, position: int) -> re.Match[str] | None:
    """`_SPECIAL.search(text, position)`, found faster: every special piece starts with a
    character of `_MAY_NEED_REWRITING`, a class the search skips to in C, where the
    alternatives of `_SPECIAL` are tried at every position (a county's bodies full of
    dashes spent a third of their screening there)."""
    while (candidate := _MAY_NEED_REWRITING.search(text, position)) is not None:
        match = _SPECIAL.match(text, candidate.start())
        if match is not None:
            return match
        position = candidate.start() + 1
    return None


_plain_separators: dict[str, str | None] = {}


def _plain_separator(char: str) -> str | None:
    """What `_normal_char` makes of a character of `_MAY_NEED_REWRITING` when it is `-` or
    ` ` (a dash, a space), else None."""
    if char not in _plain_separators:
        normal = _normal_char(char)
        _plain_separators[char] = normal if normal in ("-", " ") else None
    return _plain_separators[char]


def _normalize(text: str, specials: frozenset[str] | set[str] | None = None) -> _Normalized:
    """`text` as read; `specials`: its characters of `_MAY_NEED_REWRITING`, if known."""
    if specials is None:
        specials = set(_MAY_NEED_REWRITING.findall(text))
    if not specials:  # most texts: nothing to rewrite
        return _Normalized(text, _IDENTITY_STARTS, _IDENTITY_STARTS, _IDENTITY_COPIED)
    replacements = {char: _plain_separator(char) for char in specials}
    if None in replacements.values():
        return _normalize_pieces(text)
    # Only dashes and spaces (half the county's bodies have a 9:00—12:00): each is one
    # character read as one, and no finding starts or ends on one, so offsets stay as they
    # are and a replacement in C does what the piece-by-piece rewriting below does.
    for char, replacement in replacements.items():
        text = text.replace(char, replacement)  # type: ignore[arg-type]
    return _Normalized(text, _IDENTITY_STARTS, _IDENTITY_STARTS, _IDENTITY_COPIED)


def _normalize_pieces(text: str) -> _Normalized:
    """`text` as read, rewritten piece by piece, with the map back to the original offsets."""
    match = _next_special(text, 0)
    if not match:
        return _Normalized(text, _IDENTITY_STARTS, _IDENTITY_STARTS, _IDENTITY_COPIED)
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    copied: list[bool] = []
    position = length = 0
    last_comment_end = text.rfind("-->")

    def add(piece: str, origin: int, is_copy: bool) -> None:
        nonlocal length
        if piece:
            pieces.append(piece)
            starts.append(length)
            origins.append(origin)
            copied.append(is_copy)
            length += len(piece)

    while match is not None:
        add(text[position:match.start()], position, True)
        replacement, position = _replacement(match, text, last_comment_end)
        add(replacement, match.start(), False)
        match = _next_special(text, position)
    add(text[position:], position, True)
    return _Normalized("".join(pieces), starts, origins, copied)


# --- Reading runs of digit groups -------------------------------------------------------


def _groups(run: str, run_start: int) -> list[tuple[str, int, int]]:
    """(digits, start, end) of each group of a run, emphasis marks taken out of the digits."""
    if run.isdigit():  # most runs (codes, whole numbers): one group, nothing to take out
        return [(run, run_start, run_start + len(run))]
    return _split_groups(run, run_start)


def _split_groups(run: str, run_start: int) -> list[tuple[str, int, int]]:
    groups = []
    position = 0
    for separator in [*_SEPARATOR_SPLIT.finditer(run), None]:
        end = len(run) if separator is None else separator.start()
        digits = _EMPHASIS.sub("", run[position:end])
        if digits:
            groups.append((digits, run_start + position, run_start + end))
        if separator is not None:
            position = separator.end()
    return groups


def _is_amount_or_code(text: str, start: int, end: int) -> bool:
    """A number followed by a currency unit or after a currency sign is an amount; one
    followed by /year is the organisation code opening a 索引号."""
    return bool(
        _AMOUNT_AFTER.match(text, end) or _INDEX_NUMBER_AFTER.match(text, end)
        or _AMOUNT_BEFORE.search(text, max(0, start - 4), start)
    )


_CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def _ends_credit_code(text: str, start: int, end: int) -> bool:
    """Whether the 17 digits at text[start:end] and the letter after them are a whole
    统一社会信用代码 (GB 32100-2015: its check character is right). Procurement and award
    notices print a company's code (…99956605H), and its 17 digits pass the Luhn check one
    time in ten: without this they would be taken for a bank card and stop the build."""
    digits = text[start:end]
    if len(digits) != 17 or not digits.isascii() or not digits.isdigit():
        return False
    check = text[end:end + 1].upper()
    if not check.isalpha() or check not in _CREDIT_CODE_CHARACTERS:
        return False
    if end + 1 < len(text) and text[end + 1].isascii() and text[end + 1].isalnum():
        return False  # more letters or digits follow: not a code on its own
    total = sum(weight * int(digit) for weight, digit in zip(_CREDIT_CODE_WEIGHTS, digits))
    return _CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31] == check


def _grouped_kind(grouping: tuple[int, ...], number: str) -> str | None:
    if len(grouping) == 1:
        if kind := _kind(number):
            return kind
        for prefix in _MOBILE_PREFIXES:
            if number.startswith(prefix) and _is_mobile(number[len(prefix):]):
                return MOBILE
        return None
    kind = GROUPINGS.get(grouping)
    if kind is None or _kind(number) != kind:
        return None
    if kind == BANK_CARD and number[0] not in _CARD_FIRST_DIGITS:
        return None
    return kind


def _number(text: str, grouping: tuple[int, ...], number: str, start: int,
            end: int) -> Finding | None:
    """The number written in groups of these lengths at text[start:end], if it is one."""
    # Amounts and codes first: two matches in C, where the kind takes Python arithmetic (a
    # county's 索引号 codes), and an amount or a code is no number whatever its digits, so
    # its verdict holds on every day (no birth date is tested: `DayBounds`).
    if _is_amount_or_code(text, start, end):
        return None
    kind = _grouped_kind(grouping, number)
    if kind and not (kind == BANK_CARD and _ends_credit_code(text, start, end)):
        for prefix in _MOBILE_PREFIXES if len(number) > 11 and kind == MOBILE else ():
            number = number.removeprefix(prefix)
        return Finding(kind, number, start, end)
    return None


def _numbers_in_run(text: str, groups: list[tuple[str, int, int]]) -> list[Finding]:
    """Numbers made of consecutive groups, longest first from each group, never overlapping."""
    if len(groups) == 1:  # most runs (codes in 索引号): the whole run is the number or none
        digits, start, end = groups[0]
        found = _number(text, (len(digits),), digits.upper(), start, end) if (
            11 <= len(digits) <= 19) else None
        return [found] if found else []
    numbers = []
    lengths = [len(digits) for digits, _, _ in groups]
    index = 0
    while index < len(groups):
        found = None
        for count in range(min(_MAX_GROUPS, len(groups) - index), 0, -1):
            grouping = tuple(lengths[index:index + count])
            if grouping not in GROUPINGS if count > 1 else not 11 <= grouping[0] <= 19:
                continue
            chosen = groups[index:index + count]
            found = _number(text, grouping, "".join(digits for digits, _, _ in chosen).upper(),
                            chosen[0][1], chosen[-1][2])
            if found:
                break
        if found is None:
            index += 1
        else:
            numbers.append(found)
            index += count
    return numbers


def _mask_kinds(token: str) -> list[str]:
    """The kinds a masked token of this length and these visible digits could be."""
    kinds = []
    for kind, lengths in _KIND_LENGTHS.items():
        if len(token) not in lengths:
            continue
        if kind == MOBILE and (token[0] not in "1*" or token[1] not in "3456789*"):
            continue
        if kind == ID_CARD and "*" not in token[:2] and not _has_region_code(token):
            continue
        kinds.append(kind)
    return kinds


def _hides_enough(token: str, kind: str, masking: Mapping[str, Sequence[int]]) -> bool:
    keep_start, keep_end = masking[kind]
    hidden = token[keep_start:len(token) - keep_end]
    return hidden.count("*") == len(hidden)


def _partly_masked(
    run: str, start: int, masking: Mapping[str, Sequence[int]]
) -> Finding | None:
    """A run of digits and one block of `*` that shows more than the rule allows."""
    token = run.upper()
    if _SEPARATOR_CHARACTER.search(token):
        token = "".join(_SEPARATOR_SPLIT.split(token))
    stars = token.strip("0123456789X")
    if not stars or stars.count("*") != len(stars) or len(stars) == len(token):
        return None  # no mask, or more than one block of stars (emphasis), or no digit
    kinds = _mask_kinds(token)
    if not kinds or any(_hides_enough(token, kind, masking) for kind in kinds):
        return None
    return Finding(kinds[0], token, start, start + len(run))


_partly_masked_runs: dict[tuple[str, tuple[tuple[int, ...], ...]], tuple[str, str] | None] = {}
_PARTLY_MASKED_RUNS_KEPT = 4096
_NOT_KNOWN = object()


def _partly_masked_cached(
    run: str, masking: Mapping[str, Sequence[int]], masking_key: tuple[tuple[int, ...], ...]
) -> tuple[str, str] | None:
    """Kind and value of `_partly_masked(run, …)`, remembered: tables of masked numbers
    repeat the same few runs (`138****5678`) thousands of times over a corpus.
    `masking_key`: the masking rule's numbers, kind by kind."""
    key = (run, masking_key)
    known = _partly_masked_runs.get(key, _NOT_KNOWN)  # one lookup: safe beside a clear()
    if known is not _NOT_KNOWN:
        return known  # type: ignore[return-value]
    if len(_partly_masked_runs) >= _PARTLY_MASKED_RUNS_KEPT:
        _partly_masked_runs.clear()
    found = _partly_masked(run, 0, masking)
    result = _partly_masked_runs[key] = (found.kind, found.value) if found else None
    return result


def may_hold_run(text: str) -> bool:
    """False only when `_RUN` finds nothing in `text` (see `_RUN_CHARACTERS`)."""
    return _possible_runs(text) is not None


def _possible_runs(text: str) -> tuple[int, int] | None:
    """None only when `_RUN` finds nothing in `text`, else offsets between which `_RUN`,
    searching text[:end] from start, finds every match it finds in the whole text."""
    utf16 = text.encode("utf-16-le", "surrogatepass")
    per_character = 2 if len(utf16) == 2 * len(text) else 1  # else astral: UTF-8 below
    read = utf16.translate(_RUN_CHARACTERS, _RUN_SKIPPED_UTF16) if per_character == 2 else (
        text.encode("utf-8", "surrogatepass").translate(_RUN_CHARACTERS, _RUN_SKIPPED))
    first = read.find(_ELEVEN_DIGITS)
    if first < 0:
        return None
    # After the block of "d" holding the last 11: the last run's last digit is at most the
    # deleted bytes further on in the text; then a final X, then the character after it,
    # which `_RUN` looks at.
    last_block_end = read.find(b"z", read.rfind(_ELEVEN_DIGITS))
    deleted = per_character * len(text) - len(read)
    bytes_up_to_it = (len(read) if last_block_end < 0 else last_block_end) + deleted
    end = -(-bytes_up_to_it // per_character) + 2
    return first // per_character, min(end, len(text))


def may_hold_personal_data(text: str) -> bool:
    """False only when `find_personal_data(text)` is sure to find nothing: a text holding no
    character `_normalize` rewrites is read as it is written, and every finding lies in a
    match of `_RUN` in the text read. Two searches in C, where `find_personal_data` spends
    microseconds of Python even on a text without a digit — and screening asks it about
    every field of every file (seven texts an entry)."""
    if _PLAIN_INDEX_NUMBER.fullmatch(text):
        return False
    return _RUN.search(text) is not None or _MAY_NEED_REWRITING.search(text) is not None


_SHORT_TEXT = 200
"""Characters up to which `_RUN` searches a text faster than `may_hold_run` rules it out."""
_JOINER = "|"
"""Joins texts searched at once: no run or special character includes or spans it, and the
lookarounds of `_RUN` read it as they read the start or end of a text."""


def may_hold_personal_data_each(texts: Sequence[str]) -> list[bool]:
    """`[may_hold_personal_data(text) for text in texts]`, most often by two searches in C of
    the texts joined (an entry has six short front-matter texts; most hold nothing)."""
    joined = _JOINER.join(texts)
    has_run = _RUN.search(joined) is not None
    has_special = _MAY_NEED_REWRITING.search(joined) is not None
    if has_run and has_special:
        return [may_hold_personal_data(text) for text in texts]
    if has_run:  # a county's 索引号 codes: only the search that found something is asked again
        return [_RUN.search(text) is not None and not _PLAIN_INDEX_NUMBER.fullmatch(text)
                for text in texts]
    if has_special:
        return [_MAY_NEED_REWRITING.search(text) is not None for text in texts]
    return [False] * len(texts)  # most entries: no field has a run or a character to rewrite


def find_personal_data(
    text: str, masking: Mapping[str, Sequence[int]] = DEFAULT_MASKING,
    rewritten: frozenset[str] | None = None,
) -> list[Finding]:
    """Every unmasked or too little masked personal number in `text`, in order.
    `rewritten`: the characters of `REWRITTEN_CHARACTERS` in `text`, when the caller has
    searched for them already (screening does, with the other characters it asks about)."""
    normal = _normalize(text, rewritten)
    findings: list[Finding] = []
    masking_key: tuple[tuple[int, ...], ...] | None = None
    # The prefilter pays on long texts; a short one (most fields) is searched as soon.
    span = _possible_runs(normal.text) if len(normal.text) > _SHORT_TEXT else (
        0, len(normal.text))
    if span is None:
        return findings
    for match in _RUN.finditer(normal.text, *span):
        run = match.group()
        stars = run.count("*")
        # Masked numbers (tables of them are common) have too few digits to be a number.
        numbers = _numbers_in_run(normal.text, _groups(run, match.start())) if (
            len(run) - stars >= 11) else []
        if not numbers and stars:
            if masking_key is None:
                masking_key = tuple(tuple(masking.get(kind, ())) for kind in _KIND_LENGTHS)
            partly = _partly_masked_cached(run, masking, masking_key)
            numbers = [Finding(partly[0], partly[1], match.start(), match.end())] if (
                partly) else []
        if numbers:
            findings.extend(
                Finding(found.kind, found.value, normal.origin(found.start),
                        normal.origin_end(found.end, len(text)))
                for found in numbers
            )
    return findings


def mask(finding: Finding, masking: Mapping[str, Sequence[int]]) -> str:
    """The finding as the site-wide rule says to publish it, e.g. `500230********0018`."""
    keep_start, keep_end = masking[finding.kind]
    value = finding.value
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + (value[-keep_end:] if keep_end else "")
