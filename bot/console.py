"""`oversight chat`: the local front end, for trying the bot without Discord.

It needs no token and no network. Line editing and history come from readline where the platform
has it; history is kept in the state folder so it stays with the rest of the bot's local data.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.answering import Answer
from bot.config import Settings
from bot.rendering import render_text
from bot.service import OversightService

HELP = """\
Ask a question in plain words, for example:
  How many police departments does Ring partner with?
  what did evan greer say about amazon

Commands:
  /help          this help
  /topics        the topics the knowledge base covers
  /entry ID      show one entry by its id
  1, 2, 3        pick a "did you mean" suggestion
  /quit          leave (Ctrl-D works too)"""


class Console:
    """A read-answer loop over the service. Input and output are injectable for tests."""

    def __init__(
        self,
        service: OversightService,
        *,
        read: Callable[[str], str] = input,
        out: TextIO = sys.stdout,
    ) -> None:
        self.service = service
        self.read = read
        self.out = out
        self.last_suggestions: list[str] = []

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def loop(self) -> int:
        knowledge = self.service.knowledge
        self.say(
            f"Oversight: local chat on {len(knowledge.entries)} entries from {knowledge.root}.\n"
            "Ask a question, /help for help, /quit to leave."
        )
        while True:
            try:
                line = self.read("\n> ").strip()
            except EOFError:
                self.say("")
                return 0
            except KeyboardInterrupt:
                self.say("\n(/quit to leave)")
                continue
            if not line:
                continue
            if line in {"/quit", "/exit", "/q"}:
                return 0
            self.handle(line)

    def handle(self, line: str) -> None:
        if line == "/help":
            self.say(HELP)
        elif line == "/topics":
            self.show_topics()
        elif line.startswith("/entry"):
            self.show_entry(line.removeprefix("/entry").strip())
        elif line.startswith("/"):
            self.say(f"Unknown command {line.split()[0]!r}: type /help for the commands.")
        elif line.isdigit() and self.last_suggestions:
            self.pick(int(line))
        else:
            self.show(self.service.ask(line))

    def show(self, answer: Answer) -> None:
        text = render_text(answer)
        if not answer.answered and answer.alternatives:
            self.last_suggestions = [s.entry_id for s in answer.alternatives]
            lines = text.splitlines()
            numbered = [lines[0], lines[1]] + [
                f"  {number}. {suggestion.question}"
                for number, suggestion in enumerate(answer.alternatives, start=1)
            ]
            text = "\n".join(numbered) + "\n(type a number to see it)"
        else:
            self.last_suggestions = []
        self.say(text)

    def pick(self, number: int) -> None:
        if not 1 <= number <= len(self.last_suggestions):
            self.say(f"Pick a number from 1 to {len(self.last_suggestions)}.")
            return
        self.show_entry(self.last_suggestions[number - 1])

    def show_entry(self, entry_id: str) -> None:
        entry = self.service.knowledge.entries.get(entry_id)
        if entry is None:
            self.say(f"No entry has the id {entry_id!r}. Ask a question to find one.")
            return
        answer = self.service.show(entry)
        self.last_suggestions = []
        self.say(f"{entry.question}\n\n{render_text(answer)}")

    def show_topics(self) -> None:
        knowledge = self.service.knowledge
        lines = []
        for slug, topic in knowledge.topics.items():
            count = len(knowledge.entries_in_topic(slug))
            lines.append(f"- {topic.title} ({count} entries): {topic.description}")
        self.say("\n".join(lines) or "No topics.")


def _enable_line_editing(history: Path) -> Callable[[], None]:
    """Turn on readline editing and history; returns a function that saves the history."""
    try:
        import readline
    except ImportError:  # pragma: no cover - Windows without pyreadline
        return lambda: None
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    readline.set_history_length(1000)

    def save() -> None:
        with contextlib.suppress(OSError):
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)

    return save


def run_console(service: OversightService, settings: Settings) -> int:
    save_history: Callable[[], None] = lambda: None  # noqa: E731
    if sys.stdin.isatty():
        save_history = _enable_line_editing(settings.state_path.parent / "chat_history")
    try:
        return Console(service).loop()
    finally:
        save_history()
