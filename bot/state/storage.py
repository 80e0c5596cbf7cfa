"""A TinyDB storage that never leaves a torn file and survives a corrupt one.

Writes go to a temporary file in the same folder, are flushed and fsynced, then `os.replace`d over
the state file (atomic on POSIX), and the folder is fsynced so the rename itself is durable. A crash
or kill at any moment leaves the old file or the new one. A file that cannot be read (a disk error,
a hand edit gone wrong) is moved aside with a timestamp and logged loudly, and the bot starts fresh
rather than refusing to start: losing feedback counts is bad, but a bot that will not start is
worse.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

log = logging.getLogger(__name__)

TEMPORARY_MAX_AGE = 3600
"""Seconds after which a temporary file from an interrupted write is considered abandoned."""


class AtomicJSONStorage(Storage):
    """JSON storage with atomic replace-on-write and quarantine of unreadable files."""

    def __init__(self, path: str | Path, **_: Any) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.quarantined: list[Path] = []
        self._remove_abandoned_temporaries()

    def _remove_abandoned_temporaries(self) -> None:
        """A writer killed mid-write leaves its temporary file; the state file itself is whole.
        Old ones are removed (recent ones may belong to another process writing right now)."""
        cutoff = time.time() - TEMPORARY_MAX_AGE
        for leftover in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()

    def read(self) -> dict[str, dict[str, Any]] | None:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        if not raw.strip():
            return None
        try:
            data = json.loads(raw.decode("utf-8"))
            if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
                raise ValueError("not a TinyDB document (expected an object of tables)")
        except (UnicodeDecodeError, ValueError) as error:
            self.quarantine(str(error))
            return None
        return data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        folder = self.path.parent
        descriptor, temporary = tempfile.mkstemp(
            prefix=f".{self.path.name}.", suffix=".tmp", dir=folder
        )
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise
        _fsync_folder(folder)

    def quarantine(self, reason: str) -> Path:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.path.with_name(f"{self.path.name}.unreadable-{stamp}")
        os.replace(self.path, target)
        self.quarantined.append(target)
        log.error(
            "STATE FILE UNREADABLE (%s): moved %s to %s and starting with an empty store; "
            "updates, feedback and counters in the old file are not loaded",
            reason,
            self.path,
            target,
        )
        return target

    def close(self) -> None:
        """Nothing stays open between operations."""


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every filesystem lets a folder be fsynced
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
