"""Pagefind 1.5.2 as the reference for gongkai's search index, on the same built site.

Issue 17 allows an index of our own only if it beats Pagefind on every goal in the same
`make bench`. bench_build.py calls `pagefind_reference` on the site it has just built: Pagefind
(the `bench` extra: `pagefind[extended]==1.5.2`) indexes the entry pages (`--glob`), their
Material `<article>` only (not the navigation and footer every page repeats), Chinese
(`--force-language zh`), with its default settings. Measured: its time and the peak memory of
its process tree, and what a first and a further query fetch through its JS API in headless
Chromium, on a tiny harness page served from the same folder as the site (the first 20
results' data loaded, as a results page shows them), gzipped.

Alone on a built site: `python bench/bench_pagefind.py SITE [--glob 'disclosures/**/index.html']`.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_quality import served
from measure import (
    Measure,
    QueryBytes,
    browser_available,
    chromium,
    search_costs,
    timed,
)

OUTPUT = "pagefind-reference"
HARNESS = "pagefind-reference.html"
DEFAULT_GLOB = "disclosures/**/index.html"
SHOWN = 20
HARNESS_HTML = f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>Pagefind reference</title></head>
<body>
<script type="module">
const pagefind = await import("./{OUTPUT}/pagefind.js");
// What a results page does: search, then load the data of the first page of results.
window.runQuery = async (query) => {{
  document.body.dataset.state = "loading";
  const found = await pagefind.search(query);
  await Promise.all(found.results.slice(0, {SHOWN}).map((result) => result.data()));
  document.body.dataset.state = "done";
  return `${{found.results.length}} results`;
}};
const query = new URLSearchParams(location.search).get("q");
window.said = query === null ? "" : await window.runQuery(query);
document.body.dataset.state = "done";
</script>
</body></html>
"""


@dataclass
class PagefindResult:
    pages: int
    """Pages Pagefind says it indexed."""
    build: Measure
    queries: list[QueryBytes] | None
    failed: str = ""
    """Why there are no figures (Pagefind exited with an error, e.g. out of memory)."""


Ask = Callable[[Any, str], str]


def _ask(base: str) -> tuple[Ask, Ask]:
    def ask(page: Any, query: str) -> str:
        page.goto(f"{base}{HARNESS}?q={quote(query)}")
        page.wait_for_selector("body[data-state=done]", state="attached", timeout=120000)
        page.wait_for_load_state("networkidle")
        return page.evaluate("window.said")

    def ask_again(page: Any, query: str) -> str:
        said = page.evaluate("(query) => window.runQuery(query)", query)
        page.wait_for_load_state("networkidle")
        return said

    return ask, ask_again


def pagefind_reference(site: Path, queries: list[str], glob: str = DEFAULT_GLOB
                       ) -> PagefindResult:
    """Index `site`'s pages matching `glob` with Pagefind, measure, and remove what it wrote."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--glob", glob,
               "--output-subdir", OUTPUT, "--root-selector", "article",
               "--force-language", "zh"]
    try:
        build = timed(command, site.parent, check=False)
        output = (site.parent / ".bench-output").read_text("utf-8", errors="replace")
        indexed = re.search(r"Indexed (\d+) pages?", output)
        if build.returncode != 0:
            return PagefindResult(0, build, None,
                                  f"exit status {build.returncode}: {output[-300:].strip()}")
        measured = None
        if browser_available():
            (site / HARNESS).write_text(HARNESS_HTML, "utf-8")
            with served(site) as base, chromium() as browser:
                measured = search_costs(browser, queries, *_ask(base))
        return PagefindResult(int(indexed.group(1)) if indexed else 0, build, measured)
    finally:
        shutil.rmtree(site / OUTPUT, ignore_errors=True)
        (site / HARNESS).unlink(missing_ok=True)


def summary(result: PagefindResult) -> str:
    if result.failed:
        return f"Pagefind failed: {result.failed}"
    text = (f"Pagefind: {result.pages:,} pages in {result.build.seconds:.1f} s, "
            f"peak {result.build.peak_mib:,.0f} MiB")
    if result.queries:
        first = [q.first / 1024 for q in result.queries]
        further = [q.further / 1024 for q in result.queries]
        text += (f"; first query {statistics.median(first):.0f} / {max(first):.0f} KiB, "
                 f"further {statistics.median(further):.0f} / {max(further):.0f} KiB "
                 "(median / max)")
    return text


def main() -> None:
    from bench_build import TOPIC_QUERIES

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--glob", default=DEFAULT_GLOB)
    args = parser.parse_args()
    result = pagefind_reference(args.site.resolve(), TOPIC_QUERIES, args.glob)
    print(summary(result))
    for query in result.queries or []:
        print(f"  {query.query}: {query.first / 1024:.0f} KiB first, "
              f"{query.further / 1024:.0f} KiB further ({query.said})")


if __name__ == "__main__":
    main()
