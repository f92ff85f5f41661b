"""The composite index of 县区对比, and the per-unit measures of its heatmap, from compute() frames.

Method (shown to users on the page, so it stays simple enough to explain in a meeting):

1. For each weighted indicator, the units' values for the period are min-max normalised across the
   compared units to 0–100 (the highest unit 100, the lowest 0; when all units are equal, all get 100).
2. A unit's score is the weighted mean of its normalised values over the indicators it reported:
   a missing value is left out of that unit's mean (its weight too), never counted as zero.
3. Units are ranked by score, highest first (equal scores share a rank: 1, 2, 2, 4). The rank change
   compares with the same period a year earlier, scored the same way among the same units.

Rates enter as they are (never re-averaged here: compute() recomputes them from their parts).

>>> w = {"proposals_submitted": 1.0}
>>> df = pd.DataFrame({"label": ["2024"] * 2, "unit_code": ["A", "B"],
...                    "indicator": ["proposals_submitted"] * 2, "value": [10.0, 30.0]})
>>> scores(df, "2024", ["A", "B"], w)[["unit_code", "score", "rank"]].values.tolist()
[['B', 100.0, 1], ['A', 0.0, 2]]
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence

import pandas as pd

from domain.dictionary import Dictionary

# A sensible default: one or two headline indicators from each domain, equally weighted.
DEFAULT_WEIGHTS: dict[str, float] = {
    "proposals_submitted": 1.0,
    "registration_rate": 1.0,
    "consult_total": 1.0,
    "consult_grassroots": 1.0,
    "info_adopted": 1.0,
    "participation_per_member": 1.0,
}

MEASURES: tuple[str, ...] = ("value", "share", "per_member")
MEMBERS = "members_total"


def _per_unit(df: pd.DataFrame, label: str, units: Sequence[str], codes: Sequence[str]) -> pd.DataFrame:
    """unit × indicator values (NaN where missing), rows in the given unit order."""
    rows = df[(df["label"] == label) & df["unit_code"].notna() & df["indicator"].isin(list(codes))]
    wide = rows.pivot_table(index="unit_code", columns="indicator", values="value", aggfunc="first")
    return wide.reindex(index=list(units), columns=list(codes)).astype(float)


def normalise(values: pd.Series) -> pd.Series:
    """Min-max to 0–100 over the values present; all equal -> 100; missing stays missing.

    >>> normalise(pd.Series([10.0, 20.0, None, 30.0])).tolist()
    [0.0, 50.0, nan, 100.0]
    """
    present = values.dropna()
    if present.empty:
        return values * float("nan")
    lo, hi = float(present.min()), float(present.max())
    if hi == lo:
        return values.where(values.isna(), 100.0)
    return (values - lo) / (hi - lo) * 100.0


def scores(
    df: pd.DataFrame,
    label: str,
    units: Sequence[str],
    weights: Mapping[str, float],
    down: Collection[str] = (),
) -> pd.DataFrame:
    """unit_code, score (0–100 or NaN), n_indicators (how many entered), rank (Int64); best first.

    Indicators in `down` (the dictionary's direction: fewer is better, 撤销委员资格) count reversed.
    """
    codes = [c for c, w in weights.items() if w and w > 0]
    wide = _per_unit(df, label, units, codes)
    normed = wide.apply(normalise) if codes else wide
    for c in codes:
        if c in down:
            normed[c] = 100.0 - normed[c]
    w = pd.Series({c: float(weights[c]) for c in codes}, dtype=float)
    present = normed.notna()
    weight_sum = present.mul(w, axis=1).sum(axis=1)
    weighted = normed.fillna(0.0).mul(w, axis=1).sum(axis=1)
    score = (weighted / weight_sum).where(weight_sum > 0)
    out = pd.DataFrame(
        {"unit_code": list(units), "score": score.to_numpy(), "n_indicators": present.sum(axis=1).to_numpy()}
    )
    out["rank"] = out["score"].rank(method="min", ascending=False).astype("Int64")
    order = {u: n for n, u in enumerate(units)}
    out["_o"] = out["unit_code"].map(order)
    out = out.sort_values(["score", "_o"], ascending=[False, True], na_position="last")
    return out.drop(columns="_o").reset_index(drop=True)


def composite(
    df: pd.DataFrame,
    label: str,
    previous_label: str,
    units: Sequence[str],
    weights: Mapping[str, float],
    down: Collection[str] = (),
) -> pd.DataFrame:
    """scores() for the period plus prev_rank and rank_change (positive = moved up since last year)."""
    cur = scores(df, label, units, weights, down)
    prev = scores(df, previous_label, units, weights, down).set_index("unit_code")["rank"]
    cur["prev_rank"] = cur["unit_code"].map(prev).astype("Int64")
    cur["rank_change"] = (cur["prev_rank"] - cur["rank"]).astype("Int64")
    return cur


def rank_change_text(change: object) -> str | None:
    """'↑2', '↓1', '—' (same rank); None when either rank is unknown.

    >>> rank_change_text(2), rank_change_text(-1), rank_change_text(0), rank_change_text(None)
    ('↑2', '↓1', '—', None)
    """
    if change is None or change is pd.NA or (isinstance(change, float) and math.isnan(change)):
        return None
    n = int(change)  # type: ignore[call-overload]
    if n > 0:
        return f"↑{n}"
    if n < 0:
        return f"↓{-n}"
    return "—"


def measure_applies(kind: str, measure: str) -> bool:
    """Share of the total is for counts; per member for flows (a sum of flows is a flow); else as is."""
    if measure == "share":
        return kind in ("flow", "stock", "sum")
    if measure == "per_member":
        return kind in ("flow", "sum")
    return False


def measure_matrix(
    df: pd.DataFrame,
    label: str,
    units: Sequence[str],
    codes: Sequence[str],
    measure: str,
    dictionary: Dictionary,
) -> pd.DataFrame:
    """unit × indicator in the chosen measure: value; share (% of the compared units' total); per member.

    `df` is a compute() frame holding `codes` (and members_total for per_member) with its total rows.
    Indicators the measure does not apply to keep their values (rates stay rates).
    """
    if measure not in MEASURES:
        raise ValueError(f"未知的口径：{measure}")
    wide = _per_unit(df, label, units, codes)
    if measure == "value":
        return wide
    members = _per_unit(df, label, units, [MEMBERS])[MEMBERS]
    tot = df[(df["label"] == label) & df["unit_code"].isna()].set_index("indicator")["value"]
    for code in codes:
        if not measure_applies(dictionary[code].kind, measure):
            continue
        if measure == "share":
            total = tot.get(code)
            den = float(total) if total is not None and pd.notna(total) else 0.0
            wide[code] = wide[code] / den * 100.0 if den else float("nan")
        else:
            wide[code] = wide[code] / members.where(members > 0)
    return wide


def measure_unit(unit: str, kind: str, measure: str) -> str:
    """The unit a cell is shown in: '%' for shares, '件/人' per member, else the indicator's own.

    >>> measure_unit("件", "flow", "share"), measure_unit("件", "flow", "per_member"), measure_unit("%", "ratio", "share")
    ('%', '件/人', '%')
    """
    if not measure_applies(kind, measure):
        return unit
    return "%" if measure == "share" else f"{unit}/人"
