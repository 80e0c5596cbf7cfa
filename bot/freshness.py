"""Why an entry may be out of date, in words a maintainer can act on.

Following how careful publishers keep facts fresh (a "next review due" date that only a real
re-check resets; dated corrections), an entry is stale when any of these holds:

- its review interval (entry > topic > kind default) has passed since `last_verified`;
- a moderator update touched it, or its topic, after `last_verified`;
- enough users reported it outdated since `last_verified`;
- it names a `superseded_by` entry.

Only a new `last_verified` clears the date-based, update and report reasons: an edit is not a
review.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.knowledge.dates import human_day
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.model import Entry

DEFAULT_REPORT_THRESHOLD = 3


class _Touching(Protocol):
    entry_ids: tuple[str, ...]
    topic: str | None


def touches(update: _Touching, entry: Entry) -> bool:
    """Whether an update concerns an entry: the entries it names, or else its whole topic."""
    if update.entry_ids:
        return entry.id in update.entry_ids
    return update.topic is not None and update.topic in entry.topics


@dataclass(frozen=True)
class UpdateMark:
    """A moderator update as freshness sees it: which entries or topic it touched and when."""

    update_id: str
    posted_on: dt.date
    topic: str | None = None
    entry_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Signals:
    """What the bot's state knows that the YAML does not: updates and outdated reports."""

    updates: Sequence[UpdateMark] = ()
    outdated_reports: dict[str, Sequence[dt.date]] = field(default_factory=dict)
    """Entry id -> dates of 'outdated or wrong' reports (one per user)."""
    report_threshold: int = DEFAULT_REPORT_THRESHOLD


NO_SIGNALS = Signals()


@dataclass(frozen=True)
class StaleReason:
    """One reason an entry needs re-checking. `code` is stable for tools; `text` is for people."""

    code: str
    text: str
    overdue_days: int = 0


@dataclass(frozen=True)
class Freshness:
    """An entry's freshness on a given day."""

    due_on: dt.date
    reasons: tuple[StaleReason, ...] = ()

    @property
    def stale(self) -> bool:
        return bool(self.reasons)

    @property
    def overdue_days(self) -> int:
        return max((reason.overdue_days for reason in self.reasons), default=0)

    @property
    def reason_texts(self) -> list[str]:
        return [reason.text for reason in self.reasons]


def assess(
    entry: Entry, knowledge: KnowledgeBase, today: dt.date, signals: Signals = NO_SIGNALS
) -> Freshness:
    """Every reason `entry` is stale on `today`."""
    interval = knowledge.review_every_days(entry)
    due_on = entry.last_verified + dt.timedelta(days=interval)
    reasons: list[StaleReason] = []
    if today > due_on:
        overdue = (today - due_on).days
        reasons.append(
            StaleReason(
                "review_due",
                f"last verified {entry.last_verified.isoformat()}, review every {interval:,} "
                f"days: {overdue:,} {_days(overdue)} overdue",
                overdue,
            )
        )
    for update in signals.updates:
        if touches(update, entry) and update.posted_on > entry.last_verified:
            reasons.append(
                StaleReason(
                    "update",
                    f"moderator update {update.update_id} on {update.posted_on.isoformat()}",
                )
            )
    reports = [
        day for day in signals.outdated_reports.get(entry.id, ()) if day > entry.last_verified
    ]
    if reports and len(reports) >= signals.report_threshold:
        reasons.append(
            StaleReason(
                "reports",
                f"{len(reports)} {'user' if len(reports) == 1 else 'users'} reported it outdated "
                "since it was last verified",
            )
        )
    if entry.superseded_by is not None:
        replacement = knowledge.entries.get(entry.superseded_by)
        label = f" ({replacement.question})" if replacement else ""
        reasons.append(StaleReason("superseded", f"superseded by `{entry.superseded_by}`{label}"))
    return Freshness(due_on, tuple(reasons))


def _days(count: int) -> str:
    return "day" if count == 1 else "days"


def describe_due(freshness: Freshness) -> str:
    """'next review due 25 May 2027', for people reading an answer."""
    return f"next review due {human_day(freshness.due_on)}"
