"""Read YAML and Markdown from disk, keeping line numbers so problems can name file and line."""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from esgreport.errors import Problem, ReportError

# A file that cannot be read at all: what it defines is unknown, so a run reports such files alone
# rather than every reference to what they might hold.
UNREADABLE = "unreadable"


@dataclass
class YamlDoc:
    """A parsed YAML file and the node tree that knows where each value stands."""

    path: Path
    data: Any
    node: yaml.Node | None
    line_offset: int = 0  # lines before the YAML text in its file (front matter, fenced blocks)

    def line_of(self, keys: tuple | list) -> int | None:
        """Line (1-based) of the value at `keys`, or of the deepest key that exists."""
        node = self.node
        line = node.start_mark.line + 1 if node is not None else None
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if str(k.value) == str(key):
                        line = k.start_mark.line + 1
                        node = v
                        break
                else:
                    break
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                break
        return line + self.line_offset if line is not None else None


# libyaml's parser where it is installed (several times faster); the same safe constructor either way.
if TYPE_CHECKING:
    from yaml import SafeLoader as _SafeLoader
else:
    _SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """SafeLoader that refuses duplicate keys: in a data file the second one silently wins."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None,
                    f"duplicate key {key!r} (first at line {seen[key]})",
                    key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


# What a plain (unquoted) value is, as YAML 1.2's core schema says, not YAML 1.1 (PyYAML's own):
# `yes`, `no`, `on`, `off` are text, only true/false are booleans; a leading zero makes no octal
# number (0123 stays text, and a figure written so is refused, esgreport/model/numbers.py); 1:20 is
# no sexagesimal number. Stricter than the core schema: no 0x/0o numbers, exponents, .inf or .nan,
# which no figure is written with (they stay text). Dates stay text until validation, so that a typo
# is reported, not silently accepted.
_UniqueKeyLoader.yaml_implicit_resolvers = {}
for _tag, _pattern, _first in (
        ("null", r"~|null|Null|NULL|", ["~", "n", "N", ""]),
        ("bool", r"true|True|TRUE|false|False|FALSE", list("tTfF")),
        ("int", r"[-+]?(?:0|[1-9][0-9]*)", list("-+0123456789")),
        ("float", r"[-+]?(?:(?:0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+)", list("-+0123456789."))):
    _UniqueKeyLoader.add_implicit_resolver(f"tag:yaml.org,2002:{_tag}", re.compile(rf"^(?:{_pattern})$"), _first)


class YamlProblem(Exception):
    """YAML that cannot be read: what is wrong and on which line of the text (1-based)."""

    def __init__(self, message: str, line: int | None):
        super().__init__(message)
        self.message, self.line = message, line


def _refuse_aliases(node: yaml.Node | None) -> None:
    """An alias (`*name`) makes one node appear in several places; a few of them can stand for billions
    of values. Content never needs one, so a node reached twice is refused."""
    seen: set[int] = set()
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise YamlProblem("YAML aliases (&name … *name) are not allowed in content",
                              current.start_mark.line + 1)
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)


YAML_HINT = ("check the indentation, the colon after each key and the quotes around text that contains "
             "a colon or starts with a symbol")


@lru_cache(maxsize=1024)
def compose_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (which knows each value's line) and the data of a YAML text: duplicate keys and
    aliases refused, dates left as text. Raises YamlProblem. Remembered by text, so that a long-running
    preview parses again only the files that changed (callers read the data, never change it)."""
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()       # the nodes know their lines; the data is built from them
        _refuse_aliases(node)
        return node, (loader.construct_document(node) if node is not None else None)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlProblem(f"this YAML cannot be read: {getattr(exc, 'problem', None) or exc}",
                          mark.line + 1 if mark is not None else None) from None
    finally:
        loader.dispose()


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> YamlDoc:
    try:
        node, data = compose_yaml(text)
    except YamlProblem as exc:
        hint = "write the value out where it is used" if "alias" in exc.message else YAML_HINT
        line = exc.line + line_offset if exc.line is not None else None
        raise ReportError(Problem(path, line, exc.message, hint, kind=UNREADABLE)) from None
    return YamlDoc(path, data, node, line_offset)


# Larger content files are refused: a section or a data file is a few kilobytes, and a limit keeps
# every step's time bounded whatever a file holds.
MAX_FILE_BYTES = 1024 * 1024


def confined(path: Path, root: Path) -> Path:
    """`path` resolved, when it stays inside `root`: a link that leaves it is refused, so that content
    can never make the build read (and publish) a file of the machine it runs on."""
    resolved = path.resolve()
    if resolved != root.resolve() and root.resolve() not in resolved.parents:
        raise ReportError(Problem(path, None, f"this is a link to {resolved}, outside {root.name}/",
                                  f"put the file itself under {root.name}/ instead of a link to it",
                                  kind=UNREADABLE))
    return resolved


_NOT_REGULAR = {stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
                stat.S_IFSOCK: "a socket"}


def _read_regular(resolved: Path, path: Path) -> str:
    """The text of a regular file. Anything else is refused before it is opened: reading a named pipe
    waits for a writer for ever, a device never ends. The open does not wait either (O_NONBLOCK), and
    what was opened is checked again, in case the file was replaced in between."""
    def refuse(mode: int) -> ReportError:
        kind = _NOT_REGULAR.get(stat.S_IFMT(mode), "not a regular file")
        return ReportError(Problem(path, None, f"this is {kind}, not a file the report can read",
                                   "replace it with an ordinary file (or remove it)", kind=UNREADABLE))

    mode = os.stat(resolved).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(resolved)
    if not stat.S_ISREG(mode):
        raise refuse(mode)
    with open(os.open(resolved, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0)), encoding="utf-8") as handle:
        if not stat.S_ISREG(mode := os.fstat(handle.fileno()).st_mode):
            raise refuse(mode)
        return handle.read()


def read_text(path: Path, root: Path) -> str:
    """A content file's text, read only from inside `root` (the content folder) and within the size
    limit. A byte-order mark (as Windows Notepad writes it) is not part of the text; a character that
    cannot be seen anywhere in it is refused (invisible_characters)."""
    try:
        resolved = confined(path, root)
        if resolved.stat().st_size > MAX_FILE_BYTES:
            raise ReportError(Problem(path, None, f"the file is larger than {MAX_FILE_BYTES // 1024} KB",
                                      "split it; a section or a data file is a few kilobytes", kind=UNREADABLE))
        text = _read_regular(resolved, path)
    except FileNotFoundError:
        raise ReportError(Problem(path, None, "file not found",
                                  "create it or correct the name that points to it", kind=UNREADABLE)) from None
    except UnicodeDecodeError as exc:
        raise ReportError(Problem(path, None, f"not UTF-8 text ({exc.reason})",
                                  "save the file as UTF-8", kind=UNREADABLE)) from None
    except IsADirectoryError:
        raise ReportError(Problem(path, None, "a folder where a file is expected",
                                  "rename the folder", kind=UNREADABLE)) from None
    except OSError as exc:
        raise ReportError(Problem(path, None, f"the file cannot be read ({exc.strerror})",
                                  "check that it exists and may be read", kind=UNREADABLE)) from None
    text = text.removeprefix("\ufeff")
    invisible = invisible_characters(text, path)
    if invisible:
        raise ReportError(invisible)
    return text


# Characters a reader cannot see: they reach the pages, the PDF and the downloads unnoticed, reorder
# the text around them (bidi controls) or split a figure so that the check of typed figures misses it
# ("2,4<ZERO WIDTH SPACE>50"). They come from copying out of PDFs, web pages and word processors.
# Refused: control characters (Cc) but the tab, format characters (Cf: zero-width spaces and joiners,
# soft hyphens, a byte-order mark inside the text ...), line and paragraph separators (Zl, Zp), and the
# bidirectional controls named here as well. Ordinary, ideographic and no-break spaces (Zs) are text and
# stay. (Files are read with universal newlines: a Windows or old Mac line end is a "\n" by then.)
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
ALLOWED_CONTROLS = frozenset("\t")
# Control characters have no name in the Unicode data, only these aliases.
_CONTROL_NAMES = {"\x00": "NULL", "\x08": "BACKSPACE", "\x0b": "LINE TABULATION", "\x0c": "FORM FEED",
                  "\x1b": "ESCAPE", "\x7f": "DELETE", "\x85": "NEXT LINE"}
MAX_INVISIBLE_LINES = 20       # lines reported per file; the rest are counted


def is_invisible(ch: str) -> bool:
    return ch in BIDI_CONTROLS or (unicodedata.category(ch) in INVISIBLE_CATEGORIES and ch not in ALLOWED_CONTROLS)


def character_name(ch: str) -> str:
    """`U+202E RIGHT-TO-LEFT OVERRIDE`: the code point and its Unicode name."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ch, "CONTROL CHARACTER")
    return f"U+{ord(ch):04X} {name}" + (" (a byte-order mark)" if ch == "\ufeff" else "")


def invisible_characters(text: str, path: Path) -> list[Problem]:
    """A problem for each line of `text` that holds invisible characters (the first few lines, then a
    count of the rest), naming each character and the column where it first stands."""
    lines = text.split("\n")
    found: list[tuple[int, list[tuple[str, int]]]] = []
    for number, line in enumerate(lines, 1):
        if line.isprintable():            # the common case, decided in C
            continue
        chars = [ch for ch in set(line) if is_invisible(ch)]
        if chars:
            found.append((number, sorted(((ch, line.find(ch) + 1) for ch in chars), key=lambda c: c[1])))
    problems = []
    for number, placed in found[:MAX_INVISIBLE_LINES]:
        listed = ", ".join(f"{character_name(ch)} (column {column})" for ch, column in placed)
        hint = "delete them: they cannot be seen, so retype the text around them" if len(placed) > 1 else \
            "delete it: it cannot be seen, so retype the text around it"
        problems.append(Problem(path, number, f"invisible character{'s' if len(placed) > 1 else ''} {listed}",
                                hint + " (copying from a PDF, a web page or a word processor brings such "
                                "characters in)", kind=UNREADABLE))
    if len(found) > MAX_INVISIBLE_LINES:
        more = len(found) - MAX_INVISIBLE_LINES
        problems.append(Problem(path, None, f"and {more} more line{'s' if more > 1 else ''} with invisible characters",
                                "retype those lines, or paste the text as plain text", kind=UNREADABLE))
    return problems


def read_yaml(path: Path, root: Path) -> YamlDoc:
    return parse_yaml(read_text(path, root), path)


@dataclass
class SourceFile:
    """A section body: front matter, Markdown text, and where the text starts."""

    path: Path
    front: YamlDoc | None
    body: str                  # full file text; Markdown parser sees front matter too, so lines match
    meta: dict = field(default_factory=dict)
    body_start: int = 1        # first line after the front matter


def read_markdown(path: Path, root: Path) -> SourceFile:
    text = read_text(path, root)
    front = None
    body_start = 1
    meta: dict = {}
    lines = text.split("\n")
    if lines and lines[0].strip() == "---":
        for i in range(1, len(lines)):
            if lines[i].strip() in ("---", "..."):
                front = parse_yaml("\n".join(lines[1:i]), path, line_offset=1)
                if front.data is not None and not isinstance(front.data, dict):
                    raise ReportError(Problem(path, 2, "the front matter must be keys and values",
                                              "write it as `key: value` lines between the two `---`",
                                              kind=UNREADABLE))
                meta = front.data or {}
                body_start = i + 2
                break
        else:
            raise ReportError(Problem(path, 1, "the front matter opened with `---` is never closed",
                                      "add a line `---` after the front matter", kind=UNREADABLE))
    return SourceFile(path, front, text, meta, body_start)
