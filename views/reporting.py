"""报送进度: what each unit has reported per quarter and domain, who is still missing, when each last reported."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from charts.reporting import cell_text, status_figure
from domain.dictionary import DOMAINS
from domain.periods import Period
from store import reporting
from ui import data, filters
from ui.i18n import tr
from ui.panel import chart_panel, show_table
from ui.text import plain

quarters = data.reported_quarters()
f = filters.sidebar(data.units(), quarters, data.reported_years())
st.title(tr("reporting.title"))
filters.data_badge()
if not quarters and not data.reported_years():
    st.info(tr("app.no_data"))
    st.stop()

year = f.period.year
units = sorted(f.units, key=f.unit_order.index)
st.caption(tr("reporting.caption", units=filters.units_caption(f), year=year))
filters.url_choice("domain", ["all", *DOMAINS], "all")
domain_key = st.selectbox(
    tr("reporting.domain"),
    ["all", *DOMAINS],
    key="domain",
    format_func=lambda d: tr("reporting.domain_all") if d == "all" else tr(f"domain.{d}"),
)
domain = None if domain_key == "all" else domain_key

store = data.get_store()
status = data.reporting_status(year, units)
in_year = [q for y, q in quarters if y == year]
current_q = f.period.quarter or (max(in_year) if in_year else 4)
latest = max(quarters) if quarters else (year, 4)

sel = status[status["domain"].isna()] if domain is None else status[status["domain"] == domain]
sel = sel.copy()
sel["column"] = [str(int(q)) if pd.notna(q) else "year" for q in sel["quarter"]]
sel["state"] = [
    "not_due" if pd.notna(q) and (year, int(q)) > latest else reporting.state(n, e)
    for q, n, e in zip(sel["quarter"], sel["n_reported"], sel["n_expected"], strict=True)
]
columns = ["1", "2", "3", "4"] + (["year"] if (sel["column"] == "year").any() else [])
col_names = [
    tr("reporting.whole_year") if c == "year" else tr("filters.quarter_n", n=int(c)) for c in columns
]
states = {s: tr(f"reporting.state_{s}") for s in ("full", "partial", "none", "not_due")}
names = [f.unit_names.get(u, u) for u in units]

st.subheader(tr("reporting.matrix_title"))
st.caption(tr("reporting.legend"))
fig = status_figure(sel, units, names, columns, col_names, states)
wide = {c: {} for c in columns}
for u, c, n, e, s in zip(
    sel["unit_code"], sel["column"], sel["n_reported"], sel["n_expected"], sel["state"], strict=True
):
    wide[c][u] = cell_text(int(n), int(e), s) or states[s]
table = pd.DataFrame({tr("reporting.col_unit"): names})
for c, label in zip(columns, col_names, strict=True):
    table[label] = [wide[c].get(u, "") for u in units]
domain_text = tr("reporting.domain_all") if domain is None else tr(f"domain.{domain}")
chart_panel(fig, table, "reporting_matrix", f"{tr('reporting.title')}_{year}_{domain_text}")

period_q = Period(year, current_q, "quarter")
ptext = filters.period_text(period_q)
st.subheader(tr("reporting.missing_title", period=ptext))
quarter_end = dt.date(year, 3 * current_q, 1) + dt.timedelta(days=31)
if dt.date.today() < quarter_end.replace(day=1):  # counties report after the quarter: nothing is late yet
    st.info(tr("reporting.not_ended", period=ptext), icon=":material/schedule:")
missing = [f.unit_names.get(u, u) for u in reporting.missing_units(status, current_q, domain)]
partial = [f.unit_names.get(u, u) for u in reporting.partial_units(status, current_q, domain)]
if missing:
    dom = "" if domain is None else tr("reporting.missing_domain", domain=tr(f"domain.{domain}"))
    sentence = tr("reporting.missing_sentence", period=ptext, domain=dom)
    st.markdown(sentence + "、".join(plain(m) for m in missing))
    st.code("\n".join([sentence, *missing]), language=None)
    st.caption(tr("reporting.missing_help"))
else:
    st.success(tr("reporting.all_reported", period=ptext))
if partial:
    st.caption(tr("reporting.partial", n=len(partial), names="、".join(plain(p) for p in partial)))

st.subheader(tr("reporting.last_title"))
last = reporting.last_reported(status).set_index("unit_code").reindex(units)
now_state = sel[sel["column"] == str(current_q)].set_index("unit_code")["state"]
show_table(
    pd.DataFrame(
        {
            tr("reporting.col_unit"): names,
            tr("reporting.col_last_time"): [
                t.strftime("%Y-%m-%d %H:%M") if pd.notna(t) else tr("reporting.never")
                for t in last["last_reported_at"]
            ],
            tr("reporting.col_last_quarter"): [
                filters.period_text(Period(int(y), int(q), "quarter")) if pd.notna(y) and pd.notna(q) else "—"
                for y, q in zip(last["last_year"], last["last_quarter"], strict=True)
            ],
            tr("reporting.col_current", period=ptext): [states.get(now_state.get(u, ""), "") for u in units],
        }
    ),
    hide_index=True,
    width="stretch",
    height=35 * (len(units) + 1) + 3,
)

filters.sync_url(["domain"])
