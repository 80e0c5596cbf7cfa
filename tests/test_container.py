"""What can be checked of the container without a Docker engine: the Dockerfile's paths and
commands are real, and `oversight health` (its HEALTHCHECK) tells a usable deployment apart."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from bot.cli import build_parser
from tests.conftest import REPO

OVERSIGHT = str(Path(sys.executable).parent / "oversight")


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with continuation lines joined and comments dropped."""
    text = (REPO / "Dockerfile").read_text(encoding="utf-8").replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def exec_form(arguments: str) -> list[str]:
    return json.loads(arguments) if arguments.startswith("[") else shlex.split(arguments)


def one(keyword: str) -> str:
    values = [args for kw, args in instructions() if kw == keyword]
    assert len(values) == 1, f"expected one {keyword}"
    return values[0]


def test_slim_official_python_base_and_a_non_root_user():
    assert one("FROM").startswith("python:3.11-slim")
    assert one("USER") not in ("root", "0")


def test_every_copied_path_exists():
    for keyword, arguments in instructions():
        if keyword == "COPY":
            *sources, _ = exec_form(arguments)
            for source in sources:
                assert (REPO / source).exists(), f"COPY {source}: no such path in the repository"


def test_the_command_and_the_healthcheck_are_real_subcommands():
    parser = build_parser()
    command = exec_form(one("CMD"))
    assert command == ["oversight", "run"]
    assert parser.parse_args(command[1:]).handler.__name__ == "_run"
    health = one("HEALTHCHECK")
    check = exec_form(health.split("CMD", 1)[1].strip())
    assert check == ["oversight", "health"]
    assert parser.parse_args(check[1:]).handler.__name__ == "_health"
    assert one("STOPSIGNAL") == "SIGTERM"


def test_state_lives_on_the_volume_and_knowledge_is_baked_in():
    environment = " ".join(args for kw, args in instructions() if kw == "ENV")
    assert "OVERSIGHT_STATE_PATH=/data/state.json" in environment
    assert "OVERSIGHT_KNOWLEDGE_PATH=/app/knowledge" in environment
    assert "/data" in one("VOLUME")


def run_health(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OVERSIGHT_")}
    environment.update(OVERSIGHT_STATE_PATH=str(tmp_path / "data" / "state.json"), **env)
    return subprocess.run(
        [OVERSIGHT, "health"], env=environment, capture_output=True, text=True, timeout=60
    )


def test_health_is_ok_for_a_usable_deployment(tmp_path):
    result = run_health(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "knowledge: ok: 71 entries" in result.stdout
    assert "state: ok" in result.stdout


def test_health_fails_on_a_broken_knowledge_base(tmp_path, write_knowledge):
    root = write_knowledge({"bad.yaml": "- id: x\n"})
    result = run_health(tmp_path, OVERSIGHT_KNOWLEDGE_PATH=str(root))
    assert result.returncode == 1
    assert "knowledge: FAIL" in result.stdout and "bad.yaml:1" in result.stdout


def test_health_fails_when_the_state_location_is_unusable(tmp_path):
    (tmp_path / "data").write_text("a file where the state folder should be")
    result = run_health(tmp_path)
    assert result.returncode == 1
    assert "state: FAIL" in result.stdout and "OVERSIGHT_STATE_PATH" in result.stdout


def test_health_fails_on_a_state_file_from_a_newer_version(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "state.json").write_text(
        json.dumps({"meta": {"1": {"key": "schema", "version": 99}}})
    )
    result = run_health(tmp_path)
    assert result.returncode == 1 and "newer Oversight" in result.stdout
