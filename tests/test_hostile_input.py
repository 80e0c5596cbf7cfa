"""Property-based tests: arbitrary and hostile input never crashes, pings or overflows."""

from __future__ import annotations

import io
import json
import sys
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.cli import main
from bot.discord.components import answer_message
from bot.discord.embeds import EMBED_TOTAL_MAX, FIELD_VALUE_MAX, FIELDS_MAX
from bot.knowledge.loader import validate_knowledge
from bot.knowledge.yaml_source import MAX_FILE_BYTES
from bot.rendering import DECLINE, NO_QUESTION, render_text
from tests.conftest import TODAY, TOPICS

NASTY = st.sampled_from(
    [
        "@everyone",
        "@here",
        "<@123456789012345678>",
        "<@&123456789012345678>",
        "<#123456789012345678>",
        "```py\nprint('hi')\n```",
        "**bold** __under__ ~~strike~~ ||spoiler|| `code`",
        "\u200b\u200c\u200d\ufeff",
        "\x00\x01\x07\x1b[31m",
        "?!?!...,,,;;;",
        "ring" * 500,
        "\u202eoverride",
        "\U0001f600" * 50,
        "\n\n\n",
    ]
)
QUESTIONS = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["P", "S", "Zs"]), max_size=200),
    st.text(alphabet=st.characters(categories=["Cc", "Cf"]), max_size=100),
    st.lists(NASTY, min_size=1, max_size=5).map(" ".join),
    st.tuples(st.text(max_size=50), NASTY, st.text(max_size=50)).map("".join),
    st.text(min_size=5000, max_size=20000),
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
PINGS = ("@everyone", "@here", "<@1", "<@&1", "<#1")


def _no_pings(text: str) -> None:
    for ping in PINGS:
        assert ping not in text


@FAST
@given(question=QUESTIONS)
def test_answering_and_rendering_survive_anything(bundled_answerer, question):
    answer = bundled_answerer.ask(question)
    assert 0.0 <= answer.score <= 1.0 + 1e-9
    assert len(answer.alternatives) <= 3
    text = render_text(answer)
    assert text
    if not answer.answered:
        # A decline is built only from fixed text and the knowledge base's own questions.
        questions = {e.question for e in bundled_answerer.knowledge.entries.values()}
        lines = text.splitlines()
        assert lines[0] in (DECLINE, NO_QUESTION)
        assert all(line == "Did you mean:" or line[2:] in questions for line in lines[1:])
    message = answer_message(answer)
    embed = message["embed"]
    assert len(embed) <= EMBED_TOTAL_MAX
    assert len(embed.fields) <= FIELDS_MAX
    assert all(len(field.value) <= FIELD_VALUE_MAX for field in embed.fields)
    _no_pings(json.dumps(embed.to_dict()))
    if "view" in message:
        for item in message["view"].children:
            assert len(item.custom_id) <= 100


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(questions=st.lists(QUESTIONS.filter(lambda q: "\n" not in q and "\r" not in q), max_size=5))
def test_ask_json_stdin_writes_one_valid_object_per_question(questions, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(q + "\n" for q in questions)))
    assert main(["ask", "--json", "-"]) == 0
    lines = capsys.readouterr().out.splitlines()
    expected = [q for q in questions if q.strip()]
    assert len(lines) == len(expected)
    for line in lines:
        answer = json.loads(line)
        assert set(answer) >= {"question", "answered", "text", "entry", "score", "alternatives"}


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=30),
    st.dates().map(str),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "kind",
                    "question",
                    "answer",
                    "topics",
                    "sources",
                    "as_of",
                    "last_verified",
                    "quote",
                    "text",
                    "title",
                    "publisher",
                    "url",
                    "related",
                    "x",
                ]
            ),
            children,
            max_size=6,
        ),
    ),
    max_leaves=20,
)


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(document=DOCUMENTS)
def test_loader_reports_problems_for_any_yaml_structure(write_knowledge, document):
    root = write_knowledge({"fuzz.yaml": yaml.safe_dump(document)}, topics=TOPICS)
    knowledge, problems = validate_knowledge(root, today=TODAY)
    assert knowledge is not None or problems


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=500))
def test_loader_survives_arbitrary_text(write_knowledge, text):
    root = write_knowledge({"fuzz.yaml": text}, topics=TOPICS)
    knowledge, problems = validate_knowledge(root, today=TODAY)
    assert knowledge is not None or problems


HOSTILE_FILES = {
    "billion laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n"
        for i in range(8)
    ),
    "deep flow nesting": "[" * 50_000 + "]" * 50_000,
    "deep block nesting": "".join(" " * i + f"k{i}:\n" for i in range(2000)) + " " * 2000 + "v\n",
    "wrong types": "- id: 5\n  kind: [fact]\n  question: {a: b}\n  topics: nope\n  sources: 7\n",
    "python tags": "- !!python/object/apply:os.system ['echo pwned']\n",
    "binary": "\udcff",
    "tabs": "- id: x\n\tkind: fact\n",
    "many documents": "--- 1\n--- 2\n",
    "huge key": "- " + "k" * 100_000 + ": v\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_FILES))
def test_loader_turns_hostile_files_into_problems_quickly(write_knowledge, name):
    body = HOSTILE_FILES[name]
    root = write_knowledge({}, topics=TOPICS)
    (root / "hostile.yaml").write_bytes(body.encode("utf-8", "surrogateescape"))
    start = time.perf_counter()
    knowledge, problems = validate_knowledge(root, today=TODAY)
    assert knowledge is None and problems
    assert all(p.path.endswith("hostile.yaml") for p in problems)
    assert time.perf_counter() - start < 10, "bounded: no exponential blow-up or hang"


def test_files_past_the_size_limit_are_not_parsed(write_knowledge):
    root = write_knowledge({}, topics=TOPICS)
    with (root / "huge.yaml").open("w") as handle:
        handle.write("# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    _, problems = validate_knowledge(root, today=TODAY)
    assert "split it into several files" in problems[0].message
