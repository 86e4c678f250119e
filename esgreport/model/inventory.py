"""The emission inventory and the library of emission factors, as editors write them, and what the
inventory computes from them.

- content/factors/*.yaml: the library of emission factors, shared by every report. A factor is known by
  its id and the year it applies to (the same id once a year, as the publisher issues it), with its
  value and unit, gas and global-warming-potential set, region, and the publisher and publication it
  comes from (named, and dated). Only what a publication states is written here; a field no source
  confirmed is listed under `unverified:`.
- content/<year>/inventory.yaml: the report's inventory under the GHG Protocol: the entities of its
  boundary, its emission sources (an activity, which is a metric of the data, times a factor of the
  library, in a scope, a Scope 3 category, an entity), the Scope 3 categories it excludes and why,
  where its results are published (metric ids), and its targets.

The computation is esgreport/prepare/inventory.py; its results (SourceLine, InventoryResult) are
defined here so that the prepared report can carry them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Annotated, Literal, Optional, Union

from pydantic import AfterValidator, BeforeValidator, Field, field_validator, model_validator

from esgreport.model.inputs import Acknowledgement, Localized, Strict, Year, one_of
from esgreport.model.numbers import NumberError, parse_number

# The GHG Protocol's fifteen Scope 3 categories (Corporate Value Chain (Scope 3) Standard, 2011), by
# number: their names, in our words and the usual Chinese rendering.
SCOPE3_CATEGORIES: dict[int, dict[str, str]] = {
    1: {"zh-hant": "外購商品及服務", "en": "Purchased goods and services"},
    2: {"zh-hant": "資本貨物", "en": "Capital goods"},
    3: {"zh-hant": "燃料及能源相關活動", "en": "Fuel- and energy-related activities"},
    4: {"zh-hant": "上游運輸及配送", "en": "Upstream transportation and distribution"},
    5: {"zh-hant": "營運產生的廢棄物", "en": "Waste generated in operations"},
    6: {"zh-hant": "商務差旅", "en": "Business travel"},
    7: {"zh-hant": "員工通勤", "en": "Employee commuting"},
    8: {"zh-hant": "上游租賃資產", "en": "Upstream leased assets"},
    9: {"zh-hant": "下游運輸及配送", "en": "Downstream transportation and distribution"},
    10: {"zh-hant": "售出產品的加工", "en": "Processing of sold products"},
    11: {"zh-hant": "售出產品的使用", "en": "Use of sold products"},
    12: {"zh-hant": "售出產品的報廢處理", "en": "End-of-life treatment of sold products"},
    13: {"zh-hant": "下游租賃資產", "en": "Downstream leased assets"},
    14: {"zh-hant": "特許經營", "en": "Franchises"},
    15: {"zh-hant": "投資", "en": "Investments"},
}

# What a factor's value is measured in, per unit of activity, as tonnes of CO2 (equivalent).
EMITS = {"tco2e": Decimal(1), "tco2": Decimal(1), "kgco2e": Decimal("0.001"), "kgco2": Decimal("0.001")}
GWP_SETS = ("AR4", "AR5", "AR6")
# The Kyoto gases as a factor names them: CO2, CH4, N2O, SF6, NF3, an HFC or PFC by its name, or CO2e
# for a factor that already combines several gases.
GAS = re.compile(r"^(CO2|CH4|N2O|SF6|NF3|CO2e|HFC-[0-9A-Za-z-]+|PFC-[0-9A-Za-z-]+|R-[0-9A-Z]+)$")
FACTOR_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# A factor named with the year it must be taken from: `cn-grid-average@2022`.
FACTOR_REF = re.compile(r"^(?P<id>[a-z0-9]+(-[a-z0-9]+)*)(@(?P<year>\d{4}))?$")
CONSOLIDATION = ("equity_share", "financial_control", "operational_control")


def _value(v):
    parsed = parse_number(v)
    if not isinstance(parsed, Decimal):
        raise NumberError("a factor's value is a number", "write the value the publication gives, e.g. 0.5703")
    if parsed < 0:
        raise NumberError(f"{parsed} is negative", "an emission factor is zero or more")
    return parsed


FactorValue = Annotated[Decimal, BeforeValidator(_value)]


def _reduction(v):
    parsed = parse_number(v)
    if not isinstance(parsed, Decimal) or not 0 < parsed <= 100:
        raise NumberError(f"`{v}` is not a reduction", "write the per cent below the baseline, from 0 to 100, e.g. 30")
    return parsed


Reduction = Annotated[Decimal, BeforeValidator(_reduction)]


def _published(v):
    """A date (2024-12-20), or a month (2023-02) or a year (2024) where the source gives no day."""
    if isinstance(v, date):
        return v.isoformat()
    text = str(v)
    if not re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text):
        raise ValueError(f"`{text}` is not a date: write 2024-12-20, or 2023-02 where only the month is known")
    return text


class Factor(Strict):
    """One emission factor of the library, for one year."""

    id: str
    year: Year                          # the year it applies to (the publisher's vintage)
    value: FactorValue
    emits: Annotated[str, one_of(EMITS, "mass unit")]      # what the value measures: tco2e, kgco2e, tco2 …
    per: str                            # the unit of the activity: a key of content/units.yaml (mwh …)
    gas: str
    gwp: Optional[Annotated[str, one_of(GWP_SETS, "GWP set")]] = None
    name: Localized
    region: Localized
    publisher: Localized
    publication: Localized
    published: Annotated[Optional[str], BeforeValidator(_published)] = None
    # Where the value was read: the report that names it, a page that reproduces the publication.
    seen_at: list[str] = Field(default_factory=list)
    # Fields no source at hand confirms (they hold what is known, or nothing): checked before publishing.
    unverified: list[str] = Field(default_factory=list)
    note: Optional[Localized] = None

    @field_validator("id")
    @classmethod
    def _id(cls, v):
        if not FACTOR_ID.match(v):
            raise ValueError(f"factor id {v!r} must be lowercase words joined by hyphens, like cn-grid-average")
        return v

    @field_validator("gas")
    @classmethod
    def _gas(cls, v):
        if not GAS.match(v):
            raise ValueError(f"`{v}` is not a greenhouse gas: write CO2, CH4, N2O, SF6, NF3, an HFC (HFC-32), "
                             "a PFC, a refrigerant blend (R-410A) or CO2e")
        return v

    @field_validator("unverified")
    @classmethod
    def _fields(cls, v):
        unknown = [f for f in v if f not in cls.model_fields or f in ("id", "year", "unverified")]
        if unknown:
            raise ValueError(f"`{unknown[0]}` is not a field of a factor that can be unverified")
        return v

    @model_validator(mode="after")
    def _gwp(self):
        if self.gas != "CO2" and self.gwp is None:
            raise ValueError(f"a {self.gas} factor names the IPCC assessment its global-warming potentials come "
                             "from: `gwp: AR5` or `gwp: AR6`")
        return self

    @property
    def key(self) -> str:
        return f"{self.id}@{self.year}"


class FactorFile(Strict):
    """A file of content/factors/."""

    factors: list[Factor] = Field(default_factory=list)


def _factor_ref(v: str) -> str:
    if not FACTOR_REF.match(v):
        raise ValueError(f"`{v}` is not a factor: write its id (cn-grid-average), or id@year to take one "
                         "year's factor for every year (cn-grid-average@2022)")
    return v


FactorRef = Annotated[str, AfterValidator(_factor_ref)]
Scope3Category = Annotated[int, Field(ge=1, le=15)]


class Source(Strict):
    """An emission source: an activity (a metric of the data) times a factor, in a scope."""

    id: str
    scope: Literal[1, 2, 3]
    category: Optional[Scope3Category] = None     # Scope 3: the GHG Protocol category
    entity: str
    site: Optional[Localized] = None    # where: a site, or a region (electricity by region, say)
    region: Optional[Localized] = None
    activity: str                       # a metric id: the amount (MWh, litres, kg, passenger-km …)
    factor: FactorRef
    # Scope 2, market-based: the part of the activity covered by contractual instruments (certificates,
    # power purchase agreements: a metric in the activity's unit) at `instrument_factor`, and the rest at
    # the residual mix `residual` (where none is published, the location-based factor).
    instruments: Optional[str] = None
    instrument_factor: Optional[FactorRef] = None
    residual: Optional[FactorRef] = None

    @model_validator(mode="after")
    def _kind(self):
        if self.scope == 3 and self.category is None:
            raise ValueError("a Scope 3 source names its GHG Protocol category (1–15): `category: 6`")
        if self.scope != 3 and self.category is not None:
            raise ValueError("only a Scope 3 source has a `category:`")
        if self.scope != 2 and (self.instruments or self.residual or self.instrument_factor):
            raise ValueError("contractual instruments and residual mixes are for Scope 2 sources only")
        return self


class EntityTotals(Strict):
    """Where one entity's totals are published (metric ids)."""

    scope1: Optional[str] = None
    scope2_location: Optional[str] = None
    scope2_market: Optional[str] = None
    scope3: Optional[str] = None


class Publishes(Strict):
    """Where the inventory's results go: metric ids defined in data/. Left out, a total goes to the metric
    of its usual name (DEFAULT_METRICS) where the data defines one."""

    scope1: Optional[str] = None
    scope2_location: Optional[str] = None
    scope2_market: Optional[str] = None
    scope3: Optional[str] = None
    categories: dict[Scope3Category, str] = Field(default_factory=dict)
    entities: dict[str, EntityTotals] = Field(default_factory=dict)


DEFAULT_METRICS = {"scope1": "ghg.scope1", "scope2_location": "ghg.scope2_location",
                   "scope2_market": "ghg.scope2_market", "scope3": "ghg.scope3"}
TOTALS = tuple(DEFAULT_METRICS)


class TargetPublishes(Strict):
    """Where a target's progress is published, year by year (metric ids)."""

    level: Optional[str] = None         # the target's value, the same every year: for a chart beside the actual
    reduction: Optional[str] = None     # per cent below the baseline
    progress: Optional[str] = None      # per cent of the way from the baseline to the target


class Target(Strict):
    """A target on a metric: its baseline year, its year and the value (or the reduction) to reach."""

    id: str
    title: Localized
    metric: str
    baseline: Year                      # the base year; its value is the metric's in that year
    year: Year                          # the target year
    value: Optional[FactorValue] = None       # the value to reach, in the metric's unit
    reduction: Optional[Reduction] = None     # or: per cent below the baseline
    publishes: TargetPublishes = Field(default_factory=TargetPublishes)

    @model_validator(mode="after")
    def _one(self):
        if (self.value is None) == (self.reduction is None):
            raise ValueError("a target gives either `value:` (to reach, in the metric's unit) or `reduction:` "
                             "(per cent below the baseline)")
        if self.year <= self.baseline:
            raise ValueError(f"the target year {self.year} is not after the baseline {self.baseline}")
        return self


class Inventory(Strict):
    """content/<year>/inventory.yaml."""

    approach: Optional[Annotated[str, one_of(CONSOLIDATION, "consolidation approach")]] = None
    gwp: Optional[Annotated[str, one_of(GWP_SETS, "GWP set")]] = None
    entities: dict[str, Localized] = Field(min_length=1)
    sources: list[Source] = Field(default_factory=list)
    # Scope 3: every category is reported (a source names it) or excluded here, with the reason. Left
    # out altogether, Scope 3 has not been assessed.
    scope3_excluded: Optional[dict[Scope3Category, Localized]] = None
    publishes: Publishes = Field(default_factory=Publishes)
    targets: list[Target] = Field(default_factory=list)
    # Findings about the inventory itself (a factor of another year) reviewed and kept: as in data/.
    acknowledged: list[Acknowledgement] = Field(default_factory=list)


# --- what the inventory computes -----------------------------------------------------------------

@dataclass(frozen=True)
class SourceLine:
    """One source in one year: activity × factor = emissions (tCO2e), and the market-based figure."""

    source: Source
    year: int
    activity: Decimal                       # in the factor's `per` unit, which is the activity metric's
    factor: Factor
    emissions: Decimal                      # location-based for Scope 2
    market: Decimal | None = None           # Scope 2, market-based
    instruments: Decimal | None = None      # the part covered by contractual instruments
    older_factor: bool = False              # the factor is of an earlier year (the latest the library has)


@dataclass(frozen=True)
class TargetYear:
    year: int
    value: Decimal
    reduction: Decimal          # per cent below the baseline
    progress: Decimal           # per cent of the way to the target


@dataclass(frozen=True)
class TargetResult:
    target: Target
    baseline_value: Decimal | None
    target_value: Decimal | None
    years: tuple[TargetYear, ...] = ()


@dataclass(frozen=True)
class InventoryResult:
    """The computed inventory: every source line, the totals by year, and the targets' progress."""

    inventory: Inventory
    lines: tuple[SourceLine, ...] = ()
    # "scope1", "scope2_location", "scope2_market", "scope3", "category:6", "entity:hk:scope1" → year → tCO2e
    totals: dict[str, dict[int, Decimal]] = field(default_factory=dict)
    published: dict[str, str] = field(default_factory=dict)      # total key → metric id
    targets: tuple[TargetResult, ...] = ()
    factors: dict[str, Factor] = field(default_factory=dict)     # every factor of the library, by id@year

    def scope3_status(self) -> dict[int, Union[str, Localized]]:
        """Each category: "reported", or the reason it is excluded; empty when Scope 3 is not assessed."""
        if self.inventory.scope3_excluded is None and not any(s.scope == 3 for s in self.inventory.sources):
            return {}
        reported = {s.category for s in self.inventory.sources if s.scope == 3}
        excluded = self.inventory.scope3_excluded or {}
        return {n: "reported" if n in reported else excluded.get(n, {}) for n in SCOPE3_CATEGORIES}
