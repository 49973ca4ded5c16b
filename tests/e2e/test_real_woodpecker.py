"""What the real Woodpecker does that the first emulator did not (issue #11), end to end over HTTP.

Each test fails on the code before this round: the emulator now answers as api-notes.md says the live
API does, and wpsync reads it leniently and decides strictly.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import FOLLOW_UP, Workspace


def _record(ws: Workspace, key: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((ws.root / "state" / f"{key}.json").read_text())
    return data


@pytest.mark.parametrize("form", ["message", "no_content"])
def test_the_first_plan_of_an_empty_account_works(ws: Workspace, form: str) -> None:
    ws.emulator.set_empty_list_form(form)
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert "Plan: 3 campaigns to create" in plan.stdout


def test_a_v1_rate_limit_inside_a_200_is_retried(ws: Workspace) -> None:
    ws.emulator.add_fault("v1_too_many_requests", count=2)
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output


def test_a_v1_session_error_inside_a_200_is_an_auth_failure(ws: Workspace) -> None:
    ws.emulator.add_fault("v1_session", count=1)
    result = ws.run("plan")
    assert result.exit_code == 1
    assert "Woodpecker rejected the API key (401)" in result.stderr


def test_appending_to_a_running_campaign_reads_the_real_stats(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _record(ws, "one-step-email")["campaign_id"]
    assert isinstance(cid, int)
    ws.emulator.set_status(cid, "RUNNING")
    ws.append("one-step-email", FOLLOW_UP)
    plan = ws.run("plan", "--make-editable")
    assert plan.exit_code == 0, plan.output
    assert "+ append step 2" in plan.stdout
    result = ws.run("apply", "--auto-approve", "--make-editable")
    assert result.exit_code == 0, result.output
    assert ws.campaign(cid)["status"] == "RUNNING"


def test_processed_prospects_on_the_last_step_refuse_the_append_with_the_count(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    record = _record(ws, "one-step-email")
    cid, steps = record["campaign_id"], record["steps"]
    assert isinstance(cid, int) and isinstance(steps, list)
    ws.emulator.set_status(cid, "RUNNING")
    ws.emulator.mark_processed(cid, steps[-1]["id"], 7)
    ws.append("one-step-email", FOLLOW_UP)
    plan = ws.run("plan", "--make-editable")
    assert plan.exit_code == 3
    assert "has already processed 7 prospects" in plan.stdout


def test_a_campaign_the_api_will_not_read_is_noted_and_the_rest_goes_on(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _record(ws, "one-step-email")["campaign_id"]
    assert isinstance(cid, int)
    ws.emulator.mark_unsupported(cid)
    ws.append("one-step-email", FOLLOW_UP)
    ws.edit("four-step-multichannel", "daily_enroll = 10", "daily_enroll = 12")
    ws.emulator.clear_requests()
    plan = ws.run("plan")
    assert plan.exit_code == 0, plan.output
    assert f"Woodpecker would not read campaign {cid} (API_UNSUPPORTED_CAMPAIGN_FEATURES" in plan.stdout
    assert "~ update campaign" in plan.stdout
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert all(f"/campaigns/{cid}" not in p["path"] for p in ws.posts())


def test_a_conditionally_connected_mailbox_is_left_to_the_create(ws: Workspace) -> None:
    ws.emulator.seed_mailbox(112233, connected="conditional")
    plan = ws.run("plan")
    assert "mailbox 112233 reports 'Connected conditionally.'" in plan.stdout, plan.output
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output


def test_import_of_a_live_campaign_leaves_out_settings_it_does_not_manage(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _record(ws, "four-step-multichannel")["campaign_id"]
    result = ws.run("import", str(cid), "--key", "live", "--state", "other-state")
    assert result.exit_code == 0, result.output
    assert "left out settings wpsync does not manage" in result.stdout
    assert "auto_pause_prospect_from_domain_statuses" in result.stdout
    assert "auto_pause_prospect_from_domain_statuses" not in ws.file("live").read_text()
