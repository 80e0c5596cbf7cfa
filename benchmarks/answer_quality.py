"""Answer quality and speed on labelled questions, beside a naive rapidfuzz matcher.

    python benchmarks/answer_quality.py [--show-misses]

For tests/data/questions.yaml (the tuning set) and tests/data/heldout.yaml (never used for tuning)
it prints top-1 accuracy, the share answered, answered correctly, wrong answers and false answers
on out-of-scope questions, for Oversight and for a naive bot: rapidfuzz `process.extractOne` with
`WRatio` over every entry's question and aliases, answering when the score reaches a cutoff. The
naive cutoff is the best one for the naive bot on the tuning set (right answers minus four times
wrong or false answers, the same objective the tuner uses), so the comparison is fair to it.
Per-question latency (p50, p95) is measured in-process after start-up.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from bot.answering import Answerer  # noqa: E402
from bot.evaluation import Labelled, Outcome, evaluate, load_labelled, summarise  # noqa: E402
from bot.knowledge.cache import load_indexed  # noqa: E402
from bot.knowledge.loader import KnowledgeBase  # noqa: E402

DATA = REPO / "tests" / "data"
Matcher = Callable[[str], tuple[str | None, str | None]]


def oversight_matcher(answerer: Answerer) -> Matcher:
    def match(question: str) -> tuple[str | None, str | None]:
        answer = answerer.ask(question)
        if answer.entry is not None:
            return answer.entry.id, answer.entry.id
        top = answer.alternatives[0].entry_id if answer.alternatives else None
        return top, None

    return match


class NaiveMatcher:
    """What a first bot would do: fuzzy-match the question against every phrasing."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.choices: list[str] = []
        self.owners: list[str] = []
        for entry in knowledge.entries.values():
            for phrasing in entry.phrasings:
                self.choices.append(phrasing)
                self.owners.append(entry.id)
        self.cutoff = 0.0

    def best(self, question: str) -> tuple[str | None, float]:
        found = process.extractOne(
            question, self.choices, scorer=fuzz.WRatio, processor=utils.default_process
        )
        if found is None:
            return None, 0.0
        return self.owners[found[2]], found[1]

    def __call__(self, question: str) -> tuple[str | None, str | None]:
        entry_id, score = self.best(question)
        return entry_id, entry_id if score >= self.cutoff else None

    def fit_cutoff(self, labelled: list[Labelled]) -> float:
        scored = [(item, *self.best(item.question)) for item in labelled]
        best_value, best_cutoff = float("-inf"), 100.0
        for cutoff in range(50, 101):
            value = 0.0
            for item, entry_id, score in scored:
                if score < cutoff:
                    continue
                value += 1 if entry_id == item.expected and item.expected else -4
            if value > best_value:
                best_value, best_cutoff = value, float(cutoff)
        self.cutoff = best_cutoff
        return best_cutoff


def timed(match: Matcher, labelled: list[Labelled]) -> tuple[list[Outcome], list[float]]:
    latencies: list[float] = []

    def wrapped(question: str) -> tuple[str | None, str | None]:
        start = time.perf_counter()
        result = match(question)
        latencies.append((time.perf_counter() - start) * 1000)
        return result

    return evaluate(labelled, wrapped), latencies


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--show-misses", action="store_true", help="list Oversight's mistakes on the tuning set"
    )
    args = parser.parse_args()

    start = time.perf_counter()
    knowledge, index = load_indexed(REPO / "knowledge")
    load_ms = (time.perf_counter() - start) * 1000
    answerer = Answerer(knowledge, index)
    naive = NaiveMatcher(knowledge)
    tuning = load_labelled(DATA / "questions.yaml")
    heldout = load_labelled(DATA / "heldout.yaml")
    cutoff = naive.fit_cutoff(tuning)

    print(
        f"# Answer quality ({len(knowledge.entries)} entries; "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()})"
    )
    print(
        f"knowledge base loaded and indexed in {load_ms:.0f} ms; naive WRatio cutoff {cutoff:.0f}\n"
    )
    for name, labelled in (
        ("tuning set (questions.yaml)", tuning),
        ("held-out set (heldout.yaml)", heldout),
    ):
        ours, our_ms = timed(oversight_matcher(answerer), labelled)
        theirs, their_ms = timed(naive, labelled)
        for label, outcomes, latencies in (
            ("Oversight", ours, our_ms),
            ("naive extractOne", theirs, their_ms),
        ):
            print("\n".join(summarise(outcomes).lines(f"{label}, {name}")))
            print(
                f"  latency p50 {statistics.median(latencies):.2f} ms, "
                f"p95 {percentile(latencies, 0.95):.2f} ms\n"
            )
        if args.show_misses and labelled is tuning:
            for outcome in ours:
                if outcome.answered != outcome.labelled.expected:
                    print(
                        f"  MISS {outcome.labelled.question!r}: "
                        f"expected {outcome.labelled.expected}, "
                        f"answered {outcome.answered}, top {outcome.top}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
