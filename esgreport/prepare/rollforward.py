"""What `new-year` does to the text of the report it starts: the years it can carry forward, and the rest.

The new report's texts are the last report's. A year written out where it plainly means the report's
year or the one before (the period's dates, "as at 31 December 2023", "截至2023年底", "較2022年",
"2023年關鍵績效", "2023年度" in a sentence that states the year's figures) becomes a word of report.yaml
(`{{ year }}`, `{{ year - 1 }}`, `{{ period_end() }}` …), which follows the report from then on. A year
that dates an event ("2023年8月", "in June 2023"), or anything else it cannot decide, stays as written
and is listed: `check` names it until it is rewritten or marked as history.

report.yaml moves on too: the report's ordinal, and the framework versions in force for the new year
(each version of content/frameworks/ declares the financial years it applies to).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from esgreport.editions import EDITIONS
from esgreport.errors import ReportError
from esgreport.markup.years import masked, year_mentions
from esgreport.model.inputs import Framework, SectionMeta
from esgreport.model.load import SourceFile, YamlProblem, compose_yaml, read_markdown, read_text
from esgreport.model.report import SectionFile
from esgreport.prepare.years import text_lines, text_scalars
from esgreport.typography.formatting import format_date

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


@dataclass
class Rolled:
    """What new-year did to the texts, and what it left for the editor."""

    carried: int = 0                                                    # years written as words of report.yaml
    left: list[tuple[Path, int, str]] = field(default_factory=list)     # lines still writing out an earlier year
                                                                        # (file in the folder, line, its text)
    manifest: list[str] = field(default_factory=list)                   # what changed in report.yaml, or a choice
    sources: dict[str, SourceFile] = field(default_factory=dict, repr=False)   # source edition's files, as copied


# --- the rules ------------------------------------------------------------------------------------------

class Rules:
    """The mentions of the source report's year `S` (and of `S - 1`) that new-year writes as words of
    report.yaml, in one edition's language."""

    def __init__(self, source_year: int, start: date, end: date, edition: str):
        s, before = str(source_year), str(source_year - 1)
        first, last = re.escape(format_date(start, edition)), re.escape(format_date(end, edition))
        # Each pattern's group `y` is what becomes the words.
        if EDITIONS[edition].script == "Latn":
            rules = [
                (rf"(?P<y>{first})(?=\s*(?:to|until|-|–|—)\s)", "{{ period_start() }}"),
                (rf"(?:\b(?:as at|As at|as of|As of|by|By|to|until) |[-–—])(?P<y>{last})", "{{ period_end() }}"),
                (rf"\bend(?: of |-)(?P<y>{s})\b", "{{ year }}"),
                (rf"\b(?:compared with|compared to|than in|than|from|versus|over) (?P<y>{before})\b", "{{ year - 1 }}"),
                (rf"\b(?P<y>{s})(?= Key Performance)", "{{ year }}"),
            ]
            # in a sentence stating the year's figures: "In 2023, the Company held {{ kpi(…) }} drills"
            with_figures = [(rf"\b(?:In|in|During|during|For|for) (?P<y>{s})\b(?! (?:{_MONTHS}))",
                                  "{{ year }}")]
            self.event = re.compile(rf"\b(?:{_MONTHS})\s+(?:\d{{1,2}},?\s+)?(?:19|20)\d\d\b|"
                                    rf"\b(?:early|mid|late)[- ](?:19|20)\d\d\b|(?:19|20)\d\d\.\d\d\b", re.I)
        else:
            rules = [
                (rf"(?P<y>{first})(?=\s*(?:至|到|-|–|—|~|～))", "{{ period_start() }}"),
                (rf"(?:截至|截止|至|到|-|–|—|~|～)(?P<y>{last})", "{{ period_end() }}"),
                (rf"(?P<y>{s})(?=年底|年末)", "{{ year }}"),
                (rf"(?:較|比|與|同)(?P<y>{before})(?=年)", "{{ year - 1 }}"),
                (rf"(?P<y>{s})(?=年關鍵績效|年主要績效)", "{{ year }}"),
            ]
            with_figures = [(rf"(?P<y>{s})(?=年度|年[，,、])", "{{ year }}")]
            self.event = re.compile(r"(?:19|20)\d\d\s*年\s*(?:\d{1,2}\s*月|初|中|上半年|下半年)|(?:19|20)\d\d\.\d\d")
        self.rules = [(re.compile(pattern), words) for pattern, words in rules]
        self.with_figures = [(re.compile(pattern), words) for pattern, words in with_figures]
        self.highlights = re.compile(rf"(?<!\d)(?P<y>{s})(?!\d)")
        self.period_dates = re.compile(f"{first}|{last}")     # not an event's date, though a day of a month

    def apply(self, text: str) -> tuple[str, int]:
        """The text with the mentions it can decide written as words; how many."""
        shown = masked(text)
        edits: list[tuple[int, int, str]] = []

        def take(pattern: re.Pattern, words: str, start: int, end: int) -> None:
            for m in pattern.finditer(text, start, end):
                at, to = m.span("y")
                if shown[at:to] == text[at:to] and not any(a < to and at < b for a, b, _ in edits):
                    edits.append((at, to, words))

        if re.match(r"\s*:::\s*highlights\b", text):    # a box of the year's key figures
            take(self.highlights, "{{ year }}", 0, len(text))
        undated = self.period_dates.sub(lambda m: " " * len(m.group()), shown)
        for start, end in _sentences(text):
            if self.event.search(undated, start, end):
                continue                          # an event's date: the sentence is the editor's to rewrite
            for pattern, words in self.rules:
                take(pattern, words, start, end)
            if re.search(r"\{\{\s*(?:kpi|change|card)\(", text[start:end]):
                for pattern, words in self.with_figures:
                    take(pattern, words, start, end)
        for start, end, words in sorted(edits, reverse=True):
            text = text[:start] + words + text[end:]
        return text, len(edits)


def _sentences(text: str) -> Iterator[tuple[int, int]]:
    start = 0
    for m in re.finditer(r"[。！？；]|[.!?;](?=\s|$)", text):
        yield start, m.end()
        start = m.end()
    if start < len(text):
        yield start, len(text)


# --- the files ----------------------------------------------------------------------------------------

def written_editions(manifest: dict) -> list[str]:
    return [e for e in manifest.get("editions") or [] if e in EDITIONS and EDITIONS[e].source is None]


def roll_forward(folder: Path, content_root: Path, year: int, source: Path) -> Rolled:
    """Carry the texts of the `year` report in `folder`, just copied from the report in `source`, forward;
    report.yaml's ordinal and frameworks too. Lines left are named relative to `folder`."""
    rolled = Rolled()
    _, was = compose_yaml(read_text(source / "report.yaml", content_root))
    source_year = int(was["year"])
    start, end = (date.fromisoformat(str(was["period"][key])) for key in ("start", "end"))
    manifest_text = read_text(folder / "report.yaml", content_root)
    _, manifest = compose_yaml(manifest_text)
    editions = written_editions(manifest)
    rules = {e: Rules(source_year, start, end, e) for e in editions}
    for edition in editions:
        for path in sorted((folder / edition).glob("*.md")):
            file = read_markdown(path, content_root)
            if edition == editions[0]:
                rolled.sources[path.name] = file
            lines = file.body.split("\n")
            in_table = False
            for i in range(file.body_start - 1, len(lines)):
                line = lines[i]
                if line.strip().startswith("```"):
                    in_table = line.strip() == "```table"
                    continue
                new, n = rules[edition].apply(line)
                if n and in_table:
                    new = _yaml_line(line, new)
                if new != line:
                    lines[i], rolled.carried = new, rolled.carried + n
            path.write_text("\n".join(lines), encoding="utf-8")
    _translations_kept(folder, content_root, editions, rolled.sources)
    for path in _yaml_files(folder):
        rolled.carried += _roll_yaml(path, content_root, rules)
    for path in sorted((folder / "data").glob("*.yaml")):
        _note_refs(path, content_root, source_year, year)
    rolled.manifest = _manifest(folder / "report.yaml", content_root, source_year)
    rolled.left = [(path.relative_to(folder), number, line)
                   for path, number, line in content_lines(folder, content_root, editions) if year_mentions(line, year)]
    return rolled


def _yaml_files(folder: Path) -> list[Path]:
    return [p for p in [folder / "report.yaml", folder / "disclosures.yaml", *sorted((folder / "data").glob("*.yaml"))]
            if p.is_file()]


def _translations_kept(folder: Path, content_root: Path, editions: list[str], before: dict[str, SourceFile]) -> None:
    """A translation up to date with a paragraph of its source stays so when new-year has only put words
    of report.yaml into the paragraph (in every edition alike): its `translated_from` follows."""
    from esgreport.prepare.translations import fingerprint, mark_translated, paragraphs

    def hashes(source: SourceFile) -> list[str]:
        return [fingerprint(text) for _, text in paragraphs(SectionFile(source.path, source.body, SectionMeta(),
                                                                        source.body_start))]
    for name, was in before.items():
        now = read_markdown(folder / editions[0] / name, content_root)
        old, new = hashes(was), hashes(now)
        moved = {a: b for a, b in zip(old, new) if a != b} if len(old) == len(new) else {}
        if not moved:
            continue
        for edition in editions[1:]:
            path = folder / edition / name
            recorded = read_markdown(path, content_root).meta.get("translated_from") if path.is_file() else None
            if isinstance(recorded, str):
                # The hashes follow the rewritten source; the section stays a draft of the new year.
                mark_translated(path, " ".join(moved.get(h, h) for h in recorded.split()), advance=False)


def content_lines(folder: Path, content_root: Path, editions: list[str]) -> Iterator[tuple[Path, int, str]]:
    """Every line a reader's text comes from in a report folder: section bodies, texts of YAML files."""
    for edition in editions:
        for path in sorted((folder / edition).glob("*.md")):
            source = read_markdown(path, content_root)
            lines = source.body.split("\n")
            for number in range(source.body_start, len(lines) + 1):
                yield path, number, lines[number - 1]
    for path in _yaml_files(folder):
        yield from text_lines(path, content_root, editions)


def _yaml_line(old: str, new: str) -> str:
    """A line of a table block's YAML with words put in: a value that now starts with `{` is quoted (it
    would read as a mapping); a flow list (`[a, b]`) is left as it was (its commas and brackets)."""
    m = re.match(r"^(\s*(?:-\s+)*(?:[\w-]+:\s+)?)(.*)$", new)
    if m is None:
        return old
    lead, value = m.groups()
    if value.startswith("["):
        return old
    if value.startswith("{"):
        return lead + json.dumps(value, ensure_ascii=False)
    return new


def _roll_yaml(path: Path, content_root: Path, rules: dict[str, Rules]) -> int:
    """The texts of one YAML file carried forward, edited where they stand (comments and layout kept)."""
    text = read_text(path, content_root)
    node, _ = compose_yaml(text)
    edits, carried = [], 0
    for scalar in text_scalars(node, list(rules)):
        edition = _edition_of(node, scalar, list(rules))
        if edition is None:
            continue
        raw = text[scalar.start_mark.index:scalar.end_mark.index]
        if not scalar.style:              # plain: the value, quoted if words were put in
            new, n = rules[edition].apply(scalar.value)
            replacement = json.dumps(new, ensure_ascii=False) if n else raw
        else:                             # quoted or a block: its lines, where they stand
            parts = [rules[edition].apply(line) for line in raw.split("\n")]
            replacement, n = "\n".join(p for p, _ in parts), sum(k for _, k in parts)
        if n:
            edits.append((scalar.start_mark.index, scalar.end_mark.index, replacement))
            carried += n
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    if edits:
        path.write_text(text, encoding="utf-8")
    return carried


def _note_refs(path: Path, content_root: Path, source_year: int, year: int) -> None:
    """A KPI table's note on the last report's figure (`note_refs: {2023: 1}`) moves to the new year's
    figure, as its text does: a note explains the report's own figures."""
    text = read_text(path, content_root)
    node, _ = compose_yaml(text)
    keys = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if key.value == "note_refs" and isinstance(value, yaml.MappingNode) \
                        and [k.value for k, _ in value.value] == [str(source_year)]:
                    keys.append(value.value[0][0])
                else:
                    stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    for key in sorted(keys, key=lambda k: k.start_mark.index, reverse=True):
        text = text[:key.start_mark.index] + str(year) + text[key.end_mark.index:]
    if keys:
        path.write_text(text, encoding="utf-8")


def _edition_of(root: yaml.Node | None, scalar: yaml.Node, editions: list[str]) -> str | None:
    """The edition code that is the key of a text."""
    stack = [root] if root is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                if value is scalar:
                    return key.value if key.value in editions else None
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


# --- report.yaml: the ordinal, the frameworks in force ------------------------------------------------

def _manifest(path: Path, content_root: Path, source_year: int) -> list[str]:
    text = read_text(path, content_root)
    node, data = compose_yaml(text)
    said: list[str] = []
    edits: list[tuple[int, int, str]] = []
    if not isinstance(node, yaml.MappingNode) or not isinstance(data, dict):
        return said
    values = {key.value: value for key, value in node.value if isinstance(key, yaml.ScalarNode)}
    year = data.get("year")
    ordinal = values.get("ordinal")
    if isinstance(ordinal, yaml.ScalarNode) and ordinal.value.isdigit() and isinstance(year, int):
        counted = int(ordinal.value) + year - source_year
        edits.append((ordinal.start_mark.index, ordinal.end_mark.index, str(counted)))
        said.append(f"ordinal: {ordinal.value} → {counted}")
    commencing = _commencing(data)
    frameworks = values.get("frameworks")
    if isinstance(frameworks, yaml.MappingNode) and commencing is not None:
        versions = _versions(content_root / "frameworks", content_root)
        for key, value in frameworks.value:
            if not isinstance(value, yaml.ScalarNode):
                continue
            chosen, message = choose_framework(key.value, value.value, versions, commencing)
            if chosen != value.value:
                edits.append((value.start_mark.index, value.end_mark.index, chosen))
            if message:
                said.append(message)
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    if edits:
        path.write_text(text, encoding="utf-8")
    return said


def _commencing(data: dict) -> date | None:
    period = data.get("period")
    start = period.get("start") if isinstance(period, dict) else None
    try:
        return date.fromisoformat(str(start))
    except ValueError:
        return None


def _versions(folder: Path, content_root: Path) -> list[Framework]:
    """The framework versions of content/frameworks/ (one that does not validate is left out: `check`
    names its mistakes)."""
    from pydantic import ValidationError

    versions = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            versions.append(Framework.model_validate(compose_yaml(read_text(path, content_root))[1]))
        except (ValidationError, YamlProblem, ReportError):
            continue
    return versions


def choose_framework(family: str, current: str, versions: list[Framework], commencing: date) -> tuple[str, str]:
    """The version of a family the new year follows, and what to say: the one in force for a financial
    year commencing on `commencing`; where several are, the issuer chooses (the current one stays)."""
    same = [v for v in versions if v.family == family]
    now = next((v for v in same if v.id == current), None)
    if now is None or now.in_force is None:
        return current, ""
    in_force = [v for v in same if v.in_force is not None and v.in_force.covers(commencing)]
    others = [v.id for v in in_force if v.id != current]
    if now in in_force and not others:
        return current, ""
    day = commencing.isoformat()
    if len(in_force) == 1:
        chosen = in_force[0]
        assert chosen.in_force is not None
        return chosen.id, (f"frameworks: {family} {current} → {chosen.id}, in force for financial years commencing "
                           f"on or after {chosen.in_force.start.isoformat()} (this one commences {day})")
    if now in in_force:
        return current, (f"frameworks: {family} stays {current}; {', '.join(others)} also applies to a financial "
                         f"year commencing {day}: name it under `frameworks:` in report.yaml to follow it instead")
    if in_force:
        return current, (f"frameworks: {family} {current} does not apply to a financial year commencing {day}; "
                         f"choose one of {', '.join(v.id for v in in_force)} under `frameworks:` in report.yaml")
    return current, (f"frameworks: no {family} version in content/frameworks/ applies to a financial year "
                     f"commencing {day}; {current} is kept: add the version that does")

