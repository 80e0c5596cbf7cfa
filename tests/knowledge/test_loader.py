"""Validation reports every problem, each with file, line and a fix; a clean folder loads."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.knowledge import yaml_source
from bot.knowledge.loader import KnowledgeError, load_knowledge, validate_knowledge
from tests.conftest import FACT, QUOTE, TODAY


def problems_in(root: Path) -> list[str]:
    knowledge, problems = validate_knowledge(root, today=TODAY)
    assert knowledge is None
    return [f"{Path(p.path).name}:{p.line or ''}: {p.message}" for p in problems]


def test_clean_folder_loads_entries_topics_and_locations(write_knowledge):
    root = write_knowledge({"facts.yaml": FACT, "quotes/greer.yaml": QUOTE})
    knowledge = load_knowledge(root, today=TODAY)
    assert list(knowledge.entries) == ["ring-partnerships", "sf-ban", "greer-dragnet"]
    assert set(knowledge.topics) == {"ring-and-police", "local-laws"}
    assert knowledge.locations["sf-ban"].line == 15
    assert knowledge.locations["greer-dragnet"].path.name == "greer.yaml"
    quote = knowledge.entries["greer-dragnet"].quote
    assert quote is not None and str(quote.said_on) == "2021-06-10"
    assert str(knowledge.entries["ring-partnerships"].as_of) == "2021-06"


def test_uses_the_c_parser_when_pyyaml_has_it():
    import yaml

    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("this PyYAML build has no libyaml")
    assert yaml_source._SafeLoader is yaml.CSafeLoader


def test_yaml_syntax_error_names_file_and_line(write_knowledge):
    root = write_knowledge({"broken.yaml": "- id: x\n  kind: fact\n   question: [oops\n"})
    found = problems_in(root)
    assert len(found) == 1
    assert found[0].startswith("broken.yaml:3: YAML syntax")


def test_every_problem_reported_in_one_run(write_knowledge):
    broken = FACT.replace(
        "  kind: fact\n  question: How many", "  kind: fact\n  colour: red\n  question: How many", 1
    )
    broken = broken.replace(
        "last_verified: 2026-11-01\n- id: sf-ban", "last_verifed: 2026-11-01\n- id: sf-ban"
    )
    root = write_knowledge({"a.yaml": broken, "b.yaml": FACT.split("- id: sf-ban")[0]})
    found = "\n".join(problems_in(root))
    assert "a.yaml:3: entry `ring-partnerships`: unknown field `colour`" in found
    assert "allowed here: id, kind, question" in found
    assert "missing required field `last_verified`" in found
    assert "unknown field `last_verifed`" in found
    assert "duplicate id `ring-partnerships`" in found
    assert "b.yaml:1:" in found


def test_wrong_types_bad_dates_and_bad_urls(write_knowledge):
    entry = """\
    - id: Bad_Id
      kind: rumour
      question: [not, text]
      answer: fine
      topics: [local-laws]
      sources:
        - title: T
          publisher: P
          url: ftp://example.org/file
          published: 2021-13
      as_of: 2021-02-30
      last_verified: June 2021
      review_every_days: soon
    """
    found = "\n".join(problems_in(write_knowledge({"bad.yaml": entry})))
    assert (
        "bad.yaml:1: entry `Bad_Id`: `id` must use only lowercase letters, digits and hyphens"
        in found
    )
    assert "bad.yaml:2: entry `Bad_Id`: `kind` must be one of 'fact' or 'quote'" in found
    assert "bad.yaml:3: entry `Bad_Id`: `question` must be text, not a list" in found
    assert (
        "bad.yaml:9: entry `Bad_Id`: `sources[1].url`: 'ftp://example.org/file' is not a web "
        "address" in found
    )
    assert "bad.yaml:10: entry `Bad_Id`: `sources[1].published`: '2021-13' has month 13" in found
    assert (
        "bad.yaml:11: entry `Bad_Id`: `as_of`: '2021-02-30' has day 30; that month has 28 days"
        in found
    )
    assert "bad.yaml:12: entry `Bad_Id`: `last_verified`: 'June 2021' is not a date" in found
    assert "bad.yaml:13: entry `Bad_Id`: `review_every_days` must be a whole number" in found


def test_references_topics_and_sources_are_checked(write_knowledge):
    entry = FACT.replace(
        "related: [ring-partnerships]", "related: [ring-partnership]\n  superseded_by: nowhere"
    )
    entry = entry.replace("topics: [local-laws]", "topics: [local-law]")
    no_sources = FACT.split("- id: sf-ban")[0].replace("ring-partnerships", "no-sources")
    no_sources = (
        no_sources.split("  sources:")[0]
        + "  sources: []\n  as_of: 2021-06\n  last_verified: 2026-11-01\n"
    )
    no_sources = no_sources.replace("Ring police partnerships", "Ring partners")
    no_sources = no_sources.replace("How many police departments", "How many departments")
    found = "\n".join(problems_in(write_knowledge({"refs.yaml": entry, "empty.yaml": no_sources})))
    assert "unknown topic `local-law` (did you mean `local-laws`?)" in found
    assert (
        "related points to `ring-partnership`, which does not exist "
        "(did you mean `ring-partnerships`?)" in found
    )
    assert "superseded_by points to `nowhere`, which does not exist" in found
    assert "`sources` needs at least 1 item" in found


def test_an_entry_cannot_point_at_itself(write_knowledge):
    entry = FACT.replace("related: [ring-partnerships]", "related: [ring-partnerships, sf-ban]")
    found = "\n".join(problems_in(write_knowledge({"self.yaml": entry})))
    assert "self.yaml:26: entry `sf-ban`: related names itself" in found


def test_dates_must_be_plausible(write_knowledge):
    future = FACT.replace("last_verified: 2026-11-01\n- id", "last_verified: 2027-01-01\n- id")
    early = future.replace(
        "as_of: 2019-05-14\n  last_verified: 2026-11-01",
        "as_of: 2019-05-14\n  last_verified: 2019-05-01",
    )
    found = "\n".join(problems_in(write_knowledge({"dates.yaml": early})))
    assert "last_verified 2027-01-01 is in the future (today is 2026-11-26)" in found
    assert "last_verified 2019-05-01 is before as_of 2019-05-14" in found


def test_answer_length_and_kind_bodies(write_knowledge):
    long_answer = FACT.replace(
        "answer: More than 1,800", "answer: " + "x" * 1501 + " More than 1,800"
    )
    no_quote = QUOTE.replace("kind: quote", "kind: quote\nanswer: context only").split("quote:\n")[
        0
    ]
    no_quote += (
        "topics: [ring-and-police]\nsources: [{title: T, publisher: P}]\n"
        "as_of: 2021-06\nlast_verified: 2026-11-01\n"
    )
    found = "\n".join(problems_in(write_knowledge({"a.yaml": long_answer, "q.yaml": no_quote})))
    assert "`answer` is 1,5" in found and "the limit is 1,500" in found
    assert "a quote entry needs a `quote`" in found


def test_duplicate_keys_and_aliases_are_refused(write_knowledge):
    doubled = FACT.replace(
        "  kind: fact\n  question: How many", "  kind: fact\n  kind: fact\n  question: How many", 1
    )
    aliased = "base: &b {title: T, publisher: P}\n"
    found = "\n".join(
        problems_in(write_knowledge({"dup.yaml": doubled, "alias.yaml": aliased + "other: *b\n"}))
    )
    assert "dup.yaml:3: duplicate key `kind` (first at line 2)" in found
    assert "anchors and aliases" in found


def test_a_phrasing_must_lead_to_one_entry(write_knowledge):
    clash = FACT.replace(
        "question: When did San Francisco ban facial recognition?",
        "question: Ring police partnerships",
    )
    found = "\n".join(problems_in(write_knowledge({"clash.yaml": clash})))
    assert (
        "the phrasing 'Ring police partnerships' is also used by entry `ring-partnerships`" in found
    )


def test_missing_topics_file_and_non_entry_documents(write_knowledge):
    root = write_knowledge({"a.yaml": "just a string\n", "b.yaml": "- 3\n- [x]\n"}, topics=None)
    found = "\n".join(problems_in(root))
    assert "topics.yaml:: missing: create it" in found
    assert "a.yaml:1: a knowledge file holds one entry (a mapping) or a list of them" in found
    assert "b.yaml:1: each entry must be a mapping of fields" in found


def test_load_raises_with_every_problem(write_knowledge):
    root = write_knowledge({"a.yaml": "- id: only-an-id\n"})
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(root, today=dt.date(2026, 1, 1))
    assert "a.yaml:1" in raised.value.report()
    assert len(raised.value.problems) >= 5  # kind, question, topics, sources, as_of, ...


def test_not_a_folder():
    knowledge, problems = validate_knowledge("/nonexistent/knowledge")
    assert knowledge is None
    assert "not a folder" in problems[0].message
