"""The output of `gongkai report`: one period's channel statistics as text, Markdown, CSV or
JSON, formatted by stats_formats.py (the same figures as the site's 公开统计 page).
No MkDocs import: the command runs without starting a build.
"""

from __future__ import annotations

from .config import DisclosureConfig
from .markdown_tables import markdown_cell
from .statistics import FORMATS, PeriodStatistics
from .stats_formats import (
    OVERLAP_NOTE,
    RULES_NOTE,
    category_table,
    csv_text,
    dump_json,
    markdown_section,
    partial_note,
    period_json,
    sentence,
)

__all__ = ["FORMATS", "OVERLAP_NOTE", "markdown_report", "partial_note", "render"]
"""OVERLAP_NOTE and partial_note are what the command prints around the output."""


def markdown_report(
    stats: PeriodStatistics, config: DisclosureConfig, by_category: bool
) -> str:
    """`gongkai report --format md`: a document that pastes into the annual report draft."""
    return (
        f"# 主动公开政府信息统计（{markdown_cell(stats.period.label)}）\n\n{RULES_NOTE}\n\n"
        + markdown_section(stats, config, by_category=by_category)
    )


def render(
    stats: PeriodStatistics, config: DisclosureConfig, fmt: str, by_category: bool
) -> str:
    """The output of `gongkai report` in one of FORMATS."""
    if fmt == "json":
        return dump_json(period_json(stats))
    if fmt == "csv":
        # Printed as text; the BOM is for files Excel opens, see `csv_bytes`.
        return csv_text([stats], config, by_category)
    if fmt == "md":
        return markdown_report(stats, config, by_category)
    text = sentence(stats, config) + "\n"
    if by_category:
        text += "\n" + category_table(stats, config) + "\n"
    return text
