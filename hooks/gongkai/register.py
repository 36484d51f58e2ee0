"""The 索引号 register: every index number ever issued, so that none is ever issued twice.

Index numbers are `extra.disclosure.index_pattern` filled in with the organisation code, the
year and a serial (default `{org_code}/{year}-{serial:05d}`). The register is a CSV file in
the repository root (UTF-8 with BOM, so Excel opens it), one row per number issued by
`gongkai new`, committed with the entry. A number stays taken when its file is deleted.

Numbers written by hand (or before the register existed) count as taken too: the next serial
is one more than the highest found in the register *and* anywhere in the source folder's
files, so the register needs no seeding and a hand-made entry cannot be given a twin.
"""

from __future__ import annotations

import csv
import io
import re
import string
from dataclasses import dataclass
from pathlib import Path

from .config import DisclosureConfig
from .front_matter import decode
from .problems import Problem

REGISTER_FILE = "索引号登记簿.csv"
COLUMNS = ("索引号", "年度", "序号", "登记日期", "文件", "标题")


@dataclass(frozen=True)
class IndexPattern:
    """The site's 索引号 pattern for one organisation code: makes numbers and finds them."""

    pattern: str
    org_code: str

    def format(self, year: int, serial: int) -> str:
        return self.pattern.format(org_code=self.org_code, year=year, serial=serial)

    def finder(self, year: int | None) -> re.Pattern[str]:
        """A regex matching this year's numbers (any year's when `year` is None) in any text;
        group 1 is the serial."""
        parts = []
        for literal, name, _, _ in string.Formatter().parse(self.pattern):
            parts.append(re.escape(literal))
            if name == "org_code":
                parts.append(re.escape(self.org_code))
            elif name == "year":
                parts.append(r"\d{4}" if year is None else str(year))
            elif name == "serial":
                parts.append(r"(\d+)")
        return re.compile("".join(parts) + r"(?!\d)")


def register_path(project_dir: Path) -> Path:
    return project_dir / REGISTER_FILE


def _registered_serials(project_dir: Path, year: int) -> tuple[list[int], list[Problem]]:
    """Serials of `year` in the register, or the problem that makes it unreadable (Excel on
    Chinese Windows saves CSV as GBK)."""
    path = register_path(project_dir)
    if not path.exists():
        return [], []
    text, problems = decode(path.read_bytes(), REGISTER_FILE)
    if text is None:
        return [], problems
    return [
        int(row["序号"]) for row in csv.DictReader(io.StringIO(text))
        if row.get("年度") == str(year) and (row.get("序号") or "").isdigit()
    ], []


def _serials_in_files(source: Path, finder: re.Pattern[str]) -> list[int]:
    serials: list[int] = []
    for path in source.rglob("*.md") if source.is_dir() else []:
        text = path.read_bytes().decode("utf-8", errors="replace")
        serials.extend(int(match[1]) for match in finder.finditer(text))
    return serials


def next_serial(
    project_dir: Path, config: DisclosureConfig, year: int
) -> int | list[Problem]:
    """One more than the highest serial of `year` ever registered or written in a file; or,
    when the register cannot be read, the problems saying why (no number is safe then)."""
    finder = IndexPattern(config.index_pattern, config.org_code).finder(year)
    taken, problems = _registered_serials(project_dir, year)
    if problems:
        return problems
    taken += _serials_in_files(project_dir / config.source_dir, finder)
    return max(taken, default=0) + 1


def record(project_dir: Path, row: dict[str, str]) -> None:
    """Append one issued number (a mapping of `COLUMNS`) to the register, creating it."""
    path = register_path(project_dir)
    is_new = not path.exists()
    with path.open("a", encoding="utf-8-sig" if is_new else "utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=COLUMNS)
        if is_new:
            writer.writeheader()
        writer.writerow(row)
