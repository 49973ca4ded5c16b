"""A campaign an interrupted apply left EDITED is set back to its status by the next apply even when
that apply refuses the rest of its plan — a refusal in another file, or in the campaign's own."""

from __future__ import annotations

import json
import shutil
import signal
from pathlib import Path

from tests.crash.scenario import ROOT
from tests.crash.test_edit_crash import EditScenario
from wpsync.emulator.server import EmulatorHandle

SECOND_VERSION = 'track_opens = false\n\n[[steps.versions]]\nsubject = "B"\nmessage = "<p>B</p>"\n'


def killed_after_make_editable(root: Path, emulator: EmulatorHandle) -> EditScenario:
    scenario = EditScenario.running(root, emulator)
    killed = scenario.wpsync(
        "apply", "--auto-approve", "--make-editable", WPSYNC_FAILPOINTS="apply.after_response=1"
    )
    assert killed.returncode == -signal.SIGKILL
    assert scenario.remote()["status"] == "EDITED"
    assert scenario.record()["restore_status"] == "RUNNING"
    return scenario


def calls_after(scenario: EditScenario, emulator: EmulatorHandle) -> list[str]:
    return [r["path"].rsplit("/", 1)[-1] for r in emulator.requests() if r["method"] != "GET"]


def test_a_refusal_in_another_file_still_restores(tmp_path: Path, emulator: EmulatorHandle) -> None:
    scenario = killed_after_make_editable(tmp_path, emulator)
    other = tmp_path / "campaigns" / "beta.toml"
    shutil.copy(ROOT / "campaigns" / "one-step-email.toml", other)
    other.write_text(other.read_text().replace("email_account_ids = [112233]", "email_account_ids = [999]"))
    emulator.clear_requests()
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 3, again.stdout + again.stderr
    assert "account_invalid" in again.stdout
    assert "only the status restores above are made" in again.stdout
    assert calls_after(scenario, emulator) == ["run"]  # the restore, and nothing else
    assert scenario.remote()["status"] == "RUNNING"
    record = scenario.record()
    assert record["status"] == "RUNNING" and "restore_status" not in record
    # Its edits were not made (the plan was refused): the next plan still shows them, and no restore.
    plan = scenario.cli("plan", "--format", "json", "--make-editable")
    assert "restore" not in {n["code"] for n in json.loads(plan.stdout)["notes"]}


def test_a_refusal_in_its_own_file_still_restores(tmp_path: Path, emulator: EmulatorHandle) -> None:
    scenario = killed_after_make_editable(tmp_path, emulator)
    path = tmp_path / "campaigns" / "alpha.toml"
    path.write_text(path.read_text().replace("track_opens = false\n", SECOND_VERSION, 1))
    emulator.clear_requests()
    plan = scenario.cli("plan")
    assert plan.exit_code == 3, plan.output
    assert "versions_changed" in plan.stdout and "back to RUNNING" in plan.stdout
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 3, again.stdout + again.stderr
    assert calls_after(scenario, emulator) == ["run"]
    assert scenario.remote()["status"] == "RUNNING"
    assert "restore_status" not in scenario.record()
