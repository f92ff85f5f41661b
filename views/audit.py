"""操作日志 (admins): every sign-in, sign-out, import, revert, export and change, newest first, filtered
by person, action and date, and downloaded. Append-only: nothing here edits or deletes a line."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import streamlit as st

from exports.tables import to_csv_bytes
from services import accounts
from ui import auth, data
from ui.panel import show_table

ACTIONS = {
    "signin": "登录", "signout": "退出登录", "import": "导入", "revert": "撤销批次", "export": "导出",
    "units": "单位", "dictionary": "指标字典", "targets": "目标任务", "targets_import": "导入目标",
    "preset_save": "保存权重方案", "preset_delete": "删除权重方案", "account_add": "添加账号",
    "password_change": "修改密码", "password_reset": "重设密码", "account_disable": "停用账号",
    "account_enable": "启用账号", "demo_remove": "删除演示数据",
}  # fmt: skip

st.title("操作日志")
who = auth.actor()
store = data.get_store()
st.caption(
    "登录、导入、撤销、导出和各项修改都记录在这里：谁、何时、从哪个地址、做了什么。日志只追加，不能修改或删除。"
)
left, mid, right = st.columns(3)
since = left.date_input("起始日期", value=dt.date.today() - dt.timedelta(days=30), format="YYYY-MM-DD")
rows = accounts.audit(
    store, who or accounts.open_actor(), dt.datetime.combine(since, dt.time()) if since else None
)
people = sorted({r.actor for r in rows})
person = mid.selectbox("操作人", ["", *people], format_func=lambda p: p or "全部")
kinds = sorted({r.action for r in rows})
kind = right.selectbox("操作", ["", *kinds], format_func=lambda k: ACTIONS.get(k, k) if k else "全部")
shown = [r for r in rows if (not person or r.actor == person) and (not kind or r.action == kind)]
table = pd.DataFrame(
    {
        "编号": [r.id for r in shown],
        "时间": [f"{r.at:%Y-%m-%d %H:%M:%S}" for r in shown],
        "操作人": [r.actor for r in shown],
        "地址": [r.address or "" for r in shown],
        "操作": [ACTIONS.get(r.action, r.action) for r in shown],
        "结果": ["成功" if r.outcome == "ok" else "被拒绝" for r in shown],
        "详情": [json.dumps(r.detail, ensure_ascii=False) if r.detail else "" for r in shown],
    }
)
st.caption(f"共 {len(shown)} 条")
if shown:
    show_table(table, width="stretch")
else:  # Streamlit's empty table says "empty" in English
    st.info("没有符合条件的记录。", icon=":material/search_off:")
st.download_button(
    "下载 CSV",
    to_csv_bytes(table, raw=True),
    file_name=f"操作日志_{since}.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",  # a download does not re-run the page
)
