"""Question -> Answer: the matching ladder and the decision to answer or decline.

The ladder:
1. Exact: the question is an entry's id, question or alias (case and punctuation aside).
2. Ranked: BM25 retrieves candidates; each is scored by a weighted mix of
   - ask coverage: how much of the question's meaning (idf-weighted terms) the entry's questions
     and aliases hold;
   - full coverage: the same over everything the entry says;
   - fuzzy similarity (rapidfuzz) to its closest phrasing, which forgives typos and word order;
   - reverse coverage: how much of the entry's closest phrasing the question holds.
   Words no entry uses count against every candidate: "How do I *install* a Ring doorbell?"
   shares "ring" and "doorbell" with the knowledge base, but not what it asks.

The bot answers only when the best score clears a threshold and leads the runner-up by a margin;
otherwise it declines with up to three suggestions. Weights and thresholds come from
`bot/match_params.py`, which `benchmarks/tune_matcher.py` fits to `tests/data/questions.yaml`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from bot.freshness import NO_SIGNALS, Freshness, Signals, assess
from bot.knowledge.index import QueryTerms, SearchIndex
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.model import Entry
from bot.match_params import TUNED, MatchParams
from bot.state.records import Update

MAX_QUESTION_CHARS = 500
"""Longer input is cut before matching: no real question is longer, and hostile input is."""

CANDIDATES = 30
COMPLETE = 0.999
"""Coverage counted as complete (floating-point sums of idf weights)."""
MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Features:
    """The matcher's evidence for one candidate, each in 0-1."""

    ask_coverage: float
    full_coverage: float
    fuzzy: float
    reverse_coverage: float
    unmatched: float = 0.0
    """The heaviest question word the entry does not hold, as a share of the rarest word's
    weight."""
    missing_entity: bool = False
    """The question names a place, company, agency or law the entry never mentions: "does
    *Texas* have a law like BIPA" is not answered by the BIPA entry."""

    @property
    def complete(self) -> bool:
        """The question holds all of one of the entry's phrasings and nothing its questions
        lack: a match in all but word order, stop words and spelling. A near-duplicate entry
        (the same question about another year) is then no reason to hold back."""
        return self.ask_coverage >= COMPLETE and self.reverse_coverage >= COMPLETE

    @property
    def balanced(self) -> float:
        """Harmonic mean of ask and reverse coverage: high only when the question and the entry's
        phrasing each hold most of the other (an AND, which a weighted sum cannot express)."""
        total = self.ask_coverage + self.reverse_coverage
        return 2 * self.ask_coverage * self.reverse_coverage / total if total else 0.0

    def vector(self) -> tuple[float, float, float, float, float]:
        return (
            self.ask_coverage,
            self.full_coverage,
            self.fuzzy,
            self.reverse_coverage,
            self.balanced,
        )

    def score(self, params: MatchParams) -> float:
        return sum(w * f for w, f in zip(params.weights, self.vector(), strict=True))


@dataclass(frozen=True)
class Candidate:
    """An entry considered for a question, with its evidence."""

    entry: Entry
    features: Features
    score: float


@dataclass(frozen=True)
class Suggestion:
    """A "did you mean" offer."""

    entry_id: str
    question: str
    score: float


@dataclass(frozen=True)
class Answer:
    """What the bot makes of a question: an entry to show, or a decline with suggestions."""

    question: str
    entry: Entry | None
    score: float
    alternatives: tuple[Suggestion, ...]
    matched_by: Literal["exact", "ranked", "none"]
    freshness: Freshness | None = None
    corrections: tuple[tuple[str, str], ...] = ()
    updates: tuple[Update, ...] = ()
    """Moderator updates newer than the entry's last check (filled in by `OversightService`)."""

    @property
    def answered(self) -> bool:
        return self.entry is not None

    @property
    def stale(self) -> bool:
        return bool(self.freshness and self.freshness.stale)


class Answerer:
    """Answers questions from one knowledge base. Immutable; swap the whole object to reload."""

    def __init__(
        self,
        knowledge: KnowledgeBase,
        index: SearchIndex | None = None,
        *,
        params: MatchParams = TUNED,
        clock: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.knowledge = knowledge
        self.index = index or SearchIndex(knowledge)
        self.params = params
        self.clock = clock

    def ask(self, question: str, signals: Signals = NO_SIGNALS) -> Answer:
        """Answer `question`, or decline with suggestions."""
        question = question[:MAX_QUESTION_CHARS]
        exact = self.index.exact_match(question)
        if exact is None:
            exact = self.index.definition_match(question)
        if exact is not None:
            entry = self.entry_at(exact)
            return Answer(question, entry, 1.0, (), "exact", self.freshness(entry, signals))
        query = self.index.analyse(question)
        candidates = self.rank(query)
        if not candidates:
            return Answer(question, None, 0.0, (), "none", corrections=query.corrections)
        best = candidates[0]
        confident = (
            len(query.stems) >= self.params.min_terms
            and best.score >= self.params.answer_threshold
            and (best.features.complete or self._lead(candidates) >= self.params.margin)
            and best.features.unmatched <= self.params.max_unmatched
            and not best.features.missing_entity
        )
        if confident:
            alternatives = self._suggestions(candidates[1:])
            return Answer(
                question,
                best.entry,
                best.score,
                alternatives,
                "ranked",
                self.freshness(best.entry, signals),
                query.corrections,
            )
        return Answer(
            question,
            None,
            best.score,
            self._suggestions(candidates),
            "none",
            corrections=query.corrections,
        )

    def _lead(self, candidates: list[Candidate]) -> float:
        """How far the best candidate is ahead of the runner-up."""
        if self.params.margin_on == "balanced":
            first = candidates[0].features.balanced
            return first - (candidates[1].features.balanced if len(candidates) > 1 else 0.0)
        return candidates[0].score - (candidates[1].score if len(candidates) > 1 else 0.0)

    def rank(self, query: QueryTerms) -> list[Candidate]:
        """Candidates for a question, best first."""
        positions = self.index.retrieve(query, CANDIDATES)
        weights = self._term_weights(query)
        total = sum(weights.values())
        if total <= 0:
            return []
        candidates = []
        for position in positions:
            features = self._features(query, position, weights, total)
            candidates.append(
                Candidate(self.entry_at(position), features, features.score(self.params))
            )
        candidates.sort(key=lambda candidate: candidate.score, reverse=True)
        return candidates

    def entry_at(self, position: int) -> Entry:
        return self.knowledge.entries[self.index.ids[position]]

    def freshness(self, entry: Entry, signals: Signals = NO_SIGNALS) -> Freshness:
        return assess(entry, self.knowledge, self.clock(), signals)

    def _term_weights(self, query: QueryTerms) -> dict[str | int, float]:
        """Weight per query term: its idf, keyed by term id; unknown words by their text."""
        unknown = self.params.unknown_term_weight * self.index.max_idf
        weights: dict[str | int, float] = {}
        for term in query.stems:
            found = self.index.term_id(term)
            if found is None:
                weights[term] = unknown
            else:
                weights[found] = float(self.index.idf_by_id[found])
        return weights

    def _features(
        self, query: QueryTerms, position: int, weights: dict[str | int, float], total: float
    ) -> Features:
        index = self.index
        ask = index.ask_ids(position)
        everything = index.all_ids(position)
        ask_hit = sum(weight for term, weight in weights.items() if term in ask)
        full_hit = sum(weight for term, weight in weights.items() if term in everything)
        missing = [weight for term, weight in weights.items() if term not in everything]
        entity_ids = [index.term_id(term) for term in query.entities]
        return Features(
            ask_coverage=ask_hit / total,
            full_coverage=full_hit / total,
            fuzzy=index.fuzzy_similarity(query, position),
            reverse_coverage=self._reverse_coverage(weights, position),
            unmatched=max(missing, default=0.0) / index.max_idf,
            missing_entity=any(term is None or term not in everything for term in entity_ids),
        )

    def _reverse_coverage(self, weights: dict[str | int, float], position: int) -> float:
        """How much of the entry's best-matching phrasing the question covers (idf-weighted)."""
        best = 0.0
        idf = self.index.idf_by_id
        for ids, total, _ in self.index.phrasing_ids(position):
            if total > 0:
                covered = sum(float(idf[term]) for term in ids if term in weights)
                best = max(best, covered / total)
        return best

    def _suggestions(self, candidates: list[Candidate]) -> tuple[Suggestion, ...]:
        chosen = [c for c in candidates if c.score >= self.params.suggest_threshold]
        return tuple(
            Suggestion(c.entry.id, c.entry.question, round(c.score, 4))
            for c in chosen[:MAX_SUGGESTIONS]
        )
