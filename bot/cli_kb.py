"""`oversight kb stale | verify | check-links`: the maintainers' command-line tools."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
from typing import Any

from bot.knowledge.dates import human_day

EXIT_OK, EXIT_CHECK_FAILED, EXIT_UNUSABLE = 0, 1, 2


def add_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    from bot.cli import today_arg

    stale = commands.add_parser(
        "stale", parents=[common], help="entries to re-check, with every reason, most asked first"
    )
    stale.add_argument("--json", action="store_true", help="print a JSON list")
    stale.add_argument("--today", type=today_arg, metavar="DATE", help="judge as of this date")
    stale.add_argument("--topic", metavar="SLUG", help="only entries in this topic")
    stale.add_argument(
        "--fail-on-stale", action="store_true", help="exit 1 when any entry is stale (for CI)"
    )
    stale.add_argument(
        "--unanswered",
        action="store_true",
        help="with --json, print {stale, unanswered} including the most frequent unanswered "
        "questions (when the bot logs them)",
    )
    stale.set_defaults(handler=_stale)

    verify = commands.add_parser(
        "verify", parents=[common], help="set last_verified on entries you re-checked"
    )
    verify.add_argument("ids", nargs="+", metavar="ID", help="entry ids")
    verify.add_argument("--date", type=today_arg, metavar="DATE", help="default: today")
    verify.set_defaults(handler=_verify)

    links = commands.add_parser(
        "check-links", parents=[common], help="check every source URL; exit 1 on dead links"
    )
    links.add_argument("--json", action="store_true", help="print JSON results")
    links.add_argument("--timeout", type=float, default=10.0, help="seconds per attempt (10)")
    links.add_argument("--concurrency", type=int, default=8, help="requests at once (8)")
    links.set_defaults(handler=_check_links)


def _stale(args: argparse.Namespace) -> int:
    from bot.cli import service_for, settings_for

    settings = settings_for(args)
    service = service_for(args, settings)
    if args.topic and args.topic not in service.knowledge.topics:
        known = ", ".join(service.knowledge.topics)
        print(f"oversight: no topic {args.topic!r}; topics are: {known}", file=sys.stderr)
        return EXIT_UNUSABLE
    stale = service.stale_entries(args.today, args.topic)
    if args.json:
        listing = [item.to_json() for item in stale]
        if args.unanswered:
            unanswered = [{"question": q, "count": n} for q, n in service.top_unanswered(20)]
            print(
                json.dumps(
                    {"stale": listing, "unanswered": unanswered}, ensure_ascii=False, indent=2
                )
            )
        else:
            print(json.dumps(listing, ensure_ascii=False, indent=2))
    else:
        today = args.today or dt.date.today()
        if not stale:
            print(f"No stale entries as of {human_day(today)}.")
        for item in stale:
            location = service.knowledge.locations[item.entry.id]
            asked = f", asked {item.asked}x" if item.asked else ""
            print(f"{item.entry.id} ({location.path.name}:{location.line}{asked})")
            print(f"  {item.entry.question}")
            for reason in item.freshness.reason_texts:
                print(f"  - {reason}")
        if stale:
            print(
                f"\n{len(stale)} of {len(service.knowledge.entries)} entries need re-checking "
                f"as of {human_day(today)}. After checking one: oversight kb verify ID"
            )
    return EXIT_CHECK_FAILED if stale and args.fail_on_stale else EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from bot.cli import knowledge_for
    from bot.knowledge.verify import VerifyError, mark_verified

    knowledge = knowledge_for(args)
    day = args.date or dt.date.today()
    try:
        done = mark_verified(knowledge, args.ids, day)
    except VerifyError as error:
        print(f"oversight: {error}; nothing was changed", file=sys.stderr)
        return EXIT_UNUSABLE
    for item in done:
        print(f"{item.path}:{item.line}: {item.entry_id}: last_verified {item.previous} -> {day}")
    return EXIT_OK


def _check_links(args: argparse.Namespace) -> int:
    from bot.cli import knowledge_for
    from bot.linkcheck import LinkCheckOptions, check_links, results_json, summarise

    knowledge = knowledge_for(args)
    options = LinkCheckOptions(concurrency=args.concurrency, timeout=args.timeout)

    def progress(done: int, total: int) -> None:
        if sys.stderr.isatty() or done == total:
            print(
                f"\rchecked {done}/{total} links", end="" if done < total else "\n", file=sys.stderr
            )

    results = asyncio.run(check_links(knowledge, options, progress))
    if args.json:
        print(json.dumps(results_json(results), ensure_ascii=False, indent=2))
    else:
        print(summarise(results))
    broken = [result for result in results if result.status not in ("ok", "moved")]
    return EXIT_CHECK_FAILED if broken else EXIT_OK
