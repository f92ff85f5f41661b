"""Blocks of the activity pages (协商议政, 调研视察与民主监督, 委员履职): a domain's indicators by quarter, each
chart with its data table, and the units ranked for one indicator chosen in a select box."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from charts.activities import quarter_table
from charts.format import fmt_number, unit_label, with_unit
from charts.overview import ranking_figure
from charts.theme import unit_colors
from domain.decks import SlideSpec
from metrics.aggregate import value_of
from ui import filters
from ui.i18n import lang, tr
from ui.panel import approx_column, chart_panel
from ui.sections import DomainView
from ui.text import plain


@dataclass(frozen=True)
class Quarters:
    """The last quarters of a domain page (a row per quarter, a column per indicator) and its panels."""

    view: DomainView
    wide: pd.DataFrame

    def table(self, codes: Sequence[str]) -> pd.DataFrame:
        """The data view of a chart: the quarter, and each indicator with its unit in the header."""
        dic = self.view.dic
        cols = {
            "label": tr("chart.quarter_axis"),
            **{c: with_unit(self.view.name(c), dic[c].unit, lang()) for c in codes},
        }
        return self.wide[list(cols)].rename(columns=cols)

    def panel(
        self, title: str | None, codes: Sequence[str], fig: go.Figure, key: str, stacked: Sequence[str] = ()
    ) -> None:
        """A chart of these quarters under its subheader; a note instead when none of them has a value.
        `stacked`: the codes the chart stacks (a slide of it stacks them, without the total drawn over)."""
        if title:
            st.subheader(title)
        if self.wide[list(codes)].isna().all().all():
            st.info(tr("activities.trend_empty"))
            return
        stem = f"{title or self.view.name(codes[0])}_{filters.period_text(self.view.period)}"
        label = title or self.view.name(codes[0])
        params = {"codes": list(stacked or codes), "stacked": bool(stacked), "label": label}
        chart_panel(fig, self.table(codes), key, stem, slide=SlideSpec("quarters", params))


def quarters(view: DomainView, codes: Sequence[str], n: int) -> Quarters:
    """The last `n` quarters up to the end of the view's period, for `codes`."""
    return Quarters(view, quarter_table(view.history, view.labels[-n:], codes))


def unit_ranking(view: DomainView, codes: Sequence[str], key: str, default: str) -> None:
    """Units ranked for the indicator chosen in a select box (kept in the URL under `key`); a ratio gets
    the total as a line across the bars, a count its total in the caption; a click on a bar filters."""
    f, period, current, dic = view.f, view.period, view.current, view.dic
    st.subheader(tr("activities.ranking_title"))
    filters.url_choice(key, codes, default)
    code = st.selectbox(tr("activities.ranking_indicator"), codes, key=key, format_func=view.name)
    sel = current[(current["label"] == period.label) & (current["indicator"] == code)]
    per_unit = sel[sel["unit_code"].notna()].assign(unit_name=lambda d: d["unit_code"].map(f.unit_names))
    name, unit = view.name(code), unit_label(dic[code].unit, lang())
    if per_unit.empty:
        st.info(tr("activities.ranking_empty", period=filters.period_text(period), indicator=plain(name)))
        return
    total = value_of(current, period.label, code)
    shown = fmt_number(total, unit, lang())
    whole = (
        "flows.city_line" if f.all_units else "flows.subset_line"
    )  # 全市 9.9 / 合计 9.9 (the units chosen)
    line = tr(whole, value=shown) if dic[code].kind == "ratio" and total is not None else ""
    fig = ranking_figure(per_unit, unit, unit_colors(f.unit_order), total if line else None, line, lang())
    table = pd.DataFrame({tr("filters.units"): per_unit["unit_name"], name: per_unit["value"]})
    table = approx_column(table, per_unit["approximate"])
    stem = f"{name}_{filters.period_text(period)}"
    chart_panel(
        fig,
        table.sort_values(name, ascending=False),
        f"{key}_chart",
        stem,
        True,
        slide=SlideSpec("ranking", {"code": code}),
    )
    total_text = tr("activities.ranking_total", value=f"{shown} {unit}".rstrip())
    st.caption(tr("activities.ranking_hint") if line or total is None else total_text)
