"""A file's records on their way into the store: as an Arrow table DuckDB reads (`incoming_table`), and
compared with what is stored (`compare_with_store`: the stored value and new / changed / unchanged per value).

>>> from loaders import Records
>>> recs = Records()
>>> recs.add_row("360424", 2024, 3, ("proposals_submitted",), (35.0,), (False,), "汇总", 9, ("提交提案",))
>>> incoming_table(recs).to_pylist()[0]["source_row"]
9
"""

from __future__ import annotations

from operator import itemgetter

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from loaders import Records
from store.queries import sql

_NAMES = pa.dictionary(pa.int32(), pa.string())  # units and sheets: a few names, each kept once
INCOMING_SCHEMA = pa.schema(
    [
        ("unit_code", _NAMES),
        ("year", pa.int16()),
        ("quarter", pa.int8()),
        ("indicator", pa.string()),
        ("value", pa.float64()),
        ("approximate", pa.bool_()),
        ("source_sheet", _NAMES),
        ("source_row", pa.int32()),
        ("source_column", pa.string()),
    ]
)


def incoming_table(records: Records) -> pa.Table:
    """The records as an Arrow table (INCOMING_SCHEMA): a provincial file has ~250,000 values.

    What a run of records shares (unit, period, sheet, row) is repeated in numpy, from one entry per run.
    """
    lengths = np.array(records.lengths(), dtype=np.int64)
    runs = records.runs

    def per_run(k: int, dtype: type) -> np.ndarray:
        return np.repeat(np.fromiter(map(itemgetter(k), runs), dtype=dtype, count=len(runs)), lengths)

    def strings(k: int) -> pa.Array:  # few distinct (units, sheets): each once, indices repeated
        if len(runs) == len(records):  # a long table, a run per record: Arrow encodes it in C
            return pa.array(list(map(itemgetter(k), runs)), type=pa.string()).dictionary_encode()
        found: dict[object, int] = {}
        ids = [found.setdefault(run[k], len(found)) for run in runs]
        index = pa.array(np.repeat(np.array(ids, dtype=np.int32), lengths))
        return pa.DictionaryArray.from_arrays(index, pa.array(list(found), type=pa.string()))

    quarters = np.fromiter((-1 if run[2] is None else run[2] for run in runs), dtype=np.int8, count=len(runs))
    quarter = np.repeat(quarters, lengths)
    return pa.Table.from_arrays(
        [
            strings(0),
            pa.array(per_run(1, np.int16)),
            pa.array(quarter, mask=quarter < 0),
            pa.array(records.indicator, type=pa.string()),
            pc.add(pa.array(records.value, type=pa.float64()), 0.0),  # -0.0 + 0.0 is 0.0: `-0` is stored as 0
            pa.array(records.approximate, type=pa.bool_()),
            strings(3),
            pa.array(per_run(4, np.int32)),
            pa.array(records.column, type=pa.string()),
        ],
        schema=INCOMING_SCHEMA,
    )


def compare_with_store(con: duckdb.DuckDBPyConnection, records: Records) -> pa.Table:
    """The values to store, each with the current stored value and 'new' / 'changed' / 'unchanged'."""
    con.register("_incoming", incoming_table(records))
    try:
        return con.sql(sql("diff_incoming")).to_arrow_table()
    finally:
        con.unregister("_incoming")
