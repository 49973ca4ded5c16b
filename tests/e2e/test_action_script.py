"""The GitHub Action's script (action.yml runs it) end to end against the emulator: plan, apply,
then drift and adopt of a change made in Woodpecker's app, with the step outputs a workflow reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx

from tests.e2e.conftest import ROOT, Workspace

SCRIPT = ROOT / "scripts" / "github-action.sh"


def action(ws: Workspace, command: str, **inputs: str) -> dict[str, str]:
    outputs = ws.root / "outputs.txt"
    outputs.write_text("")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GITHUB_OUTPUT": str(outputs),
        "COMMAND": command,
        "ACCOUNTS": inputs.get("account", ""),
        "MAKE_EDITABLE": inputs.get("make_editable", "policy"),
        "COMMENT": inputs.get("comment", "none"),
    }
    env.pop("GITHUB_STEP_SUMMARY", None)
    done = subprocess.run(
        [str(SCRIPT)], cwd=ws.root, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return dict(line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line)


def test_the_action_plans_applies_and_adopts_drift(ws: Workspace) -> None:
    assert action(ws, "plan") == {"validate": "0", "exit": "0"}
    assert (ws.root / "plan.md").read_text().startswith("<!-- wpsync:plan -->")
    assert action(ws, "apply") == {"changes": "true", "exit": "0"}
    assert action(ws, "apply") == {"changes": "false", "exit": "0"}
    record = json.loads((ws.root / "state" / "one-step-email.json").read_text())
    step = record["steps"][1]
    httpx.patch(
        f"{ws.emulator.base_url}/v2/campaigns/{record['campaign_id']}/steps/{step['id']}/versions/{step['version_ids'][0]}",
        json={"subject": "From the app"},
        headers={"x-api-key": "test-key"},
    ).raise_for_status()
    assert action(ws, "drift") == {"drifted": "one-step-email", "exit": "0"}
    ws.emulator.clear_requests()
    assert action(ws, "adopt") == {"drifted": "one-step-email", "exit": "0"}
    assert ws.posts() == []
    assert 'subject = "From the app"' in ws.file("one-step-email").read_text()
    assert action(ws, "drift") == {"drifted": "", "exit": "0"}


def test_a_bad_input_is_an_error_naming_it(ws: Workspace) -> None:
    assert action(ws, "plan", make_editable="sometimes")["exit"] == "1"
    assert action(ws, "deploy")["exit"] == "1"
