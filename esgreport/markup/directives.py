"""The data directives of a section body, each declared once: `{{ kpi("workforce.total") }}`, `{{ chart("id") }}` …

A declaration says what a directive is called; whether it stands in running text (inline) or on a
line of its own (block); its arguments, as a strict model (which are given in order, which by name,
and of what type); what it refers to (a metric and the year of the value it reads, a KPI table, a
chart, an organisation chart, a framework); and what it counts as when the editions of a section
are compared (the same cards, tables, charts … in each). It holds no drawing: the render stage
registers a draw function for each name (`DIRECTIVES.draws("kpi")`), as Sphinx's registry is filled
by its extensions, so that this stage and prepare never import render.

The containers are declared alike, in CONTAINERS: a box around any Markdown with a title after its
name (`::: case 辦公室節能`), an infographic around a list with arguments after its name (`::: values
icons=("globe", "people")`).

The markup stage parses a call against its declaration (`parse_call`: unknown directive, argument
missing, unknown or of the wrong type, each one message); prepare resolves what every call refers
to; render only draws.
"""

from __future__ import annotations

import ast
import difflib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, ClassVar, Literal, Optional, TypeVar, get_args

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from esgreport.editions import EDITIONS, SCALE_FACTORS
from esgreport.errors import did_you_mean
from esgreport.model.report import Target, TargetKind

# In the text; on a line of its own; around a list, with arguments after its name (`::: values icons=(…)`);
# around any Markdown, with a title after its name (`::: case 辦公室節能`).
Placement = Literal["inline", "block", "container", "box"]
Message = tuple[str, str]     # what is wrong, what to do


# --- arguments ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Arg:
    """What an argument is, in an editor's words, and how to write it: for messages and the directive
    reference of docs/authoring.md. `each` names one item of an argument that takes several."""

    what: str
    hint: str = ""
    each: str = ""


# Years as written in a directive: 2022, or relative to the report's year (0 this year, -1 the year before),
# so that a reference follows the report into the next year.
EARLIEST_RELATIVE = -20


def _a_year(value: int) -> int:
    if EARLIEST_RELATIVE <= value <= 0 or 1900 <= value <= 2999:
        return value
    raise ValueError("not a year")


def resolve_year(year: int | None, report_year: int) -> int:
    """The year a directive means: none (or 0) is the report's year, -1 the year before it."""
    if year is None:
        return report_year
    return report_year + year if year <= 0 else year


def _a_scale(value: str) -> str:
    if value in SCALE_FACTORS:
        return value
    raise ValueError("not a scale")


Year = Annotated[int, AfterValidator(_a_year)]
Scale = Annotated[str, AfterValidator(_a_scale)]
Decimals = Annotated[int, Field(ge=0, le=8)]

METRIC = Arg("a metric id", 'write the id in quotes, e.g. "workforce.total"')
YEAR = Arg("a year", "write year=2022, or year=-1 for the year before the report's")
SCALE = Arg(f"a scale ({', '.join(SCALE_FACTORS)})", "each edition writes its own: " + "; ".join(
    f"{code}: {', '.join(edition.scales)}" for code, edition in EDITIONS.items()))
DECIMALS = Arg("a number of decimals", "write decimals=0 to decimals=8")


class Arguments(BaseModel):
    """The arguments of a directive: strict (no unknown argument, no conversion between types)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    # The arguments given in order, by name; the rest are given by name (year=2022).
    POSITIONAL: ClassVar[tuple[str, ...]] = ()
    # The one positional argument takes every argument given in order (a tuple).
    VARIADIC: ClassVar[bool] = False

    def targets(self) -> tuple[Target, ...]:
        """What the call refers to, for prepare to resolve against the report."""
        return ()

    @classmethod
    def described(cls, name: str) -> Arg:
        return next((m for m in cls.model_fields[name].metadata if isinstance(m, Arg)), Arg(name))


def _scale(scale: str | None) -> tuple[Target, ...]:
    return (Target("scale", scale),) if scale is not None else ()


class KpiArguments(Arguments):
    POSITIONAL = ("metric",)
    metric: Annotated[str, METRIC]
    year: Annotated[Optional[Year], YEAR] = None
    unit: Annotated[bool, Arg("True or False", "write unit=True for the figure with its unit")] = False
    scale: Annotated[Optional[Scale], SCALE] = None
    decimals: Annotated[Optional[Decimals], DECIMALS] = None

    def targets(self) -> tuple[Target, ...]:
        return (Target("metric", self.metric, self.year), *_scale(self.scale))


class ChangeArguments(Arguments):
    POSITIONAL = ("metric", "start", "end")
    metric: Annotated[str, METRIC]
    start: Annotated[Year, Arg("the year it changes from", "write change(\"energy.electricity\", -1, 0): "
                                                           "from the year before to the report's year")]
    end: Annotated[Year, Arg("the year it changes to", "write change(\"energy.electricity\", -1, 0): "
                                                       "from the year before to the report's year")]
    decimals: Annotated[Decimals, DECIMALS] = 0

    def targets(self) -> tuple[Target, ...]:
        return (Target("metric", self.metric, self.start, divisor=True), Target("metric", self.metric, self.end))


class CardArguments(Arguments):
    POSITIONAL = ("metric",)
    metric: Annotated[str, METRIC]
    label: Annotated[Optional[str], Arg("a label", 'write label="…" in quotes')] = None
    year: Annotated[Optional[Year], YEAR] = None
    scale: Annotated[Optional[Scale], SCALE] = None
    decimals: Annotated[Optional[Decimals], DECIMALS] = None
    style: Annotated[Optional[Literal["hero"]], Arg("a card style (hero)",
                                                    'write style="hero" for the figure drawn large, beside the text '
                                                    "after it")] = None

    def targets(self) -> tuple[Target, ...]:
        return (Target("metric", self.metric, self.year), *_scale(self.scale))


class KpiTableArguments(Arguments):
    POSITIONAL = ("table",)
    table: Annotated[str, Arg("a KPI table id", 'write the id in quotes, e.g. "environmental"')]

    def targets(self) -> tuple[Target, ...]:
        return (Target("table", self.table),)


class ChartArguments(Arguments):
    POSITIONAL = ("charts",)
    VARIADIC = True
    charts: Annotated[tuple[str, ...], Field(min_length=1, max_length=2),
                      Arg("one chart id, or two for two charts side by side",
                          'write chart("electricity"), or chart("electricity", "water")', each="a chart id")]

    def targets(self) -> tuple[Target, ...]:
        return tuple(Target("chart", c) for c in self.charts)


class OrgChartArguments(Arguments):
    POSITIONAL = ("orgchart",)
    orgchart: Annotated[str, Arg("an organisation chart id", 'write the id in quotes, e.g. "esg_governance"')]

    def targets(self) -> tuple[Target, ...]:
        return (Target("orgchart", self.orgchart),)


class DisclosureIndexArguments(Arguments):
    POSITIONAL = ("framework",)
    framework: Annotated[str, Arg("a framework of report.yaml", 'write "hkex" or "gri"')]

    def targets(self) -> tuple[Target, ...]:
        return (Target("framework", self.framework),)


class RestatementsArguments(Arguments):
    def targets(self) -> tuple[Target, ...]:
        return (Target("restatements"),)


# --- words of report.yaml: the report's year, its period, its place in the company's series --------------

LATEST_OFFSET = 20      # years from the report's year a text may name ({{ year - 20 }} … {{ year + 20 }})


class YearArguments(Arguments):
    """`{{ year }}`, `{{ year - 1 }}`: written as arithmetic on the year (see parse_call), or year(-1)."""

    POSITIONAL = ("offset",)
    offset: Annotated[int, Field(ge=-LATEST_OFFSET, le=LATEST_OFFSET),
                      Arg("a number of years from the report's year",
                          "write {{ year }}, {{ year - 1 }} (the year before) or {{ year + 1 }}")] = 0

    def targets(self) -> tuple[Target, ...]:
        return (Target("manifest", "year"),)


class PeriodArguments(Arguments):
    year: Annotated[Optional[Year], YEAR] = None

    def targets(self) -> tuple[Target, ...]:
        return (Target("manifest", "period"),)


class OrdinalArguments(Arguments):
    def targets(self) -> tuple[Target, ...]:
        return (Target("manifest", "ordinal"),)


class RefArguments(Arguments):
    POSITIONAL = ("section",)
    section: Annotated[str, Arg("a section id of report.yaml", 'write the id in quotes, e.g. "kpi-tables"')]
    part: Annotated[bool, Arg("True or False", "write part=True for the title of its part before its own")] = False

    def targets(self) -> tuple[Target, ...]:
        return (Target("section", self.section),)


# --- containers: boxes (`::: case 辦公室節能`) and infographics around a list (`::: numbered` …) ---------------

class TitleArguments(Arguments):
    """A box's title: the rest of its opening line as it reads (`::: case 打造碳排放數據綜合管理平台`), not
    name=value arguments. The Markdown renderer reads it (markdown.py, _box_renderer); it may hold words
    of report.yaml (`{{ year }}`) and end in a class for the designer (`{.environmental}`)."""

    POSITIONAL = ("title",)
    title: Annotated[str, Arg("the rest of the line, a title as it reads (not name=value)",
                              "write the title after the name, e.g. ::: case 辦公室節能")] = ""


Icon = Literal["globe", "handshake", "people", "leaf", "shield", "star"]     # drawn in render/artwork.py
ICONS = ", ".join(get_args(Icon))
ICON = Arg(f"the icons of the items, in order ({ICONS})",
           f'write icons=("globe", "handshake", "people"): one for each item, of {ICONS}', each=f"an icon ({ICONS})")


class NumberedArguments(Arguments):
    start: Annotated[int, Field(ge=1, le=99), Arg("a number from 1 to 99", "write start=5 for tiles from 05 on")] = 1


class TimelineArguments(Arguments):
    title: Annotated[Optional[str], Arg("a title", 'write title="…" in quotes')] = None


class ValuesArguments(Arguments):
    icons: Annotated[tuple[Icon, ...], Field(min_length=1), ICON]


# --- declarations --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Directive:
    """One directive: everything the stages need to know of it, except how it is drawn."""

    name: str
    placement: Placement
    arguments: type[Arguments]
    refers: TargetKind | None   # what it shows (a card, a metric's figure; a chart call, one chart or two)
    summary: str                # what it shows, for docs/authoring.md
    example: str                # a call as an editor writes it
    counts_as: str | None       # what it is when the editions' structure is compared; None: not compared
    # Plain words of report.yaml (a year, a date, an ordinal), not data: written out before the Markdown
    # is read, so it may stand in any text of the report, labels and titles included.
    plain: bool = False
    written: str = ""           # how it is written where that is not as a call: `year` ({{ year - 1 }})

    def count(self, arguments: Arguments) -> int:
        """How many it shows (a chart call may show two charts side by side)."""
        return max(1, sum(1 for t in arguments.targets() if t.kind == self.refers))

    def signature(self) -> str:
        """kpi(metric, year=…, unit=…, scale=…, decimals=…); a container: values icons=…; a box: case title"""
        if self.written:
            return self.written
        model = self.arguments
        named = [f"{n}=…" for n in model.model_fields if n not in model.POSITIONAL]
        given = [f"{n}…" if model.VARIADIC else n for n in model.POSITIONAL]
        if self.contains:
            return " ".join([self.name, *given, *named])
        return f"{self.name}({', '.join(given + named)})"

    @property
    def contains(self) -> bool:
        """Whether it is written `::: name …` around what it holds (a box or an infographic)."""
        return self.placement in ("container", "box")

    @property
    def called(self) -> str:
        """How messages name it: kpi(), or `::: values` for a container."""
        return f"`::: {self.name}`" if self.contains else f"{self.name}()"

    def written_as(self, call: str) -> str:
        """A call as an editor writes it: {{ kpi("x") }}, or ::: values icons=(…) for a container."""
        if self.contains:
            if call.startswith(f"{self.name}(") and call.endswith(")"):
                call = f"{self.name} {call[len(self.name) + 1:-1]}".rstrip()
            return f"::: {call}"
        return f"{{{{ {call} }}}}"


# (the edition's renderer, the call's arguments) → HTML; a container's also takes its list's items
Draw = Callable[..., str]
D = TypeVar("D", bound=Draw)


class Registry:
    """The directives, by name; the render stage registers how each is drawn."""

    def __init__(self, *directives: Directive) -> None:
        self._declared = {d.name: d for d in directives}
        self._drawings: dict[str, Draw] = {}

    def __iter__(self) -> Iterator[Directive]:
        return iter(self._declared.values())

    def get(self, name: str) -> Directive | None:
        return self._declared.get(name)

    def names(self, placement: Placement | None = None) -> list[str]:
        return [d.name for d in self if placement in (None, d.placement)]

    def counted(self) -> set[str]:
        """Everything directives count as, for the structure of a section."""
        return {d.counts_as for d in self if d.counts_as}

    def draws(self, name: str) -> Callable[[D], D]:
        """Register the drawing of a declared directive (render does, for each)."""
        if name not in self._declared:
            raise KeyError(f"no directive `{name}` is declared")

        def register(draw: D) -> D:
            self._drawings[name] = draw
            return draw
        return register

    def drawing(self, name: str) -> Draw:
        return self._drawings[name]

    def undrawn(self) -> list[str]:
        """The directives render draws none for: a box is drawn by the Markdown renderer around what it holds."""
        return [d.name for d in self if d.placement != "box" and d.name not in self._drawings]


DIRECTIVES = Registry(
    Directive("kpi", "inline", KpiArguments, refers="metric", example='kpi("workforce.total")',
              summary="a metric's figure in the text, formatted for the edition", counts_as=None),
    Directive("change", "inline", ChangeArguments, refers="metric", example='change("energy.electricity", -1, 0)',
              summary="the per cent change of a metric from one year to another (absolute, rounded)", counts_as=None),
    Directive("card", "block", CardArguments, refers="metric", example='card("workforce.new_hires")',
              summary="a key-figure card: the figure, its unit and the metric's label (or `label`)",
              counts_as="cards"),
    Directive("kpi_table", "block", KpiTableArguments, refers="table", example='kpi_table("environmental")',
              summary="a KPI table of data/", counts_as="tables"),
    Directive("chart", "block", ChartArguments, refers="chart", example='chart("electricity")',
              summary="a chart of data/, or two side by side", counts_as="charts"),
    Directive("org_chart", "block", OrgChartArguments, refers="orgchart", example='org_chart("esg_governance")',
              summary="an organisation chart of data/", counts_as="organisation charts"),
    Directive("disclosure_index", "block", DisclosureIndexArguments, refers="framework",
              example='disclosure_index("hkex")', summary="the content index of a framework named in report.yaml",
              counts_as="disclosure indexes"),
    Directive("restatements", "block", RestatementsArguments, refers="restatements", example="restatements()",
              summary="the figures of earlier years this report corrects, with the reasons (nothing when there "
                      "are none)", counts_as="restatement lists"),
    Directive("year", "inline", YearArguments, refers="manifest", example="year - 1", written="year",
              summary="the report's year (2023); `{{ year - 1 }}` is the year before, `{{ year + 1 }}` the year "
                      "after", counts_as=None, plain=True),
    Directive("period", "inline", PeriodArguments, refers="manifest", example="period()",
              summary="the reporting period of report.yaml in the edition's words (2023年1月1日至2023年12月31日 / "
                      "1 January 2023 to 31 December 2023)", counts_as=None, plain=True),
    Directive("period_start", "inline", PeriodArguments, refers="manifest", example="period_start()",
              summary="the day the reporting period starts (2023年1月1日 / 1 January 2023)", counts_as=None,
              plain=True),
    Directive("period_end", "inline", PeriodArguments, refers="manifest", example="period_end()",
              summary="the day it ends, for “as at” (截至2023年12月31日 / as at 31 December 2023)", counts_as=None,
              plain=True),
    Directive("ordinal", "inline", OrdinalArguments, refers="manifest", example="ordinal()",
              summary="the report's place in the company's series, `ordinal:` of report.yaml (第二份 / second)",
              counts_as=None, plain=True),
    Directive("ref", "inline", RefArguments, refers="section", example='ref("kpi-tables", part=True)',
              summary="a cross-reference: a link to a section with its title as the edition gives it (with "
                      "its part's title before it: part=True) and, in print, its page", counts_as="cross-references"),
)

# Every container of the dialect, opened by a line `::: name …` and closed by `:::`. A box holds any
# Markdown under the title that follows its name, and the Markdown renderer draws it (markdown.py).
# An infographic holds a list, drawn as in the published report; its arguments follow the name as a
# directive's do inside its brackets (`::: values icons=("globe",)`), and what the list must hold is
# checked with the Markdown (markdown.py, _components). What each counts as when the editions'
# structure is compared is named here.
CONTAINERS = Registry(
    Directive("case", "box", TitleArguments, refers=None, example="case 信息安全應急演練",
              summary="a case study: a box labelled “Case” (案例) under its title, holding any Markdown",
              counts_as="case boxes"),
    Directive("highlights", "box", TitleArguments, refers=None, example="highlights {{ year }}年關鍵績效",
              summary="key-performance highlights: a band of cards (`{{ card(…) }}`, one a line) under its title",
              counts_as="highlights"),
    Directive("note", "box", TitleArguments, refers=None, example="note 標題",
              summary="a callout without the “Case” label (a note, a quote, a side panel)", counts_as="notes"),
    Directive("numbered", "container", NumberedArguments, refers=None, example="numbered",
              summary="an ordered list drawn as numbered tiles (01, 02 …)", counts_as="numbered groups"),
    Directive("timeline", "container", TimelineArguments, refers=None,
              example='timeline title="金融科技行業標準化建設"',
              summary="a list of dated steps (`**2023年3月**：…`), then groups (`**參與撰寫**` over a list of "
                      "their entries), drawn as a timeline", counts_as="timelines"),
    Directive("values", "container", ValuesArguments, refers=None,
              example='values icons=("globe", "handshake", "people")',
              summary="a list of `**label**：text` items drawn as a row of tiles, each with a small icon",
              counts_as="rows of values"),
)


# --- a call as written --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Call:
    """A `{{ name(arguments) }}` as written: its directive and validated arguments, or what is wrong with it."""

    text: str
    name: str = ""
    directive: Directive | None = None
    arguments: Arguments | None = None
    problems: tuple[Message, ...] = ()

    def targets(self) -> tuple[Target, ...]:
        return self.arguments.targets() if self.arguments is not None else ()


@lru_cache(maxsize=4096)
def parse_call(expr: str, placement: Placement) -> Call:
    """A directive call (the text between `{{` and `}}`) where it stands: literal arguments only,
    bound and validated against the declaration."""
    text = expr.strip()
    registry = CONTAINERS if placement == "container" else DIRECTIVES
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        name = text.split("(", 1)[0].strip()
        if placement == "container":
            found = CONTAINERS.get(name)
            return Call(text, name, found, problems=((
                f"`{found.written_as(text) if found else text}`: its arguments are written as a directive's, "
                "name=value separated by commas", f"write it as {found.written_as(found.example) if found else ''}"
                "; see docs/authoring.md"),))
        return Call(text, name, DIRECTIVES.get(name), problems=((
            f"`{{{{ {text} }}}}` is not a data reference", _example_hint(DIRECTIVES.get(name))),))
    node, wrong = _as_call(node)
    if wrong:
        return Call(text, "year", DIRECTIVES.get("year"), problems=(wrong,))
    if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
        return Call(text, problems=((f"`{{{{ {text} }}}}` is not a directive like kpi(\"id\")",
                                     _example_hint(None)),))
    name = node.func.id
    directive = registry.get(name)
    if directive is None:
        return Call(text, name, problems=((f"unknown directive `{name}`", did_you_mean(
            name, DIRECTIVES.names(), f"the directives are {', '.join(DIRECTIVES.names())}; see docs/authoring.md")),))
    if directive.placement != placement:
        return Call(text, name, directive, problems=((
            f"`{name}()` stands on a line of its own", f"put {{{{ {text} }}}} on a line by itself"),))
    try:
        args = [ast.literal_eval(a) for a in node.args]
        if any(k.arg is None for k in node.keywords):
            raise ValueError
        kwargs = {str(k.arg): ast.literal_eval(k.value) for k in node.keywords}
    except ValueError:
        return Call(text, name, directive, problems=((
            f"`{directive.written_as(text)}`: arguments must be plain text, numbers or True/False",
            f'put ids in quotes: {directive.written_as(directive.example)}'),))
    data, problems = _bind(directive, args, kwargs)
    try:
        arguments = directive.arguments.model_validate(data)
    except ValidationError as exc:
        return Call(text, name, directive, problems=tuple(problems + _messages(directive, exc, data, kwargs)))
    if problems:
        return Call(text, name, directive, problems=tuple(problems))
    return Call(text, name, directive, arguments)


def _as_call(node: ast.expr) -> tuple[ast.expr, Message | None]:
    """The words of report.yaml are written as they read: `{{ year }}` is year(), `{{ year - 1 }}` is
    year(-1) (arithmetic with a whole number of years only), `{{ ordinal }}` is ordinal()."""
    def plain(n: ast.expr) -> Directive | None:
        found = DIRECTIVES.get(n.id) if isinstance(n, ast.Name) else None
        return found if found is not None and found.plain else None

    if isinstance(node, ast.Name):          # a misspelt one is an unknown directive, with the one it resembles
        return ast.Call(func=node, args=[], keywords=[]), None
    if isinstance(node, ast.BinOp) and (d := plain(node.left)) and d.arguments.POSITIONAL == ("offset",):
        right = node.right
        if isinstance(node.op, (ast.Add, ast.Sub)) and isinstance(right, ast.Constant) \
                and type(right.value) is int:
            offset = right.value if isinstance(node.op, ast.Add) else -right.value
            return ast.Call(func=node.left, args=[ast.Constant(offset)], keywords=[]), None
        return node, (f"`{{{{ {ast.unparse(node)} }}}}` is not a year",
                      "write {{ year }}, {{ year - 1 }} (the year before) or {{ year + 1 }}")
    return node, None


def _example_hint(directive: Directive | None) -> str:
    example = directive.example if directive else 'kpi("metric.id")'
    return f"write it as {{{{ {example} }}}}; see docs/authoring.md"


def _bind(directive: Directive, args: list, kwargs: dict[str, Any]) -> tuple[dict[str, Any], list[Message]]:
    """The arguments given in order and by name, as the model's fields."""
    model = directive.arguments
    problems: list[Message] = []
    if model.VARIADIC:
        data: dict[str, Any] = {model.POSITIONAL[0]: tuple(args)}
    else:
        if len(args) > len(model.POSITIONAL):
            order = ", ".join(model.POSITIONAL) or "none"
            named = [n for n in model.model_fields if n not in model.POSITIONAL]
            problems.append((f"{directive.called} takes {len(model.POSITIONAL)} argument{'s' if len(model.POSITIONAL) != 1 else ''}"
                             f" in order ({order}), not {len(args)}",
                             f"write {directive.written_as(directive.example)}"
                             + (f"; give the others by name: {', '.join(f'{n}=…' for n in named)}" if named else "")))
        data = dict(zip(model.POSITIONAL, args))
    for key, value in kwargs.items():
        if key in data:
            problems.append((f"{directive.called} is given `{key}` twice", f"write {directive.written_as(directive.example)}"))
        else:
            data[key] = value
    return data, problems


def _shown(value: Any) -> str:
    """A value as an editor writes it: "text" in double quotes, numbers and True/False as they are."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _messages(directive: Directive, exc: ValidationError, data: dict[str, Any], kwargs: dict[str, Any]) -> list[Message]:
    """What is wrong with the arguments, one message each. A misspelt name is one message (with the
    name it resembles), not an unknown argument and a missing one."""
    model, name = directive.arguments, directive.called
    errors = exc.errors()
    unknown = [str(e["loc"][0]) for e in errors if e["type"] == "extra_forbidden"]
    missing = [str(e["loc"][0]) for e in errors if e["type"] == "missing"]
    typos: dict[str, str] = {}
    for key in unknown:
        close = difflib.get_close_matches(key, [m for m in missing if m not in typos.values()], n=1, cutoff=0.6)
        if close:
            typos[key] = close[0]
    out: list[Message] = []
    done: set[str] = set()
    for error in errors:
        field = str(error["loc"][0])
        if field in done:
            continue
        done.add(field)
        if error["type"] == "extra_forbidden":
            known = list(model.model_fields)
            hint = f"did you mean `{typos[field]}`?" if field in typos else did_you_mean(
                field, known, f"its arguments: {', '.join(known) or 'none'}")
            out.append((f"{name} has no argument `{field}`", hint))
            continue
        described = model.described(field)
        if error["type"] == "missing":
            if field not in typos.values():
                out.append((f"{name} needs {described.what}", f"write {directive.written_as(directive.example)}"))
            continue
        if error["type"] in ("too_long", "too_short") and model.VARIADIC:
            out.append((f"{name} takes {described.what}", described.hint))
            continue
        value = data.get(field)
        what = described.what
        if len(error["loc"]) > 1 and isinstance(value, tuple) and isinstance(error["loc"][1], int):
            value, what = value[error["loc"][1]], described.each or what
        shown = f"{field}={_shown(value)}" if field in kwargs else _shown(value)
        out.append((f"{name}: {shown} is not {what}", described.hint))
    return out
