"""The Discord client: settings, intents, cogs, command sync, and the shared services.

Cogs are thin: each turns an interaction into a call on `OversightService` and an embed. The
client owns what they share (the service, the user hasher, rate limits) and the manners that hold
everywhere: no mentions unless a cog opts in, the message-content intent only when auto-answer
channels need it, and disk work off the event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import discord
from discord.ext import commands

from bot.config import Settings
from bot.discord.errors import OversightTree
from bot.privacy import UserHasher
from bot.ratelimit import RateLimiter
from bot.service import OversightService

log = logging.getLogger(__name__)

T = TypeVar("T")

EXTENSIONS = (
    "bot.discord.cogs.ask",
    "bot.discord.cogs.browse",
    "bot.discord.cogs.feedback",
    "bot.discord.cogs.maintainers",
    "bot.discord.cogs.updates",
    "bot.discord.cogs.upkeep",
)


def intents_for(settings: Settings) -> discord.Intents:
    """Guilds and guild messages; message content only when plain questions must be read."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    intents.message_content = bool(settings.auto_answer_channel_ids)
    return intents


class OversightBot(commands.Bot):
    """The bot. Holds the service and settings; cogs reach them through `interaction.client`."""

    def __init__(
        self,
        settings: Settings,
        service: OversightService,
        hasher: UserHasher,
        *,
        sync_commands: bool = True,
    ) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents_for(settings),
            allowed_mentions=discord.AllowedMentions.none(),
            help_command=None,
            tree_cls=OversightTree,
        )
        self.settings = settings
        self.service = service
        self.hasher = hasher
        self.sync_commands = sync_commands
        self.loop_clock: Callable[[], float] = lambda: asyncio.get_running_loop().time()
        self.ask_limiter = RateLimiter(
            settings.ask_cooldown_rate, settings.ask_cooldown_seconds, clock=self._now
        )
        self.channel_limiter = RateLimiter(
            settings.channel_rate, settings.channel_rate_seconds, clock=self._now
        )
        self.feedback_limiter = RateLimiter(
            settings.feedback_rate, settings.feedback_rate_seconds, clock=self._now
        )
        self.synced: list[discord.app_commands.AppCommand] = []

    def _now(self) -> float:
        return self.loop_clock()

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.sync_commands:
            await self.sync_application_commands()

    async def sync_application_commands(self) -> None:
        """Sync to the development guild at once when one is set, else globally (slower)."""
        if self.settings.guild_id:
            guild = discord.Object(id=self.settings.guild_id)
            self.tree.copy_global_to(guild=guild)
            self.synced = await self.tree.sync(guild=guild)
            log.info("synced %d commands to guild %s", len(self.synced), self.settings.guild_id)
        else:
            self.synced = await self.tree.sync()
            log.info("synced %d global commands", len(self.synced))

    async def on_ready(self) -> None:
        log.info("ready as %s in %d servers", self.user, len(self.guilds))

    async def off_loop(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking work (disk, index building) in a worker thread."""
        return await asyncio.to_thread(function, *args, **kwargs)

    def user_hash(self, user: discord.abc.Snowflake) -> str:
        return self.hasher(user.id)
