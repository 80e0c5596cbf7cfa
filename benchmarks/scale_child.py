"""One bot in one fresh process, for benchmarks/scale.py: start, answer, report.

    python benchmarks/scale_child.py oversight|naive KNOWLEDGE_DIR QUERIES_JSON

Start-up is only honest in a fresh interpreter (imports, YAML parsing, index building and any
on-disk cache all count), so scale.py runs this once per measurement and times it from outside,
from spawning the process to the `FIRST` line. Imports are inside the two bots' functions so
neither pays for the other's libraries.

Protocol on stdout, one line each: `FIRST <json>` as soon as the first question is answered,
`PROGRESS <done> <total>` now and then, and `RESULT <json>` at the end with the phase timings
and, per query, the latency and what the bot made of it. QUERIES_JSON is
`{"first": question, "queries": [question, ...]}`.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

STARTED = time.perf_counter()
REPO = Path(__file__).resolve().parent.parent
BOT_ROOT = os.environ.get("SCALE_BOT_ROOT", str(REPO))
"""Where `bot` is imported from: the working tree, or a snapshot with `scale.py --snapshot`."""
sys.path.insert(0, BOT_ROOT)

PROGRESS_EVERY = 50


def emit(tag: str, payload: Any) -> None:
    print(tag, json.dumps(payload) if not isinstance(payload, str) else payload, flush=True)


def run_oversight(knowledge_dir: str, first: str, queries: list[str]) -> dict[str, Any]:
    """The real bot through its public API: load_indexed, then Answerer.ask."""
    from bot.answering import Answerer

    try:
        from bot.knowledge.cache import load_indexed
    except ImportError:  # the API may move; answering re-exports it in some versions
        from bot.answering import load_indexed  # type: ignore[attr-defined, no-redef]
    imported = time.perf_counter()
    cache_dir = os.environ.get("SCALE_CACHE_DIR") or None
    knowledge, index = load_indexed(knowledge_dir, cache_dir=cache_dir)
    answerer = Answerer(knowledge, index)
    loaded = time.perf_counter()
    answer = answerer.ask(first)
    answered_first = time.perf_counter()
    emit("FIRST", {"answered": answer.answered, "id": _top_id(answer)})

    results = []
    for number, query in enumerate(queries, 1):
        start = time.perf_counter()
        answer = answerer.ask(query)
        elapsed = time.perf_counter() - start
        results.append(
            {
                "ms": elapsed * 1000,
                "answered": answer.answered,
                "top": _top_id(answer),
                "how": getattr(answer, "matched_by", None),
            }
        )
        if number % PROGRESS_EVERY == 0:
            emit("PROGRESS", f"{number} {len(queries)}")
    import bot

    return {
        "bot": str(Path(bot.__file__).parent),
        "entries": len(knowledge.entries),
        "import_s": imported - STARTED,
        "load_s": loaded - imported,
        "first_s": answered_first - loaded,
        "results": results,
    }


def _top_id(answer: Any) -> str | None:
    """The entry answered with, else the first "did you mean" suggestion."""
    if answer.entry is not None:
        return answer.entry.id
    return answer.alternatives[0].entry_id if answer.alternatives else None


def run_naive(knowledge_dir: str, first: str, queries: list[str]) -> dict[str, Any]:
    """What a first bot would do: read every YAML file, fuzzy-match against every phrasing."""
    import yaml
    from rapidfuzz import fuzz, process, utils

    # A first bot calls yaml.safe_load: PyYAML's pure-Python loader. SCALE_NAIVE_LOADER=c measures
    # the same bot with the C loader, for reference.
    wants_c = os.environ.get("SCALE_NAIVE_LOADER") == "c"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader) if wants_c else yaml.SafeLoader
    imported = time.perf_counter()
    root = Path(knowledge_dir)
    choices: list[str] = []
    owners: list[str] = []
    for path in sorted(root.rglob("*.y*ml")):
        relative = path.relative_to(root)
        if relative.name == "topics.yaml" or any(p.startswith(".") for p in relative.parts):
            continue
        with path.open(encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=loader)
        for entry in data if isinstance(data, list) else [data]:
            for phrasing in [entry["question"], *entry.get("also_asked", [])]:
                choices.append(phrasing)
                owners.append(entry["id"])
    loaded = time.perf_counter()

    def best(question: str) -> tuple[str | None, float]:
        found = process.extractOne(
            question, choices, scorer=fuzz.WRatio, processor=utils.default_process
        )
        return (owners[found[2]], found[1]) if found else (None, 0.0)

    first_id, first_score = best(first)
    answered_first = time.perf_counter()
    emit("FIRST", {"id": first_id, "score": first_score})

    results = []
    for number, query in enumerate(queries, 1):
        start = time.perf_counter()
        top, score = best(query)
        elapsed = time.perf_counter() - start
        results.append({"ms": elapsed * 1000, "top": top, "score": score})
        if number % PROGRESS_EVERY == 0:
            emit("PROGRESS", f"{number} {len(queries)}")
    return {
        "entries": len(set(owners)),
        "choices": len(choices),
        "loader": loader.__name__,
        "import_s": imported - STARTED,
        "load_s": loaded - imported,
        "first_s": answered_first - loaded,
        "results": results,
    }


def main() -> int:
    if len(sys.argv) != 4 or sys.argv[1] not in {"oversight", "naive"}:
        print(__doc__, file=sys.stderr)
        return 2
    mode, knowledge_dir, queries_file = sys.argv[1:]
    spec = json.loads(Path(queries_file).read_text(encoding="utf-8"))
    run = run_oversight if mode == "oversight" else run_naive
    emit("RESULT", run(knowledge_dir, spec["first"], spec["queries"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
