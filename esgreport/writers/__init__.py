"""The outputs of an edition, each a writer that registers itself: the web site, the PDF, the KPI data.

A writer says which files of an edition's folder are its own (`owns`), may check the rendered
edition before anything is written (`verify`), and writes its files into a folder (`write`). This
module is the registry only, as Sphinx's is: it imports no writer. `load_writers()` imports the
built-in ones (each module registers its class), and the command line's `--format` choices are the
names registered, in this order.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from esgreport.errors import Problems
    from esgreport.model.report import Report
    from esgreport.project import Project
    from esgreport.render.edition import RenderedEdition

# The writers a build has, in the order of `--format`; each module registers its writer on import.
BUILTIN_WRITERS = ("esgreport.writers.web", "esgreport.writers.pdf", "esgreport.writers.data")


class Writer:
    name: ClassVar[str]
    description: ClassVar[str]
    media: ClassVar[tuple[str, ...]] = ("web",)   # what it is made from: the web pages, the print document

    def owns(self, path: PurePosixPath) -> bool:
        """Whether a file of an edition's folder (relative path) is this writer's."""
        raise NotImplementedError

    def key(self, rendered: RenderedEdition, project: Project) -> str:
        """What this writer's files are made from; the files are written again only when it changes."""
        raise NotImplementedError

    def verify(self, rendered: RenderedEdition, report: Report, problems: Problems) -> None:
        """Problems that would spoil this output, found before anything is written."""

    def write(self, rendered: RenderedEdition, folder: Path, project: Project) -> None:
        raise NotImplementedError


WRITERS: dict[str, Writer] = {}


def register(cls: type[Writer]) -> type[Writer]:
    WRITERS[cls.name] = cls()
    return cls


def load_writers(modules: Iterable[str] = BUILTIN_WRITERS) -> dict[str, Writer]:
    """The registry, with the built-in writers' modules imported (they are light: each imports its
    heavy library, WeasyPrint or XlsxWriter, only when it writes)."""
    for module in modules:
        importlib.import_module(module)
    return WRITERS


def owner(path: PurePosixPath) -> str | None:
    return next((name for name, w in load_writers().items() if w.owns(path)), None)


def media(formats: Iterable[str]) -> tuple[str, ...]:
    """What an edition must be rendered as for these formats."""
    writers = load_writers()
    return tuple(dict.fromkeys(m for f in formats for m in writers[f].media))
