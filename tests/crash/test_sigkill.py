"""SIGKILL at every API-call boundary of a multi-campaign, multi-step apply; then apply again.

Boundaries, for each of the 4 mutating calls (2 appends, 2 creates):
- before the call (its intent is durable, nothing sent);
- after the server committed, before the response reached wpsync (the emulator holds the answer);
- after the response, before the state write;
- after the state write, before the intent is cleared.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from tests.crash.scenario import Scenario
from wpsync.emulator.server import EmulatorHandle
from wpsync.state.store import StateDir

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


@pytest.mark.parametrize("call", CALLS)
def test_killed_after_the_server_committed_before_the_answer(
    tmp_path: Path, emulator: EmulatorHandle, call: int
) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    # The first `call` POSTs are answered 0.6 s late; the last of them is where wpsync dies.
    emulator.add_fault("stall_after_commit", count=call, method="POST", seconds=0.6)
    process = scenario.start("apply", "--auto-approve")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        committed = [r for r in scenario.mutating_calls() if r["status"] is not None]
        if len(committed) >= call:  # the server has committed call N and holds its answer
            break
        time.sleep(0.005)
    else:
        process.kill()
        pytest.fail(f"the apply never reached call {call}")
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    scenario.check()


def test_power_loss_after_the_last_call_loses_unsynced_records_but_not_the_campaigns(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    """Records written during an apply are synced only at its end; the intents are the durable anchor.
    Simulate losing the unsynced writes of a run that died just before its final sync, then apply again."""
    scenario = Scenario.prepare(tmp_path, emulator)
    killed = scenario.wpsync("apply", "--auto-approve", WPSYNC_FAILPOINTS="apply.after_record=4")
    assert killed.returncode == -signal.SIGKILL
    state = tmp_path / "state"
    # The intents of the killed run, in its journal (one line per call; alpha's latest replaces its first).
    assert list(StateDir(state).intents()) == ["alpha", "bravo", "charlie"]
    # What a power cut would lose: alpha's second append (its first was synced before the intent that
    # replaced it), and both creates.
    (state / ".backup" / "alpha.json").replace(state / "alpha.json")
    for key in ("bravo", "charlie"):
        (state / f"{key}.json").unlink()
        (state / f"{key}.applied.json").unlink()
    again = scenario.wpsync("apply", "--auto-approve")
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.count("did happen in Woodpecker, and is now recorded") == 3
    assert scenario.mutating_calls()[-1]["path"] == "/rest/v2/campaigns"  # nothing new was sent
    assert len(scenario.mutating_calls()) == 4
    scenario.check()
