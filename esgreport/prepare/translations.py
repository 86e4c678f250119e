"""Whether each translation is up to date with its source edition (zh-hant), paragraph by paragraph.

How "translated from this version" is recorded: when a translator finishes a section, they run
`python build.py translated SECTION --lang en`. That writes into the translation's front matter

    translated_from: 3f2a9c1d 8b7e0a12 …

a short hash of each paragraph of the source as it was (a paragraph is a run of lines between blank
lines, its spacing ignored). Later, a source paragraph whose hash is not in that list is new or
changed, and the translation is out of date until it is marked again. Nothing else is needed: no
git history, no side files; the record travels with the translation through review and merges.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from esgreport.editions import EDITIONS
from esgreport.model.report import Report, SectionFile

HASH_LENGTH = 8


def paragraphs(source: SectionFile) -> list[tuple[int, str]]:
    """(first line, text) of each paragraph of the body, after the front matter."""
    out: list[tuple[int, str]] = []
    lines = source.body.split("\n")
    current: list[str] = []
    start = source.body_start
    for number in range(source.body_start, len(lines) + 2):
        line = lines[number - 1] if number <= len(lines) else ""
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            out.append((start, " ".join(current)))
            current = []
    return out


def fingerprint(text: str) -> str:
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode("utf-8")).hexdigest()[:HASH_LENGTH]


def recorded(source: SectionFile) -> str:
    """The value `translated` writes for a translation of `source`."""
    return " ".join(fingerprint(text) for _, text in paragraphs(source))


@dataclass
class TranslationState:
    section: str
    edition: str
    path: Path
    status: str
    recorded: bool                  # the translator has marked it up to date at least once
    changed: list[tuple[int, str]] = field(default_factory=list)    # source paragraphs new or changed
    removed: int = 0                # source paragraphs there were, and are no more

    @property
    def up_to_date(self) -> bool:
        return self.recorded and not self.changed and not self.removed


def translation_state(section_id: str, source: SectionFile, translation: SectionFile, edition: str) -> TranslationState:
    translated_from = translation.meta.translated_from
    state = TranslationState(section_id, edition, translation.path, translation.status,
                             recorded=translated_from is not None)
    if translated_from is None:
        return state
    before = translated_from.split()
    now = paragraphs(source)
    state.changed = [(line, text) for line, text in now if fingerprint(text) not in before]
    # A changed paragraph's old hash is gone too: only what is gone beyond the changes was removed.
    state.removed = max(0, len(set(before) - {fingerprint(text) for _, text in now}) - len(state.changed))
    return state


def translation_states(report: Report, source_edition: str | None) -> list[TranslationState]:
    """Every translation of every section, against the source edition's file (none without one: a
    report.yaml whose editions include none written by hand is reported where it is read)."""
    states: list[TranslationState] = []
    if source_edition is None:
        return states
    for section in report.sections():
        source = section.sources.get(source_edition)
        if source is None:
            continue
        for edition, translation in section.sources.items():
            if edition != source_edition and EDITIONS[edition].source is None:    # not a generated one
                states.append(translation_state(section.id, source, translation, edition))
    return states


def mark_translated(path: Path, value: str) -> bool:
    """Write `translated_from: value` into a section file's front matter (adding one if need be), and
    move a `draft` to `translated`. The file keeps its byte-order mark and its line endings: only the
    front matter's lines change. Whether the status moved is returned."""
    raw = path.read_bytes()
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    text = raw[len(bom):].decode("utf-8")
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    end = None
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
    if end is None:         # no front matter (a file without one was never read with one: add it)
        lines[:0] = ["---", "status: draft", "---", ""]
        end = 2
    moved = False
    front = lines[1:end]
    for key, new in (("translated_from", value), ("status", "translated")):
        at = next((i for i, line in enumerate(front) if re.match(rf"{key}\s*:", line)), None)
        if key == "status":
            current = front[at].split(":", 1)[1].split("#", 1)[0].strip().strip("'\"") if at is not None else "draft"
            if current != "draft":
                continue
            moved = True
        if at is None:
            front.append(f"{key}: {new}")
        else:
            front[at] = f"{key}: {new}"
    lines[1:end] = front
    path.write_bytes(bom + newline.join(lines).encode("utf-8"))
    return moved
