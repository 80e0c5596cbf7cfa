"""Background upkeep: the stale-entry digest, the state snapshot, and the optional folder watch.

- Digest: every `OVERSIGHT_DIGEST_INTERVAL_HOURS`, post stale entries to the maintainers channel,
  but only when something changed since the last digest (remembered in the state store).
- Snapshot: every minute, re-read updates and reports from the store in a worker thread, so
  changes made by another process (or `oversight` on the command line) reach answers.
- Watch (`OVERSIGHT_WATCH_KNOWLEDGE`): when the knowledge files change, reload with the same
  safety as `/kb reload`; a broken edit is reported and the old knowledge keeps serving.
"""

from __future__ import annotations

import logging
from pathlib import Path

import discord
from discord.ext import commands, tasks

from bot.digest import DigestPlan, plan_digest
from bot.discord.client import OversightBot
from bot.discord.embeds import EmbedBuilder, shorten, stale_lines
from bot.knowledge.loader import TOPICS_FILE, knowledge_files
from bot.state.records import utc_now

log = logging.getLogger(__name__)

SNAPSHOT_SECONDS = 60
WATCH_SECONDS = 10


def folder_signature(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every knowledge file: cheap to compare."""
    paths = [*knowledge_files(root), root / TOPICS_FILE]
    found = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def digest_embed(plan: DigestPlan, total: int) -> discord.Embed:
    if not plan.stale:
        return discord.Embed(
            title="Stale-entry digest: all clear",
            description=f"All {total} entries are within their review intervals.",
            colour=discord.Colour.green(),
        )
    embed = discord.Embed(
        title=f"Stale-entry digest: {len(plan.stale)} of {total} entries need re-checking",
        colour=discord.Colour.orange(),
        description=(
            f"{len(plan.new_ids)} new since the last digest. After re-checking an entry against "
            "its sources, run `oversight kb verify ID` and open a pull request."
        ),
    )
    builder = EmbedBuilder(embed)
    left = builder.add_lines("Most asked first", stale_lines(plan.stale))
    if left:
        builder.add("And more", f"{left} more: `/kb stale` or `oversight kb stale`")
    return embed


class Upkeep(commands.Cog):
    def __init__(self, bot: OversightBot) -> None:
        self.bot = bot
        self.digest.change_interval(hours=bot.settings.digest_interval_hours)
        self._signature: tuple[tuple[str, int, int], ...] | None = None

    async def cog_load(self) -> None:
        self.snapshot.start()
        if self.bot.settings.maintainers_channel_id:
            self.digest.start()
        if self.bot.settings.watch_knowledge:
            self.watch.start()

    async def cog_unload(self) -> None:
        self.snapshot.cancel()
        self.digest.cancel()
        self.watch.cancel()

    # -- digest ------------------------------------------------------------------------------

    @tasks.loop(hours=168)
    async def digest(self) -> None:
        await self.post_digest()

    @digest.before_loop
    async def _before_digest(self) -> None:
        await self.bot.wait_until_ready()

    async def post_digest(self) -> bool:
        """Post the digest if something changed; True when one was posted."""
        store = self.bot.service.store
        channel_id = self.bot.settings.maintainers_channel_id
        if store is None or channel_id is None:
            return False
        await self.bot.off_loop(self.bot.service.refresh)
        last = await self.bot.off_loop(store.last_digest)
        plan = plan_digest(self.bot.service.stale_entries(), last, utc_now())
        if plan is None:
            return False
        channel = self.bot.get_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            log.warning("maintainers channel %s is not a text channel I can see", channel_id)
            return False
        try:
            await channel.send(embed=digest_embed(plan, len(self.bot.service.knowledge.entries)))
        except discord.HTTPException:
            log.warning("could not post the digest to %s", channel_id, exc_info=True)
            return False
        await self.bot.off_loop(store.save_digest, plan.record)
        return True

    @digest.error
    async def _digest_error(self, error: BaseException) -> None:
        log.error("the digest task failed; it will run again next interval", exc_info=error)

    # -- state snapshot ----------------------------------------------------------------------

    @tasks.loop(seconds=SNAPSHOT_SECONDS)
    async def snapshot(self) -> None:
        await self.bot.off_loop(self.bot.service.refresh)

    @snapshot.error
    async def _snapshot_error(self, error: BaseException) -> None:
        log.error("could not refresh the state snapshot", exc_info=error)

    # -- knowledge folder watch --------------------------------------------------------------

    @tasks.loop(seconds=WATCH_SECONDS)
    async def watch(self) -> None:
        root = self.bot.service.knowledge.root
        signature = await self.bot.off_loop(folder_signature, root)
        if self._signature is None or signature == self._signature:
            self._signature = signature
            return
        self._signature = signature
        result = await self.bot.off_loop(self.bot.service.reload)
        if result.ok:
            log.info("knowledge folder changed: reloaded %d entries", result.entries)
            return
        log.error(
            "knowledge folder changed but has %d problems; still serving the previous version:\n%s",
            len(result.problems),
            "\n".join(result.problems),
        )
        channel = self.bot.get_channel(self.bot.settings.maintainers_channel_id or 0)
        if isinstance(channel, discord.abc.Messageable):
            listing = "\n".join(f"- `{shorten(p, 200)}`" for p in result.problems[:10])
            await channel.send(
                shorten(
                    "The knowledge folder changed but does not validate, so I kept the previous "
                    f"version:\n{listing}",
                    2000,
                )
            )

    @watch.error
    async def _watch_error(self, error: BaseException) -> None:
        log.error("the knowledge watch failed", exc_info=error)


async def setup(bot: OversightBot) -> None:
    await bot.add_cog(Upkeep(bot))
