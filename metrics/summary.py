"""The generated 数据摘要: a paragraph in the style of the work reports, from the same numbers as the charts.

No sentence is written about a figure that is missing; a change is written only when last year's
figure exists; rates change in 百分点; approximate figures keep their 余.

>>> f = {"proposals_submitted": Figure(1234, 1173), "proposals_registered": Figure(1050, None),
...      "registration_rate": Figure(85.1, 83.8)}
>>> domain_sentence("proposals", f)
'共提交提案1,234件，同比增长5.2%；立案1,050件，立案率85.1%，较上年提高1.3个百分点'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from domain.dictionary import UNIT_EN, Dictionary
from domain.periods import Period
from metrics.aggregate import compute


@dataclass(frozen=True)
class Figure:
    """A value for the period and for the same period a year earlier (either may be missing)."""

    value: float | None
    previous: float | None = None
    approximate: bool = False
    base: float | None = None  # the value over the units comparable with last year, when fewer than all

    @property
    def compared(self) -> float | None:
        """What the change is computed from: `base` where given, else the value itself."""
        return self.value if self.base is None else self.base


def _num(v: float, approximate: bool = False) -> str:
    """'1,234' / '12.5' / '1,800余'; '—' for what is no number (a total that overflowed), never an OverflowError.

    >>> _num(1800, True), _num(12.5), _num(float("inf")), _num(float("nan"))
    ('1,800余', '12.5', '—', '—')
    """
    if not math.isfinite(v):
        return "—"
    text = f"{round(v):,}" if abs(v - round(v)) < 1e-9 or abs(v) >= 100 else f"{v:,.1f}"
    return text + ("余" if approximate else "")


def _count_change(f: Figure) -> str | None:
    now = f.compared
    if now is None or f.previous is None or f.previous == 0:
        return None
    if not (math.isfinite(now) and math.isfinite(f.previous)):
        return None
    pct = (now - f.previous) / f.previous * 100
    if round(pct, 1) == 0:
        return "与上年同期持平"
    return f"同比{'增长' if pct > 0 else '下降'}{abs(pct):.1f}%"


def _rate_change(f: Figure) -> str | None:
    now = f.compared
    if now is None or f.previous is None or not (math.isfinite(now) and math.isfinite(f.previous)):
        return None
    pp = now - f.previous
    if round(pp, 1) == 0:
        return "与上年持平"
    return f"较上年{'提高' if pp > 0 else '降低'}{abs(pp):.1f}个百分点"


def count_clause(verb: str, f: Figure | None, unit: str, with_change: bool = True) -> str | None:
    """'提交提案1,234件，同比增长5.2%'; None when the figure is missing (or no number: an overflowed total)."""
    if f is None or f.value is None or not math.isfinite(f.value):
        return None
    text = f"{verb}{_num(f.value, f.approximate)}{unit}"
    change = _count_change(f) if with_change else None
    return f"{text}，{change}" if change else text


def rate_clause(name: str, f: Figure | None, with_change: bool = True) -> str | None:
    """'立案率85.1%，较上年提高1.3个百分点'; None when the rate is missing."""
    if f is None or f.value is None or not math.isfinite(f.value):
        return None
    change = _rate_change(f) if with_change else None
    text = f"{name}{f.value:.1f}%"
    return f"{text}，{change}" if change else text


def _join(parts: Sequence[str | None], sep: str = "，") -> str:
    return sep.join(p for p in parts if p)


# Each domain: groups of clauses; clauses in a group join with "，", groups with "；".
def domain_sentence(domain: str, f: dict[str, Figure]) -> str:
    """The sentence of one domain, or '' when none of its figures is there."""
    g = f.get
    if domain == "proposals":
        groups = [
            [count_clause("共提交提案", g("proposals_submitted"), "件")],
            [
                count_clause("立案", g("proposals_registered"), "件", False),
                rate_clause("立案率", g("registration_rate")),
            ],
            [
                count_clause("办复", g("proposals_answered"), "件", False),
                rate_clause("办复率", g("reply_rate")),
            ],
            [rate_clause("满意率", g("satisfaction_rate"), False)],
            [
                count_clause("其中重点提案", g("proposals_key"), "件", False),
                count_clause("集体提案", g("proposals_collective"), "件", False),
            ],
        ]
    elif domain == "consultation":
        groups = [
            [
                count_clause("开展协商活动", g("consult_total"), "次"),
                count_clause("其中专题协商", g("consult_topic"), "次", False),
            ],
            [count_clause("基层协商议事", g("consult_grassroots"), "场次")],
            [
                count_clause("提出意见建议", g("suggestions_made"), "条", False),
                count_clause("推动成果转化", g("consult_outcomes"), "件", False),
            ],
        ]
    elif domain == "research":
        groups = [
            [
                count_clause("开展调研课题", g("research_topics"), "个", False),
                count_clause("发现问题", g("problems_found"), "个", False),
            ],
            [
                count_clause("组织视察", g("inspections"), "次", False),
                count_clause("开展民主监督活动", g("supervision_activities"), "次", False),
            ],
        ]
    elif domain == "social":
        groups = [
            [
                count_clause("收集社情民意信息", g("info_collected"), "篇"),
                count_clause("报送上级", g("info_submitted"), "篇", False),
                count_clause("被采用", g("info_adopted"), "篇", False),
                rate_clause("采用率", g("adoption_rate")),
            ],
            [count_clause("获领导批示", g("info_instructions"), "次", False)],
        ]
    elif domain == "members":
        groups = [
            [
                count_clause("委员参加活动", g("member_participations"), "人次"),
                _per_member(g("participation_per_member")),
            ],
            [
                count_clause("举办培训班", g("trainings"), "期", False),
                count_clause("培训", g("trainees"), "人次", False),
            ],
        ]
    else:
        groups = []
    return _join([_join(group) for group in groups], "；")


def _per_member(f: Figure | None) -> str | None:
    if f is None or f.value is None or not math.isfinite(f.value):
        return None
    return f"人均{f.value:.1f}人次"


DOMAIN_ORDER = ("proposals", "consultation", "research", "social", "members")

# The English 数据摘要 states the same figures in the same order (code, whether its 同比 is written).
EN_ORDER: dict[str, tuple[tuple[str, bool], ...]] = {
    "proposals": (
        ("proposals_submitted", True),
        ("proposals_registered", False),
        ("registration_rate", True),
        ("proposals_answered", False),
        ("reply_rate", True),
        ("satisfaction_rate", False),
        ("proposals_key", False),
        ("proposals_collective", False),
    ),
    "consultation": (
        ("consult_total", True),
        ("consult_topic", False),
        ("consult_grassroots", True),
        ("suggestions_made", False),
        ("consult_outcomes", False),
    ),
    "research": (
        ("research_topics", False),
        ("problems_found", False),
        ("inspections", False),
        ("supervision_activities", False),
    ),
    "social": (
        ("info_collected", True),
        ("info_submitted", False),
        ("info_adopted", False),
        ("adoption_rate", True),
        ("info_instructions", False),
    ),
    "members": (
        ("member_participations", True),
        ("participation_per_member", False),
        ("trainings", False),
        ("trainees", False),
    ),
}


def clause_en(name: str, unit: str, f: Figure | None, with_change: bool, is_rate: bool) -> str | None:
    """'Proposals submitted 1,234 items (+5.2% YoY)'; None when the figure is missing.

    >>> clause_en("Registration rate", "%", Figure(85.1, 83.8), True, True)
    'Registration rate 85.1% (+1.3 pts YoY)'
    """
    if f is None or f.value is None or not math.isfinite(f.value):
        return None
    if is_rate:
        text = f"{name} {f.value:.1f}%"
    else:
        words = UNIT_EN.get(unit, unit)
        number = _num(f.value, False) if not unit.endswith("/人") else f"{f.value:.1f}"
        text = f"{name} {number}{'+' if f.approximate else ''}{' ' + words if words else ''}"
    now = f.compared
    if not with_change or now is None or f.previous is None or not math.isfinite(now):
        return text
    if is_rate:
        pp = now - f.previous
        return f"{text} ({'flat' if round(pp, 1) == 0 else f'{pp:+.1f} pts'} YoY)"
    if f.previous == 0 or not math.isfinite(f.previous):
        return text
    pct = (now - f.previous) / f.previous * 100
    return f"{text} ({'flat' if round(pct, 1) == 0 else f'{pct:+.1f}%'} YoY)"


def paragraph_en(
    scope: str,
    period_text: str,
    figures: dict[str, Figure],
    dictionary: Dictionary,
    domains: Sequence[str] = DOMAIN_ORDER,
) -> str:
    """The English 数据摘要: '2024, all units: Proposals submitted 1,234 items (+5.2% YoY); ….'"""
    sentences = []
    for d in domains:
        parts = []
        for code, with_change in EN_ORDER.get(d, ()):
            if code in dictionary:
                ind = dictionary[code]
                parts.append(
                    clause_en(ind.label("en"), ind.unit, figures.get(code), with_change, ind.is_rate)
                )
        if text := "; ".join(p for p in parts if p):
            sentences.append(text)
    return f"{period_text}, {scope}: " + ". ".join(sentences) + "." if sentences else ""


def paragraph(
    scope: str, period_text: str, figures: dict[str, Figure], domains: Sequence[str] = DOMAIN_ORDER
) -> str:
    """'2024年，全市政协系统共提交提案…。开展协商活动…。'; '' when there is nothing to say."""
    sentences = [s for s in (domain_sentence(d, figures) for d in domains) if s]
    if not sentences:
        return ""
    return f"{period_text}，{scope}" + "。".join(sentences) + "。"


def figures_from_frame(frame: pd.DataFrame, label: str, prev_label: str) -> dict[str, Figure]:
    """Figures (value, a year earlier, approximate) from the totals of a metrics.aggregate.compute frame."""
    tot = frame[frame["unit_code"].isna()]
    out: dict[str, Figure] = {}
    for code in dict.fromkeys(tot["indicator"]):
        cur = tot[(tot["indicator"] == code) & (tot["label"] == label)]
        old = tot[(tot["indicator"] == code) & (tot["label"] == prev_label)]
        value = None if cur.empty or pd.isna(cur["value"].iloc[0]) else float(cur["value"].iloc[0])
        previous = None if old.empty or pd.isna(old["value"].iloc[0]) else float(old["value"].iloc[0])
        approximate = bool(cur["approximate"].fillna(False).iloc[0]) if not cur.empty else False
        out[str(code)] = Figure(value, previous, approximate)
    return out


def figures_for(
    con: duckdb.DuckDBPyConnection, period: Period, units: Sequence[str], codes: Sequence[str] = ()
) -> dict[str, Figure]:
    """The totals over `units` for the period and a year earlier, from the metrics module."""
    prev = period.previous_year()
    return figures_from_frame(compute(con, [period, prev], units, codes), period.label, prev.label)
