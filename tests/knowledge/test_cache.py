"""The knowledge cache: used when current, rebuilt when files or code change, never fatal."""

from __future__ import annotations

import logging

import pytest

from bot.knowledge import cache
from tests.conftest import FACT, QUOTE, TODAY


@pytest.fixture
def counted_builds(monkeypatch):
    builds = []
    original = cache._build

    def build(root, today):
        builds.append(root)
        return original(root, today)

    monkeypatch.setattr(cache, "_build", build)
    return builds


def test_second_load_comes_from_the_cache(write_knowledge, tmp_path, counted_builds):
    root = write_knowledge({"a.yaml": FACT})
    first, _ = cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    second, index = cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    assert len(counted_builds) == 1
    assert list(second.entries) == list(first.entries)
    assert index.exact_match("How many police departments does Ring partner with?") is not None


def test_an_edited_or_added_file_rebuilds(write_knowledge, tmp_path, counted_builds):
    root = write_knowledge({"a.yaml": FACT})
    cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    (root / "a.yaml").write_text(FACT.replace("More than 1,800", "More than 1,900"))
    knowledge, _ = cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    assert "1,900" in knowledge.entries["ring-partnerships"].answer
    (root / "q.yaml").write_text(QUOTE)
    knowledge, _ = cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    assert "greer-dragnet" in knowledge.entries
    assert len(counted_builds) == 3
    assert len(list((tmp_path / "cache").glob("knowledge-*.cache"))) == 1, "old caches are removed"


def test_a_code_change_rebuilds(write_knowledge, tmp_path, counted_builds, monkeypatch):
    root = write_knowledge({"a.yaml": FACT})
    cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    monkeypatch.setattr(cache, "_CODE", "a different version of the bot")
    cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    assert len(counted_builds) == 2


def test_a_damaged_cache_is_rebuilt_with_a_warning(
    write_knowledge, tmp_path, caplog, counted_builds
):
    root = write_knowledge({"a.yaml": FACT})
    cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    [pickled] = (tmp_path / "cache").glob("knowledge-*.cache")
    pickled.write_bytes(b"not a cache")
    with caplog.at_level(logging.WARNING):
        knowledge, _ = cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    assert "ring-partnerships" in knowledge.entries
    assert "ignoring unreadable knowledge cache" in caplog.text
    assert len(counted_builds) == 2


def test_an_unwritable_cache_folder_only_costs_speed(write_knowledge, tmp_path):
    root = write_knowledge({"a.yaml": FACT})
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the folder should be")
    knowledge, _ = cache.load_indexed(root, today=TODAY, cache_dir=blocker)
    assert "ring-partnerships" in knowledge.entries


def test_a_broken_knowledge_base_is_never_cached(write_knowledge, tmp_path):
    from bot.knowledge.loader import KnowledgeError

    root = write_knowledge({"a.yaml": "- id: broken\n"})
    with pytest.raises(KnowledgeError):
        cache.load_indexed(root, today=TODAY, cache_dir=tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*.cache"))


def test_a_cached_knowledge_base_answers_exactly_like_a_fresh_one(tmp_path):
    from bot.answering import Answerer
    from tests.conftest import BUNDLED_KNOWLEDGE

    fresh = Answerer(*cache.load_indexed(BUNDLED_KNOWLEDGE, today=TODAY), clock=lambda: TODAY)
    cache.load_indexed(BUNDLED_KNOWLEDGE, today=TODAY, cache_dir=tmp_path)
    knowledge, index = cache.load_indexed(BUNDLED_KNOWLEDGE, today=TODAY, cache_dir=tmp_path)
    cached = Answerer(knowledge, index, clock=lambda: TODAY)
    assert knowledge.entries == fresh.knowledge.entries
    assert knowledge.topics == fresh.knowledge.topics
    assert knowledge.locations == fresh.knowledge.locations
    for question in [
        "How many police departments does Ring partner with?",
        "ring",
        "what is bipa",
        "clearveiw dutch fine",
        "How do I install a Ring doorbell?",
        "did detroit ban face recognition",
        "what did evan greer say about doorbell cameras",
    ]:
        one, other = fresh.ask(question), cached.ask(question)
        assert (one.entry, one.score, one.alternatives, one.corrections) == (
            other.entry,
            other.score,
            other.alternatives,
            other.corrections,
        ), question
