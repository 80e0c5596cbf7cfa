"""Limits, cooldowns, errors and mentions: the bot behaves in a busy server."""

from __future__ import annotations

import datetime as dt
import logging

import discord
import pytest

from bot.answering import Answerer
from bot.discord.embeds import (
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    answer_embed,
)
from bot.knowledge.cache import load_indexed
from bot.service import OversightService
from tests.conftest import TOPICS
from tests.discord.conftest import embed_text, reply_text

RING = "How many police departments does Ring partner with?"


async def test_ask_cooldown_is_friendly_private_and_resets(world, simcord_env):
    _, channel, alice = world
    for _ in range(5):
        assert not (await alice.slash(channel, "ask", question=RING)).ephemeral
    refused = await alice.slash(channel, "ask", question=RING)
    assert refused.ephemeral
    assert "try again in" in reply_text(refused)
    await simcord_env.advance_time(31)
    assert not (await alice.slash(channel, "ask", question=RING)).ephemeral


async def test_cooldown_is_per_user(world, simcord_env):
    guild, channel, alice = world
    bob = guild.add_member(simcord_env.create_user("bob"))
    for _ in range(6):
        await alice.slash(channel, "ask", question=RING)
    assert not (await bob.slash(channel, "ask", question=RING)).ephemeral


async def test_mentions_share_the_cooldown(world, simcord_env):
    _, channel, alice = world
    for _ in range(5):
        await alice.slash(channel, "ask", question=RING)
    await alice.send(channel, f"<@{simcord_env.bot.user.id}> {RING}")
    assert "try again in" in channel.last_message.content


def test_client_never_pings_by_default(simcord_bot):
    mentions = simcord_bot.allowed_mentions
    assert mentions is not None
    assert not mentions.everyone and not mentions.users and not mentions.roles
    assert not mentions.replied_user


async def test_commands_are_synced_on_start(world, simcord_env):
    _, channel, alice = world
    assert {"ask", "entry", "quote", "topic"} <= set(alice.available_commands(channel))


async def test_unexpected_error_gets_a_short_private_reply_and_a_logged_traceback(
    world, simcord_env, caplog, monkeypatch
):
    _, channel, alice = world

    def broken(question: str):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(simcord_env.bot.service, "ask", broken)
    with caplog.at_level(logging.ERROR, logger="bot.discord.errors"):
        result = await alice.slash(channel, "ask", question=RING)
    assert result.ephemeral
    assert "Something went wrong on our side" in reply_text(result)
    assert "index exploded" not in reply_text(result)
    assert any("index exploded" in str(r.exc_info[1]) for r in caplog.records if r.exc_info)
    assert any(
        isinstance(e.__cause__ or e, RuntimeError) or "index exploded" in str(e)
        for e in simcord_env.errors
    )


HUGE_ENTRY = """\
- id: huge
  kind: fact
  question: "{question}"
  answer: "{answer}"
  topics: [local-laws]
  sources:
{sources}
  as_of: 2021-06
  last_verified: 2021-07-01
"""


@pytest.fixture
def huge_service(write_knowledge) -> OversightService:
    sources = "\n".join(
        f'    - title: "{"A very long source title that goes on and on " * 6}number {n}"\n'
        f"      publisher: Publisher {n}\n"
        f"      url: https://example.org/{'long-path-segment/' * 20}{n}\n"
        f"      published: 2021-06"
        for n in range(60)
    )
    body = HUGE_ENTRY.format(question="Q " * 200, answer="word " * 290, sources=sources)
    root = write_knowledge({"huge.yaml": body}, topics=TOPICS)
    knowledge, index = load_indexed(root, today=dt.date(2026, 11, 26))
    return OversightService(Answerer(knowledge, index, clock=lambda: dt.date(2026, 11, 26)))


def test_long_answers_fit_discords_limits_without_cutting_a_source(huge_service):
    answer = huge_service.show(huge_service.knowledge.entries["huge"])
    embed = answer_embed(answer)
    assert len(embed) <= EMBED_TOTAL_MAX
    assert len(embed.title) <= 256 and len(embed.description) <= DESCRIPTION_MAX
    assert len(embed.fields) <= FIELDS_MAX
    assert all(len(field.value) <= FIELD_VALUE_MAX for field in embed.fields)
    source_lines = [
        line
        for field in embed.fields
        if field.name.startswith("Sources")
        for line in field.value.splitlines()
    ]
    assert source_lines, "some sources are shown"
    for line in source_lines:
        assert line.startswith("- [") and line.endswith("June 2021"), "each shown source is whole"
        assert "https://example.org/" in line and "long-path-segment/" * 20 in line
    assert any(field.name == "More sources" for field in embed.fields)
    assert "stale" not in embed.title
    assert any("out of date" in field.name for field in embed.fields), "the entry is stale"


async def test_stale_entries_show_a_visible_warning(world, simcord_env, bundled_answerer):
    _, channel, alice = world
    later = dt.date(2030, 1, 1)
    answerer = Answerer(bundled_answerer.knowledge, bundled_answerer.index, clock=lambda: later)
    simcord_env.bot.service = OversightService(answerer)
    result = await alice.slash(channel, "ask", question=RING)
    embed = result.response.embeds[0]
    assert embed.colour == discord.Colour.orange()
    warning = next(field for field in embed.fields if "out of date" in field.name)
    assert "review every 60 days" in warning.value and "overdue" in warning.value
    assert "1,800" in embed_text(embed)
