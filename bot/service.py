"""The bot's core service: answering with the state's knowledge, reloading, stale reports.

Front ends (Discord cogs, the console, the CLI) hold one `OversightService`. It joins the
immutable Answerer with what the state store knows (moderator updates, outdated reports, ask
counts) and keeps a snapshot of that in memory, so answering never waits on disk: `ask` is pure
and in-memory; `record` and `refresh` do the disk work and are called off the event loop.
A reload builds a whole new Answerer and swaps it in with one assignment.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from bot.answering import Answer, Answerer
from bot.config import Settings
from bot.freshness import Freshness, Signals, UpdateMark, assess, touches
from bot.knowledge.cache import load_indexed
from bot.knowledge.loader import KnowledgeBase, KnowledgeError
from bot.knowledge.model import Entry
from bot.state import Store
from bot.state.records import Update, utc_now

MAX_UPDATES_SHOWN = 2


@dataclass(frozen=True)
class StaleEntry:
    """An entry that needs re-checking, with every reason and how often people ask for it."""

    entry: Entry
    freshness: Freshness
    asked: int

    def to_json(self) -> dict:
        return {
            "id": self.entry.id,
            "question": self.entry.question,
            "reasons": self.freshness.reason_texts,
            "overdue_days": self.freshness.overdue_days,
            "asked": self.asked,
        }


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    entries: int
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class StateSnapshot:
    """What the store knew at the last refresh."""

    updates: tuple[Update, ...] = ()
    outdated_reports: dict[str, list[dt.date]] | None = None
    asked: dict[str, int] | None = None


class OversightService:
    """One knowledge base, one store, one snapshot of the store; safe to share in one process."""

    def __init__(
        self,
        answerer: Answerer,
        store: Store | None = None,
        *,
        report_threshold: int = 3,
        log_unanswered: bool = False,
        unanswered_retention_days: int = 30,
        clock: Callable[[], dt.datetime] = utc_now,
        cache_dir: Path | None = None,
    ) -> None:
        self._answerer = answerer
        self.store = store
        self.report_threshold = report_threshold
        self.log_unanswered = log_unanswered
        self.unanswered_retention = dt.timedelta(days=unanswered_retention_days)
        self.clock = clock
        self.cache_dir = cache_dir
        self._snapshot = StateSnapshot()
        self._signals = Signals(report_threshold=report_threshold)
        self._reload_lock = threading.Lock()
        self.refresh()

    # -- the knowledge base ------------------------------------------------------------------

    @property
    def answerer(self) -> Answerer:
        return self._answerer

    @property
    def knowledge(self) -> KnowledgeBase:
        return self._answerer.knowledge

    def reload(self, root: Path | None = None) -> ReloadResult:
        """Load and index the folder again; swap it in only if it is valid.

        Runs in a worker thread in the Discord bot. Until the single assignment at the end, every
        question is answered from the old knowledge base; on errors, it keeps serving the old one.
        """
        with self._reload_lock:
            current = self._answerer
            try:
                knowledge, index = load_indexed(
                    root or current.knowledge.root, cache_dir=self.cache_dir
                )
            except KnowledgeError as error:
                return ReloadResult(
                    False, len(current.knowledge.entries), tuple(map(str, error.problems))
                )
            fresh = Answerer(knowledge, index, params=current.params, clock=current.clock)
            self._answerer = fresh
            return ReloadResult(True, len(knowledge.entries))

    # -- the store snapshot ------------------------------------------------------------------

    def refresh(self) -> None:
        """Re-read updates, reports and counts from the store (disk: call off the event loop)."""
        if self.store is None:
            return
        snapshot = StateSnapshot(
            updates=tuple(self.store.list_updates()),
            outdated_reports=self.store.outdated_reports(),
            asked=self.store.asked_counts(),
        )
        marks = [
            UpdateMark(u.id, u.posted_on, u.topic, u.entry_ids)
            for u in snapshot.updates
            if not u.retracted
        ]
        # Built here, once per refresh, so that answering a question only reads it.
        self._signals = Signals(marks, snapshot.outdated_reports or {}, self.report_threshold)
        self._snapshot = snapshot

    @property
    def updates(self) -> tuple[Update, ...]:
        return self._snapshot.updates

    def signals(self) -> Signals:
        """Updates and reports as freshness needs them, from the last refresh."""
        return self._signals

    # -- answering ---------------------------------------------------------------------------

    def ask(self, question: str) -> Answer:
        """Answer from memory: the knowledge base plus the last snapshot of the store."""
        answerer = self._answerer
        answer = answerer.ask(question, self.signals())
        if answer.entry is None:
            return answer
        return replace(answer, updates=self.updates_for(answer.entry))

    def freshness(self, entry: Entry) -> Freshness:
        return self._answerer.freshness(entry, self.signals())

    def show(self, entry: Entry) -> Answer:
        """An entry picked by id or from a suggestion, rendered like an answer."""
        return Answer(
            entry.question,
            entry,
            1.0,
            (),
            "exact",
            self.freshness(entry),
            (),
            self.updates_for(entry),
        )

    def updates_for(self, entry: Entry) -> tuple[Update, ...]:
        """Live updates newer than the entry's last check, latest first (at most two)."""
        touching = [
            update
            for update in self._snapshot.updates
            if not update.retracted
            and update.posted_on > entry.last_verified
            and touches(update, entry)
        ]
        touching.sort(key=lambda update: update.posted_at, reverse=True)
        return tuple(touching[:MAX_UPDATES_SHOWN])

    def record(self, answer: Answer) -> None:
        """Count an answer, or log an unanswered question when that is enabled (disk)."""
        if self.store is None:
            return
        if answer.entry is not None:
            self.store.count_asked(answer.entry.id)
        elif self.log_unanswered and answer.question.strip():
            now = self.clock()
            self.store.log_unanswered(answer.question.strip()[:300], at=now)
            self.store.prune_unanswered(now - self.unanswered_retention)

    # -- maintainers -------------------------------------------------------------------------

    def stale_entries(
        self, today: dt.date | None = None, topic: str | None = None
    ) -> list[StaleEntry]:
        """Stale entries, most asked first, then most overdue."""
        today = today or self.clock().date()
        knowledge = self.knowledge
        signals = self.signals()
        asked = self._snapshot.asked or {}
        found = []
        for entry in knowledge.entries.values():
            if topic is not None and topic not in entry.topics:
                continue
            freshness = assess(entry, knowledge, today, signals)
            if freshness.stale:
                found.append(StaleEntry(entry, freshness, asked.get(entry.id, 0)))
        found.sort(key=lambda s: (-s.asked, -s.freshness.overdue_days, s.entry.id))
        return found

    def top_unanswered(self, limit: int = 10) -> list[tuple[str, int]]:
        """The most frequent logged unanswered questions within the retention period."""
        if self.store is None:
            return []
        since = self.clock() - self.unanswered_retention
        counts: dict[str, int] = {}
        shown: dict[str, str] = {}
        for _, question in self.store.unanswered(since=since):
            key = " ".join(question.lower().split())
            counts[key] = counts.get(key, 0) + 1
            shown.setdefault(key, question)
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        return [(shown[key], count) for key, count in ranked[:limit]]

    @property
    def asked_counts(self) -> dict[str, int]:
        return dict(self._snapshot.asked or {})


def open_service(settings: Settings, *, create_state: bool = True) -> OversightService:
    """The service for these settings: knowledge loaded and indexed, state opened.

    With `create_state=False` (one-shot commands such as `oversight ask`), a state file that does
    not exist yet is not created: the answers simply carry no updates.
    """
    from bot.state import open_store

    knowledge, index = load_indexed(settings.knowledge_path, cache_dir=settings.cache_folder)
    store = None
    if create_state or settings.state_path.exists():
        store = open_store(settings.state_path)
    return OversightService(
        Answerer(knowledge, index),
        store,
        report_threshold=settings.report_threshold,
        log_unanswered=settings.log_unanswered,
        unanswered_retention_days=settings.unanswered_retention_days,
        cache_dir=settings.cache_folder,
    )
