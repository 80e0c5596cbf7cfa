"""`/update post | list | edit | retract`: dated news from moderators.

Discord can hide only whole top-level commands from members, and `/update list` is for everyone,
so post, edit and retract check both the member's Manage Messages permission and a configured
moderator role on every use.

An update is posted to the updates channel at once, shown under the answers it touches, and makes
those entries stale until a maintainer re-verifies them. Posting is all or nothing: the update is
stored only if the message went out (a failed post removes it again), so nothing half-stored
lingers. Only the configured update role can ever be pinged.
"""

from __future__ import annotations

import logging
import math
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.discord.checks import moderator_only
from bot.discord.client import OversightBot
from bot.discord.components import PAGE_LABELS, page_button
from bot.discord.embeds import shorten, update_embed
from bot.discord.errors import report_error, send_private
from bot.state import UnknownUpdateError
from bot.state.records import MAX_UPDATE_CHARS, NewUpdate, Update
from bot.updates import UpdateRejected, check_new_update, parse_entry_ids

log = logging.getLogger(__name__)

PAGE_SIZE = 5
REASON_MAX = 300


def _topic_title(bot: OversightBot, update: Update) -> str | None:
    topic = bot.service.knowledge.topics.get(update.topic or "")
    return topic.title if topic else update.topic


def _unknown(update_id: str) -> str:
    return f"No update has the id `{shorten(update_id, 40)}`: see `/update list`."


def list_page(
    bot: OversightBot, topic: str | None, page: int
) -> tuple[discord.Embed, discord.ui.View]:
    updates = [u for u in reversed(bot.service.updates) if topic is None or u.topic == topic]
    pages = max(1, math.ceil(len(updates) / PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = updates[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    embed = discord.Embed(
        title="Moderator updates"
        + (f": {bot.service.knowledge.topics[topic].title}" if topic else ""),
        colour=discord.Colour.green(),
    )
    for update in shown:
        state = " (retracted)" if update.retracted else (" (edited)" if update.edits else "")
        name = f"{update.id}, {update.posted_on.isoformat()}{state}"
        value = discord.utils.escape_mentions(update.text)
        if update.retracted:
            reason = discord.utils.escape_mentions(update.retracted_reason or "")
            value = f"~~{shorten(value, 400)}~~\nRetracted: {reason}"
        elif update.source_url:
            value += f"\n<{update.source_url}>"
        embed.add_field(name=shorten(name, 256), value=shorten(value, 1024), inline=False)
    if not shown:
        embed.description = "No updates yet."
    embed.set_footer(text=f"page {page + 1} of {pages} \u00b7 newest first")
    view = discord.ui.View(timeout=None)
    if pages > 1:
        key = topic or "-"
        view.add_item(UpdatePageButton(key, page - 1, "Previous", disabled=page == 0))
        view.add_item(UpdatePageButton(key, page + 1, "Next", disabled=page >= pages - 1))
    return embed, view


class UpdatePageButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=r"ov:upd:(?P<topic>[a-z0-9-]+):(?P<page>\d+):(?P<label>prev|next)",
):
    def __init__(self, topic: str, page: int, label: str, *, disabled: bool = False) -> None:
        super().__init__(page_button(f"ov:upd:{topic}", page, label, disabled=disabled))
        self.topic = topic
        self.page = max(page, 0)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> UpdatePageButton:
        return cls(match["topic"], int(match["page"]), PAGE_LABELS[match["label"]])

    async def callback(self, interaction: discord.Interaction) -> None:
        bot: OversightBot = interaction.client  # type: ignore[assignment]
        topic = None if self.topic == "-" else self.topic
        if topic is not None and topic not in bot.service.knowledge.topics:
            topic = None
        embed, view = list_page(bot, topic, self.page)
        await interaction.response.edit_message(embed=embed, view=view)

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:
        await report_error(interaction, error, "update paging")


@app_commands.guild_only()
class Updates(
    commands.GroupCog, group_name="update", group_description="Dated news from moderators"
):
    def __init__(self, bot: OversightBot) -> None:
        self.bot = bot
        super().__init__()

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(UpdatePageButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(UpdatePageButton)

    def _updates_channel(self, interaction: discord.Interaction) -> discord.TextChannel:
        """The updates channel, if configured and the bot may post embeds there."""
        channel_id = self.bot.settings.updates_channel_id
        if channel_id is None:
            raise UpdateRejected(
                "No updates channel is configured, so I can't post: ask the bot's operator to set "
                "OVERSIGHT_UPDATES_CHANNEL_ID. Nothing was saved."
            )
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.TextChannel | discord.Thread):
            raise UpdateRejected(
                f"I can't see the updates channel (<#{channel_id}>): check that it exists and that "
                "I can view it. Nothing was saved."
            )
        me = channel.guild.me
        permissions = channel.permissions_for(me)
        missing = [
            name
            for name, granted in (
                ("View Channel", permissions.view_channel),
                ("Send Messages", permissions.send_messages),
                ("Embed Links", permissions.embed_links),
            )
            if not granted
        ]
        if missing:
            raise UpdateRejected(
                f"I lack {', '.join(missing)} in {channel.mention}: give me those permissions "
                "there and try again. Nothing was saved."
            )
        return channel  # type: ignore[return-value]

    # -- post ----------------------------------------------------------------------------------

    @app_commands.command(name="post", description="Post a dated update (moderators)")
    @app_commands.checks.has_permissions(manage_messages=True)
    @moderator_only()
    @app_commands.describe(
        text="What happened, in a sentence or two",
        topic="The topic it concerns",
        entries="Entry ids it concerns, separated by commas (optional)",
        source_url="Link to the news (http or https)",
        source_title="Title of the source",
        ping="Mention the update role",
    )
    async def post(
        self,
        interaction: discord.Interaction,
        text: app_commands.Range[str, 1, MAX_UPDATE_CHARS],
        topic: str,
        entries: str | None = None,
        source_url: str | None = None,
        source_title: str | None = None,
        ping: bool = False,
    ) -> None:
        try:
            new = check_new_update(
                self.bot.service.knowledge,
                NewUpdate(
                    text,
                    topic,
                    parse_entry_ids(entries),
                    self.bot.user_hash(interaction.user),
                    source_url,
                    source_title,
                ),
            )
            channel = self._updates_channel(interaction)
            role_id = self.bot.settings.update_role_id
            if ping and role_id is None:
                raise UpdateRejected(
                    "No update role is configured (OVERSIGHT_UPDATE_ROLE_ID), so there is no one "
                    "to ping: post again without `ping`. Nothing was saved."
                )
        except UpdateRejected as rejected:
            await send_private(interaction, str(rejected))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        store = self.bot.service.store
        assert store is not None
        update = await self.bot.off_loop(store.add_update, new)
        try:
            message = await channel.send(
                content=f"<@&{role_id}>" if ping else None,
                embed=update_embed(update, _topic_title(self.bot, update)),
                allowed_mentions=discord.AllowedMentions(
                    everyone=False,
                    users=False,
                    roles=[discord.Object(role_id)] if ping and role_id else False,
                ),
            )
        except discord.HTTPException as error:
            await self.bot.off_loop(store.remove_update, update.id)
            log.warning("posting update %s failed; removed it", update.id, exc_info=True)
            await interaction.followup.send(
                f"Discord refused the post ({error.status}): check my permissions in "
                f"{channel.mention}. Nothing was saved.",
                ephemeral=True,
            )
            return
        await self.bot.off_loop(store.set_update_message, update.id, message.channel.id, message.id)
        await self.bot.off_loop(self.bot.service.refresh)
        reach = ", ".join(f"`{e}`" for e in update.entry_ids) or f"every entry in `{update.topic}`"
        await interaction.followup.send(
            f"Posted update {update.id} in {channel.mention}: {message.jump_url}\n"
            f"It now shows under answers for {reach} and marks them for review.",
            ephemeral=True,
        )

    @post.autocomplete("topic")
    async def _topic_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = current.lower().strip()
        return [
            app_commands.Choice(name=shorten(topic.title, 100), value=slug)
            for slug, topic in self.bot.service.knowledge.topics.items()
            if wanted in slug or wanted in topic.title.lower()
        ][:25]

    @post.autocomplete("entries")
    async def _entries_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Completes the last id of a comma-separated list, keeping the ones already typed."""
        done, _, typing = current.rpartition(",")
        prefix = f"{done}, " if done else ""
        wanted = typing.strip().lower()
        topic = getattr(interaction.namespace, "topic", None)
        entries = list(self.bot.service.knowledge.entries.values())
        if topic:
            entries.sort(key=lambda e: topic not in e.topics)
        found = [e for e in entries if wanted in e.id or wanted in e.question.lower()][:25]
        return [
            app_commands.Choice(
                name=shorten(f"{e.id}: {e.question}", 100), value=(prefix + e.id)[:100]
            )
            for e in found
        ]

    # -- list ----------------------------------------------------------------------------------

    @app_commands.command(name="list", description="Recent moderator updates")
    @app_commands.describe(topic="Only this topic")
    async def list_updates(
        self, interaction: discord.Interaction, topic: str | None = None
    ) -> None:
        if topic is not None and topic not in self.bot.service.knowledge.topics:
            await send_private(
                interaction, "There is no such topic: pick one from the list as you type."
            )
            return
        await self.bot.off_loop(self.bot.service.refresh)
        embed, view = list_page(self.bot, topic, 0)
        await interaction.response.send_message(embed=embed, view=view)

    list_updates.autocomplete("topic")(_topic_autocomplete)

    # -- edit and retract ----------------------------------------------------------------------

    @app_commands.command(name="edit", description="Correct an update's text; the old text is kept")
    @app_commands.checks.has_permissions(manage_messages=True)
    @moderator_only()
    @app_commands.describe(id="The update's id (e.g. u3)", text="The corrected text")
    async def edit(
        self,
        interaction: discord.Interaction,
        id: str,
        text: app_commands.Range[str, 1, MAX_UPDATE_CHARS],
    ) -> None:
        store = self.bot.service.store
        assert store is not None
        existing = await self.bot.off_loop(store.get_update, id.strip())
        if existing is None:
            await send_private(interaction, _unknown(id))
            return
        if existing.retracted:
            await send_private(
                interaction, f"Update {existing.id} was retracted; post a new one instead."
            )
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        update = await self.bot.off_loop(
            store.edit_update, existing.id, text.strip(), self.bot.user_hash(interaction.user)
        )
        edited = await self._publish_change(update)
        await interaction.followup.send(
            f"Corrected update {update.id}; the previous text is kept in its history."
            + ("" if edited else " (The posted message could not be edited.)"),
            ephemeral=True,
        )

    @app_commands.command(name="retract", description="Retract an update; the record is kept")
    @app_commands.checks.has_permissions(manage_messages=True)
    @moderator_only()
    @app_commands.describe(id="The update's id (e.g. u3)", reason="Why it is retracted")
    async def retract(
        self,
        interaction: discord.Interaction,
        id: str,
        reason: app_commands.Range[str, 1, REASON_MAX],
    ) -> None:
        store = self.bot.service.store
        assert store is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            update = await self.bot.off_loop(store.retract_update, id.strip(), reason.strip())
        except UnknownUpdateError:
            await interaction.followup.send(_unknown(id), ephemeral=True)
            return
        edited = await self._publish_change(update)
        await interaction.followup.send(
            f"Retracted update {update.id}. It no longer shows under answers"
            + (" and its post now says so." if edited else "; its post could not be edited."),
            ephemeral=True,
        )

    async def _publish_change(self, update: Update) -> bool:
        """Make answers and the posted message show the changed record; False when the post
        could not be edited."""
        await self.bot.off_loop(self.bot.service.refresh)
        return await self._refresh_posted(update)

    async def _refresh_posted(self, update: Update) -> bool:
        """Edit the posted message to match the record; False when that is not possible."""
        if update.channel_id is None or update.message_id is None:
            return False
        channel = self.bot.get_channel(update.channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            return False
        try:
            message = channel.get_partial_message(update.message_id)  # type: ignore[attr-defined]
            await message.edit(embed=update_embed(update, _topic_title(self.bot, update)))
        except (discord.HTTPException, AttributeError):
            log.warning("could not edit the post of update %s", update.id, exc_info=True)
            return False
        return True


async def setup(bot: OversightBot) -> None:
    await bot.add_cog(Updates(bot))
