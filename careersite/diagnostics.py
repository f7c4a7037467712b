"""Located problems: one type for every message careersite reports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at a place in a file, reported gcc-style."""

    path: str
    """Project-relative path with forward slashes ("plans/goals/a.md")."""
    line: int
    """1-based line in the file as it is on disk (frontmatter included)."""
    col: int
    """1-based column."""
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.severity}: {self.message}"

    def to_json(self) -> dict[str, object]:
        """The diagnostic as a JSON-ready mapping."""
        return {
            "path": self.path,
            "line": self.line,
            "col": self.col,
            "severity": self.severity,
            "message": self.message,
        }


def error(path: str, line: int, col: int, message: str) -> Diagnostic:
    """An error at path:line:col."""
    return Diagnostic(path, line, col, "error", message)


def warning(path: str, line: int, col: int, message: str) -> Diagnostic:
    """A warning at path:line:col."""
    return Diagnostic(path, line, col, "warning", message)


def sort_diagnostics(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file, line, column; duplicates removed."""
    return sorted(set(diags), key=lambda d: (d.path, d.line, d.col, d.severity, d.message))


def has_errors(diags: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.severity == "error" for d in diags)


class PlanError(Exception):
    """Raised by a stage that cannot go on; carries every problem found so far."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


class UsageError(Exception):
    """A problem with how careersite was called (exit status 2)."""
