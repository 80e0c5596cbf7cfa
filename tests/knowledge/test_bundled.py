"""The bundled knowledge base: valid, covered by topics, quotes verbatim from their source."""

from __future__ import annotations

from bot.knowledge.loader import load_knowledge
from tests.conftest import BUNDLED_KNOWLEDGE, REPO, TODAY

SEED = REPO / "tests" / "data" / "sources" / "fox-business-2021-06-amazon-divest.md"
ALLOWED_URLS = {
    "https://www.foxbusiness.com/politics/20-civil-rights-groups-amazon-surveillance-police",
    "https://fightforthefuture.org/news/2021-06-10-more-than-20-civil-rights-groups-and-10000",
    "https://doi.org/10.6028/NIST.IR.8280",
    "https://perpetuallineup.org/",
}
"""The only addresses the research material gives; no other URL may appear (never invent one)."""


def test_quotes_sourced_to_the_seed_article_are_verbatim():
    article = SEED.read_text(encoding="utf-8")
    knowledge = load_knowledge(BUNDLED_KNOWLEDGE, today=TODAY)
    quotes = [e for e in knowledge.entries.values() if e.quote is not None]
    assert len(quotes) >= 7
    for entry in quotes:
        if any(source.publisher == "FOX Business" for source in entry.sources):
            assert entry.quote.text in article, f"{entry.id}: not verbatim in the article"
            assert entry.quote.speaker and entry.quote.said_on, entry.id


def test_every_url_is_one_the_research_gives():
    knowledge = load_knowledge(BUNDLED_KNOWLEDGE, today=TODAY)
    for entry in knowledge.entries.values():
        for source in entry.sources:
            for url in (source.url, source.archived_url):
                assert url is None or url in ALLOWED_URLS, f"{entry.id}: {url}"


def test_every_topic_has_entries_and_the_base_is_big_enough():
    knowledge = load_knowledge(BUNDLED_KNOWLEDGE, today=TODAY)
    assert len(knowledge.entries) >= 60
    for slug in knowledge.topics:
        assert knowledge.entries_in_topic(slug), f"topic {slug} has no entries"
