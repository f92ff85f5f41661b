"""The 委员档案 page's parts: its reads, who sees what, the filters (kept in the URL), the KPI row and
the charts. The tables are in ui.member_records_tables.

Who sees what is decided once (`scope`, from services.members.visible_units): names, ids, lists,
records and downloads only where `Scope.named`; the charts and KPI cards are aggregates for everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from charts.member_records import activities_figure, attendance_figure, points_spread_figure
from domain.accounts import Actor
from domain.members import ActivityType, PointsRule, activity_types, sectors
from services import members
from ui import auth, data, filters
from ui.i18n import lang, tr
from ui.panel import chart_panel

ALL = "all"
CANDIDATES = 10  # 优秀委员候选: the top of the year by 履职积分
URL_KEYS = ("mr_year", "mr_unit", "mr_sector", "mr_dq")


# Reads: through ui/data.py's caches (until the store changes): what a page run shows is computed once per
# store version, year, units, unit and sector (data.member_view); a member's own record is read when picked.


def years() -> list[int]:
    """Years with logged activities, newest first."""
    return data.member_log_years()


def rule() -> PointsRule:
    return data.member_points_rule()


def types() -> dict[str, ActivityType]:
    """Activity types with the name in the page's language (PointsRule.describe writes `name`)."""
    found = activity_types()
    return {c: replace(t, name=t.name_en) for c, t in found.items()} if lang() == "en" else found


@dataclass(frozen=True)
class Scope:
    """What this actor sees: the units the page covers (None: all; staff: their own), whether names and
    records are shown, whether the points rule may be edited."""

    units: list[str] | None
    named: bool
    admin: bool


def scope(who: Actor | None) -> Scope:
    visible = members.visible_units(data.get_store(), who)
    own = list(who.units) if who is not None and who.role == "staff" else None
    return Scope(own, visible is None or bool(visible), auth.allowed(who, "member_points"))


@dataclass(frozen=True)
class View:
    year: int
    unit: str | None  # one unit, or None: every unit the scope covers
    sector: str | None


def sidebar(
    found_years: list[int], codes: list[str], names: dict[str, str], own: bool
) -> tuple[int, str | None]:
    """Year (newest by default) and unit (all, or one of `codes`) in the sidebar, seeded from the URL."""
    st.sidebar.header(tr("filters.header"))
    options = [str(y) for y in found_years]
    filters.url_choice("mr_year", options, options[0])
    year = st.sidebar.selectbox(
        tr("filters.year"), options, key="mr_year", format_func=lambda y: f"{y}年" if lang() == "zh" else y
    )
    all_label = tr("member_records.own_units" if own else "filters.units_all")
    filters.url_choice("mr_unit", [ALL, *codes], ALL)
    unit = st.sidebar.selectbox(
        tr("member_records.unit"),
        [ALL, *codes],
        key="mr_unit",
        format_func=lambda c: all_label if c == ALL else names.get(c, c),
    )
    return int(year), None if unit == ALL else unit


def sector_filter(present: tuple[str, ...]) -> str | None:
    """界别 (all, or one present in the year), in the order of data/sectors.csv; then 复制链接."""
    known = sectors()
    order = [s for s in known if s in present] + sorted(set(present) - set(known))
    filters.url_choice("mr_sector", [ALL, *order], ALL)
    sector = st.sidebar.selectbox(
        tr("member_records.sector"),
        [ALL, *order],
        key="mr_sector",
        format_func=lambda s: tr("member_records.all_sectors") if s == ALL else s,
    )
    with st.sidebar:
        filters.copy_link_button()
    st.sidebar.caption(tr("filters.copy_link"))
    return None if sector == ALL else sector


def chosen(view: View, units: list[str] | None) -> data.MemberView:
    """What the page shows for the view (the units the scope covers, one of them or all, a sector)."""
    return data.member_view(view.year, units, view.unit, view.sector, CANDIDATES)


def _num(value: float | None, unit: str) -> str:
    """A card's value: with its unit in Chinese (35 人), bare in English (the label says what it counts)."""
    if value is None:
        return tr("kpi.missing")
    shown = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return f"{shown}{'' if unit == '%' else ' '}{unit}" if lang() == "zh" or unit == "%" else shown


def attendance(v: data.MemberView) -> tuple[int, int]:
    """(attended, expected): expected = attended + on leave + absent."""
    return v.attended, v.attended + v.on_leave + v.absent


def kpi_row(v: data.MemberView) -> None:
    att, expected = attendance(v)
    cards = [
        ("kpi_serving", float(v.members), "人"),
        ("kpi_active", float(v.active), "人"),
        ("kpi_inactive", float(v.members - v.active), "人"),
        ("kpi_points", round(v.points_mean, 1) if v.points_mean is not None else None, "分"),
        ("kpi_attendance", round(att / expected * 100, 1) if expected else None, "%"),
    ]
    # three to a row: five in one row cut their labels to 在任… at 1024 px (a projector) beside the sidebar
    for row in (cards[:3], cards[3:]):
        for col, (key, value, unit) in zip(st.columns(3), row, strict=False):
            col.metric(
                tr(f"member_records.{key}"),
                _num(value, unit),
                border=True,
                help=tr(f"member_records.{key}_help"),
            )


def _spread_table(stats: pd.DataFrame, head: str, order: list[str]) -> pd.DataFrame:
    keys = ("n", "min", "med", "mean", "max")
    table = stats.loc[[o for o in order if o in stats.index], list(keys)]
    cols = {k: tr(f"member_records.col_{k}") for k in keys}
    return table.rename(columns=cols).rename_axis(head).reset_index().round(1)


def charts(v: data.MemberView, unit_order: list[str], year: int) -> None:
    """履职积分 by unit and by sector (boxes), activities by type, attendance by unit."""
    axis, suffix = tr("member_records.points_axis"), tr("member_records.points_suffix")
    code_names = v.unit_names
    codes = [c for c in unit_order if c in code_names] + sorted(set(code_names) - set(unit_order))
    units = list(dict.fromkeys(code_names[c] for c in codes))
    no_sector = tr("member_records.no_sector")
    by_sector = v.by_sector.rename(index={"": no_sector})
    present = set(by_sector.index)
    sector_order = [s for s in sectors() if s in present]
    sector_order += sorted(present - set(sector_order))
    stem = f"{year}"
    left, right = st.columns(2, gap="large")
    with left:
        title = tr("member_records.by_unit_title")
        st.subheader(title)
        table = _spread_table(v.by_unit, tr("member_records.col_unit"), units)
        chart_panel(
            points_spread_figure(v.by_unit, units, axis, suffix), table, "mr_points_unit", f"{title}_{stem}"
        )
    with right:
        title = tr("member_records.by_sector_title")
        st.subheader(title)
        table = _spread_table(by_sector, tr("member_records.col_sector"), sector_order)
        fig = points_spread_figure(by_sector, sector_order, axis, suffix)
        chart_panel(fig, table, "mr_points_sector", f"{title}_{stem}")
    left, right = st.columns(2, gap="large")
    with left:
        title = tr("member_records.by_type_title")
        st.subheader(title)
        totals = v.by_type
        named = types()
        found = [c for c in dict.fromkeys([*named, *totals]) if totals.get(c)]
        counts = pd.DataFrame(
            {"name": [named[c].name if c in named else c for c in found], "count": [totals[c] for c in found]}
        )
        if counts.empty:
            st.info(tr("member_records.by_type_empty"))
        else:
            lg = lang()
            fig = activities_figure(counts, tr("member_records.col_count"), "次", lg)
            table = counts.set_axis(
                [tr("member_records.col_activity"), tr("member_records.count_axis")], axis=1
            )
            chart_panel(fig, table, "mr_types", f"{title}_{stem}")
    with right:
        title = tr("member_records.attendance_title")
        st.subheader(title, help=tr("member_records.kpi_attendance_help"))
        _attendance_chart(v, units, f"{title}_{stem}")


def _attendance_chart(v: data.MemberView, units: list[str], stem: str) -> None:
    g = v.attendance.reindex(units).fillna(0)
    g["expected"] = g["attended"] + g["on_leave"] + g["absent"]
    g = g[g["expected"] > 0]
    if g.empty:
        st.info(tr("member_records.attendance_empty"))
        return
    g["rate"] = g["attended"] / g["expected"] * 100
    rows = g.rename_axis("unit_name").reset_index()
    rows["detail"] = [
        tr(
            "member_records.attendance_detail",
            attended=int(a),
            expected=int(e),
            leave=int(lv),
            absent=int(ab),
        )
        for a, e, lv, ab in zip(
            rows["attended"], rows["expected"], rows["on_leave"], rows["absent"], strict=True
        )
    ]
    att, expected = attendance(v)
    total = att / expected * 100
    label = tr("member_records.attendance_total", value=f"{total:.1f}%")
    lg = lang()
    fig = attendance_figure(rows, tr("member_records.kpi_attendance"), total, label, lg)
    table = pd.DataFrame({
        tr("member_records.col_unit"): rows["unit_name"],
        tr("member_records.attendance_axis"): rows["rate"].round(1),
        tr("member_records.col_attended"): rows["attended"].astype(int),
        tr("member_records.col_leave"): rows["on_leave"].astype(int),
        tr("member_records.col_absent"): rows["absent"].astype(int),
    })  # fmt: skip
    chart_panel(fig, table, "mr_attendance", stem)
