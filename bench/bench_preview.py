"""Preview benchmark: how long after saving an entry does `mkdocs serve` show it?

On the bench corpus of N entries (bench/generate.py), a real `mkdocs serve` (the sample
site's mkdocs.yml and hook, as `make serve` runs it). Measured from the moment a file is
written until an HTTP request for the page returns the new text:
  - edits: 10 published entries, each given a new sentence, a few seconds apart;
  - new entries: 10 new files, each a page that did not exist;
  - and, for the new entries, until the catalogue's first page lists them (the full build in
    the second process);
against the baseline in the same run: a change MkDocs rebuilds in full (the home page, a
hand-written page), which is what every save cost before the fast path.
Medians (and maximum) of the runs. Writes its table into bench/RESULTS.md between markers.

Usage: python bench/bench_preview.py [--size 10000] [--edits 10] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ENV, REPO, make_gongkai_project
from results import write_section

TIMEOUT_SECONDS = 600
SECONDS_BETWEEN_SAVES = 3
WATCHER_SETTLE_SECONDS = 3
"""MkDocs' file watcher takes its first snapshot of the folders just after the server starts;
a file saved before that is not seen as changed."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return str(answer.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return ""


def _shows(url: str, text: str) -> Callable[[], bool]:
    return lambda: text in _fetch(url)


def _seconds_until(condition: Callable[[], bool], start: float) -> float:
    while not condition():
        if time.perf_counter() - start > TIMEOUT_SECONDS:
            raise TimeoutError("preview did not show the change")
        time.sleep(0.02)
    return time.perf_counter() - start


def _published_entries(folder: Path, count: int) -> list[Path]:
    """The first `count` entries (by path) with a page on the site."""
    chosen = []
    for path in sorted(folder.rglob("*.md")):
        text = path.read_text("utf-8")
        on_site = re.search(r"^channels: \[.*\bwebsite\b", text, re.MULTILINE)
        if "draft: true" in text or "date: 2999" in text or not on_site:
            continue
        chosen.append(path)
        if len(chosen) == count:
            break
    return chosen


def _median_max(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s (max {max(values):.2f} s)"


def bench(size: int, edits: int, root: Path) -> str:
    print(f"N={size}: generating corpus …", flush=True)
    project = make_gongkai_project(root, size)
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    log = root / "serve.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, stdout=log.open("w"), stderr=subprocess.STDOUT,
        env={**ENV, "GONGKAI_SITE_URL": base},
    )
    background_done = "预览：列表、统计和搜索已按完整生成更新"

    def log_text() -> str:
        return log.read_text("utf-8", errors="replace")

    def wait_background(before: int) -> None:
        _seconds_until(lambda: log_text().count(background_done) > before, time.perf_counter())

    try:
        start = time.perf_counter()
        _seconds_until(lambda: "Serving on" in log_text(), start)
        print(f"  first build and serve: {time.perf_counter() - start:.1f} s", flush=True)
        time.sleep(WATCHER_SETTLE_SECONDS)
        edit_times = []
        # Saves a few seconds apart, as staff make them: the full build of the second process
        # is usually still running, as it would be.
        before = log_text().count(background_done)
        for number, path in enumerate(_published_entries(project / "disclosures", edits)):
            token = f"预览基准第{number}次修改。"
            page = base + path.relative_to(project).with_suffix("").as_posix() + "/"
            start = time.perf_counter()
            with path.open("a", encoding="utf-8") as file:
                file.write(f"\n{token}\n")
            edit_times.append(_seconds_until(_shows(page, token), start))
            time.sleep(SECONDS_BETWEEN_SAVES)
        wait_background(before)
        new_times, listed_times = [], []
        for number in range(edits):
            title = f"关于预览基准新条目第{number}号的通知"
            path = project / "disclosures" / "2026" / f"bench-new-{number}.md"
            page = base + f"disclosures/2026/bench-new-{number}/"
            before = log_text().count(background_done)
            start = time.perf_counter()
            path.write_text(
                f"---\ntitle: {title}\ndate: 2026-10-30\ncategory: 通知公告\n"
                f"channels: [website]\nindex_no: 000014349/2026-{90000 + number}\n---\n"
                f"新条目正文第{number}号。\n", "utf-8")
            new_times.append(_seconds_until(_shows(page, title), start))
            listed_times.append(_seconds_until(_shows(base + "catalogue/", title), start))
            wait_background(before)
        full_times = []
        for number in range(3):
            token = f"首页基准第{number}次修改"
            start = time.perf_counter()
            (project / "docs" / "index.md").write_text(
                f"# {token}\n\n<!-- gongkai:latest -->\n", "utf-8")
            full_times.append(_seconds_until(_shows(base, token), start))
    finally:
        server.terminate()
        server.wait(timeout=60)
    rows = [
        (f"edit a published entry ({len(edit_times)} runs)", edit_times),
        (f"new entry: its page ({len(new_times)} runs)", new_times),
        ("new entry: listed in the catalogue", listed_times),
        (f"baseline: a hand-written page, MkDocs' full rebuild ({len(full_times)} runs)",
         full_times),
    ]
    full = statistics.median(full_times)
    return "\n".join([
        f"## Preview (`make serve`), N={size:,}",
        "",
        (f"Written by bench/bench_preview.py on {time.strftime('%Y-%m-%d')}: seconds from "
         "saving a file until the preview serves the change (HTTP), median of the runs."),
        "",
        "| change | seconds | vs full rebuild |",
        "|---|---|---|",
        *(f"| {name} | {_median_max(times)} | {statistics.median(times) / full:.2f}× |"
          for name, times in rows),
        "",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gongkai-bench-preview-"))
    try:
        section = bench(args.size, args.edits, root)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print("\n" + section)
    write_section(args.out, "preview", section)
    print(f"written to {args.out}")


if __name__ == "__main__":
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    main()
