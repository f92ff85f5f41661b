"""Blocks the analysis pages share: the start of a domain page (filters, empty states), the 数据摘要 box."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics.aggregate import change, totals, value_of
from metrics.dictionary import Dictionary
from metrics.periods import Period, quarters_between
from metrics.summary import figures_from_frame, paragraph
from ui import data, filters
from ui.filters import Filters
from ui.i18n import lang, tr
from ui.kpi import delta_text, kpi_card, target_progress


def summary_text(frame: pd.DataFrame, period: Period, f: Filters, domain: str) -> str:
    """The paragraph for one domain from a compute() frame holding the period and a year earlier."""
    scope = tr("summary.scope_all") if f.all_units else "、".join(f.unit_names[c] for c in f.units)
    figures = figures_from_frame(frame, period.label, period.previous_year().label)
    return paragraph(scope, period.zh(), figures, [domain])


def summary_box(frame: pd.DataFrame, period: Period, f: Filters, domain: str) -> str:
    """数据摘要 in a bordered box: the text, a copy button (st.code has one), where it comes from."""
    text = summary_text(frame, period, f, domain)
    with st.container(border=True):
        st.subheader(tr("summary.title"), help=tr("summary.help"))
        if text:
            st.code(text, language=None, wrap_lines=True)
            st.caption(tr("summary.note"))
        else:
            st.info(tr("summary.empty"))
    return text


@dataclass(frozen=True)
class DomainView:
    """What a domain page works with once the sidebar is drawn and the period holds data."""

    f: Filters
    dic: Dictionary
    period: Period
    prev: Period
    prev_q: Period | None
    history: pd.DataFrame  # totals per quarter, every reported quarter
    current: pd.DataFrame  # the period, a year earlier and (quarter mode) the quarter before
    labels: list[str]  # quarter labels up to the end of the period

    def kpi_row(self, codes: tuple[str, ...], per_row: int, spark_quarters: int = 8) -> None:
        """KPI cards (同比, sparkline, units reporting, target progress), and 环比 in a caption in quarter mode."""
        period, current, f = self.period, self.current, self.f
        tot = totals(current)
        cells = [c for _ in range(0, len(codes), per_row) for c in st.columns(per_row)]
        for col, code in zip(cells, codes, strict=False):
            ind, cur = self.dic[code], value_of(current, period.label, code)
            spark = [
                x
                for x in (value_of(self.history, lab, code) for lab in self.labels[-spark_quarters:])
                if x is not None
            ]
            row = tot[(tot["label"] == period.label) & (tot["indicator"] == code)]
            yoy = change(cur, value_of(current, self.prev.label, code), ind)
            rep = (
                None if row.empty else tr("kpi.reporting", n=int(row["n_units"].iloc[0]), total=len(f.units))
            )
            with col:
                kpi_card(
                    ind, ind.label(lang()), cur, yoy, spark, rep, target_progress(ind, cur, period, f.units)
                )
        if self.prev_q is not None:
            parts = []
            for code in codes:
                ind = self.dic[code]
                ch = change(
                    value_of(current, period.label, code), value_of(current, self.prev_q.label, code), ind
                )
                parts.append(f"{ind.label(lang())} {delta_text(ind, ch)[0] or '—'}")
            st.caption(
                tr("activities.qoq", period=filters.period_text(self.prev_q), changes="；".join(parts))
            )


def domain_page(title_key: str, domain: str, codes: tuple[str, ...], url_keys: list[str]) -> DomainView:
    """Sidebar, title, badge; stops with a message when there is no data or the period is empty
    (naming the nearest period with data for this domain)."""
    dic = data.dictionary()
    quarters = data.reported_quarters()
    f = filters.sidebar(data.units(), quarters, data.reported_years())
    st.title(tr(title_key))
    filters.data_badge()
    if not quarters and not data.reported_years():
        st.info(tr("app.no_data"))
        st.stop()
    period, prev, prev_q = f.period, f.period.previous_year(), f.period.previous_quarter()
    st.caption(tr("activities.caption", units=filters.units_caption(f), period=filters.period_text(period)))
    end = (period.year, period.quarter or 4)
    all_q = quarters_between(quarters[0], quarters[-1]) if quarters else []
    history = data.compute_totals([Period(y, q, "quarter") for y, q in all_q], f.units, codes)
    current = data.compute([period, prev, *([prev_q] if prev_q else [])], f.units, codes)
    if totals(current[current["label"] == period.label])["value"].isna().all():
        have = sorted({(int(x[:4]), int(x[5])) for x in totals(history).dropna(subset=["value"])["label"]})
        if not have:
            st.info(tr("activities.domain_empty", domain=tr(f"domain.{domain}")))
            st.stop()
        y, q = ([h for h in have if h <= end] or have[:1])[-1]
        near = (
            Period(y, q, "quarter")
            if period.mode == "quarter"
            else Period(y, q, "ytd")
            if q < 4
            else Period(y)
        )
        st.warning(
            tr(
                "activities.period_empty",
                period=filters.period_text(period),
                nearest=filters.period_text(near),
            )
        )
        filters.sync_url(url_keys)
        st.stop()
    labels = [f"{y}Q{q}" for y, q in all_q if (y, q) <= end]
    return DomainView(f, dic, period, prev, prev_q, history, current, labels)
