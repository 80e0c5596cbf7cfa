"""The `oversight` command, through its entry point and as an installed program."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from bot.cli import main
from tests.conftest import FACT, QUOTE

RING_QUESTION = "How many police departments does Ring partner with?"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ask_answers_with_the_figure_its_source_and_date(capsys):
    code, out, _ = run(capsys, "ask", RING_QUESTION)
    assert code == 0
    assert "1,800" in out
    assert "FOX Business" in out
    assert (
        "https://www.foxbusiness.com/politics/20-civil-rights-groups-amazon-surveillance-police"
        in out
    )
    assert "As of June 2021" in out


def test_ask_declines_a_question_the_knowledge_base_does_not_hold(capsys):
    code, out, _ = run(capsys, "ask", "How do I install a Ring doorbell?")
    assert code == 0
    assert out.startswith("I don't know that one yet.")
    assert "1,800" not in out


def test_ask_joins_words_into_one_question(capsys):
    code, out, _ = run(
        capsys, "ask", "how", "many", "police", "departments", "partner", "with", "ring"
    )
    assert code == 0 and "1,800" in out


def test_ask_json_has_the_contract_fields(capsys):
    code, out, _ = run(capsys, "ask", "--json", RING_QUESTION)
    assert code == 0
    answer = json.loads(out)
    assert set(answer) >= {"question", "answered", "text", "entry", "score", "alternatives"}
    assert answer["answered"] is True
    assert answer["question"] == RING_QUESTION
    entry = answer["entry"]
    assert set(entry) >= {
        "id",
        "kind",
        "sources",
        "as_of",
        "last_verified",
        "stale",
        "stale_reasons",
    }
    assert entry["id"] == "ring-police-partnerships-count"
    assert entry["sources"][0]["publisher"] == "FOX Business"
    assert isinstance(entry["stale"], bool) and isinstance(entry["stale_reasons"], list)
    assert "1,800" in answer["text"]
    for alternative in answer["alternatives"]:
        assert set(alternative) == {"id", "question", "score"}


def test_ask_json_text_includes_the_quote_and_its_speaker(capsys):
    code, out, _ = run(
        capsys, "ask", "--json", "what did amazon say about ring transparency and accountability"
    )
    assert code == 0
    answer = json.loads(out)
    assert answer["answered"] and answer["entry"]["kind"] == "quote"
    assert "Ring believes transparency and accountability are crucial" in answer["text"]
    assert "Amazon spokesperson" in answer["text"]


def test_ask_json_stdin_reads_one_question_a_line(capsys, monkeypatch):
    questions = f"{RING_QUESTION}\n\nWhat is Amazon's stock price?\nring\n"
    monkeypatch.setattr(sys, "stdin", io.StringIO(questions))
    code, out, _ = run(capsys, "ask", "--json", "-")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["question"] for line in lines] == [
        RING_QUESTION,
        "What is Amazon's stock price?",
        "ring",
    ]
    assert [line["answered"] for line in lines] == [True, False, False]
    assert lines[1]["entry"] is None
    assert lines[2]["alternatives"], "a bare 'ring' gets suggestions, not an answer"


def test_broken_knowledge_makes_ask_and_chat_exit_2_with_every_error(capsys, write_knowledge):
    root = write_knowledge({"a.yaml": FACT.replace("kind: fact", "kind: fact\n  colour: red", 1)})
    for command in (["ask", "anything"], ["chat"]):
        code, _, err = run(capsys, "--knowledge", str(root), *command)
        assert code == 2
        assert "a.yaml:3: entry `ring-partnerships`: unknown field `colour`" in err
        assert "Traceback" not in err


def test_kb_validate_lists_each_error_with_file_and_line(capsys, write_knowledge):
    bad_yaml = "- id: x\n  kind: [unclosed\n"
    duplicate = FACT.split("- id: sf-ban")[0]
    unknown_field = QUOTE.replace("kind: quote", "kind: quote\nmood: cheerful")
    root = write_knowledge(
        {"a.yaml": FACT, "b.yaml": bad_yaml, "c.yaml": duplicate, "d.yaml": unknown_field}
    )
    code, out, _ = run(capsys, "kb", "validate", str(root))
    assert code == 1
    assert "b.yaml:3: YAML syntax" in out
    assert "a.yaml:1: duplicate id `ring-partnerships`" in out
    assert "c.yaml:1: duplicate id `ring-partnerships`" in out
    assert "d.yaml:3: entry `greer-dragnet`: unknown field `mood`" in out
    assert "4 problems" in out


def test_kb_validate_passes_the_bundled_knowledge(capsys):
    code, out, _ = run(capsys, "kb", "validate")
    assert code == 0
    assert out.startswith("OK: ")


def test_knowledge_option_works_after_the_subcommand_too(capsys, write_knowledge):
    root = write_knowledge()
    code, out, _ = run(capsys, "ask", "--knowledge", str(root), "--json", RING_QUESTION)
    assert code == 0
    assert json.loads(out)["entry"]["id"] == "ring-partnerships"


def test_environment_selects_the_knowledge_folder(capsys, write_knowledge, monkeypatch):
    monkeypatch.setenv("OVERSIGHT_KNOWLEDGE_PATH", str(write_knowledge()))
    code, out, _ = run(capsys, "ask", "--json", RING_QUESTION)
    assert code == 0
    assert json.loads(out)["entry"]["id"] == "ring-partnerships"


def test_missing_knowledge_folder_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "--knowledge", str(tmp_path / "nowhere"), "ask", "hi")
    assert code == 2
    assert "not a folder" in err


def test_run_without_a_token_exits_2_with_one_line(capsys, monkeypatch):
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    code, _, err = run(capsys, "run")
    assert code == 2
    assert err.count("\n") == 1 and "DISCORD_TOKEN is not set" in err


def test_no_command_prints_help(capsys):
    code, out, _ = run(capsys)
    assert code == 2 and "chat" in out and "ask" in out


def test_installed_command_runs(tmp_path):
    """The console script installed beside this Python (the project's .venv) works from anywhere."""
    script = Path(sys.executable).parent / "oversight"
    assert script.exists(), "install the project first: make test does"
    result = subprocess.run(
        [str(script), "ask", "--json", RING_QUESTION],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert json.loads(result.stdout)["answered"] is True
