"""The store's one error type: every refusal the store makes is a StoreError with a Chinese message.

`dashboard.py` and `cli/main.py` each catch it once, so no traceback reaches a user. Subclasses say
what happened (busy, conflict, a revert refused, …) for callers that react differently.
"""

from __future__ import annotations


class StoreError(RuntimeError):
    """A refusal or failure of the store; str(exc) is the Chinese message to show."""


class SchemaTooNew(StoreError):
    """The file was written by a newer release than this one."""


class StoreUnavailable(StoreError):
    """The PostgreSQL store could not be reached (down, restarting, refused); the message is Chinese."""
