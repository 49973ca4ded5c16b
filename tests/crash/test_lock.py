"""One writer at a time: a second apply fails at once with exit 5 and says who holds the lock."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

from tests.crash.scenario import Scenario
from wpsync.emulator.server import EmulatorHandle


def test_second_run_is_refused_with_the_holders_details(tmp_path: Path, emulator: EmulatorHandle) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    emulator.set_latency(0.4)  # keep the first apply busy
    first = scenario.start("apply", "--auto-approve")
    lock = tmp_path / "state" / ".lock"
    for _ in range(400):
        if lock.exists():
            break
        time.sleep(0.01)
    second = scenario.wpsync("apply", "--auto-approve")
    assert second.returncode == 5, second.stderr
    holder = json.loads(lock.read_text())
    assert f"the state is locked: lock {holder['id']} held by" in second.stderr
    assert "running `wpsync apply` since" in second.stderr
    assert f"wpsync force-unlock {holder['id']}" in second.stderr
    emulator.set_latency(0)
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, out + err
    assert not lock.exists()
    scenario.check()


def test_a_lock_left_by_a_dead_process_on_this_host_is_taken_over(
    tmp_path: Path, emulator: EmulatorHandle
) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    dead = {
        "id": "abc123",
        "who": "ci",
        "host": socket.gethostname(),
        "pid": 2**22 + 7,
        "command": "wpsync apply",
        "since": "x",
    }
    (tmp_path / "state" / ".lock").write_text(json.dumps(dead))
    result = scenario.wpsync("apply", "--auto-approve")
    assert result.returncode == 0, result.stderr
    assert "taking over a stale lock abc123" in result.stdout
    scenario.check()


def test_a_lock_from_another_host_needs_force_unlock(tmp_path: Path, emulator: EmulatorHandle) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    other = {
        "id": "feed42",
        "who": "ci",
        "host": "runner-7",
        "pid": os.getpid(),
        "command": "wpsync apply",
        "since": "x",
    }
    (tmp_path / "state" / ".lock").write_text(json.dumps(other))
    refused = scenario.wpsync("apply", "--auto-approve")
    assert refused.returncode == 5
    wrong = scenario.wpsync("force-unlock", "nope")
    assert wrong.returncode == 1 and "not by lock nope; nothing removed" in wrong.stderr
    unlocked = scenario.wpsync("force-unlock", "feed42")
    assert unlocked.returncode == 0 and "Removed lock feed42 held by ci@runner-7" in unlocked.stdout
    assert scenario.wpsync("apply", "--auto-approve").returncode == 0
    scenario.check()
