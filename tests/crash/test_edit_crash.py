"""SIGKILL at every call boundary of an edit of a RUNNING campaign, then apply again.

The apply is make_editable → update_campaign → update_version → append_step → run. Whatever call it
dies at, the rerun (with --make-editable) must leave every edit made exactly once, one step appended,
Woodpecker equal to the file, and the campaign RUNNING again.
"""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.crash.scenario import KEY, ROOT, Scenario
from wpsync.emulator.server import EmulatorHandle
from wpsync.files.loading import load_campaign
from wpsync.files.to_api import content_hash, step_hash
from wpsync.plan.desired import canonical_head

FOLLOW_UP = """
[[steps]]
type = "EMAIL"
delivery_time = "workdays"
followup_after = { range = "DAY", value = 2 }
[[steps.versions]]
message = "<p>Second touch</p>"
track_opens = false
"""
CALLS = ["make_editable", "update_campaign", "update_version", "append_step", "run"]
POINTS = ["apply.before_call", "apply.after_response", "apply.after_record"]


class EditScenario(Scenario):
    campaign_id: int = 0

    @classmethod
    def running(cls, root: Path, emulator: EmulatorHandle) -> EditScenario:
        emulator.reset()
        (root / "campaigns").mkdir(parents=True)
        path = root / "campaigns" / "alpha.toml"
        shutil.copy(ROOT / "campaigns" / "one-step-email.toml", path)
        scenario = cls(root, emulator)
        first = scenario.cli("apply", "--auto-approve")
        assert first.exit_code == 0, first.output
        scenario.campaign_id = int(scenario.record()["campaign_id"])
        emulator.set_status(scenario.campaign_id, "RUNNING")
        text = path.read_text()
        text = text.replace("daily_enroll = 25", "daily_enroll = 30")
        text = text.replace('subject = "Example subject line"', 'subject = "Edited while running"')
        path.write_text(text + FOLLOW_UP)
        plan = scenario.cli("plan", "--format", "json", "--make-editable")
        kinds = [a["kind"] for a in json.loads(plan.stdout)["actions"]]
        assert kinds == [*CALLS[:4], "restore_status"], kinds
        emulator.clear_requests()
        return scenario

    def record(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.root / "state" / "alpha.json").read_text())
        return data

    def remote(self) -> dict[str, Any]:
        response = httpx.get(
            f"{self.emulator.base_url}/v2/campaigns/{self.campaign_id}", headers={"x-api-key": KEY}
        )
        data: dict[str, Any] = response.json()
        return data

    def effective(self, method: str, suffix: str) -> list[dict[str, Any]]:
        """Mutating requests Woodpecker carried out: answered 2xx, or committed with the answer dropped."""
        return [
            r
            for r in self.emulator.requests()
            if r["method"] == method
            and r["path"].endswith(suffix)
            and (r["fault"] == "drop_after_commit" or (r["status"] is not None and 200 <= r["status"] < 300))
        ]

    def check_edited(self) -> None:
        remote = self.remote()
        assert remote["id"] == self.campaign_id
        assert remote["status"] == "RUNNING"
        assert remote["settings"]["daily_enroll"] == 30
        steps, node = [], remote["steps"]
        while node:
            steps.append(node)
            node = node.get("followup")
        assert len(steps) == 3, "exactly one step appended"
        assert steps[1]["body"]["versions"][0]["subject"] == "Edited while running"
        assert steps[2]["body"]["versions"][0]["message"] == "<p>Second touch</p>"
        record = self.record()
        assert record["campaign_id"] == self.campaign_id
        assert record["status"] == "RUNNING"
        assert "restore_status" not in record
        assert [s["id"] for s in record["steps"]] == [s["id"] for s in steps]
        campaign = load_campaign(self.root / "campaigns" / "alpha.toml")
        assert record["head_hash"] == content_hash(canonical_head(campaign))
        wanted = [step_hash(s, campaign.schedules) for s in campaign.steps]
        assert [s["hash"] for s in record["steps"][1:]] == wanted
        assert not list((self.root / "state").glob("*.intent.json"))
        # Each edit carried out once: a PATCH is never re-sent when settling could tell it happened.
        base = f"/rest/v2/campaigns/{self.campaign_id}"
        assert len(self.effective("PATCH", base)) == 1
        assert len(self.effective("PATCH", f"/versions/{record['steps'][1]['version_ids'][0]}")) == 1
        assert len(self.effective("POST", f"{base}/steps")) == 1
        assert len(self.effective("POST", f"{base}/make_editable")) == 1
        drift = self.cli("plan", "--refresh", "all", "--detailed-exitcode")
        assert drift.exit_code == 0, drift.output
        assert drift.stdout.startswith("No changes."), drift.stdout
        assert "drift" not in drift.stdout and "changed in Woodpecker" not in drift.stdout


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("call", range(1, len(CALLS) + 1), ids=CALLS)
def test_edit_killed_at_a_failpoint_then_applied_again(
    tmp_path: Path, emulator: EmulatorHandle, point: str, call: int
) -> None:
    scenario = EditScenario.running(tmp_path, emulator)
    killed = scenario.wpsync(
        "apply", "--auto-approve", "--make-editable", WPSYNC_FAILPOINTS=f"{point}={call}"
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    again = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert again.returncode == 0, again.stdout + again.stderr
    scenario.check_edited()


def test_killed_after_make_editable_answered_the_rerun_restores_running(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    scenario = EditScenario.running(tmp_path, emulator)
    killed = scenario.wpsync(
        "apply", "--auto-approve", "--make-editable", WPSYNC_FAILPOINTS="apply.after_response=1"
    )
    assert killed.returncode == -signal.SIGKILL
    assert scenario.remote()["status"] == "EDITED"
    # The status to go back to was durable before make_editable was sent.
    assert scenario.record()["restore_status"] == "RUNNING"
    plan = scenario.cli("plan")
    assert "an earlier apply was interrupted" in plan.stdout
    again = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "settled an interrupted set_status of alpha: it did happen" in again.stdout
    scenario.check_edited()


def test_killed_after_make_editable_then_a_plain_apply_restores_running(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    """The campaign is EDITED after the kill: the rerun needs no --make-editable to finish and restore."""
    scenario = EditScenario.running(tmp_path, emulator)
    killed = scenario.wpsync(
        "apply", "--auto-approve", "--make-editable", WPSYNC_FAILPOINTS="apply.after_response=1"
    )
    assert killed.returncode == -signal.SIGKILL
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "it is set back to RUNNING" in again.stdout
    scenario.check_edited()


def test_exhausted_500s_on_the_version_patch_stop_apply_and_restore_running(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    scenario = EditScenario.running(tmp_path, emulator)
    prefix = f"/rest/v2/campaigns/{scenario.campaign_id}/steps/"
    emulator.add_fault("500", count=50, method="PATCH", path_prefix=prefix)
    failed = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "update step 1 version A" in failed.stderr and "failed" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert scenario.remote()["status"] == "RUNNING"
    record = scenario.record()
    assert record["status"] == "RUNNING" and "restore_status" not in record
    assert not list((tmp_path / "state").glob("*.intent.json"))
    assert scenario.remote()["settings"]["daily_enroll"] == 30  # the call before it stays made, and recorded
    calls = [(r["method"], r["path"].rsplit("/", 1)[-1]) for r in scenario.effective("POST", "")]
    assert calls == [("POST", "make_editable"), ("POST", "run")]


def test_a_409_on_the_version_patch_stops_apply_and_restores_running(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    """A CLASSIC LinkedIn account's note limit, which the plan does not check for an edit: the PATCH is
    refused with 409, after make_editable and the campaign PATCH succeeded."""
    emulator.reset()
    (tmp_path / "campaigns").mkdir(parents=True)
    path = tmp_path / "campaigns" / "li.toml"
    shutil.copy(ROOT / "campaigns" / "two-step-linkedin.toml", path)
    scenario = Scenario(tmp_path, emulator)
    assert scenario.cli("apply", "--auto-approve").exit_code == 0
    record = json.loads((tmp_path / "state" / "li.json").read_text())
    emulator.set_status(record["campaign_id"], "RUNNING")
    emulator.seed_linkedin(200002, level="CLASSIC")
    text = path.read_text().replace("daily_enroll = 50", "daily_enroll = 40")
    path.write_text(text.replace("I'd like to add you to my professional network on LinkedIn", "x" * 250))
    emulator.clear_requests()
    failed = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "update step 2 version B" in failed.stderr
    remote = httpx.get(
        f"{emulator.base_url}/v2/campaigns/{record['campaign_id']}", headers={"x-api-key": KEY}
    ).json()
    assert remote["status"] == "RUNNING"
    after = json.loads((tmp_path / "state" / "li.json").read_text())
    assert after["status"] == "RUNNING" and "restore_status" not in after
    statuses = [r["status"] for r in emulator.requests() if r["method"] == "PATCH"]
    assert statuses == [200, 409]  # the refused PATCH is not resent
    # Back to the file as it was: the next plan shows only what is left (nothing resent blindly).
    path.write_text(text)
    plan = scenario.cli("plan", "--detailed-exitcode", "--make-editable")
    assert plan.exit_code == 0, plan.output


@pytest.mark.parametrize("path", ["campaign", "version"])
def test_a_lost_patch_answer_is_settled_not_resent(
    tmp_path: Path, emulator: EmulatorHandle, path: str
) -> None:
    """The PATCH reached Woodpecker, its answer did not reach wpsync: apply looks, finds the new
    content, records it, and sends the PATCH no second time."""
    scenario = EditScenario.running(tmp_path, emulator)
    base = f"/rest/v2/campaigns/{scenario.campaign_id}"
    prefix = base if path == "campaign" else f"{base}/steps/"
    emulator.add_fault("drop_after_commit", count=1, method="PATCH", path_prefix=prefix)
    result = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert result.returncode == 0, result.stdout + result.stderr
    patches = [r for r in emulator.requests() if r["method"] == "PATCH"]
    assert len(patches) == 2, [(r["path"], r["status"]) for r in patches]
    assert [r["fault"] for r in patches] == (
        ["drop_after_commit", None] if path == "campaign" else [None, "drop_after_commit"]
    )
    assert scenario.remote()["status"] == "RUNNING"
    record = scenario.record()
    campaign = load_campaign(tmp_path / "campaigns" / "alpha.toml")
    assert record["head_hash"] == content_hash(canonical_head(campaign))
    assert scenario.cli("plan", "--detailed-exitcode").exit_code == 0


def test_a_make_editable_that_never_happened_leaves_nothing_to_restore(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    """Killed before make_editable was sent, then the edit is dropped: the status recorded to restore
    must go, or a later plan would run a campaign someone made EDITED in Woodpecker's app."""
    scenario = EditScenario.running(tmp_path, emulator)
    killed = scenario.wpsync(
        "apply", "--auto-approve", "--make-editable", WPSYNC_FAILPOINTS="apply.before_call=1"
    )
    assert killed.returncode == -signal.SIGKILL
    assert scenario.record()["restore_status"] == "RUNNING"
    shutil.copy(ROOT / "campaigns" / "one-step-email.toml", tmp_path / "campaigns" / "alpha.toml")
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "it did not happen" in again.stdout
    assert "restore_status" not in scenario.record()
    emulator.set_status(scenario.campaign_id, "EDITED")  # a person, in Woodpecker's app
    path = tmp_path / "campaigns" / "alpha.toml"
    path.write_text(path.read_text().replace("daily_enroll = 25", "daily_enroll = 26"))
    plan = json.loads(scenario.cli("plan", "--format", "json").stdout)
    assert [a["kind"] for a in plan["actions"]] == ["update_campaign"]
    assert not any(n["code"] == "restore" for n in plan["notes"])


def test_a_make_editable_that_fails_leaves_nothing_to_restore(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    scenario = EditScenario.running(tmp_path, emulator)
    emulator.add_fault(
        "500", count=50, method="POST", path_prefix=f"/rest/v2/campaigns/{scenario.campaign_id}/make"
    )
    failed = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "make alpha" in failed.stderr and "failed" in failed.stderr
    assert scenario.remote()["status"] == "RUNNING"
    record = scenario.record()
    assert "restore_status" not in record  # (its status is as last recorded: wpsync changed nothing)
    assert not list((tmp_path / "state").glob("*.intent.json"))
    assert scenario.effective("PATCH", "") == [] and scenario.effective("POST", "/steps") == []


def test_a_failure_while_finishing_an_interrupted_edit_still_restores_running(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    """The first run died right after make_editable; the second plans the edits and the restore (no
    make_editable: the campaign is EDITED already) and fails on the version PATCH: it must still set
    the campaign back to RUNNING before it stops."""
    scenario = EditScenario.running(tmp_path, emulator)
    killed = scenario.wpsync(
        "apply", "--auto-approve", "--make-editable", WPSYNC_FAILPOINTS="apply.after_record=1"
    )
    assert killed.returncode == -signal.SIGKILL
    assert scenario.remote()["status"] == "EDITED"
    emulator.add_fault(
        "500", count=50, method="PATCH", path_prefix=f"/rest/v2/campaigns/{scenario.campaign_id}/steps/"
    )
    failed = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert scenario.remote()["status"] == "RUNNING"
    record = scenario.record()
    assert record["status"] == "RUNNING" and "restore_status" not in record


class DeleteScenario(EditScenario):
    """A RUNNING campaign of two steps sharing a schedule, then a third: the schedule changes (two
    window PATCHes) and the third step is deleted."""

    @classmethod
    def prepared(cls, root: Path, emulator: EmulatorHandle) -> DeleteScenario:
        emulator.reset()
        (root / "campaigns").mkdir(parents=True)
        path = root / "campaigns" / "alpha.toml"
        base = (ROOT / "campaigns" / "one-step-email.toml").read_text() + FOLLOW_UP
        path.write_text(base + LAST)
        scenario = cls(root, emulator)
        first = scenario.cli("apply", "--auto-approve")
        assert first.exit_code == 0, first.output
        scenario.campaign_id = int(scenario.record()["campaign_id"])
        emulator.set_status(scenario.campaign_id, "RUNNING")
        path.write_text(base.replace('to = "18:00"', 'to = "16:00"'))
        plan = scenario.cli("plan", "--format", "json", "--make-editable")
        kinds = [a["kind"] for a in json.loads(plan.stdout)["actions"]]
        assert kinds == [*DELETE_CALLS[:4], "restore_status"], kinds
        emulator.clear_requests()
        return scenario

    def check_deleted(self) -> None:
        remote = self.remote()
        assert remote["status"] == "RUNNING"
        steps, node = [], remote["steps"]
        while node:
            steps.append(node)
            node = node.get("followup")
        assert len(steps) == 3, "exactly the last step deleted"
        for step in steps[1:]:
            assert step["delivery_time"]["MONDAY"] == [{"from": "08:00", "to": "16:00"}]
        record = self.record()
        assert record["status"] == "RUNNING" and "restore_status" not in record
        assert [s["id"] for s in record["steps"]] == [s["id"] for s in steps]
        campaign = load_campaign(self.root / "campaigns" / "alpha.toml")
        assert [s["hash"] for s in record["steps"][1:]] == [
            step_hash(s, campaign.schedules) for s in campaign.steps
        ]
        assert not list((self.root / "state").glob("*.intent.json"))
        assert len(self.effective("DELETE", "")) == 1
        assert len(self.effective("POST", "/make_editable")) == 1
        plan = self.cli("plan", "--refresh", "all", "--detailed-exitcode")
        assert plan.exit_code == 0, plan.output
        assert plan.stdout.startswith("No changes."), plan.stdout


LAST = """
[[steps]]
type = "EMAIL"
delivery_time = { FRIDAY = [{ from = "10:00", to = "12:00" }] }
[[steps.versions]]
message = "<p>Last one</p>"
"""
DELETE_CALLS = ["make_editable", "update_windows", "update_windows", "delete_step", "run"]


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize(
    "call", range(1, len(DELETE_CALLS) + 1), ids=[f"{n}-{c}" for n, c in enumerate(DELETE_CALLS, 1)]
)
def test_windows_and_delete_killed_at_a_failpoint_then_applied_again(
    tmp_path: Path, emulator: EmulatorHandle, point: str, call: int
) -> None:
    scenario = DeleteScenario.prepared(tmp_path, emulator)
    killed = scenario.wpsync(
        "apply", "--auto-approve", "--make-editable", WPSYNC_FAILPOINTS=f"{point}={call}"
    )
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    again = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert again.returncode == 0, again.stdout + again.stderr
    scenario.check_deleted()


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_lost_windows_or_delete_answer_is_settled_not_resent(
    tmp_path: Path, emulator: EmulatorHandle, method: str
) -> None:
    scenario = DeleteScenario.prepared(tmp_path, emulator)
    emulator.add_fault("drop_after_commit", count=1, method=method)
    result = scenario.wpsync("apply", "--auto-approve", "--make-editable")
    assert result.returncode == 0, result.stdout + result.stderr
    sent = [r for r in emulator.requests() if r["method"] == method]
    assert len(sent) == (2 if method == "PATCH" else 1), [(r["path"], r["fault"]) for r in sent]
    scenario.check_deleted()
