"""Bringing a state file written by an older Oversight up to the current layout.

Each step takes the raw TinyDB data of version N and returns version N+1. A file from a newer
Oversight is refused with a clear message rather than half-understood: downgrading the bot must not
silently drop what the newer one stored.

Versions:
- 1: any state written before the file carried a version (Oversight 0.1 development builds). The
  tables are the same; from 2 on, the schema version and the update counter live in `meta`.
- 2: current.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tinydb import TinyDB

from bot.state.store import SCHEMA_VERSION, StateError

log = logging.getLogger(__name__)

Data = dict[str, dict[str, Any]]


def _v1_to_v2(data: Data) -> Data:
    """Stamp the version and derive the next update number from the updates already stored."""
    updates = data.get("updates", {})
    numbers = [
        int(str(record.get("id", "")).lstrip("u"))
        for record in updates.values()
        if str(record.get("id", "")).lstrip("u").isdigit()
    ]
    meta = data.setdefault("meta", {})
    schema = next((doc for doc in meta.values() if doc.get("key") == "schema"), None)
    if schema is None:
        schema = {"key": "schema"}
        meta[str(len(meta) + 1)] = schema
    schema["next_update"] = max(numbers, default=0) + 1
    return data


STEPS: dict[int, Callable[[Data], Data]] = {1: _v1_to_v2}
"""STEPS[n] migrates version n to n + 1."""


def version_of(data: Data | None) -> int:
    if not data:
        return SCHEMA_VERSION  # a new file starts at the current version
    for doc in data.get("meta", {}).values():
        if doc.get("key") == "schema" and "version" in doc:
            return int(doc["version"])
    return 1


def bring_up_to_date(db: TinyDB, path: Path) -> None:
    """Migrate the open database in place (the caller holds the store's lock)."""
    data: Data | None = db.storage.read()
    version = version_of(data)
    if version > SCHEMA_VERSION:
        raise StateError(
            f"the state file {path} was written by a newer Oversight (state schema {version}; "
            f"this version understands up to {SCHEMA_VERSION}): upgrade the bot, or set "
            "OVERSIGHT_STATE_PATH to another file"
        )
    data = data or {}
    start = version
    while version < SCHEMA_VERSION:
        data = STEPS[version](data)
        version += 1
    meta = data.setdefault("meta", {})
    schema = next((doc for doc in meta.values() if doc.get("key") == "schema"), None)
    if schema is None:
        meta[str(len(meta) + 1)] = {"key": "schema", "version": version}
    elif schema.get("version") != version:
        schema["version"] = version
    else:
        return
    db.storage.write(data)
    if start != version and start != SCHEMA_VERSION:
        log.warning("migrated state file %s from schema %d to %d", path, start, version)
