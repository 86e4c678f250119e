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


def mark_translated(path: Path, value: str, advance: bool = True) -> bool:
    """Write `translated_from: value` into a section file's front matter (adding one if need be), and
    (with `advance`) move a `draft` to `translated`. The file keeps its byte-order mark and its line endings: only the
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
    for key, new in (("translated_from", value), ("status", "translated"))[:2 if advance else 1]:
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


# --- what changed: the source as it was translated, recovered from git ------------------------------------

@dataclass(frozen=True)
class Change:
    """A source paragraph that changed since its translation was marked: the text then and now (either
    is None for a paragraph added or removed), with the line it stands on now."""

    line: int | None
    before: str | None
    after: str | None


def _hashed(text: str) -> list[tuple[str, str]]:
    """(hash, text) of each paragraph of a section file's text, as `paragraphs` reads them."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    start = 1
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        start = end + 2 if end is not None else 1
    out, current = [], []
    for line in lines[start - 1:] + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            joined = " ".join(current)
            out.append((fingerprint(joined), joined))
            current = []
    return out


def _git(root: Path, *args: str) -> str | None:
    import subprocess

    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.decode("utf-8", "replace") if done.returncode == 0 else None


def translated_text(path: Path, recorded_hashes: list[str]) -> tuple[str, list[tuple[str, str]]] | None:
    """The source file as it was when its translation was marked, from git: the newest committed
    version whose paragraphs include every recorded hash (or, failing that, most of them), with the
    commit. None where the file has no history in git or no version matches."""
    top = _git(path.parent, "rev-parse", "--show-toplevel")
    if top is None:
        return None
    root = Path(top.strip())
    relative = path.resolve().relative_to(root.resolve()).as_posix()
    log = _git(root, "log", "--format=%H", "--follow", "--name-only", "--", relative)
    if not log:
        return None
    wanted = set(recorded_hashes)
    best: tuple[int, str, list[tuple[str, str]]] | None = None
    lines = [line for line in log.splitlines() if line.strip()]
    # `--name-only` gives each commit, then the file's name in it (it may have been renamed).
    for commit, name in zip(lines[0::2], lines[1::2]):
        text = _git(root, "show", f"{commit}:{name}")
        if text is None:
            continue
        found = _hashed(text)
        overlap = len(wanted & {h for h, _ in found})
        if overlap == len(wanted):
            return commit, found
        if overlap and (best is None or overlap > best[0]):
            best = (overlap, commit, found)
    return (best[1], best[2]) if best else None


def changes(source: SectionFile, recorded_hashes: list[str]) -> tuple[str | None, list[Change]]:
    """What changed in the source since the translation was marked, paragraph by paragraph: the commit
    the old text was found in (None where git does not have it: then only the new text is known)."""
    import difflib

    now = [(fingerprint(text), line, text) for line, text in paragraphs(source)]
    found = translated_text(source.path, recorded_hashes)
    wanted = set(recorded_hashes)
    if found is None:
        return None, [Change(line, None, text) for h, line, text in now if h not in wanted]
    commit, then = found
    then = [(h, text) for h, text in then if h in wanted]
    out: list[Change] = []
    matcher = difflib.SequenceMatcher(None, [h for h, _ in then], [h for h, _, _ in now], autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        old, new = then[a0:a1], now[b0:b1]
        for i in range(max(len(old), len(new))):
            before = old[i][1] if i < len(old) else None
            line, after = (new[i][1], new[i][2]) if i < len(new) else (None, None)
            out.append(Change(line, before, after))
    return commit, out


def marked(before: str, after: str) -> list[tuple[str, str]]:
    """The two texts as one run of pieces, character by character: ("=", same), ("-", only in the
    old), ("+", only in the new)."""
    import difflib

    pieces: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("=", before[a0:a1]))
            continue
        if a1 > a0:
            pieces.append(("-", before[a0:a1]))
        if b1 > b0:
            pieces.append(("+", after[b0:b1]))
    return pieces
