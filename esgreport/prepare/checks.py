"""What `check` and every build verify on a prepared report, for any year's content.

Each check reads the report and adds problems; none changes anything. A `--draft` preview turns the
checks of completeness (empty values, structure parity, glossary, empty sections) into warnings, so
that work in progress can be looked at; a final build refuses them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from esgreport.editions import EDITIONS
from esgreport.editions import UI_SOURCE_LOCALE as SOURCE_LOCALE
from esgreport.errors import Problems
from esgreport.model.load import invisible_characters
from esgreport.model.report import Report, SectionFile
from esgreport.prepare.images import check_images

if TYPE_CHECKING:
    from babel.messages.catalog import Message

# --- figures typed into prose ----------------------------------------------------------------------

# A number in prose. The boundaries are ASCII on purpose: in Chinese a figure stands right beside
# characters (員工共2,450人), which are word characters to `\w`.
_NUMBER = re.compile(r"(?<![A-Za-z0-9_.,/+-])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![A-Za-z0-9_.]\d|\d)")
# Numbers in prose that are not figures: years, dates and times, section numbers, ISO and GB codes,
# phone numbers. Single-digit whole numbers are too common in ordinary text to flag.
# Each starts only where a run of digits starts ((?<!\d)), so that a long run is looked at once.
_NOT_A_FIGURE = [
    re.compile(r"(?<!\d)\d+[ \t]*[年月日號時點]"),                       # 2023年, 6月28日
    re.compile(r"(?:January|February|March|April|May|June|July|August|September|October|November|"
               r"December)[ \t]+\d+|(?<!\d)\d+[ \t]+(?:January|February|March|April|May|June|July|August|"
               r"September|October|November|December)", re.I),
    re.compile(r"(?<![\d.])\d+(?:\.\d+){2,}"),                           # 3.2.1
    re.compile(r"(?:ISO|GB/T|GB|SDG|TC|T\+|ESG)[ \t]*\d+", re.I),
    re.compile(r"(?<!\d)\d{7,}"),                                      # phone numbers
]


def mask_references(line: str) -> str:
    """The line with every `{{ … }}` reference blanked out (an unclosed `{{` is left as it is). A plain
    scan, not a regular expression, so that many unclosed `{{` cost one pass."""
    out, start = [], 0
    while (opening := line.find("{{", start)) >= 0 and (closing := line.find("}}", opening + 2)) >= 0:
        out += [line[start:opening], " " * (closing + 2 - opening)]
        start = closing + 2
    return "".join(out) + line[start:]
_TABLE_SETTINGS = re.compile(r"^\s*(widths|numeric|header_column|class):.*$")


def kpi_values(report: Report) -> dict[Decimal, list[tuple[str, int, str]]]:
    """Every figure the data holds, with the metrics (id, year, unit) that hold it."""
    values: dict[Decimal, list[tuple[str, int, str]]] = {}
    for mid, metric in report.metrics.items():
        for year, v in metric.values.items():
            if v is None:
                continue
            places = metric.precision_for(year)
            shown = v.quantize(Decimal(1).scaleb(-places))
            if shown == shown.to_integral_value() and abs(shown) < 10:
                continue
            if metric.unit == "percent" and shown in (0, 100):    # "100%" is a whole, rarely the figure
                continue
            values.setdefault(shown.normalize(), []).append((mid, year, metric.unit))
    return values


def _looks_like_the_figure(token: str, value: Decimal, after: str, owners, report: Report, edition: str) -> bool:
    """A distinctive number (decimals, or 100 and more) is the figure; a small whole number is the
    figure only when the metric's unit follows it (30% / 20場 / 20 sessions), not in '30多年'."""
    after = after.lstrip()
    if all(unit == "percent" for _, _, unit in owners):
        return after.startswith(("%", "％", "per cent", "percent"))   # 'FinTech 100' is a name
    if "." in token or abs(value) >= 100:
        return True
    for _, _, unit_key in owners:
        unit = report.units.get(unit_key)
        label = unit.label(edition) if unit else ""
        if label and after.startswith(label):
            return True
    return False


def _body_lines(source: SectionFile):
    """(line number, text) of the body, after the front matter."""
    lines = source.body.split("\n")
    for number in range(source.body_start, len(lines) + 1):
        yield number, lines[number - 1]


@lru_cache(maxsize=1 << 16)
def typed_numbers(line: str) -> tuple[str, tuple[tuple[str, Decimal, int], ...]]:
    """A line of prose with its data references and non-figures blanked, and the numbers typed in it
    (as written, their value, where each ends). Remembered by line: a preview reads again only the
    lines that changed."""
    if _TABLE_SETTINGS.match(line):
        return line, ()
    masked = mask_references(line)
    for pattern in _NOT_A_FIGURE:
        masked = pattern.sub(lambda m: " " * len(m.group()), masked)
    found = []
    for m in _NUMBER.finditer(masked):
        try:
            found.append((m.group(0), Decimal(m.group(0).replace(",", "")).normalize(), m.end()))
        except InvalidOperation:
            continue
    return masked, tuple(found)


def literal_figures(report: Report, problems: Problems) -> None:
    """Flag a number typed into prose that equals a KPI value, so the editor binds it to the data."""
    values = kpi_values(report)
    for section in report.sections():
        for edition, source in section.sources.items():
            if generated(edition):
                continue
            for number, line in _body_lines(source):
                masked, typed = typed_numbers(line)
                for token, value, end in typed:
                    owners = values.get(value)
                    if owners and _looks_like_the_figure(token, value, masked[end:], owners, report, edition):
                        named = ", ".join(f"{mid} ({year})" for mid, year, _ in owners[:3])
                        problems.add(source.path, number,
                                     f"the figure {token} is typed into the text; it is the value of {named}",
                                     f'write {{{{ kpi("{owners[0][0]}") }}}} instead, so the text '
                                     "reads the figure from the data")


# --- Simplified characters in Traditional text ------------------------------------------------------------

def simplified_in_traditional(report: Report, problems: Problems) -> None:
    """A Simplified-only character in text written in Traditional Chinese, with its Traditional form."""
    from esgreport.typography.chinese import simplified_in

    traditional = [e for e in report.editions if e in EDITIONS and EDITIONS[e].script == "Hant"
                   and EDITIONS[e].source is None]
    if not traditional:
        return
    files = [(s.path, s.body_start) for section in report.sections() for e, s in section.sources.items()
             if e in traditional]
    files += [(p, 1) for p in sorted(report.folder.glob("*.yaml")) + sorted((report.folder / "data").glob("*.yaml"))]
    for path, start in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
            if number < start or line.lstrip().startswith(("zh-hans:", "#")):
                continue
            found = simplified_in(line)
            if found:
                named = ", ".join(f"{ch} (Traditional: {form})" for ch, form in dict.fromkeys(found))
                problems.add(path, number, f"Simplified characters in Traditional Chinese text: {named}",
                             "write the Traditional form")


# --- empty values of the report's year ---------------------------------------------------------------

def empty_values(report: Report, problems: Problems) -> None:
    """Every figure of the report's own year that is still empty, at its metric's line."""
    for mid, metric in report.metrics.items():
        if report.year in metric.pending and report.year in metric.spec.values:
            where = metric.location
            problems.add(where.path, where.line, f"`{mid}` has no value for {report.year} yet",
                         f"fill in the {report.year} figure (n/a where it is not reported); "
                         "`--draft` previews the report without it", kind="empty-value")


# --- the editions of a section say the same thing ----------------------------------------------------

def generated(edition: str) -> bool:
    """An edition made from another's text: the checks of text look at its source instead."""
    return edition in EDITIONS and EDITIONS[edition].source is not None


def source_edition(report: Report) -> str | None:
    """The edition translations are made from: the first one written by hand (zh-hant)."""
    return next((e for e in report.editions if e in EDITIONS and EDITIONS[e].source is None), None)


def structure_parity(report: Report, problems: Problems) -> None:
    """A translation has the same tables, boxes, cards, charts, lists and footnotes as its source."""
    source = source_edition(report)
    if source is None:      # no edition written by hand: report.yaml's problem, reported where it is read
        return
    for section in report.sections():
        original = section.sources.get(source)
        if original is None:
            continue
        for edition, translation in section.sources.items():
            if edition == source or generated(edition):
                continue
            # A directive that does not validate is reported at its line; what it would count as is
            # compared once it is corrected, so that one mistake is one problem.
            kinds = sorted((set(original.structure) | set(translation.structure))
                           - original.uncounted - translation.uncounted)
            differ = [f"{k} {original.structure.get(k, 0)} → {translation.structure.get(k, 0)}" for k in kinds
                      if original.structure.get(k, 0) != translation.structure.get(k, 0)]
            if differ:
                problems.add(translation.path, None,
                             f"the {edition} text differs in structure from {source}/{original.path.name}: "
                             + ", ".join(differ),
                             "a translation keeps the tables, boxes, cards, charts, lists and footnotes of its "
                             "source; add or remove what is missing or extra")


def empty_sections(report: Report, problems: Problems) -> None:
    for section in report.sections():
        for edition, source in section.sources.items():
            if generated(edition):
                continue
            if not any(line.strip() for _, line in _body_lines(source)):
                problems.add(source.path, None, "the section file is empty",
                             "write the section, or remove the file and the section from report.yaml")


# --- agreed terms --------------------------------------------------------------------------------------

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "})


def _english(text: str) -> str:
    text = mask_references(text).translate(_FOLD).replace("*", "")
    return re.sub(r"\s+", " ", text).lower()


@cache
def _english_form(form: str) -> re.Pattern:
    form = re.sub(r"\s+", " ", form.translate(_FOLD)).lower().strip()
    return re.compile(r"(?<![a-z0-9])" + re.escape(form) + r"(?:s|es|'s|s')?(?![a-z0-9])")


def missing_terms(report: Report, zh: str, en: str) -> list:
    """Glossary terms the Chinese uses and the English does not render as agreed. Longest terms first;
    a term found is blanked out, so a shorter term inside it is only asked for where it stands alone."""
    terms = tuple((t.zh, t.en, t.variants) for t in report.glossary)
    return [report.glossary[i] for i in _missing_terms(terms, zh, en)]


@lru_cache(maxsize=4096)
def _missing_terms(terms: tuple[tuple[str, str, tuple[str, ...]], ...], zh: str, en: str) -> tuple[int, ...]:
    """Remembered by the texts and the glossary's words: a preview compares again only what changed."""
    zh, en = mask_references(zh), _english(en)
    out = []
    for i in sorted(range(len(terms)), key=lambda i: -len(terms[i][0])):
        term_zh, term_en, variants = terms[i]
        if term_zh not in zh:
            continue
        zh = zh.replace(term_zh, "\0")
        if not any(_english_form(f).search(en) for f in (term_en, *variants)):
            out.append(i)
    return tuple(out)


def glossary(report: Report, problems: Problems) -> None:
    """Where a section's Chinese uses a glossary term, its English uses the agreed rendering."""
    if "en" not in report.editions:
        return

    def expected(term) -> str:
        return f"“{term.en}”" + (f" (or {', '.join(term.variants)})" if term.variants else "")

    for section in report.sections():
        zh, en = section.sources.get("zh-hant"), section.sources.get("en")
        if zh is not None and en is not None:
            for term in missing_terms(report, _body(zh), _body(en)):
                problems.add(en.path, None, f"{term.zh} is not rendered as agreed: expected {expected(term)}",
                             f"use the agreed term, or add a variant to content/glossary.yaml:{term.location.line}")
        for term in missing_terms(report, section.title.get("zh-hant", ""), section.title.get("en", "")):
            problems.add(report.manifest_doc.path, section.manifest_line,
                         f"the English title of `{section.id}` does not render {term.zh} as agreed: expected "
                         f"{expected(term)}", f"see content/glossary.yaml:{term.location.line}")


def _body(source: SectionFile) -> str:
    return "\n".join(line for _, line in _body_lines(source))


# --- house style: translation tells --------------------------------------------------------------------

def style(report: Report, problems: Problems) -> None:
    """Phrases of content/style.yaml that occur more often than allowed in an edition: warnings."""
    import bisect

    for edition, rules in report.style.items():
        if edition not in report.editions:
            continue
        # The edition's text as one string (each rule is one search over it), with where each line is.
        starts, places, chunks, offset = [], [], [], 0
        lines = [(s.path, number, mask_references(line)) for section in report.sections()
                 if (s := section.sources.get(edition)) for number, line in _body_lines(s)]
        lines += [(report.manifest_doc.path, section.manifest_line, section.title.get(edition, ""))
                  for section in report.sections()]
        for path, number, line in lines:
            starts.append(offset)
            places.append((path, number))
            chunks.append(line)
            offset += len(line) + 1
        text = "\n".join(chunks).lower()
        for rule in rules:
            found = [places[bisect.bisect_right(starts, at) - 1] for at in _occurrences(text, rule)]
            if len(found) > rule.max:
                found.sort(key=lambda p: (str(p[0]), p[1] or 0))
                listed = ", ".join(f"{p.name}:{n}" for p, n in found[:20]) + (" …" if len(found) > 20 else "")
                problems.warn(found[0][0], found[0][1],
                              f"“{rule.phrase}” occurs {len(found)} times in the {edition} edition "
                              f"(at most {rule.max}): {listed}",
                              f"prefer {rule.prefer}" if rule.prefer else "see content/style.yaml", kind="style")


def _occurrences(text: str, rule) -> list[int]:
    """Where the rule's phrase or one of its forms stands in `text` (lower case), on word boundaries."""
    found: set[int] = set()
    for form in (rule.phrase, *rule.forms):
        form = form.lower()
        at = text.find(form)
        while at >= 0:
            end = at + len(form)
            if not form[0].isalnum() or ((at == 0 or not _word_char(text[at - 1])) and
                                         (end == len(text) or not _word_char(text[end]))):
                found.add(at)
            at = text.find(form, at + 1)
    return sorted(found)


def _word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# --- UI strings ----------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|\{[a-z_]+\}")


def ui_strings(report: Report, locales: Path, problems: Problems) -> None:
    """Every UI string of the templates is translated for every edition written by hand; English left
    in the Chinese edition is a problem. No catalog holds a character that cannot be seen."""
    from babel.messages.pofile import read_po

    catalog_characters(locales, problems)
    catalog_translations(locales, problems)
    template = locales / "messages.pot"
    if not template.is_file():
        return
    with template.open("rb") as fh:
        wanted = [m for m in read_po(fh) if m.id]
    for code in report.editions:
        edition = EDITIONS.get(code)
        if edition is None or edition.source is not None or edition.locale == SOURCE_LOCALE:
            continue          # msgids are the English strings; generated editions convert their source's
        po = locales / edition.locale / "LC_MESSAGES" / "messages.po"
        if not po.is_file():
            problems.add(po, None, f"no UI strings for the {code} edition",
                         "run `make translations` to create the catalog, then translate it")
            continue
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=edition.locale)
        for message in wanted:
            entry = catalog.get(message.id, context=message.context)
            # A string with plural forms has its id and each translation as a tuple.
            ids = [message.id] if isinstance(message.id, str) else list(message.id)
            string = entry.string if entry is not None else None
            texts = [string] if isinstance(string, str) else list(string or ())
            name = f"“{ids[0]}”" + (f" ({message.context})" if message.context else "")
            line = entry.lineno if entry is not None else None
            if entry is None or not texts or not all(texts):
                problems.add(po, line, f"the UI string {name} has no {code} translation",
                             "translate it (run `make translations` first if it is not in the catalog)")
            elif entry.fuzzy:
                problems.add(po, line, f"the {code} translation of {name} is marked fuzzy and is not used",
                             "review it and remove the `#, fuzzy` line")
            elif any(text in ids and re.search(r"[A-Za-z]{2,}", _PLACEHOLDER.sub("", text)) for text in texts):
                problems.add(po, line, f"the UI string {name} shows English in the {code} edition",
                             "translate it")


def catalog_characters(locales: Path, problems: Problems) -> None:
    """Invisible characters (as content files refuse them, model/load.py) in every catalog under
    locales/: a UI string reaches every page of an edition. The catalogs are compiled when an edition
    is rendered (render/i18n.py), which writes nothing unless these checks passed."""
    for po in sorted(locales.glob("*/LC_MESSAGES/*.po")):
        try:
            text = po.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue          # a catalog that cannot be read is reported when it is compiled
        problems.extend(invisible_characters(text.removeprefix("\ufeff"), po))


# Markup in a UI string: a tag or a character reference. A translation is shown as text (render/i18n.py
# escapes it), but for the markup its English (the msgid, written in the templates) holds.
UI_MARKUP = re.compile(r"<[^<>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
# A `%` in a UI string: `%%` (a per cent sign) or a named placeholder, `%(year)s`. Templates always
# format their strings, so any other `%` stops the page.
_PERCENT = re.compile(r"%(?:%|\(([A-Za-z_][A-Za-z0-9_]*)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|)")
_BRACED = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
# UI strings that name the worksheets of the KPI workbook (render/kpi_data.py), and what Excel allows
# a sheet's name to be.
WORKSHEET_NAMES = ("KPI data", "About")
MAX_SHEET_NAME = 31
_SHEET_NAME_REFUSES = "[]:*?/\\"


def placeholders(text: str) -> tuple[set[str], str | None]:
    """The named placeholders of a UI string (`%(year)s`, `{page}`), and a `%` that is none (or None)."""
    names, lone = set(), None
    for m in _PERCENT.finditer(text):
        if m.group(0) == "%":
            lone = lone or text[m.start():m.start() + 4]
        elif m.group(1):
            names.add(f"%({m.group(1)})s")
    return names | {f"{{{name}}}" for name in _BRACED.findall(text)}, lone


def catalog_translations(locales: Path, problems: Problems) -> None:
    """What every catalog's translations may hold (translation_problems), each problem at the line of
    its msgstr."""
    from babel.messages.pofile import read_po

    for po in sorted(locales.glob("*/LC_MESSAGES/messages.po")):
        try:
            lines = po.read_text(encoding="utf-8").split("\n")
            with po.open("rb") as fh:
                catalog = read_po(fh)
        except Exception:       # babel's PoFileError and others: reported when it is compiled (render/i18n.py)
            continue
        for message, form, text, hint in translation_problems(catalog):
            problems.add(po, _msgstr_line(lines, message.lineno, form), text, hint)


def translation_problems(catalog) -> Iterator[tuple[Message, int | None, str, str]]:
    """The translations of a Babel catalog that cannot be shown as they are: (the message, its plural
    form or None, what is wrong, what to do). A translation holds no markup its msgid lacks (it is
    text, never markup), the msgid's placeholders and no others (a renamed one stops the page that
    shows it), no other `%`, and a valid worksheet name where the string names one. Rendering leaves
    these out (render/i18n.py), as it does fuzzy ones; `check` names them."""
    sheets: dict[str, tuple[Message, str]] = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue          # a fuzzy entry is not used (and is reported as such, ui_strings)
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        name = f"“{ids[0]}”" + (f" ({message.context})" if message.context else "")
        allowed = {token for i in ids for token in UI_MARKUP.findall(i)}
        expected = set().union(*(placeholders(i)[0] for i in ids))
        for n, string in enumerate(strings):
            if not string:
                continue
            form = n if len(strings) > 1 else None
            extra = [token for token in UI_MARKUP.findall(string) if token not in allowed]
            found, lone = placeholders(string)
            # A plural's forms may leave out the count (“One section …”); other strings keep them all.
            missing = sorted(expected - found) if len(ids) == 1 else []
            unknown = sorted(found - expected)
            if extra:
                yield (message, form, f"the translation of {name} holds markup its English does not: `{extra[0]}`",
                       "a UI string is shown as text: remove the markup")
            elif unknown or missing:
                what = f"has {', '.join(unknown)}, which {name} does not" if unknown else \
                    f"leaves out {', '.join(missing)}"
                yield (message, form, f"the translation of {name} {what}",
                       f"keep the placeholders of the English as they are: {', '.join(sorted(expected))}"
                       if expected else "the English has no placeholder: write the text without one")
            elif lone:
                yield (message, form, f"the translation of {name} has a `%` that is no placeholder: `{lone}`",
                       "write %% for a per cent sign")
            elif ids[0] in WORKSHEET_NAMES and message.context is None:
                wrong = sheet_name_problem(string)
                first = sheets.setdefault(string.casefold(), (message, ids[0])) if not wrong else None
                if wrong:
                    yield (message, form, f"the translation of {name} names a worksheet of the KPI workbook, "
                           f"and {wrong}", f"write a name of at most {MAX_SHEET_NAME} characters, "
                           "without [ ] : * ? / \\")
                elif first is not None and first[1] != ids[0]:
                    yield (message, form, f"the translation of {name} names a worksheet of the KPI workbook "
                           f"“{string}”, as that of “{first[1]}” does", "give each worksheet its own name")


def sheet_name_problem(name: str) -> str | None:
    """Why Excel would refuse `name` for a worksheet, or None."""
    if not name.strip():
        return "a worksheet's name cannot be blank"
    if len(name) > MAX_SHEET_NAME:
        return f"a worksheet's name may have at most {MAX_SHEET_NAME} characters (this has {len(name)})"
    refused = [ch for ch in _SHEET_NAME_REFUSES if ch in name]
    if refused:
        return f"a worksheet's name cannot hold `{refused[0]}`"
    if name.startswith("'") or name.endswith("'"):
        return "a worksheet's name cannot start or end with an apostrophe"
    if name.casefold() == "history":
        return "Excel keeps the name “History” for itself"
    return None


def _msgstr_line(lines: list[str], msgid_line: int | None, form: int | None) -> int | None:
    """The line of an entry's msgstr (of its plural form `form`), from the line of its msgid."""
    if msgid_line is None:
        return None
    start = "msgstr" if form is None else f"msgstr[{form}]"
    for number in range(msgid_line, len(lines) + 1):
        if lines[number - 1].startswith(start):
            return number
    return msgid_line


# --- translations and the review cycle ------------------------------------------------------------------

def translations(report: Report, problems: Problems) -> None:
    """A translation whose source changed since it was marked translated: a warning, with the paragraphs."""
    from esgreport.prepare.translations import translation_states

    source = source_edition(report)
    for state in translation_states(report, source):
        if state.recorded and not state.up_to_date:
            lines = ", ".join(str(line) for line, _ in state.changed[:8])
            what = f"{len(state.changed)} paragraph{'s' if len(state.changed) != 1 else ''} of the {source} text " \
                   f"changed{f' (lines {lines})' if lines else ''}" + (f", {state.removed} removed" if state.removed else "")
            problems.warn(state.path, None, f"the {state.edition} translation is out of date: {what}",
                          f"update it, then run `python build.py translated {state.section} --lang {state.edition}`",
                          kind="translation")


def final(report: Report, problems: Problems) -> None:
    """For the published edition: every section approved, every translation up to date."""
    from esgreport.prepare.translations import translation_states

    source = source_edition(report)
    for section in report.sections():
        for file in section.sources.values():
            if file.status != "approved":
                problems.add(file.path, 2, f"the section is `{file.status}`, not approved",
                             "a final build publishes approved sections only: review it and set `status: approved`")
    for state in translation_states(report, source):
        if not state.up_to_date:
            problems.add(state.path, None, f"the {state.edition} translation is "
                         f"{'not marked as translated' if not state.recorded else f'out of date with the {source} text'}",
                         f"translate it, then run `python build.py translated {state.section} --lang {state.edition}`")


# --- all of them ---------------------------------------------------------------------------------------

COMPLETENESS: list[Callable[[Report, Problems], None]] = [empty_values, structure_parity, glossary, empty_sections]
CONSISTENCY: list[Callable[[Report, Problems], None]] = [literal_figures, style, translations,
                                                         simplified_in_traditional, check_images]


def run_checks(report: Report, locales: Path, problems: Problems, draft: bool = False, final_build: bool = False) -> None:
    """Every check of a report. In a draft, an incomplete report is a warning, not an error; empty
    values are not listed at all (the preview shows a placeholder for each). A final build also
    requires every section approved and every translation up to date."""
    for check in CONSISTENCY:
        check(report, problems)
    if final_build:
        final(report, problems)
    ui_strings(report, locales, problems)
    for check in COMPLETENESS:
        if draft and check is empty_values:
            continue
        found = Problems()
        check(report, found)
        problems.extend(p.as_warning() if draft else p for p in found.items)

