"""委员档案: the year's member records — KPI cards, the spread of 履职积分 by unit and by sector, activities
by type, attendance by unit; where the account may see members by name (admins, staff for their own
units, 领导 where the deployment allows) the 提醒谈话 list with audited downloads, 优秀委员候选 with their
scores' parts, and a member's 履职档案 (found by a search box) with each activity's source; for everyone
the county figures the log gives beside the reported ones, and the 履职积分 rule (admins edit it).

A run reads back what ui/data.py computed once per store version, year, units, unit and sector (a
province's 60,000 members are a few small tables by then)."""

from __future__ import annotations

import streamlit as st

from ui import auth, data, filters
from ui import member_records as mr
from ui import member_records_tables as mt
from ui.i18n import lang, tr
from ui.text import page_link, plain

who = auth.actor()
units_df = data.units()
names = dict(zip(units_df["code"], units_df["name"], strict=True))
scope = mr.scope(who)
codes = [c for c in units_df["code"] if scope.units is None or c in scope.units]

st.title(tr("member_records.title"))
filters.data_badge()


def empty() -> None:
    """No roster or no log (for these units): say where they are uploaded, and stop."""
    st.info(tr("member_records.empty"), icon=":material/badge:")
    if auth.allowed(who, "import"):
        page_link("views/upload.py", label=tr("member_records.upload_link"), icon=":material/upload_file:")
    filters.sync_url(mr.URL_KEYS)
    st.stop()


found_years = mr.years()
if not found_years or not codes:
    empty()
year, unit = mr.sidebar(found_years, codes, names, scope.units is not None)
present = data.member_scope(year, scope.units)
if not present.members:
    empty()
view = mr.View(year, unit, mr.sector_filter(present.sectors))
shown = mr.chosen(view, scope.units)

where = (
    plain(names.get(unit, unit))
    if unit
    else tr("member_records.own_units" if scope.units else "filters.units_all")
)
year_text = f"{year}年" if lang() == "zh" else str(year)
sector_text = f" · {plain(view.sector)}" if view.sector else ""
st.caption(tr("member_records.caption", units=where, year=year_text) + sector_text)
if not scope.named:  # 领导 without CPPCC_LEADERS_SEE_MEMBERS=1: aggregates only
    st.info(tr("member_records.aggregates_only"), icon=":material/visibility_off:")
if not shown.members:
    st.warning(tr("member_records.none_chosen"))
    filters.sync_url(mr.URL_KEYS)
    st.stop()

mr.kpi_row(shown)
mr.charts(shown, list(units_df["code"]), year)
points = mr.rule()
if scope.named:
    mt.private_style()
    mt.inactive_section(shown, view, who, scope.units)
    mt.candidates_section(shown, points)
    mt.record_section(view, scope.units, who, names)
mt.derived_section(year, [unit] if unit else codes, names)
mt.rule_section(points, scope.admin, who)

filters.sync_url(mr.URL_KEYS)
