"""The options several commands take, defined once so that each means the same in every command."""

from __future__ import annotations

import argparse
import re
from pathlib import Path


def year(text: str) -> int:
    """A report's year, as argparse reads it (`--year 2024`, `new-year 2024`)."""
    if not re.fullmatch(r"[0-9]{4}", text):
        # int() reads other scripts' digits ("２０２４", "٢٠٢٤") too; a year is written in 0–9.
        raise argparse.ArgumentTypeError(f"`{text}` is not a year; write it like 2024" +
                                         (" (in the digits 0–9)" if text.isdigit() else ""))
    return int(text)


def add_common(parser: argparse.ArgumentParser) -> None:
    """What every command takes: how much it prints, and (for the tests) the project's folder."""
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every step, with times")
    parser.add_argument("--root", type=Path, default=None, help=argparse.SUPPRESS)


def add_year(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=year, help="reporting year folder under content/ (default: the latest)")


def add_editions(parser: argparse.ArgumentParser,
                 meaning: str = "edition: zh-hant or en (repeat for several; default: all editions)") -> None:
    parser.add_argument("--lang", action="append", metavar="EDITION", help=meaning)


def add_draft_and_final(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--draft", action="store_true",
                        help="a preview of work in progress: empty figures show as placeholders naming the "
                             "metric, every page is marked as a draft, incomplete translations are warnings")
    parser.add_argument("--final", action="store_true",
                        help="the edition for publication: refuses a section not approved or a translation "
                             "out of date")


class UsageError(Exception):
    """A command line a command cannot run (say, `translated` with neither a section nor --all): the
    command's usage and this message, exit status 2, as for anything argparse itself refuses."""


def a_date(text: str):
    """A day, as argparse reads it (`--date 2025-03-01`)."""
    from datetime import date

    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"`{text}` is not a date; write it like 2025-03-01") from None
