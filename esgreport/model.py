"""The shapes of the input files, validated at the edge so the rest of the code can trust them."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

METRIC_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
SECTION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

Localized = dict[str, str]
"""Text per edition code: {zh-hant: 員工總人數, en: Total number of employees}."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Unit(Strict):
    model_config = ConfigDict(extra="allow")
    space: bool = True          # English: "2,440 persons" vs "30%"
    prefix_en: bool = False     # English: "RMB12,029"
    whole: bool = False         # counts of people, suppliers, cases: whole numbers only

    def label(self, edition: str) -> str:
        return str((self.model_extra or {}).get(edition, ""))


def _to_decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("a value must be a number, not yes/no")
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    if isinstance(value, str):
        cleaned = value.replace(",", "").strip()
        try:
            return Decimal(cleaned)
        except Exception:
            raise ValueError(f"{value!r} is not a number") from None
    raise ValueError(f"{value!r} is not a number")


class Metric(Strict):
    label: Localized
    unit: str
    precision: Union[int, dict[int, int]] = 0
    values: dict[int, Optional[Decimal]] = Field(default_factory=dict)
    # A derived metric: computed from other metrics of the same year, e.g. `ghg.scope2 / workforce.total`;
    # `prev(x)` is x in the year before. Stated values are kept and checked against the computation.
    formula: Optional[str] = None
    note: Optional[Localized] = None
    qualifiers: dict[int, Localized] = Field(default_factory=dict)
    source: Optional[Localized] = None

    @field_validator("values", mode="before")
    @classmethod
    def _numbers(cls, v):
        if not isinstance(v, dict):
            raise ValueError("values must map years to numbers, e.g. {2022: 2832, 2023: 2440}")
        return {year: _to_decimal(x) for year, x in v.items()}

    def precision_for(self, year: int) -> int:
        if isinstance(self.precision, dict):
            return self.precision.get(year, max(self.precision.values(), default=0))
        return self.precision


class TableRow(Strict):
    metric: Optional[str] = None
    label: Optional[Localized] = None
    rows: list["TableRow"] = Field(default_factory=list)
    note_refs: dict[int, int] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _metric_or_rows(self):
        if not self.metric and not self.rows:
            raise ValueError("a row needs `metric:` or nested `rows:`")
        if not self.metric and not self.label:
            raise ValueError("a row of nested rows needs a `label:`")
        return self


class TableGroup(Strict):
    label: Localized
    rows: list[TableRow]


class KpiTable(Strict):
    title: Localized
    years: list[int]
    groups: list[TableGroup] = Field(default_factory=list)
    rows: list[TableRow] = Field(default_factory=list)
    notes: list[Localized] = Field(default_factory=list)

    def all_groups(self) -> list[TableGroup]:
        """Ungrouped rows behave as one group without a label."""
        if self.rows:
            return [TableGroup(label={}, rows=self.rows), *self.groups]
        return self.groups


class Rule(Strict):
    """An integrity rule declared beside the data.

    - `sum: [a, b]` with `equals: total` (or `equals: [x, y]`, another breakdown of the same total):
      the breakdown adds up, in every year all its metrics have values;
    - `within: [0, 100]` with `metrics: [women.*, ...]` (patterns allowed): values stay in range.
    """

    id: str
    sum: Optional[list[str]] = None
    equals: Union[str, list[str], None] = None
    within: Optional[tuple[Decimal, Decimal]] = None
    metrics: list[str] = Field(default_factory=list)
    note: Optional[Localized] = None

    @model_validator(mode="after")
    def _kind(self):
        if self.sum is not None and self.equals is None:
            raise ValueError("a `sum:` rule needs `equals:` (the total, or another breakdown)")
        if self.within is not None and not self.metrics:
            raise ValueError("a `within:` rule needs `metrics:`")
        if self.sum is None and self.within is None:
            raise ValueError("a rule is either `sum:` … `equals:` or `within:` … `metrics:`")
        return self


CHART_ID = re.compile(r"^[a-z0-9]+([_-][a-z0-9]+)*$")


class ChartSeries(Strict):
    """One metric drawn in a chart; `label` replaces the metric's label in the legend and axis."""

    metric: str
    label: Optional[Localized] = None


class ChartSpec(Strict):
    """A chart drawn from KPI data (the drawing is esgreport/charts.py).

    bar: one metric over `years`; grouped_bar: one group of bars per metric, a bar per year;
    stacked_bar: the metrics stacked, a bar per year; donut: the metrics' shares of one `year`.
    """

    title: Localized
    type: Literal["bar", "grouped_bar", "stacked_bar", "donut"]
    series: list[ChartSeries] = Field(min_length=1)
    years: list[int] = Field(default_factory=list)
    year: Optional[int] = None           # donut only; defaults to the report's year
    caption: Optional[Localized] = None  # a line under the title
    note: Optional[Localized] = None     # a note under the chart (source, scope)
    wide: bool = False                   # the full text width instead of half of it

    @model_validator(mode="after")
    def _shape(self):
        if self.type == "donut":
            if self.years:
                raise ValueError("a donut shows one year: write `year: 2023` (or leave it out for the "
                                 "report's year) instead of `years:`")
            if len(self.series) < 2:
                raise ValueError("a donut needs at least two series (the parts of the whole)")
        else:
            if self.year is not None:
                raise ValueError(f"a {self.type} chart shows `years: [...]`, not `year:`")
            if not self.years:
                raise ValueError(f"a {self.type} chart needs `years:`, e.g. [2022, 2023]")
            if len(set(self.years)) != len(self.years):
                raise ValueError("`years:` lists a year twice")
            if self.type == "bar" and len(self.series) != 1:
                raise ValueError("a bar chart shows one metric; use grouped_bar or stacked_bar for several")
        metrics = [s.metric for s in self.series]
        if len(set(metrics)) != len(metrics):
            raise ValueError("a chart names the same metric twice in `series:`")
        return self


class Acknowledgement(Strict):
    """A published discrepancy editors have reviewed and accept, recorded with its reason.

    It matches one finding exactly (its id, the value found and the value expected), so any change to
    the data makes the finding, and the need to review it, come back.
    """

    finding: str
    found: str
    expected: str
    reason: Localized


class DataFile(Strict):
    metrics: dict[str, Metric] = Field(default_factory=dict)
    tables: dict[str, KpiTable] = Field(default_factory=dict)
    charts: dict[str, ChartSpec] = Field(default_factory=dict)
    checks: list[Rule] = Field(default_factory=list)
    acknowledged: list[Acknowledgement] = Field(default_factory=list)

    @field_validator("charts")
    @classmethod
    def _chart_ids(cls, v):
        for key in v:
            if not CHART_ID.match(key):
                raise ValueError(f"chart id {key!r} must be lowercase words joined by _ or -, "
                                 "e.g. workforce_gender")
        return v


class Disclose(Strict):
    hkex: list[str] = Field(default_factory=list)
    gri: list[str] = Field(default_factory=list)


class SectionNode(Strict):
    id: str
    number: Optional[str] = None
    title: Localized
    disclose: Optional[Disclose] = None
    sections: list["SectionNode"] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _id(cls, v):
        if not SECTION_ID.match(v):
            raise ValueError(f"section id {v!r} must be lowercase words joined by hyphens")
        return v


class Part(SectionNode):
    kind: Literal["front", "feature", "chapter"]


class Contact(Strict):
    email: str
    address: Localized


class Company(Strict):
    name: Localized
    legal_name: Localized
    slogan: Localized
    listing: dict[str, str] = Field(default_factory=dict)
    website: str
    contact: Contact


class Period(Strict):
    start: date
    end: date


class Manifest(Strict):
    company: Company
    year: int
    period: Period
    published: Optional[date] = None
    title: Localized
    editions: list[str]
    frameworks: dict[str, str] = Field(default_factory=dict)
    parts: list[Part]
