"""Benchmark of the channel statistics (issue 3) on 10,000 generated entries.

A script, not a test: it prints figures against a baseline measured in the same run.

1. `gongkai report --year 2025` as a subprocess (the installed command), best of N runs.
   Target: at most 1 s.
2. One real `mkdocs build` of the same project, in this process, with the statistics
   functions (counting, the 公开统计 page's Markdown and its conversion to HTML, writing the
   JSON and CSV) timed inside it. Their share of the build is printed. Target: at most 5 %.
3. The same statistics functions timed on their own against the already-read corpus.

Usage (from the project folder):  .venv/bin/python bench/bench_report.py [--entries 10000]
[--runs 3] [--keep DIR] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import os
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import add_corpus_options, with_site_publisher, write_corpus

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-01-05"


def make_project(folder: Path, entries: int, shape: str = "township",
                 site_only: bool = False) -> Path:
    """The site (mkdocs.yml, docs/, hooks/) with `entries` disclosures from bench/generate.py,
    its publisher and organisation code the corpus's."""
    shutil.copytree(REPO, folder, ignore=shutil.ignore_patterns(
        ".git", ".venv", "site", "site.*", "disclosures", "tests", "bench", "__pycache__",
        "*.egg-info", ".pytest_cache", ".ci",
    ))
    site = write_corpus(folder / "disclosures", entries, shape=shape, site_only=site_only)
    config = folder / "mkdocs.yml"
    config.write_text(with_site_publisher(config.read_text("utf-8"), site), "utf-8")
    return folder


def _command() -> list[str]:
    installed = Path(sys.executable).with_name("gongkai")
    return [str(installed)] if installed.exists() else [sys.executable, "-m", "gongkai.cli"]


def time_report(project: Path, runs: int) -> list[float]:
    env = {**os.environ, "GONGKAI_TODAY": TODAY}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([*_command(), "report", "--year", "2025"], cwd=project, env=env,
                                capture_output=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"gongkai report failed:\n{result.stderr.decode()}")
    print(f"  output: {result.stdout.decode().strip()}")
    return times


class _Stopwatch:
    """Wraps functions so that the time spent inside them during a build is added up."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
        return timed


def time_build(project: Path) -> tuple[float, dict[str, float]]:
    """One real build in this process; returns its time and the statistics functions' times."""
    os.environ["GONGKAI_TODAY"] = TODAY
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from gongkai import plugin, urls
    from gongkai.pagekinds import statistics_page

    watch = _Stopwatch()
    plugin.count_years = watch.wrap("count_years", plugin.count_years)
    statistics_page.stats_page = watch.wrap("stats page Markdown", statistics_page.stats_page)
    statistics_page.site_files = watch.wrap("JSON + CSV", statistics_page.site_files)
    # The conversion of the 公开统计 page to HTML is the statistics' share of MkDocs' own work.
    from mkdocs.structure.pages import Page
    original_render = Page.render

    def render(self: Page, config: Any, files: Any) -> None:
        if self.file.src_uri == urls.STATS_PAGE_URI:
            watch.wrap("stats page → HTML", original_render)(self, config, files)
        else:
            original_render(self, config, files)

    Page.render = render  # type: ignore[method-assign]
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    start = time.perf_counter()
    build(config)
    total = time.perf_counter() - start
    Page.render = original_render  # type: ignore[method-assign]
    return total, watch.seconds


def time_functions(project: Path, runs: int) -> dict[str, float]:
    """The statistics functions alone, best of `runs`, on a corpus read beforehand."""
    import markdown

    from gongkai.config import read_project_config
    from gongkai.corpus import load_corpus
    from gongkai.pagekinds.statistics_page import site_files, stats_page
    from gongkai.statistics import count_years
    from gongkai.stats_formats import generated_timestamp

    config = read_project_config(project)
    published = load_corpus(project, config).published(dt.date.fromisoformat(TODAY))
    today = dt.date.fromisoformat(TODAY)
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as out:
        for _ in range(runs):
            start = time.perf_counter()
            years = count_years(published, config, today)
            counted = time.perf_counter()
            page = stats_page(years, config, today)
            markdown.markdown(page, extensions=["tables", "attr_list", "md_in_html", "toc"])
            paged = time.perf_counter()
            for uri, content in site_files(years, config, generated_timestamp()).items():
                target = Path(out) / uri
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(content.encode("utf-8") if isinstance(content, str)
                                   else content)
            written = time.perf_counter()
            for name, seconds in (("count_years", counted - start), ("page", paged - counted),
                                  ("JSON + CSV", written - paged)):
                best[name] = min(best.get(name, seconds), seconds)
    return best


def profile_report(project: Path) -> None:
    """Where `gongkai report` spends its time, in this process."""
    from gongkai.cli import main

    previous = Path.cwd()
    os.chdir(project)
    profiler = cProfile.Profile()
    # The command's own output (stdout and the notes on stderr) is not what is measured here.
    stdout, sys.stdout = sys.stdout, io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    stderr, sys.stderr = sys.stderr, io.StringIO()
    try:
        profiler.runcall(main, ["report", "--year", "2025"])
    finally:
        sys.stdout, sys.stderr = stdout, stderr
        os.chdir(previous)
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).sort_stats("tottime").print_stats(12)
    print(stream.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--profile", action="store_true", help="cProfile gongkai report")
    add_corpus_options(parser)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary) / "project"
        if folder.exists():
            shutil.rmtree(folder)
        start = time.perf_counter()
        project = make_project(folder, args.entries, args.shape, args.site_only)
        print(f"Generated {args.entries} entries in {time.perf_counter() - start:.1f} s "
              f"({project})")

        print(f"\n1. gongkai report --year 2025 (subprocess, {args.runs} runs)")
        times = time_report(project, args.runs)
        verdict = "OK" if min(times) <= 1.0 else "SLOWER THAN TARGET"
        print(f"  best {min(times):.3f} s, runs {', '.join(f'{t:.3f}' for t in times)} "
              f"(target ≤ 1 s: {verdict})")
        if args.profile or min(times) > 1.0:
            profile_report(project)

        print("\n2. The statistics functions on their own (best of "
              f"{args.runs}, corpus already read)")
        alone = time_functions(project, args.runs)
        for name, seconds in alone.items():
            print(f"  {name:<22} {seconds * 1000:8.1f} ms")
        print(f"  {'sum':<22} {sum(alone.values()) * 1000:8.1f} ms")

        print("\n3. One full `mkdocs build` with the statistics timed inside it")
        total, inside = time_build(project)
        stats_seconds = sum(inside.values())
        for name, seconds in inside.items():
            print(f"  {name:<22} {seconds * 1000:8.1f} ms")
        baseline = total - stats_seconds
        ratio = stats_seconds / baseline
        print(f"  build total {total:.2f} s; without the statistics {baseline:.2f} s; "
              f"statistics add {ratio:.2%} (target ≤ 5 %: "
              f"{'OK' if ratio <= 0.05 else 'OVER TARGET'})")


if __name__ == "__main__":
    main()
