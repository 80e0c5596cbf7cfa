"""What the bot remembers, as plain records: moderator updates, feedback, digests.

These are the store's vocabulary, shared by every Store implementation (TinyDB now, PostgreSQL for
sharded deployments later), so they are plain dataclasses that convert to and from JSON-safe dicts.
No record holds a Discord user id: people appear only as keyed hashes (see `bot.privacy`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FeedbackKind = Literal["helpful", "not_helpful", "outdated"]
FEEDBACK_KINDS: tuple[FeedbackKind, ...] = ("helpful", "not_helpful", "outdated")

MAX_UPDATE_CHARS = 1500
MAX_NOTE_CHARS = 500


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _when(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class UpdateEdit:
    """One correction to an update's text; the previous text is kept."""

    edited_at: dt.datetime
    previous_text: str
    editor_hash: str


@dataclass(frozen=True)
class Update:
    """A dated moderator update: news or a correction attached to a topic or entries."""

    id: str
    posted_at: dt.datetime
    text: str
    topic: str | None
    entry_ids: tuple[str, ...]
    author_hash: str
    source_url: str | None = None
    source_title: str | None = None
    retracted_at: dt.datetime | None = None
    retracted_reason: str | None = None
    edits: tuple[UpdateEdit, ...] = ()
    channel_id: int | None = None
    message_id: int | None = None

    @property
    def retracted(self) -> bool:
        return self.retracted_at is not None

    @property
    def posted_on(self) -> dt.date:
        return self.posted_at.date()

    def to_record(self) -> dict[str, Any]:
        record = asdict(self)
        record["posted_at"] = self.posted_at.isoformat()
        record["retracted_at"] = self.retracted_at.isoformat() if self.retracted_at else None
        record["entry_ids"] = list(self.entry_ids)
        record["edits"] = [
            {**asdict(edit), "edited_at": edit.edited_at.isoformat()} for edit in self.edits
        ]
        return record

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Update:
        return cls(
            id=record["id"],
            posted_at=dt.datetime.fromisoformat(record["posted_at"]),
            text=record["text"],
            topic=record.get("topic"),
            entry_ids=tuple(record.get("entry_ids", ())),
            author_hash=record["author_hash"],
            source_url=record.get("source_url"),
            source_title=record.get("source_title"),
            retracted_at=_when(record.get("retracted_at")),
            retracted_reason=record.get("retracted_reason"),
            edits=tuple(
                UpdateEdit(
                    dt.datetime.fromisoformat(edit["edited_at"]),
                    edit["previous_text"],
                    edit["editor_hash"],
                )
                for edit in record.get("edits", ())
            ),
            channel_id=record.get("channel_id"),
            message_id=record.get("message_id"),
        )

    def to_json(self) -> dict[str, Any]:
        """The public view (no author hash): for `ask --json` and exports."""
        return {
            "id": self.id,
            "posted_at": self.posted_at.isoformat(),
            "text": self.text,
            "topic": self.topic,
            "entry_ids": list(self.entry_ids),
            "source_url": self.source_url,
            "source_title": self.source_title,
            "retracted": self.retracted,
            "edited": bool(self.edits),
        }


@dataclass(frozen=True)
class NewUpdate:
    """What a moderator submits; the store gives it an id and a time."""

    text: str
    topic: str | None
    entry_ids: tuple[str, ...]
    author_hash: str
    source_url: str | None = None
    source_title: str | None = None


@dataclass(frozen=True)
class FeedbackTally:
    helpful: int = 0
    not_helpful: int = 0
    outdated: int = 0


@dataclass(frozen=True)
class DigestRecord:
    """What the last stale-entry digest said, so an unchanged list is not posted again."""

    fingerprint: str
    posted_at: dt.datetime
    entry_ids: tuple[str, ...] = field(default_factory=tuple)
