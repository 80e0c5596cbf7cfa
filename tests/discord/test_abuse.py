"""Hostile input, floods and privacy, through the real bot in simcord."""

from __future__ import annotations

import json

import discord
import pytest

from tests.discord.conftest import reply_text

HOSTILE = [
    "@everyone how many police departments does ring partner with",
    "<@&123456789012345678> <@123456789012345678> ring?",
    "```\n@here\n``` **what** is __bipa__",
    "\u200b\u200b\u200b",
    "?!?!?!",
    "\x00\x07 when did boston ban face surveillance",
    "a" * 300,
]


@pytest.mark.parametrize("question", HOSTILE)
async def test_hostile_questions_get_a_safe_reply(world, simcord_env, question):
    _, channel, alice = world
    result = await alice.slash(channel, "ask", question=question)
    message = result.response
    assert message.embeds
    payload = json.dumps([embed.to_dict() for embed in message.embeds]) + message.content
    for ping in ("@everyone", "@here", "<@&1", "<@1"):
        assert ping not in payload


async def test_hostile_mention_is_answered_without_pinging(world, simcord_env):
    _, channel, alice = world
    await alice.send(
        channel, f"<@{simcord_env.bot.user.id}> @everyone <@&1> ring partnerships count?"
    )
    reply = channel.last_message
    assert reply.author.bot
    request = [
        r for r in simcord_env.http_requests if r.method == "POST" and "/messages" in r.path
    ][-1]
    assert request.json["allowed_mentions"]["parse"] == []


@pytest.fixture
def simcord_bot(make_bot):
    return make_bot(channel_rate=3, channel_rate_seconds=60)


async def test_per_channel_limit_across_users(world, simcord_env):
    guild, channel, _ = world
    people = [guild.add_member(simcord_env.create_user(f"user{n}")) for n in range(4)]
    results = [await person.slash(channel, "ask", question="what is bipa") for person in people]
    assert [r.ephemeral for r in results] == [False, False, False, True]
    assert "try again in" in reply_text(results[-1])
    other = guild.create_text_channel("other")
    assert not (await people[-1].slash(other, "ask", question="what is bipa")).ephemeral


async def test_no_plain_user_id_anywhere_in_the_state_after_a_session(
    world, simcord_env, settings, service
):
    guild, channel, alice = world
    mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_messages=True))
    mona = guild.add_member(simcord_env.create_user("mona"), roles=[mods])
    updates = guild.create_text_channel("updates")
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(
        update={"moderator_role_ids": (mods.id,), "updates_channel_id": updates.id}
    )
    for person in (alice, mona):
        answer = await person.slash(
            channel, "ask", question="How many police departments does Ring partner with?"
        )
        await person.click(answer.response.message, label="Helpful")
        shown = await person.click(answer.response.message, label="Outdated or wrong")
        await person.submit_modal(shown, {"note": "a note"})
        await person.slash(channel, "ask", question="a question nobody can answer about lasagna")
    await mona.slash(channel, "update post", text="news", topic="local-laws")
    state = settings.state_path.read_text(encoding="utf-8")
    assert service.store.feedback_tally("ring-police-partnerships-count").helpful == 2
    for person in (alice, mona):
        assert str(person.id) not in state
        assert person.name not in state
    data = json.loads(state)
    assert not data.get("unanswered"), "unanswered questions are not logged unless enabled"
