"""Browsing: `/entry` by id, `/quote` by speaker or words, `/topic` page by page.

Autocomplete must answer within Discord's 3 seconds while people type, so it works on lists
built once per knowledge base (`Catalogue`) and rapidfuzz, never on the YAML or the store.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cached_property

import discord
from discord import app_commands
from discord.ext import commands
from rapidfuzz import fuzz, process, utils

from bot.discord.client import OversightBot
from bot.discord.components import (
    PAGE_LABELS,
    PickSelect,
    entry_options,
    page_button,
    show_entry,
)
from bot.discord.embeds import clean, shorten
from bot.discord.errors import report_error, send_private
from bot.knowledge import text
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.model import Entry

PAGE_SIZE = 10
CHOICES_MAX = 25


@dataclass
class Catalogue:
    """Lookup lists for autocomplete, built once per knowledge base and cached on it."""

    knowledge: KnowledgeBase

    @cached_property
    def entry_labels(self) -> list[str]:
        return [f"{entry.id} {entry.question}" for entry in self.knowledge.entries.values()]

    @cached_property
    def speakers(self) -> list[str]:
        found = {e.quote.speaker for e in self.knowledge.entries.values() if e.quote is not None}
        return sorted(found, key=str.lower)

    @cached_property
    def quotes(self) -> list[Entry]:
        return [entry for entry in self.knowledge.entries.values() if entry.quote is not None]


def _catalogue(bot: OversightBot) -> Catalogue:
    knowledge = bot.service.knowledge
    cached = getattr(bot, "_catalogue", None)
    if cached is None or cached.knowledge is not knowledge:
        cached = Catalogue(knowledge)
        bot._catalogue = cached  # type: ignore[attr-defined]
    return cached


def _choice(name: str, value: str) -> app_commands.Choice[str]:
    return app_commands.Choice(name=shorten(name, 100), value=value[:100])


def matching_quotes(quotes: list[Entry], speaker: str | None, words: str | None) -> list[Entry]:
    """Quotes by this speaker (exact or close) whose text, context or question hold every word."""
    found = quotes
    if speaker:
        wanted = utils.default_process(speaker)
        found = [
            entry
            for entry in found
            if entry.quote is not None
            and fuzz.WRatio(wanted, utils.default_process(entry.quote.speaker)) >= 85
        ]
    if words:
        wanted_terms = set(text.terms(words))
        found = [
            entry
            for entry in found
            if entry.quote is not None
            and wanted_terms
            <= set(
                text.terms(" ".join([entry.quote.text, entry.quote.context or "", entry.question]))
            )
        ]
    return found


def topic_page(
    knowledge: KnowledgeBase, slug: str, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    topic = knowledge.topics[slug]
    entries = knowledge.entries_in_topic(slug)
    pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = entries[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    lines = [
        f"{page * PAGE_SIZE + n}. {shorten(e.question, 200)}" for n, e in enumerate(shown, start=1)
    ]
    embed = discord.Embed(
        title=shorten(topic.title, 256),
        description=shorten(topic.description, 1000)
        + "\n\n"
        + ("\n".join(lines) or "No entries yet."),
        colour=discord.Colour.blurple(),
    )
    embed.set_footer(
        text=f"topic: {slug} \u00b7 page {page + 1} of {pages} \u00b7 {len(entries)} entries"
    )
    view = discord.ui.View(timeout=None)
    view.add_item(TopicPageButton(slug, page - 1, "Previous", disabled=page == 0))
    view.add_item(TopicPageButton(slug, page + 1, "Next", disabled=page >= pages - 1))
    if shown:
        view.add_item(PickSelect(entry_options(shown), tag=f"t{page}"))
    return embed, view


class TopicPageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"ov:topic:(?P<slug>[a-z0-9-]+):(?P<page>\d+)(?::(?P<label>prev|next))?",
):
    """Paging through a topic; the page is in the custom id, so it works after restarts."""

    def __init__(self, slug: str, page: int, label: str, *, disabled: bool = False) -> None:
        super().__init__(page_button(f"ov:topic:{slug}", page, label, disabled=disabled))
        self.slug = slug
        self.page = max(page, 0)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> TopicPageButton:
        return cls(match["slug"], int(match["page"]), PAGE_LABELS[match["label"] or "next"])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: OversightBot = interaction.client  # type: ignore[assignment]
        knowledge = bot.service.knowledge
        if self.slug not in knowledge.topics:
            await interaction.response.send_message("That topic no longer exists.", ephemeral=True)
            return
        embed, view = topic_page(knowledge, self.slug, self.page)
        await interaction.response.edit_message(embed=embed, view=view)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error, "topic paging")


class Browse(commands.Cog):
    def __init__(self, bot: OversightBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(TopicPageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(TopicPageButton)

    # -- /entry -----------------------------------------------------------------------------

    @app_commands.command(name="entry", description="Show one knowledge-base entry by its id")
    @app_commands.describe(id="The entry's id (start typing words of its question)")
    async def entry(self, interaction: discord.Interaction, id: str) -> None:
        entry = self.bot.service.knowledge.entries.get(id.strip())
        if entry is None:
            await send_private(
                interaction,
                "No entry has that id. Pick one from the list as you type, or use `/ask`.",
            )
            return
        await show_entry(interaction, entry)

    @entry.autocomplete("id")
    async def entry_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        knowledge = self.bot.service.knowledge
        entries = list(knowledge.entries.values())
        if not current.strip():
            asked = self.bot.service.asked_counts
            ranked = sorted(entries, key=lambda e: -asked.get(e.id, 0))[:CHOICES_MAX]
            return [_choice(e.question, e.id) for e in ranked]
        labels = _catalogue(self.bot).entry_labels
        found = process.extract(
            current, labels, scorer=fuzz.WRatio, processor=utils.default_process, limit=CHOICES_MAX
        )
        return [_choice(entries[index].question, entries[index].id) for _, _, index in found]

    # -- /quote -----------------------------------------------------------------------------

    @app_commands.command(name="quote", description="Find quotes by speaker or by words")
    @app_commands.describe(speaker="Who said it", words="Words from the quote or its subject")
    async def quote(
        self,
        interaction: discord.Interaction,
        speaker: app_commands.Range[str, 1, 100] | None = None,
        words: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        if not speaker and not words:
            await send_private(interaction, "Give a speaker, some words from the quote, or both.")
            return
        found = matching_quotes(_catalogue(self.bot).quotes, speaker, words)
        if not found:
            await send_private(
                interaction,
                "No quotes match that. Try fewer words, or pick a speaker from the list "
                "as you type.",
            )
            return
        if len(found) == 1:
            await show_entry(interaction, found[0])
            return
        embed = discord.Embed(
            title=f"{len(found)} quotes" + (f" by {clean(speaker)}" if speaker else ""),
            description="\n".join(
                f"{n}. \u201c{shorten(e.quote.text, 150)}\u201d \u2014 {e.quote.speaker}"
                for n, e in enumerate(found[:CHOICES_MAX], start=1)
                if e.quote is not None
            ),
            colour=discord.Colour.blurple(),
        )
        view = discord.ui.View(timeout=None)
        view.add_item(PickSelect(entry_options(found), tag="q"))
        await interaction.response.send_message(embed=embed, view=view)

    @quote.autocomplete("speaker")
    async def speaker_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        speakers = _catalogue(self.bot).speakers
        if current.strip():
            found = process.extract(
                current,
                speakers,
                scorer=fuzz.WRatio,
                processor=utils.default_process,
                limit=CHOICES_MAX,
            )
            speakers = [name for name, score, _ in found if score >= 50]
        return [_choice(name, name) for name in speakers[:CHOICES_MAX]]

    # -- /topic -----------------------------------------------------------------------------

    @app_commands.command(name="topic", description="List the entries in a topic")
    @app_commands.describe(topic="The topic (start typing)")
    async def topic(self, interaction: discord.Interaction, topic: str) -> None:
        knowledge = self.bot.service.knowledge
        if topic not in knowledge.topics:
            await send_private(
                interaction, "No topic has that name. Pick one from the list as you type."
            )
            return
        embed, view = topic_page(knowledge, topic, 0)
        await interaction.response.send_message(embed=embed, view=view)

    @topic.autocomplete("topic")
    async def topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        topics = self.bot.service.knowledge.topics
        wanted = utils.default_process(current)
        found = [
            (slug, topic.title)
            for slug, topic in topics.items()
            if not wanted or wanted in utils.default_process(f"{slug} {topic.title}")
        ]
        return [_choice(title, slug) for slug, title in found[:CHOICES_MAX]]


async def setup(bot: OversightBot) -> None:
    await bot.add_cog(Browse(bot))
