"""The search index: everything the matcher needs, computed once per knowledge base.

Answering a question must not touch disk or re-read entries, so the index holds, per entry, its
term sets, its processed phrasings for fuzzy comparison, and two BM25 indexes (bm25s): one over
the questions people ask ("ask": question, aliases, id) and one over what the entry says ("body":
answer or quote, speaker, role, topic titles). Candidate retrieval is sparse and fast; the
finer scoring happens only on the few candidates retrieved.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA

from bot.knowledge import text
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.model import Entry

BODY_WEIGHT = 0.5
"""How much the body index counts next to the ask index when retrieving candidates."""
PHRASING_CACHE = 20_000
"""Entries whose phrasing views are kept between questions (a bounded cache)."""
NAME_SHARE = 0.02
"""A name used by more than this share of entries is too broad to rule entries out."""
_CALENDAR = frozenset(
    """
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_SENTENCE = re.compile(r"(?<=[.!?:;])\s+|\n+")
_CASED_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True)
class QueryTerms:
    """A question as the index sees it."""

    processed: str
    """rapidfuzz `default_process` of the whole question (for exact and fuzzy matching)."""
    stems: tuple[str, ...]
    """Unique stems after spelling correction, in order of first appearance."""
    corrections: tuple[tuple[str, str], ...]
    """(typed word, corrected word) pairs, so answers can say a guess was made."""
    entities: tuple[str, ...] = ()
    """Stems of named places, companies, agencies and laws (see `text.ENTITY_WORDS`)."""


class SearchIndex:
    """Lookup structures over one knowledge base. Immutable once built; safe to share.

    Term sets are stored as sorted term-id arrays in one flat numpy array per kind (CSR layout)
    rather than as a Python set per entry: at 100,000 entries the sets alone took hundreds of
    megabytes. A candidate's sets are rebuilt on demand, for the few candidates of a question.
    """

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.ids: list[str] = list(knowledge.entries)
        entries = list(knowledge.entries.values())
        self.size = len(entries)
        self.vocabulary: dict[str, int] = {}
        self.phrasings: list[tuple[str, ...]] = []
        # Term ids as compact int arrays: a list of Python ints costs ~36 bytes an id, which at
        # 100,000 entries was the largest part of the memory peak while building.
        ask_docs: list[array[int]] = []
        body_docs: list[array[int]] = []
        phrasing_sets = _SetsBuilder()
        phrasing_starts = [0]
        self.exact: dict[str, int] = {}
        one_word: list[tuple[int, str, str]] = []
        """One-word keys wait until every entry is counted (see `_add_exact`)."""
        word_df: dict[str, int] = {}
        term_id = self._term_id
        for position, entry in enumerate(entries):
            # Each phrasing (and the id) is analysed once; everything below reuses the result.
            keys = [entry.id.replace("-", " "), *entry.phrasings]
            analysed = [_Phrasing(key) for key in keys]
            for key, single in [(utils.default_process(entry.id), analysed[0].single)] + [
                (a.processed, a.single) for a in analysed
            ]:
                if single is None:
                    if key:
                        self.exact.setdefault(key, position)
                else:
                    one_word.append((position, key, single))
            own = analysed[1:]
            self.phrasings.append(tuple(a.processed for a in own))
            for phrasing in own:
                phrasing_sets.add(term_id(stem) for stem in phrasing.stems)
            phrasing_starts.append(phrasing_sets.count)
            ask_words = [word for a in analysed for word in a.content]
            body_words = self._body_words(entry, knowledge)
            for word in set(ask_words) | set(body_words):
                word_df[word] = word_df.get(word, 0) + 1
            ask_docs.append(array("i", [term_id(stem) for a in analysed for stem in a.stems]))
            body_docs.append(array("i", [term_id(text.stem(word)) for word in body_words]))
        self.terms = list(self.vocabulary)
        self._ask = _Sets.of(ask_docs)
        self._all = _Sets.of(ask + body for ask, body in zip(ask_docs, body_docs, strict=True))
        self._phrasing_sets = phrasing_sets.build()
        phrasings_count = phrasing_sets.count
        self._phrasing_starts = np.asarray(phrasing_starts, dtype=np.int64)
        self.doc_freq_by_id = np.bincount(self._all.members, minlength=len(self.terms))
        self.max_idf = float(self.idf_of(0))
        self.idf_by_id = self.idf_of(self.doc_freq_by_id)
        owners = np.repeat(np.arange(phrasings_count), np.diff(self._phrasing_sets.starts))
        self._phrasing_totals = np.bincount(
            owners, weights=self.idf_by_id[self._phrasing_sets.members], minlength=phrasings_count
        )
        ask_doc_freq = np.bincount(self._ask.members, minlength=len(self.terms))
        for position, key, single in one_word:
            self._add_exact(position, key, single, ask_doc_freq)
        self.definitions: dict[str, int | None] = {}
        for position, entry in enumerate(entries):
            self._add_definition(position, entry)
        self._ask_bm25 = _bm25(ask_docs, self.terms)
        self._body_bm25 = _bm25(body_docs, self.terms)
        self._words_by_length = self._spelling_vocabulary(word_df)
        self.names = self._names(entries) | {text.stem(word) for word in text.ENTITY_WORDS}
        self.name_limit = max(5, int(NAME_SHARE * self.size))

    # -- saving and restoring (for the knowledge cache) -------------------------------------

    _PLAIN = (
        "ids",
        "size",
        "vocabulary",
        "phrasings",
        "terms",
        "max_idf",
        "exact",
        "definitions",
        "_words_by_length",
        "names",
        "name_limit",
    )
    _ARRAYS = ("_phrasing_starts", "doc_freq_by_id", "idf_by_id", "_phrasing_totals")
    _SETS = ("_ask", "_all", "_phrasing_sets")
    _BM25 = ("_ask_bm25", "_body_bm25")

    def to_records(self) -> Iterator[tuple[str, Any]]:
        """(field, plain data) pairs that `marshal` can store, one field at a time."""
        for name in self._PLAIN:
            value = getattr(self, name)
            yield name, frozenset(value) if name == "names" else value
        for name in self._ARRAYS:
            yield name, _array_state(getattr(self, name))
        for name in self._SETS:
            sets: _Sets = getattr(self, name)
            yield name, (_array_state(sets.members), _array_state(sets.starts))
        for name in self._BM25:
            bm25: bm25s.BM25 = getattr(self, name)
            arrays = {k: _array_state(v) for k, v in bm25.scores.items() if k != "num_docs"}
            yield name, (arrays, int(bm25.scores["num_docs"]), bm25.vocab_dict)

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, Any]]) -> SearchIndex:
        return cls._from_state(dict(records))

    @classmethod
    def _from_state(cls, state: dict[str, Any]) -> SearchIndex:
        index = cls.__new__(cls)
        for name in cls._PLAIN:
            setattr(index, name, state[name])
        index.names = set(state["names"])
        for name in cls._ARRAYS:
            setattr(index, name, _array_from(state[name]))
        for name in cls._SETS:
            members, starts = state[name]
            setattr(index, name, _Sets(_array_from(members), _array_from(starts)))
        for name in cls._BM25:
            arrays, num_docs, vocabulary = state[name]
            setattr(index, name, _restore_bm25(arrays, num_docs, vocabulary))
        return index

    # -- building -------------------------------------------------------------------------

    def _term_id(self, term: str) -> int:
        found = self.vocabulary.get(term)
        if found is None:
            found = self.vocabulary[term] = len(self.vocabulary)
        return found

    def _add_exact(self, position: int, key: str, single: str, ask_doc_freq: np.ndarray) -> None:
        """Register a one-word id or alias for exact lookup.

        A one-word alias is exact only when no other entry is asked about with that word: "BIPA"
        can lead straight to one entry, but "Ring" names a dozen and must get suggestions.
        """
        if ask_doc_freq[self.vocabulary[single]] <= 1 and key:
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
    def _names(entries: list[Entry]) -> set[str]:
        """Stems of words that questions capitalise mid-sentence and that are never written in
        lower case anywhere: places, people, organisations ("Oakland", "Greer", "Clearview").
        Learnt from the entries themselves, so a knowledge base about other cities needs no list
        of them."""
        capitalised: set[str] = set()
        lowered: set[str] = set()
        for entry in entries:
            asked = entry.phrasings
            said = [entry.answer or ""]
            if entry.quote is not None:
                said += [entry.quote.text, entry.quote.speaker]
            for part, in_question in [(p, True) for p in asked] + [(p, False) for p in said]:
                for sentence in _SENTENCE.split(part):
                    for token in _CASED_WORD.findall(sentence)[1:]:
                        word = token.lower()
                        if token.islower():
                            lowered.add(text.stem(word))
                        elif (
                            in_question
                            and token[0].isupper()
                            and len(word) > 2
                            and word not in text.STOP_WORDS
                            and word not in _CALENDAR
                        ):
                            capitalised.add(text.stem(word))
        return capitalised - lowered

    @staticmethod
    def _spelling_vocabulary(word_df: dict[str, int]) -> dict[int, list[str]]:
        """Known words by length, most common first, so a typo is corrected to the likelier word."""
        by_length: dict[int, list[str]] = {}
        for word in sorted(word_df, key=lambda w: (-word_df[w], w)):
            if len(word) >= 3 and not word.isdigit():
                by_length.setdefault(len(word), []).append(word)
        return by_length

    # -- querying -------------------------------------------------------------------------

    def idf_of(self, doc_freq: Any) -> Any:
        """BM25's idf, for one document frequency or an array of them: rare terms say more
        about which entry is meant."""
        return np.log1p((self.size - doc_freq + 0.5) / (doc_freq + 0.5))

    def idf(self, term: str) -> float | None:
        """The term's idf, or None when no entry uses it."""
        found = self.vocabulary.get(term)
        return None if found is None else float(self.idf_by_id[found])

    def term_id(self, term: str) -> int | None:
        return self.vocabulary.get(term)

    def ask_ids(self, position: int) -> frozenset[int]:
        """Term ids of the entry's questions, aliases and id."""
        return self._ask.members_of(position)

    def all_ids(self, position: int) -> frozenset[int]:
        """Term ids of everything the entry says or is asked as."""
        return self._all.members_of(position)

    def phrasing_ids(self, position: int) -> list[tuple[frozenset[int], float, str]]:
        """Each phrasing's term ids, their idf total and its stems as text (for reverse coverage
        and fuzzy matching). Recently used entries are kept: questions about a topic keep
        meeting the same candidates."""
        cache = self.__dict__.setdefault("_phrasing_cache", {})
        found = cache.get(position)
        if found is None:
            start, end = self._phrasing_starts[position], self._phrasing_starts[position + 1]
            found = []
            for number in range(int(start), int(end)):
                ids = self._phrasing_sets.members_of(number)
                stems = " ".join(self.terms[i] for i in ids)
                found.append((ids, float(self._phrasing_totals[number]), stems))
            if len(cache) >= PHRASING_CACHE:
                cache.clear()
            cache[position] = found
        return found

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
            if term not in self.vocabulary and not word.isdigit():
                corrected = self._correct(word)
                if corrected is not None:
                    corrections.append((word, corrected))
                    word, term = corrected, text.stem(corrected)
            if term not in stems:
                stems.append(term)
            if self.is_name(word, term) and term not in entities:
                entities.append(term)
        return QueryTerms(
            processed=utils.default_process(text.fold(question)),
            stems=tuple(stems),
            corrections=tuple(corrections),
            entities=tuple(entities),
        )

    def is_name(self, word: str, term: str) -> bool:
        """A place, person or organisation specific enough that an entry not mentioning it
        cannot be the answer: names used by more than a small share of entries ("Amazon" in a
        knowledge base about Amazon) are too broad to decide anything."""
        if term not in self.names and word not in text.ENTITY_WORDS:
            return False
        found = self.vocabulary.get(term)
        return found is None or int(self.doc_freq_by_id[found]) <= self.name_limit

    def _correct(self, word: str) -> str | None:
        """The most common known word within one edit (two for long words), or None.

        Edit limits follow the usual search-engine rule (Elasticsearch's fuzziness AUTO): short
        words are never corrected, because at three letters every word is one edit from another.
        """
        if len(word) < 5:
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
        known = [found for t in query.stems if (found := self.vocabulary.get(t)) is not None]
        if not known:
            return []
        scores = self._ask_bm25.get_scores_from_ids(known) + BODY_WEIGHT * (
            self._body_bm25.get_scores_from_ids(known)
        )
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
        asked = " ".join(query.stems)
        for whole, (_, _, stems) in zip(
            self.phrasings[position], self.phrasing_ids(position), strict=True
        ):
            best = max(
                best,
                fuzz.ratio(query.processed, whole),
                fuzz.token_sort_ratio(asked, stems) if asked else 0.0,
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

    @property
    def single(self) -> str | None:
        """The only term, for one-word phrasings (see `SearchIndex._add_exact`)."""
        return self.stems[0] if len(self.stems) == 1 else None


def definition_subject(question: str) -> str | None:
    """'What is Amazon Ring?' -> 'Amazon Ring'; None when the question is not a definition."""
    match = _DEFINITION.match(text.fold(question))
    if match is None:
        return None
    subject = match.group("subject") or match.group("explained")
    return subject if subject and len(subject) <= 80 else None


class _Sets:
    """Many small sets of ints in two flat arrays (CSR): set i is members[starts[i]:starts[i+1]]."""

    __slots__ = ("members", "starts")

    def __init__(self, members: np.ndarray, starts: np.ndarray) -> None:
        self.members = members
        self.starts = starts

    @classmethod
    def of(cls, groups: Iterable[Iterable[int]]) -> _Sets:
        builder = _SetsBuilder()
        for group in groups:  # one group at a time: never all of them as Python ints at once
            builder.add(group)
        return builder.build()

    def members_of(self, number: int) -> frozenset[int]:
        return frozenset(self.members[self.starts[number] : self.starts[number + 1]].tolist())


class _SetsBuilder:
    """Collects sets straight into flat arrays, without an object per set."""

    def __init__(self) -> None:
        self._members = array("i")
        self._starts = array("q", [0])

    @property
    def count(self) -> int:
        return len(self._starts) - 1

    def add(self, group: Iterable[int]) -> None:
        self._members.extend(sorted(set(group)))
        self._starts.append(len(self._members))

    def build(self) -> _Sets:
        return _Sets(
            np.frombuffer(self._members, dtype=np.int32).copy(),
            np.frombuffer(self._starts, dtype=np.int64).copy(),
        )


def _array_state(values: np.ndarray) -> tuple[str, bytes]:
    return values.dtype.str, values.tobytes()


def _array_from(state: tuple[str, bytes]) -> np.ndarray:
    dtype, data = state
    return np.frombuffer(data, dtype=np.dtype(dtype))


def _restore_bm25(arrays: dict[str, Any], num_docs: int, vocabulary: dict[str, int]) -> bm25s.BM25:
    """A BM25 object from its saved score matrix, as `bm25s.BM25.load` rebuilds one."""
    index = bm25s.BM25()
    index.scores = {name: _array_from(value) for name, value in arrays.items()}
    index.scores["num_docs"] = num_docs
    index.vocab_dict = vocabulary
    index.unique_token_ids_set = set(vocabulary.values())
    index.nonoccurrence_array = None
    return index


def _bm25(docs: list[array[int]], terms: list[str]) -> bm25s.BM25:
    """A BM25 index over documents given as term ids of the shared vocabulary."""
    index = bm25s.BM25()
    vocabulary = {term: number for number, term in enumerate(terms)}
    vocabulary.setdefault("", len(vocabulary))
    index.index(
        bm25s.tokenization.Tokenized(ids=docs, vocab=vocabulary),
        show_progress=False,
    )
    return index
