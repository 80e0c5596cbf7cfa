"""A fake Discord on 127.0.0.1: just enough REST and gateway for `oversight run` to start,
sync its commands, receive an interaction over the websocket and answer it over HTTP."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = "1300000000000000001"
BOT_USER = {
    "id": APP_ID,
    "username": "Oversight",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
    "bot": True,
}
ASKER = {
    "id": "1300000000000000042",
    "username": "alice",
    "discriminator": "0",
    "global_name": None,
    "avatar": None,
}
GOOD_TOKEN = "fake-token-for-tests"


def _json(data: Any, status: int = 200) -> web.Response:
    """discord.py parses a body as JSON only when Content-Type is exactly application/json."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


@dataclass
class FakeDiscord:
    """Records what the bot did; `send_event` pushes gateway dispatches to the connected bot."""

    host: str = "127.0.0.1"
    port: int = 0
    synced: asyncio.Queue = field(default_factory=asyncio.Queue)
    identified: asyncio.Queue = field(default_factory=asyncio.Queue)
    callbacks: asyncio.Queue = field(default_factory=asyncio.Queue)
    auth_headers: list[str] = field(default_factory=list)
    _socket: web.WebSocketResponse | None = None
    _sequence: int = 0

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/api/v10/users/@me", self.users_me)
        app.router.add_get("/api/v10/oauth2/applications/@me", self.application)
        app.router.add_get("/api/v10/gateway/bot", self.gateway_bot)
        app.router.add_put("/api/v10/applications/{app}/commands", self.sync_commands)
        app.router.add_put(
            "/api/v10/applications/{app}/guilds/{guild}/commands", self.sync_commands
        )
        app.router.add_post(
            "/api/v10/interactions/{id}/{token}/callback", self.interaction_callback
        )
        app.router.add_get("/gateway", self.gateway)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://{self.host}:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        self.auth_headers.append(header)
        return header == f"Bot {GOOD_TOKEN}"

    async def users_me(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        return _json(BOT_USER)

    async def application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": APP_ID,
                "name": "Oversight",
                "icon": None,
                "description": "",
                "bot_public": True,
                "bot_require_code_grant": False,
                "owner": ASKER,
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def gateway_bot(self, request: web.Request) -> web.Response:
        return _json(
            {
                "url": f"ws://{self.host}:{self.port}/gateway",
                "shards": 1,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": 1000,
                    "reset_after": 0,
                    "max_concurrency": 1,
                },
            }
        )

    async def sync_commands(self, request: web.Request) -> web.Response:
        commands = await request.json()
        for number, command in enumerate(commands, start=1):
            command.update(id=str(1400000000000000000 + number), application_id=APP_ID, version="1")
            command.setdefault("default_member_permissions", None)
            command.setdefault("dm_permission", True)
            command.setdefault("nsfw", False)
        await self.synced.put((request.match_info.get("guild"), commands))
        return _json(commands)

    async def interaction_callback(self, request: web.Request) -> web.Response:
        await self.callbacks.put(await request.json())
        return _json(
            {
                "interaction": {
                    "id": request.match_info["id"],
                    "type": 2,
                    "response_message_id": None,
                }
            }
        )

    async def gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for message in socket:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            if payload["op"] == 2:
                await self.identified.put(payload["d"])
                await self.send_event(
                    "READY",
                    {
                        "v": 10,
                        "user": BOT_USER,
                        "guilds": [],
                        "session_id": "fake-session",
                        "resume_gateway_url": f"ws://{self.host}:{self.port}/gateway",
                        "application": {"id": APP_ID, "flags": 0},
                    },
                )
            elif payload["op"] == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
        return socket

    async def send_event(self, name: str, data: dict[str, Any]) -> None:
        assert self._socket is not None
        self._sequence += 1
        await self._socket.send_json({"op": 0, "t": name, "s": self._sequence, "d": data})

    async def slash(self, command_id: str, name: str, options: list[dict[str, Any]]) -> None:
        """Deliver a slash-command interaction, as Discord does when someone runs one in a DM."""
        await self.send_event(
            "INTERACTION_CREATE",
            {
                "id": "1500000000000000001",
                "application_id": APP_ID,
                "type": 2,
                "token": "interaction-token",
                "version": 1,
                "channel_id": "1500000000000000002",
                "channel": {"id": "1500000000000000002", "type": 1, "recipients": [ASKER]},
                "user": ASKER,
                "locale": "en-US",
                "app_permissions": "0",
                "attachment_size_limit": 10485760,
                "entitlements": [],
                "authorizing_integration_owners": {"1": ASKER["id"]},
                "context": 1,
                "data": {"id": command_id, "name": name, "type": 1, "options": options},
            },
        )
