"""Role checks the bot makes itself, whatever Discord's command permissions say.

`default_permissions` only hides a command from members without a permission, and any server
admin can change that under Integrations. So moderator and maintainer commands also require one
of the configured roles, checked here on every use (ghostty-org/discord-bot does the same).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import discord
from discord import app_commands

T = TypeVar("T")


class MissingRole(app_commands.CheckFailure):
    """The member lacks every role that may use the command; the message says which."""


def has_any_role(user: discord.abc.User, role_ids: Sequence[int]) -> bool:
    roles = getattr(user, "roles", None)
    if roles is None:
        return False
    return any(role.id in role_ids for role in roles)


def require_role(
    interaction: discord.Interaction, role_ids: Sequence[int], who: str, setting: str
) -> None:
    """Raise MissingRole unless the user has one of `role_ids`."""
    if interaction.guild is None:
        raise MissingRole("This command only works in a server.")
    if not role_ids:
        raise MissingRole(
            f"No {who} roles are configured, so nobody can use this yet: ask the bot's operator "
            f"to set {setting}."
        )
    if not has_any_role(interaction.user, role_ids):
        raise MissingRole(f"This command is for {who}s only.")


def moderator_only() -> Callable[[T], T]:
    """A command check: the user needs a role from OVERSIGHT_MODERATOR_ROLE_IDS."""

    def predicate(interaction: discord.Interaction) -> bool:
        settings = interaction.client.settings  # type: ignore[attr-defined]
        require_role(
            interaction, settings.moderator_role_ids, "moderator", "OVERSIGHT_MODERATOR_ROLE_IDS"
        )
        return True

    return app_commands.check(predicate)
