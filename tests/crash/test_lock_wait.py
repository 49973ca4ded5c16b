"""lock_state waits for a live holder of the file lock up to its timeout, then exits 5 as before."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from wpsync.errors import StateLocked
from wpsync.state.backend import force_unlock_state, lock_state
from wpsync.state.lock import state_lock
from wpsync.state.store import StateDir


def test_file_lock_waits_then_gives_up(tmp_path: Path) -> None:
    state = StateDir(tmp_path / "state")
    notices: list[str] = []
    with state_lock(state.root, "wpsync apply"):
        started = time.monotonic()
        with (
            pytest.raises(StateLocked, match=r"held by .* running `wpsync apply`"),
            lock_state(state, "wpsync apply", timeout=0.5, notice=notices.append),
        ):
            pass
        assert time.monotonic() - started >= 0.5
    assert notices and notices[0].startswith("waiting up to 0.5 s: the state is locked: lock ")


def test_file_lock_waiter_gets_it_when_released(tmp_path: Path) -> None:
    state = StateDir(tmp_path / "state")
    taken = threading.Event()

    def hold() -> None:
        with state_lock(state.root, "wpsync apply"):
            taken.set()
            time.sleep(0.4)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    with lock_state(state, "wpsync import 1", timeout=10) as holder:
        assert holder["command"] == "wpsync import 1"
    thread.join()
    assert not (state.root / ".lock").exists()


def test_force_unlock_state_on_files(tmp_path: Path) -> None:
    state = StateDir(tmp_path / "state")
    with state_lock(state.root, "wpsync apply") as holder:
        assert force_unlock_state(state, holder["id"])["id"] == holder["id"]
        assert not (state.root / ".lock").exists()
