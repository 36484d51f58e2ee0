"""One loader for the build and every command (issue 16 point 3): under a county base file
(`INHERIT`), the build's log and `gongkai check` carry the same errors, warnings, notes and
reminders, word for word."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import Project
from gongkai.project import load_project

COUNTY_BASE = """\
extra:
  disclosure:
    org_code: "11500230MB0000000X"
    categories: [通知公告, 惠农补贴, 行政执法]
    channels:
      website: 县政府信息公开网站子站
      loudspeaker: 村村通大喇叭
    groups:
      网站: [website]
      广播: [loudspeaker]
    staleness: {通知公告: 6}
"""
ID_NUMBER = "500230199001010015"
TODAY = {"GONGKAI_TODAY": "2022-03-01"}
TODAY_DATE = dt.date(2022, 3, 1)
# A problem as both print it: `path:line: field: message` (no line for a whole file).
MESSAGE = re.compile(r"\S+?(?::\d+)?: \S.*")


def county_project(root: Path) -> Project:
    (root / "county").mkdir(parents=True)
    (root / "county" / "base.yml").write_text(COUNTY_BASE, "utf-8")
    project = Project(root / "town")
    yml = project.root / "mkdocs.yml"
    own = yml.read_text("utf-8").replace('    org_code: "000014349"\n', "")
    yml.write_text("INHERIT: ../county/base.yml\n" + own, "utf-8")
    number = iter(range(1, 100))

    def entry(name: str, **fields: object) -> None:
        fields.setdefault("index_no", f"11500230MB0000000X/2021-{next(number):05d}")
        project.entry(f"disclosures/2021/{name}.md", **fields)

    entry("ok", category="惠农补贴", channels="[website, loudspeaker]", date="2022-02-01")
    entry("stale", date="2021-03-04")  # 通知公告, older than the county's 6 months: a reminder
    entry("wrong-category", category="财政信息")  # only the county's categories exist: an error
    entry("unused-allowance", category="惠农补贴", date="2022-02-02",  # a warning
          personal_data_allowed=f'[{{value: "{ID_NUMBER}", reason: 依法公开}}]')
    entry("penalty", category="行政执法", date="2022-02-03",  # a note: published on purpose
          body=f"当事人：王某，身份证号 {ID_NUMBER}。",
          personal_data_allowed=f'[{{value: "{ID_NUMBER}", reason: 依据行政处罚法公开}}]')
    entry("draft", category="惠农补贴", draft="true")
    project.write("annual-reports/年报2021.yml", "{}\n")  # misnamed: a warning
    return project


def build_messages(output: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {"ERROR": set(), "WARNING": set(), "INFO": set()}
    for line in output.splitlines():
        level, _, text = line.partition(" -  ")
        text = text.removeprefix("提醒：")
        if level.strip() in found and MESSAGE.fullmatch(text):
            found[level.strip()].add(text)
    return found


def test_build_and_check_report_the_same_messages_under_a_county_base_file(tmp_path):
    project = county_project(tmp_path)
    check = project.gongkai("check", env=TODAY)
    build = project.build(env=TODAY)
    assert check.returncode == 1 and build.returncode == 1

    loaded = load_project(project.root, today=TODAY_DATE)
    problems = {str(problem) for problem in loaded.problems}
    notes = {str(note) for note in loaded.notes}
    reminders = {str(reminder) for reminder in loaded.reminders}
    # The mix this test is about is really there.
    assert len(loaded.errors) == 1 and len(problems) == 3 and len(notes) == 1
    assert len(reminders) == 1
    assert ("disclosures/2021/wrong-category.md:4: category: 未知分类「财政信息」，"
            "可选：通知公告、惠农补贴、行政执法") in problems
    assert any(line.startswith("annual-reports/年报2021.yml: 文件名: 没有读取") for line in problems)

    logged = build_messages(build.output)
    assert logged["ERROR"] | logged["WARNING"] == problems
    assert logged["INFO"] == notes | reminders
    printed = {line.strip() for line in check.stdout.splitlines() if MESSAGE.fullmatch(line.strip())}
    pending = {"disclosures/2021/draft.md: 草稿：关于测试事项的公告"}  # check lists it, the build not
    assert printed == problems | notes | reminders | pending


def test_report_prints_the_entries_problems_as_check_does(tmp_path):
    project = county_project(tmp_path)
    project.root.joinpath("disclosures/2021/wrong-category.md").unlink()
    report = project.gongkai("report", "--year", "2022", env=TODAY)
    check = project.gongkai("check", env=TODAY)
    assert report.returncode == 0, report.stderr
    entry_problems = {line for line in check.stdout.splitlines()
                      if line.startswith("disclosures/")}
    assert entry_problems  # the unused allowance
    assert entry_problems <= set(report.stderr.splitlines())


def test_check_read_by_a_program_that_stops_early_ends_without_a_traceback(project):
    """`gongkai check | head`: the command stops with status 1 and says nothing more (the
    one-shot commands end their process at once, `cli.run`), and the cache it wrote is
    whole: the next check reuses it."""
    import os
    import subprocess
    import sys

    for number in range(1500):  # pending lines: far more output than a pipe holds
        project.entry(f"disclosures/2021/d{number}.md", draft="true",
                      title=f"关于第 {number} 项测试事项的公告（草稿，尚未发布）",
                      index_no=f"000014349/2021-{number:05d}")
    reader = subprocess.Popen([sys.executable, "-m", "gongkai.cli", "check"], cwd=project.root,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ)
    assert reader.stdout is not None and reader.stderr is not None
    reader.stdout.readline()
    reader.stdout.close()
    stderr = reader.stderr.read().decode("utf-8")
    assert reader.wait() == 1 and stderr == ""
    again = project.gongkai("check")
    assert again.returncode == 0 and "检查了 1500 个文件：0 条已可公开" in again.stdout
    assert again.stdout.count(".md: 草稿：") == 1500
