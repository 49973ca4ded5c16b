"""apply under the emulator's injected faults: each ends with every campaign exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash.scenario import Scenario
from wpsync.emulator.server import EmulatorHandle


@pytest.mark.parametrize(
    ("kind", "count"),
    [("500", 1), ("429", 2), ("drop_before_commit", 1), ("drop_after_commit", 1), ("drop_after_commit", 2)],
)
def test_mutating_call_faults_settle_without_duplicates(
    tmp_path: Path, emulator: EmulatorHandle, kind: str, count: int
) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    emulator.add_fault(kind, count=count, method="POST")
    result = scenario.wpsync("apply", "--auto-approve")
    assert result.returncode == 0, result.stdout + result.stderr
    scenario.check()


def test_read_faults_are_retried(tmp_path: Path, emulator: EmulatorHandle) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    emulator.add_fault("500", count=2, method="GET")
    emulator.add_fault("drop_before_commit", count=1, method="GET")
    result = scenario.wpsync("apply", "--auto-approve")
    assert result.returncode == 0, result.stdout + result.stderr
    scenario.check()


def test_a_timed_out_create_is_found_not_duplicated(tmp_path: Path, emulator: EmulatorHandle) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    # The create answers after 3 s; wpsync gives up after 1 s, then looks before sending it again.
    emulator.add_fault("timeout", count=1, method="POST", path_prefix="/rest/v2/campaigns", seconds=3.0)
    result = scenario.wpsync("apply", "--auto-approve", WPSYNC_HTTP_TIMEOUT="1")
    assert result.returncode == 0, result.stdout + result.stderr
    scenario.check()


def test_exhausted_retries_stop_with_the_state_true(tmp_path: Path, emulator: EmulatorHandle) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    emulator.add_fault("500", count=50, method="POST")
    result = scenario.wpsync("apply", "--auto-approve")
    assert result.returncode == 1
    assert "0 of 4 change(s) were applied and recorded; fix the cause and run apply again" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list((tmp_path / "state").glob("*.intent.json"))
    creates = [r for r in scenario.mutating_calls() if r["path"] == "/rest/v2/campaigns"]
    appends = [r for r in scenario.mutating_calls() if r["path"].endswith("/steps")]
    # The first call (an append) was tried, looked for, and resent 3 times in all; nothing else was sent.
    assert len(appends) == 3 and creates == []
