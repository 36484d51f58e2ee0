"""Measurements the bench scripts share: a command's wall time and the peak memory of its whole
process tree, best-of timings with CPU time, and what a browser fetches to answer a search.

What a search costs is measured without knowing the search engine: the site is served, a
visitor's browser (headless Chromium, empty cache) loads the home page first, and everything
it fetched there is the theme every page shares; on the search page, every response except the
page itself and those shared files is the search's own cost (its script, its index files, the
data of the results shown), counted as a server that compresses its text responses sends it:
gzipped, except a partial response (206, to a Range request: servers do not compress those)
and a file of type application/octet-stream (which servers do not gzip by default), counted
as they are.
"""

from __future__ import annotations

import gzip
import os
import resource
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class Measure:
    seconds: float
    """Until the command exits."""
    peak_mib: float
    """The largest sum of resident memory over the command's processes at one moment."""
    cleanup_seconds: float = 0.0
    """After it exits, until the scratch folder it left to a process of its own is gone."""
    returncode: int = 0
    peak_pss_mib: float = 0.0
    """The largest sum of proportional set sizes at one moment: pages a forked process still
    shares with its parent count once, where the resident sum counts them in each process."""


def _pss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) * 1024
    return 0


def _tree_memory(pid: int) -> tuple[int, int]:
    """Resident and proportional bytes of process `pid` and all its descendants, now (0 once
    it has ended)."""
    resident, proportional, pending = 0, 0, [pid]
    while pending:
        current = pending.pop()
        try:
            resident += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE_SIZE
            proportional += _pss(current)
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # it ended while we looked
    return resident, proportional


def timed(command: list[str], cwd: Path, env: dict[str, str] | None = None,
          check: bool = True) -> Measure:
    """Wall time of one command and the peak of its whole process tree's resident memory.

    A gongkai build runs MkDocs and a search worker at once, so the peak is the largest sum
    over those processes at one moment, sampled every 0.2 s (a single process's maximum, what
    `time -v` reports, would understate it)."""
    log = cwd / ".bench-output"
    with log.open("w") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env or ENV, stdout=output,
                                   stderr=subprocess.STDOUT)
        peak = peak_pss = 0
        while process.poll() is None:
            resident, proportional = _tree_memory(process.pid)
            peak, peak_pss = max(peak, resident), max(peak_pss, proportional)
            time.sleep(0.2)
        seconds = time.perf_counter() - start
    if process.returncode != 0 and check:
        raise SystemExit(f"command failed in {cwd}: {' '.join(command)}\n"
                         f"{log.read_text()[-3000:]}")
    # A build may hand the deletion of its scratch pages to a process that outlives it; wait
    # for it (it would slow down the next measured build) and report how long it took.
    while list(cwd.glob(".gongkai-search-*")):
        time.sleep(0.05)
    return Measure(seconds, peak / 2**20, time.perf_counter() - start - seconds,
                   process.returncode, peak_pss / 2**20)


@dataclass
class CommandTime:
    wall: float
    """Best wall-clock seconds of the runs."""
    cpu: float
    """Best CPU seconds (user + system) of the runs: what another job on the machine cannot
    inflate."""
    returncode: int
    """Of the last run: a check that reports errors is measured, and said to have failed."""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_of(command: list[str], cwd: Path, runs: int = 3, forget: Path | None = None
            ) -> CommandTime:
    """Best of `runs` runs; with `forget`, that folder (a cache) is deleted before each."""
    walls, cpus, returncode = [], [], 0
    for _ in range(runs):
        if forget is not None:
            shutil.rmtree(forget, ignore_errors=True)
        cpu, start = _children_cpu(), time.perf_counter()
        returncode = subprocess.run(command, cwd=cwd, env=ENV, capture_output=True,
                                    check=False).returncode
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return CommandTime(min(walls), min(cpus), returncode)


@contextmanager
def chromium() -> Iterator[Any]:
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"])
        try:
            yield browser
        finally:
            browser.close()


def browser_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return CHROMIUM.exists()


def sent_size(body: bytes, status: int, content_type: str) -> int:
    """Bytes of a response body as a server compressing text responses sends it: a partial
    (206) or application/octet-stream body as it is, anything else gzipped (a file that is
    gzipped already gains a few bytes of header, as on a real server that does not know it)."""
    if status == 206 or content_type.split(";")[0].strip() == "application/octet-stream":
        return len(body)
    return len(gzip.compress(body, 6))


class Fetches:
    """The responses of one browser context (its pages and their workers), from the moment
    `start()` was last called, as (URL, bytes sent); the navigated page itself is left out.
    A file fetched in several ranges is there once per range."""

    def __init__(self, context: Any):
        self.sent: list[tuple[str, int]] = []
        context.on("response", self._record)

    def _record(self, response: Any) -> None:
        from playwright.sync_api import Error as PlaywrightError

        if response.request.is_navigation_request():
            return
        try:
            body = response.body()
        except PlaywrightError:  # a response without a body (a redirect) counts 0
            body = b""
        self.sent.append((response.url, sent_size(body, response.status,
                                                  response.headers.get("content-type", ""))))

    def start(self) -> None:
        self.sent = []

    def total(self, leave_out: frozenset[str] = frozenset()) -> int:
        return sum(size for url, size in self.sent if url not in leave_out)

    def by_url(self) -> dict[str, int]:
        sizes: dict[str, int] = {}
        for url, size in self.sent:
            sizes[url] = sizes.get(url, 0) + size
        return sizes


WARM_UP_QUERY = "鑫淼"
"""The first query of a visit when a further query is measured: characters the generated
corpus and the sample pages never use, so it loads what every query needs and little else."""


@dataclass
class QueryBytes:
    query: str
    first: int
    """Bytes (sent_size) the first query of a visit fetches (script, index metadata and all)."""
    further: int
    """Bytes (sent_size) the same query fetches as the second query of a visit (after
    WARM_UP_QUERY): its own part only."""
    said: str
    """What the page said (the number of results), to see that it answered."""


def shared_files(browser: Any, url: str) -> dict[str, int]:
    """What a page fetches besides itself (the theme every page shares), with an empty
    cache: bytes sent by URL."""
    context = browser.new_context()
    fetches = Fetches(context)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    context.close()
    return fetches.by_url()


def search_costs(browser: Any, queries: list[str], ask: Callable[[Any, str], str],
                 ask_again: Callable[[Any, str], str],
                 shared: frozenset[str] = frozenset()) -> list[QueryBytes]:
    """Per query, in fresh browser contexts (empty caches): `ask(page, query)` opens the
    search with the query and returns what it said once answered; `ask_again(page, query)`
    runs a further query on the open page. Every response except the navigated pages and
    `shared` is counted."""
    measured = []
    for query in queries:
        context = browser.new_context()
        fetches = Fetches(context)
        said = ask(context.new_page(), query)
        first = fetches.total(shared)
        context.close()
        context = browser.new_context()
        fetches = Fetches(context)
        page = context.new_page()
        ask(page, WARM_UP_QUERY)
        fetches.start()
        ask_again(page, query)
        further = fetches.total(shared)
        context.close()
        measured.append(QueryBytes(query, first, further, said))
    return measured
