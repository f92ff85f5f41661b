"""The examples in the docstrings of the plain-Python packages hold (loaders' are run with its tests)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

PACKAGES = ("store", "metrics", "charts", "exports")
MODULES = sorted(
    info.name
    for pkg in PACKAGES
    for info in pkgutil.iter_modules(importlib.import_module(pkg).__path__, prefix=f"{pkg}.")
)


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
