"""The command line: `python build.py [COMMAND] [ARGUMENTS] [OPTIONS]` (see DESCRIPTION).

Each command is a module of esgreport/commands/ with a parser of its own (an argparse subparser), so
`python build.py check --help` lists check's options only, and an option check does not take is an
error naming the command it belongs to. Options and arguments come in any order, before or after the
command (`--year 2024 check`, `translated --lang en SECTION`): the command is the first word that is
not an option or an option's value, and everything else is the command's to parse. Without a command
the report is built.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn

from esgreport.commands import COMMANDS, Command
from esgreport.commands import build as default
from esgreport.commands.console import Progress, print_failure
from esgreport.commands.options import UsageError, add_common
from esgreport.errors import ReportError, did_you_mean
from esgreport.project import Project

DESCRIPTION = """\
Build the ESG report from content/<year>/ into output/<year>/<edition>/: web pages (index.html
first) and one PDF per edition. Without a command every edition of the latest report is built.

commands:
{commands}

`python build.py COMMAND --help` lists a command's options; the options below are the build's.
"""

EPILOG = """\
examples:
  python build.py                       build every edition of the latest year, HTML and PDF
  python build.py --lang zh-hant        build the Traditional Chinese edition only
  python build.py --lang en --format html
  python build.py --year 2023           build an earlier year (each year has its own output folder)
  python build.py check                 list every problem in content/ as file:line
  python build.py new-year 2024         start the 2024 report from the 2023 one
  python build.py --year 2024 --draft   preview with empty figures shown as placeholders
  python build.py serve                 preview on http://127.0.0.1:8000/ while editing
  python build.py status                the review cycle, section by section
  python build.py translated chairmans-letter --lang en
  python build.py where workforce.total
  python build.py diff main --markdown
  python build.py requests              a data-request workbook per owner, into output/<year>/requests/
  python build.py import output/2024/requests/HR.xlsx
  python build.py approve workforce --by "Mary Chan"
  python build.py assurance             the assurance provider's pack, into output/<year>/assurance/

Problems in the input are printed as file:line with what to do; the previous output is left as it
was. A build shows its steps on a terminal once it takes more than two seconds (-v: always; -q:
problems only); in a log (CI) it prints a summary.

Exit status: 0 done (for check: no problem), 1 problems in the input (check, build) or a translation
out of date (status), 2 a wrong command line, 130 stopped by Ctrl-C, 143 terminated.
"""


class CommandParser(argparse.ArgumentParser):
    """A command's parser: a missing argument is answered with an example of the command."""

    def __init__(self, *args, example: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.example = example

    def error(self, message: str) -> NoReturn:
        missing = "the following arguments are required: "
        if message.startswith(missing) and self.example:
            message = f"`{self.prog.split()[-1]}` needs {message.removeprefix(missing)}, e.g. `{self.example}`"
        super().error(message)


class CommandLine:
    """The top-level parser (its --help lists the commands and the build's options), and a parser of
    each command's own. The top-level one parses nothing: it shows help and refuses unknown commands."""

    def __init__(self, commands: Iterable[Command] = COMMANDS):
        self.commands = {command.NAME: command for command in commands}
        self.top = argparse.ArgumentParser(prog="build.py", usage="%(prog)s [COMMAND] [ARGUMENTS] [OPTIONS]",
                                           epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                                           allow_abbrev=False)
        default.add_arguments(self.top)         # `python build.py --help` shows what a build takes
        add_common(self.top)
        subparsers = self.top.add_subparsers(metavar="COMMAND", help=argparse.SUPPRESS, parser_class=CommandParser)
        self.parsers: dict[str, CommandParser] = {}
        for name, command in self.commands.items():
            parser = subparsers.add_parser(name, prog=f"build.py {name}", help=command.HELP,
                                           description=command.HELP, epilog=f"example: {command.EXAMPLE}",
                                           allow_abbrev=False, example=command.EXAMPLE)
            command.add_arguments(parser)
            add_common(parser)
            self.parsers[name] = parser
        self.top.description = DESCRIPTION.format(commands="\n".join(self._listed()))
        # Every command's options, and those that take a value: the word after one is never the command.
        actions = [action for parser in (self.top, *self.parsers.values()) for action in parser._actions]
        self.flags = {flag for action in actions for flag in action.option_strings}
        self.valued = {flag for action in actions if action.nargs != 0 for flag in action.option_strings}

    def _listed(self) -> Iterable[str]:
        """A line (or two) per command for the top-level --help: its name, its arguments, what it does."""
        for name, parser in self.parsers.items():
            called = " ".join([name, *(_shown(action, short=True) for action in _positionals(parser))])
            first, *more = textwrap.wrap(self.commands[name].HELP, 78)
            yield f"  {called:<18}  {first}"
            yield from (f"{'':22}{line}" for line in more)

    def parse(self, argv: list[str]) -> tuple[Command, CommandParser, argparse.Namespace]:
        """The command, its parser, and what it was given; SystemExit(2) with the reason if it
        cannot run, SystemExit(0) after --help."""
        name, rest = self._split(argv)
        if name is None and ("-h" in argv or "--help" in argv):
            self.top.print_help()
            raise SystemExit(0)
        name = name or default.NAME
        parser = self.parsers[name]
        # Intermixed: `translated a --lang en b` is two sections, as `translated a b --lang en` is.
        args, extras = parser.parse_known_intermixed_args(rest)
        if extras:
            parser.error(self._refusal(name, extras))
        return self.commands[name], parser, args

    def _split(self, argv: list[str]) -> tuple[str | None, list[str]]:
        """The command (None: the default) and the rest of the command line, in its order. The command
        is the first word that names one and is not an option's value; a first word that names none
        is a mistyped command, unless an option nobody knows came first (then the build names it)."""
        other: str | None = None
        unknown_option = False
        i = 0
        while i < len(argv) and argv[i] != "--":
            word = argv[i]
            if word.startswith("-") and word != "-":
                unknown_option |= word.split("=", 1)[0] not in self.flags
                i += 2 if word in self.valued else 1
                continue
            if word in self.commands:
                return word, argv[:i] + argv[i + 1:]
            other = other or word
            i += 1
        if other is not None and not unknown_option:
            self.top.error(f"`{other}` is not a command; " + (
                f"to choose a year, write --year {other}" if other.isdigit() else
                did_you_mean(other, self.commands, f"the commands: {', '.join(self.commands)}")))
        return None, list(argv)

    def _refusal(self, name: str, extras: list[str]) -> str:
        """Why the command does not take these words: the first option, or else the first argument."""
        parser = self.parsers[name]
        option = next((word for word in extras if word.startswith("-") and word != "-"), None)
        if option is not None:
            flag = option.split("=", 1)[0]
            owners = [other for other, p in self.parsers.items() if flag in _flags(p)]
            if owners:
                return f"`{flag}` is not an option of {name} (it belongs to {_and(owners)})"
            return f"`{flag}` is not an option of {name}; " + did_you_mean(
                flag, [f for f in _flags(parser) if f.startswith("--")],
                f"`python build.py {name} --help` lists its options")
        word = extras[0]
        year_hint = f": to choose a year, write --year {word}" if word.isdigit() and "--year" in _flags(parser) else ""
        positionals = [_shown(action) for action in _positionals(parser)]
        if not positionals:
            return f"`{name}` takes no argument `{word}`{year_hint}"
        return f"`{name}` takes {' '.join(positionals)}: `{word}` is one too many{year_hint}"


def _positionals(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [action for action in parser._actions if not action.option_strings]


def _flags(parser: argparse.ArgumentParser) -> list[str]:
    return [flag for action in parser._actions for flag in action.option_strings]


def _shown(action: argparse.Action, short: bool = False) -> str:
    """An argument as a command's usage shows it: METRIC, [REV], SECTION ... (short: SECTION)."""
    metavar = str(action.metavar or action.dest)
    many = metavar if short else f"{metavar} ..."
    return {"?": f"[{metavar}]", "*": many, "+": many}.get(str(action.nargs), metavar)


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def parser() -> argparse.ArgumentParser:
    """The top-level parser, as `python build.py --help` shows it."""
    return CommandLine().top


def _stop(signum, frame):
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None, root: Path | None = None) -> int:
    signal.signal(signal.SIGTERM, _stop)     # a build stopped by a timeout cleans up like Ctrl-C
    try:
        return _main(sys.argv[1:] if argv is None else argv, root)
    except BrokenPipeError:
        # The reader went away (`python build.py where … | head`): what is left to print goes nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 128 + signal.SIGPIPE
    except (KeyboardInterrupt, SystemExit) as exc:
        code = exc.code if isinstance(exc, SystemExit) else 130
        if not isinstance(code, int) or code in (0, 1, 2):     # a finished run, or a message to print
            raise
        print("Stopped: nothing in output/ was changed.", file=sys.stderr)
        return code


def _main(argv: list[str], root: Path | None) -> int:
    command, parser, args = CommandLine().parse(argv)
    project = Project((args.root or root or Path.cwd()).resolve())
    progress = Progress(args.quiet, args.verbose)
    try:
        return command.run(args, project, progress)
    except UsageError as exc:
        parser.error(str(exc))
    except ReportError as exc:
        print_failure(command.FAILURE, exc.problems, project.root)
        return 1
