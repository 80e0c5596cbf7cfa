"""The Store interface: everything the bot keeps between runs, behind one small protocol.

TinyDB (`TinyDBStore`) is the embedded default. A sharded deployment would implement the same
protocol on PostgreSQL; so nothing outside `bot.state` touches TinyDB, and no method assumes one
process owns the data (every operation is a locked read-modify-write).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from bot.state.records import DigestRecord, FeedbackKind, FeedbackTally, NewUpdate, Update

SCHEMA_VERSION = 2
"""Version of the state layout this code writes. See `bot.state.migrations`."""


class StateError(Exception):
    """The state store cannot be used; the message says why and what to do."""


class UnknownUpdateError(StateError):
    """No update has that id."""


class Store(Protocol):
    # -- moderator updates
    def add_update(self, new: NewUpdate, *, at: dt.datetime | None = None) -> Update: ...
    def get_update(self, update_id: str) -> Update | None: ...
    def list_updates(
        self, *, topic: str | None = None, include_retracted: bool = True
    ) -> list[Update]: ...
    def edit_update(
        self, update_id: str, text: str, editor_hash: str, *, at: dt.datetime | None = None
    ) -> Update: ...
    def retract_update(
        self, update_id: str, reason: str, *, at: dt.datetime | None = None
    ) -> Update: ...
    def remove_update(self, update_id: str) -> None: ...
    def set_update_message(self, update_id: str, channel_id: int, message_id: int) -> Update: ...

    # -- feedback (one vote per user per entry per kind)
    def record_feedback(
        self,
        entry_id: str,
        kind: FeedbackKind,
        user_hash: str,
        *,
        note: str | None = None,
        at: dt.datetime | None = None,
    ) -> bool: ...
    def feedback_tally(self, entry_id: str) -> FeedbackTally: ...
    def outdated_reports(self) -> dict[str, list[dt.date]]: ...

    # -- counters
    def count_asked(self, entry_id: str, amount: int = 1) -> None: ...
    def asked_counts(self) -> dict[str, int]: ...

    # -- unanswered questions (only when enabled; no author)
    def log_unanswered(self, question: str, *, at: dt.datetime | None = None) -> None: ...
    def unanswered(self, *, since: dt.datetime | None = None) -> list[tuple[dt.datetime, str]]: ...
    def prune_unanswered(self, before: dt.datetime) -> int: ...

    # -- digest memory
    def last_digest(self) -> DigestRecord | None: ...
    def save_digest(self, record: DigestRecord) -> None: ...

    # -- housekeeping
    def schema_version(self) -> int: ...
    def check(self) -> Sequence[str]: ...
