"""Two checkouts (two folders with the same campaign files, no state/ in either) apply at the same
moment over HTTP to the emulator, sharing one PostgreSQL state: each campaign is created exactly once,
and the run that loses the lock either waits for it or exits 5 naming the holder. A holder SIGKILLed
mid-apply releases the lock with its session, and the run waiting in the other checkout settles what
it left and converges."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.crash.scenario import Scenario
from tests.state_pg.test_pg_apply import _check, _two_checkouts
from wpsync.emulator.server import EmulatorHandle
from wpsync.state.postgres import PgState


def _start(scenario: Scenario, checkout: Path, url: str, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wpsync", "apply", "--auto-approve", *args],
        cwd=checkout,
        env=scenario.env(WPSYNC_STATE_URL=url, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    out, err = process.communicate(timeout=120)
    return process.returncode, out + err


def test_two_checkouts_at_once_the_loser_waits(tmp_path: Path, emulator: EmulatorHandle, pg_url: str) -> None:
    scenario, a, b = _two_checkouts(tmp_path, emulator, pg_url)
    emulator.set_latency(0.2)
    runs = [_start(scenario, a, pg_url), _start(scenario, b, pg_url)]  # default: wait up to 180 s
    (code_a, out_a), (code_b, out_b) = (_finish(p) for p in runs)
    assert code_a == 0 and code_b == 0, out_a + out_b
    waited = [out for out in (out_a, out_b) if "waiting up to 180 s for the state lock" in out]
    assert len(waited) == 1, out_a + out_b
    assert "held by " in waited[0] and "running `wpsync apply`" in waited[0]
    created = [out for out in (out_a, out_b) if "Apply complete: 2 campaign(s) created" in out]
    assert len(created) == 1 and "Apply complete: 0 campaign(s) created" in waited[0], out_a + out_b
    emulator.set_latency(0)
    _check(scenario, pg_url, a, b)


def test_two_checkouts_at_once_the_loser_exits_5_naming_the_holder(
    tmp_path: Path, emulator: EmulatorHandle, pg_url: str
) -> None:
    scenario, a, b = _two_checkouts(tmp_path, emulator, pg_url)
    emulator.set_latency(0.3)
    runs = [
        _start(scenario, a, pg_url, "--lock-timeout", "0"),
        _start(scenario, b, pg_url, "--lock-timeout", "0"),
    ]
    results = [_finish(p) for p in runs]
    assert sorted(code for code, _ in results) == [0, 5], results
    winner = runs[[code for code, _ in results].index(0)]
    loser_output = next(out for code, out in results if code == 5)
    assert "the state is locked: lock " in loser_output
    assert f"(pid {winner.pid}), running `wpsync apply` since" in loser_output
    assert "force-unlock" in loser_output
    emulator.set_latency(0)
    _check(scenario, pg_url, a, b)


def test_holder_killed_mid_apply_the_waiting_checkout_converges(
    tmp_path: Path, emulator: EmulatorHandle, pg_url: str
) -> None:
    scenario, a, b = _two_checkouts(tmp_path, emulator, pg_url)
    emulator.set_latency(0.2)
    doomed = _start(scenario, a, pg_url, WPSYNC_FAILPOINTS="apply.after_response=3")
    state = PgState(pg_url)
    deadline = time.monotonic() + 30
    while ((holder := state.read_lock()) is None or holder["id"] == "?") and time.monotonic() < deadline:
        time.sleep(0.02)
    assert holder is not None and holder["pid"] == doomed.pid
    waiter = _start(scenario, b, pg_url)
    code, out = _finish(doomed)
    assert code == -signal.SIGKILL, out
    code, out = _finish(waiter)
    assert code == 0, out
    assert "waiting up to 180 s for the state lock" in out and "settled an interrupted" in out
    emulator.set_latency(0)
    _check(scenario, pg_url, a, b)
