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
import subprocess
import sys
from pathlib import Path

import markdown

from .search import JOB_FILE, LANGUAGE, SearchJob


def write_pages(job: SearchJob, folder: Path) -> None:
    converter = markdown.Markdown(extensions=job.markdown_extensions,
                                  extension_configs=job.markdown_configs)
    for page in job.pages:
        path = folder / page.path
        path.parent.mkdir(parents=True, exist_ok=True)
        body = converter.reset().convert(page.body_markdown)
        path.write_text(
            f'<!DOCTYPE html><html lang="{LANGUAGE}"><head><meta charset="utf-8"></head>'
            f"<body><main data-pagefind-body>{page.head_html}\n{body}\n{page.tail_html}"
            "</main></body></html>",
            encoding="utf-8",
        )


def main(scratch: Path) -> None:
    job: SearchJob = pickle.loads((scratch / JOB_FILE).read_bytes())
    pages = scratch / "pages"
    try:
        write_pages(job, pages)
    except OSError as error:
        print(f"无法写入搜索索引的临时页面 {error.filename}：{error.strerror}", flush=True)
        sys.exit(1)
    command = [sys.executable, "-m", "pagefind", "--site", str(pages),
               "--output-path", job.output, "--force-language", LANGUAGE]
    sys.stdout.flush()
    if os.name == "posix":
        os.execv(sys.executable, command)
    sys.exit(subprocess.call(command))  # Windows has no exec that keeps the process


if __name__ == "__main__":
    main(Path(sys.argv[1]))
