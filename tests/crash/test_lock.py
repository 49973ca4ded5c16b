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


def test_force_unlock_of_a_live_holder_asks_or_needs_force(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from wpsync.cli import main
    from wpsync.commands.unlock import force_unlock_command
    from wpsync.state.store import StateDir

    (tmp_path / "state").mkdir()
    live = {  # this very process, on this host: provably running
        "id": "beef01",
        "who": "ci",
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "command": "wpsync apply",
        "since": "x",
    }
    lock = tmp_path / "state" / ".lock"
    lock.write_text(json.dumps(live))
    args = ["force-unlock", "beef01", "--state", str(tmp_path / "state")]
    refused = CliRunner().invoke(main, args)  # no terminal: it cannot ask
    assert refused.exit_code == 1, refused.output
    assert "lock beef01 held by ci@" in refused.output and "is still running" in refused.output
    assert "pass --force" in refused.output and lock.exists()
    asked: list[str] = []
    lines: list[str] = []

    def answer(reply: bool) -> int:
        return force_unlock_command(
            StateDir(tmp_path / "state"),
            "beef01",
            force=False,
            interactive=True,
            confirm=lambda question: asked.append(question) or reply,
            echo=lines.append,
        )

    assert answer(False) == 1 and lock.exists() and lines == ["Nothing removed."]
    assert "Force-unlock it?" in asked[0]
    assert answer(True) == 0 and not lock.exists()
    lock.write_text(json.dumps(live))
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 0 and "Removed lock beef01" in forced.output and not lock.exists()
