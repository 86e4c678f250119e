"""The web edition's pages, from an edition's rendered parts: the home page, a page per part, search,
a page for addresses that do not exist, the web manifest and the search index.

Everything here is static: the search index is a script of its own beside the pages (it loads from
a file:// folder too), and no page needs a server or anything from outside the edition's folder.
Besides each section's text, the index carries what the search page needs to read a query as a reader
means it (templates/static/search.js): the Simplified↔Traditional folds of the characters it uses, and
the glossary's terms in the other editions' languages, each leading to this edition's term.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from babel import Locale

from esgreport.editions import EDITIONS
from esgreport.prepare.generate import converter
from esgreport.typography.chinese import character_folds

if TYPE_CHECKING:
    from esgreport.model.report import Report
    from esgreport.render.edition import EditionRenderer, RenderedEdition, SectionView

SEARCH_INDEX = "search-index.js"
MANIFEST = "manifest.webmanifest"
GENERATED = (SEARCH_INDEX, MANIFEST)     # files of the web edition besides its pages and assets/

_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
_FIRST_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.S)
# A heading with an id inside a section body: where the search index starts a new entry.
_HEADING = re.compile(r'<h([2-6])[^>]*\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>|<svg\b.*?</svg>", re.S)
_SVG_WORDS = re.compile(r"<(?:title|desc)>(.*?)</(?:title|desc)>", re.S)
# Narrow spaces that set the gap between Chinese and Latin letters or digits (where typography puts
# one in the text rather than in a margin): Chinese is searched without them, so ESG報告 is found as typed.
_NARROW = re.compile("[\u2005\u2006\u2009\u200a\u202f]")


# Where a tag stands for a break between words: blocks, cells, line breaks. Other tags (a figure's
# integer and decimals, a kept pair of Chinese characters, a link) join their text as it reads.
_BREAK = re.compile(r"</?(?:p|div|li|ul|ol|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|caption|h[1-6]|figure|"
                    r"figcaption|section|aside|nav|header|footer|blockquote|br|hr)\b[^>]*>", re.I)
_NOTE_MARK = re.compile(r'<sup class="note-ref">.*?</sup>', re.S)


def plain(markup: str, chinese: bool = False) -> str:
    """Visible text of a piece of HTML, on one line, as a reader reads it: "1,326.30" and 管治關係
    whole, whatever markup sets them; note markers and zero-width spaces left out (in Chinese, narrow
    spaces too)."""
    text = html.unescape(_TAG.sub("", _BREAK.sub(" ", _NOTE_MARK.sub("", markup)))).replace("\u200b", "")
    return _SPACE.sub(" ", _NARROW.sub("", text) if chinese else text).strip()


def _searchable(markup: str, chinese: bool) -> str:
    """Text a reader may search for: the visible text, and a chart's title and description instead of
    its drawing."""
    markup = _HIDDEN.sub(lambda m: " ".join(_SVG_WORDS.findall(m.group(0))), markup)
    return plain(markup, chinese)


def shorten(text: str, limit: int = 150) -> str:
    """At most `limit` characters, cut after a space or a Chinese comma or full stop where possible."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(c) for c in ("。", ". ", "！", "？"))
    if end > limit // 2:                       # a whole sentence
        return cut[:end + 1].rstrip()
    at = max(cut.rfind(c) for c in (" ", "，", "、", "；"))
    return (cut[:at] if at > limit // 2 else cut).rstrip(" ，、；,;:：") + "…"


def description(view: "SectionView") -> str:
    """The first paragraph of a part (of its first section when the part has no introduction)."""
    for v in view.walk():
        found = _FIRST_PARAGRAPH.search(str(v.body))
        if found and plain(found.group(1)):
            return shorten(plain(found.group(1)))
    return ""


def part_line(view: "SectionView") -> str:
    """One line on the home page under a part's title: the titles of its sections, or its opening words."""
    if view.children:
        return " · ".join(c.title for c in view.children)
    return description(view)


def search_entries(parts: list["SectionView"], chinese: bool = False) -> list[dict[str, str]]:
    """One entry per section and per heading inside a section: where it is (page#id), its number and
    title, the part it is in, and its text. Text before a section's first heading belongs to the section.
    In Chinese, without the narrow spaces of a gap between Chinese and Latin."""
    entries = []
    for part in parts:
        for view in part.walk():
            page = f"{part.id}.html"
            body = str(view.body)
            pieces = _HEADING.split(body)
            anchor = part.id if view is part else view.id
            entries.append({"u": f"{page}#{anchor}", "n": view.number if view.level > 1 and view.number else "",
                            "t": view.title, "p": part.title if view is not part else "",
                            "x": _searchable(pieces[0], chinese)})
            # pieces: text, level, id, title, text, level, id, title, text, ...
            for i in range(1, len(pieces), 4):
                entries.append({"u": f"{page}#{pieces[i + 1]}", "n": "", "t": plain(pieces[i + 2], chinese),
                                "p": view.heading if view is not part else part.title,
                                "x": _searchable(pieces[i + 3], chinese)})
    return [e for e in entries if e["t"] or e["x"]]


class _Folds(dict):
    """str.translate's table for fold(), filled in as characters are first met."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        f = unicodedata.normalize("NFKC", ch).lower()
        f = f if len(f) == 1 else ch.lower() if len(ch.lower()) == 1 else ch
        self[code] = folded = character_folds().get(f, f)
        return folded


_FOLDS = _Folds()


def fold(text: str) -> str:
    """As search.js folds query and text, character by character: full-width as half-width, capitals as
    small letters, Traditional as Simplified."""
    return text.translate(_FOLDS)


def _term_forms(report: "Report") -> list[dict[str, list[str]]]:
    """Each glossary term in each edition's language: the Chinese, the English and its variants, and
    for an edition made from the Chinese, the Chinese converted as that edition is."""
    made = {code: converter(conversion) for code, conversion in report.conversions.items()
            if EDITIONS[code].source == "zh-hant"}
    return [{"zh-hant": [t.zh], "en": [t.en, *t.variants], **{code: [convert(t.zh)] for code, convert in made.items()}}
            for t in report.glossary]


def _plural_free(word: str) -> list[str]:
    """A Latin term and, for a plural, its singular: "stakeholders" is asked for as "stakeholder" too."""
    if re.fullmatch(r"[a-z -]*[a-z]{3}[^isu]s", word):
        return [word, word[:-1]]
    return [word]


def _typed(term: str) -> bool:
    """Whether a reader would type the term as a query: four words at most, or eight Chinese characters
    (a company's full legal name is left out, to keep the index small)."""
    return len(term.split()) <= 4 if re.search(r"[a-z]", term) else len(term) <= 8


def search_terms(report: "Report", code: str, text: str) -> list[list[list[str]]]:
    """Synonyms across editions: per glossary term that `text` (folded) has, [this edition's forms,
    the forms of the other editions' languages]. A query that is one of the latter also finds the former."""
    out = []
    for forms in _term_forms(report):
        own = [f for f in dict.fromkeys(forms.get(code, [])) if fold(f) in text]
        if not own:
            continue
        mine = {fold(f) for f in own}
        others = dict.fromkeys(w for lang, words in forms.items() if lang != code
                               for f in words for w in _plural_free(fold(f)) if w not in mine and _typed(w))
        if others:
            out.append([own, list(others)])
    return out


def search_folds(text: str) -> str:
    """The Simplified↔Traditional folds that a query of this index may need, as pairs of characters:
    each character of `text` (folded) with every other character folded to it."""
    folded = set(text)
    return "".join(f"{ch}{to}" for ch, to in sorted(character_folds().items()) if to in folded)


def search_index(parts: list["SectionView"], report: "Report", code: str) -> str:
    """The script of the search page: the entries, the glossary's synonyms and the character folds."""
    entries = search_entries(parts, chinese=EDITIONS[code].script in ("Hant", "Hans"))
    text = fold(" ".join(f"{e['t']} {e['x']}" for e in entries))
    terms = search_terms(report, code, text)
    words = " ".join(w for own, others in terms for w in own + others)
    data = json.dumps({"entries": entries, "terms": terms, "folds": search_folds(text + fold(words))},
                      ensure_ascii=False, separators=(",", ":"))
    return f"window.esgSearch={data};\n"


def write_pages(renderer: "EditionRenderer", rendered: "RenderedEdition", parts: list["SectionView"],
                ctx: dict[str, Any]) -> None:
    """Fill `rendered.pages` with every file of the web edition that is made from the report."""
    jinja = renderer.jinja
    code = rendered.code
    editions = ctx["editions"]
    downloads = [{"format": fmt, "file": rendered.kpi_data.file(fmt)} for fmt in ("xlsx", "csv", "json")] \
        if rendered.kpi_data else []
    data_part = renderer.data_part()
    common = {**ctx, "assets": "assets", "pdf_file": rendered.pdf_name, "downloads": downloads,
              "parts": parts, "search_page": "search.html"}

    site = renderer.report.manifest.site
    locale = Locale.parse(EDITIONS[code].locale)
    share = {"locale": f"{locale.language}_{locale.territory}" if locale.territory else locale.language,
             "site_name": ctx["company_name"]}

    def page(name: str, template: str, description: str, **extra) -> None:
        # Translations and the page's own address: in full where the manifest says where the site is.
        alternates = [{"lang": ed.html_lang, "href": f"{site}{ed.code}/{name}" if site else f"../{ed.code}/{name}",
                       "name": ed.name} for ed in editions]
        rendered.pages[name] = jinja.get_template(template).render(
            **common, page_file=name, alternates=alternates, description=description, share=share,
            canonical=f"{site}{code}/{name}" if site else None, **extra)

    colon = renderer.pgettext("punctuation", ": ")
    page("index.html", "web/index.html", f"{ctx['company_name']} {ctx['title']}{colon}{description(parts[0])}"
         if parts else "", key_figures=renderer.key_figures(), part_line=part_line)
    for i, part in enumerate(parts):
        summary = f"{part.title}{colon}{part_line(part)}" if part.children else description(part) or part.title
        page(f"{part.id}.html", "web/part.html", summary, part=part,
             previous=parts[i - 1] if i > 0 else None, next=parts[i + 1] if i + 1 < len(parts) else None,
             data_here=part.id == data_part)
    page("search.html", "web/search.html", f"{ctx['company_name']} {ctx['title']}")
    page("404.html", "web/404.html", f"{ctx['company_name']} {ctx['title']}")
    rendered.pages[SEARCH_INDEX] = search_index(parts, renderer.report, code)
    rendered.pages[MANIFEST] = jinja.get_template("web/manifest.webmanifest").render(
        **common, lang=EDITIONS[code].html_lang)

