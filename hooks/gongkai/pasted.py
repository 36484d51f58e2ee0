"""Text staff paste into a body keeps its meaning on the page.

Two things Markdown would otherwise change silently:

- Masked numbers (`500230********0018`, `138****5678`): two of them in one paragraph made the
  stars between into emphasis, so the digits ran together in bold and the stars were gone.
  Every `*` between two digits (or an ID card's final X) becomes the entity `&#42;`, which
  Markdown leaves alone and browsers show as `*`, also inside pasted HTML, where a backslash
  escape would show. Emphasis written by staff (`**注意**`) has no digit on both sides.
- A table copied from Excel or Word as plain text arrives as lines of tab-separated cells,
  which Markdown joins into one line. Such a block becomes a Markdown table, its first line
  the header row, rather than a warning: the staff member then sees what they pasted, and the
  entry does not wait for someone who knows Markdown table syntax. Only blocks of two or more
  consecutive lines with the same number (≥ 2) of tab-separated cells are converted, outside
  fenced code.
"""

from __future__ import annotations

import re

_MASK_STARS = re.compile(r"(?<=[0-9Xx])\*+(?=[0-9Xx])")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _literal_stars(line: str) -> str:
    return _MASK_STARS.sub(lambda match: "&#42;" * len(match.group(0)), line)


def _cells(line: str) -> list[str] | None:
    if "\t" not in line.strip():  # a tab only before the text indents a paragraph (Word)
        return None
    return [cell.strip().replace("|", "\\|") for cell in line.rstrip("\r").split("\t")]


def _table(rows: list[list[str]]) -> list[str]:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cell or " " for cell in cells) + " |"

    return ["", row(rows[0]), "|" + "---|" * len(rows[0]), *(row(cells) for cells in rows[1:]), ""]


def prepare_body(markdown: str) -> str:
    """The body as Markdown should see it: masked numbers literal, tab tables as tables."""
    if "\t" not in markdown and "```" not in markdown and "~~~" not in markdown:
        # No table to make and no fence to keep stars in (most bodies; every entry passes
        # here twice): a run of stars never spans a line, so the text is treated at once.
        return _literal_stars(markdown)
    lines = markdown.split("\n")
    out: list[str] = []
    in_fence = False
    index = 0
    while index < len(lines):
        line = lines[index]
        if _FENCE.match(line):
            in_fence = not in_fence
        if in_fence or _FENCE.match(line):
            out.append(line)
            index += 1
            continue
        block: list[list[str]] = []
        while index + len(block) < len(lines):
            cells = _cells(lines[index + len(block)])
            if cells is None or len(cells) < 2 or (block and len(cells) != len(block[0])):
                break
            block.append(cells)
        if len(block) >= 2:
            out.extend(_literal_stars(text) for text in _table(block))
            index += len(block)
            continue
        out.append(_literal_stars(line))
        index += 1
    return "\n".join(out)
