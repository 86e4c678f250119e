"""The commands of `python build.py`, one module each, in the order `--help` lists them.

A command module is the whole command: NAME (what is typed), HELP (its line in `--help`), EXAMPLE (a
command line that uses it), FAILURE (what heads the problems that stop it, e.g. "check found"),
`add_arguments(parser)` (its own options and arguments, on the argparse subparser the command line
gives it) and `run(args, project, progress)` (the exit status). A new command is a module here and a
line in COMMANDS; the command line (cli.py) reads nothing else. Modules import what their work needs
when they run, so that `--help` and a mistyped option answer at once.
"""

from __future__ import annotations

import argparse
from typing import Protocol

from esgreport.commands import (
    approve,
    assurance,
    bilingual,
    build,
    check,
    diff,
    editorial,
    emissions,
    export,
    gaps,
    import_xliff,
    imports,
    new_year,
    requests,
    serve,
    status,
    translated,
    where,
)
from esgreport.commands.console import Progress
from esgreport.project import Project


class Command(Protocol):
    NAME: str
    HELP: str
    EXAMPLE: str
    FAILURE: str

    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def run(self, args: argparse.Namespace, project: Project, progress: Progress) -> int: ...


# The first is the default: `python build.py` builds.
COMMANDS: tuple[Command, ...] = (build, check, new_year, serve, status, translated, where, diff, gaps, emissions,
                                 requests, imports, approve, assurance, editorial, export, import_xliff, bilingual)
