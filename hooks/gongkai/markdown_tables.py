"""Markdown tables as the reports write them: escaped cells, right-aligned numbers.

Shared by the statistics (stats_formats.py) and the annual report (annual_report.py)."""

from __future__ import annotations

from html import escape


def markdown_cell(text: str) -> str:
    """Text safe inside a Markdown table cell and paragraph (labels come from mkdocs.yml)."""
    text = escape(text, quote=False)
    for char in "\\`*_[]|":
        text = text.replace(char, "\\" + char)
    return text


def markdown_table(header: list[str], rows: list[list[str]], numeric_from: int) -> str:
    """A Markdown table; columns from `numeric_from` on are right-aligned numbers."""
    align = ["---" if i < numeric_from else "---:" for i in range(len(header))]
    lines = [header, align, *rows]
    return "\n".join(f"| {' | '.join(line)} |" for line in lines)
