"""The plan's forecast end to end against the emulator over real HTTP: people counts from the v1 stats
and GET /v1/prospects, the pause of a campaign made editable, timelines, and no read a plan does not need."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import Workspace

KEY = "four-step-multichannel"
OLD_SUBJECT = 'subject = "Example subject line - version A"'
NEW_SUBJECT = 'subject = "A shorter subject - version A"'


def record(ws: Workspace, key: str = KEY) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ws.root / "state" / f"{key}.json").read_text())
    return data


@pytest.fixture
def live(ws: Workspace) -> Workspace:
    """The examples created; the four-step campaign RUNNING, its opening email (step 2) sent to 137 of
    184 prospects with 42 waiting, 61 opens and 9 replies so far."""
    assert ws.run("apply", "--auto-approve").exit_code == 0
    rec = record(ws)
    opening = rec["steps"][2]["id"]
    ws.emulator.set_status(rec["campaign_id"], "RUNNING")
    ws.emulator.set_step_stats(rec["campaign_id"], opening, emailSend=137, toSend=42, open=61, reply=9)
    ws.emulator.set_campaign_stats(rec["campaign_id"], prospects=184, sent=137, queue=42)
    ws.emulator.clear_requests()
    return ws


def forecast_of(plan: dict[str, Any], key: str = KEY) -> dict[str, Any]:
    (found,) = [f for f in plan["forecasts"] if f["key"] == key]
    return found


def test_an_edit_of_a_live_campaign_says_who_it_touches(live: Workspace) -> None:
    live.edit(KEY, OLD_SUBJECT, NEW_SUBJECT)
    result = live.run("plan", "--make-editable", "--format", "json")
    assert result.exit_code == 0, result.output
    found = forecast_of(json.loads(result.stdout))
    people = found["people"]
    assert people["prospects"] == 184  # X-Total-Count of GET /v1/prospects
    assert people["steps"] == [
        {"step": 2, "change": "edit", "sent": 137, "queued": 42, "opened": 61, "replied": 9}
    ]
    assert people["paused_calls"] == 3  # make_editable, the version PATCH, run
    assert people["paused_seconds"] is not None
    # The timeline starts at WPSYNC_NOW (Monday 09:00 in Warsaw, tests/conftest.py).
    assert found["timeline"]["start"] == "2026-12-07T09:00+01:00"
    assert [s["step"] for s in found["timeline"]["steps"]] == [1, 2, 3, 4]
    reads = [r for r in live.emulator.requests() if r["path"].endswith("/v1/prospects")]
    rec = record(live)
    assert [r["query"] for r in reads] == [f"campaigns_id={rec['campaign_id']}&page=1&per_page=1"]
    said = "184 prospects · 137 already got the old copy · 42 queued for this step get the new one"
    text = live.run("plan", "--make-editable").stdout
    assert f"who: step 2 (copy edited): {said} · the old copy: 61 opens, 9 replies (all versions)" in text
    assert "who: sending pauses for roughly" in text and "(3 calls × the account's request time" in text
    markdown = live.run("plan", "--make-editable", "--format", "markdown").stdout
    assert f"- step 2 (copy edited): {said}" in markdown
    assert "| step | channel | day | local time |" in markdown


def test_without_the_total_the_count_is_unknown(live: Workspace) -> None:
    live.emulator.set_prospects_total("no_header")
    live.edit(KEY, OLD_SUBJECT, NEW_SUBJECT)
    plan = json.loads(live.run("plan", "--make-editable", "--format", "json").stdout)
    assert forecast_of(plan)["people"]["prospects"] is None


def test_a_plan_that_changes_nothing_makes_no_call(live: Workspace) -> None:
    result = live.run("plan", "--detailed-exitcode")
    assert result.exit_code == 0, result.output
    assert live.emulator.requests() == []
    # Reporting drift reads every campaign, but the people reads are only for what the plan changes.
    assert live.run("plan", "--refresh", "all").exit_code == 0
    assert not [r for r in live.emulator.requests() if r["path"].endswith("/v1/prospects")]


def test_a_draft_campaign_edit_reads_no_prospects(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    ws.edit(KEY, OLD_SUBJECT, NEW_SUBJECT)
    plan = json.loads(ws.run("plan", "--format", "json").stdout)
    assert forecast_of(plan)["people"] is None  # a DRAFT campaign has sent nothing to anybody
    assert not [r for r in ws.emulator.requests() if r["path"].endswith("/v1/prospects")]
