"""Who has reported what (报送进度): per unit × quarter × domain counts, and each unit's last reporting.

The counts come from one query (`store/sql/reporting_status.sql`); this module shapes its answer.

>>> with store.connect() as con:                                       # doctest: +SKIP
...     df = status(con, 2024, ["360402", "360424"])
...     df[(df["quarter"] == 3) & df["domain"].isna()]   # all domains together, Q3
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from store.queries import frame

STATUS_COLUMNS = [
    "unit_code",
    "year",
    "quarter",
    "domain",
    "n_reported",
    "n_expected",
    "last_reported_at",
    "last_year",
    "last_quarter",
]
LAST_COLUMNS = ["unit_code", "last_reported_at", "last_year", "last_quarter"]


def status(con: duckdb.DuckDBPyConnection, year: int, units: Sequence[str]) -> pd.DataFrame:
    """A row per unit × quarter (1–4, and None when the year has whole-year figures) × domain.

    domain None is all domains together. n_reported counts the domain's importable indicators with a
    current value (a ratio counts when its two parts do); n_expected is how many there are.
    """
    if not units:
        return pd.DataFrame(columns=STATUS_COLUMNS)
    df = frame(con, "reporting_status", {"year": int(year), "units": list(units)})
    df["domain"] = df["domain"].astype(object).where(df["domain"].notna(), None)
    return df


def state(n_reported: int, n_expected: int) -> str:
    """'full', 'partial' or 'none': how a cell of the matrix reads.

    >>> state(7, 7), state(3, 7), state(0, 7)
    ('full', 'partial', 'none')
    """
    if n_reported <= 0:
        return "none"
    return "full" if n_reported >= n_expected else "partial"


def last_reported(status_df: pd.DataFrame) -> pd.DataFrame:
    """One row per unit: when it last reported (batch time) and its latest quarter; NaT/NA if never."""
    if status_df.empty:
        return pd.DataFrame(columns=LAST_COLUMNS)
    return status_df.drop_duplicates("unit_code")[LAST_COLUMNS].reset_index(drop=True)


def missing_units(status_df: pd.DataFrame, quarter: int, domain: str | None = None) -> list[str]:
    """Units with nothing reported for the quarter (in the domain, or in any domain when None)."""
    rows = _cells(status_df, quarter, domain)
    return list(rows.loc[rows["n_reported"] == 0, "unit_code"])


def partial_units(status_df: pd.DataFrame, quarter: int, domain: str | None = None) -> list[str]:
    """Units that reported some but not all of the indicators for the quarter."""
    rows = _cells(status_df, quarter, domain)
    return list(rows.loc[(rows["n_reported"] > 0) & (rows["n_reported"] < rows["n_expected"]), "unit_code"])


def _cells(status_df: pd.DataFrame, quarter: int, domain: str | None) -> pd.DataFrame:
    if status_df.empty:
        return status_df
    dom = status_df["domain"].isna() if domain is None else status_df["domain"] == domain
    return status_df[dom & (status_df["quarter"] == quarter)]
