"""Keyed hashes of user ids: enough to count one vote per person, never enough to find them.

A bot about surveillance must not build a record of who asked what. Where de-duplication needs an
identity (one vote per user per entry), the store gets HMAC-SHA256(secret, user id) instead of the
id. Without the secret the hash cannot be reversed by trying every id (Discord ids are guessable),
and rotating the secret severs all old records from the people who made them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from pathlib import Path

log = logging.getLogger(__name__)

SECRET_FILE = "hash_secret"


class UserHasher:
    """Turns a user id into a stable, keyed, non-reversible token."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the hash secret must be at least 16 bytes")
        self._secret = secret

    def __call__(self, user_id: int | str) -> str:
        digest = hmac.new(self._secret, str(user_id).encode(), hashlib.sha256).hexdigest()
        return digest[:32]

    def __repr__(self) -> str:
        return "UserHasher(<secret>)"


def load_hasher(configured: str | None, state_folder: Path) -> UserHasher:
    """The hasher keyed by OVERSIGHT_HASH_SECRET, else by a secret generated once and kept
    (mode 0600) beside the state file, so hashes stay stable across restarts."""
    if configured:
        return UserHasher(configured.encode())
    path = state_folder / SECRET_FILE
    try:
        return UserHasher(bytes.fromhex(path.read_text(encoding="ascii").strip()))
    except FileNotFoundError:
        pass
    except ValueError:
        log.error(
            "%s is not a hex secret; generating a new one (old vote hashes won't match)", path
        )
    state_folder.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write(secret.hex())
    log.info("generated a new user-hash secret in %s", path)
    return UserHasher(secret)
