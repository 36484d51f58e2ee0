"""Screening what a valid entry says before it may be published: personal data, active content.

Runs on every entry, drafts included (a draft's text is in the repository too). Findings are
problems naming the file, the line and what to write instead; messages never repeat an unmasked
number, so build and CI logs stay free of personal data themselves.
"""

from __future__ import annotations

from .active_content import find_in_markdown
from .config import DisclosureConfig
from .entry import Entry
from .privacy import find_personal_data, mask
from .problems import Problem, Severity

BODY_FIELD = "正文"
ALLOWANCE_FIELD = "personal_data_allowed"


def _texts(entry: Entry) -> list[tuple[str, str, int]]:
    """(field, text, line of the text's first line) of everything the public reads: the
    entry page's metadata table and meta tags, listings, feeds, search and open data."""
    texts = [("title", entry.title, entry.line_of("title"))]
    if entry.index_no:
        texts.append(("index_no", entry.index_no, entry.line_of("index_no")))
    if "publisher" in entry.field_lines:  # else the site's own, from mkdocs.yml
        texts.append(("publisher", entry.publisher, entry.line_of("publisher")))
    if entry.doc_no:
        texts.append(("doc_no", entry.doc_no, entry.line_of("doc_no")))
    texts.extend(("tags", tag, entry.line_of("tags")) for tag in entry.tags)
    if entry.summary:
        texts.append(("summary", entry.summary, entry.line_of("summary")))
    texts.extend(("related", link.relation, entry.line_of("related")) for link in entry.related)
    texts.append((BODY_FIELD, entry.body, entry.body_line))
    return texts
def screen_entry(entry: Entry, config: DisclosureConfig) -> tuple[list[Problem], list[Problem]]:
    """The entry's problems, and notes of personal data it publishes with a written reason."""
    problems: list[Problem] = []
    notes: list[Problem] = []
    reasons = {allowance.value: allowance.reason for allowance in entry.personal_data_allowed}
    used: set[str] = set()
    for field, text, first_line in _texts(entry):
        for finding in find_personal_data(text, config.masking):
            # Front-matter texts are one logical line, however YAML wrapped them.
            line = first_line + (text.count("\n", 0, finding.start) if field == BODY_FIELD else 0)
            masked = mask(finding, config.masking)
            if finding.value in reasons:
                used.add(finding.value)
                notes.append(Problem(
                    entry.path, line, field,
                    f"按所写理由公开{finding.label} {masked}：{reasons[finding.value]}",
                    Severity.WARNING,
                ))
            else:
                problems.append(Problem(
                    entry.path, line, field,
                    f"含有未去标识化的{finding.label}：请改写为「{masked}」；"
                    f"依法确需公开的，在 {ALLOWANCE_FIELD} 中写明该号码和公开依据",
                ))
    for found in find_in_markdown(entry.body):
        problems.append(Problem(
            entry.path, entry.body_line + found.line - 1, BODY_FIELD,
            f"含有可执行的活动内容（{found.what}），本站不予发布：请删除；"
            "表格和普通格式可以保留",
        ))
    for number, allowance in enumerate(entry.personal_data_allowed, start=1):
        if allowance.value not in used:
            problems.append(Problem(
                entry.path, entry.line_of(ALLOWANCE_FIELD), ALLOWANCE_FIELD,
                f"第 {number} 项的号码在标题、文号、关键词、概述和正文等公开内容中都没有出现："
                "请核对号码，或删除这一项",
                Severity.WARNING,
            ))
    return problems, notes
