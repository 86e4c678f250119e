"""Read YAML and Markdown from disk, keeping line numbers so problems can name file and line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Problem, ReportError

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
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):
    """SafeLoader that refuses duplicate keys: in a data file the second one silently wins."""

    def construct_mapping(self, node, deep=False):
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


# Dates stay strings until validation so that a typo is reported, not silently accepted.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_yaml(text: str, path: Path, line_offset: int = 0) -> YamlDoc:
    loader = _UniqueKeyLoader(text)
    try:
        node = loader.get_single_node()       # the nodes know their lines; the data is built from them
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 + line_offset if mark is not None else None
        what = getattr(exc, "problem", None) or str(exc)
        raise ReportError(Problem(path, line, f"this YAML cannot be read: {what}",
                                  "check the indentation, the colon after each key and the quotes "
                                  "around text that contains a colon or starts with a symbol",
                                  kind=UNREADABLE)) from None
    finally:
        loader.dispose()
    return YamlDoc(path, data, node, line_offset)


def read_text(path: Path) -> str:
    """A content file's text. A byte-order mark (as Windows Notepad writes it) is not part of it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ReportError(Problem(path, None, "file not found",
                                  "create it or correct the name that points to it", kind=UNREADABLE)) from None
    except UnicodeDecodeError as exc:
        raise ReportError(Problem(path, None, f"not UTF-8 text ({exc.reason})",
                                  "save the file as UTF-8", kind=UNREADABLE)) from None
    return text.removeprefix("\ufeff")


def read_yaml(path: Path) -> YamlDoc:
    return parse_yaml(read_text(path), path)


@dataclass
class SourceFile:
    """A section body: front matter, Markdown text, and where the text starts."""

    path: Path
    front: YamlDoc | None
    body: str                  # full file text; Markdown parser sees front matter too, so lines match
    meta: dict = field(default_factory=dict)
    body_start: int = 1        # first line after the front matter


def read_markdown(path: Path) -> SourceFile:
    text = read_text(path)
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
