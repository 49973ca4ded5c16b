"""Two records for one campaign: what a kill between writing a moved record and removing the old one
left. A move is now one step (killed anywhere, the state reads as before or after it), and two
records on one campaign id — however they came about — are a damaged state: refused with the record
to forget, never a create, never destroy advice for the campaign the other record manages."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path
from typing import Any

import pytest

from tests.crash.scenario import ROOT, Scenario
from wpsync.emulator.server import EmulatorHandle

JSON = dict[str, Any]


def one_campaign(root: Path, emulator: EmulatorHandle) -> Scenario:
    emulator.reset()
    (root / "campaigns").mkdir(parents=True)
    shutil.copy(ROOT / "campaigns" / "one-step-email.toml", root / "campaigns" / "a.toml")
    scenario = Scenario(root, emulator)
    assert scenario.cli("apply", "--auto-approve").exit_code == 0
    emulator.clear_requests()
    return scenario


def state_file(root: Path, name: str) -> Path:
    return root / "state" / name


def left_by_a_kill(root: Path, old: str, new: str) -> int:
    """What the old two-step move left when killed between its steps: the new record, the old kept."""
    record: JSON = json.loads(state_file(root, f"{old}.json").read_text())
    record["key"], record["serial"] = new, record["serial"] + 1
    state_file(root, f"{new}.json").write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    shutil.copy(state_file(root, f"{old}.applied.json"), state_file(root, f"{new}.applied.json"))
    return int(record["campaign_id"])


def rename(root: Path, old: str, new: str) -> None:
    (root / "campaigns" / f"{old}.toml").rename(root / "campaigns" / f"{new}.toml")


def creates(emulator: EmulatorHandle) -> list[dict[str, Any]]:
    return [r for r in emulator.requests() if r["method"] == "POST" and r["path"].endswith("/v2/campaigns")]


def test_two_records_for_one_campaign_are_refused_never_created(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    scenario = one_campaign(tmp_path, emulator)
    campaign_id = left_by_a_kill(tmp_path, "a", "b")
    rename(tmp_path, "a", "b")
    plan = scenario.cli("plan")
    assert plan.exit_code == 3, plan.output
    assert f"campaign {campaign_id} is recorded under 2 keys (a, b)" in plan.stdout
    assert "`wpsync forget a`" in plan.stdout
    assert "wpsync destroy" not in plan.stdout and "create campaign" not in plan.stdout
    rename(tmp_path, "b", "c")  # a later rename: it matches both orphans
    plan = scenario.cli("plan")
    assert plan.exit_code == 3, plan.output
    assert "c (no record, but like that campaign) is not created either" in plan.stdout
    assert "wpsync destroy" not in plan.stdout and "create campaign" not in plan.stdout
    assert scenario.cli("apply", "--auto-approve").exit_code == 3
    assert creates(emulator) == []
    destroy = scenario.cli("destroy", "a", "--auto-approve")
    assert destroy.exit_code == 1, destroy.output
    assert f"campaign {campaign_id} is also recorded under b" in destroy.stderr
    assert emulator.requests() == [] or all(r["method"] == "GET" for r in emulator.requests())
    # The way out: forget one record; the rename to c is then found as a rename, with no call.
    assert scenario.cli("forget", "a").exit_code == 0
    plan = scenario.cli("plan", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert f"→ move b → c  (campaign {campaign_id};" in plan.stdout
    assert "create campaign" not in plan.stdout


def test_state_mv_killed_between_its_steps_reads_as_one_move(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    scenario = one_campaign(tmp_path, emulator)
    rename(tmp_path, "a", "b")
    killed = scenario.wpsync("state", "mv", "a", "b", WPSYNC_FAILPOINTS="state.move.between=1")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert state_file(tmp_path, "a.json").exists() and state_file(tmp_path, "b.json").exists()
    plan = scenario.cli("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output  # read as moved: no create, no note about a
    assert "a:" not in plan.stdout
    listed = scenario.wpsync("state", "list", "--format", "json")
    assert [r["key"] for r in json.loads(listed.stdout)["campaigns"]] == ["b"], listed.stdout
    assert scenario.cli("apply", "--auto-approve").exit_code == 0  # the next write finishes the move
    assert not state_file(tmp_path, "a.json").exists()
    assert not list((tmp_path / "state").glob("wpsync-move.json"))
    assert creates(emulator) == []


@pytest.mark.parametrize("point", ["state.move.between"])
def test_a_rename_planned_and_killed_mid_move_settles(
    tmp_path: Path, emulator: EmulatorHandle, point: str
) -> None:
    scenario = one_campaign(tmp_path, emulator)
    rename(tmp_path, "a", "b")
    killed = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS=f"{point}=1")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    rename(tmp_path, "b", "c")
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "move b → c" in again.stdout
    assert creates(emulator) == []
    assert sorted(p.name for p in (tmp_path / "state").glob("*.json") if ".applied" not in p.name) == [
        "c.json",
        "wpsync-state.json",
    ]
