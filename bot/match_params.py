"""Weights and thresholds for the matcher, fitted to labelled questions.

Regenerate with `python benchmarks/tune_matcher.py --write` after changing the matcher or the
labelled questions in tests/data/; do not tune these by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MatchParams:
    weight_ask: float
    weight_full: float
    weight_fuzzy: float
    weight_reverse: float
    unknown_term_weight: float
    """Weight of a word no entry uses, as a share of the rarest known word's idf."""
    answer_threshold: float
    margin: float
    """How far the best candidate must lead the runner-up."""
    suggest_threshold: float
    min_terms: int = 2
    """Ranked answers need at least this many content words: a bare "ring" gets suggestions."""


TUNED = MatchParams(
    weight_ask=0.4,
    weight_full=0.2,
    weight_fuzzy=0.2,
    weight_reverse=0.2,
    unknown_term_weight=0.7,
    answer_threshold=0.55,
    margin=0.05,
    suggest_threshold=0.25,
    min_terms=2,
)
