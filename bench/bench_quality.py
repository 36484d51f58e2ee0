"""Search quality: what a visitor's query returns against what it should return.

Queries: a fixed list of words residents type (QUALITY_QUERIES), a few cut at random from the
corpus (so the index cannot have been tuned to them), one 索引号 and one 文号. The truth is
substring semantics, computed in Python over the published entries exactly as
gongkai reads them: an entry is relevant to a query when its title, 内容概述, body, 索引号 or
文号 contains the query. The answers come from the built site, in headless Chromium, the way a
visitor gets them: the search page opened at `search/?q=…` gives the count it states and the
first page of results (precision@20); the full result list, for recall, is the same page's
list after its "加载更多" button has been clicked until it hides: only the page's own elements
are used, whatever search index it runs on.

Usable alone on a fresh corpus: `python bench/bench_quality.py [--size 1500] [--seed 2021]`;
`make bench` (bench_build.py) runs `search_quality` on each size it builds.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import random
import re
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "hooks"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import add_corpus_options
from gongkai.config import build_day, read_project_config
from gongkai.corpus import load_corpus
from gongkai.entry import Entry
from measure import ENV, chromium

# Words of 2–6 characters a resident types, several of which segmenters split differently
# from how they appear in the text (低保 inside 城乡低保对象, 地力保护 inside 耕地地力保护补贴,
# 电商 standing for 电子商务 in no dictionary of the corpus), common words (资金, 群众) with
# hundreds of answers, and identifiers: one 索引号 and one 文号, which must come first.
QUALITY_QUERIES = [
    "低保", "电商", "地力保护", "危房改造", "防汛抗旱", "政府采购", "公益性岗位", "宅基地审批",
    "一卡通", "急难愁盼", "村民", "资金", "保护", "示例村", "整改清单", "入户核查", "专款专用",
    "党政办公室", "公示期", "保障",
]
PAGE_SIZE = 20
"""The search page's first page of results: what precision is measured on."""


@dataclass
class QueryQuality:
    query: str
    relevant: int
    """Published entries whose searchable text contains the query."""
    stated: int
    """The count the search page states."""
    returned: int
    """Distinct entries in the full result list."""
    first_page_relevant: int
    first_page: int
    found: int
    """Relevant entries in the full result list."""
    exact_first: bool | None = None
    """For an identifier query: the entry with that 索引号 or 文号 is the first result."""

    @property
    def precision(self) -> float:
        return self.first_page_relevant / self.first_page if self.first_page else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.relevant if self.relevant else 1.0


def searchable_text(entry: Entry) -> list[str]:
    """The fields a query is matched against, each on its own (no match across two fields)."""
    return [value for value in (entry.title, entry.summary, entry.body, entry.index_no,
                                entry.doc_no) if value]


def entry_url_path(entry: Entry) -> str:
    """The entry page's path below the site root, as result URLs give it (`disclosures/…/`)."""
    return f"disclosures/{entry.slug}/"


def random_queries(entries: list[Entry], count: int, seed: int) -> list[str]:
    """`count` queries nobody chose: 2–6 Chinese characters cut at random from the title or
    body of random published entries (so each has at least one answer)."""
    generator = random.Random(seed)
    queries: list[str] = []
    while len(queries) < count:
        entry = generator.choice(entries)
        runs = [run for run in re.findall(r"[\u4e00-\u9fff]+", f"{entry.title}\n{entry.body}")
                if len(run) >= 2]
        run = generator.choice(runs)
        length = generator.randint(2, min(6, len(run)))
        start = generator.randint(0, len(run) - length)
        if run[start:start + length] not in queries:
            queries.append(run[start:start + length])
    return queries


def identifier_queries(entries: list[Entry]) -> list[str]:
    """One 索引号 and one 文号 from the corpus: a query for each must return its entry first."""
    with_doc_no = [entry for entry in entries if entry.doc_no]
    picked = [entries[len(entries) // 3].index_no, with_doc_no[len(with_doc_no) // 2].doc_no
              if with_doc_no else None]
    return [value for value in picked if value]


_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """http.server's static files, which ignores Range (as `mkdocs serve` does)."""

    def log_message(self, format: str, *args: object) -> None:
        pass


class RangeHandler(QuietHandler):
    """Answers a request for one range of a file (`Range: bytes=first-[last]`) with 206 and
    that slice, or 416 past the file's end, as nginx and other static servers do."""

    def do_GET(self) -> None:
        wanted = _RANGE.fullmatch(self.headers.get("Range", "").strip())
        path = Path(self.translate_path(self.path))
        if not wanted or not path.is_file():
            super().do_GET()
            return
        data = path.read_bytes()
        first = int(wanted[1])
        last = min(int(wanted[2]) if wanted[2] else len(data) - 1, len(data) - 1)
        if first >= len(data) or last < first:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{len(data)}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Range", f"bytes {first}-{last}/{len(data)}")
        self.send_header("Content-Length", str(last + 1 - first))
        self.end_headers()
        self.wfile.write(data[first:last + 1])


@contextmanager
def served(site: Path, ranges: bool = True) -> Iterator[str]:
    """`site` served under a sub-path (/sub/), as a township's area sits under a county portal;
    by a server that answers Range requests, or (`ranges` false) one that ignores them."""
    root = Path(tempfile.mkdtemp(prefix="gongkai-quality-www-"))
    (root / "sub").symlink_to(site.resolve(), target_is_directory=True)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(RangeHandler if ranges else QuietHandler,
                                            directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sub/"
    finally:
        server.shutdown()
        server.server_close()
        (root / "sub").unlink()
        root.rmdir()


# Every result of the query, as a visitor gets them: the search page's "加载更多" button
# clicked until it hides. Only the page's own elements are used, so this works whatever index
# the page runs on. Pages that are not notices (栏目, 年报) are listed apart and not counted.
_ALL_RESULT_URLS = """async () => {
  const more = document.getElementById("gk-search-more");
  const list = document.getElementById("gk-search-results");
  while (!more.hidden) {
    const before = list.children.length;
    more.click();
    const started = Date.now();
    while (list.children.length === before && Date.now() - started < 60000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (list.children.length === before) break;
  }
  return [...list.querySelectorAll(".gk-result__title")].map((link) => link.href);
}"""


def _site_path(url: str, base: str) -> str:
    path = unquote(urlsplit(url).path)
    prefix = urlsplit(base).path
    return path.removeprefix(prefix)


RANDOM_QUERIES = 8


def search_quality(project: Path, site: Path, queries: list[str] | None = None,
                   seed: int = 1) -> list[QueryQuality]:
    """Run each query on the built `site` of `project` and score it against substring truth:
    `queries` (QUALITY_QUERIES), RANDOM_QUERIES cut at random from the corpus, one 索引号 and
    one 文号."""
    config = read_project_config(project)
    published = load_corpus(project, config).published(build_day())
    ids = identifier_queries(published)
    measured = []
    with served(site) as base, chromium() as browser:
        page = browser.new_page()
        for query in ((queries or QUALITY_QUERIES) + random_queries(published, RANDOM_QUERIES, seed)
                      + ids):
            relevant = {entry_url_path(entry) for entry in published
                        if any(query in text for text in searchable_text(entry))}
            page.goto(f"{base}search/?q={quote(query)}")
            page.wait_for_selector("body[data-gk-state=done]", timeout=120000)
            status = page.inner_text("#gk-search-status")
            stated = re.search(r"共找到 (\d+) 条", status)
            links = page.eval_on_selector_all(
                "#gk-search-results .gk-result__title", "links => links.map(a => a.href)")
            first = [_site_path(link, base) for link in links[:PAGE_SIZE]]
            everything = {_site_path(url, base) for url in page.evaluate(_ALL_RESULT_URLS)}
            exact_first = None
            if query in ids:
                exact_first = bool(first) and any(
                    query in (entry.index_no, entry.doc_no) and entry_url_path(entry) == first[0]
                    for entry in published)
            measured.append(QueryQuality(
                query, len(relevant), int(stated.group(1)) if stated else 0, len(everything),
                sum(path in relevant for path in first), len(first),
                len(everything & relevant), exact_first))
    return measured


def quality_table(rows: list[tuple[str, QueryQuality]]) -> str:
    """One line per query; each row's label says which corpus (size and shape)."""
    lines = [("| corpus | query | relevant | page says | returned | precision@20 | recall | "
             "exact id first |"), "|---|---|---|---|---|---|---|---|"]
    for label, q in rows:
        exact = "" if q.exact_first is None else ("yes" if q.exact_first else "**no**")
        precision = f"{q.precision:.2f}" if q.precision >= 0.95 else f"**{q.precision:.2f}**"
        recall = f"{q.recall:.2f}" if q.recall >= 0.95 else f"**{q.recall:.2f}**"
        lines.append(f"| {label} | {q.query} | {q.relevant} | {q.stated} | {q.returned} | "
                     f"{precision} | {recall} | {exact} |")
    worst_precision = min(q.precision for _, q in rows)
    worst_recall = min(q.recall for _, q in rows)
    lines += ["", (f"Worst precision@20: {worst_precision:.2f}; worst recall: {worst_recall:.2f} "
              f"(goal: ≥ 0.95 for every query).")]
    return "\n".join(lines) + "\n"


def main() -> None:
    from bench_build import BIN, make_gongkai_project

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--keep", type=Path, help="build here and keep the project")
    add_corpus_options(parser)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gongkai-quality-") as temp:
        root = args.keep or Path(temp)
        project = root / "gongkai"
        if not (project / "site").exists():
            make_gongkai_project(root, args.size, args.seed, shape=args.shape,
                                 site_only=args.site_only)
            subprocess.run([str(BIN / "mkdocs"), "build", "--site-dir", "site"], cwd=project,
                           env=ENV, check=True, capture_output=True)
        rows = search_quality(project, project / "site", seed=args.seed)
    print(quality_table([(f"{args.size:,} {args.shape}", row) for row in rows]))


if __name__ == "__main__":
    main()
