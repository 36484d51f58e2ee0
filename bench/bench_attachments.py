"""Benchmark of attachments in `gongkai check`: first inspection, and the repeated check.

A script, not a test: it writes bench/generate.py's entries (10,000 by default) and gives
the first 1,000 of them two attachments each — 2,000 files of PDF, XLSX, DOCX, CSV, JPEG and
PNG in turn, each with text of its own, made deterministically with the libraries offices use.
Then it runs the real `gongkai check`: once with no cache (every file inspected), and three
times more with the cache `.gongkai-cache/` that first run left (nothing changed).

    .venv/bin/python bench/bench_attachments.py [--entries 10000 --files 2000] [--shape county]
        [--site-only] [--out bench/RESULTS.md]

Prints the figures and writes them into bench/RESULTS.md (its own section).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from attachment_files import docx, jpeg_with_gps, paragraph, pdf, png_with_text, xlsx
from bench_check import BUDGET_SECONDS, RUNS, _children_cpu, best_time, write_project
from generate import add_corpus_options
from results import RESULTS, write_section

WORDS = ["预算", "决算", "补贴", "名单", "公示", "项目", "资金", "农户", "道路", "水利", "村社", "面积"]


def _text(rng: random.Random, number: int) -> str:
    return f"附件{number}：" + "".join(rng.choice(WORDS) for _ in range(12)) + f"，金额{rng.randint(1, 9999)}.5万元"


def make_file(kind: str, rng: random.Random, number: int) -> bytes:
    text = _text(rng, number)
    if kind == "pdf":
        return pdf([text, _text(rng, number + 1)])
    if kind == "xlsx":
        return xlsx({"表1": [["项目", "金额"], *[[_text(rng, number), rng.randint(1, 999)]
                                                for _ in range(20)]]})
    if kind == "docx":
        return docx("".join(paragraph(_text(rng, number)) for _ in range(10)))
    if kind == "csv":
        return "\n".join(f"{_text(rng, number)},{rng.randint(1, 999)}" for _ in range(50)).encode()
    if kind == "jpg":
        return jpeg_with_gps((rng.randint(32, 96), rng.randint(32, 96)))
    return png_with_text()


KINDS = ("pdf", "xlsx", "docx", "csv", "jpg", "png")


def add_attachments(project: Path, files: int) -> None:
    rng = random.Random(13)
    entries = sorted((project / "disclosures").rglob("*.md"))[: (files + 1) // 2]
    number = 0
    for entry in entries:
        folder = entry.with_suffix("")
        folder.mkdir()
        names = []
        for _ in range(2):
            if number >= files:
                break
            kind = KINDS[number % len(KINDS)]
            name = f"附件{number:04d}.{kind}"
            (folder / name).write_bytes(make_file(kind, rng, number))
            names.append(f"{folder.name}/{name}")
            number += 1
        text = entry.read_text("utf-8")
        entry.write_text(text.replace("---\n", f"---\nattachments: [{', '.join(names)}]\n", 1),
                         "utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=2_000)
    parser.add_argument("--out", type=Path, default=RESULTS)
    add_corpus_options(parser)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-attachments-"))
    try:
        project = work / "full"
        write_project(project, args.entries, args.shape, args.site_only)
        plain, plain_cpu, _ = best_time(project, cached=True)
        started = time.perf_counter()
        add_attachments(project, args.files)
        made = time.perf_counter() - started
        size = sum(path.stat().st_size for path in (project / "disclosures").rglob("附件*"))
        cpu, started = _children_cpu(), time.perf_counter()
        first = subprocess.run([sys.executable, "-m", "gongkai.cli", "check"], cwd=project,
                               capture_output=True, text=True, check=False)
        cold, cold_cpu = time.perf_counter() - started, _children_cpu() - cpu
        if first.returncode != 0:
            print(first.stdout[-3000:], first.stderr[-2000:], sep="\n")
            print("gongkai check reported problems on the generated attachments")
            return 1
        warm, warm_cpu, _ = best_time(project, cached=True)
        inspecting = cold_cpu - warm_cpu

        def verdict(seconds: float) -> str:
            return "met" if seconds <= BUDGET_SECONDS else "**missed**"

        corpus = f"{args.shape}{', every entry on the site' if args.site_only else ''}"
        section = "\n".join([
            f"## Attachments (issue 13): repeated `gongkai check`, {args.entries:,} entries",
            "",
            (f"Written by bench/bench_attachments.py on {time.strftime('%Y-%m-%d')}: "
             f"{args.entries:,} generated entries ({corpus}), {args.files:,} attachments "
             f"({size / 2**20:.1f} MiB of PDF, XLSX, DOCX, CSV, JPEG, PNG; made in {made:.0f} s). "
             f"Budget for the repeated check: {BUDGET_SECONDS:.0f} s."),
            "",
            "| | wall (s) | CPU (s) | |",
            "|---|---|---|---|",
            (f"| check, same entries without attachments (best of {RUNS}) | {plain:.3f} | "
            f"{plain_cpu:.3f} | |"),
            (f"| first check, every file inspected | {cold:.2f} | {cold_cpu:.2f} | "
            f"{args.files / inspecting:.0f} files/s (CPU beyond the repeated check's) |"),
            (f"| repeated check, nothing changed (best of {RUNS}) | {warm:.3f} | {warm_cpu:.3f} | "
            f"budget: {verdict(warm)} (wall), {verdict(warm_cpu)} (CPU); "
            f"{(warm_cpu - plain_cpu) / max(args.files, 1) * 1e6:.0f} µs CPU per attachment |"),
            "",
        ])
        print(section)
        write_section(args.out, "attachments", section)
        print(f"written to {args.out}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
