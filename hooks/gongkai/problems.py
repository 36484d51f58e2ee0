"""Problems found in entries and configuration, collected as values and reported together.

Every check in gongkai appends a `Problem` instead of raising, so that one run shows every
mistake in every file, in one shape staff learn once: ``path:line: field: 中文说明``.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(enum.Enum):
    """An error keeps an entry off the site; a warning is reported and the entry stays."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding about one place in one file."""

    path: str
    line: int
    field: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        location = f"{self.path}:{self.line}" if self.line else self.path
        return f"{location}: {self.field}: {self.message}"

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line, self.field)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def errors(problems: list[Problem]) -> list[Problem]:
    """The problems that keep an entry off the site."""
    return [problem for problem in problems if problem.is_error]


def warnings(problems: list[Problem]) -> list[Problem]:
    """The problems that are reported while the entry is still published."""
    return [problem for problem in problems if not problem.is_error]
