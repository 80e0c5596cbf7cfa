"""Fixtures for the Discord layer: the real bot, driven by simcord's in-memory Discord."""

from __future__ import annotations

from pathlib import Path

import discord
import pytest

from bot.answering import Answerer
from bot.config import Settings
from bot.discord.client import OversightBot
from bot.privacy import UserHasher
from bot.service import OversightService
from bot.state import open_store

SECRET = b"test-secret-for-hashing-user-ids"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for one test; tests override fields with `settings.model_copy(update=...)`."""
    return Settings(state_path=tmp_path / "state" / "state.json")


@pytest.fixture
def service(bundled_answerer: Answerer, settings: Settings) -> OversightService:
    return OversightService(bundled_answerer, open_store(settings.state_path))


@pytest.fixture
def make_bot(service: OversightService, settings: Settings):
    def make(**overrides) -> OversightBot:
        return OversightBot(settings.model_copy(update=overrides), service, UserHasher(SECRET))

    return make


@pytest.fixture
def simcord_bot(make_bot) -> OversightBot:
    return make_bot()


@pytest.fixture
def world(simcord_env):
    """A guild with a #general channel and a member, alice."""
    guild = simcord_env.create_guild(name="Privacy Club")
    channel = guild.create_text_channel("general")
    alice = guild.add_member(simcord_env.create_user("alice"))
    return guild, channel, alice


def embed_text(embed: discord.Embed) -> str:
    """Everything a reader sees in an embed, for assertions."""
    parts = [embed.title or "", embed.description or ""]
    parts += [f"{field.name}\n{field.value}" for field in embed.fields]
    parts.append(embed.footer.text or "")
    return "\n".join(parts)


def reply_text(result) -> str:
    """The text the user saw: the response, or the follow-up that replaced a 'thinking' defer."""
    messages = [*([result.response] if result.response else []), *result.followups]
    return "\n".join(message.content for message in messages)
