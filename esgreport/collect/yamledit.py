"""Edits of content YAML that keep its comments and layout: ruamel.yaml's round trip.

The build reads YAML with PyYAML (model/load.py), which forgets comments; a command that writes figures
into a data file (import) or records an approval must leave everything else as the team wrote it:
comments, blank lines, flow mappings such as `values: {2023: 2440}`, quotes, key order. ruamel.yaml
loads a file into maps that remember all of that and dumps it back unchanged where nothing was edited.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken


def _yaml() -> YAML:
    yaml = YAML()                        # round trip, YAML 1.2
    yaml.preserve_quotes = True
    yaml.width = 4096                    # never fold a long line the editor wrote on one
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(Decimal, _decimal)
    # Content YAML never has anchors and aliases (model/load.py refuses them): a value used twice, such
    # as the date of an import, is written out twice.
    yaml.representer.ignore_aliases = lambda data: True
    return yaml


def _decimal(representer, value: Decimal):
    """A figure as plain digits: 2450, 1097.47 (never 2.45E+3, never a float's 1097.4700000000001)."""
    if value == value.to_integral_value():
        return representer.represent_scalar("tag:yaml.org,2002:int", f"{value.to_integral_value():f}")
    return representer.represent_scalar("tag:yaml.org,2002:float", f"{value.normalize():f}")


def load(text: str) -> Any:
    return _yaml().load(text)


def dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def block_map(**items: Any) -> CommentedMap:
    """A new mapping written in block style (a key a line)."""
    node = CommentedMap()
    for key, value in items.items():
        if value is not None:
            node[key] = value
    return node


def _last_entry(node: Any) -> tuple[Any, Any] | None:
    """The container and key of the entry written last under `node` (where a comment after it is kept)."""
    if isinstance(node, CommentedMap) and len(node):
        key = list(node)[-1]
        value = node[key]
        if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
            return _last_entry(value) or (node, key)
        return node, key
    if isinstance(node, CommentedSeq) and len(node):
        value = node[-1]
        if isinstance(value, (CommentedMap, CommentedSeq)) and len(value) and not value.fa.flow_style():
            return _last_entry(value) or (node, len(node) - 1)
        return node, len(node) - 1
    return None


def _trailing_slot(container: Any, key: Any) -> int:
    return 2 if isinstance(container, CommentedMap) else 0


def insert_after(mapping: CommentedMap, after: str, key: str, value: Any) -> None:
    """Put `key: value` into `mapping` right after `after` (or replace it where it is). The comment lines
    that followed `after` as the mapping's last entry (a heading of the next group of metrics) move
    below the new entry, where they belong; a comment on the line of `after` stays on it."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    position = keys.index(after) + 1 if after in keys else len(keys)
    moved = None
    if position == len(keys):
        moved = _take_trailing_lines(mapping)
    mapping.insert(position, key, value)
    if moved is not None:
        found = _last_entry(mapping)
        assert found is not None
        container, last = found
        slots = container.ca.items.setdefault(last, [None, None, None, None])
        slots[_trailing_slot(container, last)] = CommentToken("\n" + moved, CommentMark(0), None)


def _take_trailing_lines(mapping: CommentedMap) -> str | None:
    """The lines of comment after the end of `mapping`'s last line (removed), or None."""
    found = _last_entry(mapping)
    if found is None:
        return None
    container, key = found
    slots = container.ca.items.get(key)
    token = slots[_trailing_slot(container, key)] if slots else None
    if not isinstance(token, CommentToken) or "\n" not in token.value:
        return None
    own_line, _, rest = token.value.partition("\n")
    if not rest:
        return None
    if own_line.strip():
        token.value = own_line + "\n"
    else:
        slots[_trailing_slot(container, key)] = None
        value = container[key]
        flow = getattr(value, "ca", None)
        if flow is not None and flow.comment and flow.comment[0] is token:
            flow.comment[0] = None
    return rest
