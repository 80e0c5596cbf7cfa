"""The bot's own state: moderator updates, feedback, counters, digest memory.

Reach it only through `open_store` and the `Store` protocol; nothing else imports TinyDB.
"""

from __future__ import annotations

from pathlib import Path

from bot.state.store import SCHEMA_VERSION, StateError, Store, UnknownUpdateError


def open_store(path: str | Path) -> Store:
    """The default store (TinyDB) at `path`; StateError says what to do when it cannot open."""
    from bot.state.tinydb_store import TinyDBStore

    return TinyDBStore(path)


__all__ = ["SCHEMA_VERSION", "StateError", "Store", "UnknownUpdateError", "open_store"]
