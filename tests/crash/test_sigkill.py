"""SIGKILL at every API-call boundary of a multi-campaign, multi-step apply; then apply again.

Boundaries, for each of the 4 mutating calls (2 appends, 2 creates):
- before the call (its intent is durable, nothing sent);
- after the response, before the state write;
- after the state write, before the intent is cleared.
"""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.crash.scenario import Scenario
from wpsync.emulator.server import EmulatorHandle

CALLS = [1, 2, 3, 4]


@pytest.mark.parametrize("point", ["apply.before_call", "apply.after_response", "apply.after_record"])
@pytest.mark.parametrize("call", CALLS)
def test_killed_at_a_failpoint_then_applied_again(
    tmp_path: Path, emulator: EmulatorHandle, point: str, call: int
) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    killed = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS=f"{point}={call}")
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    plan = scenario.cli("plan")
    assert "an earlier apply was interrupted" in plan.stdout
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "settled an interrupted" in again.stdout
    scenario.check()
