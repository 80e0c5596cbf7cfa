"""`oversight run`: start the Discord bot, and stop it cleanly on SIGTERM or Ctrl-C.

Failures a person can fix (a refused token, a privileged intent not enabled in the developer
portal) end with one line and exit status 2; the token itself is never logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

import aiohttp
import discord
import yarl

from bot.config import Settings
from bot.discord.client import OversightBot
from bot.privacy import load_hasher
from bot.service import open_service

log = logging.getLogger("bot.run")

EXIT_OK, EXIT_UNUSABLE = 0, 2


def configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLogger().level))
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    # The bot never joins voice: the warnings about voice libraries are noise.
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


def build_bot(settings: Settings) -> OversightBot:
    """Load the knowledge base and state (KnowledgeError or StateError end the start-up)."""
    service = open_service(settings)
    hasher = load_hasher(
        settings.hash_secret.get_secret_value() if settings.hash_secret else None,
        settings.state_path.parent,
    )
    log.info(
        "loaded %d entries from %s; state in %s",
        len(service.knowledge.entries),
        settings.knowledge_path,
        settings.state_path,
    )
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base.rstrip("/")
        log.info("using the Discord API at %s", discord.http.Route.BASE)
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)
        log.info("using the Discord gateway at %s", settings.discord_gateway_url)
    return OversightBot(settings, service, hasher)


async def serve(bot: OversightBot, token: str) -> int:
    """Run until closed; SIGTERM (docker stop) and SIGINT close the connection cleanly."""
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        # Not available off the main thread or on Windows; the default handlers apply there.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, lambda s=signum: _stop(bot, s))
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        print(
            "oversight: Discord refused the token: check DISCORD_TOKEN (Bot -> Reset Token)",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    except (aiohttp.ClientConnectionError, OSError) as error:
        print(
            f"oversight: cannot reach Discord ({error.__class__.__name__}): "
            "check the network and try again",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    except discord.PrivilegedIntentsRequired:
        print(
            "oversight: auto-answer channels need the Message Content intent: enable it under "
            "Bot -> Privileged Gateway Intents in the developer portal, or unset "
            "OVERSIGHT_AUTO_ANSWER_CHANNEL_IDS",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE
    log.info("stopped")
    return EXIT_OK


_closing: set[asyncio.Task[None]] = set()


def _stop(bot: OversightBot, signum: int) -> None:
    log.info("received %s: shutting down", signal.Signals(signum).name)
    task = asyncio.ensure_future(bot.close())
    _closing.add(task)  # keep a reference until it finishes
    task.add_done_callback(_closing.discard)


def run_bot(settings: Settings) -> int:
    configure_logging(settings.log_level)
    assert settings.discord_token is not None
    bot = build_bot(settings)
    return asyncio.run(serve(bot, settings.discord_token.get_secret_value()))
