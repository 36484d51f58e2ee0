"""Build benchmark: gongkai against plain Material and Material with jieba, in one run.

For each corpus shape (generate.py: township, county) and each N it generates a deterministic
corpus of N site pages (every entry on the site's channel; drafts and future-dated entries on
top) and measures, over alternating runs:
  (a) the full gongkai build (`mkdocs build` with the gongkai hook, search index included);
  (b) plain Material building the same Markdown bodies as ordinary pages kept out of the nav,
      with its default search (which does not segment Chinese);
  (c) the same with Material's Chinese search: `plugins: [search: {lang: zh}]` and jieba
      installed (the `bench` extra), which segments every page with jieba while building;
the time of each and the peak memory of each one's whole process tree. Then `gongkai check`
and `gongkai report` (best of 3, wall and CPU), the output size, the HTML size of the
catalogue's first page, what a browser fetches for a first and a further search query
(measure.py: whatever the engine, everything the search page fetches beyond the theme every
page shares), the search-quality table (bench_quality.py) up to --quality-up-to, and Pagefind
1.5.2 on the same entry pages as the reference (bench_pagefind.py) at --pagefind-sizes.

Writes bench/RESULTS.md (its other scripts add their sections after). Defaults are what
`make bench` runs; the 30,000-page builds run once (--one-run-from).

Usage: python bench/bench_build.py [--sizes 1000,10000,30000] [--shapes township,county]
       [--runs 3] [--one-run-from 30000] [--jieba-runs 1] [--jieba-up-to 10000]
       [--quality-up-to 10000] [--pagefind-sizes 10000] [--mixed] [--out bench/RESULTS.md]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pagefind import DEFAULT_GLOB, PagefindResult, pagefind_reference, summary
from bench_quality import QueryQuality, quality_table, search_quality, served
from generate import SHAPES, with_site_publisher, write_corpus
from measure import (
    ENV,
    CommandTime,
    Measure,
    QueryBytes,
    best_of,
    browser_available,
    chromium,
    search_costs,
    shared_files,
    timed,
)

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# Topics staff and residents look for; search_queries adds one 索引号 of the corpus.
TOPIC_QUERIES = ["危房改造", "低保", "防汛抗旱", "政府采购", "森林防火", "公益性岗位", "宅基地审批"]
QUERY_COUNT = len(TOPIC_QUERIES) + 1
KINDS = ("gongkai", "plain", "jieba")
LABELS = {"gongkai": "gongkai", "plain": "plain Material", "jieba": "Material + jieba"}
KIB = 1024


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


def make_baseline_project(root: Path, gongkai_project: Path, kind: str) -> Path:
    """The same bodies gongkai publishes as pages (the site's channel), as plain pages with a
    title, out of the nav; `plain`: Material's default search; `jieba`: its Chinese search."""
    project = root / f"baseline-{kind}"
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
    search = "plugins:\n  - search:\n      lang: zh\n" if kind == "jieba" else ""
    (project / "mkdocs.yml").write_text(
        "site_name: 基线\ntheme:\n  name: material\n  language: zh\n  font: false\n"
        f"{search}nav:\n  - 首页: index.md\nnot_in_nav: |\n  /p/\n", "utf-8")
    return project


def jieba_installed() -> bool:
    return importlib.util.find_spec("jieba") is not None


def without_jieba(root: Path) -> dict[str, str]:
    """The environment for the plain baseline: Material's search plugin uses jieba whenever
    it can import it, so a module of that name that cannot be imported shadows the real one."""
    shadow = root / "no-jieba"
    (shadow / "jieba").mkdir(parents=True, exist_ok=True)
    (shadow / "jieba" / "__init__.py").write_text(
        'raise ImportError("jieba hidden: this baseline is Material\'s default search")\n')
    return {**ENV, "PYTHONPATH": os.pathsep.join(
        [str(shadow), *filter(None, [ENV.get("PYTHONPATH")])])}


def search_queries(project: Path) -> list[str]:
    """TOPIC_QUERIES and one 索引号 on the site: the site's own 7th of 2021 when there is one
    (000014349/2021-00007 in the township shape, as in earlier runs), else the first of 2021."""
    org_code = re.search(r"org_code: '(.*)'", (project / "mkdocs.yml").read_text("utf-8"))
    numbers = []
    for path in sorted((project / "disclosures" / "2021").glob("*.md")):
        front = path.read_text("utf-8").split("---\n", 2)[1]
        number = re.search(r"^index_no: (.*)$", front, re.MULTILINE)
        if number and re.search(r"^channels: \[.*\bwebsite\b", front, re.MULTILINE) \
                and "draft: true" not in front:
            numbers.append(number.group(1))
    preferred = f"{org_code.group(1) if org_code else ''}/2021-00007"
    return TOPIC_QUERIES + [preferred if preferred in numbers else numbers[0]]


def folder_bytes(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def search_bytes(site: Path, queries: list[str]) -> tuple[list[QueryBytes], dict[str, int]] | None:
    """What the search page fetches for each of `queries`, as a first query of a visit
    and as a further one (measure.py), the site served under a sub-path by a server that
    answers Range requests as nginx does (bench_quality.served); and the theme files left out
    (every page fetches them: the home page did)."""
    if not browser_available():
        return None

    def ask(page: Any, query: str) -> str:
        page.goto(f"{base}search/?q={quote(query)}")
        return answered(page)

    def ask_again(page: Any, query: str) -> str:
        page.evaluate("""(query) => {
          document.body.dataset.gkState = "asked";
          document.getElementById("gk-q").value = query;
          document.getElementById("gk-search").requestSubmit();
        }""", query)
        return answered(page)

    def answered(page: Any) -> str:
        page.wait_for_selector("body[data-gk-state=done], body[data-gk-state=error]",
                               timeout=120000)
        page.wait_for_load_state("networkidle")
        return page.inner_text("#gk-search-status").strip()

    with served(site) as base, chromium() as browser:
        shared = shared_files(browser, base)
        costs = search_costs(browser, queries, ask, ask_again, frozenset(shared))
        return costs, {url.removeprefix(base): size for url, size in shared.items()}


@dataclass
class SizeResult:
    shape: str
    count: int
    pages: int
    """Entry pages in gongkai's site."""
    runs: list[dict[str, Measure]] = field(default_factory=list)
    check: CommandTime | None = None
    """With the cache the runs before left (a repeated check, as in a pre-commit hook)."""
    report: CommandTime | None = None
    check_cold: CommandTime | None = None
    """With --cache-dir deleted before each run (a fresh clone, CI)."""
    report_cold: CommandTime | None = None
    site_mib: float = 0.0
    catalogue_kib: float = 0.0
    search: list[QueryBytes] | None = None
    theme_kib: float = 0.0
    """Gzipped files every page fetches (the home page did): not counted in a query."""
    quality: list[QueryQuality] | None = None
    pagefind: PagefindResult | None = None

    @property
    def label(self) -> str:
        return f"{self.count:,} {self.shape}"

    def seconds(self, kind: str) -> list[float]:
        return [run[kind].seconds for run in self.runs if kind in run]

    def ratios(self, kind: str) -> list[float]:
        """gongkai's time over `kind`'s, pair by pair (runs in which both were built)."""
        return [run["gongkai"].seconds / run[kind].seconds for run in self.runs if kind in run]

    def peak(self, kind: str) -> float | None:
        peaks = [run[kind].peak_mib for run in self.runs if kind in run]
        return max(peaks) if peaks else None

    def peak_pss(self, kind: str) -> float | None:
        peaks = [run[kind].peak_pss_mib for run in self.runs if kind in run]
        return max(peaks) if peaks else None


def bench_size(shape: str, count: int, root: Path, args: argparse.Namespace) -> SizeResult:
    started = time.perf_counter()

    def say(text: str) -> None:  # with the minutes so far: where a long run spends its time
        print(f"  [{(time.perf_counter() - started) / 60:4.1f} min] {text}", flush=True)

    print(f"{shape} N={count}: generating corpus …", flush=True)
    gongkai = make_gongkai_project(root, count, shape=shape, site_only=not args.mixed)
    with_jieba = "jieba" in args.baselines and jieba_installed() and count <= args.jieba_up_to
    if "jieba" in args.baselines and not jieba_installed():
        say("jieba is not installed (pip install -e '.[bench]'): no jieba baseline")
    projects = {"gongkai": gongkai, "plain": make_baseline_project(root, gongkai, "plain")}
    if with_jieba:
        projects["jieba"] = make_baseline_project(root, gongkai, "jieba")
    envs = {"gongkai": ENV, "plain": without_jieba(root), "jieba": ENV}
    mkdocs = [str(BIN / "mkdocs"), "build", "--site-dir", "site"]
    runs = args.runs if count < args.one_run_from else 1
    result = SizeResult(shape, count, 0)
    for run in range(runs):
        measured = {}
        for kind, project in projects.items():
            if kind == "jieba" and run >= args.jieba_runs:
                continue
            measured[kind] = timed(mkdocs, project, envs[kind])
        result.runs.append(measured)
        say(f"{shape} N={count} run {run + 1}: " + " | ".join(
            f"{kind} {m.seconds:.1f} s {m.peak_mib:.0f} MiB" for kind, m in measured.items())
            + f" | gongkai/plain {measured['gongkai'].seconds / measured['plain'].seconds:.2f}")
    for kind in ("plain", "jieba"):
        shutil.rmtree(projects.get(kind, root / "none"), ignore_errors=True)
    site = gongkai / "site"
    result.pages = len(list(site.glob(args.entry_glob)))
    result.site_mib = folder_bytes(site) / 2**20
    result.catalogue_kib = (site / "catalogue" / "index.html").stat().st_size / KIB
    check, report = [str(BIN / "gongkai"), "check"], [str(BIN / "gongkai"), "report", "--year",
                                                      "2025"]
    cache = gongkai / args.cache_dir
    result.check_cold = best_of(check, gongkai, forget=cache)
    result.report_cold = best_of(report, gongkai, forget=cache)
    result.check = best_of(check, gongkai)
    result.report = best_of(report, gongkai)
    say(f"check {result.check_cold.wall:.2f} s without cache, {result.check.wall:.2f} s with; "
        f"report {result.report_cold.wall:.2f} / {result.report.wall:.2f} s; "
        f"{result.pages:,} entry pages")
    queries = search_queries(gongkai)
    if searched := search_bytes(site, queries):
        result.search, theme = searched
        result.theme_kib = sum(theme.values()) / KIB
        say(f"search bytes measured; left out as the shared theme: {len(theme)} files, "
            f"{result.theme_kib:.0f} KiB: {', '.join(sorted(theme))}")
    if result.search is not None and count <= args.quality_up_to:
        result.quality = search_quality(gongkai, site)
        say("search quality measured")
    if count in args.pagefind_sizes:
        result.pagefind = pagefind_reference(site, queries, args.entry_glob)
        say(summary(result.pagefind))
    return result


def _median_max(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} / {max(values):.0f}" if values else "—"


def _ratios(values: list[float]) -> str:
    return (f"{statistics.median(values):.2f} ({', '.join(f'{r:.2f}' for r in values)})"
            if values else "—")


def _seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.1f}" if values else "—"


def _mib(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "—"


def _command(timing: CommandTime | None) -> str:
    if timing is None:
        return "—"
    failed = "" if timing.returncode == 0 else f" (**exit {timing.returncode}**)"
    return f"{timing.wall:.2f} / {timing.cpu:.2f}{failed}"


def _kib(queries: list[QueryBytes] | None, part: str) -> list[float]:
    return [getattr(q, part) / KIB for q in queries or []]


def build_table(results: list[SizeResult]) -> list[str]:
    lines = [
        ("| corpus | entry pages | gongkai (s) | plain Material (s) | gongkai / plain: median "
        "(runs) | Material + jieba (s) | gongkai / jieba | gongkai peak (MiB) | gongkai peak, "
        "proportional (MiB) | plain peak (MiB) | jieba peak (MiB) | gongkai / plain, cleanup "
        "counted in |"),
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        cleanup = [(run["gongkai"].seconds + run["gongkai"].cleanup_seconds)
                   / run["plain"].seconds for run in r.runs]
        lines.append(
            f"| {r.label} | {r.pages:,} | {_seconds(r.seconds('gongkai'))} | "
            f"{_seconds(r.seconds('plain'))} | {_ratios(r.ratios('plain'))} | "
            f"{_seconds(r.seconds('jieba'))} | {_ratios(r.ratios('jieba'))} | "
            f"{_mib(r.peak('gongkai'))} | {_mib(r.peak_pss('gongkai'))} | "
            f"{_mib(r.peak('plain'))} | {_mib(r.peak('jieba'))} | "
            f"{statistics.median(cleanup):.2f} |")
    return lines


def commands_table(results: list[SizeResult]) -> list[str]:
    lines = [
        ("| corpus | check, no cache: wall / CPU (s) | check, cache: wall / CPU (s) | report, "
         "no cache | report, cache | site (MiB) | catalogue p.1 (KiB) | first query (KiB, "
         "median / max) | further query (KiB, median / max) | theme every page loads, not "
         "counted (KiB) |"),
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.label} | {_command(r.check_cold)} | {_command(r.check)} | "
            f"{_command(r.report_cold)} | {_command(r.report)} | {r.site_mib:,.0f} | "
            f"{r.catalogue_kib:.0f} | {_median_max(_kib(r.search, 'first'))} | "
            f"{_median_max(_kib(r.search, 'further'))} | {r.theme_kib:.0f} |")
    return lines


def pagefind_table(results: list[SizeResult]) -> list[str]:
    lines = [
        ("| corpus | pages Pagefind indexed | Pagefind alone (s) | Pagefind peak (MiB) | "
         "gongkai's whole build peak (MiB) | first query (KiB, median / max): Pagefind | "
         "gongkai | further query: Pagefind | gongkai |"),
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        if r.pagefind is None:
            continue
        if r.pagefind.failed:
            lines.append(f"| {r.label} | failed: {r.pagefind.failed} | | | | | | | |")
            continue
        reference = r.pagefind.queries
        lines.append(
            f"| {r.label} | {r.pagefind.pages:,} | {r.pagefind.build.seconds:.1f} | "
            f"{r.pagefind.build.peak_mib:,.0f} | {_mib(r.peak('gongkai'))} | "
            f"{_median_max(_kib(reference, 'first'))} | {_median_max(_kib(r.search, 'first'))} | "
            f"{_median_max(_kib(reference, 'further'))} | "
            f"{_median_max(_kib(r.search, 'further'))} |")
    return lines if len(lines) > 2 else []


def _goal(lines: list[str], goal: str, corpus: str, measured: str, met: bool) -> None:
    lines.append(f"| {goal} | {corpus} | {measured} | {'met' if met else '**missed**'} |")


def goals_table(results: list[SizeResult]) -> list[str]:
    """Issue 17's goals, each checked against this run's figures (only those it measured)."""
    lines = ["| goal | corpus | measured | |", "|---|---|---|---|"]
    by_size = {(r.shape, r.count): r for r in results}
    for r in results:
        if r.count == 10_000 and r.runs:
            ratio = statistics.median(r.ratios("plain"))
            _goal(lines, "build ≤ 1.0× plain Material (median)", r.label, f"{ratio:.2f}×",
                  ratio <= 1.0)
        if r.count in (10_000, 30_000):
            peak = r.peak("gongkai") or 0.0
            _goal(lines, "peak memory ≤ 1 GiB", r.label, f"{peak:,.0f} MiB", peak <= 1024)
            budget = 1.0 if r.count == 10_000 else 3.0
            for name, cached, timing in (
                    ("check", "no cache", r.check_cold), ("check", "cache", r.check),
                    ("report", "no cache", r.report_cold), ("report", "cache", r.report)):
                if timing is not None:
                    _goal(lines, f"`gongkai {name}` ≤ {budget:.0f} s ({cached})", r.label,
                          f"{timing.wall:.2f} s (CPU {timing.cpu:.2f} s)",
                          timing.wall <= budget and timing.returncode == 0)
        smaller = by_size.get((r.shape, 10_000))
        if r.count == 30_000 and smaller is not None:
            growth = (r.peak("gongkai") or 0.0) / (smaller.peak("gongkai") or 1.0)
            _goal(lines, "memory growth 10k → 30k sub-linear (< 3×)", r.shape,
                  f"{growth:.2f}×", growth < 3)
        if r.count == 10_000 and r.search:
            first, further = _kib(r.search, "first"), _kib(r.search, "further")
            _goal(lines, "first query ≤ 200 KiB median", r.label,
                  f"{statistics.median(first):.0f} KiB", statistics.median(first) <= 200)
            _goal(lines, "first query ≤ 300 KiB max", r.label, f"{max(first):.0f} KiB",
                  max(first) <= 300)
            _goal(lines, "further query ≤ 100 KiB median", r.label,
                  f"{statistics.median(further):.0f} KiB", statistics.median(further) <= 100)
        if r.quality:
            worst_precision = min(q.precision for q in r.quality)
            worst_recall = min(q.recall for q in r.quality)
            _goal(lines, "precision@20 and recall ≥ 0.95 for every query", r.label,
                  f"worst {worst_precision:.2f} / {worst_recall:.2f}",
                  min(worst_precision, worst_recall) >= 0.95)
        reference = r.pagefind
        if reference and not reference.failed and r.search and reference.queries:
            peak = r.peak("gongkai") or 0.0
            _goal(lines, "whole build peak below Pagefind's alone", r.label,
                  f"{peak:,.0f} vs {reference.build.peak_mib:,.0f} MiB",
                  peak < reference.build.peak_mib)
            for part in ("first", "further"):
                ours = statistics.median(_kib(r.search, part))
                theirs = statistics.median(_kib(reference.queries, part))
                _goal(lines, f"{part} query smaller than Pagefind's (median)", r.label,
                      f"{ours:.0f} vs {theirs:.0f} KiB", ours < theirs)
    return lines if len(lines) > 2 else []


def query_details(results: list[SizeResult]) -> list[str]:
    lines = [("| corpus | query | first query (KiB) | further query (KiB) | Pagefind first / "
             "further (KiB) | what the page said |"), "|---|---|---|---|---|---|"]
    for r in results:
        reference = {q.query: q for q in (r.pagefind.queries or [])} if r.pagefind else {}
        for q in r.search or []:
            other = reference.get(q.query)
            pagefind = f"{other.first / KIB:.0f} / {other.further / KIB:.0f}" if other else "—"
            lines.append(f"| {r.label} | {q.query} | {q.first / KIB:.0f} | "
                         f"{q.further / KIB:.0f} | {pagefind} | {q.said} |")
    return lines if len(lines) > 2 else []


def growth_lines(results: list[SizeResult]) -> list[str]:
    lines = []
    for shape in SHAPES:
        sized = sorted((r for r in results if r.shape == shape and r.runs), key=lambda r: r.count)
        for small, large in itertools.pairwise(sized):
            growth = (statistics.median(large.seconds("gongkai"))
                      / statistics.median(small.seconds("gongkai")))
            lines.append(f"- {shape}: build time N={large.count:,} / N={small.count:,}: "
                         f"{growth:.1f}× for {large.count / small.count:.0f}× the pages.")
    return lines


def report(results: list[SizeResult], args: argparse.Namespace) -> str:
    channel_mix = ("the township channel mix (about a quarter of the entries on the site)"
                   if args.mixed else "every entry on the site's channel, so N is the number "
                   "of site pages (drafts and future-dated entries, ~1.5%, on top)")
    jieba = (f"the jieba baseline in the first {args.jieba_runs} run(s), up to "
             f"{args.jieba_up_to:,} pages" if "jieba" in args.baselines and jieba_installed()
             else "no jieba baseline")
    sections = [
        (f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
         f"Python {platform.python_version()}, load average before the run "
         f"{args.load_before}; measured {time.strftime('%Y-%m-%d %H:%M')}. Runs: "
         f"{args.runs} alternating per size below {args.one_run_from:,}, one above; "
         f"{jieba}. Corpora: bench/generate.py, {channel_mix}."),
        ("Times are wall-clock seconds; ratios are gongkai's time over the baseline's, pair by "
         "pair, with their median. Peak memory is the largest sum of resident memory over a "
         "build's processes at one moment, sampled every 0.2 s. check and report: best of 3, "
         "wall and CPU, with the project's cache deleted before each run and with it kept. "
         "Search: KiB a visitor's browser fetches to answer a query, gzipped as "
         "a server would send them, beyond the theme files every page shares (measure.py); "
         f"median / max over {QUERY_COUNT} queries with an empty cache; a further "
         "query is the second of a visit. bench/README.md explains each figure and goal."),
        "## Issue 17's goals in this run",
        *(goals_table(results) or ["(None measured: the goals are at 10,000 and 30,000 pages.)"]),
        "## Build: time and memory", *build_table(results),
        "## Commands, output and search bytes", *commands_table(results),
    ]
    if reference := pagefind_table(results):
        sections += ["## Pagefind 1.5.2 on the same entry pages (bench_pagefind.py)", *reference]
    if growth := growth_lines(results):
        sections += ["## Growth", *growth]
    if details := query_details(results):
        sections += ["## Each query (KiB, gzipped)", *details]
    quality = [(r.label, q) for r in results for q in r.quality or []]
    if quality:
        sections += ["## Search quality (bench/bench_quality.py)",
                     ("relevant = published notices whose title, 内容概述, body, 索引号 or 文号 "
                      "contains the query; precision of the search page's first 20 results and "
                      "recall of its whole list."), quality_table(quality)]
    text = ""
    for section in sections:
        # A table's rows stay together; anything else is a paragraph of its own.
        glue = "" if section.startswith("|") and text.endswith("|\n") else "\n"
        text += (glue if text else "") + section.rstrip("\n") + "\n"
    return text


def _numbers(text: str) -> list[int]:
    return [int(size) for size in text.split(",") if size.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=_numbers, default=[1000, 10000, 30000])
    parser.add_argument("--shapes", type=lambda text: text.split(","),
                        default=["township", "county"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--one-run-from", type=int, default=30000,
                        help="sizes from this one up are built once")
    parser.add_argument("--baselines", type=lambda text: text.split(","),
                        default=["plain", "jieba"])
    parser.add_argument("--jieba-runs", type=int, default=1,
                        help="runs that build the jieba baseline too (it is the slowest)")
    parser.add_argument("--jieba-up-to", type=int, default=10000,
                        help="the largest size with a jieba baseline (at 30,000 county pages "
                             "jieba alone takes minutes)")
    parser.add_argument("--quality-up-to", type=int, default=10000)
    parser.add_argument("--pagefind-sizes", type=_numbers, default=[10000])
    parser.add_argument("--entry-glob", default=DEFAULT_GLOB,
                        help="gongkai's entry pages in the built site")
    parser.add_argument("--cache-dir", default=".gongkai-cache",
                        help="the project's cache folder, deleted before each cold check/report")
    parser.add_argument("--mixed", action="store_true",
                        help="the township channel mix instead of every entry on the site")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "RESULTS.md")
    args = parser.parse_args()
    unknown = set(args.shapes) - set(SHAPES)
    if unknown:
        parser.error(f"unknown shape {', '.join(sorted(unknown))}: one of {', '.join(SHAPES)}")
    args.load_before = ", ".join(f"{load:.1f}" for load in os.getloadavg())
    results = []
    with tempfile.TemporaryDirectory(prefix="gongkai-bench-") as temp:
        for shape in args.shapes:
            for count in args.sizes:
                folder = Path(temp) / f"{shape}-{count}"
                results.append(bench_size(shape, count, folder, args))
                shutil.rmtree(folder)
    text = report(results, args)
    print("\n" + text)
    args.out.write_text("# Benchmark results\n\nWritten by `make bench` (bench/bench_build.py "
                        "and, in their sections, bench_attachments.py and bench_preview.py); "
                        "bench/README.md says what each figure means.\n\n" + text, "utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
