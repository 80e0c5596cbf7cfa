"""The central error handler: log the whole traceback, tell the user something short and private.

Every slash command error reaches `OversightTree.on_error`; buttons, selects and modals call
`report_error` from their own `on_error`. Expected refusals (a failed role or permission check,
a cooldown) are not bugs: they are answered plainly and logged at INFO without a traceback.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands

log = logging.getLogger("bot.discord.errors")

GENERIC = (
    "Something went wrong on our side and it has been logged. Please try again in a moment; "
    "if it keeps happening, tell a moderator."
)


async def send_private(interaction: discord.Interaction, message: str) -> None:
    """An ephemeral reply, whether or not the interaction was already answered or deferred."""
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)


def user_message(error: BaseException) -> str | None:
    """The message for an expected refusal, or None for a bug."""
    if isinstance(error, app_commands.CommandInvokeError) and isinstance(
        error.original, app_commands.CheckFailure
    ):
        error = error.original
    if isinstance(error, app_commands.CheckFailure) and str(error):
        return str(error)
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Easy there: try again in {error.retry_after:.0f} seconds."
    if isinstance(error, app_commands.NoPrivateMessage):
        return "This command only works in a server."
    if isinstance(error, app_commands.MissingPermissions | app_commands.CheckFailure):
        return "You don't have permission to use this command."
    if isinstance(error, app_commands.TransformerError):
        return "I couldn't read one of the values you gave. Check it and try again."
    return None


async def report_error(interaction: discord.Interaction, error: BaseException, where: str) -> None:
    message = user_message(error)
    if message is None:
        log.error("error in %s (interaction %s)", where, interaction.id, exc_info=error)
        message = GENERIC
    else:
        log.info("refused %s for a user: %s", where, message)
    await send_private(interaction, message)


class OversightTree(app_commands.CommandTree):
    """The command tree with the bot's one error handler."""

    async def on_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command.qualified_name if interaction.command else "a command"
        await report_error(interaction, error, f"/{command}")
