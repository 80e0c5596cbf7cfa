"""Data flows one way: the core never imports the Discord front end (or discord.py)."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "bot.knowledge.loader",
    "bot.knowledge.index",
    "bot.knowledge.cache",
    "bot.knowledge.verify",
    "bot.answering",
    "bot.freshness",
    "bot.service",
    "bot.state",
    "bot.updates",
    "bot.digest",
    "bot.rendering",
    "bot.console",
    "bot.cli",
    "bot.linkcheck",
    "bot.health",
]


def test_the_core_does_not_import_discord():
    code = "import sys\n" + "".join(f"import {module}\n" for module in CORE)
    code += "front = ('discord', 'discord.', 'bot.discord')\n"
    code += "print(sorted(m for m in sys.modules if m.startswith(front)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
