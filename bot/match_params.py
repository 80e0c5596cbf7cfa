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
    weight_balanced: float
    unknown_term_weight: float
    """Weight of a word no entry uses, as a share of the rarest known word's idf."""
    answer_threshold: float
    margin: float
    """How far the best candidate must lead the runner-up (see `margin_on`)."""
    suggest_threshold: float
    max_unmatched: float = 1.0
    """Decline when a question word this heavy (share of the rarest word's weight) is not in the
    entry; 1.0 turns the gate off."""
    min_terms: int = 2
    """Ranked answers need at least this many content words: a bare "ring" gets suggestions."""
    margin_on: str = "score"
    """"score": the lead in combined score; "balanced": the lead in balanced coverage, which
    tells a question matching one entry fully from near-duplicates that add specifics."""

    @property
    def weights(self) -> tuple[float, float, float, float, float]:
        """In the order of `Features.vector()`."""
        return (
            self.weight_ask,
            self.weight_full,
            self.weight_fuzzy,
            self.weight_reverse,
            self.weight_balanced,
        )


TUNED = MatchParams(
    weight_ask=0.0,
    weight_full=0.4,
    weight_fuzzy=0.4,
    weight_reverse=0.1,
    weight_balanced=0.1,
    unknown_term_weight=1.0,
    answer_threshold=0.64,
    margin=0.19,
    suggest_threshold=0.35,
    max_unmatched=1.0,
    min_terms=2,
    margin_on="balanced",
)
