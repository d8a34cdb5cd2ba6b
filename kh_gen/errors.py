"""Located problems and the one exception type a user mistake raises.

Every mistake in a form, a catalogue or a template is a `Problem` that knows its file, line and
column, so the clerk is sent to their own line. Problems are collected and raised together
(`KhGenError`) so one run reports everything; the CLI catches `KhGenError` once. Anything else
that escapes is a bug and keeps its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from .i18n import N_, _

# the severities as shown; the words are translated, the values compared in code are not
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}


class Location(NamedTuple):
    """A place in a source file; line and column count from 1, as editors show them."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}"
        return self.path

    @classmethod
    def of_file(cls, path: Path | str) -> Location:
        return cls(str(path))


class Problem(NamedTuple):
    """One thing wrong, with where it is, what it is and (in the message) what to do."""

    location: Location
    message: str
    severity: str = "error"  # "error" stops a build; "warning" is printed
    rule: str = ""

    def __str__(self) -> str:
        rule = f" [{self.rule}]" if self.rule else ""
        severity = _(SEVERITY_WORDS.get(self.severity, self.severity))
        return f"{self.location}: {severity}: {self.message}{rule}"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


class KhGenError(Exception):
    """Raised when input (form, catalogue, template, output path) cannot be used.

    Carries every problem found, in source order, so the user fixes them all in one go.
    """

    def __init__(self, problems: Iterable[Problem]):
        self.problems: tuple[Problem, ...] = tuple(sorted(problems, key=_problem_order))
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(problem: Problem) -> tuple[str, int, int, str]:
    loc = problem.location
    return (loc.path, loc.line, loc.column, problem.message)


class Problems:
    """A collector: stages add problems and raise once at the end of the stage."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, location: Location, message: str, *, severity: str = "error",
            rule: str = "") -> None:
        self.items.append(Problem(location, message, severity, rule))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if not p.is_error]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise KhGenError(self.items)
