"""A figure's history in git: the commits that changed one year's value of a metric, with author and date.

The data files' versions are read from git (`git log`, `git show`) and parsed as the build parses them;
a commit in which the value differs from the commit before it is a change. Outside git (or without
git installed) there is no history, and the pack says so.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path


@dataclass(frozen=True)
class Change:
    commit: str          # the commit's id, or "uncommitted" for the working tree
    author: str
    date: str            # ISO 8601
    value: str           # as the data file had it: a figure, n/a, or "" (empty)


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _values(text: str) -> dict[str, dict[int, str]]:
    """metric → year → value (as text) of a data file's text; nothing where it cannot be read."""
    from esgreport.model.load import YamlProblem, compose_yaml

    try:
        _, data = compose_yaml(text)
    except YamlProblem:
        return {}
    metrics = data.get("metrics") if isinstance(data, dict) else None
    out: dict[str, dict[int, str]] = {}
    for mid, spec in (metrics or {}).items() if isinstance(metrics, dict) else ():
        values = spec.get("values") if isinstance(spec, dict) else None
        if isinstance(values, dict):
            out[str(mid)] = {int(y): _shown(v) for y, v in values.items() if isinstance(y, int)}
    return out


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{Decimal(repr(value)).normalize():f}"
    return str(value)


class History:
    """The changes of every figure of the data files asked about, read from git once per file."""

    def __init__(self, root: Path):
        self.root = root
        self.in_git = _git(root, "rev-parse", "--verify", "--quiet", "HEAD") is not None
        self._files: dict[Path, dict[tuple[str, int], list[Change]]] = {}

    def of(self, path: Path, metric: str, year: int) -> list[Change]:
        if path not in self._files:
            self._files[path] = self._read(path)
        return self._files[path].get((metric, year), [])

    def _read(self, path: Path) -> dict[tuple[str, int], list[Change]]:
        changes: dict[tuple[str, int], list[Change]] = {}
        if not self.in_git:
            return changes
        relative = path.resolve().relative_to(self.root.resolve()).as_posix()
        log = _git(self.root, "log", "--reverse", "--format=%H%x1f%an%x1f%aI", "--", relative) or ""
        before: dict[tuple[str, int], str] = {}

        def record(commit: str, author: str, when: str, text: str) -> None:
            now = {(m, y): v for m, years in _values(text).items() for y, v in years.items()}
            for key, value in now.items():
                if before.get(key) != value:
                    changes.setdefault(key, []).append(Change(commit, author, when, value))
            before.clear()
            before.update(now)

        for line in log.splitlines():
            commit, author, when = line.split("\x1f")
            text = _git(self.root, "show", f"{commit}:./{relative}")
            if text is not None:
                record(commit, author, when, text)
        try:
            record("uncommitted", "", "", path.read_text(encoding="utf-8"))
        except OSError:
            pass
        return changes
