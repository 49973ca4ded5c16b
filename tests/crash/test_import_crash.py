"""`import` is atomic where it matters (#13.7): killed between its record and its file, the next apply
creates nothing (no duplicate), and importing again finishes the job."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from wpsync.emulator.server import EmulatorHandle

ROOT = Path(__file__).resolve().parents[2]


def _run(cwd: Path, emulator: EmulatorHandle, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = dict(
        os.environ, WOODPECKER_API_KEY=emulator.api_key, WOODPECKER_API_URL=emulator.base_url, **env
    )
    return subprocess.run(
        [sys.executable, "-m", "wpsync", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        check=False,
    )


def test_an_import_killed_between_record_and_file_never_leads_to_a_duplicate(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    source = tmp_path / "source"
    shutil.copytree(ROOT / "campaigns", source / "campaigns")
    assert _run(source, emulator, "apply", "--auto-approve").returncode == 0
    campaign_id = json.loads((source / "state" / "one-step-email.json").read_text())["campaign_id"]

    adopter = tmp_path / "adopter"
    (adopter / "campaigns").mkdir(parents=True)
    killed = _run(
        adopter,
        emulator,
        "import",
        str(campaign_id),
        "--key",
        "adopted",
        WPSYNC_FAILPOINTS="import.after_record=1",
    )
    assert killed.returncode == -9, killed.stderr
    assert (adopter / "state" / "adopted.json").exists()
    assert not (adopter / "campaigns" / "adopted.toml").exists()

    emulator.clear_requests()
    plan = _run(adopter, emulator, "plan")
    assert plan.returncode == 0, plan.stderr
    assert "create campaign" not in plan.stdout
    assert "adopted: no campaign file any more" in plan.stdout

    again = _run(adopter, emulator, "import", str(campaign_id), "--key", "adopted")
    assert again.returncode == 0, again.stderr
    assert (adopter / "campaigns" / "adopted.toml").exists()
    final = _run(adopter, emulator, "plan")
    assert "No changes" in final.stdout, final.stdout + final.stderr
    assert [r for r in emulator.requests() if r["method"] != "GET"] == []
