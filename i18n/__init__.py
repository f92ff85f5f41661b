"""The one message catalogue: every string we show goes through `t(key, lang, **values)`.

Simplified Chinese is the default; English is selectable. Messages live in `messages.toml`, a table
per key with `zh` and `en`; a missing English text falls back to Chinese, a missing key is a bug.

>>> t("kpi.yoy_up", "zh", pct="5.2%")
'同比增长 5.2%'
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
_FILE = Path(__file__).resolve().parent / "messages.toml"


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Flattened: 'section.key' -> {'zh': ..., 'en': ...}."""
    raw = tomllib.loads(_FILE.read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node: dict[str, Any]) -> None:
        if "zh" in node and isinstance(node["zh"], str):
            out[prefix] = node
            return
        for k, v in node.items():
            walk(f"{prefix}.{k}" if prefix else k, v)

    walk("", raw)
    return out


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of `key` in `lang`, with {placeholders} filled."""
    entry = catalogue()[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text
