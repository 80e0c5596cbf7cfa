"""/kb stale, /kb stats, /kb reload and the digest: maintainers only, checked twice."""

from __future__ import annotations

import datetime as dt

import discord
import pytest

from bot.answering import Answerer
from bot.discord.checks import MissingRole
from bot.knowledge.cache import load_indexed
from bot.service import OversightService
from bot.state import open_store
from bot.state.records import NewUpdate
from tests.discord.conftest import embed_text, reply_text

LATER = dt.date(2027, 6, 1)


@pytest.fixture
def service(knowledge_copy, settings):
    """A service over a copy of the knowledge base, judged on a day when some entries are stale."""
    knowledge, index = load_indexed(knowledge_copy, today=LATER)
    answerer = Answerer(knowledge, index, clock=lambda: LATER)
    return OversightService(
        answerer,
        open_store(settings.state_path),
        clock=lambda: dt.datetime(2027, 6, 1, 12, tzinfo=dt.UTC),
    )


@pytest.fixture
def team(world, simcord_env):
    guild, channel, alice = world
    maintainers = guild.create_role(
        "Maintainers", permissions=discord.Permissions(manage_guild=True)
    )
    admins = guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    maya = guild.add_member(simcord_env.create_user("maya"), roles=[maintainers])
    adam = guild.add_member(simcord_env.create_user("adam"), roles=[admins])
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(update={"maintainer_role_ids": (maintainers.id,)})
    return channel, maya, adam, alice


async def test_kb_stale_is_private_paged_and_most_asked_first(team, service):
    channel, maya, _, _ = team
    service.store.count_asked("ring-flock-integration-cancelled", 3)
    service.refresh()
    result = await maya.slash(channel, "kb stale")
    assert result.ephemeral
    embed = result.response.embeds[0]
    stale = service.stale_entries()
    assert embed.title == f"{len(stale)} of 71 entries need re-checking"
    assert stale[0].entry.id == "ring-flock-integration-cancelled"
    assert embed.description.startswith("**`ring-flock-integration-cancelled`**, asked 3\u00d7")
    assert "page 1 of" in embed.footer.text
    if len(stale) > 8:
        await maya.click(result.response.message, label="Next")


async def test_member_with_discord_permission_but_without_the_role_is_refused(team, simcord_env):
    channel, _, adam, _ = team
    result = await adam.slash(channel, "kb stale")
    assert result.ephemeral
    assert reply_text(result) == "This command is for maintainers only."
    assert any(isinstance(error, MissingRole) for error in simcord_env.errors)


async def test_command_is_hidden_from_members_without_manage_server(team):
    channel, maya, _, alice = team
    assert "kb stale" in maya.available_commands(channel)
    assert "kb stale" not in alice.available_commands(channel)


async def test_no_configured_roles_means_nobody(team, simcord_env):
    channel, maya, _, _ = team
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(update={"maintainer_role_ids": ()})
    result = await maya.slash(channel, "kb stats")
    assert "OVERSIGHT_MAINTAINER_ROLE_IDS" in reply_text(result)
    simcord_env.errors  # noqa: B018 - acknowledge the expected refusal


async def test_kb_stats(team, service, simcord_env):
    channel, maya, _, alice = team
    await alice.slash(
        channel, "ask", question="How many police departments does Ring partner with?"
    )
    service.refresh()
    result = await maya.slash(channel, "kb stats")
    text = embed_text(result.response.embeds[0])
    assert result.ephemeral
    assert "**71** entries in **7** topics" in text
    assert "`ring-police-partnerships-count`: 1" in text
    assert "OVERSIGHT_LOG_UNANSWERED" in text


async def test_kb_stats_shows_unanswered_questions_when_logged(team, service):
    channel, maya, _, alice = team
    service.log_unanswered = True
    for _ in range(2):
        await alice.slash(channel, "ask", question="Did Detroit ban face recognition?")
    result = await maya.slash(channel, "kb stats")
    assert "2\u00d7 Did Detroit ban face recognition?" in embed_text(result.response.embeds[0])


async def test_reload_with_a_broken_file_keeps_answering_from_the_old_knowledge(
    team, knowledge_copy
):
    channel, maya, _, alice = team
    (knowledge_copy / "broken.yaml").write_text("- id: half-written\n  kind: fact\n")
    result = await maya.slash(channel, "kb reload")
    text = reply_text(result)
    assert result.ephemeral
    assert "Not reloaded" in text and "previous 71 entries" in text
    assert "broken.yaml:1" in text
    answer = await alice.slash(
        channel, "ask", question="How many police departments does Ring partner with?"
    )
    assert "1,800" in embed_text(answer.response.embeds[0])


NEW_ENTRY = """\
- id: cambridge-facial-recognition-ban
  kind: fact
  question: Did Cambridge, Massachusetts ban facial recognition?
  answer: A test entry added while the bot runs.
  topics: [local-laws]
  sources:
    - title: A source
      publisher: A publisher
  as_of: 2020-01
  last_verified: 2026-11-01
"""


async def test_reload_swaps_in_a_valid_change(team, knowledge_copy):
    channel, maya, _, alice = team
    (knowledge_copy / "extra.yaml").write_text(NEW_ENTRY)
    result = await maya.slash(channel, "kb reload")
    assert "now answering from 72 entries" in reply_text(result)
    shown = await alice.slash(channel, "entry", id="cambridge-facial-recognition-ban")
    assert shown.response.embeds[0].footer.text.startswith(
        "entry: cambridge-facial-recognition-ban"
    )


async def test_digest_posts_once_per_change_and_remembers_across_restarts(
    team, service, simcord_env, make_bot
):
    channel = team[0]
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(update={"maintainers_channel_id": channel.id})
    upkeep = bot.get_cog("Upkeep")
    assert await upkeep.post_digest() is True
    digest = channel.last_message.embeds[0]
    assert digest.title.startswith("Stale-entry digest:")
    assert "oversight kb verify" in digest.description
    assert await upkeep.post_digest() is False, "nothing changed: nothing posted"

    service.store.add_update(
        NewUpdate(
            "Boston amended its ordinance", "local-laws", ("boston-face-surveillance-ban",), "h"
        ),
        at=dt.datetime(2027, 5, 30, tzinfo=dt.UTC),
    )
    assert await upkeep.post_digest() is True, "a new reason is a change"
    assert "boston-face-surveillance-ban" in embed_text(channel.last_message.embeds[0])

    await simcord_env.restart_bot(make_bot(maintainers_channel_id=channel.id))
    assert await simcord_env.bot.get_cog("Upkeep").post_digest() is False


async def test_folder_watch_reloads_valid_changes_and_keeps_old_knowledge_on_errors(
    team, knowledge_copy, simcord_env
):
    channel = team[0]
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(update={"maintainers_channel_id": channel.id})
    upkeep = bot.get_cog("Upkeep")
    await upkeep.watch()  # first look: remembers the folder
    (knowledge_copy / "extra.yaml").write_text(NEW_ENTRY)
    await upkeep.watch()
    assert "cambridge-facial-recognition-ban" in bot.service.knowledge.entries
    (knowledge_copy / "broken.yaml").write_text("- id: [\n")
    await upkeep.watch()
    assert len(bot.service.knowledge.entries) == 72, "still the last good version"
    assert "does not validate" in channel.last_message.content
    assert "broken.yaml" in channel.last_message.content
