"""The search index: everything the matcher needs, computed once per knowledge base.

Answering a question must not touch disk or re-read entries, so the index holds, per entry, its
term sets, its processed phrasings for fuzzy comparison, and two BM25 indexes (bm25s): one over
the questions people ask ("ask": question, aliases, id) and one over what the entry says ("body":
answer or quote, speaker, role, topic titles). Candidate retrieval is sparse and fast; the
finer scoring happens only on the few candidates retrieved.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

import bm25s
import numpy as np
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from bot.knowledge import text
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.model import Entry

BODY_WEIGHT = 0.5
"""How much the body index counts next to the ask index when retrieving candidates."""


@dataclass(frozen=True)
class QueryTerms:
    """A question as the index sees it."""

    processed: str
    """rapidfuzz `default_process` of the whole question (for exact and fuzzy matching)."""
    content: str
    """Content words joined by spaces (stop words and filler dropped) for fuzzy matching."""
    stems: tuple[str, ...]
    """Unique stems after spelling correction, in order of first appearance."""
    corrections: tuple[tuple[str, str], ...]
    """(typed word, corrected word) pairs, so answers can say a guess was made."""
    entities: tuple[str, ...] = ()
    """Stems of named places, companies, agencies and laws (see `text.ENTITY_WORDS`)."""


class SearchIndex:
    """Lookup structures over one knowledge base. Immutable once built; safe to share."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.ids: list[str] = list(knowledge.entries)
        entries = list(knowledge.entries.values())
        self.size = len(entries)
        self.phrasings: list[tuple[str, ...]] = []
        self.phrasing_content: list[tuple[str, ...]] = []
        self.phrasing_terms: list[tuple[frozenset[str], ...]] = []
        ask_docs: list[list[str]] = []
        body_docs: list[list[str]] = []
        exact_candidates: list[tuple[int, str, list[str]]] = []
        word_df: dict[str, int] = {}
        for position, entry in enumerate(entries):
            # Each phrasing (and the id) is analysed once; everything below reuses the result.
            keys = [entry.id.replace("-", " "), *entry.phrasings]
            analysed = [_Phrasing(key) for key in keys]
            exact_candidates.append((position, utils.default_process(entry.id), analysed[0].stems))
            exact_candidates += [(position, a.processed, a.stems) for a in analysed]
            own = analysed[1:]
            self.phrasings.append(tuple(a.processed for a in own))
            self.phrasing_content.append(tuple(" ".join(a.content) for a in own))
            self.phrasing_terms.append(tuple(frozenset(a.stems) for a in own))
            ask_words = [word for a in analysed for word in a.content]
            body_words = self._body_words(entry, knowledge)
            for word in set(ask_words) | set(body_words):
                word_df[word] = word_df.get(word, 0) + 1
            ask_docs.append([stem for a in analysed for stem in a.stems])
            body_docs.append([text.stem(word) for word in body_words])
        self.ask_terms = [frozenset(doc) for doc in ask_docs]
        self.all_terms = [
            frozenset(ask) | frozenset(body) for ask, body in zip(ask_docs, body_docs, strict=True)
        ]
        self._ask_doc_freq = self._doc_freq(self.ask_terms)
        self.exact: dict[str, int] = {}
        for position, key, stems in exact_candidates:
            self._add_exact(position, key, stems)
        self.definitions: dict[str, int | None] = {}
        for position, entry in enumerate(entries):
            self._add_definition(position, entry)
        self.doc_freq = self._doc_freq(self.all_terms)
        self.max_idf = self.idf_of(0)
        self._idf = {term: self.idf_of(count) for term, count in self.doc_freq.items()}
        self.phrasing_weights: list[tuple[tuple[dict[str, float], float], ...]] = [
            tuple(self._weights(terms) for terms in phrasings) for phrasings in self.phrasing_terms
        ]
        self._ask_bm25 = _bm25(ask_docs)
        self._body_bm25 = _bm25(body_docs)
        self._ask_vocab = set(self._ask_bm25.vocab_dict) if self._ask_bm25 else set()
        self._body_vocab = set(self._body_bm25.vocab_dict) if self._body_bm25 else set()
        self._words_by_length = self._spelling_vocabulary(word_df)

    # -- building -------------------------------------------------------------------------

    def _add_exact(self, position: int, key: str, stems: list[str]) -> None:
        """Register an id, question or alias for exact lookup.

        A one-word alias is exact only when no other entry is asked about with that word: "BIPA"
        can lead straight to one entry, but "Ring" names a dozen and must get suggestions.
        """
        if len(stems) == 1 and self._ask_doc_freq.get(stems[0], 0) > 1:
            return
        if key:
            self.exact.setdefault(key, position)

    def _add_definition(self, position: int, entry: Entry) -> None:
        """Entries that answer "What is X?" also answer "what's X", "who is X", "X explained"
        for X = their subject or any alias that is a name rather than a question."""
        subject = definition_subject(entry.question)
        if subject is None:
            return
        names = [subject] + [
            alias for alias in entry.also_asked if not alias.rstrip().endswith("?")
        ]
        for name in names:
            key = utils.default_process(text.fold(name))
            if not key:
                continue
            if key in self.definitions and self.definitions[key] != position:
                self.definitions[key] = None  # two entries define it: ambiguous, not exact
            else:
                self.definitions[key] = position

    def definition_match(self, question: str) -> int | None:
        """The entry defining the subject of a "what is X" question, if exactly one does."""
        subject = definition_subject(question)
        if subject is None:
            return None
        return self.definitions.get(utils.default_process(text.fold(subject)))

    @staticmethod
    def _body_words(entry: Entry, knowledge: KnowledgeBase) -> list[str]:
        parts = [entry.answer or ""]
        if entry.quote is not None:
            parts += [entry.quote.text, entry.quote.speaker, entry.quote.role or ""]
            parts += [entry.quote.context or ""]
        parts += [knowledge.topics[t].title for t in entry.topics if t in knowledge.topics]
        return text.content_words(" ".join(parts))

    @staticmethod
    def _doc_freq(term_sets: Iterable[frozenset[str]]) -> dict[str, int]:
        frequency: dict[str, int] = {}
        for terms in term_sets:
            for term in terms:
                frequency[term] = frequency.get(term, 0) + 1
        return frequency

    @staticmethod
    def _spelling_vocabulary(word_df: dict[str, int]) -> dict[int, list[str]]:
        """Known words by length, most common first, so a typo is corrected to the likelier word."""
        by_length: dict[int, list[str]] = {}
        for word in sorted(word_df, key=lambda w: (-word_df[w], w)):
            if len(word) >= 3 and not word.isdigit():
                by_length.setdefault(len(word), []).append(word)
        return by_length

    # -- querying -------------------------------------------------------------------------

    def idf_of(self, doc_freq: int) -> float:
        """BM25's idf: rare terms say more about which entry is meant."""
        return math.log(1 + (self.size - doc_freq + 0.5) / (doc_freq + 0.5))

    def idf(self, term: str) -> float | None:
        """The term's idf, or None when no entry uses it."""
        return self._idf.get(term)

    def _weights(self, terms: frozenset[str]) -> tuple[dict[str, float], float]:
        weights = {term: self._idf.get(term, 0.0) for term in terms}
        return weights, sum(weights.values())

    def exact_match(self, question: str) -> int | None:
        """The entry whose id, question or alias is exactly what was typed (case and punctuation
        aside)."""
        return self.exact.get(utils.default_process(text.fold(question)))

    def analyse(self, question: str) -> QueryTerms:
        """Turn a question into terms, correcting words the knowledge base does not know."""
        stems: list[str] = []
        corrections: list[tuple[str, str]] = []
        entities: list[str] = []
        content = text.content_words(question)
        for word in content:
            term = text.stem(word)
            if term not in self.doc_freq and not word.isdigit():
                corrected = self._correct(word)
                if corrected is not None:
                    corrections.append((word, corrected))
                    word, term = corrected, text.stem(corrected)
            if term not in stems:
                stems.append(term)
            if word in text.ENTITY_WORDS and term not in entities:
                entities.append(term)
        return QueryTerms(
            processed=utils.default_process(text.fold(question)),
            content=" ".join(content),
            stems=tuple(stems),
            corrections=tuple(corrections),
            entities=tuple(entities),
        )

    def _correct(self, word: str) -> str | None:
        """The most common known word within one edit (two for long words), or None.

        Edit limits follow the usual search-engine rule (Elasticsearch's fuzziness AUTO): short
        words are never corrected, because at three letters every word is one edit from another.
        """
        if len(word) < 4:
            return None
        max_edits = 1 if len(word) < 8 else 2
        best: tuple[int, str] | None = None
        for length in range(len(word) - max_edits, len(word) + max_edits + 1):
            choices = self._words_by_length.get(length)
            if not choices:
                continue
            match = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=max_edits)
            if match is not None and (best is None or match[1] < best[0]):
                best = (match[1], match[0])
        return best[1] if best else None

    def retrieve(self, query: QueryTerms, limit: int) -> list[int]:
        """Positions of the entries most likely meant, by BM25 over ask and body fields."""
        if not query.stems or self.size == 0:
            return []
        scores = np.zeros(self.size, dtype=np.float32)
        ask_terms = [t for t in query.stems if t in self._ask_vocab]
        body_terms = [t for t in query.stems if t in self._body_vocab]
        if ask_terms:
            scores += self._ask_bm25.get_scores(ask_terms)
        if body_terms:
            scores += BODY_WEIGHT * self._body_bm25.get_scores(body_terms)
        limit = min(limit, self.size)
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [int(position) for position in top if scores[position] > 0]

    def fuzzy_similarity(self, query: QueryTerms, position: int) -> float:
        """How closely the typed question reads like one of the entry's phrasings (0-1).

        Deliberately not `token_set_ratio` or `partial_ratio`: both give 100 when the question is a
        subset of a phrasing, so a bare "ring" would look like a perfect match.
        """
        best = 0.0
        for whole, content in zip(
            self.phrasings[position], self.phrasing_content[position], strict=True
        ):
            best = max(
                best,
                fuzz.ratio(query.processed, whole),
                fuzz.token_sort_ratio(query.content, content) if query.content else 0.0,
            )
        return best / 100.0


_DEFINITION = re.compile(
    r"^\s*(?:(?:what|who)\s*(?:'s|s|\s+is|\s+are|\s+was|\s+were)|tell me about|define|explain)"
    r"\s+(?:an?\s+|the\s+)?(?P<subject>.+?)[\s?.!]*$"
    r"|^\s*(?P<explained>.+?)\s+(?:explained|defined|meaning)[\s?.!]*$",
    re.IGNORECASE,
)


class _Phrasing:
    """One question, alias or id, analysed once for every structure that needs it."""

    __slots__ = ("content", "processed", "stems")

    def __init__(self, phrasing: str) -> None:
        self.processed = utils.default_process(text.fold(phrasing))
        self.content = text.content_words(phrasing)
        self.stems = [text.stem(word) for word in self.content]


def definition_subject(question: str) -> str | None:
    """'What is Amazon Ring?' -> 'Amazon Ring'; None when the question is not a definition."""
    match = _DEFINITION.match(text.fold(question))
    if match is None:
        return None
    subject = match.group("subject") or match.group("explained")
    return subject if subject and len(subject) <= 80 else None


def _bm25(docs: list[list[str]]) -> bm25s.BM25 | None:
    if not any(docs):
        return None
    index = bm25s.BM25()
    index.index([doc or [""] for doc in docs], show_progress=False)
    return index
