"""The live preview (`make serve`): a saved entry shows in about a second, however many
entries the site has.

MkDocs' `serve` rebuilds the whole site on every change: about 20 s at 10,000 entries before
staff see what they saved. `PreviewBuilder` takes the place of that rebuild while serving:

1. When the only changes are entry files edited or added (a snapshot of the source folder
   tells which), it reads just those files with the build's own reader and checks, renders
   just their pages into the served folder, and lets the browser reload — the *fast path*.
2. It then starts a full build in a second process, into a folder of its own; when that
   finishes, its output replaces the served site (listings, statistics, feeds, search), and
   pages saved in the meantime are rendered again on top. So listings follow a little later
   and are exactly a full build's once it is done.
3. Anything else — a hand-written page, mkdocs.yml, a yearly report file, a deleted entry,
   an entry with a problem, one that is not (or no longer) public — takes MkDocs' own full
   rebuild, so its messages are the build's and nothing half-updated is shown.

`python -m gongkai.preview CONFIG OUT SITE_URL` is the second process's full build.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger("mkdocs.hooks.gongkai.preview")

PREVIEW_CHILD = "GONGKAI_PREVIEW_CHILD"
"""Set in the second process: a marker that its build is the preview's full build."""

Snapshot = dict[str, tuple[int, int]]
"""Relative path → (modification time in ns, size) of every file under a folder."""


def snapshot(folder: Path) -> Snapshot:
    """Every (non-hidden) file under `folder`; an absent folder is empty."""
    found: Snapshot = {}
    for current, subfolders, names in os.walk(folder):
        subfolders[:] = [name for name in subfolders if not name.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            path = os.path.join(current, name)
            try:
                status = os.stat(path)
            except OSError:
                continue
            found[os.path.relpath(path, folder).replace(os.sep, "/")] = (
                status.st_mtime_ns, status.st_size)
    return found


@dataclass(frozen=True)
class Changes:
    """What changed between two snapshots of the same folder."""

    changed: list[str]
    """Edited or added, relative paths."""
    removed: list[str]


def compare(before: Snapshot, after: Snapshot) -> Changes:
    changed = sorted(path for path, state in after.items() if before.get(path) != state)
    removed = sorted(path for path in before if path not in after)
    return Changes(changed, removed)


class Site(Protocol):
    """What the preview needs of the build's state (plugin.DisclosureSite)."""

    def render_saved_entries(self, paths: list[str]) -> bool:
        """Render the pages of these entry files (relative to the project) into the served
        folder; False when one of them needs a full build instead."""


class PreviewBuilder:
    """Stands in for MkDocs' serve builder (see the module docstring)."""

    def __init__(self, site: Callable[[], Site], full_build: Callable[[], None],
                 project_dir: Path, source_dir: str, watched: list[Path],
                 background_command: Callable[[Path], list[str]], served_dir: Path):
        self._site = site
        self._full_build = full_build
        self._project_dir = project_dir
        self._source_dir = source_dir
        self._entry_folder = project_dir / source_dir
        self._other_sources = watched
        """Everything else the site is made of: docs/, mkdocs.yml, the yearly report files."""
        self._background_command = background_command
        self._served_dir = served_dir
        self._entries = snapshot(self._entry_folder)
        self._others = self._snapshot_others()
        self._lock = threading.Lock()
        """Held while pages are written into the served folder."""
        self._background_state = threading.Lock()
        """Guards the two flags below."""
        self._background_running = False
        self._background_wanted = False
        self._saved_since_background: set[str] = set()
        self._generation = 0
        """Counts MkDocs' own full builds: a second-process build older than one is dropped."""

    def _snapshot_others(self) -> Snapshot:
        combined: Snapshot = {}
        for folder in self._other_sources:
            if folder.is_file():
                status = folder.stat()
                combined[str(folder)] = (status.st_mtime_ns, status.st_size)
            else:
                combined.update({f"{folder}/{k}": v for k, v in snapshot(folder).items()})
        return combined

    def __call__(self) -> None:
        entries, others = snapshot(self._entry_folder), self._snapshot_others()
        entry_changes = compare(self._entries, entries)
        other_changes = compare(self._others, others)
        self._entries, self._others = entries, others
        saved = [f"{self._source_dir}/{path}" for path in entry_changes.changed
                 if path.endswith(".md")]
        fast = (saved and not entry_changes.removed and not other_changes.changed
                and not other_changes.removed
                and len(saved) == len(entry_changes.changed))
        if fast:
            started = time.perf_counter()
            with self._lock:
                rendered = self._site().render_saved_entries(saved)
            if rendered:
                log.info("预览：已更新 %d 条信息的页面（%.1f 秒）；列表和统计稍后更新",
                         len(saved), time.perf_counter() - started)
                self._saved_since_background.update(saved)
                self._start_background()
                return
        with self._lock:
            self._full_build()
            # A full build under way in the second process started before this one.
            self._generation += 1
        self._saved_since_background.clear()

    # --- The full build in a second process -------------------------------------------------

    def _start_background(self) -> None:
        """Start the full build, or ask for one more when one is running (it started before
        this save, so its output lacks it)."""
        with self._background_state:
            if self._background_running:
                self._background_wanted = True
                return
            self._background_running = True
            self._background_wanted = False
        threading.Thread(target=self._background_loop, daemon=True).start()

    def _background_loop(self) -> None:
        while True:
            self._run_background()
            with self._background_state:
                if not self._background_wanted:
                    self._background_running = False
                    return
                self._background_wanted = False

    def _run_background(self) -> None:
        output = Path(tempfile.mkdtemp(prefix="gongkai-preview-"))
        pending = set(self._saved_since_background)
        generation = self._generation
        started = time.perf_counter()
        try:
            result = subprocess.run(self._background_command(output), cwd=self._project_dir,
                                    capture_output=True, text=True, check=False)
            if result.returncode != 0:
                log.warning("预览：后台完整生成未成功，列表暂未更新：\n%s",
                            (result.stdout + result.stderr).strip()[-2000:])
                return
            with self._lock:
                if generation != self._generation:
                    return
                _replace_tree(output, self._served_dir)
                # Pages saved while the full build ran are newer than its output.
                newer = sorted(self._saved_since_background - pending)
                if newer:
                    self._site().render_saved_entries(newer)
                self._saved_since_background -= pending
            log.info("预览：列表、统计和搜索已按完整生成更新（%.1f 秒）",
                     time.perf_counter() - started)
        finally:
            shutil.rmtree(output, ignore_errors=True)


def _replace_tree(source: Path, target: Path) -> None:
    """Make `target` hold what `source` holds, file by file (each replaced atomically), so the
    server never serves a missing page while it happens."""
    kept: set[Path] = set()
    for current, _, names in os.walk(source):
        relative = Path(current).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in names:
            os.replace(Path(current) / name, target / relative / name)
            kept.add(relative / name)
    for current, _, names in os.walk(target, topdown=False):
        relative = Path(current).relative_to(target)
        for name in names:
            if relative / name not in kept:
                (target / relative / name).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    """The second process: a full build of CONFIG into OUT as served from SITE_URL."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_file, output, site_url = argv or sys.argv[1:]
    os.environ[PREVIEW_CHILD] = "1"
    try:
        config = load_config(config_file, site_dir=output)
        config.site_url = site_url
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    except MkDocsException as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
