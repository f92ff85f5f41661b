"""KPI cards: the period's value, its 同比 change (relative for counts, 百分点 for rates), a sparkline."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from charts.format import fmt_number, fmt_pct, fmt_pp, unit_label
from domain.dictionary import Indicator
from domain.periods import Period
from metrics.aggregate import Change
from metrics.targets import Progress, combined_target, progress
from ui import data
from ui.i18n import lang, tr
from ui.text import plain


def delta_text(ind: Indicator, ch: Change) -> tuple[str | None, str, str]:
    """(delta for st.metric, its description, arrow); the sign follows the figure as shown (-0.04 -> 0.0)."""
    if not ch.known or ch.delta is None:
        return None, tr("kpi.yoy_none"), "off"
    if ind.kind == "ratio" and ind.unit == "%":
        shown = f"{fmt_pp(ch.delta)}{tr('kpi.pp_unit')}"
        amount = round(ch.delta, 1)
    elif ch.pct is None:  # previous value 0: no relative change, show the difference
        shown = fmt_number(abs(ch.delta), ind.unit, lang())
        amount = ch.delta
    else:
        shown = fmt_pct(ch.pct)
        amount = round(ch.pct, 1)
    if amount == 0:
        return shown.replace("-", ""), tr("kpi.yoy_flat_short"), "off"
    return f"{'+' if amount > 0 else '-'}{shown}", tr("kpi.yoy"), "auto"


def progress_text(ind: Indicator, p: Progress) -> str:
    """'目标 400 件，已完成 62.5%（时间进度 75%），落后于进度' — colour-coded for the card."""
    unit = unit_label(ind.unit, lang())
    target = fmt_number(p.target, ind.unit, lang()) + ("" if ind.unit == "%" or not unit else f" {unit}")
    if ind.kind == "flow":
        text = tr(
            "kpi.target_flow",
            target=target,
            share=f"{p.share * 100:.1f}%",
            expected=f"{p.expected * 100:.0f}%",
        )
    else:
        text = tr("kpi.target_level", target=target)
    verdict = tr("kpi.behind") if p.behind else tr("kpi.on_track")
    return f"{text}，:{'red' if p.behind else 'green'}[{verdict}]"


def kpi_card(
    ind: Indicator,
    name: str,
    value: float | None,
    yoy: Change,
    spark: Sequence[float] | None,
    reporting: str | None = None,
    target: Progress | None = None,
    yoy_note: str | None = None,
    approximate: bool = False,
) -> None:
    """One st.metric with border; the help text gives the definition and how many units reported.

    `yoy_note` says what the 同比 compares when it leaves units out (按两年均有数据的 4 个单位比较)."""
    delta, desc, arrow = delta_text(ind, yoy)
    if yoy_note and delta is not None:
        desc = yoy_note
    help_text = plain(ind.description) + (f"\n\n{reporting}" if reporting else "")
    if (unit := unit_label(ind.unit, lang())) and unit != "%":
        help_text += "\n\n" + tr("kpi.unit", unit=unit)
    shown = fmt_number(value, ind.unit, lang())
    if approximate and value is not None:  # 1,600余: a figure written 500余 is in it (as the reports write)
        shown += "余" if lang() == "zh" else "+"
        help_text += "\n\n" + tr("kpi.approximate")
    if value is not None and ind.unit != "%" and lang() == "zh":  # English unit words do not fit a card:
        shown = f"{shown} {ind.unit}"  # the label says what is counted, the help gives the unit
    st.metric(
        plain(name),
        shown if value is not None else tr("kpi.missing"),
        delta=delta,
        delta_description=desc,
        delta_arrow=arrow,
        delta_color="off" if arrow == "off" else ind.delta_color,  # 撤销委员资格 up is red, not green
        border=True,
        help=help_text,
        chart_data=list(spark) if spark and len(spark) > 1 else None,
        chart_type="bar" if ind.kind != "ratio" else "line",
    )
    if target is not None:
        st.progress(min(max(target.share, 0.0), 1.0))
        st.caption(progress_text(ind, target))


def target_progress(
    ind: Indicator, value: float | None, period: Period, unit_codes: Sequence[str]
) -> Progress | None:
    """Progress of a KPI against the annual targets of the selected units, if they were set (目标任务)."""
    goals = data.targets(period.year, unit_codes)  # all codes: one cache entry shared by every card
    return progress(value, combined_target(goals, ind.code, ind.kind, list(unit_codes)), ind.kind, period)
