"""The files professional translators' tools exchange: XLIFF, a TBX termbase, a TMX memory.

- **XLIFF** (2.0, and 1.2 for the CAT tools that read no other), per translation and section: a unit per
  source paragraph (prepare/bilingual.py), its translation as the target. What a translator must not
  change is an inline code the tools protect: every `{{ … }}` reference, a line break, the Markdown that
  makes a heading, a list item, a box, a table's YAML, a footnote mark. A glossary term the paragraph
  uses is a note on its unit. `import_xliff` reads a file back (whatever tool edited it): the same
  units, each code kept, the source unchanged since the export; it writes the targets into the
  translation and marks it (`translated_from:` the source as exported, a `reviewed` or `approved`
  section whose text changed goes back to `translated` for review).
- **TBX** (TBX-Basic, ISO 30042 core structure): a concept entry per glossary term; its variants are
  admitted terms, the renderings it bans deprecated ones.
- **TMX** 1.4 (with translate-toolkit): the aligned paragraphs of the sections approved in both editions.

lxml writes XLIFF and TBX, because the inline codes with their original data (XLIFF 2) and the
deprecated terms (TBX) are beyond what translate-toolkit's writers model; translate-toolkit writes the
TMX and reads every file back in the tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from esgreport.editions import EDITIONS
from esgreport.errors import Problems
from esgreport.markup.directives import CONTAINERS, Placement, parse_call
from esgreport.model.report import Report, Section, Term
from esgreport.prepare.bilingual import Paragraph, paragraphs, reference_key
from esgreport.prepare.checks import source_edition
from esgreport.prepare.translations import fingerprint, mark_translated, recorded

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"
XLIFF12 = "urn:oasis:names:tc:xliff:document:1.2"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL = "esgreport"

# --- paragraphs as text and protected codes ------------------------------------------------------------

def _named(placement: Placement) -> str:
    """The declared containers of a placement as a pattern: `(?:case|highlights|note)`."""
    return f"(?:{'|'.join(re.escape(name) for name in CONTAINERS.names(placement))})"


# What starts a line and is Markdown or YAML, not text: a fence, a table's settings (the whole line), an
# attribute line, a box's opening (with its kind; its title is text) or closing, a heading's hashes, list
# bullets (YAML's `- - ` too), a YAML key with what opens its value, a quote's marker.
_LINE_START = re.compile(
    r"```\w*$|\s*(?:widths|numeric|header_column|class):.*$|\{[.#][^}]*\}$"
    rf"|:::(?:[ \t]*{_named('box')}\b[ \t]?)?"
    r"|#{1,6}[ \t]+|\s*(?:(?:[-*+]|\d+[.)])[ \t]+)+|\s*[a-z_]+:[ \t]*(?:\[|(?:-[ \t]+)+)?|>[ \t]+")
# The opening line of a container drawn as an infographic (`::: timeline title="…"`, `::: values icons=(…)`):
# its arguments are code, but for the text of its title. The title is a quoted string: translators see
# its text (`\"` as `"`), and the import quotes it again.
_CONTAINER_LINE = re.compile(rf'(?P<before>:::[ \t]*{_named("container")}\b(?:(?!title=").)*(?:title=")?)'
                             r'(?P<title>(?:[^"\\]|\\.)*)(?P<after>.*)$')
_TITLE_ESCAPE = re.compile(r'\\(.)')

# Inside a line: a data reference (with the quotes a YAML cell puts round it), an e-mail or web address
# in angle brackets, a footnote mark, emphasis, a hard line break, the end of a YAML list.
_INLINE = re.compile(r"'?\{\{.*?\}\}'?|<[^<>\s]+>|\[\^[^\]\s]+\]:?|\*\*|(?<![*\w])\*(?=\S)|(?<=\S)\*(?![*\w])"
                     r"|\\$|\][ \t]*$")


def _title_code(code: str) -> bool:
    """Whether the text after this code is a container's title, up to its closing quote."""
    return code.lstrip().startswith(":::") and code.endswith('title="')


def _quoted(title: str) -> str:
    """A title's text as written between the quotes of `title="…"`."""
    return title.replace("\\", "\\\\").replace('"', '\\"')


@dataclass(frozen=True)
class Code:
    id: str
    text: str             # as written in the source (or in the translation: `translated`)
    kind: str             # directive, break, markup

    @property
    def shown(self) -> str:
        if self.kind == "break":
            return "↵"
        return self.text.strip("'") if self.kind == "directive" else self.text


Piece = str | Code


def _language_word(code: Code) -> bool:
    """A word of report.yaml (`{{ year }}`, `{{ period() }}` …): the translation may say it in its own way
    ("during the year"), so it may leave the code out; figures and drawn data it must keep."""
    from esgreport.markup.directives import DIRECTIVES

    name = re.match(r"\{\{\s*(\w+)", code.text) if code.kind == "directive" else None
    directive = DIRECTIVES.get(name.group(1)) if name else None
    return directive is not None and directive.refers == "manifest"


def pieces(text: str, prefix: str = "") -> list[Piece]:
    """A paragraph as runs of text and codes, each code numbered in order."""
    out: list[Piece] = []
    count = 0

    def code(value: str) -> None:
        nonlocal count
        count += 1
        kind = "break" if value == "\n" else "directive" if "{{" in value else "markup"
        out.append(Code(f"{prefix}{count}", value, kind))

    for n, line in enumerate(text.split("\n")):
        if n:
            code("\n")
        start = _CONTAINER_LINE.match(line)
        if start:
            code(start.group("before"))
            if start.group("title"):
                out.append(_TITLE_ESCAPE.sub(r"\1", start.group("title")))
            if start.group("after"):
                code(start.group("after"))
            continue
        start = _LINE_START.match(line)
        at = 0
        if start and start.end() > 0:
            code(start.group())
            at = start.end()
        for m in _INLINE.finditer(line, at):
            if m.start() > at:
                out.append(line[at:m.start()])
            code(m.group())
            at = m.end()
        if at < len(line):
            out.append(line[at:])
    return out


def _key(code: Code, year: int) -> tuple:
    """What a code is, for pairing the two editions' codes: a directive by what it refers to (the
    editions may write its scale differently), anything else by its text."""
    if code.kind != "directive":
        return ("text", code.text.strip())
    call = parse_call(code.text.strip("'")[2:-2], "inline")
    from esgreport.model.report import Reference
    return ("ref", reference_key(Reference(call.name, call.targets(), None), year))


def target_pieces(source: list[Piece], translation: str, year: int) -> list[Piece]:
    """The translation's runs, its codes numbered as the source's codes they correspond to (the n-th
    code of a kind in the translation is the n-th of that kind in the source), so that a tool shows them
    as the same codes; a code the source does not have gets a number of its own."""
    mine = pieces(translation, prefix="t")
    available: dict[tuple, list[Code]] = {}
    for piece in source:
        if isinstance(piece, Code):
            available.setdefault(_key(piece, year), []).append(piece)
    out: list[Piece] = []
    for piece in mine:
        if isinstance(piece, Code):
            twins = available.get(_key(piece, year))
            if twins:
                piece = Code(twins.pop(0).id, piece.text, piece.kind)
        out.append(piece)
    return out


def joined(runs: Iterable[Piece]) -> str:
    return "".join(p.text if isinstance(p, Code) else p for p in runs)


# --- export ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    id: str
    source: Paragraph
    target: Paragraph | None
    terms: tuple[Term, ...]


def units(report: Report, section: Section, source: str, edition: str) -> list[Unit]:
    """A unit per paragraph of the source with text to translate (a paragraph of codes alone, such as
    `{{ chart("x") }}`, is carried over as it is and exchanged with no one)."""
    original = paragraphs(section.sources[source])
    translated = paragraphs(section.sources[edition]) if edition in section.sources else []
    aligned = len(original) == len(translated)
    out = []
    for i, paragraph in enumerate(original):
        if not any(isinstance(p, str) and p.strip() for p in pieces(paragraph.text)):
            continue
        terms = tuple(t for t in report.glossary if t.zh in paragraph.text)
        out.append(Unit(f"p{i + 1}", paragraph, translated[i] if aligned else None, terms))
    return out


def _lang(code: str) -> str:
    """The edition's BCP 47 tag, as CAT tools name languages (zh-Hant, en)."""
    return EDITIONS[code].html_lang if code in EDITIONS else code


def export_xliff(report: Report, section_ids: list[str], edition: str, version: str = "2.0") -> bytes:
    source = source_edition(report)
    assert source is not None
    root_ns = XLIFF2 if version == "2.0" else XLIFF12
    E = _maker(root_ns)
    if version == "2.0":
        root = E("xliff", version="2.0", srcLang=_lang(source), trgLang=_lang(edition))
        root.set(XML_SPACE, "preserve")       # line breaks are codes; spaces in the text are the text's
    else:
        root = E("xliff", version="1.2")
    for section_id in section_ids:
        section = report.section(section_id)
        assert section is not None and source in section.sources
        path = section.sources[source].path
        original = path.relative_to(report.content_root.parent).as_posix()
        file_id = f"{report.year}-{section_id}"
        found = units(report, section, source, edition)
        if not found:
            continue          # nothing to translate (a section of tables or an index alone)
        if version == "2.0":
            file = etree.SubElement(root, f"{{{root_ns}}}file", id=file_id, original=original)
            _note(file, root_ns, f"{section.number or ''} {section.title.get(source, '')} / "
                                 f"{section.title.get(edition, '')}".strip(), "section", wrap=True)
            for unit in found:
                _unit2(file, unit, report.year)
        else:
            file = etree.SubElement(root, f"{{{root_ns}}}file", original=original, datatype="x-markdown",
                                    **{"source-language": _lang(source), "target-language": _lang(edition),
                                       "tool-id": TOOL})
            header = etree.SubElement(file, f"{{{root_ns}}}header")
            etree.SubElement(header, f"{{{root_ns}}}tool", **{"tool-id": TOOL, "tool-name": TOOL})
            body = etree.SubElement(file, f"{{{root_ns}}}body")
            group = etree.SubElement(body, f"{{{root_ns}}}group", id=file_id, resname=section_id)
            for unit in found:
                _unit12(group, unit, report.year)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _maker(ns: str):
    def make(tag: str, **attrs: str) -> etree._Element:
        return etree.Element(f"{{{ns}}}{tag}", nsmap={None: ns}, **attrs)
    return make


def _note(parent: etree._Element, ns: str, text: str, category: str, wrap: bool = False) -> None:
    if ns == XLIFF2:
        holder = parent.find(f"{{{ns}}}notes")
        if holder is None:
            holder = etree.SubElement(parent, f"{{{ns}}}notes")
        etree.SubElement(holder, f"{{{ns}}}note", category=category).text = text
    else:
        etree.SubElement(parent, f"{{{ns}}}note", **{"from": category}).text = text


def _term_note(term: Term) -> str:
    also = f" (also: {', '.join(term.variants)})" if term.variants else ""
    banned = f"; not: {', '.join(term.banned)}" if term.banned else ""
    return f"{term.zh} → {term.en}{also}{banned}"


def _unit2(file: etree._Element, unit: Unit, year: int) -> None:
    ns = XLIFF2
    element = etree.SubElement(file, f"{{{ns}}}unit", id=unit.id, name=fingerprint(unit.source.text))
    for term in unit.terms:
        _note(element, ns, _term_note(term), "glossary")
    source = pieces(unit.source.text)
    target = target_pieces(source, unit.target.text, year) if unit.target else None
    codes = [p for p in source if isinstance(p, Code)]
    own = {p.id: p for p in target or () if isinstance(p, Code)}
    if codes or own:
        data = etree.SubElement(element, f"{{{ns}}}originalData")
        for code in codes:
            etree.SubElement(data, f"{{{ns}}}data", id=f"d{code.id}").text = code.text
        source_text = {c.id: c.text for c in codes}
        for code in own.values():
            if source_text.get(code.id) != code.text:
                etree.SubElement(data, f"{{{ns}}}data", id=f"d{code.id}-{'t' if code.id in source_text else 'x'}"
                                 ).text = code.text
    segment = etree.SubElement(element, f"{{{ns}}}segment", id="s1",
                               state="translated" if target else "initial")
    _runs2(etree.SubElement(segment, f"{{{ns}}}source"), source, {})
    if target is not None:
        source_text = {c.id: c.text for c in codes}
        refs = {c.id: (f"d{c.id}" if source_text.get(c.id) == c.text else
                       f"d{c.id}-{'t' if c.id in source_text else 'x'}") for c in own.values()}
        _runs2(etree.SubElement(segment, f"{{{ns}}}target"), target, refs)


def _runs2(parent: etree._Element, runs: list[Piece], refs: dict[str, str]) -> None:
    def code(piece: Code) -> etree._Element:
        element = etree.SubElement(parent, f"{{{XLIFF2}}}ph", id=piece.id, dataRef=refs.get(piece.id, f"d{piece.id}"),
                                   canCopy="no", canDelete="no", disp=piece.shown)
        if piece.kind == "break":
            element.set("type", "fmt")
            element.set("subType", "xlf:lb")
        else:
            element.set("type", "fmt" if piece.kind == "markup" else "other")
        return element
    _runs(parent, runs, code)


def _unit12(group: etree._Element, unit: Unit, year: int) -> None:
    ns = XLIFF12
    element = etree.SubElement(group, f"{{{ns}}}trans-unit", id=unit.id, resname=fingerprint(unit.source.text))
    element.set(XML_SPACE, "preserve")
    source = pieces(unit.source.text)
    _runs12(etree.SubElement(element, f"{{{ns}}}source"), source)
    if unit.target is not None:
        target = etree.SubElement(element, f"{{{ns}}}target", state="translated")
        _runs12(target, target_pieces(source, unit.target.text, year))
    for term in unit.terms:
        _note(element, ns, _term_note(term), "glossary")


def _runs12(parent: etree._Element, runs: list[Piece]) -> None:
    def code(piece: Code) -> etree._Element:
        ctype = "lb" if piece.kind == "break" else "x-directive" if piece.kind == "directive" else "x-markdown"
        element = etree.SubElement(parent, f"{{{XLIFF12}}}ph", id=piece.id, ctype=ctype)
        element.text = piece.text
        return element
    _runs(parent, runs, code)


def _runs(parent: etree._Element, runs: list[Piece], code: Callable[[Code], etree._Element]) -> None:
    """Text and codes into `parent`: text goes after the last code (or into `parent` before any)."""
    last: etree._Element | None = None
    for piece in runs:
        if isinstance(piece, Code):
            last = code(piece)
        elif last is None:
            parent.text = (parent.text or "") + piece
        else:
            last.tail = (last.tail or "") + piece


# --- import -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Imported:
    section: str
    path: Path
    changed: int           # paragraphs whose text changed
    status_before: str
    status_after: str


def import_xliff(report: Report, path: Path, problems: Problems, write: bool = True) -> list[Imported]:
    """Read an XLIFF file made by `export` and edited by a CAT tool; write its targets into the
    translation. Nothing is written unless the whole file is right."""
    try:
        tree = etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True))
    except (OSError, etree.XMLSyntaxError) as exc:
        problems.add(path, getattr(exc, "lineno", None), f"the file is not XML that can be read ({exc})",
                     "import the XLIFF file the CAT tool exported, unchanged")
        return []
    root = tree.getroot()
    ns = etree.QName(root).namespace
    if etree.QName(root).localname != "xliff" or ns not in (XLIFF2, XLIFF12):
        problems.add(path, root.sourceline, "this is not an XLIFF 2.0 or 1.2 file",
                     "import the XLIFF file `python build.py export xliff` made, as the CAT tool saved it")
        return []
    source = source_edition(report)
    assert source is not None
    if ns == XLIFF2:
        edition = _edition_of(root.get("trgLang", ""), report)
        files = [(f, f.get("original", ""), f.findall(f"{{{ns}}}unit")) for f in root.findall(f"{{{ns}}}file")]
    else:
        first = root.find(f"{{{ns}}}file")
        edition = _edition_of(first.get("target-language", "") if first is not None else "", report)
        files = [(f, f.get("original", ""), f.findall(f".//{{{ns}}}trans-unit")) for f in root.findall(f"{{{ns}}}file")]
    if edition is None:
        problems.add(path, root.sourceline, "the file's target language is not a translation of this report",
                     f"the translations: {', '.join(e for e in report.editions if e != source)}")
        return []
    plans = []
    for file, original, found in files:
        plan = _read_file(report, path, file, original, found, ns, source, edition, problems)
        if plan is not None:
            plans.append(plan)
    if problems.errors or not write:
        return []
    return [_write(report, *plan, source, edition) for plan in plans]


def _edition_of(lang: str, report: Report) -> str | None:
    for code in report.editions:
        if code in EDITIONS and lang.lower() in (code.lower(), _lang(code).lower()) and EDITIONS[code].source is None:
            return code
    return None


def _read_file(report: Report, path: Path, file: etree._Element, original: str, found: list, ns: str,
               source: str, edition: str, problems: Problems) -> tuple[Section, dict[str, str]] | None:
    section = next((s for s in report.sections() if source in s.sources and
                    s.sources[source].path.relative_to(report.content_root.parent).as_posix() == original), None)
    if section is None:
        problems.add(path, file.sourceline, f"the file `{original}` is not a section of the {report.year} report",
                     "export the section again from this report and translate that file")
        return None
    expected = {u.id: u for u in units(report, section, source, edition)}
    seen: dict[str, str] = {}
    for element in found:
        uid = element.get("id", "")
        unit = expected.get(uid)
        where = element.sourceline
        if unit is None:
            problems.add(path, where, f"the unit `{uid}` of {section.id} is not one the export made",
                         "keep the units as exported: do not split, join or add segments")
            continue
        name = element.get("name") if ns == XLIFF2 else element.get("resname")
        if name != fingerprint(unit.source.text):
            problems.add(path, where, f"the {source} paragraph of unit `{uid}` ({section.id}, line {unit.source.line}) "
                         "changed since the file was exported", "export the section again and translate the new file")
            continue
        segments = element.findall(f"{{{ns}}}segment") if ns == XLIFF2 else [element]
        if len(segments) != 1:
            problems.add(path, where, f"unit `{uid}` has {len(segments)} segments; the export made one",
                         "join the segments again in the CAT tool (a unit is a paragraph)")
            continue
        target = segments[0].find(f"{{{ns}}}target")
        if target is None or not "".join(target.itertext()).strip() and len(target) == 0:
            continue            # not translated: the translation keeps what it has
        text = _target_text(report, element, target, ns, unit, path, problems)
        if text is not None:
            seen[uid] = text
    missing = [uid for uid in expected if uid not in {e.get("id") for e in found}]
    if missing:
        problems.add(path, file.sourceline, f"{section.id}: the units {', '.join(missing)} of the export are missing",
                     "keep the units as exported: do not split, join or remove segments")
    return section, seen


def _target_text(report: Report, element, target, ns: str, unit: Unit, path: Path, problems: Problems) -> str | None:
    source = pieces(unit.source.text)
    source_codes = {c.id: c for c in source if isinstance(c, Code)}
    own = {c.id: c for c in target_pieces(source, unit.target.text, report.year) if isinstance(c, Code)} \
        if unit.target else {}
    data = {}
    if ns == XLIFF2:
        holder = element.find(f"{{{ns}}}originalData")
        for d in holder if holder is not None else ():
            data[d.get("id")] = d.text or ""
    out: list[str] = [target.text or ""]
    used: list[str] = []
    for child in target:
        local = etree.QName(child).localname
        if local != "ph":
            problems.add(path, child.sourceline, f"unit `{unit.id}`: <{local}> is not a code of the export",
                         "keep the codes the export made and add none")
            return None
        cid = child.get("id", "")
        if cid not in source_codes and cid not in own:
            problems.add(path, child.sourceline, f"unit `{unit.id}`: the code {cid} is not one of the source's",
                         "keep the codes the export made and add none")
            return None
        if ns == XLIFF2:
            text = own[cid].text if cid in own else data.get(child.get("dataRef", ""), source_codes[cid].text)
        else:
            text = own[cid].text if cid in own else source_codes[cid].text
        used.append(cid)
        out.append(text)
        out.append(_quoted(child.tail or "") if _title_code(text) else child.tail or "")
    lost = [c for c in source_codes.values() if c.id not in used and not _language_word(c)]
    doubled = sorted({c for c in used if used.count(c) > 1})
    if lost or doubled:
        what = ", ".join(f"{c.id} ({c.shown})" for c in lost) if lost else ", ".join(doubled)
        problems.add(path, target.sourceline,
                     f"unit `{unit.id}` (line {unit.source.line} of the source): the translation "
                     + (f"lost the codes {what}" if lost else f"has the codes {what} twice"),
                     "every code of the source stays in the translation, once (the CAT tool protects them: "
                     "copy them from the source)")
        return None
    return "".join(out)


def _write(report: Report, section: Section, targets: dict[str, str], source: str, edition: str) -> Imported:
    original = section.sources[source]
    before = section.sources.get(edition)
    source_paragraphs = paragraphs(original)
    current = paragraphs(before) if before is not None else []
    texts = [p.text for p in current] if len(current) == len(source_paragraphs) else [p.text for p in source_paragraphs]
    changed = 0
    for i in range(len(source_paragraphs)):
        new = targets.get(f"p{i + 1}")
        if new is not None and new != texts[i]:
            texts[i] = new
            changed += 1
    path = before.path if before is not None else original.path.parent.parent / edition / original.path.name
    status_before = before.status if before is not None else "draft"
    if changed or before is None:
        front = f"---\nstatus: {status_before}\n---\n" if before is None else \
            before.body[:_body_offset(before.body, before.body_start)]
        path.write_text(front + ("\n" if not front.endswith("\n\n") else "") + "\n\n".join(texts) + "\n",
                        encoding="utf-8")
    mark_translated(path, recorded(original))
    status_after = status_before
    if changed and status_before in ("reviewed", "approved"):
        _set_status(path, "translated")
        status_after = "translated"
    elif status_before == "draft":
        status_after = "translated"
    return Imported(section.id, path, changed, status_before, status_after)


def _body_offset(text: str, body_start: int) -> int:
    """Where the body starts in the file's text (after the front matter and its closing line)."""
    lines = text.split("\n")
    return len("\n".join(lines[:body_start - 1])) + (1 if body_start > 1 else 0)


def _set_status(path: Path, status: str) -> None:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    text = re.sub(r"^status:.*$", f"status: {status}", text, count=1, flags=re.M)
    path.write_bytes((raw[:3] if raw.startswith(b"\xef\xbb\xbf") else b"") + text.encode("utf-8"))


# --- TBX and TMX --------------------------------------------------------------------------------------------

def export_tbx(report: Report) -> bytes:
    """The glossary as a termbase: TBX-Basic's core structure (martif, termEntry, langSet, tig)."""
    source = source_edition(report) or "zh-hant"
    root = etree.Element("martif", type="TBX-Basic", nsmap={})
    root.set(XML_LANG, _lang(source))
    header = etree.SubElement(root, "martifHeader")
    desc = etree.SubElement(header, "fileDesc")
    etree.SubElement(etree.SubElement(desc, "sourceDesc"), "p").text = \
        f"The agreed terms of the report (content/glossary.yaml), for the {report.year} report."
    body = etree.SubElement(etree.SubElement(root, "text"), "body")
    for n, term in enumerate(report.glossary, 1):
        entry = etree.SubElement(body, "termEntry", id=f"term-{n}")
        if term.note:
            etree.SubElement(entry, "note").text = term.note
        zh = etree.SubElement(entry, "langSet")
        zh.set(XML_LANG, _lang(source))
        _tig(zh, term.zh, "preferredTerm-admn-sts")
        en = etree.SubElement(entry, "langSet")
        en.set(XML_LANG, _lang("en"))
        _tig(en, term.en, "preferredTerm-admn-sts")
        for variant in term.variants:
            _tig(en, variant, "admittedTerm-admn-sts")
        for banned in term.banned:
            _tig(en, banned, "deprecatedTerm-admn-sts")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _tig(lang_set: etree._Element, text: str, status: str) -> None:
    tig = etree.SubElement(lang_set, "tig")
    etree.SubElement(tig, "term").text = text
    etree.SubElement(tig, "termNote", type="administrativeStatus").text = status


def export_tmx(report: Report, edition: str = "en") -> tuple[bytes, int]:
    """A translation memory of the paragraphs of the sections approved in both editions, aligned."""
    from translate.storage import tmx

    source = source_edition(report)
    assert source is not None
    memory = tmx.tmxfile(sourcelanguage=_lang(source), targetlanguage=_lang(edition))
    count = 0
    for section in report.sections():
        original, translated = section.sources.get(source), section.sources.get(edition)
        if original is None or translated is None or original.status != "approved" or translated.status != "approved":
            continue
        left, right = paragraphs(original), paragraphs(translated)
        if len(left) != len(right):
            continue          # not aligned paragraph by paragraph: no memory is better than a wrong one
        for a, b in zip(left, right):
            if any(isinstance(p, str) and p.strip() for p in pieces(a.text)):
                memory.addtranslation(a.text, _lang(source), b.text, _lang(edition),
                                      comment=f"{report.year} {section.id}")
                count += 1
    return bytes(memory), count
