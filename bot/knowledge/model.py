"""Entries, quotes, sources and topics as the running bot holds them.

Validation happens once, with the pydantic models in `bot.knowledge.schema`; what the bot keeps is
these frozen, slotted dataclasses: the same fields, tuples instead of lists, and repeated short
strings (slugs, publishers, speakers) interned. Everything downstream (index, answering, front
ends) reads these, never raw YAML.
"""

from __future__ import annotations

import datetime as dt
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.knowledge.dates import PartialDate

if TYPE_CHECKING:
    from bot.knowledge import schema

ANSWER_MAX_CHARS = 1500

DEFAULT_REVIEW_DAYS: dict[str, int] = {"fact": 180, "quote": 730}
"""Review interval by kind, used when neither the entry nor its topic sets one (DESIGN.md)."""


def _intern(value: str | None) -> str | None:
    return None if value is None else sys.intern(value)


def _drop_none(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact or quote can be checked."""

    title: str
    publisher: str
    url: str | None = None
    published: PartialDate | None = None
    archived_url: str | None = None

    def to_json(self) -> dict[str, str]:
        return _drop_none(
            {
                "title": self.title,
                "publisher": self.publisher,
                "url": self.url,
                "published": str(self.published) if self.published else None,
                "archived_url": self.archived_url,
            }
        )


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim quote with who said it, in what role and when."""

    text: str
    speaker: str
    role: str | None = None
    said_on: PartialDate | None = None
    context: str | None = None

    def to_json(self) -> dict[str, str]:
        return _drop_none(
            {
                "text": self.text,
                "speaker": self.speaker,
                "role": self.role,
                "said_on": str(self.said_on) if self.said_on else None,
                "context": self.context,
            }
        )


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic from topics.yaml. Without `review_every_days`, its entries use their kind's
    default (fact 180 days, quote 730) unless they set their own."""

    title: str
    description: str
    review_every_days: int | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One fact or quote: the unit the bot answers with."""

    id: str
    kind: str
    question: str
    also_asked: tuple[str, ...]
    answer: str | None
    quote: Quote | None
    topics: tuple[str, ...]
    sources: tuple[Source, ...]
    as_of: PartialDate
    last_verified: dt.date
    review_every_days: int | None = None
    related: tuple[str, ...] = ()
    superseded_by: str | None = None

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The canonical question first, then its aliases."""
        return (self.question, *self.also_asked)


def entry_from(valid: schema.Entry) -> Entry:
    """The runtime entry for a validated schema entry."""
    quote = None
    if valid.quote is not None:
        quote = Quote(
            valid.quote.text,
            sys.intern(valid.quote.speaker),
            _intern(valid.quote.role),
            valid.quote.said_on,
            valid.quote.context,
        )
    return Entry(
        id=valid.id,
        kind=sys.intern(valid.kind),
        question=valid.question,
        also_asked=tuple(valid.also_asked),
        answer=valid.answer,
        quote=quote,
        topics=tuple(sys.intern(topic) for topic in valid.topics),
        sources=tuple(
            Source(
                source.title,
                sys.intern(source.publisher),
                source.url,
                source.published,
                source.archived_url,
            )
            for source in valid.sources
        ),
        as_of=valid.as_of,
        last_verified=valid.last_verified,
        review_every_days=valid.review_every_days,
        related=tuple(valid.related),
        superseded_by=valid.superseded_by,
    )


def topic_from(valid: schema.Topic) -> Topic:
    return Topic(valid.title, valid.description, valid.review_every_days)


# -- compact plain-data form, for the knowledge cache ---------------------------------------------

_DateState = tuple[int, int | None, int | None] | None


def _date_state(value: PartialDate | None) -> _DateState:
    return None if value is None else (value.year, value.month, value.day)


class Rebuilder:
    """Turns plain tuples back into entries, sharing equal dates (thousands of entries have the
    same `as_of` or `last_verified`; one object each is enough)."""

    def __init__(self) -> None:
        self._dates: dict[tuple[int, int | None, int | None], PartialDate] = {}
        self._days: dict[int, dt.date] = {}

    def date(self, state: _DateState) -> PartialDate | None:
        if state is None:
            return None
        found = self._dates.get(state)
        if found is None:
            found = self._dates[state] = PartialDate(*state)
        return found

    def day(self, ordinal: int) -> dt.date:
        found = self._days.get(ordinal)
        if found is None:
            found = self._days[ordinal] = dt.date.fromordinal(ordinal)
        return found

    def entry(self, state: tuple[Any, ...]) -> Entry:
        (
            entry_id,
            kind,
            question,
            also_asked,
            answer,
            quote,
            topics,
            sources,
            as_of,
            last_verified,
            review_every_days,
            related,
            superseded_by,
        ) = state
        return Entry(
            entry_id,
            sys.intern(kind),
            question,
            also_asked,
            answer,
            None
            if quote is None
            else Quote(
                quote[0], sys.intern(quote[1]), _intern(quote[2]), self.date(quote[3]), quote[4]
            ),
            tuple(sys.intern(topic) for topic in topics),
            tuple(Source(s[0], sys.intern(s[1]), s[2], self.date(s[3]), s[4]) for s in sources),
            self.date(as_of),  # type: ignore[arg-type]
            self.day(last_verified),
            review_every_days,
            related,
            superseded_by,
        )


def entry_state(entry: Entry) -> tuple[Any, ...]:
    """The entry as nested tuples of str, int and None (what `marshal` stores)."""
    quote = entry.quote
    return (
        entry.id,
        entry.kind,
        entry.question,
        entry.also_asked,
        entry.answer,
        None
        if quote is None
        else (quote.text, quote.speaker, quote.role, _date_state(quote.said_on), quote.context),
        entry.topics,
        tuple(
            (s.title, s.publisher, s.url, _date_state(s.published), s.archived_url)
            for s in entry.sources
        ),
        _date_state(entry.as_of),
        entry.last_verified.toordinal(),
        entry.review_every_days,
        entry.related,
        entry.superseded_by,
    )
