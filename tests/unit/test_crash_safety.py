"""A process killed with SIGKILL in the middle of an import leaves the store as it was, and usable: a DuckDB
file, and PostgreSQL (the killed writer's transaction and write lock end with its connection)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from tests.helpers import add_batch, fact, snapshot

CHILD = textwrap.dedent("""
    import sys, pandas as pd
    from store.open import open_store
    from store.facts import append_facts, new_batch
    n = 400_000
    df = pd.DataFrame({"unit_code": ["360424"] * n, "year": [2024] * n, "quarter": [1 + i % 4 for i in range(n)],
                       "indicator": [f"x{i}" for i in range(n)], "value": [float(i) for i in range(n)]})
    with open_store(sys.argv[1]).transaction() as con:
        b = new_batch(con, "import", file_name="big.xlsx")
        print("writing", flush=True)
        append_facts(con, b, df)
        print("committing", flush=True)
    print("done", flush=True)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
@pytest.mark.parametrize("when", ["writing", "committing"])
def test_sigkill_mid_import_leaves_store_unchanged_and_usable(store, when):
    add_batch(store, [fact("360424", 2023, 4, "inspections", 3)])
    before = snapshot(store)
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, store.target], stdout=subprocess.PIPE, text=True, env=env
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.strip() == when:
            break
    time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    # all or nothing: killed before its commit finished, nothing is there; after, everything is
    with store.connect() as con:
        facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
        batches = con.execute("SELECT count(*) FROM batches").fetchone()[0]
    assert (facts, batches) in ((1, 1), (400_001, 2))
    if when == "writing":
        assert (facts, batches) == (1, 1) and snapshot(store) == before
    add_batch(store, [fact("360424", 2024, 1, "inspections", 5)])
    with store.connect() as con:
        assert con.execute(
            "SELECT value FROM indicator_values WHERE indicator = 'inspections' AND year = 2024"
        ).fetchone() == (5.0,)
