"""Deleting on purpose, renaming, and one campaign for one key (#12)."""

from __future__ import annotations

import json

from tests.e2e.conftest import Workspace


def _record(ws: Workspace, key: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((ws.root / "state" / f"{key}.json").read_text())
    return data


def test_destroy_deletes_one_campaign_after_the_name_is_typed_back(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _record(ws, "one-step-email")["campaign_id"]
    ws.emulator.clear_requests()
    result = ws.run("destroy", "one-step-email", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert f"- delete campaign {cid}" in result.stdout
    assert [(p["method"], p["path"]) for p in ws.posts()] == [("DELETE", f"/rest/v2/campaigns/{cid}")]
    assert not (ws.root / "state" / "one-step-email.json").exists()
    assert "still exists: remove it, or the next plan creates the campaign anew" in result.stdout


def test_destroy_refuses_a_running_campaign(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _record(ws, "one-step-email")["campaign_id"]
    assert isinstance(cid, int)
    ws.emulator.set_status(cid, "RUNNING")
    ws.emulator.clear_requests()
    result = ws.run("destroy", "one-step-email", "--auto-approve")
    assert result.exit_code == 3
    assert "stop it in Woodpecker first" in result.stderr
    assert ws.posts() == []


def test_destroy_without_a_terminal_and_without_auto_approve_changes_nothing(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    result = ws.run("destroy", "one-step-email")
    assert result.exit_code == 1
    assert ws.posts() == []


def test_a_renamed_file_is_a_move_not_a_second_campaign(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _record(ws, "one-step-email")["campaign_id"]
    ws.file("one-step-email").rename(ws.root / "campaigns" / "welcome.toml")
    ws.emulator.clear_requests()
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert "→ move one-step-email → welcome" in plan.stdout
    assert "create campaign" not in plan.stdout
    assert ws.run("apply", "--auto-approve").exit_code == 0
    assert ws.posts() == []
    assert _record(ws, "welcome")["campaign_id"] == cid
    assert "No changes" in ws.run("plan").stdout


def test_state_mv_for_a_rename_with_edits(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _record(ws, "one-step-email")["campaign_id"]
    ws.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 30")
    ws.file("one-step-email").rename(ws.root / "campaigns" / "welcome.toml")
    moved = ws.run("state", "mv", "one-step-email", "welcome")
    assert moved.exit_code == 0, moved.output
    plan = ws.run("plan")
    assert f"~ update campaign {cid}" in plan.stdout, plan.stdout
    assert "      daily_enroll: 25 → 30" in plan.stdout


def test_import_of_a_campaign_tracked_under_another_key_is_refused(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    cid = _record(ws, "one-step-email")["campaign_id"]
    result = ws.run("import", str(cid), "--key", "other")
    assert result.exit_code == 1
    assert f"campaign {cid} is already tracked as one-step-email" in result.stderr
    assert not (ws.root / "campaigns" / "other.toml").exists()


def test_forget_with_the_file_still_there_warns_about_a_second_copy(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    result = ws.run("forget", "one-step-email")
    assert result.exit_code == 0
    assert "the next plan would create campaign one-step-email again" in result.stdout
