"""/update post, list, edit and retract; updates in answers, in staleness, and in the export."""

from __future__ import annotations

import json

import discord
import pytest

from bot.answering import Answerer
from bot.cli import main
from bot.discord.checks import MissingRole
from bot.knowledge.cache import load_indexed
from bot.service import OversightService
from bot.state import open_store
from tests.discord.conftest import embed_text, reply_text

RING = "How many police departments does Ring partner with?"
RING_ID = "ring-police-partnerships-count"


@pytest.fixture
def service(knowledge_copy, settings):
    """The bundled knowledge as if last verified on 1 November 2026: today's updates are newer."""
    root = knowledge_copy
    for path in root.glob("*.yaml"):
        path.write_text(
            path.read_text().replace('last_verified: "2026-11-26"', 'last_verified: "2026-11-01"')
        )
    knowledge, index = load_indexed(root)
    return OversightService(Answerer(knowledge, index), open_store(settings.state_path))


@pytest.fixture
def newsroom(world, simcord_env):
    """A moderator (role + Manage Messages), a member, an #updates channel and an update role."""
    guild, channel, alice = world
    updates = guild.create_text_channel("updates")
    mods = guild.create_role("Moderators", permissions=discord.Permissions(manage_messages=True))
    helpers = guild.create_role("Helpers", permissions=discord.Permissions(manage_messages=True))
    news = guild.create_role("News", mentionable=True)
    mona = guild.add_member(simcord_env.create_user("mona"), roles=[mods])
    hal = guild.add_member(simcord_env.create_user("hal"), roles=[helpers])
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(
        update={
            "moderator_role_ids": (mods.id,),
            "updates_channel_id": updates.id,
            "update_role_id": news.id,
        }
    )
    return channel, updates, mona, hal, alice, news


async def post(mona, channel, **options):
    options.setdefault("text", "Ring says it now has more than 2,000 police partners.")
    options.setdefault("topic", "ring-and-police")
    return await mona.slash(channel, "update post", **options)


async def test_post_publishes_stores_and_reaches_answers_and_staleness(
    newsroom, service, settings, simcord_env
):
    channel, updates, mona, _, alice, _ = newsroom
    result = await post(
        mona,
        channel,
        entries=RING_ID,
        source_url="https://example.org/ring-news",
        source_title="Ring news",
    )
    assert result.ephemeral and "Posted update u1" in reply_text(result)
    posted = updates.last_message
    card = embed_text(posted.embeds[0])
    assert "Update u1: Amazon Ring and police" in card and "2,000" in card
    assert "[Ring news](https://example.org/ring-news)" in card
    assert posted.content == "" or posted.content is None

    stored = service.store.get_update("u1")
    assert stored.entry_ids == (RING_ID,) and stored.topic == "ring-and-police"
    assert (
        stored.author_hash != str(mona.id) and str(mona.id) not in settings.state_path.read_text()
    )
    assert (stored.channel_id, stored.message_id) == (updates.id, posted.id)

    answer = await alice.slash(channel, "ask", question=RING)
    shown = embed_text(answer.response.embeds[0])
    assert "Since this was last verified" in shown and "2,000 police partners" in shown
    stale = {s.entry.id: s for s in service.stale_entries(stored.posted_on)}
    reason = f"moderator update u1 on {stored.posted_on.isoformat()}"
    assert reason in stale[RING_ID].freshness.reason_texts
    assert "what-is-ring" not in stale, "an update naming entries marks only those entries"


async def test_only_the_update_role_is_pinged(newsroom, simcord_env):
    channel, updates, mona, _, _, news = newsroom
    await post(
        mona,
        channel,
        text="Boston amends its ordinance. @everyone <@&1>",
        topic="local-laws",
        ping=True,
    )
    message = updates.last_message
    assert message.content == f"<@&{news.id}>"
    request = [
        r for r in simcord_env.http_requests if r.method == "POST" and r.path.endswith("/messages")
    ][-1]
    allowed = request.json["allowed_mentions"]
    assert allowed["parse"] == []
    assert [int(role) for role in allowed["roles"]] == [news.id]
    assert "@\u200beveryone" in message.embeds[0].description, "mentions in the text are defused"


async def test_ping_without_a_configured_role_is_refused_and_nothing_stored(
    newsroom, service, simcord_env
):
    channel, _, mona, _, _, _ = newsroom
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(update={"update_role_id": None})
    result = await post(mona, channel, ping=True)
    assert "No update role is configured" in reply_text(result)
    assert service.store.list_updates() == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"entries": "no-such-entry"}, "Unknown entry id `no-such-entry`"),
        ({"topic": "no-such-topic"}, "There is no topic `no-such-topic`"),
        ({"source_url": "javascript:alert(1)"}, "must start with http:// or https://"),
        ({"text": "   "}, "The update has no text."),
    ],
)
async def test_bad_input_is_refused_privately_and_nothing_is_stored(
    newsroom, service, options, message
):
    channel, updates, mona, _, _, _ = newsroom
    before = updates.last_message
    result = await post(mona, channel, **options)
    assert result.ephemeral and message in reply_text(result)
    assert service.store.list_updates() == []
    assert updates.last_message == before


async def test_no_updates_channel_configured(newsroom, service, simcord_env):
    channel, _, mona, _, _, _ = newsroom
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(update={"updates_channel_id": None})
    result = await post(mona, channel)
    assert "OVERSIGHT_UPDATES_CHANNEL_ID" in reply_text(result)
    assert service.store.list_updates() == []


async def test_bot_lacking_permission_in_the_updates_channel(newsroom, service, simcord_env):
    channel, _, mona, _, _, _ = newsroom
    guild = simcord_env.guild
    locked = guild.create_text_channel(
        "locked-updates", overwrites={guild.me: discord.PermissionOverwrite(send_messages=False)}
    )
    bot = simcord_env.bot
    bot.settings = bot.settings.model_copy(update={"updates_channel_id": locked.id})
    result = await post(mona, channel)
    assert "I lack Send Messages" in reply_text(result)
    assert service.store.list_updates() == []


async def test_a_failed_post_leaves_nothing_half_stored(newsroom, service, simcord_env):
    channel, updates, mona, _, _, _ = newsroom
    simcord_env.inject_error("POST", f"/channels/{updates.id}/messages", status=500)
    result = await post(mona, channel)
    assert "Nothing was saved" in reply_text(result)
    assert service.store.list_updates() == []


async def test_non_moderators_are_refused_even_with_discord_permissions(
    newsroom, service, simcord_env
):
    channel, _, _, hal, alice, _ = newsroom
    result = await post(hal, channel)
    assert reply_text(result) == "This command is for moderators only."
    result = await post(alice, channel)
    assert reply_text(result) in (
        "This command is for moderators only.",
        "You don't have permission to use this command.",
    )
    assert service.store.list_updates() == []
    assert any(isinstance(e, MissingRole) for e in simcord_env.errors)


async def test_list_is_for_everyone_and_pages(newsroom, simcord_env):
    channel, _, mona, _, alice, _ = newsroom
    for number in range(7):
        await post(mona, channel, text=f"news number {number}", topic="local-laws")
        await simcord_env.advance_time(31)
    result = await alice.slash(channel, "update list", topic="local-laws")
    first = result.response.embeds[0]
    assert "page 1 of 2" in first.footer.text
    assert first.fields[0].name.startswith("u7, ")
    await alice.click(result.response.message, label="Next")
    page_two = next(m for m in channel.history() if m.id == result.response.id).embeds[0]
    assert "page 2 of 2" in page_two.footer.text


async def test_edit_keeps_history_and_updates_the_post(newsroom, service):
    channel, updates, mona, _, _, _ = newsroom
    await post(mona, channel, text="Boston repealed its ban.", topic="local-laws")
    result = await mona.slash(channel, "update edit", id="u1", text="Boston amended its ban.")
    assert "previous text is kept" in reply_text(result)
    stored = service.store.get_update("u1")
    assert stored.text == "Boston amended its ban."
    assert stored.edits[0].previous_text == "Boston repealed its ban."
    assert "Boston amended its ban." in updates.last_message.embeds[0].description


async def test_retract_keeps_the_record_marks_the_post_and_hides_it_from_answers(
    newsroom, service, simcord_env
):
    channel, updates, mona, _, alice, _ = newsroom
    await post(mona, channel, entries=RING_ID)
    result = await mona.slash(channel, "update retract", id="u1", reason="Wrong figure")
    assert "Retracted update u1" in reply_text(result)
    stored = service.store.get_update("u1")
    assert stored.retracted and stored.retracted_reason == "Wrong figure"
    card = updates.last_message.embeds[0]
    assert card.title.startswith("RETRACTED") and "Wrong figure" in embed_text(card)
    answer = await alice.slash(channel, "ask", question=RING)
    assert "Since this was last verified" not in embed_text(answer.response.embeds[0])
    assert not any(r.code == "update" for s in service.stale_entries() for r in s.freshness.reasons)
    missing = await mona.slash(channel, "update retract", id="u99", reason="x")
    assert "No update has the id `u99`" in reply_text(missing)


async def test_update_autocomplete(newsroom):
    channel, _, mona, _, _, _ = newsroom
    topics = await mona.autocomplete(channel, "update post", "topic", "ring")
    assert topics[0]["value"] == "ring-and-police"
    entries = await mona.autocomplete(
        channel,
        "update post",
        "entries",
        "what-is-ring, ring-police-partner",
        topic="ring-and-police",
    )
    assert entries[0]["value"] == f"what-is-ring, {RING_ID}"


async def test_answers_json_and_export_show_the_path_to_the_repository(
    newsroom, service, settings, capsys, monkeypatch
):
    channel, _, mona, _, _, _ = newsroom
    await post(
        mona,
        channel,
        entries=RING_ID,
        source_url="https://example.org/ring",
        source_title="Ring news",
    )
    monkeypatch.setenv("OVERSIGHT_STATE_PATH", str(settings.state_path))
    monkeypatch.setenv("OVERSIGHT_KNOWLEDGE_PATH", str(service.knowledge.root))
    assert main(["ask", "--json", RING]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert [u["id"] for u in answer["updates"]] == ["u1"]
    assert answer["updates"][0]["source_url"] == "https://example.org/ring"
    assert main(["updates", "export", "--format", "md"]) == 0
    checklist = capsys.readouterr().out
    assert f"## `{RING_ID}`" in checklist
    assert "- [ ] u1, " in checklist and "[Ring news](https://example.org/ring)" in checklist
    assert f"`oversight kb verify {RING_ID}`" in checklist
    assert main(["updates", "export"]) == 0
    snippet = capsys.readouterr().out
    import yaml

    [item] = yaml.safe_load(snippet)
    assert item["id"] == RING_ID and item["updates"][0]["id"] == "u1"
    assert item["sources_to_add"] == [
        {
            "title": "Ring news",
            "publisher": "PUBLISHER",
            "url": "https://example.org/ring",
            "published": item["updates"][0]["posted"],
        }
    ]
