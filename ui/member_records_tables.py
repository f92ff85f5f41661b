"""The 委员档案 page's tables: the 提醒谈话 list with its audited downloads, 优秀委员候选, a member's
履职档案, the county figures the activity log gives, the 履职积分 rule and its editor.

The first three hold personal data: the page draws them only where ui.member_records.Scope.named, in
containers whose table toolbar is hidden (its own CSV download would leave no audit row), and every
download of them is written to the audit log before the file is handed over.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from charts.format import unit_label
from domain.accounts import Actor
from domain.members import ActivityType, PointsRule, activity_types, sectors
from exports.tables import to_csv_bytes, to_xlsx_bytes
from services import members
from store.connection import Store
from ui import auth, data, filters
from ui.i18n import lang, tr
from ui.member_records import ALL, View, types
from ui.panel import show_table
from ui.text import plain

SEARCH = 50  # 履职档案: the members found by a search, listed to pick from
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PRIVATE = "mr_private"  # containers of personal tables: their toolbar (search, CSV download) is hidden
_CSS = f'<style>[class*="st-key-{PRIVATE}"] [data-testid="stElementToolbar"] {{ display: none; }}</style>'


def _day(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return pd.Timestamp(value).date().isoformat()  # type: ignore[arg-type]


def audited(
    store: Store, who: Actor | None, what: str, detail: dict, address: str | None, make: Callable[[], bytes]
) -> Callable[[], bytes]:
    """A download's file of personal data: made when the browser asks for it (the click), and handed over
    only once the export is in the audit log. The button takes it with on_click="ignore": no re-run,
    so the file is never withdrawn while it is fetched (ui.panel's DEFERRED)."""

    def file() -> bytes:
        members.audit_export(store, who, what, detail, address)
        return make()

    return file


def private_style() -> None:
    st.html(_CSS)


def inactive_section(v: data.MemberView, view: View, who: Actor | None, covered: list[str] | None) -> None:
    """提醒谈话名单: members serving with no activity in the year, their last one (or 从无记录)."""
    st.subheader(tr("member_records.inactive_title"), help=tr("member_records.inactive_help"))
    rows = v.inactive
    if rows.empty:
        st.success(tr("member_records.inactive_none"), icon=":material/task_alt:")
        return
    never = tr("member_records.never")
    table = pd.DataFrame({
        tr("member_records.col_unit"): rows["unit_name"], tr("member_records.col_id"): rows["member_id"],
        tr("member_records.col_name"): rows["name"], tr("member_records.col_sector"): rows["sector"],
        tr("member_records.col_start"): rows["start_date"], tr("member_records.col_end"): rows["end_date"],
        tr("member_records.col_last"): rows["last_activity"].where(rows["last_activity"] != "", never),
    })  # fmt: skip
    st.caption(tr("member_records.inactive_count", n=len(table)))
    with st.container(key=f"{PRIVATE}_inactive"):
        show_table(table, width="stretch")
    units: Any = [view.unit] if view.unit else (covered or "all")
    detail = {"year": view.year, "units": units, "sector": view.sector or "all", "members": len(table)}
    stem = f"{tr('member_records.inactive_file')}_{view.year}"
    row = st.container(horizontal=True)
    sheet = tr("member_records.inactive_title")
    files: tuple[tuple[str, Callable[[], bytes], str, str], ...] = (
        ("xlsx", lambda: to_xlsx_bytes(table, sheet=sheet), XLSX, ":material/table_view:"),
        ("csv", lambda: to_csv_bytes(table), "text/csv", ":material/download:"),
    )
    store, address = data.get_store(), auth.address()
    for fmt, make, mime, icon in files:
        row.download_button(
            tr(f"member_records.download_{fmt}"),
            audited(store, who, "inactive", {**detail, "format": fmt}, address, make),
            file_name=f"{stem}.{fmt}",
            mime=mime,
            key=f"mr_inactive_{fmt}",
            icon=icon,
            on_click="ignore",
            help=tr("member_records.download_help"),
        )


def _breakdown(
    counts: dict[str, int], sector: str | None, points: PointsRule, named: dict[str, ActivityType]
) -> str:
    parts = []
    for code in dict.fromkeys([*named, *counts]):
        n = counts.get(code)
        if not n:
            continue
        w = points.weight(code, sector)
        parts.append(tr("member_records.breakdown_item", name=named[code].name if code in named else code,
                        n=n, w=f"{w:g}", points=f"{n * w:g}"))  # fmt: skip
    return ("；" if lang() == "zh" else "; ").join(parts)


def candidates_section(v: data.MemberView, points: PointsRule) -> None:
    """优秀委员候选: the year's top members by 履职积分, each score with its parts and its sector's rule."""
    st.subheader(tr("member_records.candidates_title"), help=tr("member_records.candidates_help"))
    top = v.candidates
    if top.empty:
        st.info(tr("member_records.candidates_empty"))
        return
    named = types()
    table = pd.DataFrame({
        tr("member_records.col_rank"): range(1, len(top) + 1), tr("member_records.col_name"): top["name"],
        tr("member_records.col_id"): top["member_id"], tr("member_records.col_unit"): top["unit_name"],
        tr("member_records.col_sector"): top["sector"], tr("member_records.col_points"): top["points"].round(1),
        tr("member_records.col_breakdown"): [_breakdown(v.counts.get(m, {}), s, points, named) for m, s in zip(top["member_id"], top["sector"], strict=True)],
        tr("member_records.col_rule"): [points.describe(named, s) for s in top["sector"]],
    })  # fmt: skip
    wide = st.column_config.TextColumn(width="large")
    with st.container(key=f"{PRIVATE}_candidates"):
        show_table(table, width="stretch", column_config={table.columns[-2]: wide, table.columns[-1]: wide})


FIELDS = ("member_id", "name", "gender", "sector", "unit_name", "term", "standing", "start_date", "end_date")
ROSTER_FIELDS = {*FIELDS, "unit_code", "birth", "party", "end_reason", "station"}  # each has a field_ message


def _value(field: str, value: object) -> str:
    if field == "standing":
        return tr("member_records.yes") if value else tr("member_records.no")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)


def record_section(view: View, covered: list[str] | None, who: Actor | None, names: dict[str, str]) -> None:
    """履职档案: a member found by name, number or unit (the first SEARCH of those matching listed to pick
    from) → the roster record, its versions, every activity."""
    st.subheader(tr("member_records.record_title"), help=tr("member_records.record_help"))
    text = st.text_input(
        tr("member_records.record_search"),
        key="mr_member_q",
        placeholder=tr("member_records.record_placeholder"),
    )
    if not text.strip():
        return
    found, total = data.member_search(view.year, covered, view.unit, view.sector, text, SEARCH)
    if found.empty:
        st.info(tr("member_records.record_none", text=plain(text.strip())))
        return
    if total > len(found):
        st.caption(tr("member_records.record_more", n=len(found), total=f"{total:,}"))
    label = "{name} ({id}) · {unit}" if lang() == "en" else "{name}（{id}）· {unit}"
    labels = {
        m: label.format(name=n, id=m, unit=u)
        for m, n, u in zip(found["member_id"], found["name"], found["unit_name"], strict=True)
    }
    pick = st.selectbox(tr("member_records.record_pick"), list(labels), index=0 if len(labels) == 1 else None,
                        key="mr_member", format_func=lambda m: labels[m],
                        placeholder=tr("member_records.record_choose"))  # fmt: skip
    if pick is None:
        return
    info, acts, history = members.member_file(data.get_store(), pick, actor=who)
    if info is None:
        st.warning(tr("member_records.record_missing"))
        return
    fields = pd.DataFrame({
        tr("member_records.col_field"): [tr(f"member_records.field_{f}") for f in FIELDS],
        tr("member_records.col_value"): [_value(f, info.get(f)) for f in FIELDS],
    })  # fmt: skip
    versions = pd.DataFrame({
        tr("member_records.col_imported"): [f"{h['created_at']:%Y-%m-%d %H:%M}" if h["created_at"] else "" for h in history],
        tr("member_records.col_file"): [h["file_name"] for h in history],
        tr("member_records.col_changed"): [_changed(h["changed"]) for h in history],
        tr("member_records.col_unit"): [names.get(h["unit_code"], h["unit_code"]) for h in history],
        tr("member_records.col_sector"): [h["sector"] for h in history],
        tr("member_records.col_start"): [_day(h["start_date"]) for h in history],
        tr("member_records.col_end"): [_day(h["end_date"]) for h in history],
        tr("member_records.col_end_reason"): [h.get("end_reason") for h in history],
    })  # fmt: skip
    named = types()
    activities = pd.DataFrame({
        tr("member_records.col_date"): [_day(d) if ok else tr("member_records.quarter_total", day=_day(d))
                                        for d, ok in zip(acts["date"], acts["dated"], strict=True)],
        tr("member_records.col_activity"): [named[a].name if a in named else a for a in acts["activity"]],
        tr("member_records.col_count"): acts["count"], tr("member_records.col_note"): acts["note"],
        tr("member_records.col_file"): acts["file_name"], tr("member_records.col_sheet"): acts["source_sheet"],
        tr("member_records.col_row"): acts["source_row"], tr("member_records.col_column"): acts["source_column"],
    })  # fmt: skip
    with st.container(key=f"{PRIVATE}_record"):
        left, right = st.columns([1, 2], gap="large")
        with left:
            show_table(fields, width="stretch")
        with right:
            st.caption(tr("member_records.versions", n=len(versions)))
            show_table(versions, width="stretch")
        st.caption(tr("member_records.activities", n=len(activities)))
        show_table(activities, width="stretch")


def _changed(text: str | None) -> str:
    fields = [f for f in (text or "").split(",") if f]
    if not fields:
        return tr("member_records.new_version")
    sep = "、" if lang() == "zh" else ", "
    return sep.join(tr(f"member_records.field_{f}") if f in ROSTER_FIELDS else f for f in fields)


def derived_section(year: int, units: list[str], names: dict[str, str]) -> None:
    """由活动登记推算的县区数字: beside each unit's reported figure, and the difference."""
    st.subheader(tr("member_records.derived_title"), help=tr("member_records.derived_help"))
    options = [ALL, "1", "2", "3", "4"]
    filters.url_choice("mr_dq", options, ALL)
    q = st.selectbox(
        tr("member_records.derived_period"),
        options,
        key="mr_dq",
        format_func=lambda o: tr("member_records.whole_year") if o == ALL else tr("filters.quarter_n", n=o),
    )
    found = data.member_derived(year, None if q == ALL else int(q))
    df = found[found["unit_code"].isin(units)]
    if df.empty:
        st.info(tr("member_records.derived_empty"))
        return
    dic, lg = data.dictionary(), lang()
    labels = {
        c: (dic[c].label(lg), unit_label(dic[c].unit, lg)) if c in dic else (c, "")
        for c in set(df["indicator"])
    }
    table = pd.DataFrame({
        tr("member_records.col_unit"): [names.get(u, u) for u in df["unit_code"]],
        tr("member_records.col_indicator"): [labels[c][0] for c in df["indicator"]],
        tr("history.col_measure"): [labels[c][1] for c in df["indicator"]],
        tr("member_records.col_derived"): df["derived"].astype(float),
        tr("member_records.col_reported"): df["reported"].astype(float),
        tr("member_records.col_difference"): df["difference"].astype(float),
    })  # fmt: skip
    number = st.column_config.NumberColumn(format="localized")  # 2,720, as every other figure is written
    cols = ("member_records.col_derived", "member_records.col_reported", "member_records.col_difference")
    show_table(table, width="stretch", hide_index=True, column_config={tr(k): number for k in cols})


def rule_table(points: PointsRule) -> pd.DataFrame:
    """The rule as the page shows and edits it: activity name, sector ('' shown as 全部界别), points."""
    named, order = types(), list(activity_types())
    rows = sorted(points.weights, key=lambda w: (order.index(w[0]) if w[0] in order else len(order), w[1]))
    return pd.DataFrame({
        tr("member_records.col_activity"): [named[a].name if a in named else a for a, _, _ in rows],
        tr("member_records.col_sector"): [s or tr("member_records.all_sectors") for _, s, _ in rows],
        tr("member_records.col_weight"): [float(p) for _, _, p in rows],
    })  # fmt: skip


def rule_from_table(table: pd.DataFrame) -> PointsRule:
    """The edited table back as a PointsRule; ValueError (in the page's language) for a row it cannot be."""
    by_name = {t.name: c for c, t in types().items()}
    weights: dict[tuple[str, str], float] = {}
    for activity, sector, points in table.itertuples(index=False, name=None):
        if (activity is None or pd.isna(activity)) and (points is None or pd.isna(points)):
            continue  # an empty row the editor added
        if activity not in by_name:
            raise ValueError(tr("member_records.rule_bad_activity", activity=activity))
        if points is None or pd.isna(points):
            raise ValueError(tr("member_records.rule_bad_points", activity=activity))
        s = (
            ""
            if sector is None or pd.isna(sector) or sector == tr("member_records.all_sectors")
            else str(sector)
        )
        key = (by_name[activity], s)
        if key in weights:
            raise ValueError(tr("member_records.rule_duplicate", activity=activity, sector=sector))
        weights[key] = float(points)
    return PointsRule(tuple((a, s, p) for (a, s), p in weights.items()))


def rule_section(points: PointsRule, admin: bool, who: Actor | None) -> None:
    """积分规则 as a table; an admin edits the weights and saves them (audited by the service)."""
    st.subheader(tr("member_records.rule_title"), help=tr("member_records.rule_help"))
    for message in st.session_state.pop("mr_rule_saved", []):
        st.success(message, icon=":material/task_alt:")
    table = rule_table(points)
    if not admin:
        show_table(table, width="stretch")
        return
    act, sec, pts = table.columns
    edited = st.data_editor(
        table,
        key="mr_rule",
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            act: st.column_config.SelectboxColumn(options=[t.name for t in types().values()], required=True),
            sec: st.column_config.SelectboxColumn(options=[tr("member_records.all_sectors"), *sectors()]),
            pts: st.column_config.NumberColumn(step=0.5, format="%g", required=True),
        },
    )
    if st.button(tr("member_records.rule_save"), key="mr_rule_save", type="primary", icon=":material/save:"):
        try:
            new = rule_from_table(edited)
        except ValueError as exc:
            st.error(plain(exc))
            return
        members.save_points_rule(data.get_store(), new, actor=who)
        data.clear_caches()
        del st.session_state["mr_rule"]  # the edits are the rule now: not to be applied to it again
        st.session_state["mr_rule_saved"] = [tr("member_records.rule_saved", n=len(new.weights))]
        st.rerun()
