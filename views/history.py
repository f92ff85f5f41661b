"""数据管理: every batch (who, when, file, counts), and reverting one after a confirmation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store.facts import current_user
from store.history import RevertRefused, history, revert
from ui import data, filters
from ui.i18n import tr

st.title(tr("history.title"))
filters.data_badge()
st.caption(tr("history.intro"))
store = data.get_store()

for message in st.session_state.pop("history_messages", []):
    st.success(message, icon=":material/task_alt:")

batches = history(store)
if not batches:
    st.info(tr("history.empty"))
    st.stop()


def state(b) -> str:  # type: ignore[no-untyped-def]
    if b.reverted_by is not None:
        return tr("history.state_reverted", batch=b.reverted_by)
    if b.kind == "revert":
        return tr("history.state_reverts", batch=b.reverts)
    return tr("history.state_current")


table = pd.DataFrame(
    {
        tr("history.col_id"): [b.id for b in batches],
        tr("history.col_time"): [b.created_at for b in batches],
        tr("history.col_kind"): [tr(f"history.kind_{b.kind}") for b in batches],
        tr("history.col_file"): [b.file_name or "" for b in batches],
        tr("history.col_user"): [b.user_name or "" for b in batches],
        tr("history.col_new"): [b.n_new for b in batches],
        tr("history.col_changed"): [b.n_changed for b in batches],
        tr("history.col_unchanged"): [b.n_unchanged for b in batches],
        tr("history.col_state"): [state(b) for b in batches],
    }
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={tr("history.col_time"): st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm")},
)

revertible = [b for b in batches if b.kind == "import" and b.reverted_by is None]
if not revertible:
    st.caption(tr("history.none_to_revert"))
    st.stop()
by_id = {b.id: b for b in revertible}
pick = st.selectbox(
    tr("history.revert_pick"),
    list(by_id),
    key="revert_pick",
    format_func=lambda i: f"{i} · {by_id[i].file_name} · {by_id[i].created_at:%Y-%m-%d %H:%M}",
)


@st.dialog(tr("history.revert_confirm_title"))
def confirm(batch_id: int) -> None:
    b = by_id[batch_id]
    st.write(tr("history.revert_confirm", batch=b.id, file=b.file_name, n=b.n_new + b.n_changed))
    yes, no = st.columns(2)
    if yes.button(tr("history.revert_yes"), type="primary", key="revert_yes"):
        try:
            revert(store, batch_id, user=current_user())
        except RevertRefused as exc:
            st.error(str(exc))
            return
        data.clear_caches()
        st.session_state["history_messages"] = [tr("history.reverted", batch=batch_id)]
        st.rerun()
    if no.button(tr("history.revert_no"), key="revert_no"):
        st.rerun()


if st.button(tr("history.revert_button"), icon=":material/undo:", key="revert_button"):
    confirm(int(pick))
