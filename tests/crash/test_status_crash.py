"""SIGKILL at every call boundary of status as code, then apply again: create → run of a new RUNNING
campaign, and a pause or a run of an existing one. Whatever call it dies at, the rerun leaves one
campaign, in the file's status, each call carried out once, and the next plan empty."""

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
from wpsync.plan.plan import no_changes

POINTS = ["apply.before_call", "apply.after_response", "apply.after_record"]
NAME = 'name = "One-step email campaign"'


class StatusScenario(Scenario):
    def write_status(self, status: str) -> None:
        path = self.root / "campaigns" / "alpha.toml"
        lines = [line for line in path.read_text().splitlines() if not line.startswith("status = ")]
        lines.insert(lines.index(NAME) + 1, f'status = "{status}"')
        path.write_text("\n".join(lines) + "\n")

    @classmethod
    def new(cls, root: Path, emulator: EmulatorHandle, status: str) -> StatusScenario:
        emulator.reset()
        (root / "campaigns").mkdir(parents=True)
        shutil.copy(ROOT / "campaigns" / "one-step-email.toml", root / "campaigns" / "alpha.toml")
        scenario = cls(root, emulator)
        scenario.write_status(status)
        return scenario

    def campaigns(self) -> list[dict[str, Any]]:
        listed: list[dict[str, Any]] = httpx.get(
            f"{self.emulator.base_url}/v1/campaign_list", headers={"x-api-key": KEY}
        ).json()
        return listed

    def effective(self, suffix: str) -> list[dict[str, Any]]:
        """POSTs Woodpecker carried out: answered 2xx, or committed with the answer dropped."""
        return [
            r
            for r in self.emulator.requests()
            if r["method"] == "POST"
            and r["path"].endswith(suffix)
            and (r["fault"] == "drop_after_commit" or (r["status"] is not None and 200 <= r["status"] < 300))
        ]

    def check(self, status: str) -> None:  # type: ignore[override]
        campaigns = self.campaigns()
        assert len(campaigns) == 1, campaigns  # created once
        assert campaigns[0]["status"] == status
        record = json.loads((self.root / "state" / "alpha.json").read_text())
        assert record["campaign_id"] == campaigns[0]["id"] and record["status"] == status
        assert not list((self.root / "state").glob("*.intent.json"))
        plan = self.cli("plan", "--detailed-exitcode")
        assert plan.exit_code == 0, plan.output
        assert plan.stdout == no_changes("none") + "\n", plan.stdout


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize("call", [1, 2], ids=["create", "run"])
def test_create_then_run_killed_then_applied_again(
    tmp_path: Path, emulator: EmulatorHandle, point: str, call: int
) -> None:
    scenario = StatusScenario.new(tmp_path, emulator, "RUNNING")
    plan = json.loads(scenario.cli("plan", "--format", "json").stdout)
    assert [a["kind"] for a in plan["actions"]] == ["create_campaign", "set_status"]
    killed = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS=f"{point}={call}")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    scenario.check("RUNNING")
    assert len(scenario.effective("/v2/campaigns")) == 1
    assert len(scenario.effective("/run")) == 1


@pytest.mark.parametrize("point", POINTS)
@pytest.mark.parametrize(
    ("start", "wanted", "call"), [("RUNNING", "PAUSED", "pause"), ("PAUSED", "RUNNING", "run")]
)
def test_a_status_call_killed_then_applied_again(
    tmp_path: Path, emulator: EmulatorHandle, point: str, start: str, wanted: str, call: str
) -> None:
    scenario = StatusScenario.new(tmp_path, emulator, start)
    first = scenario.cli("apply", "--auto-approve")
    assert first.exit_code == 0, first.output
    if start != "RUNNING":  # created DRAFT and run: pause it first, as a reviewed change would
        scenario.write_status("RUNNING")
        cid = scenario.campaigns()[0]["id"]
        emulator.set_status(cid, start)
        scenario.write_status(start)
        assert scenario.cli("apply", "--auto-approve").exit_code == 0
    scenario.write_status(wanted)
    emulator.clear_requests()
    killed = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS=f"{point}=1")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    scenario.check(wanted)
    assert len(scenario.effective(f"/{call}")) == 1
