"""The stale-entry digest for maintainers: what to post, and whether anything changed.

A digest that repeats itself every week trains people to ignore it, so a digest is posted only
when the set of stale entries, or the reasons they are stale, changed since the last one. Growing
"days overdue" counts are not a change. The fingerprint of the last digest is kept in the state
store, so a restart does not repost it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from bot.service import StaleEntry
from bot.state.records import DigestRecord


@dataclass(frozen=True)
class DigestPlan:
    record: DigestRecord
    stale: list[StaleEntry]
    new_ids: tuple[str, ...]
    """Entries that were not in the previous digest."""


def fingerprint(stale: list[StaleEntry]) -> str:
    """Stable for the same entries and reasons, whatever the day."""
    shape = sorted(
        (
            item.entry.id,
            sorted(
                reason.code + (":" + reason.text if reason.code in ("update", "superseded") else "")
                for reason in item.freshness.reasons
            ),
        )
        for item in stale
    )
    return hashlib.sha256(json.dumps(shape).encode()).hexdigest()[:32]


def plan_digest(
    stale: list[StaleEntry], last: DigestRecord | None, now: dt.datetime
) -> DigestPlan | None:
    """The digest to post now, or None when there is nothing new to say."""
    current = fingerprint(stale)
    if last is not None and last.fingerprint == current:
        return None
    if not stale and last is None:
        return None
    previous = set(last.entry_ids) if last else set()
    record = DigestRecord(current, now, tuple(item.entry.id for item in stale))
    return DigestPlan(record, stale, tuple(i for i in record.entry_ids if i not in previous))
