"""The indicator dictionary and unit lists, read from the data files in `data/`.

The dictionary is data, not code: a deployment can add indicators to `data/indicators.csv`.
Codes are a public contract (storage, URLs, the `indicator_values` view).

>>> d = load_dictionary()
>>> d["registration_rate"].numerator, d["registration_rate"].denominator
('proposals_registered', 'proposals_submitted')
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
INDICATORS_CSV = DATA_DIR / "indicators.csv"

Kind = Literal["flow", "stock", "ratio", "sum"]
KINDS: tuple[str, ...] = ("flow", "stock", "ratio", "sum")

# Domains in the order pages and templates show them; names are looked up in the message catalogue.
DOMAINS: tuple[str, ...] = ("proposals", "consultation", "research", "social", "members")

UNIT_LEVELS: tuple[str, ...] = ("city", "district", "county", "county_city")

# A figure above its indicator's bound is a typing error (DOMAIN.md, "Plausible sizes"); staff-added
# indicators, which state none, get this one.
# The dictionary's units in English; a unit not listed (one staff added) is shown as written.
UNIT_EN = {
    "件": "items",
    "条": "items",
    "篇": "pieces",
    "人": "people",
    "名": "people",
    "人次": "person-times",
    "人次/人": "per member",
    "次": "times",
    "场次": "sessions",
    "期": "classes",
    "个": "",
    "%": "%",
}

DEFAULT_MAX_VALUE = 10_000_000.0
Direction = Literal["up", "down", "neutral"]
DIRECTIONS: tuple[str, ...] = ("up", "down", "neutral")


@dataclass(frozen=True)
class Indicator:
    """One row of the dictionary."""

    code: str
    name: str
    domain: str
    unit: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    numerator: str | None = None
    denominator: str | None = None
    not_above: str | None = None  # consistency rule: value <= that indicator's value
    description: str = ""
    parts: tuple[str, ...] = ()  # kind "sum": computed as the sum of these flows
    sort_order: int = 0
    name_en: str = ""
    max_value: float | None = None  # plausible upper bound (a province's annual total); see `upper`
    direction: Direction = "up"  # which way is good: up (more is better), down (撤销委员资格), neutral

    @property
    def delta_color(self) -> str:
        """st.metric's delta_color for this indicator: a rise is green, red (direction down) or grey."""
        return {"up": "normal", "down": "inverse", "neutral": "off"}[self.direction]

    def label(self, lang: str = "zh") -> str:
        """The name people see: Chinese, or English where the dictionary gives one."""
        return self.name_en if lang == "en" and self.name_en else self.name

    @property
    def is_rate(self) -> bool:
        """A percentage (立案率…), shown with % and compared in 百分点."""
        return self.kind == "ratio" and self.unit == "%"

    @property
    def is_count(self) -> bool:
        """Whole numbers >= 0: flows and stocks."""
        return self.kind in ("flow", "stock")

    @property
    def upper(self) -> float:
        """The largest plausible value: the dictionary's max_value, else 100 for a rate, 10,000,000 otherwise.

        >>> Indicator("x", "x", "d", "件", "flow").upper, Indicator("r", "r", "d", "%", "ratio").upper
        (10000000.0, 100.0)
        """
        if self.max_value is not None:
            return self.max_value
        return 100.0 if self.is_rate else DEFAULT_MAX_VALUE

    @property
    def importable(self) -> bool:
        """Computed indicators (sum) are never read from sheets; ratios are, as reported rates."""
        return self.kind != "sum"


@dataclass(frozen=True)
class Unit:
    """A reporting unit (填报单位): one committee, keyed by its 6-digit division code."""

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    level: str = "county"
    sort_order: int = 0


@dataclass(frozen=True)
class Dictionary:
    """All indicators, by code, in dictionary order."""

    indicators: tuple[Indicator, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {i.code: i for i in self.indicators})

    def __getitem__(self, code: str) -> Indicator:
        return self._by_code[code]  # type: ignore[attr-defined]

    def __contains__(self, code: object) -> bool:
        return code in self._by_code  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def by_domain(self, domain: str) -> list[Indicator]:
        return [i for i in self.indicators if i.domain == domain]


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (cell or "").split(";") if p.strip())


def _none(cell: str | None) -> str | None:
    cell = (cell or "").strip()
    return cell or None


def indicator_from_row(row: dict[str, str], sort_order: int = 0) -> Indicator:
    """Build an Indicator from a CSV row, checking the kind."""
    kind = (row.get("kind") or "").strip()
    if kind not in KINDS:
        raise ValueError(f"指标 {row.get('code')} 的类型 {kind!r} 无效，应为 {', '.join(KINDS)} 之一")
    return Indicator(
        code=row["code"].strip(),
        name=row["name"].strip(),
        domain=(row.get("domain") or "").strip(),
        unit=(row.get("unit") or "").strip(),
        kind=kind,  # type: ignore[arg-type]
        aliases=_split(row.get("aliases")),
        numerator=_none(row.get("numerator")),
        denominator=_none(row.get("denominator")),
        not_above=_none(row.get("not_above")),
        description=(row.get("description") or "").strip(),
        parts=_split(row.get("parts")),
        sort_order=sort_order,
        name_en=(row.get("name_en") or "").strip(),
        max_value=_bound(row),
        direction=_direction(row),
    )


def _direction(row: dict[str, str]) -> Direction:
    cell = (row.get("direction") or "up").strip() or "up"
    if cell not in DIRECTIONS:
        raise ValueError(f"指标 {row.get('code')} 的方向 direction {cell!r} 无效，应为 up、down 或 neutral")
    return cell  # type: ignore[return-value]


def _bound(row: dict[str, str]) -> float | None:
    cell = (row.get("max_value") or "").strip()
    if not cell:
        return None
    try:
        value = float(cell)
    except ValueError:
        value = float("nan")
    if not (0 < value < float("inf")):
        raise ValueError(f"指标 {row.get('code')} 的上限 max_value {cell!r} 无效，应为正数")
    if (row.get("unit") or "").strip() == "%" and value > 100:
        raise ValueError(f"比率指标 {row.get('code')} 的上限 max_value 不能超过 100")
    return value


def load_dictionary(path: Path = INDICATORS_CSV) -> Dictionary:
    """Read and check the dictionary file: unique codes, references to known codes."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        items = [indicator_from_row(r, n) for n, r in enumerate(csv.DictReader(fh), start=1)]
    codes = [i.code for i in items]
    dupes = {c for c in codes if codes.count(c) > 1}
    if dupes:
        raise ValueError(f"指标代码重复：{', '.join(sorted(dupes))}")
    known = set(codes)
    for i in items:
        refs = [r for r in (i.numerator, i.denominator, i.not_above, *i.parts) if r]
        missing = [r for r in refs if r not in known]
        if missing:
            raise ValueError(f"指标 {i.code} 引用了不存在的指标：{', '.join(missing)}")
        if i.kind == "ratio" and not (i.numerator and i.denominator):
            raise ValueError(f"比率指标 {i.code} 须给出分子和分母")
        if i.kind == "sum" and not i.parts:
            raise ValueError(f"合计指标 {i.code} 须给出组成项")
    return Dictionary(tuple(items))


def load_units_csv(path: Path) -> list[Unit]:
    """Read a unit list (code, name, aliases separated by ';', level) from a UTF-8 CSV."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            Unit(
                code=r["code"].strip(),
                name=r["name"].strip(),
                aliases=_split(r.get("aliases")),
                level=(r.get("level") or "county").strip(),
                sort_order=n,
            )
            for n, r in enumerate(csv.DictReader(fh), start=1)
        ]


def demo_units() -> list[Unit]:
    """九江市's units (DOMAIN.md): the embedded demo data's units."""
    return load_units_csv(DATA_DIR / "units_jiujiang.csv")
