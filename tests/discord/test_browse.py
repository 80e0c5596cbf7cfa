"""/entry, /quote and /topic, with their autocomplete."""

from __future__ import annotations

from tests.discord.conftest import embed_text, reply_text


async def test_entry_autocomplete_finds_ids_by_words_of_the_question(world):
    _, channel, alice = world
    choices = await alice.autocomplete(channel, "entry", "id", "clearview dutch")
    assert choices and choices[0]["value"] == "clearview-dutch-dpa-fine"
    assert all(len(c["name"]) <= 100 and len(c["value"]) <= 100 for c in choices)
    assert len(choices) <= 25


async def test_entry_autocomplete_with_nothing_typed_offers_entries(world):
    _, channel, alice = world
    choices = await alice.autocomplete(channel, "entry", "id", "")
    assert len(choices) == 25


async def test_entry_shows_one_entry(world):
    _, channel, alice = world
    result = await alice.slash(channel, "entry", id="bipa-damages")
    text = embed_text(result.response.embeds[0])
    assert "$1,000" in text and "$5,000" in text
    assert result.response.embeds[0].footer.text.startswith("entry: bipa-damages")


async def test_unknown_entry_is_a_private_hint(world):
    _, channel, alice = world
    result = await alice.slash(channel, "entry", id="no-such-entry")
    assert result.ephemeral
    assert "No entry has that id" in reply_text(result)


async def test_quote_by_speaker_lists_them_and_picking_shows_one(world):
    _, channel, alice = world
    choices = await alice.autocomplete(channel, "quote", "speaker", "greer")
    assert choices[0]["value"] == "Evan Greer"
    result = await alice.slash(channel, "quote", speaker="Evan Greer")
    listing = result.response.embeds[0]
    assert listing.title.startswith("4 quotes by Evan Greer")
    menu = result.response.components[0]["components"][0]
    picked = await alice.select(result.response.message, [menu["options"][0]["value"]])
    shown = embed_text(picked.response.embeds[0])
    assert "\u2014 **Evan Greer, Director, Fight for the Future, 10 June 2021**" in shown


async def test_quote_by_words_shows_the_single_match_verbatim(world):
    _, channel, alice = world
    result = await alice.slash(channel, "quote", words="laughable lives at stake")
    shown = embed_text(result.response.embeds[0])
    assert "It would be laughable if there weren\u2019t lives at stake." in shown


async def test_quote_needs_something_to_search_for(world):
    _, channel, alice = world
    result = await alice.slash(channel, "quote")
    assert result.ephemeral and "Give a speaker" in reply_text(result)


async def test_quote_with_no_match_does_not_echo_the_search(world):
    _, channel, alice = world
    result = await alice.slash(channel, "quote", words="@everyone **zebra**")
    text = reply_text(result)
    assert "No quotes match" in text and "zebra" not in text and "@everyone" not in text


async def test_topic_pages_forward_and_back(world):
    _, channel, alice = world
    choices = await alice.autocomplete(channel, "topic", "topic", "ring")
    assert choices[0]["value"] == "ring-and-police"
    result = await alice.slash(channel, "topic", topic="ring-and-police")
    first = result.response.embeds[0]
    assert "page 1 of 2" in first.footer.text
    message = result.response.message
    await alice.click(message, label="Next")
    edited = (await _fetch(channel, message.id)).embeds[0]  # edited in place, not a new message
    assert "page 2 of 2" in edited.footer.text
    assert edited.description != first.description
    await alice.click(await _fetch(channel, message.id), label="Previous")
    assert "page 1 of 2" in (await _fetch(channel, message.id)).embeds[0].footer.text


async def _fetch(channel, message_id):
    return next(m for m in channel.history() if m.id == message_id)


async def test_topic_paging_survives_a_restart(world, make_bot, simcord_env):
    _, channel, alice = world
    result = await alice.slash(channel, "topic", topic="ring-and-police")
    await simcord_env.restart_bot(make_bot())
    await alice.click(result.response.message, label="Next")
    assert "page 2 of 2" in (await _fetch(channel, result.response.id)).embeds[0].footer.text
