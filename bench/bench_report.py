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
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-01-05"

VILLAGES = ["示例村", "样板社区", "东山村", "西河村", "南坪村", "北岭村", "青石村", "柳湾村"]
SUBJECTS = {
    "机构职能": ["镇人民政府机构职能", "镇领导班子分工调整", "便民服务中心办公时间"],
    "政策文件": ["农村建房管理办法", "危房改造补助实施细则", "集体经济组织管理办法"],
    "规划计划": ["年度重点工作计划", "国土空间规划（村庄规划）", "人居环境整治三年行动方案"],
    "重大决策": ["农村生活垃圾收运处置方案征求意见", "集镇停车管理方案"],
    "财政信息": ["部门预算", "部门决算", "三公经费预算"],
    "行政执法": ["行政处罚决定", "行政许可办理结果", "执法检查计划"],
    "民生保障": ["城乡低保对象名单", "特困供养人员名单", "临时救助发放情况"],
    "乡村振兴": ["耕地地力保护补贴发放", "农机购置补贴公示", "产业发展项目"],
    "重大建设项目": ["道路硬化工程", "饮水安全巩固提升工程", "河道综合治理工程"],
    "公共资源配置": ["工程招标公告", "中标候选人公示", "集体资产出租结果"],
    "应急管理": ["森林防火应急预案", "防汛抗旱应急预案", "地质灾害预警"],
    "人事信息": ["公益性岗位招聘公告", "拟聘用人员公示", "村干部任前公示"],
    "法治政府建设": ["法治政府建设年度报告", "普法责任清单"],
    "通知公告": ["停水通知", "疫苗接种通知", "征兵工作通告"],
}
# Channel sets and how often a township uses them (most items go out on the website).
CHANNEL_SETS = [
    (["website"], 30), (["website", "bulletin"], 15),
    (["website", "bulletin", "village_board"], 12),
    (["zwy", "broadcast"], 8), (["zwy"], 5), (["broadcast"], 4), (["bulletin"], 8),
    (["village_board"], 8), (["bulletin", "village_board"], 6), (["website", "wechat"], 4),
]
PARAGRAPH = (
    "根据《中华人民共和国政府信息公开条例》和上级有关要求，经镇党委会议研究，现将有关情况公开如下。"
    "请各村（社区）认真对照，抓好落实，如有疑问请在公示期内向镇人民政府反映。"
)


def _entry_text(number: int, rng: random.Random, year: int) -> str:
    category = rng.choice(list(SUBJECTS))
    subject = rng.choice(SUBJECTS[category])
    village = rng.choice(VILLAGES)
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))
    written = day - dt.timedelta(days=rng.randrange(0, 15))
    channels = rng.choices([c for c, _ in CHANNEL_SETS], [w for _, w in CHANNEL_SETS])[0]
    lines = [
        "---",
        f"title: 关于{village}{year}年{subject}的公告（第{number}号）",
        f"date: {day.isoformat()}",
        f"category: {category}",
        f"channels: [{', '.join(channels)}]",
        f"index_no: 11500230MB0000000X/{year}-{number:05d}",
        f"written: {written.isoformat()}",
        f"tags: [{village}, {category}]",
    ]
    if rng.random() < 0.4:
        lines.append(f"doc_no: 示例府发〔{year}〕{number % 200 + 1}号")
    if rng.random() < 0.3:
        lines.append(f"summary: {village}{subject}，公示期7个工作日。")
    if rng.random() < 0.01:
        lines.append("draft: true")
    body = "\n\n".join(PARAGRAPH for _ in range(rng.randint(2, 6)))
    if rng.random() < 0.3:
        rows = "\n".join(f"| {v} | 某某 | {rng.randint(1, 5)} |" for v in VILLAGES[:4])
        body += f"\n\n| 村（社区） | 姓名 | 人数 |\n|---|---|---|\n{rows}"
    return "\n".join([*lines, "---", "", body, ""])


def make_project(folder: Path, entries: int) -> Path:
    """The site (mkdocs.yml, docs/, hooks/) with `entries` generated disclosures, 2016–2025."""
    shutil.copytree(REPO, folder, ignore=shutil.ignore_patterns(
        ".git", ".venv", "site", "site.*", "disclosures", "tests", "bench", "__pycache__",
        "*.egg-info", ".pytest_cache", ".ci",
    ))
    rng = random.Random(20210101)
    for number in range(entries):
        year = 2016 + number * 10 // entries
        path = folder / "disclosures" / str(year) / f"item-{number:05d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_entry_text(number, rng, year), encoding="utf-8")
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
    from gongkai import plugin, report
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    watch = _Stopwatch()
    plugin.count_years = watch.wrap("count_years", plugin.count_years)
    plugin.stats_page = watch.wrap("stats page Markdown", plugin.stats_page)
    plugin.write_site_files = watch.wrap("write JSON + CSV", plugin.write_site_files)
    # The conversion of the 公开统计 page to HTML is the statistics' share of MkDocs' own work.
    from mkdocs.structure.pages import Page
    original_render = Page.render

    def render(self: Page, config: Any, files: Any) -> None:
        if self.file.src_uri == report.PAGE_URI:
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
    from gongkai.report import generated_timestamp, stats_page, write_site_files
    from gongkai.statistics import count_years

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
            write_site_files(Path(out), years, config, generated_timestamp())
            written = time.perf_counter()
            for name, seconds in (("count_years", counted - start), ("page", paged - counted),
                                  ("write JSON + CSV", written - paged)):
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
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary) / "project"
        if folder.exists():
            shutil.rmtree(folder)
        start = time.perf_counter()
        project = make_project(folder, args.entries)
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
