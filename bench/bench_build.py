"""Build benchmark: gongkai against plain Material on the same synthetic corpus, in one run.

For each N it generates a deterministic corpus (bench/generate.py) and measures, over several
alternating runs:
  (a) the full gongkai build (`mkdocs build` with the gongkai hooks, Pagefind index included);
  (b) the baseline: plain mkdocs-material building the same Markdown bodies as ordinary pages
      kept out of the nav, with Material's default search plugin;
and prints a/b for time and peak memory, pair by pair. Also `gongkai check` and
`gongkai report` times, the output size, the HTML size of the catalogue's first page and, when
Debian's chromium is present, the bytes a browser fetches to run one search query.

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
from generate import write_corpus

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
SEARCH_WORD = "危房改造"


@dataclass
class Measure:
    seconds: float
    peak_mib: float


def timed(command: list[str], cwd: Path) -> Measure:
    """Wall time and peak resident memory of one command (its children included)."""
    report = cwd / ".time"
    result = subprocess.run(
        ["/usr/bin/time", "-o", str(report), "-f", "%e %M", *command],
        check=False, cwd=cwd, env=ENV, capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SystemExit(f"command failed in {cwd}: {' '.join(command)}\n{result.stderr[-3000:]}")
    seconds, kib = report.read_text().split()[-2:]
    return Measure(float(seconds), int(kib) / 1024)


def best_of(command: list[str], cwd: Path, runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=ENV, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def make_gongkai_project(root: Path, count: int) -> Path:
    project = root / "gongkai"
    shutil.copytree(REPO / "docs", project / "docs")
    config = (REPO / "mkdocs.yml").read_text("utf-8")
    config = config.replace("hooks/gongkai_hooks.py", (REPO / "hooks/gongkai_hooks.py").as_posix())
    config = re.sub(r"org_code: .*", "org_code: '000014349'", config)
    (project / "mkdocs.yml").write_text(config, "utf-8")
    write_corpus(project / "disclosures", count)
    return project


def make_baseline_project(root: Path, gongkai_project: Path) -> Path:
    """The same published bodies as plain pages with a title, out of the nav, default search."""
    project = root / "baseline"
    pages = project / "docs" / "p"
    pages.mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# 首页\n", "utf-8")
    for source in sorted((gongkai_project / "disclosures").rglob("*.md")):
        text = source.read_text("utf-8")
        _, front, body = text.split("---\n", 2)
        if "draft: true" in front or "date: 2999" in front:
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


def search_bytes(site: Path) -> tuple[int, int] | None:
    """Bytes fetched from pagefind/ to answer one query, measured in headless Chromium: as
    served here (uncompressed) and as a server that gzips its responses would send them
    (Pagefind's index files are gzipped already; its scripts are not)."""
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

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fetched: dict[str, bytes] = {}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync"])
            page = browser.new_page()

            def record(response):  # type: ignore[no-untyped-def]
                if "/pagefind/" in response.url:
                    try:
                        fetched[response.url] = response.body()
                    except PlaywrightError:  # a response without a body (redirect) counts 0
                        fetched[response.url] = b""

            page.on("response", record)
            port = server.server_address[1]
            page.goto(f"http://127.0.0.1:{port}/search/?q={SEARCH_WORD}")
            page.wait_for_selector(".gk-result, [data-gk-result], .gk-search-results li",
                                   timeout=30000)
            page.wait_for_timeout(1000)
            browser.close()
    finally:
        server.shutdown()
    raw = sum(len(body) for body in fetched.values())
    return raw, sum(len(gzip.compress(body)) for body in fetched.values())


def bench_size(count: int, runs: int, root: Path) -> dict[str, object]:
    gongkai = make_gongkai_project(root, count)
    baseline = make_baseline_project(root, gongkai)
    mkdocs = [str(BIN / "mkdocs"), "build", "--site-dir", "site"]
    pairs: list[tuple[Measure, Measure]] = []
    for run in range(runs):
        a = timed(mkdocs, gongkai)
        b = timed(mkdocs, baseline)
        pairs.append((a, b))
        print(f"  N={count} run {run + 1}: gongkai {a.seconds:.1f} s {a.peak_mib:.0f} MiB | "
              f"baseline {b.seconds:.1f} s {b.peak_mib:.0f} MiB | "
              f"ratio {a.seconds / b.seconds:.2f}", flush=True)
    site = gongkai / "site"
    catalogue = site / "catalogue" / "index.html"
    search = search_bytes(site)
    return {
        "count": count,
        "pairs": pairs,
        "check": best_of([str(BIN / "gongkai"), "check"], gongkai),
        "report": best_of([str(BIN / "gongkai"), "report", "--year", "2025"], gongkai),
        "site_mib": folder_bytes(site) / 2**20,
        "baseline_site_mib": folder_bytes(baseline / "site") / 2**20,
        "catalogue_kib": catalogue.stat().st_size / 1024,
        "search_kib": None if search is None else (search[0] / 1024, search[1] / 1024),
    }


def table(results: list[dict[str, object]], runs: int) -> str:
    lines = [
        (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; {runs} alternating runs per size; "
        f"measured {time.strftime('%Y-%m-%d')}."),
        "",
        ("| N | gongkai build (s) | baseline build (s) | time a/b per run | median a/b | "
        "gongkai peak (MiB) | baseline peak (MiB) | check (s) | report (s) | site (MiB) | "
        "catalogue p.1 (KiB) | one search query (KiB, raw / gzip) |"),
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for result in results:
        pairs = result["pairs"]
        assert isinstance(pairs, list)
        ratios = [a.seconds / b.seconds for a, b in pairs]
        search = result["search_kib"]
        lines.append(
            f"| {result['count']:,} | {statistics.median(a.seconds for a, _ in pairs):.1f} | "
            f"{statistics.median(b.seconds for _, b in pairs):.1f} | "
            f"{', '.join(f'{r:.2f}' for r in ratios)} | {statistics.median(ratios):.2f} | "
            f"{max(a.peak_mib for a, _ in pairs):.0f} | {max(b.peak_mib for _, b in pairs):.0f} | "
            f"{result['check']:.2f} | {result['report']:.2f} | {result['site_mib']:.0f} | "
            f"{result['catalogue_kib']:.0f} | "
            f"{'—' if search is None else f'{search[0]:.0f} / {search[1]:.0f}'} |"
        )
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
    args.out.write_text("# Benchmark results\n\nWritten by `make bench` "
                        "(bench/bench_build.py).\n\n" + text, "utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
