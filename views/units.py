"""单位管理: the reporting units (填报单位) — add, rename, aliases, levels — in a grid or from a unit
list, as `cppcc units import` does. Units come first: a store without them refuses every row."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from domain.dictionary import UNIT_LEVELS, Unit
from services.setup import UnitListError, apply_units, read_units
from ui import auth, data, filters, operator
from ui.i18n import tr
from ui.import_view import issues_table
from ui.panel import show_table
from ui.text import plain

st.title(tr("units.title"))
filters.data_badge()
st.caption(tr("units.intro"))
store = data.get_store()
user = operator.sidebar_input()
units_df = data.units()

for message in st.session_state.pop("units_messages", []):
    st.success(message, icon=":material/task_alt:")


def change_lines(changes) -> list[str]:  # type: ignore[no-untyped-def]
    lines = []
    for c in changes:
        if c.action == "added":
            lines.append(tr("units.added", code=c.code, name=plain(c.name)))
        elif c.action == "updated":
            what = "；".join(
                f"{tr('units.field_' + k)}：{plain(_fmt(k, a))} → {plain(_fmt(k, b))}"
                for k, (a, b) in c.fields.items()
            )
            lines.append(tr("units.updated", code=c.code, name=plain(c.name), what=what))
    return lines


def _fmt(field: str, value: object) -> str:
    if field == "aliases":
        return "、".join(value) if value else tr("units.none")  # type: ignore[arg-type]
    if field == "level":
        return tr(f"level.{value}")
    return str(value)


grid = pd.DataFrame(  # text columns even when there is no unit yet (an empty frame would be float)
    {
        "code": pd.Series(list(units_df["code"]), dtype="string"),
        "name": pd.Series(list(units_df["name"]), dtype="string"),
        "aliases": pd.Series(["；".join(a) for a in units_df["aliases"]], dtype="string"),
        "level": pd.Series(list(units_df["level"]), dtype="string"),
    }
)
edited = st.data_editor(
    grid,
    hide_index=True,
    width="stretch",
    num_rows="dynamic",
    key="units_grid",
    column_config={
        "code": st.column_config.TextColumn(tr("units.col_code"), help=tr("units.code_help"), max_chars=6),
        "name": st.column_config.TextColumn(tr("units.col_name"), max_chars=40),
        "aliases": st.column_config.TextColumn(tr("units.col_aliases"), help=tr("units.aliases_help")),
        "level": st.column_config.SelectboxColumn(
            tr("units.col_level"),
            options=list(UNIT_LEVELS),
            required=True,
            format_func=lambda v: tr(f"level.{v}"),
        ),
    },
)
if not user:
    operator.missing_note()
if st.button(tr("units.save"), type="primary", icon=":material/save:", key="units_save", disabled=not user):
    problems: list[str] = []
    wanted: list[Unit] = []
    seen: set[str] = set()
    for n, row in enumerate(edited.itertuples(index=False), start=1):
        code, name = str(row.code or "").strip(), str(row.name or "").strip()
        if not code and not name:
            continue
        if not re.fullmatch(r"\d{6}", code):
            problems.append(tr("units.bad_code", n=n, code=plain(code)))
            continue
        if code in seen:
            problems.append(tr("units.dup_code", n=n, code=code))
            continue
        if not name:
            problems.append(tr("units.no_name", n=n))
            continue
        seen.add(code)
        aliases = tuple(a.strip() for a in re.split(r"[;；,，、]", str(row.aliases or "")) if a.strip())
        wanted.append(Unit(code, name, aliases, str(row.level or "county"), sort_order=n))
    removed = sorted(set(units_df["code"]) - seen)
    if removed:
        problems.append(tr("units.no_removal", codes="、".join(removed)))
    if problems:
        for p in problems:
            st.error(p, icon=":material/error:")
    else:
        changes = apply_units(store, wanted, actor=auth.actor())
        data.clear_caches()
        st.session_state["units_messages"] = change_lines(changes) or [tr("units.nothing")]
        st.rerun()

with st.expander(tr("units.import_title"), expanded=units_df.empty):
    st.caption(tr("units.import_help"))
    upload = st.file_uploader(tr("units.file"), type=["csv", "xlsx", "xlsm", "xls", "ods"], key="units_file")
    if upload is not None:
        try:
            units, _ = read_units(upload.name, upload.getvalue())
        except UnitListError as exc:
            st.error(tr("units.rejected", n=len(exc.issues)), icon=":material/error:")
            show_table(issues_table(exc.issues), hide_index=True, width="stretch", height="content")
        else:
            preview = change_lines(apply_units(store, units, dry_run=True))
            st.info(tr("units.preview", n=len(units), m=len(preview)), icon=":material/preview:")
            for line in preview:
                st.markdown(f"- {line}")
            if st.button(
                tr("units.import_button", n=len(units)), key="units_import", type="primary", disabled=not user
            ):
                changes = apply_units(store, units, actor=auth.actor())
                data.clear_caches()
                st.session_state["units_messages"] = change_lines(changes) or [tr("units.nothing")]
                st.rerun()
