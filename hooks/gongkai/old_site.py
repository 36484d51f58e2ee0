"""The previous build's output, deleted on the side while the new build runs.

`mkdocs build` first empties the site folder (all but its hidden entries), one file after
another, before it reads a page. A gongkai site of 10,000 entries is some 40,000 files (pages,
attachment copies, the search index): deleting them took 44 s of wall time on the bench
machine's disk for 2.5 s of CPU, all of it before the build could start. Renaming them is
instant: the build moves the old contents into one hidden folder inside the site folder (same
file system, so a rename always works; MkDocs' clean leaves hidden entries alone) and a
process of its own deletes that folder while the build renders. The build waits for it before
it ends, so a finished build leaves no trace of it, and its time is still the build's.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

PREFIX = ".gongkai-old-site-"
"""The hidden folder's name starts so; one left by a build that was killed is deleted with
the next build's (else, hidden, it would stay in the site for good)."""

_DELETE_FOLDER = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


class OldSiteRemoval:
    """Moves the site folder's old contents aside (`start`) and deletes them on the side;
    `finish` waits until they are gone."""

    def __init__(self, site_dir: Path):
        self._site_dir = site_dir
        self._holder: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Move what MkDocs' clean would delete (every entry not hidden), and the folders
        earlier builds left, into a new hidden folder; start deleting it. Whatever cannot be
        moved stays for MkDocs' own clean."""
        try:
            names = [name for name in os.listdir(self._site_dir)
                     if not name.startswith(".") or name.startswith(PREFIX)]
        except OSError:
            return  # no site folder yet (or not one we may list): MkDocs makes it
        if not names:
            return
        try:
            holder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self._site_dir))
        except OSError:
            return
        for name in names:
            try:
                os.rename(self._site_dir / name, holder / name)
            except OSError:
                continue
        self._holder = holder
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-c", _DELETE_FOLDER, str(holder)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError:
            self._process = None  # deleted in `finish`, in this process

    def finish(self) -> None:
        """Wait until the old contents are gone."""
        if self._holder is None:
            return
        if self._process is not None:
            self._process.wait()
            self._process = None
        shutil.rmtree(self._holder, ignore_errors=True)  # what the process could not delete
        self._holder = None
