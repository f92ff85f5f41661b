"""Blocks the analysis pages share: the start of a domain page (filters, empty states, the nearest period
with data), its KPI row, the funnel and rates by unit of 提案工作 and 社情民意, the 数据摘要 box."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from charts.format import fmt_number, unit_label
from charts.funnels import funnel_figure
from charts.overview import ranking_figure
from charts.theme import unit_colors
from domain.decks import SlideSpec
from domain.dictionary import Dictionary
from domain.periods import Period, nearest_with_data, quarters_between
from metrics.aggregate import change, totals, value_of
from metrics.comparison import YoY, comparable, like_for_like
from metrics.summary import figures_from_frame, paragraph, paragraph_en
from ui import data, filters
from ui.filters import Filters
from ui.i18n import lang, tr
from ui.kpi import delta_text, kpi_card, target_progress
from ui.panel import chart_panel, kpi_deck_button
from ui.text import plain


def previous_for(period: Period) -> Period:
    """The period 同比 compares with: the same quarters a year earlier (metrics.comparison)."""
    return comparable(period, data.reported_quarters()).previous


def yoy_for(frame: pd.DataFrame, period: Period, f: Filters, codes: Sequence[str]) -> dict[str, YoY]:
    """同比 like with like for these codes: the same quarters, the units reporting in both periods.

    `frame` holds the period and previous_for(period); where the units differ, the totals over the
    common units come from one more cached compute per distinct set of units.
    """
    prev = previous_for(period)
    return like_for_like(
        frame, period.label, prev, codes, lambda units, group: data.compute([period, prev], units, group)
    )


def yoy_note(y: YoY) -> str | None:
    """'按两年均有数据的 4 个单位比较' when the 同比 leaves units out."""
    return tr("kpi.yoy_common", n=y.units) if y.subset and y.units else None


def summary_text(frame: pd.DataFrame, period: Period, f: Filters, domain: str) -> str:
    """The paragraph for one domain from a compute() frame holding the period and the one compared with."""
    sep = "、" if lang() == "zh" else ", "
    scope = tr("summary.scope_all") if f.all_units else sep.join(f.unit_names[c] for c in f.units)
    prev = previous_for(period)
    figures = figures_from_frame(frame, period.label, prev.label)
    yoy = yoy_for(frame, period, f, list(figures))
    figures = {c: replace(fig, previous=yoy[c].previous, base=yoy[c].current) for c, fig in figures.items()}
    if lang() == "en":
        text = paragraph_en(scope, filters.period_text(period), figures, data.dictionary(), [domain])
    else:
        text = paragraph(scope, filters.period_text(period), figures, [domain])
    if text and any(y.subset and y.units for y in yoy.values()):
        text += tr("summary.common_units")
    return text


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

    def name(self, code: str) -> str:
        return self.dic[code].label(lang())

    def kpi_row(self, codes: tuple[str, ...], per_row: int, spark_quarters: int = 8) -> None:
        """KPI cards (同比, sparkline, units reporting, target progress), and 环比 in a caption in quarter mode."""
        period, current, f = self.period, self.current, self.f
        tot = totals(current)
        yoys = yoy_for(current, period, f, codes)
        cells = [c for _ in range(0, len(codes), per_row) for c in st.columns(per_row)]
        for col, code in zip(cells, codes, strict=False):
            ind, cur = self.dic[code], value_of(current, period.label, code)
            spark = [
                x
                for x in (value_of(self.history, lab, code) for lab in self.labels[-spark_quarters:])
                if x is not None
            ]
            row = tot[(tot["label"] == period.label) & (tot["indicator"] == code)]
            y = yoys[code]
            rep = (
                None if row.empty else tr("kpi.reporting", n=int(row["n_units"].iloc[0]), total=len(f.units))
            )
            with col:
                kpi_card(
                    ind,
                    ind.label(lang()),
                    cur,
                    change(y.current, y.previous, ind),
                    spark,
                    rep,
                    target_progress(ind, cur, period, f.units),
                    yoy_note(y),
                    bool(not row.empty and row["approximate"].fillna(False).iloc[0]),
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
        kpi_deck_button(codes, f"kpis_{'_'.join(codes)[:40]}")

    def funnel(self, prefix: str, stages: Sequence[tuple[str, str, str | None]], key: str) -> None:
        """A funnel (提交 → 立案 → …) under the subheader `{prefix}.funnel_title` (help `{prefix}.funnel_help`):
        per (stage, count code, rate code or None) the label `{prefix}.stage_{stage}`, the count and the
        rate of the step into it; stages nobody reported are named in a caption, never drawn as zero."""
        label, title = self.period.label, tr(f"{prefix}.funnel_title")
        st.subheader(title, help=tr(f"{prefix}.funnel_help"))
        frame = pd.DataFrame(
            {
                "stage": [tr(f"{prefix}.stage_{s}") for s, _, _ in stages],
                "value": [value_of(self.current, label, c) for _, c, _ in stages],
                "rate_label": [self.name(r) if r else "" for _, _, r in stages],
                "rate": [value_of(self.current, label, r) if r else None for _, _, r in stages],
            }
        )
        heads = [tr(f"flows.col_{c}") for c in ("stage", "count", "rate_name", "rate")]
        stem = f"{title}_{filters.period_text(self.period)}"
        unit = unit_label(self.dic[stages[0][1]].unit, lang())  # the first stage's unit (件, 篇) for all
        chart_panel(
            funnel_figure(frame, unit, lang()),
            frame.set_axis(heads, axis=1),
            key,
            stem,
            slide=SlideSpec("funnel", {"domain": prefix}),
        )
        missing = list(frame.loc[frame["value"].isna(), "stage"])
        if missing:
            st.caption(tr("flows.funnel_missing", stages="、".join(missing)))

    def unit_rates(self, code: str, key: str) -> None:
        """A rate by unit, highest first, with the total as a line; each bar's hover shows numerator ÷
        denominator, and a rate a unit reported without its parts is marked (it is in no total)."""
        f, period, cur, ind, rate = self.f, self.period, self.current, self.dic[code], self.name(code)
        rows = cur[(cur["label"] == period.label) & (cur["indicator"] == code) & cur["unit_code"].notna()]
        if rows.empty:
            st.info(tr("flows.units_empty", period=filters.period_text(period), indicator=plain(rate)))
            return
        rows = rows.assign(unit_name=rows["unit_code"].map(f.unit_names))
        num_name, den_name = self.name(ind.numerator or code), self.name(ind.denominator or code)
        parts = zip(rows["reported"], rows["numerator"], rows["denominator"], strict=True)
        rows["detail"] = [
            tr("flows.reported") if rep else tr("flows.detail", num_name=num_name,
            num=fmt_number(n, lang=lang()), den_name=den_name, den=fmt_number(d, lang=lang()))
            for rep, n, d in parts
        ]  # fmt: skip
        city = value_of(cur, period.label, code)
        line = tr("flows.city_line" if f.all_units else "flows.subset_line", value=fmt_number(city, "%"))
        fig = ranking_figure(rows, "%", unit_colors(f.unit_order), city, line, lang())
        table = pd.DataFrame(
            {
                tr("filters.units"): rows["unit_name"],
                rate: rows["value"],
                num_name: rows["numerator"],
                den_name: rows["denominator"],
                tr("flows.col_basis"): [tr("flows.reported") if r else "" for r in rows["reported"]],
            }
        ).sort_values(rate, ascending=False)
        chart_panel(
            fig,
            table,
            key,
            f"{rate}_{filters.period_text(period)}",
            clickable_units=True,
            slide=SlideSpec("ranking", {"code": code}),
        )


def domain_page(
    title_key: str,
    domain: str,
    codes: tuple[str, ...] = (),
    url_keys: Sequence[str] = (),
    period_empty: str = "activities.period_empty",
) -> DomainView:
    """Sidebar, title, badge; stops with a message when there is no data or the period is empty, naming
    the nearest period with data for this domain (`nearest_with_data`; the message `period_empty` with
    {period} and {nearest}). `codes` are the indicators computed, by default every one of the domain."""
    dic = data.dictionary()
    codes = codes or tuple(i.code for i in dic.by_domain(domain))
    quarters = data.reported_quarters()
    f = filters.sidebar(data.units(), quarters, data.reported_years())
    st.title(tr(title_key))
    filters.data_badge()
    if not quarters and not data.reported_years():
        st.info(tr("app.no_data"))
        st.stop()
    period, prev, prev_q = f.period, previous_for(f.period), f.period.previous_quarter()
    st.caption(tr("activities.caption", units=filters.units_caption(f), period=filters.period_text(period)))
    end = (period.year, period.quarter or 4)
    all_q = quarters_between(quarters[0], quarters[-1]) if quarters else []
    history = data.compute_totals([Period(y, q, "quarter") for y, q in all_q], f.units, codes)
    current = data.compute([period, prev, *([prev_q] if prev_q else [])], f.units, codes)
    if totals(current[current["label"] == period.label])["value"].isna().all():
        have = {(int(x[:4]), int(x[5])) for x in totals(history).dropna(subset=["value"])["label"]}
        near = nearest_with_data(period, have)
        if near is None:
            st.info(tr("activities.domain_empty", domain=tr(f"domain.{domain}")))
        else:
            st.warning(
                tr(
                    period_empty,
                    period=filters.period_text(period),
                    nearest=filters.period_text(near),
                    domain=tr(f"domain.{domain}"),
                )
            )
        filters.sync_url(url_keys)
        st.stop()
    labels = [f"{y}Q{q}" for y, q in all_q if (y, q) <= end]
    return DomainView(f, dic, period, prev, prev_q, history, current, labels)
