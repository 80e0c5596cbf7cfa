"""Check that the knowledge base's source links still work.

Every answer the bot gives rests on its sources, and a source a reader cannot open is a claim they
cannot check. Links rot quietly, so maintainers need a tool that visits every cited address and says
which are dead, which have moved (so the citation can be updated) and which have an archived copy
to fall back on. This module is that tool's core: it knows nothing of Discord or of the command
line, which call `check_links`, `summarise` and `results_json`.

It is deliberately polite, because it runs against news sites and public bodies we depend on: it
names itself in the User-Agent, tries a cheap HEAD before a GET, reads at most a few KB of a body,
sends at most `per_host` requests at once to one host and backs off before retrying.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import http
import os
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import aiohttp
from yarl import URL

from bot import __version__
from bot.knowledge.loader import KnowledgeBase

Status = Literal["ok", "moved", "dead", "error", "timeout"]

STATUS_ORDER: tuple[Status, ...] = ("dead", "timeout", "error", "moved", "ok")
"""Report order: the links a maintainer must act on first come first."""

PERMANENT_REDIRECTS = frozenset({301, 308})
TEMPORARY_REDIRECTS = frozenset({302, 303, 307})
DEAD_STATUSES = frozenset({404, 410})
MAX_REDIRECTS = 10
GET_READ_BYTES = 4096
"""A GET only needs the status line; reading a little body proves the server really answers."""
MAX_RETRY_AFTER = 30.0
"""Cap on a server's Retry-After, so one unfriendly host cannot stall the whole run."""

DEFAULT_USER_AGENT = (
    f"OversightLinkCheck/{__version__} (knowledge-base source checker; see the project README)"
)


@dataclass(frozen=True)
class LinkResult:
    """What happened when one cited URL was checked, and which entries it affects."""

    url: str
    status: Status
    http_status: int | None
    """The final HTTP status, if the server answered at all."""
    final_url: str | None
    """When `moved`: the address the permanent redirects lead to, i.e. the one to cite instead."""
    detail: str
    """One short human sentence: "404 Not Found", "timed out after 10s", "redirects to ..."."""
    entry_ids: tuple[str, ...]
    """Entries citing this URL, as a source `url` or as an `archived_url`."""
    archived_url: str | None
    """An `archived_url` a citing source gives for this URL, to suggest as a replacement."""


@dataclass(frozen=True)
class LinkCheckOptions:
    """How hard to push: the defaults are gentle enough for a scheduled run against real sites."""

    concurrency: int = 8
    """Requests in flight at once, across all hosts."""
    per_host: int = 2
    """Requests in flight at once to one host name (whatever the port)."""
    timeout: float = 10.0
    """Total seconds one attempt may take, from connecting to reading the answer."""
    retries: int = 2
    """Extra attempts after a timeout, a connection error, a 5xx or a 429."""
    backoff: float = 0.5
    """Delay before the first retry; it doubles for each further one (0.5s, 1s, 2s, ...)."""
    user_agent: str = DEFAULT_USER_AGENT

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.per_host < 1:
            raise ValueError("per_host must be at least 1")
        if self.timeout <= 0:
            raise ValueError("timeout must be more than 0 seconds")
        if self.retries < 0:
            raise ValueError("retries cannot be negative")
        if self.backoff < 0:
            raise ValueError("backoff cannot be negative")


@dataclass(frozen=True)
class LinkTarget:
    """One distinct URL to check, with the entries that cite it."""

    url: str
    entry_ids: tuple[str, ...]
    archived_url: str | None = None


def collect_links(knowledge: KnowledgeBase) -> dict[str, LinkTarget]:
    """Every distinct URL the knowledge base cites, in first-cited order.

    Archived copies are checked too, because an `archived_url` is only a safety net while it still
    opens. A URL cited by several entries is checked once and reported against all of them; when any
    source citing it gives an `archived_url`, that is kept as the suggested replacement.
    """
    citing: dict[str, list[str]] = {}
    archives: dict[str, str] = {}
    for entry in knowledge.entries.values():
        for source in entry.sources:
            for url in (source.url, source.archived_url):
                if url is None:
                    continue
                ids = citing.setdefault(url, [])
                if entry.id not in ids:
                    ids.append(entry.id)
            if source.url and source.archived_url and source.archived_url != source.url:
                archives.setdefault(source.url, source.archived_url)
    return {url: LinkTarget(url, tuple(ids), archives.get(url)) for url, ids in citing.items()}


async def check_links(
    knowledge: KnowledgeBase,
    options: LinkCheckOptions = LinkCheckOptions(),  # frozen, so safe to share as a default
    progress: Callable[[int, int], None] | None = None,
) -> list[LinkResult]:
    """Check every URL the knowledge base cites; one result per URL, worst first.

    Never raises for a bad link: unreachable, malformed or misbehaving URLs each become a result, so
    one broken source cannot hide the rest. `progress(done, total)` is called after each URL
    finishes, so a front end can show how far along a long run is.
    """
    targets = list(collect_links(knowledge).values())
    total = len(targets)
    done = 0
    connector = aiohttp.TCPConnector(limit=options.concurrency, limit_per_host=options.per_host)
    async with aiohttp.ClientSession(
        connector=connector,
        headers={"User-Agent": options.user_agent},
        timeout=aiohttp.ClientTimeout(total=options.timeout),
    ) as session:
        checker = _LinkChecker(session, options)

        async def check_one(target: LinkTarget) -> LinkResult:
            nonlocal done
            result = await checker.check(target)
            done += 1
            if progress is not None:
                progress(done, total)
            return result

        results = await asyncio.gather(*(check_one(target) for target in targets))
    return sorted(results, key=_sort_key)


def summarise(results: list[LinkResult]) -> str:
    """A plain-text report for maintainers: what to fix, where it is cited, then the counts."""
    blocks: list[str] = []
    for result in sorted(results, key=_sort_key):
        if result.status == "ok":
            continue
        lines = [f"{result.status.upper()} {result.url}"]
        lines.append(f"  cited by: {', '.join(result.entry_ids) or '(no entry)'}")
        lines.append(f"  {result.detail}")
        if result.archived_url:
            lines.append(f"  suggest archived_url: {result.archived_url}")
        blocks.append("\n".join(lines))
    blocks.append(_count_line(results))
    return "\n\n".join(blocks)


def results_json(results: list[LinkResult]) -> list[dict[str, Any]]:
    """The results as plain dicts and lists, ready for `json.dumps` (the CLI's `--json`)."""
    rows = []
    for result in results:
        row = dataclasses.asdict(result)
        row["entry_ids"] = list(result.entry_ids)
        rows.append(row)
    return rows


def _sort_key(result: LinkResult) -> tuple[int, str]:
    return STATUS_ORDER.index(result.status), result.url


def _count_line(results: list[LinkResult]) -> str:
    counts = {status: 0 for status in STATUS_ORDER}
    for result in results:
        counts[result.status] += 1
    noun = "link" if len(results) == 1 else "links"
    parts = [f"{counts['ok']} ok"]
    parts += [f"{counts[s]} {s}" for s in ("moved", "dead", "timeout", "error") if counts[s]]
    return f"{len(results)} {noun}: {', '.join(parts)}"


def _phrase(code: int, reason: str | None = None) -> str:
    """'404 Not Found': the standard wording, else whatever the server said."""
    try:
        text = http.HTTPStatus(code).phrase
    except ValueError:
        text = reason or ""
    return f"{code} {text}".strip()


@dataclass(frozen=True)
class _Reply:
    """The parts of one HTTP answer the checker needs."""

    status: int
    reason: str | None
    location: str | None
    retry_after: float | None = None
    attempts: int = 1


class _Failure(Exception):
    """A check that ended without a usable HTTP answer (or with one that settles it)."""

    def __init__(self, status: Status, detail: str, http_status: int | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.http_status = http_status


@dataclass
class _LinkChecker:
    """One run's shared state: the session and the global and per-host request slots."""

    session: aiohttp.ClientSession
    options: LinkCheckOptions
    slots: asyncio.Semaphore = field(init=False)
    host_slots: dict[str, asyncio.Semaphore] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.slots = asyncio.Semaphore(self.options.concurrency)

    async def check(self, target: LinkTarget) -> LinkResult:
        """Follow the URL's redirects hop by hop and classify where it ends."""

        def result(
            status: Status, detail: str, http_status: int | None, final_url: str | None = None
        ) -> LinkResult:
            return LinkResult(
                url=target.url,
                status=status,
                http_status=http_status,
                final_url=final_url,
                detail=detail,
                entry_ids=target.entry_ids,
                archived_url=target.archived_url,
            )

        try:
            reply, current, moved_to = await self._follow(target.url)
        except _Failure as failure:
            return result(failure.status, failure.detail, failure.http_status)
        except Exception as error:  # the contract: one odd URL never stops the run
            return result("error", f"unexpected {type(error).__name__}: {error}", None)

        code = reply.status
        where = f" at {current}" if current != target.url else ""
        if 200 <= code < 300:
            if moved_to is not None:
                return result("moved", f"redirects to {moved_to}", code, moved_to)
            if where:
                detail = f"{_phrase(code, reply.reason)} via temporary redirect to {current}"
                return result("ok", detail, code)
            return result("ok", _phrase(code, reply.reason), code)
        if code in DEAD_STATUSES:
            return result("dead", _phrase(code, reply.reason) + where, code)
        if code >= 500 or code == 429:
            label = f"server error {code}" if code >= 500 else _phrase(code, reply.reason)
            tries = "attempt" if reply.attempts == 1 else "attempts"
            return result("error", f"{label} after {reply.attempts} {tries}{where}", code)
        if 400 <= code < 500:
            return result("error", _phrase(code, reply.reason) + where, code)
        return result("error", f"unexpected {_phrase(code, reply.reason)}{where}", code)

    async def _follow(self, url: str) -> tuple[_Reply, str, str | None]:
        """Follow redirects by hand, since only the hops tell a permanent move from a detour.

        Returns the final reply, the URL it came from, and where the chain's leading permanent
        redirects point (None if the first hop was not permanent). That address, not necessarily
        the chain's end, is the one to cite instead: a 301 to a new article followed by a 302 to a
        consent page should suggest the article.
        """
        current = url
        seen = {url}
        moved_to: str | None = None
        leading_permanent = True
        for _ in range(MAX_REDIRECTS + 1):
            try:
                reply = await self._fetch(current)
            except _Failure as failure:
                if current != url:  # say which hop failed, not just that the URL did
                    failure.detail += f" at {current}"
                raise
            if reply.status not in PERMANENT_REDIRECTS | TEMPORARY_REDIRECTS:
                return reply, current, moved_to
            if not reply.location:
                raise _Failure(
                    "error",
                    f"{_phrase(reply.status, reply.reason)} without a Location header",
                    reply.status,
                )
            target = URL(current).join(URL(reply.location))
            if target.scheme not in {"http", "https"}:
                raise _Failure("error", f"redirects to a non-web address: {target}", reply.status)
            following = str(target)
            if reply.status in PERMANENT_REDIRECTS and leading_permanent:
                moved_to = following
            else:
                leading_permanent = False
            if following in seen:
                raise _Failure("error", f"redirect loop at {following}", reply.status)
            seen.add(following)
            current = following
        raise _Failure("error", f"too many redirects (more than {MAX_REDIRECTS})", None)

    async def _fetch(self, url: str) -> _Reply:
        """HEAD first, as it is cheapest for the server; GET when HEAD looks unsupported.

        Many servers answer HEAD with 405, 501 or a blanket 403, and some with a wrong 404, while
        GET works; so any 4xx but 429 (and a 501) to HEAD is checked again with GET before it is
        believed.
        """
        reply = await self._with_retries("HEAD", url)
        if (400 <= reply.status < 500 and reply.status != 429) or reply.status == 501:
            reply = await self._with_retries("GET", url)
        return reply

    async def _with_retries(self, method: str, url: str) -> _Reply:
        """One request with retries for the failures that are often temporary."""
        attempts = self.options.retries + 1
        last: _Reply | _Failure | None = None
        for attempt in range(1, attempts + 1):
            delay = self.options.backoff * 2 ** (attempt - 1)
            try:
                reply = await self._request(method, url)
            except TimeoutError:
                last = _Failure("timeout", self._timeout_detail(attempt))
            except aiohttp.ClientSSLError as error:
                raise _Failure("error", f"TLS error: {_short(error)}") from None
            except ValueError as error:  # aiohttp.InvalidURL, or yarl: bad port, bad IPv6, ...
                raise _Failure("error", f"not a valid URL: {_short(error)}") from None
            except (aiohttp.ClientError, OSError) as error:
                last = _Failure("error", f"{_connection_reason(error)}{_after(attempt)}")
            else:
                if not _retryable(reply.status):
                    return dataclasses.replace(reply, attempts=attempt)
                last = dataclasses.replace(reply, attempts=attempt)
                if reply.retry_after is not None:
                    delay = max(delay, min(reply.retry_after, MAX_RETRY_AFTER))
            if attempt < attempts:
                await asyncio.sleep(delay)
        if isinstance(last, _Failure):
            raise last
        assert last is not None  # the loop ran at least once
        return last

    async def _request(self, method: str, url: str) -> _Reply:
        """One attempt, holding a per-host slot and a global slot for its whole duration.

        The slots are taken before aiohttp sees the request, so time spent queueing for a busy host
        never counts against the attempt's timeout.
        """
        host = URL(url).host or ""
        async with (
            self._host_slot(host),
            self.slots,
            self.session.request(method, url, allow_redirects=False) as response,
        ):
            if method == "GET":
                await response.content.read(GET_READ_BYTES)
                response.close()  # the rest of the body is not wanted; drop the connection
            return _Reply(
                status=response.status,
                reason=response.reason,
                location=response.headers.get("Location"),
                retry_after=_retry_after(response.headers.get("Retry-After")),
            )

    @contextlib.asynccontextmanager
    async def _host_slot(self, host: str) -> AsyncIterator[None]:
        semaphore = self.host_slots.get(host)
        if semaphore is None:
            semaphore = self.host_slots[host] = asyncio.Semaphore(self.options.per_host)
        async with semaphore:
            yield

    def _timeout_detail(self, attempts: int) -> str:
        return f"timed out after {self.options.timeout:g}s{_after(attempts)}"


def _retryable(status: int) -> bool:
    """429 and 5xx are often passing; 501 Not Implemented is a settled answer."""
    return status == 429 or (status >= 500 and status != 501)


def _after(attempts: int) -> str:
    return f" ({attempts} attempts)" if attempts > 1 else ""


def _retry_after(value: str | None) -> float | None:
    """Retry-After in seconds, when given as a number (HTTP dates are rare; ignore them)."""
    if value is None:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if seconds >= 0 else None


def _connection_reason(error: BaseException) -> str:
    """A few words on why a connection failed, without aiohttp's long internal wording."""
    if isinstance(error, aiohttp.ClientConnectorError):
        cause = error.os_error
        if isinstance(cause, socket.gaierror):
            return "host not found"
        reason = os.strerror(cause.errno) if cause.errno else _short(cause)
        return f"cannot connect: {reason[:1].lower()}{reason[1:]}"
    if isinstance(error, aiohttp.ServerDisconnectedError):
        return "server closed the connection"
    return f"connection failed: {_short(error)}"


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."
