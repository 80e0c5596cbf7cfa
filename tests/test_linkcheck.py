"""The source-link checker against a real local web server (127.0.0.1 only, no other network).

The server answers each way a real site can (fine, moved, detoured, gone, broken, flaky, hanging,
refusing HEAD) and records every hit, so the tests can prove what was asked and how often, not just
what the checker concluded.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from bot import __version__
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.linkcheck import (
    LinkCheckOptions,
    LinkResult,
    LinkTarget,
    check_links,
    collect_links,
    results_json,
    summarise,
)

TODAY = dt.date(2026, 11, 26)
FAST = LinkCheckOptions(timeout=0.5, retries=2, backoff=0.001)
ARCHIVE = "https://web.archive.org/web/2021/https://example.org/gone"

KnowledgeWriter = Callable[..., Path]


@dataclass
class Site:
    """What the test server saw: hits per (method, path), user agents, peak parallel requests."""

    base: str
    hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    user_agents: set[str] = field(default_factory=set)
    in_flight: int = 0
    peak: int = 0
    release: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def count(self, path: str, method: str | None = None) -> int:
        return sum(n for (m, p), n in self.hits.items() if p == path and method in (None, m))


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    """A local aiohttp server on a free port that behaves like the web's many failure modes."""
    state = Site(base="")

    @web.middleware
    async def record(request: web.Request, handler):  # type: ignore[no-untyped-def]
        state.hits[request.method, request.path] += 1
        state.user_agents.add(request.headers.get("User-Agent", ""))
        return await handler(request)

    async def ok(request: web.Request) -> web.Response:
        return web.Response(text="fine " * 2000)  # more than the checker's few-KB GET read

    def redirect(status: int, to: str) -> Callable[[web.Request], object]:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(status=status, headers={"Location": to})

        return handler

    def fixed(status: int) -> Callable[[web.Request], object]:
        async def handler(request: web.Request) -> web.Response:
            return web.Response(status=status)

        return handler

    async def flaky(request: web.Request) -> web.Response:
        return web.Response(status=500 if state.count("/flaky") == 1 else 200)

    async def hang(request: web.Request) -> web.Response:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(state.release.wait(), timeout=5)
        return web.Response(text="too late")

    async def nohead(request: web.Request) -> web.Response:
        return web.Response(status=405 if request.method == "HEAD" else 200)

    async def busy(request: web.Request) -> web.Response:
        return web.Response(status=429, headers={"Retry-After": "0"})

    async def slow(request: web.Request) -> web.Response:
        state.in_flight += 1
        state.peak = max(state.peak, state.in_flight)
        try:
            await asyncio.sleep(0.1)
        finally:
            state.in_flight -= 1
        return web.Response(text="slow")

    app = web.Application(middlewares=[record])
    routes = {
        "/ok": ok,
        "/moved": redirect(301, "/ok"),
        "/temp": redirect(302, "/ok"),
        "/chain": redirect(308, "/temp"),
        "/detour-then-moved": redirect(307, "/moved"),
        "/moved-gone": redirect(301, "/gone-too"),
        "/loop": redirect(301, "/loop"),
        "/gone": fixed(404),
        "/gone-too": fixed(404),
        "/removed": fixed(410),
        "/forbidden": fixed(403),
        "/broken": fixed(500),
        "/flaky": flaky,
        "/hang": hang,
        "/nohead": nohead,
        "/busy": busy,
        "/slow/{n}": slow,
    }
    for path, handler in routes.items():
        app.router.add_route("*", path, handler)  # type: ignore[arg-type]
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    port = runner.addresses[0][1]
    state.base = f"http://127.0.0.1:{port}"
    try:
        yield state
    finally:
        state.release.set()
        await runner.cleanup()


def _entries(*entries: tuple[str, list[tuple[str, str | None]]]) -> str:
    """Entry YAML: one fact per (id, [(url, archived_url or None), ...])."""
    lines: list[str] = []
    for entry_id, sources in entries:
        lines += [
            f"- id: {entry_id}",
            "  kind: fact",
            f"  question: What does the source for {entry_id} say?",
            "  answer: Something a source says.",
            "  topics: [local-laws]",
            "  sources:",
        ]
        for url, archived in sources:
            lines += ["    - title: A source", "      publisher: A publisher", f"      url: {url}"]
            if archived:
                lines.append(f"      archived_url: {archived}")
        lines += ["  as_of: 2021-06", "  last_verified: 2026-11-01"]
    return "\n".join(lines) + "\n"


def _knowledge(
    write_knowledge: KnowledgeWriter, *entries: tuple[str, list[tuple[str, str | None]]]
) -> KnowledgeBase:
    root = write_knowledge({"entries.yaml": _entries(*entries)})
    return load_knowledge(root, today=TODAY)


def _by_url(results: list[LinkResult]) -> dict[str, LinkResult]:
    return {result.url: result for result in results}


def _free_port() -> int:
    """A port nothing listens on (bound, then released), for a refused connection."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_collect_links_dedupes_urls_and_keeps_archive_suggestions(
    write_knowledge: KnowledgeWriter,
) -> None:
    knowledge = _knowledge(
        write_knowledge,
        ("alpha", [("https://example.org/a", None), ("https://example.org/gone", ARCHIVE)]),
        ("beta", [("https://example.org/gone", None), ("https://example.org/a", None)]),
        ("gamma", [("https://example.org/c", None), ("https://example.org/c", None)]),
    )
    links = collect_links(knowledge)
    assert list(links) == [
        "https://example.org/a",
        "https://example.org/gone",
        ARCHIVE,
        "https://example.org/c",
    ]
    assert links["https://example.org/a"] == LinkTarget("https://example.org/a", ("alpha", "beta"))
    assert links["https://example.org/gone"].entry_ids == ("alpha", "beta")
    assert links["https://example.org/gone"].archived_url == ARCHIVE
    # The archived copy is checked too, as cited by the entry that gives it.
    assert links[ARCHIVE] == LinkTarget(ARCHIVE, ("alpha",), None)
    assert links["https://example.org/c"].entry_ids == ("gamma",)


async def test_check_links_classifies_every_kind_of_answer(
    site: Site, write_knowledge: KnowledgeWriter
) -> None:
    u = site.url
    knowledge = _knowledge(
        write_knowledge,
        ("fine", [(u("/ok"), None), (u("/temp"), None), (u("/nohead"), None)]),
        ("relocated", [(u("/moved"), None), (u("/chain"), None), (u("/detour-then-moved"), None)]),
        ("rotten", [(u("/gone"), u("/ok")), (u("/removed"), None), (u("/moved-gone"), None)]),
        ("troubled", [(u("/broken"), None), (u("/flaky"), None), (u("/hang"), None)]),
        ("refused", [(u("/forbidden"), None), (u("/busy"), None), (u("/loop"), None)]),
    )
    calls: list[tuple[int, int]] = []
    results = await check_links(
        knowledge, FAST, progress=lambda done, total: calls.append((done, total))
    )
    got = _by_url(results)
    assert len(results) == len(got) == 15

    def check(path: str, status: str, http_status: int | None, detail: str) -> LinkResult:
        result = got[u(path)]
        assert (result.status, result.http_status, result.detail) == (status, http_status, detail)
        return result

    # ok: directly, through a temporary redirect, and through GET when HEAD is refused
    assert check("/ok", "ok", 200, "200 OK").final_url is None
    check("/temp", "ok", 200, f"200 OK via temporary redirect to {u('/ok')}")
    check("/nohead", "ok", 200, "200 OK")
    assert site.hits["HEAD", "/nohead"] == 1
    assert site.hits["GET", "/nohead"] == 1
    # A temporary hop first means the cited address itself has not moved.
    check("/detour-then-moved", "ok", 200, f"200 OK via temporary redirect to {u('/ok')}")

    # moved: permanent redirects; the suggestion is where the permanent hops lead
    assert check("/moved", "moved", 200, f"redirects to {u('/ok')}").final_url == u("/ok")
    assert check("/chain", "moved", 200, f"redirects to {u('/temp')}").final_url == u("/temp")

    # dead: 404 and 410, including behind a redirect; HEAD's 404 is confirmed with a GET
    gone = check("/gone", "dead", 404, "404 Not Found")
    assert (site.hits["HEAD", "/gone"], site.hits["GET", "/gone"]) == (1, 1)
    check("/removed", "dead", 410, "410 Gone")
    check("/moved-gone", "dead", 404, f"404 Not Found at {u('/gone-too')}")

    # error: 5xx after every retry, other 4xx, 429 after retries, redirect loops
    check("/broken", "error", 500, "server error 500 after 3 attempts")
    assert site.count("/broken") == 3  # retries really happened: 1 + 2
    check("/forbidden", "error", 403, "403 Forbidden")
    assert (site.hits["HEAD", "/forbidden"], site.hits["GET", "/forbidden"]) == (1, 1)
    check("/busy", "error", 429, "429 Too Many Requests after 3 attempts")
    assert site.count("/busy") == 3
    check("/loop", "error", 301, f"redirect loop at {u('/loop')}")

    # a passing 500 is retried and then fine
    check("/flaky", "ok", 200, "200 OK")
    assert site.count("/flaky") == 2

    # timeout: every attempt ran out of time
    check("/hang", "timeout", None, "timed out after 0.5s (3 attempts)")
    assert site.count("/hang") == 3

    # entries and archive suggestions come through; the archived copy is checked as well
    assert gone.entry_ids == ("rotten",)
    assert gone.archived_url == u("/ok")
    assert got[u("/ok")].entry_ids == ("fine", "rotten")
    assert got[u("/ok")].archived_url is None

    # worst first, then by url
    order = ["dead", "timeout", "error", "moved", "ok"]
    assert [r.status for r in results] == sorted((r.status for r in results), key=order.index)
    for status in order:
        urls = [r.url for r in results if r.status == status]
        assert urls == sorted(urls)

    # polite and identifiable, and progress after each URL
    assert site.user_agents == {FAST.user_agent}
    assert FAST.user_agent.startswith(f"OversightLinkCheck/{__version__} (")
    assert calls == [(done, 15) for done in range(1, 16)]


async def test_requests_to_one_host_stay_within_per_host(
    site: Site, write_knowledge: KnowledgeWriter
) -> None:
    knowledge = _knowledge(
        write_knowledge, *((f"slow-{n}", [(site.url(f"/slow/{n}"), None)]) for n in range(8))
    )
    results = await check_links(knowledge, LinkCheckOptions(concurrency=8, per_host=2))
    assert {r.status for r in results} == {"ok"}
    assert site.peak == 2  # bounded, yet really in parallel


async def test_requests_overall_stay_within_concurrency(
    site: Site, write_knowledge: KnowledgeWriter
) -> None:
    knowledge = _knowledge(
        write_knowledge, *((f"slow-{n}", [(site.url(f"/slow/{n}"), None)]) for n in range(4))
    )
    results = await check_links(knowledge, LinkCheckOptions(concurrency=1, per_host=4))
    assert {r.status for r in results} == {"ok"}
    assert site.peak == 1


async def test_unreachable_and_malformed_urls_become_results(
    write_knowledge: KnowledgeWriter,
) -> None:
    refused = f"http://127.0.0.1:{_free_port()}/nothing-here"
    bad_port = "http://127.0.0.1:99999/x"
    bad_host = "http://[bad/x"
    knowledge = _knowledge(
        write_knowledge,
        ("unreachable", [(refused, None)]),
        ("malformed", [(bad_port, None), (bad_host, None)]),
    )
    options = LinkCheckOptions(timeout=0.5, retries=1, backoff=0.001)
    got = _by_url(await check_links(knowledge, options))

    assert got[refused].status == "error"
    assert got[refused].http_status is None
    assert got[refused].detail.startswith("cannot connect: ")
    assert got[refused].detail.endswith("(2 attempts)")
    assert len(got[refused].detail) < 80
    for url in (bad_port, bad_host):
        assert got[url].status == "error"
        assert got[url].detail.startswith("not a valid URL: ")
        assert got[url].entry_ids == ("malformed",)


async def test_an_empty_knowledge_base_checks_nothing(write_knowledge: KnowledgeWriter) -> None:
    root = write_knowledge({})
    calls: list[tuple[int, int]] = []
    results = await check_links(load_knowledge(root, today=TODAY), FAST, calls.append)  # type: ignore[arg-type]
    assert results == []
    assert calls == []
    assert summarise(results) == "0 links: 0 ok"


def _result(url: str, status: str, detail: str, **fields: object) -> LinkResult:
    values: dict[str, object] = {
        "http_status": None,
        "final_url": None,
        "entry_ids": ("some-entry",),
        "archived_url": None,
    }
    values.update(fields)
    return LinkResult(url=url, status=status, detail=detail, **values)  # type: ignore[arg-type]


def test_summarise_lists_what_to_fix_then_counts() -> None:
    results = [
        _result("https://a.example/ok", "ok", "200 OK", http_status=200),
        _result(
            "https://a.example/new",
            "moved",
            "redirects to https://a.example/newer",
            http_status=200,
            final_url="https://a.example/newer",
        ),
        _result(
            "https://a.example/gone",
            "dead",
            "404 Not Found",
            http_status=404,
            entry_ids=("ring-partnerships", "sf-ban"),
            archived_url=ARCHIVE,
        ),
        _result("https://b.example/x", "timeout", "timed out after 10s (3 attempts)"),
    ]
    assert summarise(results) == (
        "DEAD https://a.example/gone\n"
        "  cited by: ring-partnerships, sf-ban\n"
        "  404 Not Found\n"
        f"  suggest archived_url: {ARCHIVE}\n"
        "\n"
        "TIMEOUT https://b.example/x\n"
        "  cited by: some-entry\n"
        "  timed out after 10s (3 attempts)\n"
        "\n"
        "MOVED https://a.example/new\n"
        "  cited by: some-entry\n"
        "  redirects to https://a.example/newer\n"
        "\n"
        "4 links: 1 ok, 1 moved, 1 dead, 1 timeout"
    )
    assert summarise(results[:1]) == "1 link: 1 ok"


async def test_results_json_is_serialisable_and_complete(
    site: Site, write_knowledge: KnowledgeWriter
) -> None:
    archive = site.url("/ok")  # archived copies are checked too, so keep them local
    knowledge = _knowledge(write_knowledge, ("rotten", [(site.url("/gone"), archive)]))
    results = await check_links(knowledge, FAST)
    rows = json.loads(json.dumps(results_json(results)))
    assert rows[0] == {
        "url": site.url("/gone"),
        "status": "dead",
        "http_status": 404,
        "final_url": None,
        "detail": "404 Not Found",
        "entry_ids": ["rotten"],
        "archived_url": archive,
    }
    assert rows[1] == {
        "url": archive,
        "status": "ok",
        "http_status": 200,
        "final_url": None,
        "detail": "200 OK",
        "entry_ids": ["rotten"],
        "archived_url": None,
    }
    assert f"suggest archived_url: {archive}" in summarise(results)
    assert summarise(results).endswith("2 links: 1 ok, 1 dead")


@pytest.mark.parametrize(
    "bad",
    [
        {"concurrency": 0},
        {"per_host": 0},
        {"timeout": 0},
        {"retries": -1},
        {"backoff": -0.1},
    ],
)
def test_options_reject_nonsense(bad: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        LinkCheckOptions(**bad)  # type: ignore[arg-type]


def test_core_module_does_not_import_discord() -> None:
    code = "import sys, bot.linkcheck; sys.exit('discord' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
