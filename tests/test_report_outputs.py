"""The four outputs of the channel statistics agree on one corpus shaped like the seed (issue 3).

A fixture project is written into tmp_path (the site's mkdocs.yml, docs/ and hooks/, plus
generated entries), built with the real MkDocs and `--strict`, and compared with
`gongkai report`. Expected figures come from the fixture's own list, counted here by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

from gongkai.config import DisclosureConfig
from gongkai.statistics import Period, count_period
from gongkai.stats_chart import chart_svg
from gongkai.stats_formats import OVERLAP_NOTE, csv_bytes, period_json, sentence, site_json

REPO = Path(__file__).resolve().parents[1]
TODAY = "2026-01-05"
SEED_SENTENCE = (
    "2021年，主动公开政府信息204条，其中，网站子站公开信息24条；政务易平台和村村响广播公开信息62条；"
    "信息公告栏和村级公示栏公开信息118条。"
)
SEED_CHANNELS = {"website": 24, "zwy": 40, "broadcast": 42, "bulletin": 80,
                 "village_board": 68, "wechat": 0}
SEED_GROUPS = {"网站子站": 24, "政务易平台和村村响广播": 62, "信息公告栏和村级公示栏": 118,
               "政务公众号": 0}
CATEGORIES = DisclosureConfig().categories


@dataclass(frozen=True)
class Fixture:
    date: dt.date
    channels: tuple[str, ...]
    category: str
    draft: bool = False


def seed_fixtures() -> list[Fixture]:
    """204 published entries in 2021 as in the seed, plus drafts, future and other years."""
    shapes = (
        [("website",)] * 24
        + [("zwy",)] * 20 + [("broadcast",)] * 22 + [("zwy", "broadcast")] * 20
        + [("bulletin",)] * 50 + [("village_board",)] * 38
        + [("bulletin", "village_board")] * 30
    )
    start = dt.date(2021, 1, 1)
    # 7 and 365 are coprime, so the dates are distinct; i=0 is 1 Jan and i=52 is 31 Dec.
    items = [
        Fixture(start + dt.timedelta(days=(i * 7) % 365), shape, CATEGORIES[i % len(CATEGORIES)])
        for i, shape in enumerate(shapes)
    ]
    items += [Fixture(dt.date(2021, 4, 1 + i), ("website",), "通知公告", draft=True)
              for i in range(5)]
    items += [Fixture(dt.date(2999, 5, 1), ("wechat",), "通知公告") for _ in range(3)]
    items += [Fixture(dt.date(2026, 3, 1), ("website",), "通知公告") for _ in range(2)]
    items += [Fixture(dt.date(2026, 1, 5), ("website",), "通知公告")]  # the build day counts
    items += [Fixture(dt.date(2025, 12, 15), ("zwy",), "民生保障") for _ in range(2)]
    # 2020: entries on two groups, so group counts add up to more than the total.
    items += [Fixture(dt.date(2020, 1 + i, 10), ("website", "bulletin"), "财政信息")
              for i in range(10)]
    items += [Fixture(dt.date(2022, 1, 1), ("wechat",), "应急管理") for _ in range(7)]
    return items


def _front_matter(number: int, item: Fixture) -> str:
    labels = DisclosureConfig().channels
    # Staff write channels in three ways; the counts must not care which.
    if number % 3 == 0:
        channels = "[" + ", ".join(item.channels) + "]"
    elif number % 3 == 1:
        channels = "、".join(labels[key] for key in item.channels)
    else:
        channels = ", ".join(item.channels)
    lines = [
        "---",
        f"title: 测试信息第{number}号",
        f"date: {item.date.isoformat()}",
        f"category: {item.category}",
        f"channels: {channels}",
        f"index_no: 11500230MB0000000X/{item.date.year}-{number:05d}",
    ]
    if item.draft:
        lines.append("draft: true")
    return "\n".join([*lines, "---", "", f"第{number}号信息的正文。", ""])


def write_project(folder: Path, fixtures: list[Fixture]) -> Path:
    """A copy of the site (mkdocs.yml, docs/, hooks/) with `fixtures` as its disclosures."""
    shutil.copytree(REPO, folder, ignore=shutil.ignore_patterns(
        ".git", ".venv", "site", "site.*", "disclosures", "tests", "bench", "__pycache__",
        "*.egg-info", ".pytest_cache", ".ci",
    ))
    for number, item in enumerate(fixtures):
        path = folder / "disclosures" / str(item.date.year) / f"item-{number:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_front_matter(number, item), encoding="utf-8")
    return folder


def environment() -> dict[str, str]:
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GONGKAI_TODAY": TODAY}


def build(project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(project / "site"), *extra],
        cwd=project, env=environment(), capture_output=True, text=True, timeout=600,
        check=False,
    )


def report(project: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "gongkai.cli", "report", *args],
        cwd=project, env=environment(), capture_output=True, timeout=120, check=False,
    )


def expected_count(fixtures: list[Fixture], start: dt.date, end: dt.date) -> int:
    """The oracle: published (not draft, not after the build day) and dated in [start, end]."""
    last = min(end, dt.date.fromisoformat(TODAY))
    return sum(1 for f in fixtures if not f.draft and start <= f.date <= last)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = write_project(tmp_path_factory.mktemp("seed") / "project", seed_fixtures())
    result = build(project, "--strict")
    assert result.returncode == 0, result.stderr
    return project


class _Tables(HTMLParser):
    """Every <table> of a page section as rows of cell texts; tables inside <details> too."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def year_section(html: str, year: str) -> str:
    """The HTML between the year's <h2> and the next <h2>."""
    start = re.search(rf"<h2[^>]*>{year}年", html)
    assert start, f"no section for {year}"
    end = html.find("<h2", start.end())
    return html[start.start(): end if end != -1 else len(html)]


def tables_of(html: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def test_channels_json_has_the_seed_figures_and_exactly_the_issue_keys(site: Path):
    data = json.loads((site / "site/stats/channels.json").read_text(encoding="utf-8"))
    assert list(data) == ["generated", "channels", "groups", "years"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", data["generated"])
    assert data["channels"] == DisclosureConfig().channels
    assert data["groups"] == DisclosureConfig().groups
    # Drafts and 2999 are not there; 2026 holds only the entry dated on the build day.
    assert {year: figures["total"] for year, figures in data["years"].items()} == {
        "2020": 10, "2021": 204, "2022": 7, "2025": 2, "2026": 1,
    }
    year = data["years"]["2021"]
    assert list(year) == ["total", "channels", "groups", "categories", "months"]
    assert year["total"] == 204
    assert year["channels"] == SEED_CHANNELS
    assert year["groups"] == SEED_GROUPS
    assert all(list(c) == ["total", "channels"] for c in year["categories"].values())
    assert sum(c["total"] for c in year["categories"].values()) == 204
    assert list(year["months"]) == [f"{m:02d}" for m in range(1, 13)]
    assert sum(m["total"] for m in year["months"].values()) == 204
    fixtures = seed_fixtures()
    for month, figures in year["months"].items():
        first = dt.date(2021, int(month), 1)
        last = (first + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
        assert figures["total"] == expected_count(fixtures, first, last), month
    # 2020's entries went out on two groups: group counts exceed the total.
    assert data["years"]["2020"]["groups"]["网站子站"] == 10
    assert data["years"]["2020"]["groups"]["信息公告栏和村级公示栏"] == 10


def _csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    return list(csv.DictReader(io.StringIO(data[3:].decode("utf-8"))))


def test_channels_csv_agrees_with_the_json(site: Path):
    rows = _csv_rows((site / "site/stats/channels.csv").read_bytes())
    data = json.loads((site / "site/stats/channels.json").read_text(encoding="utf-8"))
    by_year: dict[str, dict[tuple[str, str], int]] = {}
    for row in rows:
        by_year.setdefault(row["期间"], {})[(row["统计项"], row["代码"])] = int(row["条数"])
    assert list(by_year) == list(data["years"])
    for year, figures in data["years"].items():
        expected = {("合计", ""): figures["total"]}
        expected |= {("渠道", key): count for key, count in figures["channels"].items()}
        expected |= {("渠道分组", key): count for key, count in figures["groups"].items()}
        assert by_year[year] == expected
    assert by_year["2021"][("合计", "")] == 204
    assert by_year["2021"][("渠道分组", "政务易平台和村村响广播")] == 62
    total_rows = [row for row in rows if row["统计项"] == "合计"]
    assert all("可能大于合计" in row["说明"] for row in total_rows)


def test_stats_page_shows_the_sentence_tables_and_chart(site: Path):
    html = (site / "site/stats/index.html").read_text(encoding="utf-8")
    assert "<title>公开统计" in html
    section = year_section(html, "2021")
    assert SEED_SENTENCE in section
    assert OVERLAP_NOTE in section
    tables = tables_of(section)
    months, groups, channels, categories = tables
    assert groups[1:] == [
        ["网站子站", "县政府信息公开网站子站", "24"],
        ["政务易平台和村村响广播", "政务易平台、村村响广播", "62"],
        ["信息公告栏和村级公示栏", "信息公告栏、村级公示栏", "118"],
        ["政务公众号", "政务公众号", "0"],
        ["合计（每条信息只计一次）", "", "204"],
    ]
    labels = DisclosureConfig().channels
    assert channels[0] == ["公开渠道", "条数"]  # labels only: no channel keys for citizens
    assert {row[0]: int(row[1]) for row in channels[1:]} == {
        labels[key]: count for key, count in SEED_CHANNELS.items()
    }
    assert categories[-1] == ["合计", "204", *(str(SEED_CHANNELS[k]) for k in labels)]
    assert sum(int(row[1]) for row in months[1:]) == 204
    # The chart: inline, described, one number per bar, no script.
    figure = section[section.index("<figure"): section.index("</figure>")]
    assert "<title id=" in figure and "<desc id=" in figure and 'role="img"' in figure
    assert "<script" not in figure and "http" not in figure.replace(
        'xmlns="http://www.w3.org/2000/svg"', "")
    values = re.findall(r'class="gk-chart__value"[^>]*>(\d+)</text>', figure)
    assert len(values) == 12 * len(SEED_GROUPS)
    assert sum(map(int, values)) == sum(SEED_GROUPS.values())


def test_stats_page_is_reachable_from_the_annual_reports_page(site: Path):
    page = site / "site/annual-reports/index.html"
    hrefs = re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8"))
    targets = {
        (page.parent / urllib.parse.unquote(href)).resolve() for href in hrefs
        if "stats" in href
    }
    target = next(iter(targets), None)
    assert target is not None, "no link to the 公开统计 page"
    assert (target / "index.html" if target.is_dir() else target) == (
        site / "site/stats/index.html"
    ).resolve()


def test_report_prints_the_sentence_ready_to_paste(site: Path):
    result = report(site, "--year", "2021")
    assert result.returncode == 0
    assert result.stdout.decode("utf-8") == SEED_SENTENCE + "\n"
    assert OVERLAP_NOTE in result.stderr.decode("utf-8")


def test_report_json_is_the_year_of_channels_json(site: Path):
    data = json.loads((site / "site/stats/channels.json").read_text(encoding="utf-8"))
    for year in ("2020", "2021", "2026"):
        result = report(site, "--year", year, "--format", "json")
        assert result.returncode == 0, result.stderr.decode()
        assert json.loads(result.stdout) == data["years"][year]


def test_report_csv_is_the_rows_of_channels_csv(site: Path):
    site_rows = _csv_rows((site / "site/stats/channels.csv").read_bytes())
    result = report(site, "--year", "2021", "--format", "csv")
    assert result.returncode == 0
    assert _csv_rows(result.stdout) == [row for row in site_rows if row["期间"] == "2021"]


def test_report_md_has_the_page_tables(site: Path):
    result = report(site, "--year", "2021", "--format", "md", "--by", "category")
    text = result.stdout.decode("utf-8")
    assert f"> {SEED_SENTENCE}" in text
    assert "| 信息公告栏和村级公示栏 | 信息公告栏、村级公示栏 | 118 |" in text
    assert "| **合计（每条信息只计一次）** |  | **204** |" in text
    assert "| 政务易平台 | `zwy` | 40 |" in text
    assert "| **合计** | **204** | **24** | **40** | **42** | **80** | **68** | **0** |" in text
    assert OVERLAP_NOTE in text


def test_report_by_category_matches_the_json(site: Path):
    data = json.loads((site / "site/stats/channels.json").read_text(encoding="utf-8"))
    text = report(site, "--year", "2021", "--by", "category").stdout.decode("utf-8")
    assert text.startswith(SEED_SENTENCE + "\n")
    rows = [line.strip("|").split("|") for line in text.splitlines() if line.startswith("| ")]
    shown = {cells[0].strip(): int(cells[1]) for cells in rows[2:-1]}
    assert shown == {name: c["total"] for name, c in data["years"]["2021"]["categories"].items()}


@pytest.mark.parametrize("start, end", [
    ("2021-01-01", "2021-06-30"),
    ("2020-12-31", "2021-01-01"),
    ("2025-12-01", "2026-12-31"),  # ends after the build day: counted up to it
])
def test_report_for_a_period_counts_published_entries_inside_it(site: Path, start, end):
    result = report(site, "--from", start, "--to", end, "--format", "json")
    assert result.returncode == 0
    expected = expected_count(seed_fixtures(), dt.date.fromisoformat(start),
                              dt.date.fromisoformat(end))
    assert json.loads(result.stdout)["total"] == expected
    partial = dt.date.fromisoformat(end) > dt.date.fromisoformat(TODAY)
    assert ("尚未结束" in result.stderr.decode("utf-8")) == partial


@pytest.mark.parametrize("args, message", [
    (["--year", "21"], "不是年份"),
    (["--year", "0000"], "年份 0000 超出范围：请写 1900—2999 之间的年份"),
    (["--year", "3000"], "年份 3000 超出范围"),
    (["--year"], "--year：后面需要写一个值"),
    (["--year", "2021", "--format", "xls"], "--format：没有 'xls' 这一项，可选：'text', 'md', 'csv', 'json'"),
    (["--year", "2021", "--bogus"], "无法识别：--bogus"),
    (["--from", "2021-02-30"], "不是 YYYY-MM-DD 格式的日期"),
    (["--from", "2021-07-01", "--to", "2021-06-30"], "晚于"),
    (["--to", "2021-06-30"], "请用 --year 指定年份"),
    (["--year", "2021", "--from", "2021-01-01"], "只能用其中一种"),
])
def test_report_rejects_bad_options_in_chinese(site: Path, args, message):
    result = report(site, *args)
    assert result.returncode != 0
    stderr = result.stderr.decode("utf-8")
    assert message in stderr
    assert "Traceback" not in stderr and "usage:" not in stderr and "error:" not in stderr
    assert result.stdout == b""


def test_the_commands_help_is_in_chinese(site: Path):
    result = subprocess.run([sys.executable, "-m", "gongkai.cli", "report", "--help"],
                            cwd=site, capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert result.stdout.startswith("用法：gongkai report")
    assert "选项:" in result.stdout and "显示本帮助并退出" in result.stdout
    assert "usage:" not in result.stdout and "options:" not in result.stdout


def test_report_on_invalid_entries_prints_the_builds_messages_and_fails(tmp_path: Path):
    project = write_project(tmp_path / "project", seed_fixtures()[:3])
    broken = project / "disclosures/2021"
    (broken / "bad-category.md").write_text(
        "---\ntitle: 坏分类\ndate: 2021-03-03\ncategory: 财务信息\nchannels: [website]\n"
        "index_no: X/2021-90001\n---\n正文\n", encoding="utf-8")
    (broken / "bad-date.md").write_text(
        "---\ntitle: 坏日期\ndate: 2021-02-30\ncategory: 财政信息\nchannels: [website]\n"
        "index_no: X/2021-90002\n---\n正文\n", encoding="utf-8")
    result = report(project, "--year", "2021")
    stderr = result.stderr.decode("utf-8")
    assert result.returncode != 0
    assert result.stdout == b""
    assert "Traceback" not in stderr
    problems = [line for line in stderr.splitlines() if line.startswith("disclosures/")]
    assert len(problems) == 2
    assert "disclosures/2021/bad-category.md:4: category:" in problems[0]
    build_log = build(project).stderr
    for line in problems:
        assert line in build_log


def test_renderers_share_one_shape(tmp_path: Path):
    """Unit level: JSON of a period is the year shape; CSV has the BOM; the SVG is accessible."""
    config = DisclosureConfig()
    stats = count_period([], config, Period.year(2019), dt.date(2026, 1, 5))
    assert sentence(stats, config) == "2019年，主动公开政府信息0条。"
    assert period_json(stats) == site_json([stats], config, "x")["years"]["2019"]
    assert csv_bytes([stats], config).startswith("\ufeff期间".encode())
    svg = chart_svg(stats, config)
    assert svg.count('class="gk-chart__value"') == 12 * len(config.groups)
    assert 'aria-labelledby="gk-chart-2019-title gk-chart-2019-desc"' in svg
