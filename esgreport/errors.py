"""Problems found in the input, reported to editors as file:line with what to do."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what is wrong, what to do about it.

    An error stops a build; a warning is shown and the build goes on. `kind` groups problems of one
    sort (for example every empty value of a new year) so that they can be summarised."""

    source: Path | None
    line: int | None
    message: str
    hint: str = ""
    severity: Severity = "error"
    kind: str = ""

    def location(self, root: Path | None = None) -> str:
        if self.source is None:
            return "report"
        path = self.source
        if root is not None:
            # The folder resolved, not the file: a link is named as itself, not as its target.
            for resolved in (path.parent.resolve() / path.name, path.resolve()):
                if resolved == root.resolve() or root.resolve() in resolved.parents:
                    path = resolved.relative_to(root.resolve())
                    break
        return f"{path}:{self.line}" if self.line else str(path)

    def format(self, root: Path | None = None, hint: bool = True) -> str:
        label = "warning: " if self.severity == "warning" else ""
        text = f"{self.location(root)}: {label}{self.message}"
        if self.hint and hint:
            text += f"\n    → {self.hint}"
        return text

    def as_warning(self) -> "Problem":
        return Problem(self.source, self.line, self.message, self.hint, "warning", self.kind)


class ReportError(Exception):
    """Raised when the input cannot be built; carries every problem found (warnings too)."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


class Problems:
    """Collects problems so that an editor sees all of them in one run."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self._seen: set[Problem] = set()

    def add(self, source: Path | None, line: int | None, message: str, hint: str = "",
            severity: Severity = "error", kind: str = "") -> None:
        self.append(Problem(source, line, message, hint, severity, kind))

    def warn(self, source: Path | None, line: int | None, message: str, hint: str = "", kind: str = "") -> None:
        self.append(Problem(source, line, message, hint, "warning", kind))

    def append(self, problem: Problem) -> None:
        if problem not in self._seen:
            self._seen.add(problem)
            self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            self.append(p)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def __bool__(self) -> bool:
        """True when there is an error (warnings alone do not stop anything)."""
        return any(p.severity == "error" for p in self.items)

    def raise_if_any(self) -> None:
        if self:
            raise ReportError(self.items)


def did_you_mean(name: str, known: Iterable[str], otherwise: str) -> str:
    """A hint naming the closest known ids to a mistyped one, or `otherwise`."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(f'`{c}`' for c in close)}?" if close else otherwise


def problem_at(path: Path | None, message: str, hint: str = "", line: int | None = None) -> ReportError:
    """A ReportError of one problem, for the cases that stop at once (no report folder, say)."""
    return ReportError(Problem(path, line, message, hint))
