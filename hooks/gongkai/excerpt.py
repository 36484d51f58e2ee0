"""The short description of an entry: its 内容概述, or else the first sentence of its body.

Used by the Description meta tag and by each feed item, so both say the same. The body is
Markdown (and perhaps pasted HTML); the markup is stripped well enough for a one-line summary.
"""

from __future__ import annotations

import re
from html import unescape

from .entry import Entry

MAX_LENGTH = 120
# Each repeated part stops at the next opening character too, so a run of thousands of `<`
# or `[` without a closing one costs one pass, not one pass per opening character.
_TAG = re.compile(r"<[^<>]*>")
_IMAGE = re.compile(r"!\[[^\[\]]*\]\([^()]*\)")
_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
# Line starts that are Markdown structure, not words: headings, quotes, list markers, tables.
_LINE_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+|\|)")
_INLINE_MARKUP = re.compile(r"[*_`|]+|\{:[^{}]*\}")
_TABLE_RULE = re.compile(r"^[\s|:-]+$")
_SENTENCE_END = re.compile(r"[。！？!?]")


_FIRST_LINES = 4
"""How many lines `first_sentence` reads first; four times more each time they do not
decide the sentence: most bodies decide in their first lines, and one read to its end costs
at most about two and a third readings."""


def _plain_lines(lines: list[str]) -> str:
    kept = []
    for line in lines:
        if _TABLE_RULE.fullmatch(line):
            continue
        line = _LINE_MARKUP.sub("", line)
        line = _LINK.sub(r"\1", _IMAGE.sub("", line))
        kept.append(_INLINE_MARKUP.sub(" ", _TAG.sub(" ", line)))
    return " ".join(unescape(" ".join(kept)).split())


def plain_text(markdown: str) -> str:
    """The words of a Markdown body on one line, without markup."""
    return _plain_lines(markdown.split("\n"))


def _sentence(text: str) -> str:
    end = _SENTENCE_END.search(text)
    if end is not None and end.end() <= MAX_LENGTH:
        return text[: end.end()]
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"


def first_sentence(markdown: str) -> str:
    """The body's first sentence (ending at 。！？), cut at MAX_LENGTH characters.

    Every entry page and feed item asks for it, so a long body's first lines are read first:
    their plain text is the start of the whole body's (lines are joined by a space, which
    neither a word nor a character reference spans), so once it holds a sentence end or more
    than MAX_LENGTH characters, the lines after it cannot change the sentence."""
    lines = markdown.split("\n")
    count = _FIRST_LINES
    while count < len(lines):
        leading = _plain_lines(lines[:count])
        if len(leading) > MAX_LENGTH or _SENTENCE_END.search(leading):
            return _sentence(leading)
        count *= 4
    return _sentence(_plain_lines(lines))


def description(entry: Entry) -> str:
    """What the entry is about in a line: its summary, else its first sentence, else its title."""
    return entry.summary or first_sentence(entry.body) or entry.title
