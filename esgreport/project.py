"""Where a project's folders are: content (editors), templates (designers), locales (translators)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path


@dataclass(frozen=True)
class Project:
    """The folders of one project. Defaults to the folder holding build.py."""

    root: Path

    @property
    def content(self) -> Path:
        return self.root / "content"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def locales(self) -> Path:
        return self.root / "locales"

    @property
    def output(self) -> Path:
        """The default place of built files; a build may be given another."""
        return self.root / "output"

    @cached_property
    def commit(self) -> str | None:
        """The git commit the project's files are built from, for the PDF's metadata, the JSON download
        and the assurance pack; `-dirty` added where content, templates, catalogs or code differ from it
        (then the files are not that commit's). None outside git, or where git is not installed: a build
        works without it, and writes no commit."""
        def git(*args: str) -> str | None:
            try:
                done = subprocess.run(["git", "-C", str(self.root), *args], capture_output=True, text=True, timeout=30)
            except (OSError, subprocess.SubprocessError):
                return None
            return done.stdout.strip() if done.returncode == 0 else None

        head = git("rev-parse", "--verify", "--quiet", "HEAD")
        if not head or git("rev-parse", "--show-prefix") is None:
            return None
        changed = git("status", "--porcelain", "--", "content", "templates", "locales", "esgreport")
        return f"{head}-dirty" if changed else head
