"""The TinyDB-backed Store: one JSON file, atomic writes, a lock shared across processes.

Every method holds a thread lock and an `fcntl` lock on `<state>.lock` for its whole
read-modify-write, so two bot processes (or a bot and `oversight kb stale`) can share one file.
TinyDB's query cache is turned off for the same reason: another process may have written since.
Methods are synchronous; the Discord layer calls them through `AsyncStore`, in a worker thread,
so the event loop never waits on disk.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Table

from bot.state import migrations
from bot.state.records import (
    MAX_NOTE_CHARS,
    DigestRecord,
    FeedbackKind,
    FeedbackTally,
    NewUpdate,
    Update,
    UpdateEdit,
    utc_now,
)
from bot.state.storage import AtomicJSONStorage
from bot.state.store import SCHEMA_VERSION, StateError, UnknownUpdateError

META = "meta"
UPDATES = "updates"
FEEDBACK = "feedback"
ASKED = "asked"
UNANSWERED = "unanswered"


class TinyDBStore:
    """A Store in one TinyDB JSON file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._thread_lock = threading.RLock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = TinyDB(self.path, storage=AtomicJSONStorage)
        except OSError as error:
            raise StateError(
                f"cannot use the state file {self.path}: {error.strerror}; "
                "set OVERSIGHT_STATE_PATH to a writable location"
            ) from None
        with self._locked() as db:
            migrations.bring_up_to_date(db, self.path)

    # -- plumbing --------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[TinyDB]:
        with self._thread_lock, open(self.lock_path, "a", encoding="utf-8") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield self._db
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _table(self, db: TinyDB, name: str) -> Table:
        return db.table(name, cache_size=0)

    def _meta(self, db: TinyDB) -> dict[str, Any]:
        found = self._table(db, META).get(Query().key == "schema")
        return dict(found) if found else {}

    def _set_meta(self, db: TinyDB, **fields: Any) -> None:
        self._table(db, META).upsert({"key": "schema", **fields}, Query().key == "schema")

    @property
    def quarantined(self) -> list[Path]:
        """State files moved aside because they could not be read (see AtomicJSONStorage)."""
        return list(self._db.storage.quarantined)  # type: ignore[attr-defined]

    # -- moderator updates -------------------------------------------------------------------

    def add_update(self, new: NewUpdate, *, at: dt.datetime | None = None) -> Update:
        with self._locked() as db:
            meta = self._meta(db)
            number = int(meta.get("next_update", 1))
            update = Update(
                id=f"u{number}",
                posted_at=at or utc_now(),
                text=new.text,
                topic=new.topic,
                entry_ids=tuple(new.entry_ids),
                author_hash=new.author_hash,
                source_url=new.source_url,
                source_title=new.source_title,
            )
            self._table(db, UPDATES).insert(update.to_record())
            self._set_meta(db, next_update=number + 1)
            return update

    def get_update(self, update_id: str) -> Update | None:
        with self._locked() as db:
            found = self._table(db, UPDATES).get(Query().id == update_id)
            return Update.from_record(dict(found)) if found else None

    def list_updates(
        self, *, topic: str | None = None, include_retracted: bool = True
    ) -> list[Update]:
        with self._locked() as db:
            records = self._table(db, UPDATES).all()
        updates = [Update.from_record(dict(record)) for record in records]
        if topic is not None:
            updates = [update for update in updates if update.topic == topic]
        if not include_retracted:
            updates = [update for update in updates if not update.retracted]
        return sorted(updates, key=lambda update: (update.posted_at, _number(update.id)))

    def _change_update(self, update_id: str, change: Callable[[Update], Update]) -> Update:
        with self._locked() as db:
            table = self._table(db, UPDATES)
            found = table.get(Query().id == update_id)
            if not found:
                raise UnknownUpdateError(f"no update has the id {update_id!r}")
            changed = change(Update.from_record(dict(found)))
            table.update(changed.to_record(), Query().id == update_id)
            return changed

    def edit_update(
        self, update_id: str, text: str, editor_hash: str, *, at: dt.datetime | None = None
    ) -> Update:
        def edit(update: Update) -> Update:
            record = UpdateEdit(at or utc_now(), update.text, editor_hash)
            return replace(update, text=text, edits=(*update.edits, record))

        return self._change_update(update_id, edit)

    def retract_update(
        self, update_id: str, reason: str, *, at: dt.datetime | None = None
    ) -> Update:
        def retract(update: Update) -> Update:
            if update.retracted:
                return update
            return replace(update, retracted_at=at or utc_now(), retracted_reason=reason)

        return self._change_update(update_id, retract)

    def remove_update(self, update_id: str) -> None:
        """Delete an update that was never published (posting it to Discord failed)."""
        with self._locked() as db:
            self._table(db, UPDATES).remove(Query().id == update_id)

    def set_update_message(self, update_id: str, channel_id: int, message_id: int) -> Update:
        return self._change_update(
            update_id, lambda u: replace(u, channel_id=channel_id, message_id=message_id)
        )

    # -- feedback ----------------------------------------------------------------------------

    def record_feedback(
        self,
        entry_id: str,
        kind: FeedbackKind,
        user_hash: str,
        *,
        note: str | None = None,
        at: dt.datetime | None = None,
    ) -> bool:
        """Store a vote; False (and no change) when this user already voted this way here."""
        vote = Query()
        condition = (
            (vote.entry_id == entry_id) & (vote.kind == kind) & (vote.user_hash == user_hash)
        )
        with self._locked() as db:
            table = self._table(db, FEEDBACK)
            if table.contains(condition):
                return False
            record: dict[str, Any] = {
                "entry_id": entry_id,
                "kind": kind,
                "user_hash": user_hash,
                "at": (at or utc_now()).isoformat(),
            }
            if note:
                record["note"] = note[:MAX_NOTE_CHARS]
            table.insert(record)
            return True

    def feedback_tally(self, entry_id: str) -> FeedbackTally:
        with self._locked() as db:
            votes = self._table(db, FEEDBACK).search(Query().entry_id == entry_id)
        counts = {"helpful": 0, "not_helpful": 0, "outdated": 0}
        for vote in votes:
            counts[vote["kind"]] = counts.get(vote["kind"], 0) + 1
        return FeedbackTally(**counts)

    def outdated_reports(self) -> dict[str, list[dt.date]]:
        with self._locked() as db:
            votes = self._table(db, FEEDBACK).search(Query().kind == "outdated")
        reports: dict[str, list[dt.date]] = {}
        for vote in votes:
            reports.setdefault(vote["entry_id"], []).append(
                dt.datetime.fromisoformat(vote["at"]).date()
            )
        return reports

    def feedback_notes(self, entry_id: str) -> list[tuple[dt.datetime, str]]:
        with self._locked() as db:
            votes = self._table(db, FEEDBACK).search(
                (Query().entry_id == entry_id) & (Query().kind == "outdated")
            )
        return [(dt.datetime.fromisoformat(v["at"]), v["note"]) for v in votes if v.get("note")]

    # -- counters ----------------------------------------------------------------------------

    def count_asked(self, entry_id: str, amount: int = 1) -> None:
        with self._locked() as db:
            table = self._table(db, ASKED)
            found = table.get(Query().entry_id == entry_id)
            total = (found["count"] if found else 0) + amount
            table.upsert({"entry_id": entry_id, "count": total}, Query().entry_id == entry_id)

    def asked_counts(self) -> dict[str, int]:
        with self._locked() as db:
            return {row["entry_id"]: row["count"] for row in self._table(db, ASKED).all()}

    # -- unanswered questions ----------------------------------------------------------------

    def log_unanswered(self, question: str, *, at: dt.datetime | None = None) -> None:
        with self._locked() as db:
            self._table(db, UNANSWERED).insert(
                {"at": (at or utc_now()).isoformat(), "question": question}
            )

    def unanswered(self, *, since: dt.datetime | None = None) -> list[tuple[dt.datetime, str]]:
        with self._locked() as db:
            rows = self._table(db, UNANSWERED).all()
        found = [(dt.datetime.fromisoformat(row["at"]), row["question"]) for row in rows]
        return [item for item in found if since is None or item[0] >= since]

    def prune_unanswered(self, before: dt.datetime) -> int:
        cutoff = before.isoformat()
        with self._locked() as db:
            removed = self._table(db, UNANSWERED).remove(Query().at < cutoff)
        return len(removed)

    # -- digest memory -----------------------------------------------------------------------

    def last_digest(self) -> DigestRecord | None:
        with self._locked() as db:
            digest = self._meta(db).get("digest")
        if not digest:
            return None
        return DigestRecord(
            digest["fingerprint"],
            dt.datetime.fromisoformat(digest["posted_at"]),
            tuple(digest.get("entry_ids", ())),
        )

    def save_digest(self, record: DigestRecord) -> None:
        with self._locked() as db:
            self._set_meta(
                db,
                digest={
                    "fingerprint": record.fingerprint,
                    "posted_at": record.posted_at.isoformat(),
                    "entry_ids": list(record.entry_ids),
                },
            )

    # -- housekeeping ------------------------------------------------------------------------

    def schema_version(self) -> int:
        with self._locked() as db:
            return int(self._meta(db).get("version", 0))

    def check(self) -> list[str]:
        """Problems that would stop the bot from keeping state (empty when healthy)."""
        problems = []
        if self.schema_version() != SCHEMA_VERSION:
            problems.append(f"state schema is {self.schema_version()}, expected {SCHEMA_VERSION}")
        if not os.access(self.path.parent, os.W_OK):
            problems.append(f"state folder {self.path.parent} is not writable")
        return problems


def _number(update_id: str) -> int:
    digits = update_id.lstrip("u")
    return int(digits) if digits.isdigit() else 0
