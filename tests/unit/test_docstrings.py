"""The examples in the docstrings of the project's packages hold.

A case is a module with at least one example that runs: a module without examples (or whose only
examples are `# doctest: +SKIP`) is not a case, since it could only ever pass.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import types
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Every top-level package of the project (a new one is covered without being listed here).
PACKAGES = sorted(p.parent.name for p in ROOT.glob("*/__init__.py") if p.parent.name != "tests")
FLAGS = doctest.ELLIPSIS


def _runnable(module: types.ModuleType) -> int:
    """How many examples doctest would run in the module (the ones it finds, less the skipped)."""
    tests = doctest.DocTestFinder().find(module)
    return sum(1 for t in tests for e in t.examples if not e.options.get(doctest.SKIP, False))


def _modules() -> list[str]:
    names = []
    for pkg in PACKAGES:
        names.append(pkg)
        path = importlib.import_module(pkg).__path__
        names += [info.name for info in pkgutil.iter_modules(path, prefix=f"{pkg}.")]
    return sorted(n for n in names if _runnable(importlib.import_module(n)))


MODULES = _modules()


def run_examples(module: types.ModuleType) -> doctest.TestResults:
    return doctest.testmod(module, optionflags=FLAGS)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = run_examples(importlib.import_module(name))
    assert result.attempted > 0
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed"


def _module(source: str) -> types.ModuleType:
    mod = types.ModuleType("fake_doctest_module")
    exec(source, mod.__dict__)
    return mod


def test_a_module_without_runnable_examples_is_not_a_case() -> None:
    plain = _module('"""No example."""\ndef f():\n    """Nor here."""\n')
    skipped = _module('">>> 1 + 1  # doctest: +SKIP\\n3\\n"')
    assert _runnable(plain) == 0 and _runnable(skipped) == 0
    assert _runnable(_module('">>> 1 + 1\\n2\\n"')) == 1
    assert {"store", "metrics", "loaders", "charts", "exports"} <= set(PACKAGES)
    assert "metrics.composite" in MODULES and "store.errors" not in MODULES


def test_a_failing_example_fails_the_case() -> None:
    result = run_examples(_module('">>> 1 + 1\\n3\\n"'))
    assert (result.attempted, result.failed) == (1, 1)
