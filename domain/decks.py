"""Decks (汇报材料): an ordered list of slides saved by name, with a period of its own.

A slide names a kind of chart (or a group of KPI cards) and the choices it freezes (units, indicator,
display choice); what it shows is computed when the deck is shown or exported, for the deck's period.
The period is fixed (`2024Q3`, `2024`, `2024YTD3`) or relative: `latest` (what 总览 opens with: the
latest year, to date while it is incomplete), `latest_quarter`, `ytd` (the latest year to date).

>>> d = Deck("例会", "latest", (SlideSpec("funnel", {"domain": "proposals"}),))
>>> Deck.from_json(d.name, d.to_json()) == d
True
>>> resolve_period("ytd", [(2024, 1), (2024, 2), (2024, 3)], [2024])
Period(year=2024, quarter=3, mode='ytd')
>>> parse_period_text("2024年1-9月"), parse_period_text("2024Q1-Q3"), parse_period_text("2024q3")
(Period(year=2024, quarter=3, mode='ytd'), Period(year=2024, quarter=3, mode='ytd'), Period(year=2024, quarter=3, mode='quarter'))
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from domain.periods import Period

RELATIVE = ("latest", "latest_quarter", "ytd")
KINDS = ("kpis", "funnel", "ranking", "trend", "quarters", "mix", "heatmap", "index")
DEFAULT_DECK = "default"
MAX_NAME = 40
MAX_SLIDES = 60


class DeckError(ValueError):
    """A deck or slide that cannot be saved or shown; the message (Chinese) says why."""


@dataclass(frozen=True)
class SlideSpec:
    """One slide: its kind, the frozen choices (`units`: codes or absent for all units), title and note."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    title: str = ""  # empty: the chart's own title
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise DeckError(f"未知的幻灯片类型：{self.kind}")

    def __hash__(self) -> int:
        return hash(self.key())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SlideSpec) and self.key() == other.key()

    def key(self) -> str:
        """A stable text of the whole slide (for caches and equality)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "params": dict(self.params), "title": self.title, "note": self.note}

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> SlideSpec:
        return cls(
            str(d["kind"]), dict(d.get("params") or {}), str(d.get("title") or ""), str(d.get("note") or "")
        )

    def units(self) -> list[str] | None:
        u = self.params.get("units")
        return [str(c) for c in u] if u else None


@dataclass(frozen=True)
class Deck:
    name: str
    period: str = "latest"  # one of RELATIVE, or a fixed period label (2024Q3, 2024, 2024YTD3)
    slides: tuple[SlideSpec, ...] = ()

    def to_json(self) -> str:
        return json.dumps([s.to_dict() for s in self.slides], ensure_ascii=False)

    @classmethod
    def from_json(cls, name: str, slides: str, period: str = "latest") -> Deck:
        return cls(name, period, tuple(SlideSpec.from_dict(d) for d in json.loads(slides)))


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DeckError("汇报材料的名称不能为空")
    if len(name) > MAX_NAME:
        raise DeckError(f"汇报材料的名称不能超过 {MAX_NAME} 个字")
    if any(ch in name for ch in "/\\\n\r\t"):
        raise DeckError("汇报材料的名称不能含有 / \\ 或换行")
    return name


def check_period(text: str) -> str:
    """A deck period as stored: a relative word, or a fixed period's label (raises DeckError)."""
    text = (text or "").strip() or "latest"
    if text in RELATIVE:
        return text
    return parse_period_text(text).label


_CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def parse_period_text(text: str) -> Period:
    """A period as people type it: 2024 / 2024年 (the year), 2024Q3 / 2024年第三季度 (that quarter),
    2024Q1-Q3 / 2024年1-9月 / 2024YTD3 (the year to date). Raises DeckError in Chinese otherwise."""
    t = re.sub(r"\s+", "", (text or "")).upper().replace("－", "-").replace("—", "-").replace("~", "-")
    if m := re.fullmatch(r"(\d{4})(?:年|年度|年全年)?", t):
        return Period(int(m.group(1)))
    if m := re.fullmatch(r"(\d{4})(?:年)?(?:-)?(?:Q([1-4])|第([一二三四1-4])季度)", t):
        return Period(int(m.group(1)), _CN_Q[m.group(2) or m.group(3)], "quarter")
    if m := re.fullmatch(r"(\d{4})YTD([1-4])", t):
        return Period(int(m.group(1)), int(m.group(2)), "ytd")
    if m := re.fullmatch(r"(\d{4})(?:年)?Q1-Q([1-4])", t):
        return _ytd(int(m.group(1)), int(m.group(2)))
    if m := re.fullmatch(r"(\d{4})年?1-(\d{1,2})月", t):
        month = int(m.group(2))
        if month in (3, 6, 9, 12):
            return _ytd(int(m.group(1)), month // 3)
    raise DeckError(
        f"期间“{text}”无法识别，应写作如 2024（全年）、2024Q3（一个季度）、2024Q1-Q3 或 2024年1-9月（年初至今）"
    )


def _ytd(year: int, q: int) -> Period:
    return Period(year) if q == 4 else Period(year, q, "ytd")


def latest_period(quarters: Sequence[tuple[int, int]], years: Sequence[int]) -> Period | None:
    """What 总览 opens with: the latest year with data, to date while its quarters are incomplete."""
    if not years and not quarters:
        return None
    year = max([*years, *(y for y, _ in quarters)])
    last_q = max((q for y, q in quarters if y == year), default=4)
    return Period(year, last_q, "ytd") if last_q < 4 else Period(year)


def resolve_period(spec: str, quarters: Sequence[tuple[int, int]], years: Sequence[int]) -> Period | None:
    """The period a deck shows now (None when the store holds no data)."""
    if spec not in RELATIVE:
        return parse_period_text(spec)
    if spec == "latest_quarter":
        return Period(*max(quarters), "quarter") if quarters else latest_period(quarters, years)
    if spec == "ytd":
        if not quarters:
            return latest_period(quarters, years)
        y, q = max(quarters)
        return _ytd(y, q)
    return latest_period(quarters, years)
