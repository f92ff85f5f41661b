"""SQL lives in files under `store/sql/`, one query per file named for what it returns.

Values are always bound parameters (`$name`); identifiers never come from users.

>>> "current_facts" in sql("aggregate")
True
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"


@cache
def sql(name: str) -> str:
    """The text of `store/sql/<name>.sql`."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def frame(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
    """Run a named query and return a DataFrame (through Arrow: much faster than .df() on big results)."""
    return con.sql(sql(name), params=params or None).to_arrow_table().to_pandas()


def quote_identifier(name: str) -> str:
    """The one quoting helper for identifiers built at run time."""
    return '"' + name.replace('"', '""') + '"'
