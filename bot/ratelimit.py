"""Sliding-window rate limits: per user, per channel, per anything with a key.

Kept in the core (no Discord types) so that the cogs, the console and tests share one rule. The
clock is injected: the Discord layer passes the event loop's clock, which test harnesses can move.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: float = 0.0
    """Seconds until the next action would be allowed (0 when allowed)."""


class RateLimiter:
    """At most `rate` actions per `per` seconds for each key."""

    def __init__(
        self,
        rate: int,
        per: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 50_000,
    ) -> None:
        if rate < 1 or per <= 0:
            raise ValueError("rate must be at least 1 and per must be positive")
        self.rate = rate
        self.per = per
        self.clock = clock
        self.max_keys = max_keys
        self._hits: dict[Hashable, deque[float]] = {}

    def hit(self, key: Hashable) -> Verdict:
        """Count one action for `key` if allowed; say how long to wait if not."""
        now = self.clock()
        hits = self._hits.get(key)
        if hits is None:
            if len(self._hits) >= self.max_keys:
                self._forget_idle(now)
            hits = self._hits[key] = deque()
        while hits and now - hits[0] >= self.per:
            hits.popleft()
        if len(hits) >= self.rate:
            return Verdict(False, round(self.per - (now - hits[0]), 1))
        hits.append(now)
        return Verdict(True)

    def _forget_idle(self, now: float) -> None:
        """Drop keys with no recent hits, so a flood of one-off users cannot grow memory."""
        idle = [key for key, hits in self._hits.items() if not hits or now - hits[-1] >= self.per]
        for key in idle:
            del self._hits[key]
