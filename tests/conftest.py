"""Shared fixtures: the bundled knowledge base and small knowledge folders written per test."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.answering import Answerer
from bot.knowledge.cache import load_indexed
from bot.service import OversightService

REPO = Path(__file__).resolve().parent.parent
BUNDLED_KNOWLEDGE = REPO / "knowledge"
TODAY = dt.date(2026, 11, 26)

TOPICS = """\
ring-and-police:
  title: Ring and police
  description: Amazon Ring's police partnerships.
  review_every_days: 90
local-laws:
  title: Local laws
  description: City bans and oversight ordinances.
  review_every_days: 365
"""

FACT = """\
- id: ring-partnerships
  kind: fact
  question: How many police departments does Ring partner with?
  also_asked:
    - Ring police partnerships
  answer: More than 1,800 US police departments, as of June 2021.
  topics: [ring-and-police]
  sources:
    - title: Over 20 civil rights groups demand Amazon divest surveillance technology
      publisher: FOX Business
      url: https://www.foxbusiness.com/politics/20-civil-rights-groups-amazon-surveillance-police
      published: 2021-06
  as_of: 2021-06
  last_verified: 2026-11-01
- id: sf-ban
  kind: fact
  question: When did San Francisco ban facial recognition?
  answer: Its Board of Supervisors voted 8-1 on 14 May 2019.
  topics: [local-laws]
  sources:
    - title: San Francisco bans facial recognition
      publisher: EFF
      published: 2019-05-14
  as_of: 2019-05-14
  last_verified: 2026-11-01
  related: [ring-partnerships]
"""

QUOTE = """\
id: greer-dragnet
kind: quote
question: What did Evan Greer say about Amazon's surveillance dragnet?
quote:
  text: "Amazon's surveillance dragnet of doorbell cameras violates privacy."
  speaker: Evan Greer
  role: Director, Fight for the Future
  said_on: 2021-06-10
  context: Statement on the campaign.
topics: [ring-and-police]
sources:
  - title: Press release
    publisher: Fight for the Future
    url: https://fightforthefuture.org/news/2021-06-10-more-than-20-civil-rights-groups-and-10000
    published: 2021-06-10
as_of: 2021-06-10
last_verified: 2026-11-01
"""

KnowledgeWriter = Callable[..., Path]


@pytest.fixture
def write_knowledge(tmp_path: Path) -> KnowledgeWriter:
    """Write a knowledge folder: `write_knowledge({"a.yaml": "..."}, topics=...)`."""

    def write(files: dict[str, str] | None = None, *, topics: str | None = TOPICS) -> Path:
        root = tmp_path / "knowledge"
        root.mkdir(exist_ok=True)
        if topics is not None:
            (root / "topics.yaml").write_text(topics, encoding="utf-8")
        for name, body in (files if files is not None else {"entries.yaml": FACT}).items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(body), encoding="utf-8")
        return root

    return write


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A copy of the bundled knowledge folder that a test may edit."""
    root = tmp_path / "knowledge"
    shutil.copytree(BUNDLED_KNOWLEDGE, root)
    return root


@pytest.fixture(scope="session")
def bundled_answerer() -> Answerer:
    """An answerer over the bundled knowledge base, with a fixed 'today'."""
    knowledge, index = load_indexed(BUNDLED_KNOWLEDGE, today=TODAY)
    return Answerer(knowledge, index, clock=lambda: TODAY)


@pytest.fixture
def bundled(bundled_answerer: Answerer) -> OversightService:
    """The service over the bundled knowledge base, with no state store."""
    return OversightService(bundled_answerer, None)


def pytest_terminal_summary(terminalreporter) -> None:
    """Print the answer-quality figures measured by tests/test_answer_quality.py."""
    from tests.test_answer_quality import REPORTS

    if REPORTS:
        terminalreporter.section("answer quality")
        for name, report in REPORTS.items():
            for line in report.lines(name):
                terminalreporter.write_line(line)
