"""OversightService: answers with updates, recording, reload safety, digest planning."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from bot.answering import Answerer
from bot.digest import plan_digest
from bot.knowledge.cache import load_indexed
from bot.service import OversightService
from bot.state import open_store
from bot.state.records import NewUpdate
from tests.conftest import TODAY

RING = "How many police departments does Ring partner with?"
NOW = dt.datetime(2026, 11, 26, 12, tzinfo=dt.UTC)


@pytest.fixture
def service(tmp_path, bundled_answerer):
    return OversightService(
        bundled_answerer, open_store(tmp_path / "state.json"), clock=lambda: NOW
    )


def test_answers_show_the_latest_two_live_updates_newer_than_last_verified(service):
    store = service.store
    at = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    store.add_update(
        NewUpdate("old news", "ring-and-police", (), "h"), at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    first = store.add_update(NewUpdate("first", "ring-and-police", (), "h"), at=at)
    second = store.add_update(
        NewUpdate("second", None, ("ring-police-partnerships-count",), "h"),
        at=at + dt.timedelta(hours=1),
    )
    third = store.add_update(
        NewUpdate("third", "ring-and-police", (), "h"), at=at + dt.timedelta(hours=2)
    )
    store.retract_update(third.id, "wrong city")
    store.add_update(NewUpdate("elsewhere", "local-laws", (), "h"), at=at)
    store.add_update(NewUpdate("other entry", None, ("what-is-ring",), "h"), at=at)
    service.refresh()
    answer = service.ask(RING)
    assert [update.id for update in answer.updates] == [second.id, first.id]


def test_record_counts_answers_and_logs_unanswered_only_when_enabled(service):
    service.record(service.ask(RING))
    service.record(service.ask("what's a good lasagna recipe"))
    assert service.store.asked_counts() == {"ring-police-partnerships-count": 1}
    assert service.store.unanswered() == []
    service.log_unanswered = True
    service.record(service.ask("what's a good lasagna recipe"))
    assert [q for _, q in service.store.unanswered()] == ["what's a good lasagna recipe"]


def test_unanswered_log_is_pruned_past_its_retention(service):
    service.log_unanswered = True
    service.store.log_unanswered("ancient", at=NOW - dt.timedelta(days=40))
    service.record(service.ask("what's a good lasagna recipe"))
    assert [q for _, q in service.store.unanswered()] == ["what's a good lasagna recipe"]


def test_reload_keeps_serving_the_old_knowledge_on_errors_and_swaps_on_success(knowledge_copy):
    root = knowledge_copy
    knowledge, index = load_indexed(root, today=TODAY)
    service = OversightService(Answerer(knowledge, index, clock=lambda: TODAY))
    (root / "bad.yaml").write_text("- id: bad\n")
    result = service.reload()
    assert not result.ok and result.entries == 71
    assert any("bad.yaml:1" in problem for problem in result.problems)
    assert service.knowledge is knowledge
    (root / "bad.yaml").unlink()
    assert service.reload().ok
    assert service.knowledge is not knowledge


def test_answers_never_stop_during_a_reload(knowledge_copy):
    """A reload builds in the background; every concurrent question still gets the old or the
    new knowledge base, never an error or an empty one."""
    root = knowledge_copy
    knowledge, index = load_indexed(root, today=TODAY)
    service = OversightService(Answerer(knowledge, index, clock=lambda: TODAY))
    reloads = threading.Thread(target=lambda: [service.reload() for _ in range(3)])
    reloads.start()
    answers = []
    while reloads.is_alive() or len(answers) < 20:
        answers.append(service.ask(RING))
    reloads.join()
    assert all(
        answer.entry is not None and answer.entry.id == "ring-police-partnerships-count"
        for answer in answers
    )


def test_digest_plan_ignores_growing_overdue_counts(bundled_answerer):
    service = OversightService(bundled_answerer)
    first = plan_digest(service.stale_entries(dt.date(2027, 6, 1)), None, NOW)
    assert first is not None and first.new_ids
    later = plan_digest(service.stale_entries(dt.date(2027, 6, 2)), first.record, NOW)
    assert later is None, "same entries, same reasons, only more days overdue"
    more = plan_digest(service.stale_entries(dt.date(2028, 6, 2)), first.record, NOW)
    assert (
        more is not None
        and set(more.new_ids)
        and not set(more.new_ids) & set(first.record.entry_ids)
    )
    assert plan_digest([], None, NOW) is None
    cleared = plan_digest([], first.record, NOW)
    assert cleared is not None and cleared.stale == []
