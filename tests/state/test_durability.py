"""The state file survives kills mid-write, unreadable files, and old or new schema versions."""

from __future__ import annotations

import json
import logging
import os
import random
import signal
import subprocess
import sys
import time

import pytest

from bot.state import SCHEMA_VERSION, StateError, open_store
from bot.state.records import NewUpdate

WRITER = """
import sys
from bot.state import open_store
from bot.state.records import NewUpdate
store = open_store(sys.argv[1])
print("ready", flush=True)
n = 0
while True:
    n += 1
    store.add_update(NewUpdate("x" * 2000 + str(n), "local-laws", (), "h"))
    store.record_feedback("entry-%d" % (n % 50), "helpful", "user-%d" % n)
    store.count_asked("entry-%d" % (n % 7))
"""


def test_killing_a_writer_mid_write_never_leaves_a_torn_file(tmp_path):
    """SIGKILL a process that writes as fast as it can, 25 times at random moments: each time the
    file must load as JSON and open as a store, with nothing quarantined."""
    path = tmp_path / "state.json"
    rng = random.Random(7)
    sizes = []
    for _ in range(25):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.02, 0.25))
        writer.send_signal(signal.SIGKILL)
        writer.wait(timeout=30)
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["meta"], "the schema record is always there"
        store = open_store(path)
        assert store.quarantined == []
        assert store.schema_version() == SCHEMA_VERSION
        sizes.append(len(store.list_updates()))
    assert sizes == sorted(sizes) and sizes[-1] > sizes[0], "writes kept landing between kills"


def test_an_unreadable_file_is_moved_aside_loudly_and_the_bot_starts_fresh(tmp_path, caplog):
    path = tmp_path / "state.json"
    path.write_text('{"updates": {"1": {"id": "u1", "te')
    with caplog.at_level(logging.ERROR):
        store = open_store(path)
    [moved] = store.quarantined
    assert moved.name.startswith("state.json.unreadable-") and moved.read_text().startswith('{"upd')
    assert "STATE FILE UNREADABLE" in caplog.text and str(moved) in caplog.text
    assert store.list_updates() == []
    store.add_update(NewUpdate("fresh", "local-laws", (), "h"))
    assert json.loads(path.read_text())["updates"]


def test_a_file_that_is_json_but_not_a_store_is_moved_aside(tmp_path):
    path = tmp_path / "state.json"
    path.write_text("[1, 2, 3]")
    store = open_store(path)
    assert len(store.quarantined) == 1


def test_abandoned_temporary_files_are_cleaned_up(tmp_path):
    path = tmp_path / "state.json"
    old = tmp_path / ".state.json.abc.tmp"
    recent = tmp_path / ".state.json.def.tmp"
    old.write_text("{")
    recent.write_text("{")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    open_store(path)
    assert not old.exists() and recent.exists()


def test_files_from_before_versioning_are_migrated(tmp_path, caplog):
    path = tmp_path / "state.json"
    path.write_text(
        json.dumps(
            {
                "updates": {
                    "1": {
                        "id": "u4",
                        "posted_at": "2026-01-01T00:00:00+00:00",
                        "text": "old",
                        "topic": "local-laws",
                        "entry_ids": [],
                        "author_hash": "h",
                    }
                },
                "asked": {"1": {"entry_id": "ccops", "count": 2}},
            }
        )
    )
    with caplog.at_level(logging.WARNING):
        store = open_store(path)
    assert store.schema_version() == SCHEMA_VERSION
    assert "migrated state file" in caplog.text
    assert store.asked_counts() == {"ccops": 2}
    assert store.get_update("u4").text == "old"
    assert store.add_update(NewUpdate("new", "local-laws", (), "h")).id == "u5", (
        "numbering continues"
    )


def test_files_from_a_newer_version_are_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({"meta": {"1": {"key": "schema", "version": SCHEMA_VERSION + 1}}}))
    with pytest.raises(StateError, match=r"written by a newer Oversight .* upgrade the bot"):
        open_store(path)
    assert json.loads(path.read_text())["meta"]["1"]["version"] == SCHEMA_VERSION + 1, "untouched"


def test_a_newer_state_file_makes_commands_exit_2(tmp_path, capsys, monkeypatch):
    from bot.cli import main

    path = tmp_path / "state.json"
    path.write_text(json.dumps({"meta": {"1": {"key": "schema", "version": 99}}}))
    monkeypatch.setenv("OVERSIGHT_STATE_PATH", str(path))
    assert main(["ask", "ring"]) == 2
    assert "newer Oversight" in capsys.readouterr().err


def test_two_processes_share_one_file_without_losing_writes(tmp_path):
    path = tmp_path / "state.json"
    script = (
        "import sys\nfrom bot.state import open_store\n"
        "store = open_store(sys.argv[1])\n"
        "for _ in range(40):\n    store.count_asked('shared')\n"
    )
    writers = [subprocess.Popen([sys.executable, "-c", script, str(path)]) for _ in range(2)]
    for writer in writers:
        assert writer.wait(timeout=60) == 0
    assert open_store(path).asked_counts() == {"shared": 80}
