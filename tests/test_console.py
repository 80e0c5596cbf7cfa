"""`oversight chat`: the local read-answer loop."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

from bot.console import Console


def chat(answerer, *lines: str) -> str:
    """Feed lines to a console as a person would type them; return everything it printed."""
    pending = list(lines)

    def read(_prompt: str) -> str:
        if not pending:
            raise EOFError
        return pending.pop(0)

    out = io.StringIO()
    assert Console(answerer, read=read, out=out).loop() == 0
    return out.getvalue()


def test_answers_with_sources_and_as_of_date(bundled):
    out = chat(bundled, "how many police departments does ring partner with")
    assert "1,800" in out
    assert "Sources:" in out and "FOX Business" in out
    assert "As of June 2021" in out


def test_did_you_mean_suggestions_can_be_picked_by_number(bundled):
    out = chat(bundled, "ring", "1")
    assert "I don't know that one yet." in out
    assert "  1. " in out and "(type a number to see it)" in out
    first = out.split("  1. ")[1].splitlines()[0]
    assert out.rstrip().count(first) >= 2, "picking 1 shows the suggested entry"
    assert "Sources:" in out


def test_help_topics_entry_and_unknown_commands(bundled):
    out = chat(bundled, "/help", "/topics", "/entry bipa-damages", "/entry nope", "/frobnicate")
    assert "/quit" in out
    assert "EU AI Act" in out
    assert "How much can people recover under BIPA?" in out
    assert "No entry has the id 'nope'" in out
    assert "Unknown command '/frobnicate'" in out


def test_quit_ends_the_session(bundled):
    out = chat(bundled, "/quit", "how many police departments does ring partner with")
    assert "1,800" not in out


def test_chat_command_reads_piped_input():
    script = Path(sys.executable).parent / "oversight"
    result = subprocess.run(
        [str(script), "chat"],
        input="When did San Francisco ban facial recognition?\n/quit\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert "local chat on" in result.stdout
    assert "8-1" in result.stdout
