"""How each demo indicator behaves: levels, seasons, trends, noise, and which ones derive from others.

Levels are 2023 per-quarter means (the seeds' year), for a county of average size and for 市本级.
Magnitudes follow the 九江市 and 忻州市 2023 work reports in `/work/shared/seeds/`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

BASE_YEAR = 2023  # the year the levels below describe

# Term changes (换届): every five years, at the plenary session in Q1; the 2022 term is the current one.
TERM_START_YEAR = 2022
TERM_YEARS = 5

# Pandemic weight by (year, quarter); a profile's `covid` says how much of it the indicator feels.
PANDEMIC: dict[tuple[int, int], float] = {(2020, 1): 0.6, (2020, 2): 1.0}

# 基层协商议事 ("有事先商量") was piloted from 2021 and has grown since; multipliers of the 2023 level.
GRASSROOTS_RAMP: Mapping[int, float] = {
    2019: 0.25,
    2021: 0.55,
    2022: 0.8,
    2023: 1.0,
    2024: 1.2,
    2025: 1.35,
    2026: 1.45,
}


@dataclass(frozen=True)
class Flow:
    """A flow drawn on its own: mean = level x unit size x season x trend, then noise."""

    county: float  # 2023 per-quarter mean for a county of size 1
    city: float  # 2023 per-quarter mean for 市本级
    season: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)  # relative; normalised to mean 1
    growth: float = 0.03  # per year, compounding from BASE_YEAR
    noise: float = 0.1  # sigma of the multiplicative log-normal noise
    covid: float = 0.4  # share of the PANDEMIC dip this indicator feels
    poisson: bool = True  # rare events scatter like Poisson counts; regular meetings do not
    ramp: Mapping[int, float] | None = None  # multipliers from a year on, replacing `growth` when given


@dataclass(frozen=True)
class Share:
    """A flow taken as a share (or multiple) of another indicator's value in the same quarter."""

    parent: str
    low: float  # each unit's usual share lies in [low, high]
    high: float
    season: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)  # multiplies the share by quarter
    jitter: float = 0.02  # quarter-to-quarter wobble of the share, absolute


_PLENARY = (4.0, 0.0, 0.0, 0.0)  # held once a year, at the plenary session in Jan/Feb
_PROPOSALS = (3.2, 0.35, 0.25, 0.2)  # ~80% handed in at the plenary session

FLOWS: dict[str, Flow] = {
    # 提案: 市本级 ~380 a year, a county ~130; a handful of key proposals, chosen after the session.
    "proposals_submitted": Flow(33, 95, _PROPOSALS, growth=0.02, noise=0.05, covid=0.1, poisson=False),
    "proposals_key": Flow(1.2, 3.5, (3.4, 0.3, 0.2, 0.1), growth=0.02, covid=0.1),
    # 协商: one plenary consultation in Q1, about one standing-committee consultation a quarter.
    "consult_plenary": Flow(0.25, 0.25, _PLENARY, growth=0.0, noise=0.1, covid=0.0, poisson=False),
    "consult_standing": Flow(1.0, 1.0, growth=0.0, noise=0.25, covid=0.3, poisson=False),
    "consult_topic": Flow(0.8, 2.0, (0.6, 1.2, 1.2, 1.0)),
    "consult_counterpart": Flow(1.0, 3.0, (0.8, 1.1, 1.1, 1.0)),
    "consult_sector": Flow(0.5, 1.5),
    "consult_proposal": Flow(0.6, 2.0, (0.4, 1.4, 1.4, 0.8)),
    "consult_grassroots": Flow(50, 6, (0.8, 1.05, 1.1, 1.05), noise=0.12, covid=0.6, ramp=GRASSROOTS_RAMP),
    "consult_outcomes": Flow(50, 8, (0.7, 1.0, 1.1, 1.2), noise=0.15, covid=0.6, ramp=GRASSROOTS_RAMP),
    "suggestions_made": Flow(60, 270, (1.1, 1.0, 1.0, 0.9), growth=0.04, noise=0.12),
    # 调研监督: 市本级 11 topics and 56 problems a year.
    "research_topics": Flow(1.5, 3.0, (1.2, 1.2, 1.0, 0.6), growth=0.02),
    "problems_found": Flow(6.0, 14.0, (0.8, 1.1, 1.1, 1.0), growth=0.03),
    "inspections": Flow(1.5, 3.0, (0.7, 1.2, 1.2, 0.9), covid=0.7),
    "supervision_activities": Flow(1.5, 2.5, growth=0.05, covid=0.5),
    # 社情民意: ~1,800 collected a year across a prefecture.
    "info_collected": Flow(28, 60, (1.0, 1.05, 1.0, 0.95), growth=0.05, noise=0.15, covid=0.2),
    "info_instructions": Flow(0.6, 3.0, growth=0.04, covid=0.2),
    # 委员履职: participation scales with membership; commendations at the plenary session.
    "member_participations": Flow(500, 880, (1.3, 1.0, 1.0, 0.8), growth=0.03, noise=0.1, covid=0.6),
    "member_activities": Flow(10, 19, (1.0, 1.1, 1.0, 0.9), growth=0.03, covid=0.6),
    "plenary_speeches": Flow(3.0, 6.5, (3.7, 0.1, 0.1, 0.1), growth=0.0, covid=0.1),
    "trainings": Flow(0.5, 0.8, (1.0, 1.2, 1.0, 0.8), growth=0.02, covid=0.8),
    "members_commended": Flow(4.0, 14.0, (3.8, 0.0, 0.0, 0.2), growth=0.0, covid=0.0),
    "members_removed": Flow(0.15, 0.6, growth=0.0, covid=0.0),
    "reminder_talks": Flow(0.4, 2.0, growth=0.02, covid=0.0),
}

# Dependent flows, drawn after their parent so the dictionary's `not_above` rules hold by construction.
SHARES: dict[str, Share] = {
    "proposals_registered": Share("proposals_submitted", 0.80, 0.94, jitter=0.03),
    "proposals_collective": Share("proposals_submitted", 0.07, 0.13),
    "proposals_livelihood": Share("proposals_submitted", 0.35, 0.45, jitter=0.03),
    # Proposals handed in late in the year are answered the next year: the quarter's share drops.
    "proposals_answered": Share("proposals_registered", 0.96, 1.0, (1.0, 1.0, 0.93, 0.75)),
    "proposals_satisfied": Share("proposals_answered", 0.95, 1.0, jitter=0.015),
    "info_submitted": Share("info_collected", 0.30, 0.50, jitter=0.04),
    "info_adopted": Share("info_submitted", 0.20, 0.30, jitter=0.04),
    "trainees": Share("trainings", 35, 70, jitter=8),  # people per training class
}

# For indicators a deployment adds to the dictionary and no profile knows: a few a quarter.
DEFAULT_FLOW = Flow(2.0, 3.0)

# Stocks. 委员人数 is set at each term change and drifts by a few; 委员工作站 only ever open.
MEMBERS_COUNTY = 200  # a county of size 1; real ones have 150-300
MEMBERS_CITY = 400  # 市本级: 350-450
MEMBERS_ADDED_PER_QUARTER = 0.35  # mean of the Poisson number of members co-opted in a quarter
STATIONS_EPOCH = 2018  # before this year a unit has only its initial stations
STATIONS_INITIAL = {"city": 2, "county": 0}
# Chance a unit opens a station in a quarter, by year (站家 were built mostly 2021-2023).
STATIONS_OPENING: Mapping[int, float] = {
    2018: 0.03,
    2020: 0.05,
    2021: 0.15,
    2022: 0.15,
    2023: 0.1,
    2024: 0.08,
}
