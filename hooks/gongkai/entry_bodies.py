"""Entry bodies let go of before the entry pages are rendered, and read again page by page.

The bodies are most of what a build holds of its entries (120 MiB of text at 30,000 county
entries). Once the feeds, data files, search documents and the other pages are made, only
an entry's own page needs its body; and the forked renderer (two_process.py) would inherit
every body, so the build's peak (summed over its processes) would count them twice. So the
build drops them before it forks, and the process that renders a page reads its body again
from the file (reading and splitting: ~15 µs) and lets it go once the page is written.

What is published must be what was screened: the body read again must be the one judged,
else the build stops (the file was changed while the build ran). The comparison is by
Python's string hash (keyed SipHash; a forked child has the same key), kept per entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .entry import Entry
from .front_matter import decode, split_front_matter


class ChangedWhileBuilding(Exception):
    """The entry file's body is not the one the build checked; the message is Chinese."""


class EntryBodies:
    """Drops the bodies of entries (`let_go`) and gives one back (`read_again`)."""

    def __init__(self, project_dir: Path):
        self._project_dir = project_dir
        self._hashes: dict[str, int] = {}
        """The hash of each dropped entry's body, by the entry's path."""

    def let_go(self, entries: Iterable[Entry]) -> None:
        for entry in entries:
            if entry.path in self._hashes or not entry.body:
                continue
            self._hashes[entry.path] = hash(entry.body)
            _set_body(entry, "")

    def read_again(self, entry: Entry) -> None:
        """Give `entry` its body back from its file, checked against the one dropped."""
        expected = self._hashes.get(entry.path)
        if expected is None:
            return  # never dropped (an empty body, or an entry of the preview)
        body = None
        try:
            text, _ = decode((self._project_dir / entry.path).read_bytes(), entry.path)
            split = split_front_matter(text, entry.path)[0] if text is not None else None
            body = split.body if split is not None else None
        except OSError:
            pass
        if body is None or hash(body) != expected:
            raise ChangedWhileBuilding(
                f"{entry.path}: 文件: 构建过程中该文件被修改或删除，构建已停止：请重新构建")
        _set_body(entry, body)

    def release(self, entry: Entry) -> None:
        """Drop the body again once the entry's page is written."""
        if entry.path in self._hashes:
            _set_body(entry, "")


def _set_body(entry: Entry, body: str) -> None:
    # Entry is frozen because nothing else may change an entry; this is the one place that
    # swaps a body for the same text read again (checked above), or for nothing.
    object.__setattr__(entry, "body", body)
