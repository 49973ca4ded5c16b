"""A saved plan is applied only as `show` shows it: a hand-edited one, or one that Woodpecker has moved
past since (a campaign paused after the plan was made), is refused with exit 4 and no mutating call."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import Workspace

JSON = dict[str, Any]


@pytest.fixture
def live(ws: Workspace) -> Workspace:
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    ws.emulator.clear_requests()
    return ws


def campaign_id(ws: Workspace, key: str) -> int:
    return int(json.loads((ws.root / "state" / f"{key}.json").read_text())["campaign_id"])


def mutating(ws: Workspace) -> list[tuple[str, str]]:
    return [(r["method"], r["path"]) for r in ws.emulator.requests() if r["method"] != "GET"]


def saved(ws: Workspace, *flags: str) -> tuple[Path, JSON]:
    path = ws.root / "plan.json"
    result = ws.run("plan", "--out", str(path), *flags)
    assert result.exit_code == 0, result.output
    return path, json.loads(path.read_text())


def rewrite(path: Path, data: JSON) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def test_a_hand_edited_patch_is_refused_and_nothing_is_sent(live: Workspace) -> None:
    live.edit("one-step-email", 'subject = "Example subject line"', 'subject = "Reviewed subject"')
    path, data = saved(live)
    [action] = data["plan"]["actions"]
    assert action["kind"] == "update_version"
    action["patch"] = {"subject": "Not what the reviewer saw"}  # `changes`, which show renders, kept
    rewrite(path, data)
    shown = live.run("show", str(path))
    assert "Reviewed" in shown.stdout and "Not what the reviewer saw" not in shown.stdout
    live.emulator.clear_requests()
    result = live.run("apply", str(path))
    assert result.exit_code == 4, result.output
    assert "does not match what wpsync plans now" in result.stderr
    assert "update_version one-step-email" in result.stderr
    assert mutating(live) == []


def test_an_injected_delete_of_a_running_campaign_is_refused(live: Workspace) -> None:
    target = campaign_id(live, "two-step-linkedin")
    live.emulator.set_status(target, "RUNNING")
    live.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 26")
    path, data = saved(live)
    data["plan"]["actions"].append(
        {
            "kind": "delete_campaign",
            "key": "two-step-linkedin",
            "file": "campaigns/two-step-linkedin.toml",
            "campaign_id": target,
            "name": "x",
        }
    )
    rewrite(path, data)
    live.emulator.clear_requests()
    result = live.run("apply", str(path))
    assert result.exit_code == 4, result.output
    assert "delete_campaign two-step-linkedin: in the plan file, not in a plan made now" in result.stderr
    assert mutating(live) == []
    assert live.campaign(target)["status"] == "RUNNING"


def test_a_saved_plan_applies_as_before_when_nothing_moved(live: Workspace) -> None:
    live.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 26")
    path, _ = saved(live)
    result = live.run("apply", str(path))
    assert result.exit_code == 0, result.output
    assert [m for m, _ in mutating(live)] == ["PATCH"]


def test_a_campaign_paused_after_a_make_editable_plan_is_not_unpaused(live: Workspace) -> None:
    target = campaign_id(live, "one-step-email")
    live.emulator.set_status(target, "RUNNING")
    live.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 30")
    path, data = saved(live, "--make-editable")
    kinds = [a["kind"] for a in data["plan"]["actions"]]
    assert kinds == ["make_editable", "update_campaign", "restore_status"]
    live.emulator.set_status(target, "PAUSED")  # someone paused it after the plan was reviewed
    live.emulator.clear_requests()
    result = live.run("apply", str(path))
    assert result.exit_code == 4, result.output
    assert "make_editable one-step-email" in result.stderr
    assert mutating(live) == []
    assert live.campaign(target)["status"] == "PAUSED"


def test_a_pause_right_before_make_editable_is_caught_there(
    live: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The pause lands after the saved plan was checked against a plan made now (the check is
    # skipped here to stand for that window): apply re-reads the status before make_editable.
    monkeypatch.setattr("wpsync.commands.apply.differences", lambda saved, now: [], raising=False)
    target = campaign_id(live, "one-step-email")
    live.emulator.set_status(target, "RUNNING")
    live.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 30")
    path, _ = saved(live, "--make-editable")
    live.emulator.set_status(target, "PAUSED")
    live.emulator.clear_requests()
    result = live.run("apply", str(path))
    assert result.exit_code == 4, result.output
    assert f"campaign {target} is PAUSED now, the plan found it RUNNING; plan again" in result.stderr
    assert mutating(live) == []
    assert live.campaign(target)["status"] == "PAUSED"


def test_a_completed_campaign_is_never_set_running(live: Workspace) -> None:
    target = campaign_id(live, "one-step-email")
    live.emulator.set_status(target, "COMPLETED")
    live.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 30")
    result = live.run("apply", "--auto-approve", "--make-editable")
    assert result.exit_code == 3, result.output
    assert "could not be set back to COMPLETED" in result.stdout
    assert mutating(live) == [] and live.campaign(target)["status"] == "COMPLETED"
    left = live.run("apply", "--auto-approve", "--make-editable", "--leave-editable")
    assert left.exit_code == 0, left.output
    assert [path.rsplit("/", 1)[-1] for _, path in mutating(live)] == ["make_editable", str(target)]
    assert live.campaign(target)["status"] == "EDITED"
