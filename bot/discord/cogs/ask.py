"""Asking: `/ask`, mentioning the bot, and plain questions in auto-answer channels.

`/ask` and mentions always reply: an answer, or an honest decline with suggestions. Auto-answer
channels only ever get confident answers: a bot that chimes in with "did you mean" under every
message is noise (Red #1736, TJ-Bot #251), and a wrong answer there is worse.
"""

from __future__ import annotations

import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot.answering import Answer
from bot.discord.client import OversightBot
from bot.discord.components import PickSelect, answer_message
from bot.discord.errors import send_private

log = logging.getLogger(__name__)

QUESTION_MAX = 300
_QUESTION_START = re.compile(
    r"^\s*(what|whats|what's|how|when|who|whos|who's|why|which|where|is|are|was|were|does|do|did|"
    r"can|could|should|has|have|will|would)\b",
    re.IGNORECASE,
)
MENTION_HELP = (
    "Ask me after the mention, for example: `@Oversight when did Boston ban face surveillance?` "
    "or use `/ask`."
)


def looks_like_question(text: str) -> bool:
    return text.rstrip().endswith("?") or bool(_QUESTION_START.match(text))


def strip_mention(content: str, bot_id: int) -> str:
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip()


class Ask(commands.Cog):
    def __init__(self, bot: OversightBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(PickSelect)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(PickSelect)

    def _limited(self, user_id: int, channel_id: int | None) -> float | None:
        """Seconds to wait when the user or the channel is over its limit, else None."""
        user = self.bot.ask_limiter.hit(user_id)
        if not user.allowed:
            return user.retry_after
        if channel_id is not None:
            channel = self.bot.channel_limiter.hit(channel_id)
            if not channel.allowed:
                return channel.retry_after
        return None

    async def _record(self, answer: Answer) -> None:
        await self.bot.off_loop(self.bot.service.record, answer)

    @app_commands.command(name="ask", description="Ask about surveillance-technology policy")
    @app_commands.describe(question="Your question, in your own words")
    async def ask(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_MAX]
    ) -> None:
        wait = self._limited(interaction.user.id, interaction.channel_id)
        if wait is not None:
            await send_private(
                interaction,
                f"You're asking faster than I can keep up: try again in {wait:.0f} seconds.",
            )
            return
        answer = self.bot.service.ask(question)
        await interaction.response.send_message(**answer_message(answer))
        await self._record(answer)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or message.guild is None or self.bot.user is None:
            return
        mentioned = any(user.id == self.bot.user.id for user in message.mentions)
        if mentioned:
            await self._answer_mention(message)
        elif message.channel.id in self.bot.settings.auto_answer_channel_ids:
            await self._auto_answer(message)

    async def _answer_mention(self, message: discord.Message) -> None:
        assert self.bot.user is not None
        question = strip_mention(message.content, self.bot.user.id)[:QUESTION_MAX]
        if not question:
            await message.reply(MENTION_HELP, mention_author=False)
            return
        wait = self._limited(message.author.id, message.channel.id)
        if wait is not None:
            await message.reply(
                f"You're asking faster than I can keep up: try again in {wait:.0f} seconds.",
                mention_author=False,
                delete_after=10,
            )
            return
        answer = self.bot.service.ask(question)
        await message.reply(**answer_message(answer), mention_author=False)
        await self._record(answer)

    async def _auto_answer(self, message: discord.Message) -> None:
        question = message.content.strip()
        if not question or len(question) > QUESTION_MAX or not looks_like_question(question):
            return
        answer = self.bot.service.ask(question)
        if not answer.answered:
            return
        if self._limited(message.author.id, message.channel.id) is not None:
            return  # stay quiet rather than scold in a shared channel
        await message.reply(**answer_message(answer), mention_author=False)
        await self._record(answer)


async def setup(bot: OversightBot) -> None:
    await bot.add_cog(Ask(bot))
