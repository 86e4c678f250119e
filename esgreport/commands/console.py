"""What a command prints: its steps as they run, and the problems it found, grouped by file."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from esgreport.errors import Problem


class Progress:
    """Steps as they run: on a terminal once the work takes more than two seconds, always with -v,
    never with -q or in a log (where only the summary is printed)."""

    def __init__(self, quiet: bool, verbose: bool):
        self.started = time.monotonic()
        self.quiet, self.verbose = quiet, verbose
        self.live = not quiet and (verbose or sys.stderr.isatty())
        self.held: list[str] = []

    def step(self, message: str) -> None:
        if not self.live:
            return
        line = f"  {time.monotonic() - self.started:5.1f} s  {message}"
        if self.verbose or time.monotonic() - self.started > 2:
            for held in self.held:
                print(held, file=sys.stderr, flush=True)
            self.held = []
            print(line, file=sys.stderr, flush=True)
        else:
            self.held.append(line)

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)


def relative(path: Path, root: Path) -> str:
    """`path` as the editor would type it from the project's folder (as it is when outside it)."""
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


def print_failure(heading: str, problems: list[Problem], root: Path) -> None:
    """`heading` with the count of errors (e.g. "check found 2 problems."), then every problem."""
    errors = sum(p.severity == "error" for p in problems)
    print(f"{heading} {errors} problem{'s' if errors != 1 else ''}.", file=sys.stderr)
    print_problems(problems, root)


def print_problems(problems: list[Problem], root: Path) -> None:
    """Problems grouped by file, in the order found; a hint repeated for problems of one kind in a
    row is printed once, after the last of them. Empty values are summarised per file at the end."""
    by_file: dict[str, list[Problem]] = {}
    for p in problems:
        by_file.setdefault(p.location(root).rsplit(":", 1)[0] if p.line else p.location(root), []).append(p)
    for group in by_file.values():
        group.sort(key=lambda p: (p.severity != "error", p.line or 0))
        for i, p in enumerate(group):
            later = group[i + 1] if i + 1 < len(group) else None
            same_hint_next = later is not None and later.kind and later.kind == p.kind and later.hint == p.hint
            print(p.format(root, hint=not same_hint_next), file=sys.stderr)
    empty = [p for p in problems if p.kind == "empty-value"]
    if empty:
        counts: dict[str, int] = {}
        for p in empty:
            counts[p.location(root).rsplit(":", 1)[0]] = counts.get(p.location(root).rsplit(":", 1)[0], 0) + 1
        print(f"{len(empty)} empty values: " + ", ".join(f"{Path(f).name} {n}" for f, n in counts.items()),
              file=sys.stderr)
