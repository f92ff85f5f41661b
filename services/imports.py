"""Importing statistics sheets: check and preview (`prepare`), then write (`commit`), all or nothing.

>>> p = prepare(store, "2024Q3.xlsx", data, user="王芳")             # doctest: +SKIP
>>> commit(store, p, replace_demo=True, user="王芳").status           # doctest: +SKIP
'imported'
"""

from __future__ import annotations

from store.ingest import DEMO_REFUSED, ImportResult, Prepared, commit, prepare

__all__ = ["DEMO_REFUSED", "ImportResult", "Prepared", "commit", "prepare"]
