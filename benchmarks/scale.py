"""Speed and answer quality at scale: Oversight beside a naive bot at 1,000-100,000 entries.

    python benchmarks/scale.py [--sizes 1000 10000 100000] [--queries 300] [--validate]

For each size it generates a synthetic knowledge base with benchmarks/generate_kb.py (once, into
benchmarks/out/), then runs each bot in fresh child processes (benchmarks/scale_child.py), so
imports, YAML parsing, index building and any on-disk cache the bot keeps all count:

- start-up: wall time from spawning the process to its first answer; Oversight twice in a row
  (a second start shows what an on-disk cache buys), the naive bot once;
- latency p50 and p95 per question, in-process after start-up;
- peak memory: the child's max RSS, from os.wait4's rusage of that one child;
- top-1 accuracy on in-scope queries and the share of off-topic queries answered.

The naive bot is what a first version would do: PyYAML `safe_load` of every file (C loader when
present) and rapidfuzz `process.extractOne` with WRatio over every question and alias. It answers
when the score reaches a cutoff chosen as the best for it on the very queries being scored (right
answers minus 4x wrong or off-topic answers, the objective tune_matcher.py uses), so the
comparison flatters it rather than Oversight.

Results are printed as Markdown tables and written to benchmarks/out/scale-results.md (after
every size, so a crash at 100,000 keeps the smaller sizes); each query's outcome goes to
benchmarks/out/kb-<size>.outcomes.json for reading the misses.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
OUT = BENCH / "out"
VENV_PYTHON = REPO / ".venv" / "bin" / "python"
sys.path.insert(0, str(REPO))

try:
    import yaml
except ImportError:  # run with a Python that lacks the project's dependencies: use the venv's
    if VENV_PYTHON.exists() and Path(sys.executable).resolve() != VENV_PYTHON.resolve():
        os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), *sys.argv])
    sys.exit("scale.py needs PyYAML: run it with .venv/bin/python")

WRONG_COST = 4
"""A wrong or off-topic answer costs four right ones (as in benchmarks/tune_matcher.py)."""
HEARTBEAT_S = 30.0
CONTENDED = 0.85
"""CPU time / wall time below this for a child means it was kept waiting for a CPU."""


# -- running a child and measuring it -----------------------------------------------------------


@dataclass
class Run:
    """One child process: how long it took, its peak memory and what it printed."""

    command: list[str]
    exit_code: int | None = None
    timed_out: bool = False
    wall_s: float = 0.0
    first_s: float | None = None
    """Wall time from spawn to the first line starting with the `first_tag`."""
    max_rss_mb: float = 0.0
    cpu_s: float = 0.0
    """User + system CPU time of the child. Well below wall time for this single-threaded work
    means it waited for a CPU (other processes on the machine), so its times are inflated."""
    stdout: list[str] = field(default_factory=list)
    stderr: str = ""
    result: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    def failure(self) -> str:
        """A one-line reason, and the traceback's last lines, for the report."""
        if self.timed_out:
            return f"timed out after {self.wall_s:.0f}s"
        lines = [line for line in self.stderr.strip().splitlines() if line.strip()]
        last = lines[-1] if lines else "no error output"
        return f"exit {self.exit_code}: {last}"


def run_measured(
    command: Sequence[str],
    timeout: float,
    label: str,
    first_tag: str | None = None,
    on_line: Callable[[str], None] | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run a command with a time limit; time it, record its max RSS, keep its output.

    The child is reaped with os.wait4, whose rusage is that child's alone (RUSAGE_CHILDREN would
    be the maximum over every child so far, so a small run after a big one would inherit the big
    one's peak).
    """
    run = Run(list(command))
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            run.command,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=REPO,
            text=True,
            bufsize=1,
            env={**os.environ, **(env or {})},
        )
        done = threading.Event()

        def watchdog() -> None:
            while not done.wait(HEARTBEAT_S):
                elapsed = time.perf_counter() - started
                if elapsed >= timeout:
                    run.timed_out = True
                    process.kill()
                    return
                log(f"{label}: still running ({elapsed:.0f}s)")

        threading.Thread(target=watchdog, daemon=True).start()
        assert process.stdout is not None
        for line in process.stdout:
            line = line.rstrip("\n")
            if first_tag and run.first_s is None and line.startswith(first_tag):
                run.first_s = time.perf_counter() - started
            if on_line:
                on_line(line)
            run.stdout.append(line)
        process.stdout.close()
        _, status, usage = os.wait4(process.pid, 0)
        run.wall_s = time.perf_counter() - started
        done.set()
        process.returncode = run.exit_code = os.waitstatus_to_exitcode(status)
        run.max_rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
        run.cpu_s = usage.ru_utime + usage.ru_stime
        errors.seek(0)
        run.stderr = errors.read()
    for line in run.stdout:
        if line.startswith("RESULT "):
            run.result = json.loads(line.removeprefix("RESULT "))
    if run.exit_code == 0 and run.result is None and first_tag:
        run.exit_code = -1
        run.stderr += "\nno RESULT line from the child"
    return run


def shown(path: Path) -> str:
    """A path relative to the repository when it is inside it (shorter in the report)."""
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def child_progress(label: str) -> Callable[[str], None]:
    def show(line: str) -> None:
        if line.startswith("FIRST "):
            log(f"{label}: first answer; answering the queries")
        elif line.startswith("PROGRESS "):
            done, total = line.split()[1:3]
            log(f"{label}: {done}/{total} queries")

    return show


# -- scoring --------------------------------------------------------------------------------------


@dataclass
class Scores:
    """Quality on the labelled queries; counts, so rates can be shown with their base."""

    in_scope: int
    off_topic: int
    top1: int
    right: int
    wrong: int
    false_answers: int
    near_miss_answered: int
    near_misses: int

    @property
    def net(self) -> int:
        return self.right - WRONG_COST * (self.wrong + self.false_answers)


def score(outcomes: list[tuple[str | None, bool]], labels: list[dict[str, Any]]) -> Scores:
    """outcomes: per query (top entry id, answered); labels: the queries with `id` or not."""
    in_scope = [(o, q) for o, q in zip(outcomes, labels, strict=True) if q.get("id")]
    off = [(o, q) for o, q in zip(outcomes, labels, strict=True) if not q.get("id")]
    return Scores(
        in_scope=len(in_scope),
        off_topic=len(off),
        top1=sum(top == q["id"] for (top, _), q in in_scope),
        right=sum(answered and top == q["id"] for (top, answered), q in in_scope),
        wrong=sum(answered and top != q["id"] for (top, answered), q in in_scope),
        false_answers=sum(answered for (_, answered), _ in off),
        near_miss_answered=sum(answered for (_, answered), q in off if q.get("near_miss")),
        near_misses=sum(bool(q.get("near_miss")) for _, q in off),
    )


def best_naive_cutoff(results: list[dict[str, Any]], labels: list[dict[str, Any]]) -> int:
    """The WRatio cutoff that maximises the naive bot's net score on these queries (the lowest
    such cutoff on ties; 101 means "never answer")."""
    best_net, best_cutoff = None, 101
    for cutoff in range(0, 102):
        outcomes = [(r["top"], r["score"] >= cutoff) for r in results]
        net = score(outcomes, labels).net
        if best_net is None or net > best_net:
            best_net, best_cutoff = net, cutoff
    return best_cutoff


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


# -- one size -------------------------------------------------------------------------------------


@dataclass
class SizeResult:
    entries: int
    kb: Path
    files: int = 0
    megabytes: float = 0.0
    generated_s: float | None = None
    validate: Run | None = None
    oversight: list[Run] = field(default_factory=list)
    naive: Run | None = None
    naive_c: Run | None = None
    """The naive bot with PyYAML's C loader: start-up and memory only, for reference."""
    labels: list[dict[str, Any]] = field(default_factory=list)
    cache_files: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    notes: list[str] = field(default_factory=list)


def queries_path(kb: Path) -> Path:
    """Same convention as generate_kb.py: beside the knowledge folder, not inside it."""
    return kb.with_name(kb.name + ".queries.yaml")


def ensure_kb(size: int, seed: int, python: str, result: SizeResult) -> bool:
    kb = result.kb
    if kb.is_dir() and queries_path(kb).is_file() and (kb / "topics.yaml").is_file():
        log(f"[{size:,}] using {shown(kb)}")
        return True
    log(f"[{size:,}] generating {shown(kb)} ...")
    command = [python, str(BENCH / "generate_kb.py"), "--entries", str(size)]
    command += ["--out", str(kb), "--seed", str(seed)]
    run = run_measured(command, timeout=120 + size * 0.01, label=f"[{size:,}] generate")
    if not run.ok:
        result.notes.append(f"generating the knowledge base failed: {run.failure()}")
        log(f"[{size:,}] generation failed: {run.failure()}")
        return False
    result.generated_s = run.wall_s
    log(f"[{size:,}] generated in {run.wall_s:.1f}s")
    return True


def select_queries(path: Path, count: int, seed: int) -> tuple[list[dict[str, Any]], str]:
    """`count` labelled queries in the file's in-scope/off-topic proportion, shuffled; and a
    question left out of them for the first answer (so the measured queries start equal)."""
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    in_scope, off = data["in_scope"], data["out_of_scope"]
    total = len(in_scope) + len(off)
    count = total if count <= 0 else min(count, total)
    n_in = round(count * len(in_scope) / total)
    chosen = in_scope[:n_in] + off[: count - n_in]
    random.Random(seed).shuffle(chosen)
    first = in_scope[n_in]["q"] if n_in < len(in_scope) else in_scope[0]["q"]
    return chosen, first


def snapshot_bot(out: Path) -> Path:
    """Copy bot/ so every size runs the same code: other engineers edit the working tree while
    a 100,000-entry run takes ten minutes. Returns the folder to put first on sys.path."""
    root = out / "bot-snapshot"
    shutil.rmtree(root, ignore_errors=True)
    shutil.copytree(REPO / "bot", root / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    return root


def source_fingerprint(package: Path) -> str:
    """A short hash of the package's Python sources, to name the code a result describes."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def measure_size(size: int, args: argparse.Namespace) -> SizeResult:
    started = time.perf_counter()
    result = SizeResult(size, (args.out / f"kb-{size}").resolve())
    if not ensure_kb(size, args.seed, args.python, result):
        result.wall_s = time.perf_counter() - started
        return result
    kb = result.kb
    yaml_files = [p for p in kb.rglob("*.yaml") if p.name != "topics.yaml"]
    result.files = len(yaml_files)
    result.megabytes = sum(p.stat().st_size for p in kb.rglob("*") if p.is_file()) / 1e6
    result.labels, first = select_queries(queries_path(kb), args.queries, args.seed)
    spec = args.out / f"kb-{size}.run-queries.json"
    spec.write_text(json.dumps({"first": first, "queries": [q["q"] for q in result.labels]}))
    budget = args.timeout or (120 + size * 0.006)
    timeout = budget + 2.0 * len(result.labels)
    env = {"SCALE_BOT_ROOT": str(args.bot_root)}

    if args.validate:
        log(f"[{size:,}] oversight kb validate ...")
        cli = "import sys; sys.path.insert(0, sys.argv.pop(1)); from bot.cli import main; "
        cli += "sys.exit(main())"
        command = [args.python, "-c", cli, str(args.bot_root), "kb", "validate", str(kb)]
        result.validate = run_measured(command, budget, f"[{size:,}] validate")
        log(f"[{size:,}] validate: {summary(result.validate)}")

    cache = args.out / f"cache-{size}"
    shutil.rmtree(cache, ignore_errors=True)
    env["SCALE_CACHE_DIR"] = str(cache)
    for attempt in (1, 2):
        label = f"[{size:,}] oversight start {attempt}"
        log(f"{label} ...")
        command = [args.python, str(BENCH / "scale_child.py"), "oversight", str(kb), str(spec)]
        run = run_measured(command, timeout, label, "FIRST ", child_progress(label), env)
        result.oversight.append(run)
        if attempt == 1:
            result.cache_files = sorted(shown(p) for p in cache.glob("*") if p.is_file())
        log(f"{label}: {summary(run)}")
        if not run.ok:
            break
    label = f"[{size:,}] naive"
    log(f"{label} ...")
    command = [args.python, str(BENCH / "scale_child.py"), "naive", str(kb), str(spec)]
    result.naive = run_measured(command, timeout, label, "FIRST ", child_progress(label), env)
    log(f"{label}: {summary(result.naive)}")
    label = f"[{size:,}] naive, C loader"
    log(f"{label} ...")
    start_only = args.out / f"kb-{size}.first-only.json"
    start_only.write_text(json.dumps({"first": first, "queries": []}))
    command = [args.python, str(BENCH / "scale_child.py"), "naive", str(kb), str(start_only)]
    result.naive_c = run_measured(
        command, budget, label, "FIRST ", child_progress(label), {**env, "SCALE_NAIVE_LOADER": "c"}
    )
    log(f"{label}: {summary(result.naive_c)}")
    save_outcomes(result, args.out / f"kb-{size}.outcomes.json")
    result.wall_s = time.perf_counter() - started
    return result


def save_outcomes(result: SizeResult, path: Path) -> None:
    """Per query: the label and what each bot did, so misses can be read after the run."""
    runs = {"oversight": result.oversight[0] if result.oversight else None, "naive": result.naive}
    rows = []
    for position, label in enumerate(result.labels):
        row: dict[str, Any] = {"q": label["q"], "id": label.get("id")}
        for name, run in runs.items():
            if run is not None and run.result is not None:
                row[name] = run.result["results"][position]
        rows.append(row)
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")


def summary(run: Run) -> str:
    if not run.ok:
        return f"FAILED ({run.failure()})"
    first = f"first answer after {run.first_s:.2f}s, " if run.first_s is not None else ""
    return f"{first}done in {run.wall_s:.1f}s, {run.max_rss_mb:.0f} MB"


# -- report ---------------------------------------------------------------------------------------


def machine_header(python: str, bot_root: Path, live: bool) -> list[str]:
    cpu = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = 0.0
    with open("/proc/meminfo", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("MemTotal:"):
                ram_gb = int(line.split()[1]) / 1024**2
    usable = len(os.sched_getaffinity(0))
    probe = subprocess.run(
        [python, "-c", _PROBE], capture_output=True, text=True, timeout=120, check=True
    )
    info = json.loads(probe.stdout)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    code = git_description()
    return [
        "# Oversight at scale",
        "",
        f"- Date: {now}",
        f"- Machine: {cpu}, {os.cpu_count()} cores ({usable} usable), {ram_gb:.1f} GB RAM, "
        f"{platform.system()} {platform.release()}",
        f"- Code: {code}; bot/ sources {source_fingerprint(bot_root / 'bot')} "
        + ("(the working tree, live)" if live else f"(snapshot in `{shown(bot_root)}`)"),
        f"- Python {info['python']}; PyYAML {info['yaml']}, rapidfuzz {info['rapidfuzz']}, "
        f"pydantic {info['pydantic']}, bm25s {info['bm25s']}",
        "- Naive bot: `yaml.safe_load` (PyYAML's plain, pure-Python loader) on every file, then "
        "`rapidfuzz.process.extractOne(q, phrasings, scorer=fuzz.WRatio, "
        "processor=utils.default_process)` over every question and `also_asked`. For reference, "
        "its start-up with PyYAML's C loader (`CSafeLoader`) is shown too.",
        "- Oversight: `load_indexed` (C YAML parser, validation, index) then `Answerer.ask`; the "
        "first start builds its cache (`OVERSIGHT_CACHE_PATH`), the second loads it.",
        "- Start-up: wall time from spawning a fresh Python process to its first printed answer "
        "(imports, YAML, validation, index and any cache included; OS page cache warm).",
        "- Peak memory: max RSS of that child process (os.wait4 rusage).",
        *(
            ["- PYTHONDONTWRITEBYTECODE is set: imports include compiling bot/ from source."]
            if os.environ.get("PYTHONDONTWRITEBYTECODE")
            else []
        ),
        "- Latency: per question, in-process after start-up (time.perf_counter around each ask).",
        "- Top-1: Oversight's answer or first suggestion / the naive bot's best match is the "
        "labelled entry. Answered: Oversight's `answer.answered`; the naive bot when WRatio "
        "reaches its cutoff, chosen as the best for it on these same queries "
        f"(right - {WRONG_COST} x (wrong + off-topic answers)).",
        "",
    ]


def git_description() -> str:
    """The commit measured, and whether bot/ had uncommitted changes (others edit it while
    benchmarks run, so a result must say which code it describes)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "bot"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        return "unknown (no git)"
    return f"commit {head or '?'}" + (" with uncommitted changes in bot/" if dirty else "")


_PROBE = """
import json, sys, yaml, rapidfuzz, pydantic, bm25s
print(json.dumps({"python": sys.version.split()[0], "yaml": yaml.__version__,
    "rapidfuzz": rapidfuzz.__version__, "pydantic": pydantic.VERSION,
    "bm25s": getattr(bm25s, "__version__", "?"),
    "loader": "CSafeLoader" if hasattr(yaml, "CSafeLoader") else "SafeLoader"}))
"""


def fmt_s(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s"


def ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return ""
    return f"{a / b:.3g}×"


def pct(count: int, base: int) -> str:
    return f"{100 * count / base:.1f}%" if base else "—"


def points(a: int, b: int, base: int) -> str:
    return f"{100 * (a - b) / base:+.1f} pts" if base else ""


def size_table(result: SizeResult) -> tuple[list[str], dict[str, str]]:
    """The Markdown section for one size, and the figures for the summary table."""
    lines = [f"## {result.entries:,} entries", ""]
    lines.append(
        f"{result.files} entry files, {result.megabytes:.1f} MB of YAML in "
        f"`{shown(result.kb)}`"
        + (f" (generated in {result.generated_s:.1f}s)" if result.generated_s else "")
        + f"; {sum(bool(q.get('id')) for q in result.labels)} in-scope and "
        f"{sum(not q.get('id') for q in result.labels)} off-topic queries."
    )
    lines.append("")
    summary_row: dict[str, str] = {}
    first = result.oversight[0] if result.oversight else None
    second = result.oversight[1] if len(result.oversight) > 1 else None
    naive = result.naive
    if first is None or naive is None:
        lines += [*(f"- {note}" for note in result.notes), ""]
        return lines, summary_row
    o_ok = first.ok and first.result is not None
    n_ok = naive.ok and naive.result is not None
    o_res = first.result or {}
    n_res = naive.result or {}
    o_ms = [r["ms"] for r in o_res.get("results", [])]
    n_ms = [r["ms"] for r in n_res.get("results", [])]
    o_scores = n_scores = None
    cutoff = None
    if o_ok:
        o_scores = score([(r["top"], r["answered"]) for r in o_res["results"]], result.labels)
    if n_ok:
        cutoff = best_naive_cutoff(n_res["results"], result.labels)
        outcomes = [(r["top"], r["score"] >= cutoff) for r in n_res["results"]]
        n_scores = score(outcomes, result.labels)

    def cell(ok: bool, run: Run, text: str) -> str:
        return text if ok else f"**failed**: {run.failure()}"

    rows = [("measure", "Oversight", "naive bot", "Oversight vs naive")]
    rows.append(
        (
            "start-up to first answer (fresh process)",
            cell(o_ok, first, fmt_s(first.first_s)),
            cell(n_ok, naive, fmt_s(naive.first_s)),
            ratio(first.first_s, naive.first_s) if o_ok and n_ok else "",
        )
    )
    if second is not None:
        rows.append(
            (
                "start-up, second fresh process (from the cache)",
                cell(second.ok, second, fmt_s(second.first_s)),
                "",
                ratio(second.first_s, naive.first_s) if second.ok and n_ok else "",
            )
        )
    naive_c = result.naive_c
    if naive_c is not None:
        rows.append(
            (
                "reference: naive bot start-up with the C YAML loader",
                "",
                cell(naive_c.ok, naive_c, f"{fmt_s(naive_c.first_s)}, {naive_c.max_rss_mb:.0f} MB"),
                ratio(first.first_s, naive_c.first_s) if o_ok and naive_c.ok else "",
            )
        )
    if o_ok or n_ok:

        def phases(res: dict[str, Any]) -> str:
            return " / ".join(f"{res[k]:.2f}" for k in ("import_s", "load_s", "first_s")) + " s"

        rows.append(
            (
                "of which: imports / load + index / first ask",
                phases(o_res) if o_ok else "",
                phases(n_res) if n_ok else "",
                "",
            )
        )
    rows.append(
        (
            "latency p50",
            f"{percentile(o_ms, 0.5):.2f} ms" if o_ok else "",
            f"{percentile(n_ms, 0.5):.2f} ms" if n_ok else "",
            ratio(percentile(o_ms, 0.5), percentile(n_ms, 0.5)) if o_ok and n_ok else "",
        )
    )
    rows.append(
        (
            "latency p95",
            f"{percentile(o_ms, 0.95):.2f} ms" if o_ok else "",
            f"{percentile(n_ms, 0.95):.2f} ms" if n_ok else "",
            ratio(percentile(o_ms, 0.95), percentile(n_ms, 0.95)) if o_ok and n_ok else "",
        )
    )
    rows.append(
        (
            "peak memory (max RSS)",
            f"{first.max_rss_mb:.0f} MB",
            f"{naive.max_rss_mb:.0f} MB",
            ratio(first.max_rss_mb, naive.max_rss_mb),
        )
    )
    if second is not None and second.ok:
        rows.append(
            (
                "peak memory, second start (from the cache)",
                f"{second.max_rss_mb:.0f} MB",
                "",
                ratio(second.max_rss_mb, naive.max_rss_mb),
            )
        )
    if o_scores or n_scores:
        base = (o_scores or n_scores).in_scope  # type: ignore[union-attr]
        off = (o_scores or n_scores).off_topic  # type: ignore[union-attr]

        def both(get: Callable[[Scores], str]) -> tuple[str, str]:
            return (get(o_scores) if o_scores else "", get(n_scores) if n_scores else "")

        def diff(get: Callable[[Scores], int], of: int) -> str:
            return points(get(o_scores), get(n_scores), of) if o_scores and n_scores else ""

        rows.append(
            (
                "top-1 accuracy, in scope",
                *both(lambda s: pct(s.top1, s.in_scope)),
                diff(lambda s: s.top1, base),
            )
        )
        rows.append(
            (
                "in scope: answered right / answered wrong",
                *both(lambda s: f"{pct(s.right, s.in_scope)} / {pct(s.wrong, s.in_scope)}"),
                diff(lambda s: s.right, base),
            )
        )
        rows.append(
            (
                "off-topic queries answered (of which near misses)",
                *both(
                    lambda s: (
                        f"{pct(s.false_answers, s.off_topic)} "
                        f"({pct(s.near_miss_answered, s.near_misses)})"
                    )
                ),
                diff(lambda s: s.false_answers, off),
            )
        )
        rows.append(
            (
                f"net: right - {WRONG_COST} x (wrong + off-topic answered)",
                *both(lambda s: str(s.net)),
                (
                    f"{o_scores.net - n_scores.net:+d}"  # type: ignore[union-attr]
                    if o_scores and n_scores
                    else ""
                ),
            )
        )
        rows.append(
            (
                "answers when",
                "its fitted thresholds" if o_scores else "",
                f"WRatio ≥ {cutoff} (best for it here)" if n_scores else "",
                "",
            )
        )
    lines += markdown_table(rows)
    lines.append("")
    if result.validate is not None:
        v = result.validate
        state = "passed" if v.exit_code == 0 else f"**failed** ({v.failure()})"
        lines.append(
            f"- `oversight kb validate`: {state} in {v.wall_s:.1f}s, peak {v.max_rss_mb:.0f} MB."
        )
    if o_ok:
        how = [r.get("how") for r in o_res["results"]]
        if any(how):
            counts = {k: how.count(k) for k in sorted({h for h in how if h})}
            lines.append(
                "- Oversight matched by: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + "."
            )
        lines.append(
            f"- Oversight loaded {o_res.get('entries', 0):,} entries "
            f"(bot imported from `{shown(Path(o_res.get('bot', '?')))}`)."
        )
    if n_ok:
        lines.append(
            f"- Naive bot: {n_res.get('choices', 0):,} phrasings, loader {n_res.get('loader')}."
        )
    if result.cache_files:
        listed = ", ".join(f"`{p}`" for p in result.cache_files[:5])
        lines.append(f"- Files the first Oversight start created: {listed}.")
    elif first.ok:
        lines.append("- The first Oversight start wrote no cache files (none seen).")
    for run, name in [
        (first, "Oversight start 1"),
        (second, "Oversight start 2"),
        (naive, "naive"),
    ]:
        if run is not None and not run.ok:
            tail = "\n".join(run.stderr.strip().splitlines()[-15:])
            lines += ["", f"{name} failed: {run.failure()}", "", "```text", tail, "```"]
    for run, name in [
        (first, "Oversight start 1"),
        (second, "Oversight start 2"),
        (naive, "naive"),
    ]:
        if run is not None and run.ok and run.wall_s > 0 and run.cpu_s / run.wall_s < CONTENDED:
            lines.append(
                f"- {name} used {run.cpu_s:.1f}s of CPU in {run.wall_s:.1f}s of wall time: it "
                "waited for a CPU (other processes were busy), so its times are inflated."
            )
    lines += [*(f"- {note}" for note in result.notes)]
    generated = " (generation included)" if result.generated_s else ""
    lines.append(f"- Wall time for this size{generated}: {result.wall_s:.0f}s.")
    lines.append("")

    summary_row = {
        "entries": f"{result.entries:,}",
        "o_start": f"{fmt_s(first.first_s)} / {fmt_s(second.first_s if second else None)}"
        if o_ok
        else "failed",
        "n_start": (fmt_s(naive.first_s) if n_ok else "failed")
        + (f" ({fmt_s(naive_c.first_s)} with C)" if naive_c is not None and naive_c.ok else ""),
        "o_lat": f"{percentile(o_ms, 0.5):.1f} / {percentile(o_ms, 0.95):.1f}" if o_ok else "",
        "n_lat": f"{percentile(n_ms, 0.5):.1f} / {percentile(n_ms, 0.95):.1f}" if n_ok else "",
        "mem": f"{first.max_rss_mb:.0f} / "
        + (f"{second.max_rss_mb:.0f} / " if second is not None and second.ok else "")
        + f"{naive.max_rss_mb:.0f}",
        "top1": f"{pct(o_scores.top1, o_scores.in_scope) if o_scores else '—'} / "
        f"{pct(n_scores.top1, n_scores.in_scope) if n_scores else '—'}",
        "off": f"{pct(o_scores.false_answers, o_scores.off_topic) if o_scores else '—'} / "
        f"{pct(n_scores.false_answers, n_scores.off_topic) if n_scores else '—'}",
        "wall": f"{result.wall_s:.0f}s",
    }
    return lines, summary_row


def markdown_table(rows: list[tuple[str, ...]]) -> list[str]:
    header, *body = rows
    lines = ["| " + " | ".join(header) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return lines


def summary_table(rows: list[dict[str, str]]) -> list[str]:
    header = (
        "entries",
        "start-up: Oversight 1st / 2nd",
        "start-up: naive (C loader)",
        "p50 / p95 ms: Oversight",
        "p50 / p95 ms: naive",
        "peak MB: Oversight 1st / 2nd / naive",
        "top-1: Oversight / naive",
        "off-topic answered: Oversight / naive",
        "wall time",
    )
    keys = ("entries", "o_start", "n_start", "o_lat", "n_lat", "mem", "top1", "off", "wall")
    table = [header, *(tuple(row.get(k, "") for k in keys) for row in rows if row)]
    return ["## Summary", "", *markdown_table(table), ""]


# -- main -----------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument(
        "--queries", type=int, default=300, help="labelled queries per size (0: all 700)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--validate", action="store_true", help="also time `oversight kb validate`")
    parser.add_argument(
        "--timeout", type=float, help="seconds a child may take to start (default grows with size)"
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where KBs and results go")
    parser.add_argument(
        "--python",
        default=str(VENV_PYTHON if VENV_PYTHON.exists() else sys.executable),
        help="interpreter for the children (default: the project's .venv)",
    )
    parser.add_argument(
        "--snapshot",
        action="store_true",
        help="run a copy of bot/ taken at the start (for long runs while bot/ is being edited)",
    )
    args = parser.parse_args(argv)
    args.out = args.out.resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    report_path = args.out / "scale-results.md"
    args.bot_root = snapshot_bot(args.out) if args.snapshot else REPO

    header = machine_header(args.python, args.bot_root, not args.snapshot)
    print("\n".join(header), flush=True)
    sections: list[str] = []
    summaries: list[dict[str, str]] = []
    for size in args.sizes:
        result = measure_size(size, args)
        lines, row = size_table(result)
        sections += lines
        summaries.append(row)
        print("\n".join(lines), flush=True)
        report = [*header, *summary_table(summaries), *sections]
        report_path.write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(summary_table(summaries)), flush=True)
    log(f"wrote {shown(report_path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
