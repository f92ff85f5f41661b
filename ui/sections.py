"""Blocks every analysis page shares: the generated 数据摘要 with its copy button."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.periods import Period
from metrics.summary import figures_from_frame, paragraph
from ui.filters import Filters
from ui.i18n import tr


def summary_text(frame: pd.DataFrame, period: Period, f: Filters, domain: str) -> str:
    """The paragraph for one domain from a compute() frame holding the period and a year earlier."""
    scope = tr("summary.scope_all") if f.all_units else "、".join(f.unit_names[c] for c in f.units)
    figures = figures_from_frame(frame, period.label, period.previous_year().label)
    return paragraph(scope, period.zh(), figures, [domain])


def summary_box(frame: pd.DataFrame, period: Period, f: Filters, domain: str) -> str:
    """数据摘要 in a bordered box: the text, a copy button (st.code has one), where it comes from."""
    text = summary_text(frame, period, f, domain)
    with st.container(border=True):
        st.subheader(tr("summary.title"), help=tr("summary.help"))
        if text:
            st.code(text, language=None, wrap_lines=True)
            st.caption(tr("summary.note"))
        else:
            st.info(tr("summary.empty"))
    return text
