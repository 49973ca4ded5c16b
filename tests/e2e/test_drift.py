"""Drift end to end: edits made in Woodpecker's app are shown field by field, planned back to the
file, or adopted into the file by `wpsync adopt` (comments kept, no write call); the next plan is empty."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.e2e.conftest import Workspace
from wpsync.plan.plan import no_changes

KEY = "one-step-email"
NO_CHANGES = no_changes("all") + "\n"  # after --refresh all: Woodpecker proved to match
APP_WINDOWS = {"MONDAY": [{"from": "09:00", "to": "12:00"}], "FRIDAY": [{"from": "10:00", "to": "16:00"}]}


def record(ws: Workspace) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ws.root / "state" / f"{KEY}.json").read_text())
    return data


def in_the_app(ws: Workspace, method: str, path: str, body: Any) -> None:
    """What a person does in Woodpecker's app, as the API sees it."""
    response = httpx.request(
        method, f"{ws.emulator.base_url}/v2/campaigns/{path}", json=body, headers={"x-api-key": "test-key"}
    )
    assert response.status_code < 300, response.text


def drifted(ws: Workspace) -> int:
    """The examples applied, then a subject, the windows and a setting changed in the app."""
    assert ws.run("apply", "--auto-approve").exit_code == 0
    rec = record(ws)
    cid, step = rec["campaign_id"], rec["steps"][1]
    in_the_app(
        ws,
        "PATCH",
        f"{cid}/steps/{step['id']}/versions/{step['version_ids'][0]}",
        {"subject": "From the app"},
    )
    in_the_app(ws, "PATCH", f"{cid}/steps/{step['id']}", {"delivery_time": APP_WINDOWS})
    in_the_app(ws, "PATCH", str(cid), {"settings": {"daily_enroll": 40}})
    ws.emulator.clear_requests()
    return int(cid)


def test_drift_is_shown_field_by_field_and_planned_back(ws: Workspace) -> None:
    cid = drifted(ws)
    plan = ws.run("plan", "--refresh", "all", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    out = plan.stdout
    assert (
        'note: steps[0].versions[0].subject changed in Woodpecker: Woodpecker holds "From the app", '
        'the file says "Example subject line"; this plan sets Woodpecker back to the file' in out
    )
    assert "settings.daily_enroll changed in Woodpecker: Woodpecker holds 40, the file says 25" in out
    assert (
        "steps[0].delivery_time changed in Woodpecker: Woodpecker holds Mon 09:00–12:00, Fri 10:00–16:00, "
        "the file says Mon 08:00–18:00, Tue 08:00–18:00" in out
    )
    assert "`wpsync adopt one-step-email` keeps Woodpecker's instead" in out
    kinds = [
        a["kind"]
        for a in json.loads(ws.run("plan", "--refresh", "all", "--format", "json").stdout)["actions"]
    ]
    assert kinds == ["update_campaign", "update_windows", "update_version"]
    assert "changed in Woodpecker" in ws.run("plan", "--refresh", "all", "--format", "markdown").stdout
    assert ws.emulator.requests() and not ws.posts()  # planning reads only
    result = ws.run("apply", "--auto-approve", "--refresh", "all")
    assert result.exit_code == 0, result.output
    remote = ws.campaign(cid)
    assert remote["settings"]["daily_enroll"] == 25
    assert remote["steps"]["followup"]["body"]["versions"][0]["subject"] == "Example subject line"
    assert (
        "FRIDAY" in remote["steps"]["followup"]["delivery_time"]
        and "SATURDAY" not in remote["steps"]["followup"]["delivery_time"]
    )
    assert remote["steps"]["followup"]["delivery_time"]["MONDAY"] == [{"from": "08:00", "to": "18:00"}]
    again = ws.run("plan", "--refresh", "all", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert again.stdout == NO_CHANGES


def test_adopt_takes_the_drift_into_the_file_keeping_comments(ws: Workspace) -> None:
    cid = drifted(ws)
    ws.edit(KEY, "daily_enroll = 25", "daily_enroll = 25 # agreed with sales")
    before = ws.file(KEY).read_text()
    result = ws.run("adopt", KEY)
    assert result.exit_code == 0, result.output
    assert f"campaign {cid}, no call made" in result.stdout
    assert ws.posts() == []  # the read only
    text = ws.file(KEY).read_text()
    assert "daily_enroll = 40 # agreed with sales" in text
    assert 'subject = "From the app"' in text
    assert 'MONDAY = [{ from = "09:00", to = "12:00" }]' in text and "TUESDAY" not in text
    assert "# A delivery schedule written once and named" in text  # the file's other comments stay
    assert text.splitlines()[:3] == before.splitlines()[:3]
    assert ws.run("fmt", "--check").exit_code == 0
    again = ws.run("plan", "--refresh", "all", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert again.stdout == NO_CHANGES
    assert ws.posts() == []


def test_a_step_added_in_the_app_is_refused_and_adopted(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    rec = record(ws)
    step = {
        "type": "EMAIL",
        "delivery_time": {"TUESDAY": [{"from": "10:00", "to": "11:00"}]},
        "body": {"versions": [{"subject": None, "message": "<p>Added in the app</p>", "track_opens": False}]},
        "followup_after": {"range": "DAY", "value": 2},
    }
    in_the_app(ws, "POST", f"{rec['campaign_id']}/steps", {"parent_id": rec["steps"][1]["id"], "step": step})
    plan = ws.run("plan", "--refresh", "all")
    assert plan.exit_code == 3, plan.output
    assert "remote_drift" in plan.stdout and "1 step(s) added in Woodpecker's app" in plan.stdout
    assert "way out: `wpsync adopt one-step-email` takes Woodpecker's version into" in plan.stdout
    ws.emulator.clear_requests()
    assert ws.run("adopt", KEY).exit_code == 0
    assert ws.posts() == []
    assert "<p>Added in the app</p>" in ws.file(KEY).read_text()
    again = ws.run("plan", "--refresh", "all", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert again.stdout == NO_CHANGES


def test_adopt_needs_a_tracked_campaign(ws: Workspace) -> None:
    result = ws.run("adopt", "nope")
    assert result.exit_code == 1
    assert "nope is not tracked; `wpsync import CAMPAIGN_ID --key nope`" in result.output
