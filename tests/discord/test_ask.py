"""/ask, mentions and auto-answer channels, through simcord's in-memory Discord."""

from __future__ import annotations

from tests.discord.conftest import embed_text

RING = "How many police departments does Ring partner with?"


async def test_ask_answers_with_embed_sources_and_as_of(world):
    _, channel, alice = world
    result = await alice.slash(channel, "ask", question=RING)
    assert result.acknowledged and not result.ephemeral
    embed = result.response.embeds[0]
    text = embed_text(embed)
    assert embed.title == RING
    assert "1,800" in text
    assert "FOX Business" in text and "June 2021" in text
    assert (
        "https://www.foxbusiness.com/politics/20-civil-rights-groups-amazon-surveillance-police"
        in text
    )
    assert "As of" in text
    assert embed.footer.text.startswith("entry: ring-police-partnerships-count")
    labels = [c["label"] for row in result.response.components for c in row["components"]]
    assert labels == ["Helpful", "Not helpful", "Outdated or wrong"]


def _options(message) -> list[dict]:
    return [
        option
        for row in message.components
        for component in row["components"]
        if component["type"] == 3
        for option in component["options"]
    ]


async def test_decline_says_so_and_offers_suggestions_that_answer_when_picked(world):
    _, channel, alice = world
    result = await alice.slash(channel, "ask", question="ring")
    embed = result.response.embeds[0]
    assert embed.title == "I don't know that one yet"
    options = _options(result.response)
    assert 1 <= len(options) <= 3
    picked = await alice.select(result.response.message, [options[0]["value"]])
    answer = picked.response.embeds[0]
    assert answer.title == options[0]["label"]
    assert answer.footer.text.startswith(f"entry: {options[0]['value']}")


async def test_decline_without_suggestions_has_no_menu(world):
    _, channel, alice = world
    result = await alice.slash(channel, "ask", question="what's a good lasagna recipe")
    assert result.response.embeds[0].title == "I don't know that one yet"
    assert result.response.components == []


async def test_out_of_scope_near_miss_is_declined(world):
    _, channel, alice = world
    result = await alice.slash(channel, "ask", question="How do I install a Ring doorbell?")
    assert result.response.embeds[0].title == "I don't know that one yet"


async def test_mention_answers_as_a_reply_without_pinging(world, simcord_env):
    _, channel, alice = world
    bot_user = simcord_env.bot.user
    await alice.send(channel, f"<@{bot_user.id}> when did boston ban face surveillance?")
    reply = channel.last_message
    assert reply.author.id == bot_user.id
    assert reply.reference is not None
    assert "24 June 2020" in embed_text(reply.embeds[0])
    # the reply does not ping the asker
    requests = [
        r for r in simcord_env.http_requests if r.method == "POST" and "/messages" in r.path
    ]
    allowed = requests[-1].json.get("allowed_mentions")
    assert allowed is not None and allowed.get("parse") == [] and not allowed.get("replied_user")


async def test_mention_without_a_question_explains_how(world, simcord_env):
    _, channel, alice = world
    await alice.send(channel, f"<@{simcord_env.bot.user.id}>")
    assert "Ask me after the mention" in channel.last_message.content


async def test_plain_messages_are_ignored_outside_auto_answer_channels(world):
    _, channel, alice = world
    sent = await alice.send(channel, "when did boston ban face surveillance?")
    assert channel.last_message.id == sent.id
