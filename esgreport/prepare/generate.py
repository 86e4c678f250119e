"""Editions made from another edition's text: Simplified Chinese from the Traditional, with OpenCC.

A generated edition has no files of its own. When the manifest lists it (`editions: [zh-hant, en,
zh-hans]`), prepare.py adds its text to the report: every text given for the source edition (titles,
labels, notes, units, framework and disclosure texts, section bodies) converted with the manifest's
OpenCC configuration (`conversion: {zh-hans: hk2s}`; the edition's own by default) and the edition's
terminology table (content/terminology.yaml). Rendering then treats it like any other edition.
"""

from __future__ import annotations

import dataclasses
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from pydantic import BaseModel

from esgreport.editions import EDITIONS
from esgreport.errors import Problems
from esgreport.model.inputs import Terminology, validate
from esgreport.model.load import read_yaml
from esgreport.model.report import Section
from esgreport.typography.chinese import Converter

Conversion = tuple[str, tuple[tuple[str, str], ...]]   # OpenCC configuration, terminology (from, to)


def conversions(manifest, content_root: Path, doc, problems: Problems) -> dict[str, Conversion]:
    """The conversion of each generated edition the manifest lists."""
    terms = _terminology(content_root, problems)
    out = {}
    for code in manifest.editions:
        edition = EDITIONS.get(code)
        if edition is None or edition.source is None:
            continue
        if edition.source not in manifest.editions:
            problems.add(doc.path, doc.line_of(("editions",)),
                         f"the {code} edition is made from the {edition.source} edition, which the report does not have",
                         f"add {edition.source} to `editions:`")
            continue
        config = manifest.conversion.get(code, edition.opencc)
        try:
            Converter(config)
        except Exception:
            problems.add(doc.path, doc.line_of(("conversion", code)), f"OpenCC has no conversion `{config}`",
                         "use an OpenCC configuration such as hk2s (Hong Kong Traditional to Simplified)")
            continue
        out[code] = (config, tuple(terms.get(code, {}).items()))
    return out


def _terminology(content_root: Path, problems: Problems) -> dict[str, dict[str, str]]:
    path = content_root / "terminology.yaml"
    if not path.is_file():
        return {}
    doc = read_yaml(path, content_root)
    if doc.data is not None and not isinstance(doc.data, dict):
        problems.add(path, 1, "terminology.yaml lists terms under the code of an edition made from another",
                     "write `zh-hans:` and below it `converted term: preferred term`, a line each")
        return {}
    terminology = validate(Terminology, doc, problems)
    return terminology.root if terminology is not None else {}


@cache
def converter(conversion: Conversion) -> Converter:
    return Converter(conversion[0], list(conversion[1]))


def add_text(obj: Any, source: str, target: str, convert: Converter, seen: set[int] | None = None) -> None:
    """Give every text of `obj` written for `source` a `target` version (dicts of texts per edition,
    inside models, dicts and lists, walked once each)."""
    seen = set() if seen is None else seen
    if id(obj) in seen or isinstance(obj, (str, int, float, bool)) or obj is None:
        return
    seen.add(id(obj))
    if isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            add_text(getattr(obj, name), source, target, convert, seen)
        if obj.model_extra:
            add_text(obj.model_extra, source, target, convert, seen)
    elif isinstance(obj, dict):
        if isinstance(obj.get(source), str) and target not in obj:
            obj[target] = convert(obj[source])
        for value in list(obj.values()):
            add_text(value, source, target, convert, seen)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            add_text(value, source, target, convert, seen)
    elif isinstance(obj, MappingProxyType):
        for value in obj.values():
            add_text(value, source, target, convert, seen)
    elif dataclasses.is_dataclass(obj):
        for f in dataclasses.fields(obj):
            add_text(getattr(obj, f.name), source, target, convert, seen)


def add_sections(parts: tuple[Section, ...], source: str, target: str, convert: Converter) -> tuple[Section, ...]:
    """The sections with a `target` body made from each `source` body."""
    def made(section: Section) -> Section:
        sources = dict(section.sources)
        if source in sources:
            original = sources[source]
            sources[target] = dataclasses.replace(original, body=convert(original.body))
        return dataclasses.replace(section, sources=MappingProxyType(sources),
                                   children=tuple(made(c) for c in section.children))
    return tuple(made(p) for p in parts)
