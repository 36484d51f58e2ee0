"""The benchmark's corpus generator (bench/generate.py): its two shapes hold what they promise,
and `gongkai check` accepts a small corpus of each, as the benchmark builds it."""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

from bench_build import make_gongkai_project
from generate import (
    COUNTY_BODY_MAX,
    COUNTY_PUBLISHERS,
    Publisher,
    county_publishers,
    credit_code,
    organisation_code,
    write_corpus,
)
from gongkai.privacy import find_personal_data

TODAY = {"GONGKAI_TODAY": "2026-11-30"}
# 18 characters: registration authority and type, 6-digit region, 9-character organisation
# code, check character (the alphabet of GB 32100 leaves out I, O, S, V and Z).
CREDIT_CODE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")


def front_matter(path: Path) -> tuple[dict[str, str], str]:
    _, front, body = path.read_text("utf-8").split("---\n", 2)
    fields = dict(line.split(": ", 1) for line in front.splitlines())
    return fields, body


def corpus(folder: Path) -> list[tuple[dict[str, str], str]]:
    return [front_matter(path) for path in sorted(folder.rglob("*.md"))]


def is_published(fields: dict[str, str]) -> bool:
    return "draft" not in fields and not fields["date"].startswith("2999")


def county_publishers_for(seed: int) -> list[Publisher]:
    """The publishers `write_corpus(…, seed, shape="county")` draws its entries from."""
    return county_publishers(random.Random(seed + 1))


def test_check_characters_reproduce_a_real_credit_code():
    """The example of a real 索引号 in DOMAIN.md: 11341702486344515H (organisation code
    48634451 and its check digit 5, then the code's own check character H)."""
    assert organisation_code("48634451") == "486344515"
    assert credit_code("11", "341702", "486344515") == "11341702486344515H"


def test_site_only_gives_count_pages_and_the_drafts_on_top(tmp_path):
    write_corpus(tmp_path, 400, seed=5, site_only=True)
    entries = corpus(tmp_path)
    published = [fields for fields, _ in entries if is_published(fields)]
    assert len(published) == 400
    assert all("website" in fields["channels"] for fields, _ in entries)
    assert 400 < len(entries) < 420  # about 1% drafts and 0.5% future-dated, in addition


def test_the_default_mix_keeps_most_entries_offline(tmp_path):
    write_corpus(tmp_path, 400, seed=5)
    entries = corpus(tmp_path)
    on_site = sum("website" in fields["channels"] for fields, _ in entries)
    assert len(entries) == 400
    assert 0.15 < on_site / 400 < 0.4


def test_county_shape_codes_doc_numbers_and_bodies(tmp_path):
    write_corpus(tmp_path, 300, seed=9, shape="county", site_only=True)
    entries = corpus(tmp_path)
    codes = {publisher.name: publisher.code for publisher in county_publishers_for(9)}
    index_numbers = [fields["index_no"] for fields, _ in entries]
    doc_numbers = [fields["doc_no"] for fields, _ in entries]
    assert len(set(index_numbers)) == len(entries) == len(set(doc_numbers))
    for fields, _ in entries:
        code, _, rest = fields["index_no"].partition("/")
        assert CREDIT_CODE.fullmatch(code) and re.fullmatch(r"\d{4}-\d{5}", rest)
        assert codes[fields["publisher"]] == code
        assert re.fullmatch(r"\S+〔20\d\d〕\d+号", fields["doc_no"])
    assert len({fields["publisher"] for fields, _ in entries}) > 15
    # Codes of every kind the screen has to tell from personal numbers: all digits but the
    # last, and with MB (an organisation set up after 2018).
    assert any(code[:17].isdigit() for code in codes.values())
    assert any(code[8:10] == "MB" for code in codes.values())
    sizes = sorted(len(body.encode("utf-8")) for _, body in entries)
    assert sizes[-1] <= COUNTY_BODY_MAX + 1  # the file's final newline
    assert sizes[0] >= 900 and sizes[len(sizes) // 2] > 4000 and sizes[-1] > 9000
    for _, body in entries:  # realistic prose: no sentence twice in one body
        sentences = [s for s in re.split(r"(?<=[。：])", body) if s.strip() and "|" not in s]
        assert max(Counter(sentences).values()) == 1


def test_county_codes_are_not_taken_for_personal_numbers():
    """Every publisher's 索引号 as the screen reads it: a code whose first 17 characters are
    digits that pass Luhn is a bank card number unless the screen knows a 索引号."""
    for seed in range(40):
        for publisher in county_publishers_for(seed):
            for text in (f"{publisher.code}/2025-00001", f"索引号：{publisher.code}/2019-00110"):
                assert find_personal_data(text) == [], text
    assert len(county_publishers_for(0)) == len(COUNTY_PUBLISHERS)


def test_every_index_number_of_the_bench_county_corpus_passes_the_screen(tmp_path):
    """The corpus make bench builds (seed 2021): at 3,000 pages `gongkai check` refused a
    future-dated entry whose 索引号 had the year 2999."""
    write_corpus(tmp_path, 3000, shape="county", site_only=True)
    for fields, _ in corpus(tmp_path):
        assert find_personal_data(fields["index_no"]) == [], fields["index_no"]


def test_same_seed_same_files_other_seed_other_files(tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        write_corpus(tmp_path / name, 30, seed, shape="county")
    read = {name: {p.relative_to(tmp_path / name): p.read_bytes()
                   for p in (tmp_path / name).rglob("*.md")} for name in "abc"}
    assert read["a"] == read["b"] != read["c"]


@pytest.mark.parametrize("shape", ["township", "county"])
def test_gongkai_check_passes_on_each_shape(tmp_path, shape):
    project = make_gongkai_project(tmp_path, 150, shape=shape, site_only=True)
    result = subprocess.run([sys.executable, "-m", "gongkai.cli", "check"], check=False,
                            cwd=project, capture_output=True, text=True,
                            env={**os.environ, **TODAY})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "检查结果：通过。" in result.stdout
    assert re.search(r"：150 条已可公开（150 条网站发布，0 条仅线下公开）", result.stdout)
