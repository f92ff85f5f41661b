"""Fixtures for loader tests: the real dictionary and 九江市's units, and a parse shortcut."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # loader_sheets, whatever the import mode

from domain.dictionary import Dictionary, Unit, demo_units, load_dictionary
from loaders import ParsedFile, parse_file

TODAY = dt.date(2025, 1, 15)


@pytest.fixture(scope="session")
def dictionary() -> Dictionary:
    return load_dictionary()


@pytest.fixture(scope="session")
def units() -> list[Unit]:
    return demo_units()


@pytest.fixture
def parse(dictionary: Dictionary, units: list[Unit]) -> Callable[..., ParsedFile]:
    """parse(name, data, **options) with the real dictionary, 九江's units and today = 2025-01-15."""

    def run(name: str, data: bytes, **kw: object) -> ParsedFile:
        kw.setdefault("today", TODAY)
        return parse_file(name, data, dictionary=dictionary, units=units, **kw)  # type: ignore[arg-type]

    return run
