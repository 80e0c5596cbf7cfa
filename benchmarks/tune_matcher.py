"""Fit the matcher's weights and thresholds to labelled questions.

    python benchmarks/tune_matcher.py            # search and print; change nothing
    python benchmarks/tune_matcher.py --write    # also rewrite TUNED in bot/match_params.py
    python benchmarks/tune_matcher.py --cv       # also estimate, by 5-fold cross-validation,
                                                 # how the fitted settings do on unseen questions

It searches the unknown-word weight, the five feature weights (on a grid over the simplex), what
the margin over the runner-up is measured on, the unknown-word gate, and the answer threshold and
margin, maximising

    right answers - WRONG_COST * wrong answers - FALSE_COST * out-of-scope answers

on tests/data/questions.yaml. To prefer settings that hold on questions it has not seen, each
(threshold, margin) pair is judged by the average objective over its neighbours on the grid (a
wide plateau beats a lucky spike); `--cv` prints a 5-fold cross-validation estimate beside the
fitted figures (five more searches, so five times as long). tests/data/heldout.yaml is never
used for fitting; the quality benchmark reports it.
"""

from __future__ import annotations

import argparse
import itertools
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.answering import COMPLETE, Answerer  # noqa: E402
from bot.evaluation import Labelled, load_labelled  # noqa: E402
from bot.knowledge.cache import load_indexed  # noqa: E402
from bot.match_params import TUNED, MatchParams  # noqa: E402

WRONG_COST = 6.0
FALSE_COST = 8.0
UNKNOWN_WEIGHTS = (0.3, 0.5, 0.7, 0.85, 1.0)
WEIGHT_STEP = 0.1
THRESHOLDS = np.round(np.arange(0.30, 0.96, 0.01), 2)
MARGINS = np.round(np.arange(0.0, 0.31, 0.01), 2)
MARGIN_MODES = ("score", "balanced")
"""What the margin over the runner-up is measured on (see MatchParams.margin_on)."""
GATES = (0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
FEATURES = 5
"""Length of `Features.vector()`."""
SMOOTH = 2
"""Neighbours on each side averaged when judging a (threshold, margin) pair."""


@dataclass
class QuestionData:
    """Per question: exact hit, enough terms, candidate features and which candidate is right."""

    exact_correct: bool | None
    """None when no exact match; else whether the exact match is the labelled entry."""
    enough_terms: bool
    features: np.ndarray
    """(candidates, FEATURES) feature matrix, retrieval order."""
    unmatched: np.ndarray
    """(candidates,) the `Features.unmatched` gate value (9 when an entity is missing: never
    answered, as in `Answerer.ask`)."""
    correct: np.ndarray
    """(candidates,) bool: candidate is the labelled entry."""
    in_scope: bool


def gather(answerer: Answerer, labelled: list[Labelled], unknown: float) -> list[QuestionData]:
    tuned = Answerer(
        answerer.knowledge,
        answerer.index,
        params=replace(answerer.params, unknown_term_weight=unknown),
        clock=answerer.clock,
    )
    data = []
    for item in labelled:
        exact = tuned.index.exact_match(item.question)
        if exact is None:
            exact = tuned.index.definition_match(item.question)
        query = tuned.index.analyse(item.question)
        candidates = tuned.rank(query)
        features = np.array(
            [c.features.vector() for c in candidates] or np.zeros((0, FEATURES))
        ).reshape(-1, FEATURES)
        data.append(
            QuestionData(
                exact_correct=None if exact is None else tuned.index.ids[exact] == item.expected,
                enough_terms=len(query.stems) >= tuned.params.min_terms,
                features=features,
                unmatched=np.array(
                    [9.0 if c.features.missing_entity else c.features.unmatched for c in candidates]
                ),
                correct=np.array([c.entry.id == item.expected for c in candidates], dtype=bool),
                in_scope=item.expected is not None,
            )
        )
    return data


def weight_grid() -> list[tuple[float, ...]]:
    """Every weight vector on the simplex with WEIGHT_STEP resolution."""
    steps = round(1 / WEIGHT_STEP)
    grid = []
    for head in itertools.product(range(steps + 1), repeat=FEATURES - 1):
        last = steps - sum(head)
        if last >= 0:
            grid.append(tuple(part / steps for part in (*head, last)))
    return grid


@dataclass
class Outcomes:
    """Per question for one weight setting: best score, margin, and what answering would mean."""

    best: np.ndarray
    margin: np.ndarray
    complete: np.ndarray
    """The best candidate is a complete match (see Features.complete): no margin needed."""
    unmatched: np.ndarray
    best_correct: np.ndarray
    exact: np.ndarray  # 1 exact right, -1 exact wrong, 0 no exact
    enough: np.ndarray
    in_scope: np.ndarray


def outcomes_for(data: list[QuestionData], weights: np.ndarray, margin_on: str) -> Outcomes:
    n = len(data)
    best = np.zeros(n)
    margin = np.zeros(n)
    complete = np.zeros(n, dtype=bool)
    unmatched = np.ones(n)
    best_correct = np.zeros(n, dtype=bool)
    exact = np.zeros(n)
    for i, question in enumerate(data):
        if question.exact_correct is not None:
            exact[i] = 1 if question.exact_correct else -1
        if len(question.features):
            scores = question.features @ weights
            order = np.argsort(-scores, kind="stable")
            best[i] = scores[order[0]]
            top = question.features[order[0]]
            complete[i] = top[0] >= COMPLETE and top[3] >= COMPLETE
            unmatched[i] = question.unmatched[order[0]]
            if margin_on == "balanced":
                b = question.features[:, 4]
                margin[i] = b[order[0]] - (b[order[1]] if len(order) > 1 else 0.0)
            else:
                margin[i] = best[i] - (scores[order[1]] if len(order) > 1 else 0.0)
            best_correct[i] = question.correct[order[0]]
    return Outcomes(
        best,
        margin,
        complete,
        unmatched,
        best_correct,
        exact,
        np.array([q.enough_terms for q in data]),
        np.array([q.in_scope for q in data]),
    )


def objective_grid(outcome: Outcomes, gate: float, mask: np.ndarray | None = None) -> np.ndarray:
    """Objective for every (threshold, margin) pair: shape (len(THRESHOLDS), len(MARGINS))."""
    if mask is None:
        mask = np.ones(len(outcome.best), dtype=bool)
    ranked = (outcome.exact == 0) & outcome.enough & mask & (outcome.unmatched <= gate)
    answers = (
        ranked[None, None, :]
        & (outcome.best[None, None, :] >= THRESHOLDS[:, None, None])
        & (
            (outcome.margin[None, None, :] >= MARGINS[None, :, None])
            | outcome.complete[None, None, :]
        )
    )
    right = answers & outcome.best_correct & outcome.in_scope
    wrong = answers & ~outcome.best_correct & outcome.in_scope
    false = answers & ~outcome.in_scope
    exact_right = np.sum((outcome.exact == 1) & mask & outcome.in_scope)
    exact_bad = np.sum((outcome.exact == -1) & mask)
    return (
        right.sum(-1)
        + exact_right
        - WRONG_COST * (wrong.sum(-1) + exact_bad)
        - FALSE_COST * false.sum(-1)
    )


def smooth(grid: np.ndarray) -> np.ndarray:
    padded = np.pad(grid, SMOOTH, mode="edge")
    total = np.zeros_like(grid, dtype=float)
    width = 2 * SMOOTH + 1
    for dx in range(width):
        for dy in range(width):
            total += padded[dx : dx + grid.shape[0], dy : dy + grid.shape[1]]
    return total / width**2


def search(
    datasets: dict[float, list[QuestionData]], mask: np.ndarray | None = None
) -> tuple[float, MatchParams]:
    best_value = -np.inf
    best_params = TUNED
    for unknown, data in datasets.items():
        for weights, margin_on in itertools.product(weight_grid(), MARGIN_MODES):
            outcome = outcomes_for(data, np.array(weights), margin_on)
            for gate in GATES:
                smoothed = smooth(objective_grid(outcome, gate, mask))
                t, m = np.unravel_index(np.argmax(smoothed), smoothed.shape)
                if smoothed[t, m] <= best_value:
                    continue
                best_value = float(smoothed[t, m])
                best_params = replace(
                    TUNED,
                    weight_ask=weights[0],
                    weight_full=weights[1],
                    weight_fuzzy=weights[2],
                    weight_reverse=weights[3],
                    weight_balanced=weights[4],
                    unknown_term_weight=unknown,
                    answer_threshold=float(THRESHOLDS[t]),
                    margin=float(MARGINS[m]),
                    max_unmatched=gate,
                    margin_on=margin_on,
                )
    return best_value, best_params


def suggest_threshold(data: list[QuestionData], params: MatchParams) -> float:
    """Low enough that the right entry is offered for 95% of in-scope questions that reach it."""
    weights = np.array(params.weights)
    right_scores = [
        float((q.features @ weights)[q.correct].max())
        for q in data
        if q.in_scope and q.correct.any()
    ]
    value = float(np.percentile(right_scores, 5)) if right_scores else 0.25
    return round(min(value, params.answer_threshold - 0.05), 2)


def cross_validate(datasets: dict[float, list[QuestionData]], folds: int = 5) -> dict[str, float]:
    n = len(next(iter(datasets.values())))
    order = np.random.default_rng(7).permutation(n)
    totals = {"right": 0, "wrong": 0, "false": 0, "in": 0, "out": 0}
    for fold in range(folds):
        test = np.zeros(n, dtype=bool)
        test[order[fold::folds]] = True
        _, params = search(datasets, mask=~test)
        data = datasets[params.unknown_term_weight]
        weights = np.array(params.weights)
        outcome = outcomes_for(data, weights, params.margin_on)
        ranked = (outcome.exact == 0) & outcome.enough & (outcome.unmatched <= params.max_unmatched)
        answered = (outcome.exact != 0) | (
            ranked
            & (outcome.best >= params.answer_threshold)
            & ((outcome.margin >= params.margin) | outcome.complete)
        )
        correct = np.where(outcome.exact != 0, outcome.exact == 1, outcome.best_correct)
        totals["right"] += int(np.sum(test & answered & correct & outcome.in_scope))
        totals["wrong"] += int(np.sum(test & answered & ~correct & outcome.in_scope))
        totals["false"] += int(np.sum(test & answered & ~outcome.in_scope))
        totals["in"] += int(np.sum(test & outcome.in_scope))
        totals["out"] += int(np.sum(test & ~outcome.in_scope))
    return {
        "answered correctly": totals["right"] / max(totals["in"], 1),
        "wrong answers": totals["wrong"] / max(totals["in"], 1),
        "false answers (OOS)": totals["false"] / max(totals["out"], 1),
    }


def write_params(params: MatchParams) -> None:
    path = REPO / "bot" / "match_params.py"
    source = path.read_text(encoding="utf-8")
    block = (
        "TUNED = MatchParams(\n"
        f"    weight_ask={params.weight_ask},\n"
        f"    weight_full={params.weight_full},\n"
        f"    weight_fuzzy={params.weight_fuzzy},\n"
        f"    weight_reverse={params.weight_reverse},\n"
        f"    weight_balanced={params.weight_balanced},\n"
        f"    unknown_term_weight={params.unknown_term_weight},\n"
        f"    answer_threshold={params.answer_threshold},\n"
        f"    margin={params.margin},\n"
        f"    suggest_threshold={params.suggest_threshold},\n"
        f"    max_unmatched={params.max_unmatched},\n"
        f"    min_terms={params.min_terms},\n"
        f'    margin_on="{params.margin_on}",\n'
        ")\n"
    )
    source = re.sub(r"TUNED = MatchParams\(\n.*?\n\)\n", block, source, flags=re.S)
    path.write_text(source, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite TUNED in bot/match_params.py")
    parser.add_argument(
        "--questions", type=Path, default=REPO / "tests" / "data" / "questions.yaml"
    )
    parser.add_argument(
        "--cv", action="store_true", help="also print a 5-fold cross-validation estimate (slow)"
    )
    parser.add_argument("--wrong-cost", type=float, help=f"cost of a wrong answer ({WRONG_COST})")
    parser.add_argument("--false-cost", type=float, help=f"cost of an OOS answer ({FALSE_COST})")
    args = parser.parse_args()
    costs = globals()  # the search reads the module-level costs
    costs["WRONG_COST"] = args.wrong_cost or WRONG_COST
    costs["FALSE_COST"] = args.false_cost or FALSE_COST

    knowledge, index = load_indexed(REPO / "knowledge")
    answerer = Answerer(knowledge, index)
    labelled = load_labelled(args.questions)
    print(f"{len(labelled)} labelled questions, {len(knowledge.entries)} entries", flush=True)
    datasets = {unknown: gather(answerer, labelled, unknown) for unknown in UNKNOWN_WEIGHTS}
    value, params = search(datasets)
    params = replace(
        params, suggest_threshold=suggest_threshold(datasets[params.unknown_term_weight], params)
    )
    print(f"objective {value:.1f} (smoothed) with {params}")
    if args.cv:
        print("5-fold cross-validation (fitted on 4/5, counted on the held-out 1/5):")
        for name, share in cross_validate(datasets).items():
            print(f"  {name:22s} {share:6.1%}")
    if args.write:
        write_params(params)
        print("wrote bot/match_params.py")
    return 0


if __name__ == "__main__":
    sys.exit(main())
