"""Labelled questions and the figures that say how well a matcher answers them.

Used by the quality test, the tuner (`benchmarks/tune_matcher.py`) and the quality benchmark, so
all three count the same way. A labelled file looks like:

    in_scope:
      - q: how many cops does ring work with
        id: ring-police-partnerships-count
    out_of_scope:
      - q: How do I install a Ring doorbell?
        near_miss: true
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Labelled:
    question: str
    expected: str | None
    """The entry id that answers it; None for an out-of-scope question."""
    near_miss: bool = False


@dataclass(frozen=True)
class Outcome:
    """What a matcher did with one labelled question."""

    labelled: Labelled
    top: str | None
    """The id it ranked first (answered or not)."""
    answered: str | None
    """The id it answered with, or None when it declined."""


@dataclass(frozen=True)
class Report:
    in_scope: int
    out_of_scope: int
    top1_accuracy: float
    """In-scope questions whose first-ranked entry is the right one."""
    answered_share: float
    """In-scope questions answered (rightly or wrongly)."""
    correct_share: float
    """In-scope questions answered with the right entry."""
    wrong_answer_rate: float
    """In-scope questions answered with the wrong entry."""
    false_answer_rate: float
    """Out-of-scope questions answered at all."""
    near_miss_false_answers: int

    def lines(self, label: str) -> list[str]:
        return [
            f"{label}: {self.in_scope} in-scope, {self.out_of_scope} out-of-scope questions",
            f"  top-1 accuracy      {self.top1_accuracy:6.1%}",
            f"  answered            {self.answered_share:6.1%}",
            f"  answered correctly  {self.correct_share:6.1%}",
            f"  wrong answers       {self.wrong_answer_rate:6.1%}",
            f"  false answers (OOS) {self.false_answer_rate:6.1%}"
            f"  ({self.near_miss_false_answers} near misses)",
        ]


def load_labelled(path: Path | str) -> list[Labelled]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    items = [Labelled(str(item["q"]), str(item["id"])) for item in data.get("in_scope", [])]
    items += [
        Labelled(str(item["q"]), None, bool(item.get("near_miss", False)))
        for item in data.get("out_of_scope", [])
    ]
    return items


def evaluate(
    labelled: Iterable[Labelled], match: Callable[[str], tuple[str | None, str | None]]
) -> list[Outcome]:
    """Run `match(question) -> (top id, answered id)` over every labelled question."""
    return [Outcome(item, *match(item.question)) for item in labelled]


def summarise(outcomes: list[Outcome]) -> Report:
    in_scope = [o for o in outcomes if o.labelled.expected is not None]
    out_of_scope = [o for o in outcomes if o.labelled.expected is None]
    n_in = max(len(in_scope), 1)
    n_out = max(len(out_of_scope), 1)
    return Report(
        in_scope=len(in_scope),
        out_of_scope=len(out_of_scope),
        top1_accuracy=sum(o.top == o.labelled.expected for o in in_scope) / n_in,
        answered_share=sum(o.answered is not None for o in in_scope) / n_in,
        correct_share=sum(o.answered == o.labelled.expected for o in in_scope) / n_in,
        wrong_answer_rate=sum(
            o.answered is not None and o.answered != o.labelled.expected for o in in_scope
        )
        / n_in,
        false_answer_rate=sum(o.answered is not None for o in out_of_scope) / n_out,
        near_miss_false_answers=sum(
            o.answered is not None and o.labelled.near_miss for o in out_of_scope
        ),
    )
