"""Related entries: the links entries declare (`related:`) and the links back, computed.

A draft decision for comment names its 意见采纳情况 notice, or a notice names the document it
repeals; each page then shows the other. corpus.py has already refused links that lead to a
missing, draft or later entry, so among published entries every declared link resolves.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

from .entry import Entry


@dataclass(frozen=True)
class Relation:
    """One link shown on an entry's page."""

    other: Entry
    relation: str
    """What the declaring entry called its target, e.g. 意见采纳情况."""
    declared_here: bool
    """True on the declaring entry's page; False on the target's (the link back)."""


def relations_by_path(published: Sequence[Entry]) -> dict[str, list[Relation]]:
    """Each published entry's relations, declared ones first, then the links back."""
    by_number = {entry.index_no: entry for entry in published if entry.index_no}
    forward: dict[str, list[Relation]] = {}
    backward: dict[str, list[Relation]] = {}
    for entry in published:
        for link in entry.related:
            target = by_number.get(link.index_no)
            if target is None:  # only when the build went on despite the error
                continue
            forward.setdefault(entry.path, []).append(Relation(target, link.relation, True))
            backward.setdefault(target.path, []).append(Relation(entry, link.relation, False))
    return {path: forward.get(path, []) + backward.get(path, [])
            for path in forward.keys() | backward.keys()}


def related_html(relations: Sequence[Relation], href_of: Callable[[Entry], str]) -> str:
    """The 相关信息 section of an entry page; empty when it has no relation."""
    if not relations:
        return ""
    items = []
    for relation in relations:
        link = (f'<a href="{escape(href_of(relation.other))}">{escape(relation.other.title)}</a>'
                f' <time datetime="{relation.other.date}">{relation.other.date}</time>')
        if relation.declared_here:
            items.append(f'<li><span class="gk-relation">{escape(relation.relation)}：</span>'
                         f"{link}</li>")
        else:
            items.append(f'<li>{link} <span class="gk-relation">'
                         f"（本文是其“{escape(relation.relation)}”）</span></li>")
    return (
        '<section class="gk-related" aria-labelledby="gk-related-heading">'
        '<h2 id="gk-related-heading">相关信息</h2>'
        f'<ul>{"".join(items)}</ul></section>'
    )


ENDING_WORDS = ("废止", "失效")
"""A relation naming one of these, declared by a later entry towards this one (the seed's
`被废止的文件`), says that later entry is what repealed or ended this one."""


def ending_entry(relations: Sequence[Relation]) -> Entry | None:
    """The entry that repealed or ended the one these relations belong to, if one says so."""
    return next(
        (relation.other for relation in relations if not relation.declared_here
         and any(word in relation.relation for word in ENDING_WORDS)),
        None,
    )
