"""The report's Markdown dialect: CommonMark plus tables, footnotes, attributes, boxes and data references.

Every extension is a rule registered on the markdown-it parser. The parser knows only syntax: a
directive call is parsed against its declaration (directives.py), and drawing it, like the other
data the page shows, is left to hooks the renderer puts in `env`:

- env["resolve"](call, line) -> escaped text for an inline `{{ kpi(...) }}`
- env["block"](call, line) -> HTML for a directive line such as `{{ kpi_table("environmental") }}`
- env["table"](table, cells_html, line) -> HTML for a ```table block
- env["component"](call, items, line) -> HTML for a container drawn as an infographic (`::: numbered`,
  `::: timeline`, `::: values`): its list's items as Item (label, text, entries: each rendered HTML)
- env["image"](src, alt, line) -> HTML for an image (only files inside the report folder)
- env["link"](href, line) -> where a link leads (None: nowhere), for links to sections and the website
- env["gettext"](text) -> the UI string in the edition's language
- env["words"](call) -> the text of a word of report.yaml (`{{ year }}`, `{{ period() }}` …), written out
  before the text rules run, so the text around it is set as if it had been typed
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.footnote.index import render_footnote_anchor
from mdit_py_plugins.front_matter import front_matter_plugin

from esgreport.errors import did_you_mean
from esgreport.markup.directives import CONTAINERS, DIRECTIVES, Call, parse_call
from esgreport.markup.years import MARK
from esgreport.model.load import YamlProblem, compose_yaml
from esgreport.typography.cjk import cjk_latin_spacing, full_width_punctuation, last_pair

_BLOCK_LINE = re.compile(r"^\{\{(.*)\}\}\s*$")


# --- inline `{{ kpi("id") }}` ---------------------------------------------------------------

def _data_ref(state: StateInline, silent: bool) -> bool:
    pos = state.pos
    if not state.src.startswith("{{", pos):
        return False
    # Where the next `}}` is, remembered for the inline text: a run of unclosed `{{` is scanned once.
    cached = state.env.get("_closing")
    if cached is None or cached[0] is not state.src or not (cached[1] < 0 or cached[1] >= pos + 2):
        cached = (state.src, state.src.find("}}", pos + 2))
        state.env["_closing"] = cached
    end = cached[1]
    if end < 0:
        return False
    if not silent:
        token = state.push("data_ref", "", 0)
        token.content = state.src[pos + 2:end]
        token.meta = {"offset": pos}
    state.pos = end + 2
    return True


# --- marks: `[2019年12月]{.history}`, `[400]{.not-figure}` -------------------------------------------

def _mark(state: StateInline, silent: bool) -> bool:
    """A mark's text, as if it were not marked: it reads as it is, the checks leave it aside."""
    if state.src[state.pos] != "[":
        return False
    match = MARK.match(state.src, state.pos)
    if not match or match.end() > state.posMax:
        return False
    if not silent:
        end = state.posMax
        state.pos, state.posMax = match.start(1), match.end(1)
        state.md.inline.tokenize(state)
        state.posMax = end
    state.pos = match.end()
    return True


def _words(state) -> None:
    """The words of report.yaml (`{{ year }}`, `{{ period() }}` …) written out as text, joined with the
    text around them, before quotes, dashes and the edition's text rules are applied."""
    words = state.env.get("words")
    if words is None:
        return
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        changed = False
        for child in token.children:
            if child.type == "data_ref":
                call = parse_call(child.content, "inline")
                if call.directive is not None and call.directive.plain and call.arguments is not None:
                    child.type, child.content, changed = "text", words(call), True
        if changed:
            joined: list[Token] = []
            for child in token.children:
                if child.type == "text" and joined and joined[-1].type == "text":
                    joined[-1].content += child.content
                else:
                    joined.append(child)
            token.children = joined


# --- block directive on a line of its own ---------------------------------------------------

def _data_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start]:state.eMarks[start]]
    match = _BLOCK_LINE.match(line)
    if not match:
        return False
    directive = DIRECTIVES.get(match.group(1).strip().split("(", 1)[0].strip())
    if directive is None or directive.placement != "block":
        return False
    if silent:
        return True
    token = state.push("data_block", "", 0)
    token.content = match.group(1)
    token.map = [start, start + 1]
    state.line = start + 1
    return True


def _assign_lines(state) -> None:
    """Give every data reference its 1-based line in the source file."""
    for token in state.tokens:
        if token.type == "inline" and token.map and token.children:
            for child in token.children:
                if child.type == "data_ref":
                    child.meta["line"] = token.map[0] + 1 + token.content.count("\n", 0, child.meta["offset"])
                elif child.type == "image":
                    child.meta["line"] = token.map[0] + 1
                elif child.type == "link_open":
                    child.meta["line"] = _line_of(state.src, child.attrGet("href") or "", token.map[0] + 1)
        elif token.type == "data_block" and token.map:
            token.meta = {"line": token.map[0] + 1}


def _shift_headings(state) -> None:
    shift = state.env.get("heading_shift", 0)
    if not shift:
        return
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, max(2, int(token.tag[1]) + shift))
            token.tag = f"h{level}"


_NAMED = re.compile(r"[ \t]*\{#([a-z][a-z0-9]*(?:-[a-z0-9]+)*)\}[ \t]*$")


def _named_headings(state) -> None:
    """`### Training {#training-hours}`: the heading's own name, for a link that stays when headings are
    added before it (`#employment-training-hours`: the section's id and the name). The name is taken out
    of the title and kept on the heading (`meta["name"]`)."""
    for i, token in enumerate(state.tokens[:-1]):
        if token.type != "heading_open":
            continue
        inline = state.tokens[i + 1]
        last = inline.children[-1] if inline.children else None
        if last is None or last.type != "text":
            continue
        match = _NAMED.search(last.content)
        if match:
            last.content = last.content[:match.start()]
            inline.content = _NAMED.sub("", inline.content)
            token.meta = {**(token.meta or {}), "name": match.group(1)}


def _heading_ids(state) -> None:
    """Every heading of a section body, box titles included, gets a stable id: the section's id and
    its place among the section's headings (`employment-3`), the same in every edition, so a link to
    it is shareable and the language switcher keeps the reader there. (Content cannot give ids of
    its own: see ALLOWED_ATTRIBUTES.)"""
    doc_id = state.env.get("docId")
    if not doc_id:
        return
    n = 0
    for token in state.tokens:
        if token.type == "heading_open" or (token.type.startswith("container_") and token.nesting == 1
                                            and token.info.strip().split(" ", 1)[0] in CONTAINERS.names("box")):
            n += 1
            if token.type == "heading_open":
                if not token.attrGet("id"):
                    name = (token.meta or {}).get("name")
                    token.attrSet("id", f"{doc_id}-{name}" if name else f"{doc_id}-{n}")
            else:
                token.meta = {**(token.meta or {}), "heading_id": f"{doc_id}-{n}"}


# --- ```table blocks: rich tables written as YAML -----------------------------------------

def _yaml_tables(state) -> None:
    md: MarkdownIt = state.md
    for token in state.tokens:
        if token.type != "fence" or token.info.strip() != "table":
            continue
        first_line = (token.map[0] + 2) if token.map else None  # line of the YAML's first line
        token.type = "data_table"
        token.meta = {"line": first_line, "error": None}
        try:
            node, spec = compose_yaml(token.content)
            spec = spec or {}
        except YamlProblem as exc:
            token.meta["error"] = (exc.message.replace("this YAML", "this table's YAML"),
                                   (first_line or 0) + (exc.line - 1 if exc.line else 0))
            continue
        if not isinstance(spec, dict) or not isinstance(spec.get("rows"), list):
            token.meta["error"] = ("a table block needs `rows:` (a list of rows, each a list of cells)", first_line)
            continue
        unknown = set(spec) - {"caption", "columns", "rows", "notes", "header_column", "widths", "numeric", "class"}
        if unknown:
            token.meta["error"] = (f"unknown key `{sorted(unknown)[0]}` in table block", first_line)
            continue
        settings = _table_settings(spec)
        if settings:
            token.meta["error"] = (settings, first_line)
            continue

        def cell_line(path: tuple, node: yaml.Node = node, first_line: int | None = first_line) -> int | None:
            n = node
            for key in path:
                if isinstance(n, yaml.MappingNode):
                    n = next((v for k, v in n.value if k.value == key), None)
                elif isinstance(n, yaml.SequenceNode) and isinstance(key, int) and key < len(n.value):
                    n = n.value[key]
                else:
                    n = None
                if n is None:
                    return first_line
            return (first_line or 0) + n.start_mark.line

        def inline(text: Any, path: tuple) -> list[Token]:
            tokens = md.parseInline(str(text), state.env)
            line = cell_line(path)
            for t in tokens:
                for child in t.children or []:
                    if child.type == "data_ref":
                        child.meta["line"] = line
            return tokens

        def cell(value: Any, path: tuple):
            if isinstance(value, list):
                return [inline(v, path + (i,)) for i, v in enumerate(value)]
            return inline("" if value is None else value, path)

        token.meta["spec"] = spec
        token.meta["columns"] = [cell(c, ("columns", i)) for i, c in enumerate(spec.get("columns") or [])]
        token.meta["rows"] = [[cell(c, ("rows", r, i)) for i, c in enumerate(row if isinstance(row, list) else [row])]
                              for r, row in enumerate(spec["rows"])]
        token.meta["caption"] = cell(spec["caption"], ("caption",)) if spec.get("caption") else None
        token.meta["notes"] = [cell(n, ("notes", i)) for i, n in enumerate(spec.get("notes") or [])]


def _table_settings(spec: dict) -> str | None:
    """What is wrong with a table block's layout settings, if anything (they reach the page's markup)."""
    widths, numeric = spec.get("widths"), spec.get("numeric")
    if widths is not None and not (isinstance(widths, list) and all(
            isinstance(w, (int, float)) and not isinstance(w, bool) and 0 < w <= 100 for w in widths)):
        return "`widths:` is a list of column widths in per cent, e.g. [25, 75]"
    if numeric is not None and not (isinstance(numeric, list) and all(
            isinstance(n, int) and not isinstance(n, bool) and 0 < n < 100 for n in numeric)):
        return "`numeric:` is a list of column numbers, e.g. [2, 3]"
    if spec.get("class") is not None and not (isinstance(spec["class"], str) and re.fullmatch(r"[a-z][a-z0-9-]*", spec["class"])):
        return "`class:` is one lowercase word, e.g. wide"
    if not isinstance(spec.get("header_column", False), bool):
        return "`header_column:` is true or false"
    return None


# --- containers drawn as infographics: `::: numbered`, `::: timeline`, `::: values` ----------------------

# What each container's list must hold, in an editor's words (for the message when it does not).
_HOLDS = {
    "numbered": ("one numbered list (1. … 2. …), each item a line of text", "1. 綠色信貸\n2. ESG投融資"),
    "timeline": ("one list: dated steps (`- **2023年3月**：…`), then groups (`- **參與撰寫**` over a list of their "
                 "entries)", "- **2023年3月**：《手冊》重要貢獻者\n- **參與撰寫**\n  - 白皮書"),
    "values": ("one list of `- **label**：text` items", "- **為社會**：可持續高質量生態共贏"),
}


@dataclass(frozen=True)
class Item:
    """An item of a container's list, as rendered HTML: its bold label (`**2023年3月**`), its text after
    the label, and the entries of a list under it (a timeline's group)."""

    label: str
    text: str
    entries: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Found:
    """An item as found in the tokens: its paragraph's inline token, its nested list's, its line."""

    inline: int
    entries: tuple[int, ...]
    line: int | None


def _item_problem(name: str, tokens: list[Token], item: _Found) -> str | None:
    """What is wrong with one item of a container's list, if anything."""
    children = tokens[item.inline].children or []
    labelled = _label_end(children) is not None
    text = _after_label(children) if labelled else children
    has_text = any(c.type not in ("softbreak", "hardbreak") and (c.type != "text" or c.content.strip()) for c in text)
    if name == "numbered":
        return None if not item.entries else "an item of `::: numbered` is one line of text, with no list under it"
    if not labelled:
        return f"an item of `::: {name}` starts with its label in bold, e.g. **2023年3月**" if name == "timeline" \
            else "an item of `::: values` starts with its label in bold, e.g. **為社會**：…"
    if name == "values" and (item.entries or not has_text):
        return "an item of `::: values` is a bold label and its text on one line, e.g. **為社會**：可持續高質量生態共贏"
    if name == "timeline" and has_text == bool(item.entries):
        return ("an item of `::: timeline` is either a step (**2023年3月**：its text) or a group (**參與撰寫** "
                "over a list of its entries), not both" if has_text else
                "an item of `::: timeline` needs its text after the label, or a list of entries under it")
    return None


def _label_end(children: list[Token]) -> int | None:
    """Where the bold label an item starts with ends (its strong_close), or None for no label."""
    first = next((i for i, c in enumerate(children) if c.type != "text" or c.content), None)
    if first is None or children[first].type != "strong_open":
        return None
    return next((i for i, c in enumerate(children) if c.type == "strong_close"), None)


def _after_label(children: list[Token]) -> list[Token]:
    """An item's inline tokens after its bold label, without the colon that follows it."""
    close = _label_end(children)
    rest = [c.copy() for c in children[(close if close is not None else -1) + 1:]]
    if rest and rest[0].type == "text":
        rest[0].content = rest[0].content.lstrip(" \t:：")
        if not rest[0].content:
            rest = rest[1:]
    return rest


def _list_items(tokens: list[Token], start: int, end: int) -> tuple[list[_Found], bool]:
    """The items of the list tokens[start:end] (its open and close tokens), and whether each is one
    paragraph, optionally with a list of one-paragraph entries under it."""
    items: list[_Found] = []
    i = start + 1
    while i < end:
        if tokens[i].type != "list_item_open":
            return items, False
        close = _closing(tokens, i)
        inner = tokens[i + 1:close]
        entries: list[int] = []
        if len(inner) < 3 or inner[0].type != "paragraph_open" or inner[1].type != "inline":
            return items, False
        if len(inner) > 3:
            nested = i + 4
            if not tokens[nested].type.endswith("_list_open") or _closing(tokens, nested) != close - 1:
                return items, False
            found, ok = _list_items(tokens, nested, close - 1)
            if not ok or any(f.entries for f in found):
                return items, False
            entries = [f.inline for f in found]
        where = tokens[i].map
        items.append(_Found(i + 2, tuple(entries), where[0] + 1 if where else None))
        i = close + 1
    return items, True


def _closing(tokens: list[Token], start: int) -> int:
    """The index of the token that closes tokens[start]."""
    depth = 0
    for i in range(start, len(tokens)):
        depth += tokens[i].nesting
        if depth == 0:
            return i
    return len(tokens) - 1


def _components(state) -> None:
    """Check each infographic container (its arguments, the list it holds) and record on its opening
    token what the renderer draws (`meta["component"]`); what is wrong goes to env["refused"], at its
    line, and the container is then drawn as plain Markdown."""
    if state.inlineMode:
        return
    refused = state.env.setdefault("refused", [])
    tokens = state.tokens
    for i, token in enumerate(tokens):
        name = token.type[len("container_"):-len("_open")] if token.type.startswith("container_") else ""
        container = CONTAINERS.get(name)
        if token.nesting != 1 or container is None or container.placement != "container":
            continue
        line = token.map[0] + 1 if token.map else None
        close = _closing(tokens, i)
        rest = token.info.strip()[len(name):].strip()
        call = parse_call(f"{name}({rest})", "container")
        problems = [(line, message, hint) for message, hint in call.problems]
        holds, example = _HOLDS[name]
        kind = "ordered_list_open" if name == "numbered" else ""
        first = tokens[i + 1] if i + 1 < close else None
        found: list[_Found] = []
        if first is None:
            problems.append((line, f"`::: {name}` is empty", f"it holds {holds}, e.g.\n{example}"))
        elif not first.type.endswith("_list_open") or (kind and first.type != kind) or _closing(tokens, i + 1) != close - 1:
            problems.append((first.map[0] + 1 if first.map else line, f"`::: {name}` holds {holds}, and nothing else",
                             f"write it as, e.g.\n{example}"))
        else:
            found, ok = _list_items(tokens, i + 1, close - 1)
            if not ok:
                problems.append((first.map[0] + 1 if first.map else line, f"`::: {name}` holds {holds}",
                                 f"write it as, e.g.\n{example}"))
            problems += [(item.line, wrong, f"write it as, e.g.\n{example}") for item in found
                         if (wrong := _item_problem(name, tokens, item))]
            icons = getattr(call.arguments, "icons", None)
            if icons is not None and ok and len(icons) != len(found):
                problems.append((line, f"`::: values` names {len(icons)} icon{'s' if len(icons) != 1 else ''} "
                                       f"for {len(found)} item{'s' if len(found) != 1 else ''}",
                                 "give each item its icon, in order: icons=(\"globe\", \"handshake\", \"people\")"))
        refused += problems
        if not problems:
            token.meta = {**(token.meta or {}), "component": (call, tuple(found), close, line)}


# A line that opens a container: `::: name`, then its title or arguments.
_OPENING = re.compile(r"[ \t]*:{3,}[ \t]*([^\s{:]+)")
# A line of colons alone, left in a paragraph: it closed nothing (a second `:::` after a nested container).
_CLOSING = re.compile(r"[ \t]*:{3,}[ \t]*")


def _unknown_containers(state) -> None:
    """A line `::: name` whose name is no container's is left as text of a paragraph: name it, at its
    line, with the container it resembles (env["refused"]; its lines also in env["unknown_containers"])."""
    if state.inlineMode:
        return
    refused = state.env.setdefault("refused", [])
    unknown = state.env.setdefault("unknown_containers", [])
    names = CONTAINERS.names()
    tokens = state.tokens
    unclosed = 0        # unknown containers opened: the next lines of colons alone are their ends
    for i, token in enumerate(tokens[1:], 1):
        if token.type != "inline" or tokens[i - 1].type != "paragraph_open" or ":::" not in token.content:
            continue
        for n, text in enumerate(token.content.split("\n")):
            opening = _OPENING.match(text)
            line = token.map[0] + 1 + n if token.map else None
            if opening and CONTAINERS.get(opening.group(1)) is None:
                unclosed += 1
                unknown.append(line)
                refused.append((line, f"unknown container `::: {opening.group(1)}`", did_you_mean(
                    opening.group(1), names, f"the containers are {', '.join(names)}; see docs/authoring.md")))
            elif _CLOSING.fullmatch(text) and unclosed:
                unclosed -= 1
            elif _CLOSING.fullmatch(text):
                unknown.append(line)
                refused.append((line, "this `:::` closes no container: it would be printed as text",
                                "remove it; to put a container inside a box, open and close the box with "
                                "one more colon (`:::: case …` … `::::`)"))


class ReportRenderer(RendererHTML):
    """markdown-it's HTML renderer, drawing each checked infographic container whole (env["component"])."""

    def render(self, tokens, options, env) -> str:
        out: list[str] = []
        i = 0
        while i < len(tokens):
            component = (tokens[i].meta or {}).get("component") if tokens[i].nesting == 1 else None
            if component is not None and "component" in env:
                call, found, close, line = component
                out.append(env["component"](call, [self._item(tokens, f, options, env) for f in found], line))
                i = close + 1
                continue
            out.append(super().render(tokens[i:i + 1], options, env) if tokens[i].type == "inline"
                       else self.rules[tokens[i].type](tokens, i, options, env) if tokens[i].type in self.rules
                       else self.renderToken(tokens, i, options, env))
            i += 1
        return "".join(out)

    def _item(self, tokens, found: _Found, options, env) -> Item:
        children = tokens[found.inline].children or []
        entries = tuple(self.renderInline(tokens[e].children or [], options, env) for e in found.entries)
        close = _label_end(children)
        if close is not None:
            start = next(i for i, c in enumerate(children) if c.type == "strong_open")
            return Item(self.renderInline(children[start + 1:close], options, env),
                        self.renderInline(_after_label(children), options, env), entries)
        return Item("", self.renderInline(children, options, env), entries)


# --- markup content may not carry ----------------------------------------------------------------

# Attributes content may give an element (`{.lead}`): classes and a language. Anything else (style,
# id, event handlers, ping …) could make a reader's browser do what the report never meant.
ALLOWED_ATTRIBUTES = ("class", "lang")


def _refused_markup(state) -> None:
    """Record the attributes the attrs plugins removed, with their lines, in env["refused"]."""
    refused = state.env.setdefault("refused", [])
    line = None
    for token in state.tokens:
        if token.map:
            line = token.map[0] + 1
        for t in [token, *(token.children or [])]:
            for name in (t.meta or {}).get("insecure_attrs", {}):
                refused.append((line, f"the attribute `{name}` is not allowed in content",
                                f"only {' and '.join(ALLOWED_ATTRIBUTES)} may be given, e.g. {{.lead}}"))


# Where content may link: the web, mail and a telephone. A link without a scheme leads to a section
# (#id) or to the company's website (render/edition.py); in the PDF, one would otherwise lead into the
# build folder (file://), and `//host/share` to a share of the build machine's network.
LINK_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.I)


def has_scheme(href: str) -> bool:
    return _SCHEME.match(href) is not None


def link_problem(href: str) -> tuple[str, str] | None:
    """Why content may not link to `href` (what is wrong, what to do), or None."""
    from urllib.parse import unquote

    shown = unquote(href)          # as written: the parser has encoded what a URL may not hold
    shown = shown if len(shown) <= 60 else shown[:57] + "…"
    # `\\host`, `/\host` and `\/host` are `//host` to a browser (the parser encodes `\` as %5C)
    if href.replace("%5C", "/").replace("%5c", "/").replace("\\", "/").startswith("//"):
        return (f"the link `{shown}` names no scheme: in the PDF it would lead to a share of the build "
                "machine's network", "write the full address, https://…")
    scheme = _SCHEME.match(href)
    if scheme and scheme.group(1).lower() == "file":
        return (f"the link `{shown}` leads to a file of the computer the report is built on",
                "link to the file's address on the web (https://…)")
    if scheme and scheme.group(1).lower() not in LINK_SCHEMES:
        return (f"the link `{shown}` leads neither to the web, nor to mail, nor to a telephone",
                "write https://…, mailto:… or tel:…; another section is #its-id")
    return None


def _refused_links(state) -> None:
    """Record the links content may not have (link_problem), with their lines, in env["refused"]. Every
    link is parsed (validateLink accepts all), so that none is published as raw Markdown unnoticed."""
    if state.inlineMode:
        return      # a table block's cell: checked with the block, where its line is known
    refused = state.env.setdefault("refused", [])

    anchors = state.env.setdefault("anchors", [])

    def check(children, line: int | None) -> None:
        for child in children or []:
            if child.type == "link_open":
                href = child.attrGet("href") or ""
                found = link_problem(href)
                if found:
                    refused.append((child.meta.get("line") or line, *found))
                elif href.startswith("#"):
                    anchors.append((href, child.meta.get("line") or line))

    for token in state.tokens:
        line = token.map[0] + 1 if token.map else None
        if token.type == "inline":
            check(token.children, line)
        elif token.type == "data_table" and not token.meta.get("error"):
            meta = token.meta
            for cell in [meta["caption"] or [], *meta["columns"], *(c for row in meta["rows"] for c in row),
                         *meta["notes"]]:
                for item in (cell if cell and isinstance(cell[0], list) else [cell]):
                    for t in item:
                        for child in t.children or []:
                            if child.type == "link_open":
                                child.meta["line"] = _line_of(state.src, child.attrGet("href") or "", meta["line"])
                        check(t.children, meta["line"])


def anchored_section(fragment: str, section_ids) -> str | None:
    """The section a link's `#fragment` leads to: a section's id, or a heading's in it (_heading_ids:
    the section's id and a number, or the name a heading was given); None for none of the report's."""
    section = fragment if fragment in section_ids else re.sub(r"-\d+$", "", fragment)
    if section in section_ids:
        return section
    # A named heading (`### Title {#name}`): the section's id, a hyphen, the name.
    owners = [s for s in section_ids if fragment.startswith(s + "-")]
    return max(owners, key=len) if owners else None


def _line_of(text: str, href: str, start: int | None) -> int | None:
    """The line, from `start` (the paragraph's or table's first line) on, that writes `href` (as
    written: the parser has encoded what a URL may not hold)."""
    from urllib.parse import unquote

    if start is None:
        return None
    lines = text.split("\n")
    for needle in dict.fromkeys((href, unquote(href))):
        for number in range(start, len(lines) + 1):
            if needle and needle in lines[number - 1]:
                return number
    return start


# --- renderers --------------------------------------------------------------------------------

def _render_data_ref(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return env["resolve"](parse_call(token.content, "inline"), token.meta.get("line"))


def _render_data_block(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    return env["block"](parse_call(token.content, "block"), token.meta.get("line"))


def _render_data_table(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if token.meta.get("error"):
        message, line = token.meta["error"]
        return env["fail"](message, line, "see docs/authoring.md, section Tables")

    def html_of(cell):
        if isinstance(cell, list) and cell and isinstance(cell[0], list):
            return [self.render(t, options, env) for t in cell]
        return self.render(cell, options, env) if cell is not None else ""

    meta = token.meta
    rendered = {
        "caption": html_of(meta["caption"]) if meta["caption"] else "",
        "columns": [html_of(c) for c in meta["columns"]],
        "rows": [[html_of(c) for c in row] for row in meta["rows"]],
        "notes": [html_of(n) for n in meta["notes"]],
    }
    return env["table"](meta["spec"], rendered, meta["line"])


def _render_link(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    if "link" in env:
        href = env["link"](token.attrGet("href") or "", (token.meta or {}).get("line"))
        token = token.copy()
        token.attrs = {k: v for k, v in token.attrs.items() if k != "href"}
        if href is not None:
            token.attrs = {"href": href, **token.attrs}
    return self.renderToken([token], 0, options, env)


def _render_image(self, tokens, idx, options, env) -> str:
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return env["image"](token.attrGet("src") or "", alt, token.meta.get("line"))


def _footnote_back(self, tokens, idx, options, env) -> str:
    """The link from a note back to the text: an arrow up (↑). The plugin's ↩ and the variation
    selector after it are in none of the report's fonts."""
    return render_footnote_anchor(self, tokens, idx, options, env).replace("\u21a9\ufe0e", "\u2191")


def _box_renderer(kind: str):
    def render(self, tokens, idx, options, env) -> str:
        token = tokens[idx]
        if token.nesting == -1:
            return "</div></section>\n" if kind == "highlights" else "</div></aside>\n"
        title = token.info.strip()[len(kind):].strip()
        if "words_in" in env:       # `::: highlights {{ year }}年關鍵績效`
            title = env["words_in"](title)
        # `::: highlights 環境績效 {.environmental}`: a class for the designer (a pillar's colour).
        extra = _BOX_CLASS.search(title)
        if extra:
            title = title[:extra.start()].strip()
        css = f" {extra.group(1)}" if extra else ""
        t = html.escape(title)
        _ = env["gettext"]
        # Box titles sit one level below the section's heading, like the body's own ### headings.
        level = min(6, 3 + env.get("heading_shift", 0))
        hid = token.meta.get("heading_id") if token.meta else None
        id_attr = f' id="{hid}"' if hid else ""
        if kind == "highlights":
            head = f'<h{level} class="highlights-title"{id_attr}>{t}</h{level}>' if t else ""
            return f'<section class="highlights{css}">{head}<div class="cards">\n'
        case_label = html.escape(_("Case"))
        label = f'<p class="box-label">{case_label}</p>' if kind == "case" else ""
        head = f'<h{level} class="box-title"{id_attr}>{t}</h{level}>' if t else ""
        if _text_width(tokens, idx) > LONG_BOX:
            css += " box-long"
        return f'<aside class="box box-{kind}{css}">{label}{head}<div class="box-body">\n'
    return render


# A box longer than this (in the width of its text: a Chinese character counts two) is "long": about
# fifteen lines of English or ten of Chinese. The PDF keeps a box whole, but lets a long one split
# across pages rather than leave a third of a page empty above it (print.css).
LONG_BOX = 1000


def _text_width(tokens, idx: int) -> int:
    """The width of the text inside the container opened at tokens[idx], a wide character counting two."""
    depth, width = 0, 0
    for token in tokens[idx:]:
        depth += token.nesting
        if token.type == "inline":
            width += sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in token.content)
        if depth == 0:
            break
    return width


_BOX_CLASS = re.compile(r"\{\.([a-z][a-z0-9-]*)\}\s*$")


def _validate_box(kind: str):
    return lambda params, markup: params.strip().split(" ", 1)[0] == kind



def keep_last_characters(state) -> None:
    """No Chinese character alone on the last line of a paragraph, list item or table cell: the last
    two characters (and the punctuation after them) are kept together in a span that does not break.
    Markup only, so the text a reader copies or searches is unchanged. Headings are left alone."""
    from markdown_it.token import Token

    previous = None
    for token in state.tokens:
        if token.type == "inline" and token.children and (previous is None or previous.type != "heading_open"):
            last = token.children[-1]
            at = last_pair(last.content) if last.type == "text" else None
            if at is not None:
                head, tail = last.content[:at], last.content[at:]
                last.content = head
                token.children[-1:] = [last, Token("html_inline", "", 0, content='<span class="keep">'),
                                       Token("text", "", 0, content=tail), Token("html_inline", "", 0, content="</span>")]
        previous = token


# Rules that work on the text of each token, and rules that work on the parsed tokens.
TEXT_RULES = {"cjk_latin_spacing": cjk_latin_spacing, "full_width_punctuation": full_width_punctuation}

# Rules that work on the parsed tokens rather than on the text of each token.
TOKEN_RULES = {"keep_last_characters": keep_last_characters}


def _text_rule(transform):
    def rule(state) -> None:
        for token in state.tokens:
            for child in token.children or []:
                if child.type == "text":
                    child.content = transform(child.content)
    return rule


def report_markdown(quotes: str = "\u201c\u201d\u2018\u2019", text_rules: tuple[str, ...] = ()) -> MarkdownIt:
    """The parser every section body goes through, with an edition's quotation marks and text rules.

    Straight quotes become the edition's quotation marks and `--` a dash (markdown-it's typographer);
    `text_rules` name the rules of TEXT_RULES applied to the text, in order.
    """
    md = MarkdownIt("commonmark", {"html": False, "typographer": True}, renderer_cls=ReportRenderer).enable(
        ["table", "replacements", "smartquotes"])
    md.options["quotes"] = quotes
    md.use(front_matter_plugin)
    md.use(footnote_plugin)
    md.use(attrs_plugin, allowed=ALLOWED_ATTRIBUTES)
    md.use(attrs_block_plugin, allowed=ALLOWED_ATTRIBUTES)
    for container in CONTAINERS:        # a box drawn here; an infographic by env["component"] (ReportRenderer)
        drawn = {"render": _box_renderer(container.name)} if container.placement == "box" else {}
        md.use(container_plugin, name=container.name, validate=_validate_box(container.name), **drawn)
    md.inline.ruler.before("text", "data_ref", _data_ref)
    md.inline.ruler.before("link", "mark", _mark)
    md.block.ruler.before("paragraph", "data_block", _data_block, {"alt": ["paragraph"]})
    md.core.ruler.after("inline", "data_lines", _assign_lines)
    md.core.ruler.after("data_lines", "words", _words)
    md.core.ruler.after("data_lines", "yaml_tables", _yaml_tables)
    md.core.ruler.after("yaml_tables", "shift_headings", _shift_headings)
    md.core.ruler.after("shift_headings", "named_headings", _named_headings)
    md.core.ruler.after("named_headings", "heading_ids", _heading_ids)
    md.core.ruler.after("heading_ids", "refused_markup", _refused_markup)
    md.core.ruler.after("refused_markup", "refused_links", _refused_links)
    md.core.ruler.after("refused_links", "components", _components)
    md.core.ruler.after("components", "unknown_containers", _unknown_containers)
    md.validateLink = lambda url: True  # type: ignore[method-assign]  # every link parsed; those refused are named (_refused_links)
    for name in text_rules:
        md.core.ruler.push(name, TOKEN_RULES.get(name) or _text_rule(TEXT_RULES[name]))
    md.add_render_rule("data_ref", _render_data_ref)
    md.add_render_rule("data_block", _render_data_block)
    md.add_render_rule("data_table", _render_data_table)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("footnote_anchor", _footnote_back)
    md.add_render_rule("link_open", _render_link)
    md.add_render_rule("front_matter", lambda *a, **k: "")
    return md


# --- what a section file contains: its directives and its structure -----------------------------------

_SCANNER: MarkdownIt | None = None

# Elements counted for structure parity between editions: token type → what it is called. Directives
# count as their declarations say (cards, tables, charts …), and so do containers (case boxes, timelines …).
_STRUCTURE = {
    "table_open": "tables", "data_table": "tables", "footnote_open": "footnotes", "list_item_open": "list items",
    "image": "images", **{f"container_{c.name}_open": c.counts_as for c in CONTAINERS if c.counts_as},
}


@dataclass(frozen=True)
class Scan:
    """What a section body holds, found without rendering it."""

    calls: tuple[tuple[Call, int | None], ...]     # every directive call, with its line
    structure: tuple[tuple[str, int], ...]          # tables, boxes, cards, charts, list items … and how many
    uncounted: frozenset[str]                       # what a call that does not validate leaves uncounted
    refused: tuple[tuple, ...]                      # markup refused: (line, message, hint)
    names: tuple[tuple[str, int | None], ...] = ()  # headings named `{#name}`, with their lines
    tables: tuple[tuple[int | None, int], ...] = ()  # Markdown tables and table blocks: (line, rows)
    blocks: tuple[int | None, ...] = ()   # the line of each other block: paragraph, heading, list item, box …
    anchors: tuple[tuple[str, int | None], ...] = ()  # links to a place of the report (#id), with their lines


# Blocks a section writes, other than tables' rows (each a box to lay out: what bounds.py counts).
_BLOCKS = {"paragraph_open", "heading_open", "list_item_open", "blockquote_open", "footnote_open", "fence",
           "code_block", "hr", "html_block"}


@lru_cache(maxsize=1024)
def scan(text: str) -> Scan:
    """The directives of a section body (with their lines), a count of its structural elements and the
    markup refused in it. Remembered by text: a preview scans again only the files that changed."""
    global _SCANNER
    if _SCANNER is None:
        _SCANNER = report_markdown()
    env: dict = {}
    tokens = _SCANNER.parse(text, env)
    calls: list[tuple[Call, int | None]] = []
    structure: dict[str, int] = {}
    uncounted: set[str] = set()

    def count(what: str, n: int = 1) -> None:
        structure[what] = structure.get(what, 0) + n

    def directive(call: Call, line: int | None) -> None:
        calls.append((call, line))
        declared = call.directive
        if declared is None:          # unknown: it may have been meant as any of them
            uncounted.update(DIRECTIVES.counted())
        elif declared.counts_as and call.arguments is None:
            uncounted.add(declared.counts_as)
        elif declared.counts_as and call.arguments is not None:
            count(declared.counts_as, declared.count(call.arguments))

    def inline(children) -> None:
        for child in children or []:
            if child.type == "data_ref":
                directive(parse_call(child.content, "inline"), child.meta.get("line"))
            elif child.type in _STRUCTURE:
                count(_STRUCTURE[child.type])

    if env.get("unknown_containers"):     # as an unknown directive: it may have been meant as any of them
        uncounted.update(CONTAINERS.counted())
    names = tuple((t.meta["name"], t.map[0] + 1 if t.map else None) for t in tokens
                  if t.type == "heading_open" and t.meta and "name" in t.meta)
    tables: list[tuple[int | None, int]] = []
    blocks: list[int | None] = []
    for token in tokens:
        if token.type in _STRUCTURE:
            count(_STRUCTURE[token.type])
        if token.type.startswith("container_") and token.nesting == 1 and "{{" in token.info:
            line = token.map[0] + 1 if token.map else None     # a box's title: `{{ year }}年關鍵績效`
            for match in re.finditer(r"\{\{(.*?)\}\}", token.info):
                directive(parse_call(match.group(1), "inline"), line)
        if token.type in _BLOCKS or token.type.startswith("container_") and token.nesting == 1:
            blocks.append(token.map[0] + 1 if token.map else None)
        if token.type == "table_open":
            tables.append((token.map[0] + 1 if token.map else None, 0))
        elif token.type == "tr_open" and tables:
            tables[-1] = (tables[-1][0], tables[-1][1] + 1)
        elif token.type == "data_table" and not token.meta.get("error"):
            tables.append((token.map[0] + 1 if token.map else None,
                           len(token.meta["rows"]) + (1 if token.meta["columns"] else 0)))
        if token.type == "data_block":
            directive(parse_call(token.content, "block"), token.meta.get("line"))
        elif token.type == "data_table" and not token.meta.get("error"):
            meta = token.meta
            cells = [meta["caption"] or [], *meta["columns"], *(c for row in meta["rows"] for c in row),
                     *meta["notes"]]
            for cell in cells:
                lists = cell if cell and isinstance(cell[0], list) else [cell]
                if cell and isinstance(cell[0], list):
                    count("list items", len(cell))
                for item in lists:
                    for t in item:
                        inline(t.children)
        elif token.type == "inline":
            inline(token.children)
    return Scan(tuple(calls), tuple(structure.items()), frozenset(uncounted), tuple(env.get("refused", [])), names,
                tuple(tables), tuple(blocks), tuple(env.get("anchors", [])))
