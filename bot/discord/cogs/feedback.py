"""Feedback on answers: Helpful, Not helpful, Outdated or wrong (with an optional note).

The buttons themselves live in `bot.discord.components` (every answer carries them); this cog
registers them as dynamic items so clicks on old answers still arrive after a restart.
"""

from __future__ import annotations

from discord.ext import commands

from bot.discord.client import OversightBot
from bot.discord.components import FeedbackButton


class Feedback(commands.Cog):
    def __init__(self, bot: OversightBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(FeedbackButton)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(FeedbackButton)


async def setup(bot: OversightBot) -> None:
    await bot.add_cog(Feedback(bot))
