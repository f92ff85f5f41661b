"""What the `cppcc` command and the pages both call to change data (import, revert, targets, units,
the dictionary, presets, demo removal, backup and restore): one door, so a rule enforced for one is
enforced for the other. The accounts issue adds the permission checks here ("may this user do this
to these units"), never in the pages alone. Reads for charts go through metrics and ui/data.py.

Layer: below ui and cli, above demo, exports, charts, metrics and the store (see domain/__init__.py).
"""
