"""`oversight kb stale | verify | check-links`."""

from __future__ import annotations

import datetime as dt
import difflib
import json

import pytest
from aiohttp import web

from bot.cli import main
from bot.state import open_store
from tests.conftest import FACT


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def state_env(tmp_path, monkeypatch):
    path = tmp_path / "state" / "state.json"
    monkeypatch.setenv("OVERSIGHT_STATE_PATH", str(path))
    return path


def test_stale_json_contract_years_ahead_and_today(capsys, state_env):
    code, out, _ = run(capsys, "kb", "stale", "--json", "--today", "2031-01-01")
    items = json.loads(out)
    assert code == 0
    assert len(items) == 71
    assert all(
        set(item) == {"id", "question", "reasons", "overdue_days", "asked"} for item in items
    )
    assert all(item["reasons"] for item in items)
    code, out, _ = run(capsys, "kb", "stale", "--json", "--today", "2026-11-26")
    assert json.loads(out) == []


def test_stale_text_topic_filter_and_fail_on_stale(capsys, state_env):
    code, out, _ = run(capsys, "kb", "stale", "--today", "2027-03-01", "--topic", "ring-and-police")
    assert code == 0
    assert "ring-police-partnerships-count (ring-and-police.yaml:" in out
    assert "review every 60 days" in out
    assert "ccops" not in out and "illinois-bipa" not in out, "other topics are left out"
    code, _, _ = run(capsys, "kb", "stale", "--today", "2027-03-01", "--fail-on-stale")
    assert code == 1
    code, _, _ = run(capsys, "kb", "stale", "--today", "2026-11-26", "--fail-on-stale")
    assert code == 0
    code, _, err = run(capsys, "kb", "stale", "--topic", "nope")
    assert code == 2 and "ring-and-police" in err


def test_stale_uses_ask_counts_and_unanswered_from_the_state(capsys, state_env):
    store = open_store(state_env)
    store.count_asked("ccops", 7)
    store.log_unanswered("Did Detroit ban face recognition?", at=dt.datetime.now(dt.UTC))
    store.log_unanswered("did detroit ban face recognition?", at=dt.datetime.now(dt.UTC))
    code, out, _ = run(capsys, "kb", "stale", "--json", "--today", "2031-01-01", "--unanswered")
    assert code == 0
    report = json.loads(out)
    assert report["stale"][0]["id"] == "ccops" and report["stale"][0]["asked"] == 7
    assert report["unanswered"] == [{"question": "Did Detroit ban face recognition?", "count": 2}]


def test_bad_today_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["kb", "stale", "--today", "soon"])
    assert exit_info.value.code == 2
    assert "'soon' is not a date" in capsys.readouterr().err


def test_verify_changes_only_the_last_verified_lines(capsys, knowledge_copy):
    path = knowledge_copy / "ring-and-police.yaml"
    before = path.read_text()
    code, out, _ = run(
        capsys,
        "--knowledge",
        str(knowledge_copy),
        "kb",
        "verify",
        "ring-police-partnerships-count",
        "what-is-ring",
        "--date",
        "2026-11-20",
    )
    assert code == 0, out
    after = path.read_text()
    changed = [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    assert sorted(changed) == sorted(
        ['-  last_verified: "2026-11-26"', '+  last_verified: "2026-11-20"'] * 2
    )
    assert "ring-police-partnerships-count: last_verified 2026-11-26 -> 2026-11-20" in out
    code, out, _ = run(capsys, "--knowledge", str(knowledge_copy), "kb", "validate")
    assert code == 0


def test_verify_keeps_comments_and_unquoted_dates(capsys, write_knowledge):
    root = write_knowledge({"a.yaml": "# a comment that must stay\n" + FACT})
    before = (root / "a.yaml").read_text()
    code, _, _ = run(
        capsys, "--knowledge", str(root), "kb", "verify", "sf-ban", "--date", "2026-11-25"
    )
    after = (root / "a.yaml").read_text()
    assert code == 0
    assert after == before.replace(
        "as_of: 2019-05-14\n  last_verified: 2026-11-01",
        "as_of: 2019-05-14\n  last_verified: 2026-11-25",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no-such-entry"], "no entry has the id no-such-entry"),
        (["sf-ban", "--date", "2099-01-01"], "is in the future"),
        (["sf-ban", "--date", "2019-01-01"], "before sf-ban's as_of 2019-05-14"),
    ],
)
def test_verify_refuses_and_changes_nothing(capsys, write_knowledge, args, message):
    root = write_knowledge({"a.yaml": FACT})
    before = (root / "a.yaml").read_text()
    code, _, err = run(capsys, "--knowledge", str(root), "kb", "verify", *args)
    assert code == 2
    assert message in err and "nothing was changed" in err
    assert (root / "a.yaml").read_text() == before


@pytest.fixture
async def link_server():
    async def ok(request):
        return web.Response(text="fine")

    async def gone(request):
        return web.Response(status=404)

    app = web.Application()
    app.router.add_route("*", "/ok", ok)
    app.router.add_route("*", "/gone", gone)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    yield f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"
    await runner.cleanup()


async def test_check_links_reports_dead_links_with_their_entries(
    capsys, write_knowledge, link_server
):
    import asyncio

    fact = FACT.replace(
        "url: https://www.foxbusiness.com/politics/20-civil-rights-groups-amazon-surveillance-police",
        f"url: {link_server}/gone\n      archived_url: {link_server}/ok",
    ).replace(
        "      published: 2019-05-14", f"      url: {link_server}/ok\n      published: 2019-05-14"
    )
    root = write_knowledge({"a.yaml": fact})
    code = await asyncio.to_thread(main, ["--knowledge", str(root), "kb", "check-links", "--json"])
    results = json.loads(capsys.readouterr().out)
    assert code == 1
    by_url = {r["url"]: r for r in results}
    assert by_url[f"{link_server}/gone"]["status"] == "dead"
    assert by_url[f"{link_server}/gone"]["entry_ids"] == ["ring-partnerships"]
    assert by_url[f"{link_server}/gone"]["archived_url"] == f"{link_server}/ok"
    assert by_url[f"{link_server}/ok"]["status"] == "ok"
