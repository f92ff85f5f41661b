"""What the upload page shows of a prepared file: the recognised values with their change, the
sheets with faulty cells highlighted, and the issues as a table. Pure pandas, plus a Styler."""

from __future__ import annotations

from typing import Any

import pandas as pd

from domain.dictionary import Dictionary
from domain.members import activity_types
from domain.periods import period_label
from exports.tables import escaped
from loaders import Issue, LoadError
from loaders.issues import column_letter
from loaders.readers import read_book
from services.members import LogPrepared, RosterPrepared
from services.uploads import AnyPrepared, kind_of
from store.roster import FIELD_ZH, fmt_field
from ui.i18n import tr

PREVIEW_ROWS = 500  # an activity log's rows shown (a province's year is 1.2 M)


def status_ready(p: AnyPrepared) -> str:
    """The one line over a file that can be imported, in the words of its kind."""
    kind = kind_of(p)
    if kind == "roster":
        return tr("upload.status_ready_roster", **p.counts)
    if kind == "activities":
        assert isinstance(p, LogPrepared)
        return tr(
            "upload.status_ready_activities",
            values=p.n_values,
            members=len(set(p.parsed.columns["member_id"]) if p.parsed else ()),
        )
    return tr("upload.status_ready", values=p.n_values, **p.counts)


def roster_table(p: RosterPrepared, unit_names: dict[str, str]) -> pd.DataFrame:
    """The roster's members that are new or changed first (with what changed), then the unchanged."""
    order = {"new": 0, "changed": 1, "unchanged": 2}
    rows = sorted(p.changes, key=lambda c: (order[c.action], c.member.row))
    return pd.DataFrame(
        {
            tr("upload.col_change"): [tr(f"upload.change_{c.action}") for c in rows],
            tr("upload.col_member_id"): [c.member.member_id for c in rows],
            tr("upload.col_name"): [c.member.name for c in rows],
            tr("upload.col_unit"): [unit_names.get(c.member.unit_code, c.member.unit_code) for c in rows],
            tr("upload.col_sector"): [c.member.sector or "" for c in rows],
            tr("upload.col_term_dates"): [
                f"{fmt_field('start_date', c.member.start_date)} 至 {fmt_field('end_date', c.member.end_date) if c.member.end_date else '今'}"
                for c in rows
            ],
            tr("upload.col_what_changed"): [
                "；".join(
                    f"{FIELD_ZH[f]}：{unit_names.get(a, a) if f == 'unit_code' else fmt_field(f, a)} → "
                    f"{unit_names.get(b, b) if f == 'unit_code' else fmt_field(f, b)}"
                    for f, (a, b) in c.fields.items()
                )
                for c in rows
            ],
            tr("upload.col_source"): [
                f"{c.member.sheet + ' ' if c.member.sheet else ''}第{c.member.row}行" for c in rows
            ],
        }
    ).pipe(escaped)


def log_table(p: LogPrepared) -> pd.DataFrame:
    """Per activity type: rows and total count; then the first rows of the file as read."""
    types = activity_types()
    if p.parsed is None:
        return pd.DataFrame()
    c = p.parsed.columns
    n = min(PREVIEW_ROWS, p.parsed.n_rows)
    return pd.DataFrame(
        {
            tr("upload.col_member_id"): c["member_id"][:n],
            tr("upload.col_name"): c["name"][:n],
            tr("upload.col_date"): [
                d.isoformat() if dated else f"{d.year}年第{(d.month - 1) // 3 + 1}季度"
                for d, dated in zip(c["date"][:n], c["dated"][:n], strict=True)
            ],
            tr("upload.col_activity"): [types[a].name if a in types else a for a in c["activity"][:n]],
            tr("upload.col_count"): c["count"][:n],
            tr("upload.col_source"): [
                f"{s + ' ' if s else ''}第{r}行“{col}”"
                for s, r, col in zip(c["sheet"][:n], c["row"][:n], c["column"][:n], strict=True)
            ],
        }
    ).pipe(escaped)


ERROR_BG = "background-color: #F8D7DA; color: #842029; font-weight: 600"
WARNING_BG = "background-color: #FFF3CD"
CHANGE_BG = {"new": "background-color: #E7F5EA", "changed": "background-color: #FFF3CD", "unchanged": ""}


def issues_table(issues: list[Issue]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            tr("upload.col_level"): [tr(f"upload.level_{i.level}") for i in issues],
            tr("upload.col_sheet"): [i.sheet or "" for i in issues],
            tr("upload.col_row"): [i.row if i.row else None for i in issues],
            tr("upload.col_column"): [i.column or "" for i in issues],
            tr("upload.col_message"): [i.message for i in issues],
        }
    )


def values_table(rows: pd.DataFrame, unit_names: dict[str, str], dictionary: Dictionary) -> pd.DataFrame:
    """One row per value to import (Prepared.rows, or some of them): unit, period, indicator, value,
    stored value, change, approximate, source."""
    if rows.empty:
        return pd.DataFrame()
    period = [
        period_label(int(y), None if pd.isna(q) else int(q))
        for y, q in zip(rows["year"], rows["quarter"], strict=True)
    ]
    return pd.DataFrame(
        {
            tr("upload.col_unit"): rows["unit_code"].map(lambda c: unit_names.get(c, c)),
            tr("upload.col_period"): period,
            tr("upload.col_indicator"): rows["indicator"].map(
                lambda c: dictionary[c].name if c in dictionary else c
            ),
            tr("upload.col_value"): rows["value"],
            tr("upload.col_old"): rows["old_value"],
            tr("upload.col_change"): rows["change"].map(lambda c: tr(f"upload.change_{c}")),
            tr("upload.col_approx"): rows["approximate"].map(lambda a: tr("upload.approx_mark") if a else ""),
            tr("upload.col_source"): [
                f"{s + ' ' if isinstance(s, str) and s else ''}第{r}行“{c}”"
                for s, r, c in zip(
                    rows["source_sheet"], rows["source_row"], rows["source_column"], strict=True
                )
            ],
        }
    )


def style_values(df: pd.DataFrame, changes: pd.Series) -> Any:
    """New values green, changed ones amber; numbers as written (35, not 35.0)."""
    colors = changes.map(CHANGE_BG).tolist()
    return (
        escaped(df)
        .style.apply(lambda _: colors, axis=0)
        .format(_plain, na_rep="—", subset=[tr("upload.col_value"), tr("upload.col_old")])
    )


def _plain(v: object) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "—"
    if isinstance(v, float) and v.is_integer():
        return f"{int(v):,}"
    return f"{v:,.2f}" if isinstance(v, float) else str(v)


def sheets_with_issues(
    name: str, data: bytes, issues: list[Issue], max_rows: int = 200
) -> list[tuple[str, Any]]:
    """Each sheet that has issues, as a Styler with the faulty cells (or rows) highlighted.

    Rows and columns are labelled as Excel shows them (1, 2, … and A, B, …) so they match the messages.
    """
    try:
        book = read_book(name, data)
    except LoadError:
        return []
    out = []
    for grid in book.grids:
        sheet_issues = [
            i
            for i in issues
            if (i.sheet or None) == (grid.name or None) or (grid.name is None and i.sheet == "CSV")
        ]
        located = [i for i in sheet_issues if i.row]
        if not located:
            continue
        width = max((len(r) for r in grid.rows[:max_rows]), default=0)
        frame = pd.DataFrame(
            [list(r) + [None] * (width - len(r)) for r in grid.rows[:max_rows]],
            columns=[column_letter(c) for c in range(width)],
            index=range(1, min(len(grid.rows), max_rows) + 1),
        )
        header_text = {
            str(v).strip(): column_letter(c)
            for row in grid.rows[:12]
            for c, v in enumerate(row)
            if v is not None
        }
        marks: dict[tuple[int, str | None], str] = {}
        for i in located:
            name = (i.column or "").strip()
            col = (
                i.column
                if i.column in frame.columns
                else header_text.get(name, header_text.get(name.split("（", 1)[0]))  # 数量（提交提案数）
            )
            style = ERROR_BG if i.level == "error" else WARNING_BG
            if marks.get((int(i.row or 0), col)) != ERROR_BG:
                marks[(int(i.row or 0), col)] = style

        def paint(df: pd.DataFrame, marks: dict[tuple[int, str | None], str] = marks) -> pd.DataFrame:
            css = pd.DataFrame("", index=df.index, columns=df.columns)
            for (r, c), style in marks.items():
                if r in css.index:
                    if c in css.columns:
                        css.loc[r, c] = style
                    else:
                        css.loc[r, :] = style
            return css

        styler = escaped(frame.map(lambda v: "" if v is None else _plain(v).replace(",", ""))).style.apply(
            paint, axis=None
        )
        out.append((grid.name or "CSV", styler))
    return out
