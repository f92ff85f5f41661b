"""Every message key is used somewhere (issue 10): a key nothing shows is dead text that translators
keep up to date for nothing. Keys are found as literals, as f-string families (f"domain.{d}") and as
section-variable families (f"{prefix}.stage_{s}")."""

from __future__ import annotations

import re
from pathlib import Path

from i18n import catalogue

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = (
    "ui",
    "views",
    "cli",
    "charts",
    "exports",
    "metrics",
    "store",
    "loaders",
    "domain",
    "demo",
    "i18n",
)


def _code() -> str:
    files = [ROOT / "dashboard.py", *(p for d in PACKAGES for p in (ROOT / d).rglob("*.py"))]
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def unused_keys() -> list[str]:
    code = _code()
    literal = set(re.findall(r"""["']([a-z_]+\.[a-z_0-9]+)["']""", code))
    prefixes = set(re.findall(r"""f["']([a-z_]+\.[a-z_0-9]*)\{""", code))
    prefixes |= set(re.findall(r"""["']([a-z_]+\.[a-z_0-9]*)["']\s*\+""", code))
    suffixes = set(re.findall(r"""f["']\{[^}]+\}(\.[a-z_0-9]+)""", code))
    return sorted(
        k
        for k in catalogue()
        if k not in literal
        and not any(k.startswith(p) for p in prefixes)
        and not any(("." + k.split(".", 1)[1]).startswith(s) for s in suffixes)
    )


def test_every_message_key_is_used():
    assert unused_keys() == []


def test_the_finder_sees_the_families():
    """The dynamic families really are seen (else the test above would pass by finding everything used)."""
    code = _code()
    assert 'tr(f"domain.{' in code and "domain.proposals" in catalogue()
    assert len(catalogue()) > 300
