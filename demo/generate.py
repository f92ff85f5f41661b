"""Believable quarterly demo figures for a prefecture's units, as a long table of flows and stocks.

Every value is drawn from a random stream keyed by (seed, unit, indicator, period) through a stable
hash, so the same arguments give the same frame and a later `last` never changes earlier quarters.
Ratios and sums are left to the metrics layer, which computes them from these parts.

>>> from domain.dictionary import demo_units, load_dictionary
>>> frame = generate(demo_units(), load_dictionary(), first=(2023, 1), last=(2023, 4))
>>> int(frame.query("unit_code == '360400' and indicator == 'consult_plenary'")["value"].sum())
1
"""

from __future__ import annotations

import datetime
import hashlib
import math
import struct
from collections.abc import Callable, Iterator, Mapping
from statistics import NormalDist

import pandas as pd

from demo import profile
from demo.profile import Flow, Share
from domain.dictionary import Dictionary, Indicator, Unit

Period = tuple[int, int]  # (year, quarter 1-4)
COLUMNS = ["unit_code", "year", "quarter", "indicator", "value"]


def latest_complete_quarter(today: datetime.date) -> Period:
    """The last quarter that has ended by `today`: demo data never lies in the future."""
    done = (today.month - 1) // 3
    return (today.year, done) if done else (today.year - 1, 4)


def generate(
    units: list[Unit],
    dictionary: Dictionary,
    first: Period = (2019, 1),
    last: Period | None = None,
    seed: int = 20190101,
) -> pd.DataFrame:
    """One row per (unit, year, quarter, flow or stock indicator) from `first` to `last` inclusive."""
    last = last or latest_complete_quarter(datetime.date.today())
    for year, quarter in (first, last):
        if not 1 <= quarter <= 4:
            raise ValueError(f"季度应为 1-4，收到 {year}年第{quarter}季度")
    if first > last:
        raise ValueError(f"起始季度 {first} 晚于结束季度 {last}")
    wanted = [i for i in dictionary if i.kind in ("flow", "stock")]
    rows = [row for unit in units for row in _UnitSeries(unit, dictionary, seed).rows(wanted, first, last)]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"year": "int64", "quarter": "int64", "value": "float64"})


class _Draws:
    """Eight reproducible uniforms fixed by `key`: blake2b, because Python's hash() is salted per process.

    One hash per key is several times cheaper than seeding a random.Random, and a cell needs only a few.
    """

    _normal = NormalDist()

    def __init__(self, *key: object) -> None:
        digest = hashlib.blake2b("|".join(map(str, key)).encode(), digest_size=64).digest()
        # 53-bit fractions, centred in their bins so that 0 and 1 never occur
        self._left = [((w >> 11) + 0.5) * 2.0**-53 for w in struct.unpack(">8Q", digest)]

    def uniform(self, low: float = 0.0, high: float = 1.0) -> float:
        return low + (high - low) * self._left.pop()

    def gauss(self, mu: float, sigma: float) -> float:
        """Normal, cut at 2.5 sigma: a freak outlier in a demo looks like a bug, not like news."""
        return mu + sigma * max(-2.5, min(2.5, self._normal.inv_cdf(self.uniform())))

    def lognormal(self, mu: float, sigma: float) -> float:
        return math.exp(self.gauss(mu, sigma))

    def poisson(self, lam: float) -> int:
        """Inverse-CDF Poisson draw; normal approximation from a mean of 30."""
        if lam <= 0:
            return 0
        if lam >= 30:
            return max(0, round(self.gauss(lam, math.sqrt(lam))))
        u, k, p = self.uniform(), 0, math.exp(-lam)
        cdf = p
        while u > cdf and p > 0:
            k += 1
            p *= lam / k
            cdf += p
        return k


def _by_year(table: Mapping[int, float], year: int) -> float:
    """Step lookup: the value from the latest year not after `year` (the earliest one before the table)."""
    since = [y for y in table if y <= year]
    return table[max(since) if since else min(table)]


def _periods(first: Period, last: Period) -> Iterator[Period]:
    year, quarter = first
    while (year, quarter) <= last:
        yield year, quarter
        year, quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)


def _term_start(year: int) -> int:
    """First year of the CPPCC term (届) that `year` belongs to."""
    return year - (year - profile.TERM_START_YEAR) % profile.TERM_YEARS


class _UnitSeries:
    """All series of one unit; the unit's size and character are fixed by the seed alone."""

    def __init__(self, unit: Unit, dictionary: Dictionary, seed: int) -> None:
        self.unit, self.dictionary, self.seed = unit, dictionary, seed
        self.is_city = unit.level == "city"
        size = self._draws("size").lognormal(0, 0.25)
        self.size = 1.0 if self.is_city else min(1.4, max(0.6, size))
        self._cache: dict[object, float] = {}

    def _draws(self, *key: object) -> _Draws:
        return _Draws(self.seed, self.unit.code, *key)

    def _memo(self, key: tuple[object, ...], draw: Callable[[], float]) -> float:
        """Draw once per key: a unit's character and a year's mood stay the same across quarters."""
        if key not in self._cache:
            self._cache[key] = draw()
        return self._cache[key]

    def rows(self, wanted: list[Indicator], first: Period, last: Period) -> Iterator[tuple[object, ...]]:
        """Walk from before `first` so stocks carry their history; emit only `first`..`last`."""
        start = min(first, (_term_start(first[0]), 1), (profile.STATIONS_EPOCH, 1))
        members, stations = 0, profile.STATIONS_INITIAL["city" if self.is_city else "county"]
        for year, quarter in _periods(start, last):
            members = self._members(year, quarter, members)
            stations = self._stations(year, quarter, stations)
            if (year, quarter) < first:
                continue
            stocks = {"members_total": members, "member_stations": stations}
            values: dict[str, float] = {}
            for ind in wanted:
                if ind.code in stocks:
                    value = float(stocks[ind.code])
                elif ind.kind == "stock":
                    value = float(round(3 * self.size))  # a stock no profile knows: steady, by size
                else:
                    value = self._value(ind.code, year, quarter, values)
                yield self.unit.code, year, quarter, ind.code, value

    def _value(self, code: str, year: int, quarter: int, values: dict[str, float]) -> float:
        """A flow's value, its parents drawn first and its `not_above` rule applied as a cap."""
        if code in values:
            return values[code]
        share = profile.SHARES.get(code)
        if share:
            parent = self._value(share.parent, year, quarter, values)
            value = self._share(code, share, parent, year, quarter)
        else:
            value = self._flow(code, profile.FLOWS.get(code, profile.DEFAULT_FLOW), year, quarter)
        rule = self.dictionary[code].not_above if code in self.dictionary else None
        if rule:
            value = min(value, self._value(rule, year, quarter, values))
        values[code] = value
        return value

    def _flow(self, code: str, flow: Flow, year: int, quarter: int) -> float:
        """Level x size x unit character x year x trend x season x pandemic, with noise."""
        spread = 0.05 if self.is_city else 0.1  # 市本级's level is set directly; a county's varies by size
        character = self._memo(("character", code), lambda: self._draws(code, "trait").lognormal(0, spread))
        yearly = self._memo(("year", code, year), lambda: self._draws(code, year).lognormal(0, 0.06))
        trend = _by_year(flow.ramp, year) if flow.ramp else (1 + flow.growth) ** (year - profile.BASE_YEAR)
        season = flow.season[quarter - 1] * 4 / sum(flow.season)
        pandemic = 1 - flow.covid * profile.PANDEMIC.get((year, quarter), 0.0)
        level = flow.city if self.is_city else flow.county * self.size
        mean = level * character * yearly * trend * season * pandemic
        draws = self._draws(code, year, quarter)
        drawn = mean * draws.lognormal(-(flow.noise**2) / 2, flow.noise)  # mean-preserving
        return float(draws.poisson(drawn) if flow.poisson else round(drawn))

    def _share(self, code: str, share: Share, parent: float, year: int, quarter: int) -> float:
        """round(parent x share): a unit's own share, drifting a little by year and by quarter."""
        spread = share.high - share.low
        usual = self._memo(("share", code), lambda: self._draws(code, "share").uniform(share.low, share.high))
        drift = self._memo(("drift", code, year), lambda: self._draws(code, year).gauss(0, spread / 6))
        wobble = self._draws(code, year, quarter).gauss(0, share.jitter)
        ratio = (usual + drift + wobble) * share.season[quarter - 1]
        ratio = max(0.0, min(1.0, ratio) if share.high <= 1 else ratio)
        return float(round(parent * ratio))

    def _members(self, year: int, quarter: int, previous: int) -> int:
        """委员人数: reset at each term change (Q1), then co-opted members in, removed members out."""
        term = _term_start(year)
        if (year, quarter) == (term, 1):
            county = min(285, max(155, profile.MEMBERS_COUNTY * self.size))
            usual = profile.MEMBERS_CITY if self.is_city else county
            return round(usual * self._draws("members", term).uniform(0.95, 1.06))
        added = self._draws("members_added", year, quarter).poisson(profile.MEMBERS_ADDED_PER_QUARTER)
        removed = self._flow("members_removed", profile.FLOWS["members_removed"], year, quarter)
        return max(0, previous + added - int(removed))

    def _stations(self, year: int, quarter: int, previous: int) -> int:
        """委员工作站: the initial few until STATIONS_EPOCH, then openings (never closings)."""
        if year < profile.STATIONS_EPOCH:
            return previous
        chance = _by_year(profile.STATIONS_OPENING, year) * (1.5 if self.is_city else self.size)
        return previous + int(self._draws("member_stations", year, quarter).uniform() < chance)
