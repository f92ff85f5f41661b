"""The one message catalogue: every string we show goes through `t(key, lang, **values)`.

Simplified Chinese is the default; English is selectable. Messages live in `i18n/*.toml` (the shared
`messages.toml`, and one file per page group), a table per key with `zh` and `en`; a missing English
text falls back to Chinese, a missing key is a bug, and a key defined twice is refused.

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
_DIR = Path(__file__).resolve().parent


@cache
def catalogue() -> dict[str, dict[str, str]]:
    """Flattened: 'section.key' -> {'zh': ..., 'en': ...}."""
    out: dict[str, dict[str, str]] = {}

    def walk(prefix: str, node: dict[str, Any], source: str) -> None:
        if "zh" in node and isinstance(node["zh"], str):
            if prefix in out:
                raise ValueError(f"message key {prefix} is defined twice (again in {source})")
            out[prefix] = node
            return
        for k, v in node.items():
            walk(f"{prefix}.{k}" if prefix else k, v, source)

    for path in sorted(_DIR.glob("*.toml")):
        walk("", tomllib.loads(path.read_text(encoding="utf-8")), path.name)
    return out


def t(key: str, lang: str = DEFAULT_LANG, **values: object) -> str:
    """The text of `key` in `lang`, with {placeholders} filled."""
    entry = catalogue()[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**values) if values else text
