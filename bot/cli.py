"""The `oversight` command: chat, ask, run, kb, health (a contract: see DESIGN.md).

Exit statuses: 0 success; 1 a check failed (`kb validate` found problems, `health` unhealthy,
`kb stale --fail-on-stale` found stale entries); 2 the command could not do its job (bad
knowledge base for `ask`/`chat`, missing token, bad settings or arguments).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot import __version__
from bot.answering import Answer
from bot.config import Settings, SettingsError, load_settings
from bot.knowledge.loader import KnowledgeBase, KnowledgeError, validate_knowledge
from bot.rendering import render_text
from bot.service import OversightService, open_service
from bot.state import StateError

EXIT_OK, EXIT_CHECK_FAILED, EXIT_UNUSABLE = 0, 1, 2


class CommandError(Exception):
    """A one-line reason the command cannot go on; printed without a traceback (exit 2)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        return args.handler(args)
    except CommandError as error:
        print(f"oversight: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KnowledgeError as error:
        print(f"oversight: {error.report()}", file=sys.stderr)
        print("Run `oversight kb validate` after fixing them.", file=sys.stderr)
        return EXIT_UNUSABLE
    except (SettingsError, StateError) as error:
        print(f"oversight: {error}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--knowledge",
        metavar="PATH",
        type=Path,
        default=argparse.SUPPRESS,
        help="knowledge folder (default: $OVERSIGHT_KNOWLEDGE_PATH or the bundled knowledge/)",
    )
    parser = argparse.ArgumentParser(
        prog="oversight",
        description="Answers about surveillance-technology policy, with sources.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"oversight {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    chat = commands.add_parser("chat", parents=[common], help="chat with the knowledge base here")
    chat.set_defaults(handler=_chat)

    ask = commands.add_parser("ask", parents=[common], help="answer one question and exit")
    ask.add_argument("--json", action="store_true", help="print JSON (one object a line)")
    ask.add_argument("question", nargs="+", help="the question; '-' reads one a line from stdin")
    ask.set_defaults(handler=_ask)

    run = commands.add_parser("run", parents=[common], help="run the Discord bot (DISCORD_TOKEN)")
    run.set_defaults(handler=_run)

    health = commands.add_parser(
        "health", parents=[common], help="exit 0 when the knowledge base and state are usable"
    )
    health.set_defaults(handler=_health)

    updates = commands.add_parser("updates", parents=[common], help="moderator updates")
    update_commands = updates.add_subparsers(title="updates commands", metavar="UPDATES_COMMAND")
    updates.set_defaults(handler=lambda _args: _usage(updates))
    export = update_commands.add_parser(
        "export",
        parents=[common],
        help="open updates grouped by entry, to fold into the knowledge base by pull request",
    )
    export.add_argument("--since", type=today_arg, metavar="DATE", help="only updates from then on")
    export.add_argument(
        "--format", choices=("yaml", "md"), default="yaml", help="yaml (default) or md"
    )
    export.set_defaults(handler=_updates_export)

    kb = commands.add_parser("kb", parents=[common], help="knowledge-base tools for maintainers")
    kb_commands = kb.add_subparsers(title="kb commands", metavar="KB_COMMAND")
    kb.set_defaults(handler=lambda _args: _usage(kb))

    validate = kb_commands.add_parser(
        "validate", parents=[common], help="check every file; exit 1 on any problem"
    )
    validate.add_argument("path", nargs="?", type=Path, help="knowledge folder to check")
    validate.set_defaults(handler=_kb_validate)

    schema = kb_commands.add_parser(
        "schema", parents=[common], help="write the JSON Schema for knowledge files"
    )
    schema.add_argument("--check", action="store_true", help="exit 1 if the file is out of date")
    schema.set_defaults(handler=_kb_schema)

    from bot import cli_kb  # the maintainers' tools live in their own module

    cli_kb.add_commands(kb_commands, common)
    return parser


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return EXIT_UNUSABLE


# -- shared helpers ------------------------------------------------------------------------------


def settings_for(args: argparse.Namespace) -> Settings:
    overrides: dict[str, Any] = {}
    if getattr(args, "knowledge", None) is not None:
        overrides["knowledge_path"] = args.knowledge
    return load_settings(**overrides)


def knowledge_for(args: argparse.Namespace, settings: Settings | None = None) -> KnowledgeBase:
    """The validated knowledge base, or KnowledgeError (exit 2) listing every problem."""
    settings = settings or settings_for(args)
    knowledge, problems = validate_knowledge(settings.knowledge_path)
    if problems or knowledge is None:
        raise KnowledgeError(problems)
    return knowledge


def service_for(
    args: argparse.Namespace, settings: Settings | None = None, *, create_state: bool = False
) -> OversightService:
    """The knowledge base, indexed, with the state store's updates when a state file exists."""
    return open_service(settings or settings_for(args), create_state=create_state)


# -- commands -----------------------------------------------------------------------------------


def _chat(args: argparse.Namespace) -> int:
    from bot.console import run_console

    settings = settings_for(args)
    return run_console(service_for(args, settings), settings)


def _ask(args: argparse.Namespace) -> int:
    service = service_for(args)
    if args.question == ["-"]:
        questions: Any = (line.rstrip("\n") for line in sys.stdin)
    else:
        questions = [" ".join(args.question)]
    for question in questions:
        if args.question == ["-"] and not question.strip():
            continue
        answer = service.ask(question)
        if args.json:
            print(json_line(answer_json(answer)), flush=True)
        else:
            print(render_text(answer), end="\n\n" if args.question == ["-"] else "\n", flush=True)
    return EXIT_OK


_LINE_BREAKS = {"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def json_line(value: Any) -> str:
    """One JSON object on one line, whatever tool splits the lines.

    json.dumps escapes control characters but not U+0085, U+2028 and U+2029, which many line
    splitters (Python's str.splitlines, JavaScript) treat as line breaks; those are escaped too.
    """
    text = json.dumps(value, ensure_ascii=False)
    for raw, escaped in _LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return text


def answer_json(answer: Answer) -> dict[str, Any]:
    """The `ask --json` object (a contract: see DESIGN.md; fields are only ever added)."""
    entry = answer.entry
    entry_json = None
    if entry is not None:
        freshness = answer.freshness
        entry_json = {
            "id": entry.id,
            "kind": entry.kind,
            "question": entry.question,
            "sources": [source.to_json() for source in entry.sources],
            "as_of": str(entry.as_of),
            "last_verified": entry.last_verified.isoformat(),
            "stale": bool(freshness and freshness.stale),
            "stale_reasons": freshness.reason_texts if freshness else [],
        }
        if entry.quote is not None:
            entry_json["quote"] = entry.quote.to_json()
    return {
        "question": answer.question,
        "answered": answer.answered,
        "text": render_text(answer),
        "entry": entry_json,
        "score": round(answer.score, 4),
        "alternatives": [
            {"id": s.entry_id, "question": s.question, "score": s.score}
            for s in answer.alternatives
        ],
        "matched_by": answer.matched_by,
        "updates": [update.to_json() for update in answer.updates],
    }


def _run(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    if not settings.has_token:
        raise CommandError(
            "DISCORD_TOKEN is not set: export your bot token (see README, 'Running on Discord'), "
            "or use `oversight chat` to try the bot locally"
        )
    from bot.discord.runner import run_bot

    return run_bot(settings)


def _health(args: argparse.Namespace) -> int:
    from bot.health import check_health

    ok, lines = check_health(settings_for(args))
    for line in lines:
        print(line)
    return EXIT_OK if ok else EXIT_CHECK_FAILED


def _updates_export(args: argparse.Namespace) -> int:
    from bot.updates import export_markdown, export_yaml, open_updates

    service = service_for(args)
    items = open_updates(service.knowledge, list(service.updates), args.since)
    write = export_markdown if args.format == "md" else export_yaml
    print(write(service.knowledge, items), end="")
    return EXIT_OK


def _kb_validate(args: argparse.Namespace) -> int:
    settings = settings_for(args)
    root = args.path or settings.knowledge_path
    knowledge, problems = validate_knowledge(root)
    if problems:
        for problem in problems:
            print(problem)
        noun = "problem" if len(problems) == 1 else "problems"
        print(f"\n{len(problems)} {noun} in {root}: fix each at the file and line shown.")
        return EXIT_CHECK_FAILED
    assert knowledge is not None
    files = len({location.path for location in knowledge.locations.values()})
    print(
        f"OK: {len(knowledge.entries)} entries in {files} files, "
        f"{len(knowledge.topics)} topics ({root})"
    )
    return EXIT_OK


def _kb_schema(args: argparse.Namespace) -> int:
    from bot.knowledge.schema import entry_file_schema

    settings = settings_for(args)
    target = settings.knowledge_path / "schema.json"
    wanted = json.dumps(entry_file_schema(), indent=2, ensure_ascii=False) + "\n"
    current = target.read_text(encoding="utf-8") if target.exists() else None
    if args.check:
        if current != wanted:
            print(f"{target} is out of date: run `oversight kb schema` and commit it")
            return EXIT_CHECK_FAILED
        print(f"{target} is up to date")
        return EXIT_OK
    target.write_text(wanted, encoding="utf-8")
    print(f"wrote {target}")
    return EXIT_OK


def today_arg(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date: use YYYY-MM-DD") from None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
