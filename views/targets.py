"""目标任务: annual targets per unit and indicator, edited in a grid or imported from a sheet."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from charts.format import with_unit
from domain.dictionary import DOMAINS
from services.setup import import_targets, save_targets
from ui import auth, data, filters, operator
from ui.i18n import lang, tr
from ui.import_view import issues_table
from ui.panel import show_table
from ui.text import plain

st.title(tr("targets.title"))
user = operator.sidebar_input()
filters.data_badge()
st.caption(tr("targets.intro"))
store = data.get_store()
dic = data.dictionary()
units_df = data.units()
names = dict(zip(units_df["code"], units_df["name"], strict=True))

this_year = dt.date.today().year
years = sorted(set(data.reported_years()) | {this_year, this_year + 1}, reverse=True)
left, right = st.columns(2)
year = left.selectbox(
    tr("targets.year"),
    years,
    index=years.index(this_year),
    key="target_year",
    format_func=lambda y: f"{y}年" if lang() == "zh" else str(y),
)
domain = right.selectbox(
    tr("targets.domain"), DOMAINS, key="target_domain", format_func=lambda d: tr(f"domain.{d}")
)
inds = [i for i in dic.by_domain(domain) if i.importable]

current = data.targets(int(year), list(units_df["code"]), [i.code for i in inds])
grid = pd.DataFrame({"unit": [names[c] for c in units_df["code"]]}, index=list(units_df["code"]))
for ind in inds:
    rows = current[current["indicator"] == ind.code]
    grid[ind.code] = grid.index.map(dict(zip(rows["unit_code"], rows["value"], strict=True))).astype(float)
config = {"unit": st.column_config.TextColumn(tr("targets.unit"), disabled=True)}
for ind in inds:
    config[ind.code] = st.column_config.NumberColumn(
        with_unit(ind.label(lang()), ind.unit, lang()),
        min_value=0.0,
        max_value=100.0 if ind.unit == "%" else None,
        step=0.1 if ind.kind == "ratio" else 1.0,
        help=plain(ind.description),
    )
edited = st.data_editor(
    grid,
    column_config=config,
    hide_index=True,
    width="stretch",
    key=f"grid_{year}_{domain}",
    placeholder=tr("targets.unset"),
)

if not user:
    operator.missing_note()
if st.button(
    tr("targets.save"), type="primary", icon=":material/save:", key="target_save", disabled=not user
):
    changed, cleared = [], []
    for code in grid.index:
        for ind in inds:
            old, new = grid.at[code, ind.code], edited.at[code, ind.code]
            if pd.isna(new) and not pd.isna(old):
                cleared.append((code, ind.code))
            elif not pd.isna(new) and (pd.isna(old) or float(old) != float(new)):
                changed.append((code, ind.code, float(new)))
    if save_targets(store, int(year), changed, cleared, user=user, actor=auth.actor()) is None:
        st.info(tr("targets.nothing"), icon=":material/info:")
    else:
        data.clear_caches()
        st.success(tr("targets.saved", n=len(changed), m=len(cleared)), icon=":material/task_alt:")

with st.expander(tr("targets.import_title")):
    st.caption(tr("targets.import_help", year=year))
    upload = st.file_uploader(tr("targets.file"), type=["xlsx", "xlsm", "xls", "csv"], key="target_file")
    if upload is not None and st.button(
        tr("targets.import_button", year=year), key="target_import", disabled=not user
    ):
        result = import_targets(
            store, upload.name, upload.getvalue(), int(year), user=user, actor=auth.actor()
        )
        if result.status == "imported":
            data.clear_caches()
            st.success(tr("targets.imported", n=result.count, batch=result.batch_id))
        elif result.status == "duplicate":
            st.info(tr("targets.duplicate", batch=result.batch_id), icon=":material/content_copy:")
        else:
            st.error(tr("targets.rejected", n=len(result.errors)))
            show_table(issues_table(result.errors), hide_index=True, width="stretch")
