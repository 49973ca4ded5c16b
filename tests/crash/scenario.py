"""A multi-campaign, multi-step apply to interrupt: 2 appends to one campaign, then 2 creates.

``Scenario.check()`` is the invariant every interruption must preserve once apply is run again: every
campaign exists in Woodpecker exactly once with exactly its steps, the state records exactly that, and
the next plan is empty.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from click.testing import CliRunner, Result

from wpsync.cli import main
from wpsync.emulator.server import EmulatorHandle
from wpsync.files.loading import load_campaign
from wpsync.files.to_api import step_hash

ROOT = Path(__file__).resolve().parents[2]
KEY = "test-key"

EXTRA_STEPS = """
[[steps]]
type = "EMAIL"
delivery_time = "workdays"
followup_after = { range = "DAY", value = 2 }
[[steps.versions]]
message = "<p>Second touch {{FIRST_NAME | \\"there\\"}}</p>"
track_opens = false

[[steps]]
type = "EMAIL"
delivery_time = { FRIDAY = [{ from = "10:00", to = "12:00" }] }
[[steps.versions]]
message = "<p>Last one</p>"
track_opens = true
"""


@dataclass
class Scenario:
    root: Path
    emulator: EmulatorHandle

    @classmethod
    def prepare(cls, root: Path, emulator: EmulatorHandle) -> Scenario:
        emulator.reset()
        (root / "campaigns").mkdir(parents=True)
        shutil.copy(ROOT / "campaigns" / "one-step-email.toml", root / "campaigns" / "alpha.toml")
        scenario = cls(root, emulator)
        first = scenario.cli("apply", "--auto-approve")
        assert first.exit_code == 0, first.output
        with (root / "campaigns" / "alpha.toml").open("a") as handle:
            handle.write(EXTRA_STEPS)
        shutil.copy(ROOT / "campaigns" / "one-step-email.toml", root / "campaigns" / "bravo.toml")
        text = (ROOT / "campaigns" / "two-step-linkedin.toml").read_text()
        (root / "campaigns" / "charlie.toml").write_text(
            text.replace("Two-step LinkedIn campaign", "Charlie")
        )
        emulator.clear_requests()
        return scenario

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
        env |= {
            "WOODPECKER_API_KEY": KEY,
            "WOODPECKER_API_URL": self.emulator.base_url,
            "PYTHONPATH": str(ROOT),
        }
        return env | extra

    def wpsync(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "wpsync", *args],
            cwd=self.root,
            env=self.env(**env),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    def cli(self, *args: str) -> Result:
        """In-process, for the steps that need no real process of their own (faster than a subprocess)."""
        paths = ["--campaigns", str(self.root / "campaigns"), "--state", str(self.root / "state")]
        env = {
            "WOODPECKER_API_KEY": KEY,
            "WOODPECKER_API_URL": self.emulator.base_url,
            "WPSYNC_FAILPOINTS": None,
        }
        return CliRunner().invoke(main, [*args, *paths], env=env, catch_exceptions=False)

    def start(self, *args: str, **env: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "wpsync", *args],
            cwd=self.root,
            env=self.env(**env),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def mutating_calls(self) -> list[dict[str, Any]]:
        return [r for r in self.emulator.requests() if r["method"] == "POST"]

    def check(self) -> None:
        """The invariant: each campaign once, exactly its steps, state true, next plan empty."""
        listed = httpx.get(f"{self.emulator.base_url}/v1/campaign_list", headers={"x-api-key": KEY}).json()
        names = sorted(c["name"] for c in listed)
        assert names == ["Charlie", "One-step email campaign", "One-step email campaign"], names
        for key in ("alpha", "bravo", "charlie"):
            record = json.loads((self.root / "state" / f"{key}.json").read_text())
            remote = httpx.get(
                f"{self.emulator.base_url}/v2/campaigns/{record['campaign_id']}", headers={"x-api-key": KEY}
            ).json()
            ids, node = [], remote["steps"]
            while node:
                ids.append(node["id"])
                node = node.get("followup")
            assert [s["id"] for s in record["steps"]] == ids, key
            campaign = load_campaign(self.root / "campaigns" / f"{key}.toml")
            wanted = [step_hash(step, campaign.schedules) for step in campaign.steps]
            assert [s["hash"] for s in record["steps"][1:]] == wanted, key
        assert not list((self.root / "state").glob("*.intent.json"))
        assert not (self.root / "state" / "wpsync-journal.jsonl").exists()  # settled and removed
        plan = self.cli("plan", "--detailed-exitcode")
        assert plan.exit_code == 0, plan.output
