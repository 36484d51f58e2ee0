"""The county roll-up: three real sites built from the installed package, added up by
`gongkai rollup`, checked against figures the test counts itself from what it wrote."""

from __future__ import annotations

import json
import random
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Project

YEAR = 2025
AFTER_THE_YEAR = {"GONGKAI_TODAY": "2026-02-01"}
# The default channel groups, written out here so that the expected figures do not come from
# the code under test.
GROUPS = {
    "网站子站": {"website"},
    "政务易平台和村村响广播": {"zwy", "broadcast"},
    "信息公告栏和村级公示栏": {"bulletin", "village_board"},
    "政务公众号": {"wechat"},
}
CHANNELS = ["website", "zwy", "broadcast", "bulletin", "village_board", "wechat"]


class Site:
    """One township's project, its entries and yearly file written from a seed, and the
    figures the test expects, counted while writing."""

    def __init__(self, root: Path, seed: int, publisher: str, org_code: str):
        self.project = Project(root)
        self.publisher = publisher
        yml = self.project.root / "mkdocs.yml"
        yml.write_text(
            yml.read_text("utf-8")
            .replace("publisher: 测试镇人民政府", f"publisher: {publisher}")
            .replace('org_code: "000014349"', f'org_code: "{org_code}"'),
            "utf-8",
        )
        rng = random.Random(seed)
        self.total = 0
        self.groups = dict.fromkeys(GROUPS, 0)
        self.regulations = 0
        self.sanctions = 0
        self.fees = Decimal(0)
        for number in range(rng.randint(12, 25)):
            year = rng.choice([YEAR, YEAR, YEAR, YEAR - 1, YEAR + 1])
            date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            channels = rng.sample(CHANNELS, rng.randint(1, 3))
            draft = rng.random() < 0.1
            kind = rng.choice(["plain", "plain", "规范", "处罚", "收费"])
            fields: dict[str, object] = {
                "date": date, "channels": "[" + ", ".join(channels) + "]",
                "title": f"关于第{number}号事项的公告",
                "index_no": f'"{org_code}/{year}-{number:05d}"',
                "draft": "true" if draft else None,
            }
            decisions = rng.randint(1, 5)
            fee = Decimal(rng.randint(1, 500)) / 10
            if kind == "规范":
                fields["doc_type"] = "行政规范性文件"
            elif kind == "处罚":
                fields.update(doc_type="行政处罚", decisions=decisions)
            elif kind == "收费":
                fields.update(doc_type="行政事业性收费", fee_amount=str(fee))
            self.project.entry(f"disclosures/{year}/{number:03d}.md", **fields)
            if year != YEAR or draft:
                continue
            self.total += 1
            for group, members in GROUPS.items():
                self.groups[group] += bool(members & set(channels))
            self.regulations += kind == "规范"
            self.sanctions += decisions if kind == "处罚" else 0
            self.fees += fee if kind == "收费" else 0
        self.new_requests = rng.randint(0, 6)
        self.appeals = rng.randint(0, 2)
        self.project.write(f"annual-reports/{YEAR}.yml", f"""\
            申请情况:
              本年新收: {{自然人: {self.new_requests}}}
              本年度办理结果:
                予以公开: {{自然人: {self.new_requests}}}
            复议诉讼:
              行政复议: {{结果维持: {self.appeals}}}
            """)

    def build(self) -> Path:
        result = self.project.build(env=AFTER_THE_YEAR)
        assert result.returncode == 0, result.output
        return result.site


@pytest.fixture(scope="module")
def three_sites(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[Site, Path]]:
    root = tmp_path_factory.mktemp("county")
    sites = [
        Site(root / "a", 1, "甲镇人民政府", "11500230MB0000001A"),
        Site(root / "b", 2, "乙乡人民政府", "11500230MB0000002B"),
        Site(root / "c", 3, "丙街道办事处", "11500230MB0000003C"),
    ]
    return [(site, site.build()) for site in sites]


def rollup(project: Project, *args: str):
    return project.gongkai("rollup", "--year", str(YEAR), *args)


def test_each_site_publishes_its_figures_beside_its_report(three_sites):
    site, folder = three_sites[0]
    figures = json.loads((folder / f"annual-reports/{YEAR}.json").read_text("utf-8"))
    assert (folder / f"annual-reports/{YEAR}/index.html").is_file()
    assert figures["site"]["publisher"] == site.publisher
    assert figures["statistics"]["total"] == site.total
    assert figures["statistics"]["groups"] == site.groups


def test_the_rollup_matches_the_figures_counted_independently(three_sites):
    sites = [site for site, _ in three_sites]
    result = rollup(sites[0].project, "--format", "json", *(str(f) for _, f in three_sites))
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert [row["publisher"] for row in summary["sites"]] == [s.publisher for s in sites]
    for site, row in zip(sites, summary["sites"]):
        values = row["values"]
        assert values["主动公开信息（条）"] == str(site.total)
        for group, count in site.groups.items():
            assert values[f"其中{group}（条）"] == str(count)
        assert values["行政规范性文件本年制发（件）"] == str(site.regulations)
        assert values["行政处罚决定（件）"] == str(site.sanctions)
        assert Decimal(values["行政事业性收费（万元）"]) == site.fees
        assert values["本年新收申请（件）"] == str(site.new_requests)
        assert values["行政复议（件）"] == str(site.appeals)
    totals = summary["totals"]
    assert totals["主动公开信息（条）"] == str(sum(s.total for s in sites))
    assert Decimal(totals["行政事业性收费（万元）"]) == sum(s.fees for s in sites)
    assert totals["本年新收申请（件）"] == str(sum(s.new_requests for s in sites))
    for group in GROUPS:
        assert totals[f"其中{group}（条）"] == str(sum(s.groups[group] for s in sites))


def test_the_csv_is_ready_for_excel_and_the_text_names_every_site(three_sites):
    project = three_sites[0][0].project
    folders = [str(folder) for _, folder in three_sites]
    csv_result = project.gongkai("rollup", "--year", str(YEAR), "--format", "csv", *folders)
    assert csv_result.returncode == 0, csv_result.stderr
    lines = csv_result.stdout.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("单位,主动公开信息（条）,")
    assert lines[-1].startswith("合计,")
    text = rollup(project, *folders).stdout
    for site, _ in three_sites:
        assert site.publisher in text


def test_a_source_without_the_year_is_refused_by_name(three_sites, tmp_path):
    site, folder = three_sites[0]
    result = site.project.gongkai("rollup", "--year", str(YEAR - 1), str(folder))
    assert result.returncode == 1
    assert f"{folder}：没有 {YEAR - 1} 年的年报数据" in result.stderr
    assert result.stdout == ""


def test_a_source_of_another_format_version_is_refused_by_name(three_sites, tmp_path):
    site, folder = three_sites[1]
    copy = tmp_path / "old-site"
    shutil.copytree(folder / "annual-reports", copy / "annual-reports")
    data_file = copy / f"annual-reports/{YEAR}.json"
    data = json.loads(data_file.read_text("utf-8"))
    data["version"] = 99
    data_file.write_text(json.dumps(data), "utf-8")
    result = rollup(site.project, str(three_sites[0][1]), str(copy))
    assert result.returncode == 1
    assert f"{copy}：年报数据格式版本为 99" in result.stderr
    assert result.stdout == ""


def test_the_same_site_twice_is_refused(three_sites):
    site, folder = three_sites[2]
    result = rollup(site.project, str(folder), str(folder))
    assert result.returncode == 1
    assert "是同一单位（丙街道办事处），重复汇总会多算" in result.stderr


def test_a_source_may_be_the_address_the_site_is_served_from(three_sites):
    """The county office rolls up the live sites: each SOURCE a URL under which it is served."""
    import threading
    from functools import partial
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

    site, folder = three_sites[0]
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Quiet, directory=str(folder.parent)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        address = f"http://127.0.0.1:{server.server_address[1]}/{folder.name}/"
        served = rollup(site.project, "--format", "json", address)
        missing = rollup(site.project, "--format", "json", address + "elsewhere/")
    finally:
        server.shutdown()
    assert served.returncode == 0, served.stderr
    assert json.loads(served.stdout)["totals"]["主动公开信息（条）"] == str(site.total)
    assert missing.returncode == 1
    assert f"{address}elsewhere/：没有 {YEAR} 年的年报数据" in missing.stderr


def test_a_site_name_that_reads_as_a_formula_is_text_in_the_csv(three_sites, tmp_path):
    site, folder = three_sites[0]
    copy = tmp_path / "site"
    shutil.copytree(folder / "annual-reports", copy / "annual-reports")
    data_file = copy / f"annual-reports/{YEAR}.json"
    data = json.loads(data_file.read_text("utf-8"))
    data["site"].update(publisher="=HYPERLINK(\"http://x\")", org_code="X")
    data_file.write_text(json.dumps(data), "utf-8")
    result = rollup(site.project, "--format", "csv", str(copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.lstrip("\ufeff").splitlines()[1].startswith("\"'=HYPERLINK(")
