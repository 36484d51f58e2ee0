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


def plain_text(markdown: str) -> str:
    """The words of a Markdown body on one line, without markup."""
    lines = []
    for line in markdown.split("\n"):
        if _TABLE_RULE.fullmatch(line):
            continue
        line = _LINE_MARKUP.sub("", line)
        line = _LINK.sub(r"\1", _IMAGE.sub("", line))
        lines.append(_INLINE_MARKUP.sub(" ", _TAG.sub(" ", line)))
    return " ".join(unescape(" ".join(lines)).split())


def first_sentence(markdown: str) -> str:
    """The body's first sentence (ending at 。！？), cut at MAX_LENGTH characters."""
    text = plain_text(markdown)
    end = _SENTENCE_END.search(text)
    if end is not None and end.end() <= MAX_LENGTH:
        return text[: end.end()]
    return text if len(text) <= MAX_LENGTH else text[: MAX_LENGTH - 1] + "…"


def description(entry: Entry) -> str:
    """What the entry is about in a line: its summary, else its first sentence, else its title."""
    return entry.summary or first_sentence(entry.body) or entry.title
