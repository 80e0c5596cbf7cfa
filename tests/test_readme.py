"""The README stays true: every setting and every command it should name, it names."""

from __future__ import annotations

from bot.config import Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_in_the_readme_table():
    for name in Settings.model_fields:
        variable = "DISCORD_TOKEN" if name == "discord_token" else f"OVERSIGHT_{name.upper()}"
        assert f"| `{variable}` |" in README, (
            f"{variable} is missing from the README settings table"
        )


def test_quick_start_is_the_two_make_commands():
    quick_start = README.split("## Quick start", 1)[1].split("##", 1)[0]
    assert "make run" in quick_start and "make test" in quick_start


def test_ci_runs_the_readme_test_command():
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
