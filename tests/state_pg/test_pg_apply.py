"""wpsync with WPSYNC_STATE_URL: apply is killed at a call boundary in one checkout, and run again
from *another* checkout against the same database — each campaign exists once with exactly its steps,
the database state says so, and no state/ folder was written anywhere."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.crash.scenario import EXTRA_STEPS, KEY, ROOT, Scenario
from wpsync.emulator.server import EmulatorHandle
from wpsync.files.loading import load_campaign
from wpsync.files.to_api import step_hash
from wpsync.state.postgres import PgState


def _run(
    scenario: Scenario, checkout: Path, url: str, *args: str, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wpsync", *args],
        cwd=checkout,
        env=scenario.env(WPSYNC_STATE_URL=url, **env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _two_checkouts(tmp_path: Path, emulator: EmulatorHandle, url: str) -> tuple[Scenario, Path, Path]:
    emulator.reset()
    a, b = tmp_path / "a", tmp_path / "b"
    (a / "campaigns").mkdir(parents=True)
    shutil.copy(ROOT / "campaigns" / "one-step-email.toml", a / "campaigns" / "alpha.toml")
    scenario = Scenario(a, emulator)
    first = _run(scenario, a, url, "apply", "--auto-approve")
    assert first.returncode == 0, first.stderr
    with (a / "campaigns" / "alpha.toml").open("a") as handle:
        handle.write(EXTRA_STEPS)
    shutil.copy(ROOT / "campaigns" / "one-step-email.toml", a / "campaigns" / "bravo.toml")
    text = (ROOT / "campaigns" / "two-step-linkedin.toml").read_text()
    (a / "campaigns" / "charlie.toml").write_text(text.replace("Two-step LinkedIn campaign", "Charlie"))
    shutil.copytree(a / "campaigns", b / "campaigns")
    emulator.clear_requests()
    return scenario, a, b


def _check(scenario: Scenario, url: str, *checkouts: Path) -> None:
    base = scenario.emulator.base_url
    listed = httpx.get(f"{base}/v1/campaign_list", headers={"x-api-key": KEY}).json()
    assert sorted(c["name"] for c in listed) == [
        "Charlie",
        "One-step email campaign",
        "One-step email campaign",
    ]
    state = PgState(url)
    assert state.intents() == {} and state.read_lock() is None
    for key, record in state.read_all().items():
        remote = httpx.get(f"{base}/v2/campaigns/{record.campaign_id}", headers={"x-api-key": KEY}).json()
        ids, node = [], remote["steps"]
        while node:
            ids.append(node["id"])
            node = node.get("followup")
        assert [s.id for s in record.steps] == ids, key
        campaign = load_campaign(checkouts[0] / "campaigns" / f"{key}.toml")
        assert [s.hash for s in record.content_steps] == [
            step_hash(s, campaign.schedules) for s in campaign.steps
        ]
    assert sorted(state.keys()) == ["alpha", "bravo", "charlie"]
    for checkout in checkouts:
        assert not (checkout / "state").exists()
        plan = _run(scenario, checkout, url, "plan", "--detailed-exitcode")
        assert plan.returncode == 0, plan.stdout + plan.stderr


@pytest.mark.parametrize(
    ("point", "call"),
    [
        ("apply.before_call", 1),
        ("apply.after_response", 2),
        ("apply.after_record", 3),
        ("apply.after_response", 4),
    ],
)
def test_killed_in_one_checkout_then_applied_from_another(
    tmp_path: Path, emulator: EmulatorHandle, pg_url: str, point: str, call: int
) -> None:
    scenario, a, b = _two_checkouts(tmp_path, emulator, pg_url)
    killed = _run(scenario, a, pg_url, "apply", "--auto-approve", WPSYNC_FAILPOINTS=f"{point}={call}")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert PgState(pg_url).intents()  # the journal of the killed run is in the database
    again = _run(scenario, b, pg_url, "apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "settled an interrupted" in again.stdout
    _check(scenario, pg_url, a, b)


def test_a_second_checkout_is_refused_with_exit_5_while_one_applies(
    tmp_path: Path, emulator: EmulatorHandle, pg_url: str
) -> None:
    scenario, a, b = _two_checkouts(tmp_path, emulator, pg_url)
    emulator.set_latency(0.4)
    first = subprocess.Popen(
        [sys.executable, "-m", "wpsync", "apply", "--auto-approve"],
        cwd=a,
        env=scenario.env(WPSYNC_STATE_URL=pg_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    state = PgState(pg_url)
    deadline = time.monotonic() + 30
    while ((holder := state.read_lock()) is None or holder["id"] == "?") and time.monotonic() < deadline:
        time.sleep(0.02)  # "?": the advisory lock is taken, its holder row not yet committed
    assert holder is not None
    second = _run(scenario, b, pg_url, "apply", "--auto-approve", "--lock-timeout", "0")
    assert second.returncode == 5, second.stderr
    assert (
        f"the state is locked: lock {holder['id']} held by {holder['who']}@{holder['host']}" in second.stderr
    )
    assert f"(pid {first.pid}), running `wpsync apply` since" in second.stderr
    emulator.set_latency(0)
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, out + err
    _check(scenario, pg_url, a, b)
