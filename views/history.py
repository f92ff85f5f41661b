"""数据管理: every batch (who, when, file, what periods and units it covers), its values and file,
reverting one after a confirmation, and removing the demo data."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from domain.periods import Period, period_label
from exports.tables import to_csv_bytes
from services.batches import RevertRefused, batch_file, revert
from ui import auth, data, filters, operator
from ui.i18n import lang, tr
from ui.panel import show_table
from ui.text import plain

st.title(tr("history.title"))
filters.data_badge()
st.caption(tr("history.intro"))
store = data.get_store()
user = operator.sidebar_input()
names = dict(zip(data.units()["code"], data.units()["name"], strict=True))

for message in st.session_state.pop("history_messages", []):
    st.success(message, icon=":material/task_alt:")

batches, cover = data.batch_list()
if not batches:
    st.info(tr("history.empty"))
    st.stop()


def period_text(y: int, q: int | None) -> str:
    if lang() == "zh":
        return period_label(y, q)
    return tr("history.whole_year", year=y) if q is None else Period(y, q, "quarter").en()


def periods_text(periods: list[tuple[int, int | None]]) -> str:
    if not periods:
        return ""
    if len(periods) <= 3:
        return "、".join(period_text(y, q) for y, q in periods)
    return tr(
        "history.period_range",
        first=period_text(*periods[0]),
        last=period_text(*periods[-1]),
        n=len(periods),
    )


def units_text(codes: list[str]) -> str:
    if not codes:
        return ""
    if len(codes) <= 3:
        return "、".join(names.get(c, c) for c in codes)
    return tr("history.n_units", first=names.get(codes[0], codes[0]), n=len(codes))


def state(b) -> str:  # type: ignore[no-untyped-def]
    if b.reverted_by is not None:
        return tr("history.state_reverted", batch=b.reverted_by)
    if b.kind == "revert":
        return tr("history.state_reverts", batch=b.reverts)
    return tr("history.state_current")


def covered(b, col: str):  # type: ignore[no-untyped-def]
    return cover.at[b.id, col] if b.id in cover.index else ([] if col != "n_values" else 0)


table = pd.DataFrame(
    {
        tr("history.col_id"): [b.id for b in batches],
        tr("history.col_time"): [b.created_at for b in batches],
        tr("history.col_kind"): [tr(f"history.kind_{b.kind}") for b in batches],
        tr("history.col_file"): [b.file_name or b.note or "" for b in batches],
        tr("history.col_user"): [b.user_name or "" for b in batches],
        tr("history.col_periods"): [periods_text(covered(b, "periods")) for b in batches],
        tr("history.col_units"): [units_text(covered(b, "units")) for b in batches],
        tr("history.col_values"): [int(covered(b, "n_values")) for b in batches],
        tr("history.col_new"): [b.n_new for b in batches],
        tr("history.col_changed"): [b.n_changed for b in batches],
        tr("history.col_unchanged"): [b.n_unchanged for b in batches],
        tr("history.col_state"): [state(b) for b in batches],
    }
)
show_table(
    table,
    hide_index=True,
    width="stretch",
    column_config={tr("history.col_time"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
)


def show_batch(batch_id: int) -> None:
    """The values one batch wrote (as a table and a CSV of every digit) and the file it came from."""
    values = data.batch_values(batch_id)
    frame = pd.DataFrame(
        {
            tr("upload.col_unit"): values["unit_name"].fillna(values["unit_code"]),
            tr("upload.col_period"): [
                period_text(int(y), None if pd.isna(q) else int(q))
                for y, q in zip(values["year"], values["quarter"], strict=True)
            ],
            tr("upload.col_indicator"): values["indicator_name"].fillna(values["indicator"]),
            tr("upload.col_value"): values["value"],
            tr("history.col_measure"): values["measure"],
            tr("upload.col_approx"): values["approximate"].map(
                lambda a: tr("upload.approx_mark") if a else ""
            ),
            tr("upload.col_source"): [
                "" if pd.isna(r) else f"{s + ' ' if isinstance(s, str) else ''}第{int(r)}行“{c}”"
                for s, r, c in zip(
                    values["source_sheet"], values["source_row"], values["source_column"], strict=True
                )
            ],
        }
    )
    show_table(frame, hide_index=True, width="stretch")
    left, right = st.columns(2)
    left.download_button(
        tr("history.values_csv"),
        to_csv_bytes(frame, raw=True),
        file_name=f"批次{batch_id}_数值.csv",
        mime="text/csv",
        icon=":material/download:",
        key="values_csv",
        on_click="ignore",  # a download does not re-run the page
    )
    original = batch_file(store, batch_id)
    if original is not None:
        right.download_button(
            tr("history.file_download"),
            original,
            file_name=by_id[batch_id].file_name or f"批次{batch_id}",
            icon=":material/description:",
            key="file_download",
            on_click="ignore",  # a download does not re-run the page
        )
    else:
        right.caption(tr("history.file_missing"))


by_id = {b.id: b for b in batches}
with_values = [b.id for b in batches if b.kind in ("import", "demo") and covered(b, "n_values")]
if with_values:
    with st.expander(tr("history.values_title")):
        shown = st.selectbox(
            tr("history.values_pick"),
            with_values,
            key="values_pick",
            format_func=lambda i: f"{i} · {by_id[i].file_name or by_id[i].note or ''}",
        )
        if st.toggle(tr("history.values_show"), key="values_show"):  # loaded only when asked for
            show_batch(int(shown))

if data.is_demo():
    with st.expander(tr("history.demo_title")):
        st.caption(tr("history.demo_help"))
        if not user:
            operator.missing_note()
        if st.button(
            tr("history.demo_remove"), key="demo_remove", icon=":material/delete:", disabled=not user
        ):
            n = data.remove_demo(user)
            st.session_state["history_messages"] = [tr("upload.demo_removed", n=f"{n:,}")]
            st.rerun()

revertible = [b for b in batches if b.kind in ("import", "roster", "activities") and b.reverted_by is None]
if not revertible:
    st.caption(tr("history.none_to_revert"))
    st.stop()
pick = st.selectbox(
    tr("history.revert_pick"),
    [b.id for b in revertible],
    key="revert_pick",
    format_func=lambda i: f"{i} · {by_id[i].file_name} · {by_id[i].created_at:%Y-%m-%d %H:%M}",
)


@st.dialog(tr("history.revert_confirm_title"))
def confirm(batch_id: int) -> None:
    b = by_id[batch_id]
    st.markdown(
        tr(
            "history.revert_confirm",
            batch=b.id,
            file=plain(b.file_name),
            n=b.n_new + b.n_changed,
            periods=plain(periods_text(covered(b, "periods"))),
            units=plain(units_text(covered(b, "units"))),
        )
    )
    yes, no = st.columns(2)
    if yes.button(tr("history.revert_yes"), type="primary", key="revert_yes"):
        try:
            revert(store, batch_id, user=user, actor=auth.actor(), address=auth.address())
        except RevertRefused as exc:
            st.error(plain(exc))
            return
        data.clear_caches()
        st.session_state["history_messages"] = [tr("history.reverted", batch=batch_id)]
        st.rerun()
    if no.button(tr("history.revert_no"), key="revert_no"):
        st.rerun()


if not user:
    operator.missing_note()
if st.button(tr("history.revert_button"), icon=":material/undo:", key="revert_button", disabled=not user):
    confirm(int(pick))
