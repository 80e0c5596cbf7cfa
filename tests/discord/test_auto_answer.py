"""Auto-answer channels: confident answers only, and the message-content intent only then."""

from __future__ import annotations

import pytest

from bot.discord.client import intents_for
from tests.discord.conftest import embed_text


@pytest.fixture
def simcord_bot(make_bot):
    # The real channel id is known only once the world exists; any id turns the intent on.
    return make_bot(auto_answer_channel_ids=(1,))


@pytest.fixture
def auto_channel(world, simcord_env):
    guild, _, alice = world
    channel = guild.create_text_channel("ask-here")
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(update={"auto_answer_channel_ids": (channel.id,)})
    return channel, alice


async def test_confident_question_is_answered(auto_channel):
    channel, alice = auto_channel
    await alice.send(channel, "When did San Francisco ban facial recognition?")
    reply = channel.last_message
    assert reply.author.bot
    assert "8-1" in embed_text(reply.embeds[0])


@pytest.mark.parametrize(
    "message",
    [
        "ring",  # too vague: would only get suggestions
        "How do I install a Ring doorbell?",  # out of scope
        "lol same",  # not a question
        "anyone around tonight?",  # a question, but not for the bot
    ],
)
async def test_no_noise_when_not_confident(auto_channel, message):
    channel, alice = auto_channel
    sent = await alice.send(channel, message)
    assert channel.last_message.id == sent.id


def test_message_content_intent_only_with_auto_answer_channels(settings):
    assert not intents_for(settings).message_content
    assert intents_for(
        settings.model_copy(update={"auto_answer_channel_ids": (5,)})
    ).message_content
