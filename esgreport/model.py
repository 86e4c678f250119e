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
    values: dict[int, Optional[Decimal]]
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


class Acknowledgement(Strict):
    """A discrepancy in published data that editors have reviewed and accept, with the reason."""

    check: str
    reason: Localized


class DataFile(Strict):
    metrics: dict[str, Metric] = Field(default_factory=dict)
    tables: dict[str, KpiTable] = Field(default_factory=dict)

    @field_validator("metrics")
    @classmethod
    def _ids(cls, v):
        for key in v:
            if not METRIC_ID.match(key):
                raise ValueError(f"metric id {key!r} must be lowercase words joined by dots, "
                                 "e.g. workforce.total")
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


class GlossaryEntry(Strict):
    model_config = ConfigDict(extra="allow")
