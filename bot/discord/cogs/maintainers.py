"""`/kb stale`, `/kb stats`, `/kb reload`: the knowledge base's health, for maintainers only.

Replies are ephemeral: maintenance chatter does not belong in the channel. `/kb reload` loads and
validates in a worker thread; only a valid knowledge base is swapped in (one assignment), so
answering never pauses and a broken edit keeps the old knowledge serving.
"""

from __future__ import annotations

import math
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import require_role
from bot.discord.client import OversightBot
from bot.discord.components import PAGE_LABELS, page_button
from bot.discord.embeds import EmbedBuilder, shorten, stale_lines
from bot.discord.errors import report_error

PAGE_SIZE = 8


def stale_page(bot: OversightBot, page: int) -> tuple[discord.Embed, discord.ui.View]:
    stale = bot.service.stale_entries()
    total = len(bot.service.knowledge.entries)
    pages = max(1, math.ceil(len(stale) / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    lines = stale_lines(stale[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
    embed = discord.Embed(
        title=f"{len(stale)} of {total} entries need re-checking",
        description=shorten("\n".join(lines) or "Nothing is stale. \u2705", 4000),
        colour=discord.Colour.orange() if stale else discord.Colour.green(),
    )
    embed.set_footer(
        text=f"page {page + 1} of {pages} \u00b7 most asked first \u00b7 "
        "after re-checking: oversight kb verify ID"
    )
    view = discord.ui.View(timeout=None)
    if pages > 1:
        view.add_item(StalePageButton(page - 1, "Previous", disabled=page == 0))
        view.add_item(StalePageButton(page + 1, "Next", disabled=page >= pages - 1))
    return embed, view


class StalePageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"ov:stale:(?P<page>\d+):(?P<label>prev|next)",
):
    def __init__(self, page: int, label: str, *, disabled: bool = False) -> None:
        super().__init__(page_button("ov:stale", page, label, disabled=disabled))
        self.page = max(page, 0)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> StalePageButton:
        return cls(int(match["page"]), PAGE_LABELS[match["label"]])

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        bot: OversightBot = interaction.client  # type: ignore[assignment]
        require_role(
            interaction,
            bot.settings.maintainer_role_ids,
            "maintainer",
            "OVERSIGHT_MAINTAINER_ROLE_IDS",
        )
        return True

    async def callback(self, interaction: discord.Interaction) -> None:
        embed, view = stale_page(interaction.client, self.page)  # type: ignore[arg-type]
        await interaction.response.edit_message(embed=embed, view=view)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error, "stale paging")


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class KnowledgeBaseTools(
    commands.GroupCog, group_name="kb", group_description="Maintainers' tools"
):
    def __init__(self, bot: OversightBot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(StalePageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(StalePageButton)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        require_role(
            interaction,
            self.bot.settings.maintainer_role_ids,
            "maintainer",
            "OVERSIGHT_MAINTAINER_ROLE_IDS",
        )
        return True

    @app_commands.command(name="stale", description="Entries that need re-checking, and why")
    async def stale(self, interaction: discord.Interaction) -> None:
        embed, view = stale_page(self.bot, 0)
        await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

    @app_commands.command(name="stats", description="Entries, topics, staleness, what people ask")
    async def stats(self, interaction: discord.Interaction) -> None:
        service = self.bot.service
        knowledge = service.knowledge
        stale = service.stale_entries()
        embed = discord.Embed(title="Knowledge base", colour=discord.Colour.blurple())
        embed.description = (
            f"**{len(knowledge.entries)}** entries in **{len(knowledge.topics)}** topics; "
            f"**{len(stale)}** need re-checking."
        )
        builder = EmbedBuilder(embed)
        asked = sorted(service.asked_counts.items(), key=lambda item: -item[1])[:5]
        builder.add(
            "Most asked",
            "\n".join(f"`{entry_id}`: {count}" for entry_id, count in asked) or "No answers yet.",
        )
        if service.log_unanswered:
            top = await self.bot.off_loop(service.top_unanswered, 5)
            builder.add(
                "Most asked, not answered",
                "\n".join(
                    f"{count}\u00d7 {discord.utils.escape_markdown(shorten(question, 150))}"
                    for question, count in top
                )
                or "Nothing logged yet.",
            )
        else:
            builder.add(
                "Most asked, not answered",
                "Not logged. Set OVERSIGHT_LOG_UNANSWERED=true to see what people ask that the "
                "knowledge base cannot answer (kept without author).",
            )
        by_topic = [
            f"{topic.title}: {len(knowledge.entries_in_topic(slug))}"
            for slug, topic in knowledge.topics.items()
        ]
        builder.add("Entries by topic", "\n".join(by_topic))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    @app_commands.command(name="reload", description="Reload the knowledge folder if it is valid")
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.bot.off_loop(self.bot.service.reload)
        if result.ok:
            await interaction.followup.send(
                f"Reloaded: now answering from {result.entries} entries.", ephemeral=True
            )
            return
        shown = "\n".join(f"- `{shorten(problem, 300)}`" for problem in result.problems[:12])
        more = len(result.problems) - 12
        await interaction.followup.send(
            shorten(
                f"Not reloaded: the knowledge folder has {len(result.problems)} problems, so I "
                f"kept answering from the previous {result.entries} entries. Fix these and run "
                f"/kb reload again:\n{shown}"
                + (f"\n...and {more} more (`oversight kb validate`)" if more > 0 else ""),
                2000,
            ),
            ephemeral=True,
        )


async def setup(bot: OversightBot) -> None:
    await bot.add_cog(KnowledgeBaseTools(bot))
