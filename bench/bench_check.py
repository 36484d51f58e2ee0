"""Benchmark of `gongkai check` at 10,000 entries: within 1 s, on the first run (issue 17).

A script, not a test: it writes a project with 10,000 realistic entries (bench/generate.py,
either shape) into a temp folder and runs the real command three times with the verdict
cache (`.gongkai-cache/`) deleted before each run — a fresh clone, CI: the goal figure — and
three times with the cache the runs before left (a repeated pre-commit check). It prints the
best of each next to a baseline measured in the same run: the same command on a project with
no entries, which is the cost of starting Python and reading the settings.

    .venv/bin/python bench/bench_check.py [--entries 10000] [--shape county] [--site-only]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import add_corpus_options, write_corpus
from gongkai.attachments import CACHE_FOLDER

REPO = Path(__file__).resolve().parent.parent
BUDGET_SECONDS = 1.0
"""At 10,000 entries; linear past it (3 s at 30,000)."""
RUNS = 3

MKDOCS_YML = """\
site_name: 基准测试
extra:
  disclosure:
    publisher: {publisher}
    org_code: "{org_code}"
"""


def write_project(root: Path, count: int, shape: str = "township", site_only: bool = False) -> None:
    """A project with `count` entries from bench/generate.py (tables of masked personal data,
    landlines, 文号, drafts and future-dated entries among them), of that shape."""
    root.mkdir(parents=True)
    site = write_corpus(root / "disclosures", count, shape=shape, site_only=site_only)
    (root / "mkdocs.yml").write_text(MKDOCS_YML.format(publisher=site.name, org_code=site.code),
                                     encoding="utf-8")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def best_time(project: Path, cached: bool) -> tuple[float, float, subprocess.CompletedProcess]:
    """Best wall-clock and best CPU time of RUNS runs of `gongkai check`, and the last result;
    without `cached`, the verdict cache is deleted before each run.

    CPU time is printed too because wall-clock time on a shared machine also counts the time
    other processes held the CPU."""
    walls, cpus = [], []
    for _ in range(RUNS):
        if not cached:
            shutil.rmtree(project / CACHE_FOLDER, ignore_errors=True)
        cpu, start = _children_cpu(), time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "gongkai.cli", "check"], cwd=project,
            capture_output=True, text=True, check=False,
        )
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return min(walls), min(cpus), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    add_corpus_options(parser)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    try:
        write_project(work / "empty", 0, args.shape)
        write_project(work / "full", args.entries, args.shape, args.site_only)
        baseline, baseline_cpu, _ = best_time(work / "empty", cached=False)
        elapsed, elapsed_cpu, result = best_time(work / "full", cached=False)
        again, again_cpu, _ = best_time(work / "full", cached=True)
        if result.returncode != 0:
            print(result.stdout[-2000:], result.stderr[-2000:], sep="\n")
            print("gongkai check reported problems on the generated entries: fix the generator")
            return 1
        print(f"gongkai check, {args.shape} shape, best of {RUNS}:")
        print(f"  no entries (startup baseline):  {baseline:.3f} s wall, {baseline_cpu:.3f} s CPU")
        print(f"  {args.entries} entries, no cache (goal): {elapsed:.3f} s wall, {elapsed_cpu:.3f} s "
              f"CPU ({(elapsed - baseline) / max(args.entries, 1) * 1e6:.0f} µs per entry after "
              "startup)")
        print(f"  {args.entries} entries, with the cache:  {again:.3f} s wall, {again_cpu:.3f} s CPU")
        budget = BUDGET_SECONDS * max(1.0, args.entries / 10_000)
        print(f"  budget {budget:.1f} s without the cache: {'met' if elapsed <= budget else 'MISSED'}")
        return 0 if elapsed <= budget else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
