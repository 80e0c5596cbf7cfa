"""Feedback buttons and the 'outdated' modal: stored hashed, one vote each, alive after restarts."""

from __future__ import annotations

from tests.discord.conftest import reply_text

RING = "How many police departments does Ring partner with?"
ENTRY = "ring-police-partnerships-count"


async def _answer(channel, member):
    result = await member.slash(channel, "ask", question=RING)
    return result.response.message


async def test_helpful_is_stored_once_per_user_with_a_private_thank_you(
    world, service, settings, simcord_env
):
    guild, channel, alice = world
    bob = guild.add_member(simcord_env.create_user("bob"))
    message = await _answer(channel, alice)

    first = await alice.click(message, label="Helpful")
    assert first.ephemeral
    assert "Thanks" in reply_text(first)
    again = await alice.click(message, label="Helpful")
    assert "already" in reply_text(again)
    await bob.click(message, label="Helpful")
    await alice.click(message, label="Not helpful")

    tally = service.store.feedback_tally(ENTRY)
    assert (tally.helpful, tally.not_helpful, tally.outdated) == (2, 1, 0)
    state = settings.state_path.read_text()
    for user in (alice, bob):
        assert str(user.id) not in state, "user ids are stored only as keyed hashes"


async def test_outdated_opens_a_modal_and_stores_the_note(world, service):
    _, channel, alice = world
    message = await _answer(channel, alice)
    shown = await alice.click(message, label="Outdated or wrong")
    assert shown.modal is not None
    submitted = await alice.submit_modal(
        shown, {"note": "Ring ended Request for Assistance in 2024"}
    )
    assert submitted.ephemeral
    assert "re-check" in reply_text(submitted)
    assert service.store.feedback_tally(ENTRY).outdated == 1
    assert service.store.feedback_notes(ENTRY)[0][1] == "Ring ended Request for Assistance in 2024"


async def test_outdated_note_is_optional(world, service):
    _, channel, alice = world
    message = await _answer(channel, alice)
    shown = await alice.click(message, label="Outdated or wrong")
    await alice.submit_modal(shown, {})
    assert service.store.feedback_tally(ENTRY).outdated == 1
    assert service.store.feedback_notes(ENTRY) == []


async def test_buttons_work_after_the_bot_restarts(world, service, make_bot, simcord_env):
    _, channel, alice = world
    message = await _answer(channel, alice)
    await simcord_env.restart_bot(make_bot())
    clicked = await alice.click(message, label="Helpful")
    assert "Thanks" in reply_text(clicked)
    assert service.store.feedback_tally(ENTRY).helpful == 1


async def test_hammering_buttons_is_rate_limited_and_cannot_inflate_counts(
    world, service, simcord_env
):
    _, channel, alice = world
    message = await _answer(channel, alice)
    replies = []
    for _ in range(15):
        result = await alice.click(message, label="Helpful")
        replies.append(reply_text(result))
    assert service.store.feedback_tally(ENTRY).helpful == 1
    assert any("a lot of clicks" in reply for reply in replies)
    await simcord_env.advance_time(61)
    result = await alice.click(message, label="Not helpful")
    assert "Thanks" in reply_text(result)
