"""knowledge/schema.json is generated from the model and agrees with the validator."""

from __future__ import annotations

import json

import jsonschema
import yaml

from bot.cli import main
from bot.knowledge.loader import knowledge_files
from bot.knowledge.schema import entry_file_schema
from tests.conftest import BUNDLED_KNOWLEDGE, FACT, QUOTE


def test_committed_schema_is_up_to_date():
    committed = json.loads((BUNDLED_KNOWLEDGE / "schema.json").read_text(encoding="utf-8"))
    assert committed == entry_file_schema(), "run `oversight kb schema` and commit the result"


def test_schema_check_command(capsys):
    assert main(["kb", "schema", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


def _as_editor_sees(text: str):
    """YAML language servers read dates as strings (YAML 1.2), so the schema must accept that."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def test_every_bundled_file_satisfies_the_schema():
    validator = jsonschema.Draft202012Validator(entry_file_schema())
    for path in knowledge_files(BUNDLED_KNOWLEDGE):
        errors = list(validator.iter_errors(_as_editor_sees(path.read_text(encoding="utf-8"))))
        assert not errors, f"{path}: {errors[0].message}"


def test_schema_rejects_what_the_validator_rejects():
    validator = jsonschema.Draft202012Validator(entry_file_schema())
    assert validator.is_valid(_as_editor_sees(FACT))
    assert validator.is_valid(_as_editor_sees(QUOTE))
    assert not validator.is_valid(_as_editor_sees(FACT.replace("kind: fact", "kind: rumour")))
    assert not validator.is_valid(
        _as_editor_sees(FACT.replace("  topics:", "  colour: red\n  topics:"))
    )
    assert not validator.is_valid(_as_editor_sees(FACT.replace("as_of: 2021-06", "as_of: June")))
    assert not validator.is_valid(_as_editor_sees(FACT.replace("url: https", "url: ftp")))
