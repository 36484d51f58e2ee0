"""Build benchmark: gongkai against plain Material on the same synthetic corpus, in one run.

For each N it generates a deterministic corpus (bench/generate.py) and measures, over several
alternating runs:
  (a) the full gongkai build (`mkdocs build` with the gongkai hooks, Pagefind index included);
  (b) the baseline: plain mkdocs-material building the same Markdown bodies as ordinary pages
      kept out of the nav, with Material's default search plugin;
and prints a/b for time and peak memory, pair by pair. Also `gongkai check` and
`gongkai report` times, the output size, the HTML size of the catalogue's first page and, when
Debian's chromium is present, the bytes a browser fetches to run each of a few search queries
and the quality of the answers (bench_quality.py: precision@20 and recall against substring
truth).

Usage: python bench/bench_build.py [--sizes 1000,10000] [--runs 3] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import gzip
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_quality import quality_table, search_quality
from generate import with_site_publisher, write_corpus

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
# Topics staff and residents look for, and one 索引号 (whose organisation code is on every page).
SEARCH_QUERIES = ["危房改造", "低保", "防汛抗旱", "政府采购", "森林防火", "公益性岗位", "宅基地审批",
                  "000014349/2021-00007"]
# Fetched once per visit to the search page, whatever the query: Pagefind's scripts, its wasm
# and the index metadata. The rest (index chunks, fragments, filters) depends on the query.
SEARCH_RUNTIME = re.compile(r"/pagefind/(pagefind[^/]*\.(js|json|pf_meta)|wasm\.[^/]*)(\?.*)?$")


@dataclass
class Measure:
    seconds: float
    """Until the command exits."""
    peak_mib: float
    cleanup_seconds: float = 0.0
    """After it exits, until the scratch folder it left to a process of its own is gone."""


def _tree_rss(pid: int) -> int:
    """Resident bytes of process `pid` and all its descendants, now (0 once it has ended)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE_SIZE
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(child) for child in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue  # it ended while we looked
    return total


def timed(command: list[str], cwd: Path) -> Measure:
    """Wall time of one command and the peak of its whole process tree's resident memory.

    The build runs MkDocs, the search worker and Pagefind at once, so the peak is the largest
    sum over those processes at one moment, sampled every 0.2 s (a single process's maximum,
    what `time -v` reports, would understate it)."""
    log = cwd / ".bench-output"
    with log.open("w") as output:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=output,
                                   stderr=subprocess.STDOUT)
        peak = 0
        while process.poll() is None:
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.2)
        seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise SystemExit(f"command failed in {cwd}: {' '.join(command)}\n"
                         f"{log.read_text()[-3000:]}")
    # The build hands the deletion of its scratch pages to a process that outlives it; wait
    # for it (it would slow down the next measured build) and report how long it took.
    while list(cwd.glob(".gongkai-search-*")):
        time.sleep(0.05)
    return Measure(seconds, peak / 2**20, time.perf_counter() - start - seconds)


def best_of(command: list[str], cwd: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def make_gongkai_project(root: Path, count: int, seed: int = 2021, *, shape: str = "township",
                         site_only: bool = False) -> Path:
    """The sample site (docs/, mkdocs.yml) with a generated corpus (generate.py: `shape`, and
    with `site_only` `count` entries published on the site); the site's publisher and
    organisation code are the corpus's."""
    project = root / "gongkai"
    shutil.copytree(REPO / "docs", project / "docs")
    site = write_corpus(project / "disclosures", count, seed, shape=shape, site_only=site_only)
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = config.replace("hooks/gongkai_hooks.py", (REPO / "hooks/gongkai_hooks.py").as_posix())
    (project / "mkdocs.yml").write_text(with_site_publisher(config, site), "utf-8")
    return project


def make_baseline_project(root: Path, gongkai_project: Path) -> Path:
    """The same bodies gongkai publishes as pages (the site's channel), as plain pages with a
    title, out of the nav, default search."""
    project = root / "baseline"
    pages = project / "docs" / "p"
    pages.mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# 首页\n", "utf-8")
    for source in sorted((gongkai_project / "disclosures").rglob("*.md")):
        text = source.read_text("utf-8")
        _, front, body = text.split("---\n", 2)
        # Only what gongkai publishes on the site: entries without the site's own channel
        # are offline records (counted, never pages).
        on_site = re.search(r"^channels: \[.*\bwebsite\b", front, re.MULTILINE)
        if "draft: true" in front or "date: 2999" in front or not on_site:
            continue
        title = re.search(r"^title: (.*)$", front, re.MULTILINE).group(1)  # type: ignore[union-attr]
        (pages / f"{source.parent.name}-{source.name}").write_text(
            f"---\ntitle: {title}\n---\n{body}", "utf-8")
    (project / "mkdocs.yml").write_text(
        "site_name: 基线\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        "nav:\n  - 首页: index.md\nnot_in_nav: |\n  /p/\n", "utf-8")
    return project


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


@dataclass
class QueryBytes:
    query: str
    first: int
    """Gzipped bytes from pagefind/ for the first query of a visit (scripts and metadata too)."""
    further: int
    """The part that depends on the query: what each further query of the visit fetches."""
    results: str


def search_bytes(site: Path) -> list[QueryBytes] | None:
    """Bytes fetched from pagefind/ to answer each of SEARCH_QUERIES, in headless Chromium with
    an empty cache, counted as a server that gzips its responses sends them (Pagefind's index
    files are gzipped already; its scripts are not)."""
    if not Path("/usr/bin/chromium").exists():
        return None
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    import functools
    import http.server
    import threading
    from urllib.parse import quote

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    measured = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync"])
            for query in SEARCH_QUERIES:
                context = browser.new_context()  # an empty cache for each query
                page = context.new_page()
                fetched: dict[str, bytes] = {}

                def record(response, fetched=fetched):  # type: ignore[no-untyped-def]
                    if "/pagefind/" in response.url:
                        try:
                            fetched[response.url] = response.body()
                        except PlaywrightError:  # a response without a body counts 0
                            fetched[response.url] = b""

                page.on("response", record)
                port = server.server_address[1]
                page.goto(f"http://127.0.0.1:{port}/search/?q={quote(query)}")
                page.wait_for_selector("#gk-search-results li", timeout=30000)
                page.wait_for_timeout(1000)
                results = page.inner_text("#gk-search-status")
                context.close()
                sizes = {url: len(gzip.compress(body)) for url, body in fetched.items()}
                measured.append(QueryBytes(
                    query, sum(sizes.values()),
                    sum(size for url, size in sizes.items() if not SEARCH_RUNTIME.search(url)),
                    results.strip()))
            browser.close()
    finally:
        server.shutdown()
    return measured


def bench_size(count: int, runs: int, root: Path) -> dict[str, object]:
    gongkai = make_gongkai_project(root, count)
    baseline = make_baseline_project(root, gongkai)
    mkdocs = [str(BIN / "mkdocs"), "build", "--site-dir", "site"]
    pairs: list[tuple[Measure, Measure]] = []
    for run in range(runs):
        a = timed(mkdocs, gongkai)
        b = timed(mkdocs, baseline)
        pairs.append((a, b))
        print(f"  N={count} run {run + 1}: gongkai {a.seconds:.1f} s (+{a.cleanup_seconds:.1f} s "
              f"cleanup) {a.peak_mib:.0f} MiB | "
              f"baseline {b.seconds:.1f} s {b.peak_mib:.0f} MiB | "
              f"ratio {a.seconds / b.seconds:.2f}", flush=True)
    site = gongkai / "site"
    catalogue = site / "catalogue" / "index.html"
    search = search_bytes(site)
    quality = search_quality(gongkai, site) if search is not None else None
    return {
        "count": count,
        "pairs": pairs,
        "check": best_of([str(BIN / "gongkai"), "check"], gongkai),
        "report": best_of([str(BIN / "gongkai"), "report", "--year", "2025"], gongkai),
        "site_mib": folder_bytes(site) / 2**20,
        "catalogue_kib": catalogue.stat().st_size / 1024,
        "search": search,
        "quality": quality,
    }


def _median_max(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} / {max(values):.0f}"


def table(results: list[dict[str, object]], runs: int) -> str:
    lines = [
        (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {runs} alternating runs per size; "
        f"measured {time.strftime('%Y-%m-%d')}."),
        "",
        ("Peak memory is the largest sum of resident memory over the build's processes at one "
         "moment (MkDocs, the search worker, Pagefind), sampled every 0.2 s. Search: KiB a "
         "browser fetches from pagefind/ (gzipped as a server would send them), median / max "
         f"over {len(SEARCH_QUERIES)} queries with an empty cache; a further query of the same "
         "visit fetches only the query's own part (index chunks, fragments, filters). "
         "Cleanup: after gongkai's build has exited, a process of its own deletes the slim "
         "pages the search index was made from; the last column counts that time in."),
        "",
        ("| N | gongkai build (s) | baseline build (s) | time a/b per run | median a/b | "
        "gongkai peak (MiB) | baseline peak (MiB) | check (s) | report (s) | site (MiB) | "
        "catalogue p.1 (KiB) | search: first query (KiB) | search: further query (KiB) | "
        "median a/b, cleanup counted in |"),
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    details = []
    for result in results:
        pairs = result["pairs"]
        assert isinstance(pairs, list)
        ratios = [a.seconds / b.seconds for a, b in pairs]
        search = result["search"]
        if isinstance(search, list):
            first = _median_max([q.first / 1024 for q in search])
            further = _median_max([q.further / 1024 for q in search])
            details += [f"| {result['count']:,} | {q.query} | {q.first / 1024:.0f} | "
                        f"{q.further / 1024:.0f} | {q.results} |" for q in search]
        else:
            first = further = "—"
        lines.append(
            f"| {result['count']:,} | {statistics.median(a.seconds for a, _ in pairs):.1f} | "
            f"{statistics.median(b.seconds for _, b in pairs):.1f} | "
            f"{', '.join(f'{r:.2f}' for r in ratios)} | {statistics.median(ratios):.2f} | "
            f"{max(a.peak_mib for a, _ in pairs):.0f} | {max(b.peak_mib for _, b in pairs):.0f} | "
            f"{result['check']:.2f} | {result['report']:.2f} | {result['site_mib']:.0f} | "
            f"{result['catalogue_kib']:.0f} | {first} | {further} | "
            f"{statistics.median((a.seconds + a.cleanup_seconds) / b.seconds for a, b in pairs):.2f} |"
        )
    if details:
        lines += ["", "Each query (KiB, gzipped):", "",
                  "| N | query | first query | further query | what the page said |",
                  "|---|---|---|---|---|", *details]
    quality = [(result["count"], row) for result in results
               for row in result.get("quality") or []]  # type: ignore[union-attr]
    if quality:
        lines += ["", ("Search quality (bench/bench_quality.py): relevant = published notices "
                  "whose title, 内容概述, body, 索引号 or 文号 contains the query; precision of "
                  "the search page's first 20 results and recall of its whole list."), "",
                  quality_table(quality)]  # type: ignore[arg-type]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as temp:
        for count in (int(size) for size in args.sizes.split(",")):
            print(f"N={count}: generating corpus …", flush=True)
            folder = Path(temp) / str(count)
            results.append(bench_size(count, args.runs, folder))
            shutil.rmtree(folder)
    text = table(results, args.runs)
    print("\n" + text)
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = (statistics.median(a.seconds for a, _ in large["pairs"])  # type: ignore[union-attr]
                  / statistics.median(a.seconds for a, _ in small["pairs"]))  # type: ignore[union-attr]
        text += (f"\nBuild time N={large['count']:,} / N={small['count']:,}: {growth:.1f}× "
                 f"for {large['count'] / small['count']:.0f}× the entries.\n")  # type: ignore[operator]
    args.out.write_text("# Benchmark results\n\nWritten by `make bench` (bench/bench_build.py); "
                        "bench/README.md says what each figure means for the targets of "
                        "issue 8.\n\n" + text, "utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
