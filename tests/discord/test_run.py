"""`oversight run` for real: settings, knowledge, cogs and command sync, against a fake Discord
on 127.0.0.1, over real HTTP and a real websocket."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.discord.fake_discord import GOOD_TOKEN, FakeDiscord

OVERSIGHT = str(Path(sys.executable).parent / "oversight")
TIMEOUT = 30


@pytest.fixture
async def fake_discord():
    fake = FakeDiscord()
    await fake.start()
    yield fake
    await fake.stop()


def environment(fake: FakeDiscord, tmp_path: Path, token: str, **extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("OVERSIGHT_")}
    env.update(
        DISCORD_TOKEN=token,
        OVERSIGHT_DISCORD_API_BASE=fake.api_base,
        OVERSIGHT_DISCORD_GATEWAY_URL=fake.gateway_url,
        OVERSIGHT_STATE_PATH=str(tmp_path / "state.json"),
        OVERSIGHT_HASH_SECRET="a-secret-only-for-this-test",
        **extra,
    )
    return env


async def start(fake: FakeDiscord, tmp_path: Path, token: str = GOOD_TOKEN, **extra: str):
    return await asyncio.create_subprocess_exec(
        OVERSIGHT,
        "run",
        env=environment(fake, tmp_path, token, **extra),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_run_starts_syncs_answers_and_stops_on_sigterm(fake_discord, tmp_path):
    process = await start(fake_discord, tmp_path)
    try:
        guild, commands = await asyncio.wait_for(fake_discord.synced.get(), TIMEOUT)
        assert guild is None, "no development guild set: commands sync globally"
        names = {command["name"] for command in commands}
        assert {"ask", "entry", "quote", "topic"} <= names
        identify = await asyncio.wait_for(fake_discord.identified.get(), TIMEOUT)
        assert identify["token"] == GOOD_TOKEN
        assert not identify["intents"] & (1 << 15), "no message-content intent without auto-answer"

        ask = next(command for command in commands if command["name"] == "ask")
        await fake_discord.slash(
            ask["id"],
            "ask",
            [
                {
                    "name": "question",
                    "type": 3,
                    "value": "How many police departments does Ring partner with?",
                }
            ],
        )
        callback = await asyncio.wait_for(fake_discord.callbacks.get(), TIMEOUT)
        assert callback["type"] == 4
        embed = callback["data"]["embeds"][0]
        assert "1,800" in embed["description"]
        assert callback["data"]["allowed_mentions"] == {"parse": []}
        custom_ids = [
            c["custom_id"] for row in callback["data"]["components"] for c in row["components"]
        ]
        assert custom_ids == [
            "ov:fb:h:ring-police-partnerships-count",
            "ov:fb:n:ring-police-partnerships-count",
            "ov:fb:o:ring-police-partnerships-count",
        ]
    finally:
        process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), TIMEOUT)
    stderr = (await process.stderr.read()).decode()
    assert code == 0, stderr
    assert "shutting down" in stderr
    assert GOOD_TOKEN not in stderr, "the token is never logged"


async def test_development_guild_gets_commands_at_once(fake_discord, tmp_path):
    process = await start(fake_discord, tmp_path, OVERSIGHT_GUILD_ID="1234567890")
    try:
        guild, commands = await asyncio.wait_for(fake_discord.synced.get(), TIMEOUT)
        assert guild == "1234567890" and commands
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), TIMEOUT)


async def test_auto_answer_channels_request_the_message_content_intent(fake_discord, tmp_path):
    process = await start(fake_discord, tmp_path, OVERSIGHT_AUTO_ANSWER_CHANNEL_IDS="111,222")
    try:
        identify = await asyncio.wait_for(fake_discord.identified.get(), TIMEOUT)
        assert identify["intents"] & (1 << 15)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), TIMEOUT)


async def test_refused_token_is_one_line_and_exit_2(fake_discord, tmp_path):
    process = await start(fake_discord, tmp_path, token="not-the-right-token")
    code = await asyncio.wait_for(process.wait(), TIMEOUT)
    stderr = (await process.stderr.read()).decode()
    assert code == 2
    assert stderr.strip().splitlines()[-1] == (
        "oversight: Discord refused the token: check DISCORD_TOKEN (Bot -> Reset Token)"
    )
    assert "Traceback" not in stderr and "not-the-right-token" not in stderr


async def test_broken_knowledge_ends_start_up_with_the_errors(
    fake_discord, tmp_path, write_knowledge
):
    root = write_knowledge({"bad.yaml": "- id: only-an-id\n"})
    process = await start(fake_discord, tmp_path, OVERSIGHT_KNOWLEDGE_PATH=str(root))
    code = await asyncio.wait_for(process.wait(), TIMEOUT)
    stderr = (await process.stderr.read()).decode()
    assert code == 2
    assert "bad.yaml:1" in stderr and "Traceback" not in stderr
    assert fake_discord.synced.empty()
