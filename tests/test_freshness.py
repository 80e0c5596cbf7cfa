"""Each freshness rule from DESIGN.md, in words, through the service's stale report."""

from __future__ import annotations

import datetime as dt

from bot.answering import Answerer
from bot.freshness import Signals, UpdateMark, assess
from bot.knowledge.cache import load_indexed
from bot.service import OversightService
from bot.state import open_store
from bot.state.records import NewUpdate
from tests.conftest import FACT, QUOTE, TOPICS


def service_for(root, today, store=None):
    knowledge, index = load_indexed(root, today=today)
    return OversightService(
        Answerer(knowledge, index, clock=lambda: today),
        store,
        clock=lambda: dt.datetime.combine(today, dt.time(12), dt.UTC),
    )


def test_review_interval_from_the_topic(write_knowledge):
    root = write_knowledge({"a.yaml": FACT})  # ring-and-police: 90 days; last_verified 2026-11-01
    knowledge, _ = load_indexed(root, today=dt.date(2026, 11, 26))
    entry = knowledge.entries["ring-partnerships"]
    assert not assess(entry, knowledge, dt.date(2027, 1, 30)).stale  # day 90: still fresh
    freshness = assess(entry, knowledge, dt.date(2027, 2, 1))
    assert freshness.reason_texts == [
        "last verified 2026-11-01, review every 90 days: 2 days overdue"
    ]
    assert freshness.due_on == dt.date(2027, 1, 30)


def test_entry_interval_beats_topic_and_kind_default_applies_without_topic_interval(
    write_knowledge,
):
    fact = FACT.replace(
        "last_verified: 2026-11-01\n- id",
        "last_verified: 2026-11-01\n  review_every_days: 10\n- id",
    )
    topics = TOPICS + "bare:\n  title: Bare\n  description: no interval of its own\n"
    quote = QUOTE.replace("topics: [ring-and-police]", "topics: [bare]")
    fact_in_bare = fact.replace("topics: [local-laws]", "topics: [bare]")
    root = write_knowledge({"a.yaml": fact_in_bare, "q.yaml": quote}, topics=topics)
    knowledge, _ = load_indexed(root, today=dt.date(2026, 11, 26))
    assert knowledge.review_every_days(knowledge.entries["ring-partnerships"]) == 10, "entry's own"
    assert knowledge.review_every_days(knowledge.entries["sf-ban"]) == 180, "fact default"
    assert knowledge.review_every_days(knowledge.entries["greer-dragnet"]) == 730, "quote default"
    reasons = assess(
        knowledge.entries["ring-partnerships"], knowledge, dt.date(2026, 12, 1)
    ).reason_texts
    assert reasons == ["last verified 2026-11-01, review every 10 days: 20 days overdue"]


def test_years_ahead_every_entry_is_stale_with_a_reason(bundled_answerer):
    service = OversightService(bundled_answerer)
    stale = service.stale_entries(dt.date(2035, 1, 1))
    assert len(stale) == len(service.knowledge.entries)
    assert all(item.freshness.reason_texts for item in stale)
    assert service.stale_entries(dt.date(2026, 11, 26)) == [], "all verified today"


def test_updates_after_last_verified_make_entries_stale_until_reverified(write_knowledge):
    root = write_knowledge({"a.yaml": FACT})
    knowledge, _ = load_indexed(root, today=dt.date(2026, 11, 26))
    ring, sf = knowledge.entries["ring-partnerships"], knowledge.entries["sf-ban"]
    today = dt.date(2026, 11, 20)
    by_topic = Signals(updates=[UpdateMark("u1", dt.date(2026, 11, 10), topic="local-laws")])
    assert assess(sf, knowledge, today, by_topic).reason_texts == [
        "moderator update u1 on 2026-11-10"
    ]
    assert not assess(ring, knowledge, today, by_topic).stale, "other topic"
    by_entry = Signals(
        updates=[UpdateMark("u2", dt.date(2026, 11, 10), "ring-and-police", ("sf-ban",))]
    )
    assert assess(sf, knowledge, today, by_entry).stale
    assert not assess(ring, knowledge, today, by_entry).stale, "named entries only, not the topic"
    older = Signals(updates=[UpdateMark("u3", dt.date(2026, 10, 1), topic="local-laws")])
    assert not assess(sf, knowledge, today, older).stale, "verified after the update"


def test_outdated_reports_at_or_over_the_threshold(write_knowledge):
    root = write_knowledge({"a.yaml": FACT})
    knowledge, _ = load_indexed(root, today=dt.date(2026, 11, 26))
    sf = knowledge.entries["sf-ban"]
    today = dt.date(2026, 11, 20)
    two = Signals(
        outdated_reports={"sf-ban": [dt.date(2026, 11, 5), dt.date(2026, 11, 6)]},
        report_threshold=3,
    )
    assert not assess(sf, knowledge, today, two).stale
    three = Signals(
        outdated_reports={
            "sf-ban": [dt.date(2026, 10, 1), *[dt.date(2026, 11, d) for d in (5, 6, 7)]]
        },
        report_threshold=3,
    )
    assert assess(sf, knowledge, today, three).reason_texts == [
        "3 users reported it outdated since it was last verified"
    ], "the October report predates last_verified and does not count"


def test_superseded_entries_are_stale(write_knowledge):
    fact = FACT.replace("related: [ring-partnerships]", "superseded_by: ring-partnerships")
    root = write_knowledge({"a.yaml": fact})
    knowledge, _ = load_indexed(root, today=dt.date(2026, 11, 26))
    reasons = assess(knowledge.entries["sf-ban"], knowledge, dt.date(2026, 11, 26)).reason_texts
    assert reasons == [
        "superseded by `ring-partnerships` (How many police departments does Ring partner with?)"
    ]


def test_every_reason_is_listed_together(write_knowledge, tmp_path):
    fact = FACT.replace("related: [ring-partnerships]", "superseded_by: ring-partnerships")
    root = write_knowledge({"a.yaml": fact})
    store = open_store(tmp_path / "state.json")
    store.add_update(
        NewUpdate("news", "local-laws", (), "h"), at=dt.datetime(2027, 12, 1, tzinfo=dt.UTC)
    )
    for user in "abc":
        store.record_feedback(
            "sf-ban", "outdated", user, at=dt.datetime(2027, 12, 2, tzinfo=dt.UTC)
        )
    service = service_for(root, dt.date(2028, 1, 1), store)
    [item] = [s for s in service.stale_entries() if s.entry.id == "sf-ban"]
    assert [reason.code for reason in item.freshness.reasons] == [
        "review_due",
        "update",
        "reports",
        "superseded",
    ]


def test_stale_report_orders_most_asked_then_most_overdue(write_knowledge, tmp_path):
    root = write_knowledge({"a.yaml": FACT})
    store = open_store(tmp_path / "state.json")
    service = service_for(root, dt.date(2030, 1, 1), store)
    assert [s.entry.id for s in service.stale_entries()] == ["ring-partnerships", "sf-ban"], (
        "most overdue"
    )
    store.count_asked("sf-ban", 2)
    service.refresh()
    assert [s.entry.id for s in service.stale_entries()] == ["sf-ban", "ring-partnerships"], (
        "most asked"
    )
    assert service.stale_entries(topic="ring-and-police")[0].entry.id == "ring-partnerships"
