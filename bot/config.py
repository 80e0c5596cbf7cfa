"""Settings from the environment and an optional TOML config file.

Every setting is an `OVERSIGHT_*` environment variable (the bot token is `DISCORD_TOKEN`, as
deployments expect). `OVERSIGHT_CONFIG` may name a TOML file with the same settings as lower-case
keys without the prefix (`updates_channel_id = 123`); the environment wins over the file.
Secrets are `SecretStr`, so they never appear in logs, reprs or error messages.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

import bot

IdList = Annotated[tuple[int, ...], NoDecode]


def bundled_knowledge_path() -> Path:
    """The knowledge folder shipped with the code (a source checkout or the container image)."""
    beside_package = Path(bot.__file__).resolve().parent.parent / "knowledge"
    if beside_package.is_dir():
        return beside_package
    return Path.cwd() / "knowledge"


class _ConfigFile(TomlConfigSettingsSource):
    """The TOML config file, minus any token: a secret belongs in the environment only."""

    def __call__(self) -> dict[str, Any]:
        values = super().__call__()
        values.pop("discord_token", None)
        values.pop("DISCORD_TOKEN", None)
        return values


class Settings(BaseSettings):
    """All settings, with defaults. See the README's settings table."""

    model_config = SettingsConfigDict(env_prefix="OVERSIGHT_", extra="ignore", frozen=True)

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    knowledge_path: Path = Field(default_factory=bundled_knowledge_path)
    state_path: Path = Path("data/state.json")
    guild_id: int | None = None
    updates_channel_id: int | None = None
    maintainers_channel_id: int | None = None
    auto_answer_channel_ids: IdList = ()
    moderator_role_ids: IdList = ()
    maintainer_role_ids: IdList = ()
    update_role_id: int | None = None
    hash_secret: SecretStr | None = None

    ask_cooldown_rate: int = Field(default=5, ge=1)
    """Answers a user may get per `ask_cooldown_seconds` (slash command and mentions together)."""
    ask_cooldown_seconds: float = Field(default=30.0, gt=0)
    channel_rate: int = Field(default=20, ge=1)
    """Answers one channel may get per `channel_rate_seconds`, across all users."""
    channel_rate_seconds: float = Field(default=60.0, gt=0)
    feedback_rate: int = Field(default=10, ge=1)
    """Feedback clicks a user may make per `feedback_rate_seconds`."""
    feedback_rate_seconds: float = Field(default=60.0, gt=0)
    report_threshold: int = Field(default=3, ge=1)
    """'Outdated' reports since last_verified that make an entry stale."""
    digest_interval_hours: float = Field(default=168.0, gt=0)
    """How often the stale-entry digest is considered for the maintainers channel (weekly)."""
    log_unanswered: bool = False
    """Keep declined questions (without author) so maintainers see what to add."""
    unanswered_retention_days: int = Field(default=30, ge=1)
    watch_knowledge: bool = False
    """Reload the knowledge base by itself when its files change."""
    cache_path: Path | None = None
    """Folder for the parsed-and-indexed knowledge cache; default: `cache` beside the state file."""
    knowledge_cache: bool = True
    """Keep that cache (start-up from it is many times faster on large knowledge bases)."""
    log_level: str = "INFO"
    discord_api_base: str | None = Field(default=None, pattern=r"^https?://\S+$")
    """Base URL of Discord's REST API, for a rate-limit proxy (nirn-proxy) or a test server;
    default https://discord.com/api/v10."""
    discord_gateway_url: str | None = Field(default=None, pattern=r"^wss?://\S+$")
    """Discord gateway websocket, for a gateway proxy or a test server; default
    wss://gateway.discord.gg/."""

    @field_validator(
        "auto_answer_channel_ids", "moderator_role_ids", "maintainer_role_ids", mode="before"
    )
    @classmethod
    def _split_ids(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part.strip() for part in value.replace(";", ",").split(",")]
            return tuple(part for part in parts if part)
        if isinstance(value, int):
            return (value,)
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_path = os.environ.get("OVERSIGHT_CONFIG")
        if config_path:
            sources.append(_ConfigFile(settings_cls, toml_file=Path(config_path)))
        return tuple(sources)

    @property
    def cache_folder(self) -> Path | None:
        if not self.knowledge_cache:
            return None
        return self.cache_path or self.state_path.parent / "cache"

    @property
    def has_token(self) -> bool:
        return self.discord_token is not None and bool(self.discord_token.get_secret_value())


class SettingsError(Exception):
    """Settings could not be read; the message says which and how to fix it."""


def load_settings(**overrides: Any) -> Settings:
    """Settings from explicit overrides, then the environment, then OVERSIGHT_CONFIG's file."""
    config_path = os.environ.get("OVERSIGHT_CONFIG")
    if config_path:
        try:
            tomllib.loads(Path(config_path).read_text(encoding="utf-8"))
        except OSError as error:
            raise SettingsError(
                f"cannot read OVERSIGHT_CONFIG {config_path}: {error.strerror}"
            ) from None
        except tomllib.TOMLDecodeError as error:
            raise SettingsError(
                f"OVERSIGHT_CONFIG {config_path} is not valid TOML: {error}"
            ) from None
    try:
        return Settings(**overrides)
    except ValidationError as error:
        problems = "; ".join(
            f"{_variable(e['loc'])}: {e['msg']}" for e in error.errors(include_url=False)
        )
        raise SettingsError(f"invalid settings: {problems}") from None


def _variable(location: tuple[Any, ...]) -> str:
    name = str(location[0]) if location else "settings"
    return "DISCORD_TOKEN" if name == "DISCORD_TOKEN" else f"OVERSIGHT_{name.upper()}"
