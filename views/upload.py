"""数据上传: drop files, see what was recognised, errors highlighted, the diff; confirm to import."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from exports.template import build_template
from loaders import parse_period_option
from services.uploads import AnyPrepared, commit_upload, kind_of, prepare_upload
from ui import auth, data, filters, operator
from ui.i18n import tr
from ui.import_view import (
    issues_table,
    log_table,
    roster_table,
    sheets_with_issues,
    status_ready,
    style_values,
    values_table,
)
from ui.panel import show_table
from ui.text import plain
from ui.unknown_columns import offer_additions

st.title(tr("upload.title"))
filters.data_badge()
st.caption(tr("upload.intro"))
store = data.get_store()
dic = data.dictionary()
names = dict(zip(data.units()["code"], data.units()["name"], strict=True))

if data.units().empty:  # units come first: without them every row would be refused as unknown
    st.warning(tr("upload.no_units"), icon=":material/account_tree:")
    st.page_link("views/units.py", label=tr("nav.units"), icon=":material/account_tree:")
    st.stop()

with st.expander(tr("upload.template_title")):
    st.caption(tr("upload.template_help"))
    year = dt.date.today().year
    st.download_button(
        tr("upload.template_button", year=year),
        build_template(dic, data.unit_list(), year),
        file_name=f"政协履职数据填报模板_{year}.xlsx",
        icon=":material/download:",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",  # a download does not re-run the page
    )

with st.sidebar:
    st.subheader(tr("upload.options"))
    period_text = st.text_input(tr("upload.period"), key="up_period", help=tr("upload.period_help"))
    cumulative = st.checkbox(tr("upload.cumulative"), key="up_cum")
user = operator.sidebar_input()

period = None
period_ok = True
if period_text.strip():
    try:
        period = parse_period_option(period_text)
    except ValueError as exc:  # the message names the text and what to write instead
        st.error(plain(exc), icon=":material/event_busy:")
        period_ok = False

for ok, message in st.session_state.pop("import_messages", []):
    if ok:
        st.success(message, icon=":material/task_alt:")
    else:
        st.error(message, icon=":material/error:")

files = st.file_uploader(
    tr("upload.files"),
    type=["xlsx", "xlsm", "xls", "ods", "csv"],
    accept_multiple_files=True,
    key=f"uploader_{st.session_state.get('upload_round', 0)}",
)
if not files:
    st.stop()
if not period_ok:
    st.info(tr("upload.fix_period"), icon=":material/edit_calendar:")
    st.stop()

options = (period, bool(cumulative), store.version())
cache: dict = st.session_state.setdefault("prepared", {})
bar = st.progress(0.0)
prepared: list[AnyPrepared] = []
for n, f in enumerate(files, start=1):
    key = (f.name, f.file_id, options)
    if key not in cache:
        bar.progress((n - 1) / len(files), text=tr("upload.checking", file=f.name, n=n, total=len(files)))
        cache[key] = prepare_upload(
            store,
            f.name,
            f.getvalue(),
            user=user or None,
            actor=auth.actor(),
            period=period,
            cumulative=cumulative or None,
        )
    prepared.append(cache[key])
bar.empty()

for f, p in zip(files, prepared, strict=True):
    with st.container(border=True):
        st.subheader(plain(p.file), divider="gray")
        if p.status == "ready":
            st.success(status_ready(p), icon=":material/check_circle:")
        elif p.status == "duplicate":
            st.info(tr("upload.status_duplicate", batch=p.duplicate_of), icon=":material/content_copy:")
        else:
            st.error(tr("upload.status_rejected", n=len(p.errors)), icon=":material/error:")
            show_table(issues_table(p.errors), hide_index=True, width="stretch", height="content")
        approx = [w for w in p.warnings if w.code == "approximate"]
        if approx:
            st.caption(tr("upload.approx_note", n=len(approx)))
        if p.warnings:
            with st.expander(tr("upload.warnings", n=len(p.warnings)), expanded=p.status != "ready"):
                show_table(issues_table(p.warnings), hide_index=True, width="stretch", height="content")
        if p.parsed and p.parsed.skipped_sheets:
            st.caption(
                tr(
                    "upload.skipped",
                    sheets="；".join(f"“{plain(s)}”（{plain(why)}）" for s, why in p.parsed.skipped_sheets),
                )
            )
        if kind_of(p) == "indicators" and offer_additions(p, f.file_id, dic, user):  # type: ignore[arg-type]
            st.session_state["prepared"] = {}
            st.rerun()
        if p.status == "rejected":
            for sheet, styler in sheets_with_issues(p.file, f.getvalue(), p.errors + p.warnings):
                st.caption(tr("upload.sheet_preview", sheet=plain(sheet)))
                show_table(styler, width="stretch", height="content")
        elif p.status == "ready" and kind_of(p) != "indicators":
            st.caption(tr(f"upload.preview_{kind_of(p)}"))
            table = roster_table(p, names) if kind_of(p) == "roster" else log_table(p)  # type: ignore[arg-type]
            show_table(table, hide_index=True, width="stretch", height="content" if len(table) <= 60 else 640)
        elif p.status == "ready":
            st.caption(tr("upload.preview"))
            rows = p.rows  # type: ignore[union-attr]
            only = st.toggle(
                tr("upload.only_changes"),
                value=p.counts["unchanged"] > 0,
                key=f"only_{f.file_id}",
                disabled=p.counts["unchanged"] == 0,
            )
            if only:
                rows = rows[rows["change"] != "unchanged"]
            show_table(
                style_values(values_table(rows, names, dic), rows["change"]),
                hide_index=True,
                width="stretch",
                height="content" if len(rows) <= 60 else 640,
            )

ready = [p for p in prepared if p.status == "ready"]
if not ready:
    st.info(tr("upload.nothing"))
    st.stop()
demo = max(p.replaces_demo for p in ready)
if demo:
    st.warning(tr("upload.replace_demo", n=f"{demo:,}"), icon=":material/science:")
if not user:
    operator.missing_note()
if st.button(
    tr("upload.confirm", n=len(ready)),
    type="primary",
    icon=":material/upload:",
    key="confirm_import",
    disabled=not user,
):
    bar = st.progress(0.0)
    for n, p in enumerate(ready, start=1):
        bar.progress((n - 1) / len(ready), text=tr("upload.committing", file=p.file, n=n, total=len(ready)))
        r = commit_upload(store, p, replace_demo=True, user=user, actor=auth.actor(), address=auth.address())
        file = plain(p.file)
        if r.status == "imported":
            what = {"roster": "upload.done_roster", "activities": "upload.done_activities"}.get(
                kind_of(p), "upload.done"
            )
            done = (True, tr(what, file=file, batch=r.batch_id, values=r.values))
            if r.replaced_demo:
                st.session_state.setdefault("import_messages", []).append(
                    (True, tr("upload.demo_removed", n=f"{r.replaced_demo:,}"))
                )
        elif r.status == "duplicate":
            done = (True, tr("upload.done_duplicate", file=file, batch=r.batch_id))
        else:  # what it needed changed since the preview (a quarter a cumulative file builds on was reverted)
            reason = "；".join(plain(e.message) for e in r.errors[:3])
            done = (False, tr("upload.done_rejected", file=file, reason=reason))
        st.session_state.setdefault("import_messages", []).append(done)
    bar.progress(1.0)
    data.clear_caches()
    st.session_state["prepared"] = {}
    st.session_state["upload_round"] = st.session_state.get("upload_round", 0) + 1
    st.rerun()
