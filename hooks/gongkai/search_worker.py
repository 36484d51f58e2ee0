"""The search index's own process: slim pages from a job file, then Pagefind over them.

Run by search.py as `python -m gongkai.search_worker SCRATCH`, where SCRATCH holds the pickled
`SearchJob`. It converts each body with the same Markdown extensions and settings as MkDocs,
writes one slim page per entry under SCRATCH/pages, and then becomes Pagefind (exec), so the
memory this process used is given back before Pagefind needs its own. Its output, Pagefind's
summary or a Chinese error, is what the build reports.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import markdown

from .search import (
    INDEX_CHUNK_SIZE,
    JOB_FILE,
    LANGUAGE,
    WORKER_FAILED,
    SearchJob,
    index_form_html,
)

# A body of plain paragraphs (most notices): no character Markdown or its extensions give a
# meaning to, no line that starts a block of another kind (list, heading, quote, code, rule,
# table, admonition), no white space at either end of a line (which Markdown would drop or
# read as a hard line break). Python-Markdown turns such a body into one <p>
# per block of lines, as plain_paragraphs_html does; it is slow at it (most of the worker's
# time went into its inline processing), and tests/test_search_index.py checks that both agree
# on generated bodies.
_MARKUP_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\\`*_\[\]<>&!{}|~\t\r]")
_OTHER_BLOCK_START = re.compile(r"^(?:[^\S\n]|[#>+=:-]|\d+[.)])|[^\S\n]$", re.MULTILINE)


PLAIN_PATH_EXTENSIONS = frozenset({"toc", "tables", "fenced_code", "attr_list", "md_in_html",
                                   "admonition"})
"""The Markdown extensions under which plain_paragraphs_html is what Python-Markdown makes of a
plain body (the test checks it with exactly these). With any other extension configured
(smarty, nl2br, pymdownx.*…) every body goes through Python-Markdown."""


def plain_path_allowed(extensions: list[Any]) -> bool:
    return all(isinstance(name, str)
               and name.removeprefix("markdown.extensions.") in PLAIN_PATH_EXTENSIONS
               for name in extensions)


def plain_paragraphs_html(body: str) -> str | None:
    """The HTML of a body of plain paragraphs, or None when the body needs Markdown."""
    if _MARKUP_CHARACTER.search(body) or _OTHER_BLOCK_START.search(body):
        return None
    blocks = re.split(r"\n\n+", body.strip("\n"))
    return "\n".join(f"<p>{block}</p>" for block in blocks if block)


def write_pages(job: SearchJob, folder: Path) -> None:
    converter = markdown.Markdown(extensions=job.markdown_extensions,
                                  extension_configs=job.markdown_configs)
    plain_path = plain_path_allowed(job.markdown_extensions)
    for page in job.pages:
        path = folder / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        body = plain_paragraphs_html(page.body_markdown) if plain_path else None
        if body is None:
            body = converter.reset().convert(page.body_markdown)
        body = index_form_html(body)
        path.write_text(
            f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head>'
            f"<body><main data-pagefind-body>{page.head_html}\n{body}\n{page.tail_html}"
            "</main></body></html>",
            encoding="utf-8",
        )


def main(scratch: Path) -> None:
    pages = scratch / "pages"
    try:
        job: SearchJob = pickle.loads((scratch / JOB_FILE).read_bytes())
        write_pages(job, pages)
    except OSError as error:
        print(f"无法写入搜索索引的临时页面 {error.filename}：{error.strerror}", flush=True)
        sys.exit(WORKER_FAILED)
    except Exception as error:  # noqa: BLE001 (a process boundary: the build reports it)
        print(f"转换正文时出错（{type(error).__name__}：{error}）", flush=True)
        sys.exit(WORKER_FAILED)
    command = [sys.executable, "-m", "pagefind", "--site", str(pages),
               "--output-path", job.output, "--force-language", LANGUAGE]
    os.environ.setdefault("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", INDEX_CHUNK_SIZE)
    sys.stdout.flush()
    if os.name == "posix":
        os.execv(sys.executable, command)
    sys.exit(subprocess.call(command))  # Windows has no exec that keeps the process


if __name__ == "__main__":
    main(Path(sys.argv[1]))
