"""Problems found in the input, reported to editors as file:line with what to do."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where it is, what is wrong, what to do about it."""

    source: Path | None
    line: int | None
    message: str
    hint: str = ""

    def location(self, root: Path | None = None) -> str:
        if self.source is None:
            return "report"
        path = self.source
        if root is not None:
            try:
                path = path.resolve().relative_to(root.resolve())
            except ValueError:
                pass
        return f"{path}:{self.line}" if self.line else str(path)

    def format(self, root: Path | None = None) -> str:
        text = f"{self.location(root)}: {self.message}"
        if self.hint:
            text += f"\n    → {self.hint}"
        return text


class ReportError(Exception):
    """Raised when the input cannot be built; carries every problem found."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(p.format() for p in self.problems))


class Problems:
    """Collects problems so that an editor sees all of them in one run."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, source: Path | None, line: int | None, message: str, hint: str = "") -> None:
        problem = Problem(source, line, message, hint)
        if problem not in self.items:
            self.items.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        for p in problems:
            if p not in self.items:
                self.items.append(p)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ReportError(self.items)


def did_you_mean(name: str, known: Iterable[str], otherwise: str) -> str:
    """A hint naming the closest known ids to a mistyped one, or `otherwise`."""
    close = difflib.get_close_matches(name, list(known), n=3, cutoff=0.6)
    return f"did you mean {' or '.join(f'`{c}`' for c in close)}?" if close else otherwise
