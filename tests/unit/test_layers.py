"""Pages reach the store through ui/data.py only (issue 10): no page script or other ui module opens a
connection, a transaction or a cache of its own. (The package DAG itself is `lint-imports`, a step of
the test command, with the contracts in pyproject.toml.)"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted([*ROOT.glob("views/*.py"), ROOT / "dashboard.py", *ROOT.glob("ui/*.py")])
OWN = {"connect", "transaction", "cache_data", "cache_resource"}


def offences(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in OWN:
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found += [f"{path.name}:{node.lineno} import {n}" for n in names if n.split(".")[0] == "duckdb"]
    return found


@pytest.mark.parametrize("path", [p for p in PAGES if p.name != "data.py"], ids=lambda p: p.name)
def test_only_ui_data_opens_the_store(path):
    assert offences(path) == []


def test_the_check_sees_what_ui_data_does():
    """ui/data.py does open connections and caches: the check would catch them anywhere else."""
    assert any(".connect" in o for o in offences(ROOT / "ui" / "data.py"))
    assert any(".cache_data" in o for o in offences(ROOT / "ui" / "data.py"))
