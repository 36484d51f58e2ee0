"""One loader of a whole project, shared by the build and every command.

`load_project` reads the settings, the entries, the annual-report files and the site's own
files, checks them all, and returns one `Project` holding what was found. The build
(plugin.py) and `gongkai check`/`report`/`annual-report` all call it, so a staff member
reads the same messages, word for word, whichever of them she runs.

Where the settings come from differs on purpose, and only there: the build hands over the
settings MkDocs has already loaded (it has resolved `INHERIT` and `!ENV`, and `mkdocs -f`
may name another file); the commands read mkdocs.yml with config.py's resolver, which merges
`INHERIT` and resolves `!ENV` as MkDocs does (tests/test_project_config.py compares the two)
without importing MkDocs and loading its theme and plugins — about 0.2 s, a fifth of the
pre-commit check's budget.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import DisclosureConfig, build_day, read_project_config, read_project_mapping
from .corpus import Corpus, load_corpus
from .entry import Entry
from .problems import Problem, errors
from .screening import ProjectFiles, TextScreen, read_project_files, screen_site_files
from .verdict_cache import VerdictCache, rules_digest

if TYPE_CHECKING:
    from .annual_data import AnnualData


@dataclass
class Project:
    """Everything read and found in one project on one day."""

    config: DisclosureConfig
    today: dt.date
    screen: TextScreen
    """Judges texts with the project's Markdown settings."""
    corpus: Corpus
    annual: dict[int, AnnualData]
    """The valid annual-report data files, by year."""
    corpus_problems: list[Problem]
    """Problems of the entry files (timing warnings included)."""
    annual_problems: list[Problem]
    site_problems: list[Problem]
    """Problems of mkdocs.yml's names and of the pages in docs/: unlike an entry, these
    cannot be left out of the site, so they stop a build."""
    reminders: list[Problem] = field(default_factory=list)
    """From time passing, not from a file: shown, never failing a check or build."""

    @property
    def problems(self) -> list[Problem]:
        """Every error and warning, in the order messages are shown."""
        return sorted(self.corpus_problems + self.annual_problems + self.site_problems,
                      key=Problem.sort_key)

    @property
    def errors(self) -> list[Problem]:
        return errors(self.problems)

    @property
    def notes(self) -> list[Problem]:
        """Personal data published on purpose, with a written reason: for the record."""
        return self.corpus.notes

    @property
    def pending(self) -> list[Entry]:
        """Valid entries not public yet: drafts and those dated later."""
        return self.corpus.pending(self.today)


def load_project(project_dir: Path, *, config: DisclosureConfig | None = None,
                 files: ProjectFiles | None = None, docs_dir: Path | None = None,
                 today: dt.date | None = None, cache: bool = False,
                 parallel: bool | None = None) -> Project:
    """Read and check the project in `project_dir`.

    `config` and `files` (what screening needs of mkdocs.yml) default to reading the
    project's mkdocs.yml; `docs_dir` to the one it names; `today` to the build day. With
    `cache` (the commands), unchanged entry files keep their verdict from the last run
    (verdict_cache.py) and the others are judged on every core; `parallel` (default: as
    `cache`) judges them on every core without a cache (`mkdocs build`, before it forks).
    Raises ConfigError when the settings are wrong, which no check can go past."""
    mapping = None
    if config is None:
        mapping = read_project_mapping(project_dir)  # read once for both (YAML in Python)
        config = read_project_config(project_dir, mapping)
    if today is None:
        today = build_day()
    if files is None:
        files = read_project_files(project_dir, mapping)
    if docs_dir is None:
        docs_dir = project_dir / files.docs_dir
    screen = TextScreen(files.markdown)
    verdicts = VerdictCache(project_dir, functools.partial(rules_digest, config, files.markdown)
                            ) if cache else None
    annual: dict[int, AnnualData] = {}
    annual_problems: list[Problem] = []
    site_problems: list[Problem] = []

    def screen_the_other_files() -> None:
        """Done while workers judge the entries: the site's pages alone cost a tenth of a
        second or more (Markdown and Pygments are imported to render them)."""
        from .annual_data import load_all_annual_data

        # Needed once the entries are judged, made now: each costs this process 10-20 ms.
        importlib.import_module(".timing", __package__)
        if verdicts is not None:
            verdicts.make_digest()
        found_annual, found_problems = load_all_annual_data(project_dir, config.reports_dir,
                                                            screen)
        annual.update(found_annual)
        annual_problems.extend(found_problems)
        site_problems.extend(screen_site_files(project_dir, files, config, screen))

    if parallel is None:
        parallel = cache
    try:
        corpus = load_corpus(project_dir, config, docs_dir, screen, verdicts,
                             parallel=parallel, meanwhile=screen_the_other_files)
        from .timing import add_timing_findings

        reminders = add_timing_findings(corpus, config, today)
    finally:
        if verdicts is not None:
            verdicts.wait_saved()  # written meanwhile: see VerdictCache.save_meanwhile
    return Project(config, today, screen, corpus, annual, corpus.problems, annual_problems,
                   site_problems, reminders)
