"""Front matter: a disclosure file's bytes decoded, split into front matter and body, and
the front matter parsed into each key's value and line.

Any input whatever — deep nesting, YAML aliases, full-width punctuation typed by a Chinese
input method, binary junk — ends as values or as problems, never as an exception.

Speed matters (`gongkai check` runs as a pre-commit hook over thousands of files), and building
Python objects from YAML nodes is most of the cost. Nearly every entry is flat `key: value`
lines, so those are read by `_simple_front_matter`, which resolves each value with the very
resolver table YAML uses and gives up — handing the text to YAML — on anything else.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from typing import Any

import yaml

from .problems import Problem

FENCE = "---"

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _FrontMatterLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML that leaves dates as text, so a bad date is a field error, not a YAML one."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}



UTF8_HELP = (
    "文件不是 UTF-8 编码（多半是用记事本或 Word 存成了 ANSI/GBK）："
    "请用记事本打开，选择“另存为”，把“编码”选为“UTF-8”后保存"
)


def decode(data: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """The file's text without BOM and with `\\n` line ends, or a problem saying how to re-save it."""
    # The checks on bytes and the plain codec: a tenth of the cost of decoding ten thousand
    # files went to the utf-8-sig codec's Python layer and to searching the decoded text.
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, [Problem(path, line, "编码", UTF8_HELP)]
    if b"\x00" in data:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(path, line, "编码", "文件含有二进制内容，不是文本文件：请存为 UTF-8 文本")]
    if b"\r" in data:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, []


@dataclass
class Split:
    front_matter: str
    body: str
    body_line: int


_CLOSING_FENCE_LINE = re.compile(r"\n((?:---|\.\.\.)[^\S\n]*)(?=\n|\Z)")
"""A line that is `---` or `...` once `str.rstrip` is done with it: the regex's `\\s` is the
same Unicode whitespace, and the line ends as `split("\\n")` ends it. The search starts at
the line break before the line, a literal the regex engine looks for quickly (a third of
the time of a `^` in multi-line mode)."""


def split_front_matter(text: str, path: str) -> tuple[Split | None, list[Problem]]:
    # The closing fence found by one search in C, not line by line in Python (a tenth of
    # reading ten thousand files); the body is sliced off whole.
    line_end = text.find("\n")
    if (text if line_end < 0 else text[:line_end]).rstrip() != FENCE:
        return None, [Problem(
            path, 1, "front matter",
            "文件开头缺少 front matter：第一行应为 ---，随后逐行写 title、date 等字段，再以一行 --- 结束",
        )]
    closing = _CLOSING_FENCE_LINE.search(text, line_end) if line_end >= 0 else None
    if closing is None:
        return None, [Problem(path, 1, "front matter",
                              "front matter 没有结束：请在最后一个字段之后加一行 ---")]
    front_start, line_start = line_end + 1, closing.start(1)
    body = text[closing.end() + 1:]  # "" when the fence ends the text
    return Split(text[front_start:max(front_start, line_start - 1)], body,
                 text.count("\n", front_start, line_start) + 3), []


# What PyYAML's English problem texts mean for someone writing `key: value` lines.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", ("值里有英文冒号加空格「: 」：请给整个值加英文引号，"
     "例如 title: \"关于: 某事\"；如果是上一行没写完，请把它和这一行合并")),
    ("could not find expected ':'", "这一行缺少英文冒号「: 」：每行应写成“字段: 值”"),
    ("found character '\\t'", "含有 Tab 制表符：请改用空格"),
    ("expected ',' or ']'", "方括号「[」「]」没有配对：请在列表末尾补上「]」"),
    ("expected ',' or '}'", "花括号「{」「}」没有配对：请在末尾补上「}」"),
    ("found unexpected end of stream", "引号没有配对：请在值的末尾补上引号"),
    ("unknown escape character", "双引号里的反斜杠「\\」要写成「\\\\」，或改用单引号"),
    ("constructor for the tag", "请去掉 ! 开头的类型标记"),
    ("undefined tag handle", "请去掉 ! 开头的类型标记"),
    ("expected <block end>", "缩进不对：字段应从行首写起，列表项前的空格要一致"),
)
_YAML_FALLBACK = "请检查这一行的冒号、引号和缩进；值里有冒号或 # 时请给整个值加英文引号"


def yaml_advice(error: yaml.YAMLError) -> str:
    """What to do about a YAML error, in Chinese: PyYAML words its errors in English."""
    detail = str(getattr(error, "problem", None) or error)
    return next((text for known, text in _YAML_PROBLEMS if known in detail), _YAML_FALLBACK)


def _yaml_problem(error: yaml.YAMLError, path: str) -> Problem:
    # The context mark (where an unclosed bracket or quote opened) is nearer the mistake.
    mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
    line = mark.line + 2 if mark else 1
    return Problem(path, line, "front matter", f"格式错误：{yaml_advice(error)}")


# --- Full-width punctuation: a Chinese input method types ：，［］“” where YAML needs ASCII ---

_KEY_COLON = re.compile(r"([ \t\u3000]*(?:-[ \t]+)?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*([:：])(?=[ \t]|$)|"
                        r"([ \t\u3000]*(?:-[ \t]+)?)([A-Za-z_][A-Za-z0-9_]*)[ \t]*(：)")
_FULL_WIDTH_SIGNS = frozenset("：，［］｛｝“”‘’\u3000")
_ANY_FULL_WIDTH_SIGN = re.compile("[：，［］｛｝“”‘’\u3000]")
"""One search in C: `frozenset.isdisjoint` makes a string of each character of the block."""
_FLOW_SIGNS = {"［": "[", "］": "]", "｛": "{", "｝": "}", "，": ", ", "：": ": "}
_SIGN_NAMES = {
    "：": "英文冒号「: 」", "，": "英文逗号「, 」", "［": "英文方括号「[」", "］": "英文方括号「]」",
    "｛": "英文花括号「{」", "｝": "英文花括号「}」", "“": "英文引号「\"」", "”": "英文引号「\"」",
    "‘": "英文引号「'」", "’": "英文引号「'」", "\u3000": "半角空格「 」",
}


def _sign_message(signs: list[str]) -> str:
    """「［」「］」请改为英文方括号「[」「]」, one clause per kind of sign, in line order."""
    by_name: dict[str, list[str]] = {}
    for sign in dict.fromkeys(signs):
        by_name.setdefault(_SIGN_NAMES[sign].split("「")[0], []).append(sign)
    clauses = []
    for name, group in by_name.items():
        wrong = "".join(f"「{sign}」" for sign in group)
        right = "".join(dict.fromkeys("「" + _SIGN_NAMES[sign].split("「")[1] for sign in group))
        clauses.append(f"{wrong}请改为{name}{right}")
    return "，".join(clauses)


def _fix_flow(value: str, signs: list[str]) -> str:
    """A `[...]` or `{...}` value with its full-width signs made ASCII, outside quotes."""
    fixed, quote = [], ""
    for char in value:
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char in _FLOW_SIGNS:
            signs.append(char)
            char = _FLOW_SIGNS[char]
        fixed.append(char)
    return "".join(fixed)


def _fix_value(value: str, signs: list[str]) -> str:
    stripped = value.strip()
    if stripped[:1] in ("［", "｛", "[", "{"):
        return _fix_flow(value, signs)
    for opening, closing in (("“", "”"), ("‘", "’")):
        # A value wholly inside one pair of curly quotes was meant to be quoted; a title such
        # as “双减”政策落实“回头看” keeps its quotes.
        if (len(stripped) > 1 and stripped[0] == opening and stripped[-1] == closing
                and stripped.count(opening) == 1 and stripped.count(closing) == 1):
            signs += [opening, closing]
            import json  # only for a slip: not on every command's path

            return json.dumps(stripped[1:-1], ensure_ascii=False)
    return value


def full_width_slips(source: str, path: str) -> tuple[str, list[Problem]]:
    """The front matter with full-width signs in YAML's places made ASCII, and one problem
    naming them for each line that had any — reported instead of the YAML error they cause,
    which PyYAML words in English and often places on the next line."""
    if not _ANY_FULL_WIDTH_SIGN.search(source):
        return source, []
    lines = source.split("\n")
    problems = []
    for index, line in enumerate(lines):
        if _FULL_WIDTH_SIGNS.isdisjoint(line):
            continue
        signs: list[str] = []
        field = "front matter"
        match = _KEY_COLON.match(line)
        if match:
            indent = match[1] if match[1] is not None else match[4]
            field = match[2] or match[5]
            colon = match[3] or match[6]
            if "\u3000" in indent:
                signs.append("\u3000")
            if colon == "：":
                signs.append("：")
            fixed = indent.replace("\u3000", " ") + field + ": " + _fix_value(
                line[match.end():].lstrip(), signs)
        elif line.lstrip(" \t").startswith("- "):
            dash = line.index("- ") + 2
            fixed = line[:dash] + _fix_value(line[dash:], signs)
        else:
            continue
        if signs:
            lines[index] = fixed
            problems.append(Problem(path, index + 2, field, f"第{index + 2}行的{_sign_message(signs)}"))
    return "\n".join(lines), problems


_SIMPLE_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*?))? *")
"""A `key: value` line (the value without the spaces around it), as `simple_line` reads it."""
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_PLAIN_TEXT_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): ([^\x00-\x7f\s](?:[^:#\n]*[^:#\s])?)")
"""The commonest line, `title: 关于……的通知`, told apart by one match: a value that starts
with a character no YAML indicator or resolver begins with (not ASCII) and holds no `:` or
`#` is the text itself, as `plain_scalar` would find it."""
# Characters YAML treats specially somewhere (line breaks, BOM, tabs, non-printables): a file
# holding any of them is left to YAML. Written as the characters, not as the complement of
# the usual ones: the same set, compiled in 1 ms instead of 4 on every command's start.
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_PLAIN_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_INDICATORS = frozenset(",[]{}")
_BOOL_TAG = "tag:yaml.org,2002:bool"
_NEVER_RESOLVED = re.compile(r"[^-+.:_0-9A-Za-z~<=!&*]")
"""A character none of YAML's implicit resolvers accepts anywhere (they read numbers, true,
null and a few signs): a text holding one is text. Trying the number resolvers on every
索引号 cost a tenth of reading a file."""
_Unsupported = object()


def _resolvers_by_first_char() -> dict[str | None, list[tuple[str, re.Pattern[str]]]]:
    """YAML's implicit resolvers of plain scalars, by first character (None: any other)."""
    table = _FrontMatterLoader.yaml_implicit_resolvers
    wildcard = table.get(None, [])
    return {first: resolvers + wildcard for first, resolvers in table.items()} | {None: wildcard}


_RESOLVERS = _resolvers_by_first_char()


@functools.lru_cache(maxsize=4096)  # categories, channels, tags and dates repeat across files
def plain_scalar(text: str, in_list: bool) -> Any:
    """The value YAML gives a one-line plain scalar, or `_Unsupported` when unsure."""
    if (
        not text or text[0] in _PLAIN_INDICATORS or ": " in text or text.endswith(":")
        or " #" in text or (in_list and not _FLOW_INDICATORS.isdisjoint(text))
    ):
        return _Unsupported
    if _NEVER_RESOLVED.search(text):  # `000014349/2021-00012`: no resolver need try
        return text
    for tag, regexp in _RESOLVERS.get(text[0]) or _RESOLVERS[None]:
        if regexp.match(text):
            if tag == _BOOL_TAG and not in_list:
                return yaml.constructor.SafeConstructor.bool_values[text.lower()]
            return _Unsupported
    return text



def _simple_value(text: str | None) -> Any:
    if text is None:
        return None
    if text.startswith("[") and text.endswith("]"):
        inner = text[1:-1]
        if not inner.strip():
            return []
        items = [plain_scalar(item.strip(), in_list=True) for item in inner.split(",")]
        return _Unsupported if _Unsupported in items else items
    return plain_scalar(text, in_list=False)


def unusual_characters(source: str) -> bool:
    """Whether the block holds a character YAML treats specially (even in a comment, where
    a line break such as U+2028 would start a new line): such a block is YAML's to read."""
    return _UNUSUAL.search(source) is not None


def simple_line(line: str) -> tuple[str, Any] | None:
    """The key and value of one `key: value` line read without YAML, or None when YAML must
    read it. Its reading does not depend on the lines around it, given a block without
    `unusual_characters` and without repeated keys (the callers check both)."""
    match = _PLAIN_TEXT_LINE.fullmatch(line)
    if match is not None:
        key, text = match[1], match[2]
    else:  # `_SIMPLE_LINE` read by partition: its lazy group cost a 索引号 line 1.5 µs
        key, colon, rest = line.partition(":")
        if not colon or not _KEY.fullmatch(key) or rest[:1] not in ("", " "):
            return None
        text = rest.strip(" ") if rest else None  # only spaces: "", left to YAML
    # A key YAML reads as something else than its text (`null`, `true`) goes to YAML.
    if plain_scalar(key, False) != key:
        return None
    if match is not None:
        return key, text
    value = _simple_value(text)
    return None if value is _Unsupported else (key, value)


def skipped_line(line: str) -> bool:
    """A blank line or a comment, which YAML reads as nothing."""
    return not line or line[0] == "#"


def _simple_front_matter(source: str) -> dict[str, tuple[Any, int]] | None:
    """Flat `key: value` front matter read without YAML, or None to let YAML read it.

    Only lines whose meaning is certain are read: a key, then nothing, a plain one-line
    scalar that resolves to text or true/false, or a one-line list of plain texts. Anything
    else (quotes, nesting, numbers, comments after a value, repeated keys) goes to YAML, so
    both readers give the same values and YAML alone words every error.
    """
    if unusual_characters(source):
        return None
    values: dict[str, tuple[Any, int]] = {}
    for index, line in enumerate(source.split("\n")):
        if skipped_line(line):
            continue
        simple = simple_line(line)
        if simple is None or simple[0] in values:
            return None
        values[simple[0]] = (simple[1], index + 2)
    return values or None


def _shared_node(root: yaml.Node) -> yaml.Node | None:
    """A node reached twice: YAML anchors and aliases (`&a`, `*a`), refused because a few
    lines of them can stand for billions of values."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            return node
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return None


# PyYAML's constructors raise these for explicit tags with bad values (`!!int x`), and int()
# raises ValueError for a number of more than `sys.get_int_max_str_digits()` digits.
_CONSTRUCTOR_ERRORS = (ValueError, TypeError, ArithmeticError, AttributeError, RecursionError)
_UNREADABLE_ADVICE = "请去掉 !! 开头的类型标记，并检查数字和日期的写法"
_LONG_NUMBER = 1000
"""Digits from which a number is reported as too long rather than as unreadable."""


def _has_long_number(root: yaml.Node) -> bool:
    """Whether a scalar under `root` is a run of more than `_LONG_NUMBER` digits."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if sum(char.isdigit() for char in node.value) > _LONG_NUMBER:
                return True
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return False


def _unreadable(error: Exception, node: yaml.Node, path: str, line: int, key: str) -> Problem:
    """A value YAML parsed but cannot turn into Python, reported at its key."""
    if isinstance(error, ValueError) and _has_long_number(node):
        return Problem(path, line, key, "数字位数过多，无法读取：请核对这一行")
    return Problem(path, line, key, f"无法读取的值：{_UNREADABLE_ADVICE}")


def parse_front_matter(
    source: str, path: str
) -> tuple[dict[str, tuple[Any, int]] | None, list[Problem]]:
    """Each key's value and line, or the problems that make the block unreadable."""
    simple = _simple_front_matter(source)
    if simple is not None:
        return simple, []
    loader = _FrontMatterLoader(source)
    try:
        node = loader.get_single_node()
        if node is None or not isinstance(node, yaml.MappingNode):
            line = node.start_mark.line + 2 if node is not None else 2
            return None, [Problem(
                path, line, "front matter", "front matter 应逐行写成“字段: 值”，例如 title: 关于……的通知",
            )]
        shared = _shared_node(node)
        if shared is not None:
            return None, [Problem(
                path, shared.start_mark.line + 2, "front matter",
                "不支持以 & 和 * 开头的引用写法：请把每个值直接写出来",
            )]
        values: dict[str, tuple[Any, int]] = {}
        problems: list[Problem] = []
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 2
            try:
                key = str(loader.construct_object(key_node, deep=True))
            except _CONSTRUCTOR_ERRORS as error:
                problems.append(_unreadable(error, key_node, path, line, "front matter"))
                continue
            if key in values:
                problems.append(Problem(path, line, key, f"字段重复：第 {values[key][1]} 行已经写过"))
                continue
            try:
                values[key] = (loader.construct_object(value_node, deep=True), line)
            except _CONSTRUCTOR_ERRORS as error:
                problems.append(_unreadable(error, value_node, path, line, key))
                values[key] = (None, line)  # reported: not "missing" as well
        return values, problems
    except yaml.YAMLError as error:
        return None, [_yaml_problem(error, path)]
    except _CONSTRUCTOR_ERRORS:  # e.g. nesting too deep for the composer
        return None, [Problem(path, 1, "front matter", f"front matter 中有无法读取的值：{_UNREADABLE_ADVICE}")]
    finally:
        loader.dispose()

