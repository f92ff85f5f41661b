"""Writing history: a batch per import, facts appended to it (never updated in place).

>>> with store.transaction() as con:                                 # doctest: +SKIP
...     b = new_batch(con, "import", file_name="x.xlsx", user="王芳")
...     append_facts(con, b, df)
"""

from __future__ import annotations

import contextlib
import getpass

import duckdb
import pandas as pd
import pyarrow as pa

FACT_COLUMNS = [
    "unit_code",
    "year",
    "quarter",
    "indicator",
    "value",
    "approximate",
    "reported_ratio",
    "source_sheet",
    "source_row",
    "source_column",
]
_DEFAULTS: dict[str, bool | None] = {
    "approximate": False,
    "reported_ratio": False,
    "source_sheet": None,
    "source_row": None,
    "source_column": None,
}


def current_user() -> str:
    """Who runs this, for the batch record when no --user is given."""
    try:
        return getpass.getuser()
    except Exception:
        return "unknown"


def new_batch(
    con: duckdb.DuckDBPyConnection,
    kind: str,
    *,
    file_name: str | None = None,
    sha256: str | None = None,
    size: int | None = None,
    user: str | None = None,
    note: str | None = None,
    reverts: int | None = None,
) -> int:
    """Insert a batch row and return its id."""
    row = con.execute(
        "INSERT INTO batches (kind, file_name, sha256, size_bytes, user_name, note, reverts)"
        " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [kind, file_name, sha256, size, user or current_user(), note, reverts],
    ).fetchone()
    assert row is not None
    return int(row[0])


def append_facts(
    con: duckdb.DuckDBPyConnection, batch_id: int, data: pd.DataFrame | pa.Table, where: str = "true"
) -> int:
    """Append rows (columns as FACT_COLUMNS; optional ones default) to a batch; returns the count.

    `where` is a fixed SQL condition on those rows (never user input), e.g. "change <> 'unchanged'".
    """
    if isinstance(data, pd.DataFrame):
        if data.empty:
            return 0
        data = data.copy()
        for col, default in _DEFAULTS.items():
            if col not in data.columns:
                data[col] = default
            elif default is not None:
                data[col] = data[col].fillna(default).astype(bool)
    con.register("_new_facts", data)
    try:
        return insert_facts(con, batch_id, "_new_facts", where)
    finally:
        with contextlib.suppress(duckdb.Error):
            con.unregister("_new_facts")


def insert_facts(con: duckdb.DuckDBPyConnection, batch_id: int, source: str, where: str = "true") -> int:
    """Append the rows of a table or view the connection knows (FACT_COLUMNS all present) to a batch.

    `source` and `where` are fixed SQL (never user input).
    """
    row = con.execute(
        f"INSERT INTO facts (batch_id, {', '.join(FACT_COLUMNS)})"
        f" SELECT ?, {', '.join(FACT_COLUMNS)} FROM {source} WHERE {where}",
        [batch_id],
    ).fetchone()
    return int(row[0]) if row else 0
