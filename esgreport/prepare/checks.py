"""What `check` and every build verify on a prepared report, for any year's content.

Each check reads the report and adds problems; none changes anything. A `--draft` preview turns the
checks of completeness (empty values, structure parity, glossary, empty sections) into warnings, so
that work in progress can be looked at; a final build refuses them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from esgreport.editions import EDITIONS
from esgreport.editions import UI_SOURCE_LOCALE as SOURCE_LOCALE
from esgreport.errors import Problems, ReportError
from esgreport.model.load import invisible_characters, read_text
from esgreport.model.report import Report, SectionFile
from esgreport.prepare.images import check_images
from esgreport.prepare.typed import mask_references, typed_numbers

if TYPE_CHECKING:
    from babel.messages.catalog import Message

# --- figures typed into prose ----------------------------------------------------------------------

# Four digits on their own from 1900 to 2099 are a year ("in 2024", "2024 Key Performance"), in every
# edition: a figure only where the metric's unit follows ("2024人"); written with a separator ("2,024"),
# always a figure.
_A_YEAR = re.compile(r"(?:19|20)\d\d")



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
    if ("." in token or abs(value) >= 100) and not _A_YEAR.fullmatch(token):
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


# --- numbers on cards in the edition's own form ----------------------------------------------------------

def card_scales(report: Report, problems: Problems) -> None:
    """A card shows its figure as the text beside it writes it: where a section's prose gives a metric
    in 萬 or 億 (or in millions), a card of that metric in the same file without a scale is named."""
    for section in report.sections():
        for edition, source in section.sources.items():
            if generated(edition):
                continue
            written: dict[str, str] = {}
            for reference in source.references:
                scales = reference.ids("scale")
                if reference.name in ("kpi", "change") and scales:
                    for metric in reference.metric_ids():
                        written.setdefault(metric, scales[0])
            for reference in source.references:
                if reference.name != "card" or reference.ids("scale"):
                    continue
                for metric in reference.metric_ids():
                    if metric in written:
                        problems.warn(source.path, reference.line,
                                      f"the card of `{metric}` shows the whole figure, where the text of the section "
                                      f"writes it in `{written[metric]}`",
                                      f'write {{{{ card("{metric}", scale="{written[metric]}", …) }}}} as the text does',
                                      kind="style")


# --- Simplified characters in Traditional text ------------------------------------------------------------

def simplified_in_traditional(report: Report, problems: Problems) -> None:
    """A Simplified-only character in text written in Traditional Chinese, with its Traditional form."""
    from esgreport.typography.chinese import simplified_in

    traditional = [e for e in report.editions if e in EDITIONS and EDITIONS[e].script == "Hant"
                   and EDITIONS[e].source is None]
    if not traditional:
        return
    files = [(s.path, s.body_start, s.body) for section in report.sections() for e, s in section.sources.items()
             if e in traditional]
    for path in sorted(report.folder.glob("*.yaml")) + sorted((report.folder / "data").glob("*.yaml")):
        try:       # through the one door: inside content/, a regular file, within the size limit
            files.append((path, 1, read_text(path, report.content_root)))
        except ReportError as exc:
            problems.extend(exc.problems)
    for path, start, text in files:
        for number, line in enumerate(text.split("\n"), 1):
            if number < start or line.lstrip().startswith(("zh-hans:", "#", "published:")):
                continue
            found = simplified_in(line)
            if found:
                named = ", ".join(f"{ch} (Traditional: {form})" for ch, form in dict.fromkeys(found))
                problems.add(path, number, f"Simplified characters in Traditional Chinese text: {named}",
                             "write the Traditional form")


# --- empty values of the report's year ---------------------------------------------------------------

def empty_values(report: Report, problems: Problems) -> None:
    """Every figure of the report's own year that is still empty, at its metric's line, with who
    supplies it (its owner)."""
    for mid, metric in report.metrics.items():
        if report.year in metric.pending and report.year in metric.spec.values:
            where = metric.location
            who = (f"{metric.owner} supplies it (`python build.py requests` writes {metric.owner}'s workbook)"
                   if metric.owner else "name who supplies it with `owner:` in the data file")
            problems.add(where.path, where.line, f"`{mid}` has no value for {report.year} yet",
                         f"fill in the {report.year} figure (n/a where it is not reported), or {who}; "
                         "`--draft` previews the report without it", kind="empty-value")


def missing_owners(report: Report, problems: Problems) -> None:
    """A warning per data file whose empty values have no owner: nobody can be asked for them."""
    unowned: dict[Path, int] = {}
    for metric in report.metrics.values():
        if report.year in metric.pending and report.year in metric.spec.values and not metric.owner:
            unowned[metric.location.path] = unowned.get(metric.location.path, 0) + 1
    for path, count in unowned.items():
        problems.warn(path, None, f"{count} empty value{'s' if count != 1 else ''} of {report.year} "
                                  f"{'have' if count != 1 else 'has'} no owner to supply {'them' if count != 1 else 'it'}",
                      "name who supplies the file's figures at its top, `owner: HR` (a role; a metric may name "
                      "its own `owner:`), so that `python build.py requests` can ask for them", kind="owner")


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
            differ = [f"{k} {original.structure.get(k, 0)} → {translation.structure.get(k, 0)}"
                      for k in structure_differences(original, translation)]
            if differ:
                problems.add(translation.path, None,
                             f"the {edition} text differs in structure from {source}/{original.path.name}: "
                             + ", ".join(differ),
                             "a translation keeps the tables, boxes, cards, charts, lists and footnotes of its "
                             "source; add or remove what is missing or extra")


def structure_differences(original: SectionFile, translation: SectionFile) -> list[str]:
    """What a translation has more or fewer of than its source (tables, cards, charts …). A directive
    that does not validate is reported at its line; what it would count as is compared once it is
    corrected, so that one mistake is one problem."""
    kinds = sorted((set(original.structure) | set(translation.structure)) - original.uncounted - translation.uncounted)
    return [k for k in kinds if original.structure.get(k, 0) != translation.structure.get(k, 0)]


def reference_parity(report: Report, problems: Problems) -> None:
    """Each paragraph of a translation refers to the figures and directives its source paragraph does
    (prepare/bilingual.py); what differs in structure is reported by structure_parity alone."""
    from esgreport.prepare.bilingual import reference_parity as compare

    source = source_edition(report)
    if source is None:
        return
    differs = {str(t.path): set(structure_differences(s.sources[source], t)) for s in report.sections()
               if source in s.sources for e, t in s.sources.items() if e != source and not generated(e)}
    compare(report, problems, source, differs)


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


def banned_renderings(report: Report, problems: Problems) -> None:
    """A rendering content/glossary.yaml bans (`banned:`), in an English paragraph whose Chinese paragraph
    uses the term: a problem at the English paragraph's line."""
    from esgreport.prepare.bilingual import section_pairs

    terms = [t for t in report.glossary if t.banned]
    if not terms or "en" not in report.editions or "zh-hant" not in report.editions:
        return
    for section in report.sections():
        if "zh-hant" not in section.sources or "en" not in section.sources:
            continue
        for zh, en in section_pairs(report, section.id, "zh-hant", "en"):
            if zh is None or en is None:
                continue
            english = _english(en.text)
            for term in terms:
                if term.zh not in zh.text:
                    continue
                for banned in term.banned:
                    if _english_form(banned).search(english):
                        problems.add(section.sources["en"].path, en.line,
                                     f"“{banned}” renders {term.zh}, which the glossary renders “{term.en}”",
                                     f"write “{term.en}”"
                                     + (f" (or {', '.join(term.variants)})" if term.variants else "")
                                     + f"; see content/glossary.yaml:{term.location.line}")


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
        # An image (`![what it shows](…)`) is no exclamation: its mark is left out of the count.
        lines = [(s.path, number, mask_references(line).replace("![", " [")) for section in report.sections()
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


def stale_approvals(report: Report, problems: Problems) -> None:
    """A section approved and edited since: a warning (a final build refuses it)."""
    from esgreport.prepare.approvals import approval_states, hand_written

    for state in approval_states(report):
        if state.approval is not None and state.changed:
            section = report.section(state.section)
            assert section is not None
            first = next(iter(hand_written(section).values()))
            problems.warn(first.path, None, f"the section was approved by {state.approval.by} on "
                          f"{state.approval.date.isoformat()} and has changed since ({', '.join(state.changed)}): "
                          "it is no longer approved",
                          f"have it approved again: `python build.py approve {state.section} --by NAME`", kind="approval")


def final(report: Report, problems: Problems) -> None:
    """For the published edition: every section approved, as it is now (approvals.py), every translation
    up to date."""
    from esgreport.prepare.approvals import APPROVALS_FILE, approval_state, hand_written
    from esgreport.prepare.translations import translation_states

    source = source_edition(report)
    for section in report.sections():
        waiting = False
        for file in section.sources.values():
            if file.status != "approved":
                waiting = True
                problems.add(file.path, 2, f"the section is `{file.status}`, not approved",
                             "a final build publishes approved sections only: review it and set `status: approved`")
        files = hand_written(section)
        if waiting or not files:
            continue
        approval = approval_state(report, section)
        first = next(iter(files.values()))
        again = f"`python build.py approve {section.id} --by NAME` records it"
        if approval.approval is None:
            problems.add(first.path, 2, f"the section `{section.id}` is marked approved, but nobody has approved "
                         f"it (no record in {APPROVALS_FILE})", f"once it is approved, {again}")
        elif approval.changed:
            problems.add(first.path, 2, f"the section `{section.id}` was approved by {approval.approval.by} on "
                         f"{approval.approval.date.isoformat()} and has changed since "
                         f"({', '.join(approval.changed)})", f"have it approved again: {again}")
    for state in translation_states(report, source):
        if not state.up_to_date:
            problems.add(state.path, None, f"the {state.edition} translation is "
                         f"{'not marked as translated' if not state.recorded else f'out of date with the {source} text'}",
                         f"translate it, then run `python build.py translated {state.section} --lang {state.edition}`")


# --- all of them ---------------------------------------------------------------------------------------

COMPLETENESS: list[Callable[[Report, Problems], None]] = [empty_values, missing_owners, structure_parity,
                                                           reference_parity, glossary, banned_renderings,
                                                           empty_sections]
CONSISTENCY: list[Callable[[Report, Problems], None]] = [literal_figures, style, card_scales, translations,
                                                         simplified_in_traditional, check_images, stale_approvals]


def run_checks(report: Report, locales: Path, problems: Problems, draft: bool = False, final_build: bool = False) -> None:
    """Every check of a report. In a draft, an incomplete report is a warning, not an error; empty
    values are not listed at all (the preview shows a placeholder for each). A final build also
    requires every section approved and every translation up to date, and no year left from the
    report it was started from."""
    from esgreport.prepare.years import earlier_years

    for check in CONSISTENCY:
        if final_build and check is stale_approvals:
            continue            # a final build refuses what this warns of (final)
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
    earlier_years(report, problems, final=final_build)

