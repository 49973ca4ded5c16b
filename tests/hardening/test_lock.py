"""Items 5 and 6: taking over a stale lock is atomic; a failed write never leaves an empty lock; a full
disk during apply is a clear StateError."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.hardening.conftest import assert_clear_error, cli
from wpsync.emulator.server import EmulatorHandle
from wpsync.errors import StateError, StateLocked
from wpsync.state.lock import LOCK_FILE, state_lock

ROOT = Path(__file__).resolve().parents[2]
DEAD_PID = 2**22 + 7  # above Linux's largest pid: never alive


def dead_lock(root: Path, lock_id: str = "dead01") -> None:
    root.mkdir(parents=True, exist_ok=True)
    holder = {
        "id": lock_id,
        "who": "ci",
        "host": socket.gethostname(),
        "pid": DEAD_PID,
        "command": "x",
        "since": "x",
    }
    (root / LOCK_FILE).write_text(json.dumps(holder))


def contend(root: str, barrier: Any, results: Any, release: Any) -> None:
    # A slow filesystem: every unlink takes a few milliseconds. Timing only — it widens the window
    # between judging a lock stale and removing it, where a takeover that is not atomic goes wrong.
    real_unlink, rng = os.unlink, random.Random()

    def slow_unlink(path: Any, *args: Any, **kwargs: Any) -> None:
        time.sleep(rng.uniform(0, 0.005))
        real_unlink(path, *args, **kwargs)

    os.unlink = slow_unlink  # this forked process only
    barrier.wait()
    try:
        with state_lock(Path(root), "wpsync apply"):
            results.put("won")
            release.wait(10)  # hold the lock until every contender has tried
    except StateLocked:
        results.put("locked")
    except BaseException as exc:
        results.put(f"error {exc!r}")


def test_exactly_one_of_four_takes_over_a_stale_lock(tmp_path: Path) -> None:
    context = multiprocessing.get_context("fork")
    outcomes: list[list[str]] = []
    for trial in range(40):
        root = tmp_path / f"state{trial}"
        dead_lock(root)
        barrier, results, release = context.Barrier(4), context.Queue(), context.Event()
        workers = [
            context.Process(target=contend, args=(str(root), barrier, results, release)) for _ in range(4)
        ]
        for worker in workers:
            worker.start()
        seen = sorted(results.get(timeout=30) for _ in workers)
        release.set()
        for worker in workers:
            worker.join(30)
        outcomes.append(seen)
    bad = [seen for seen in outcomes if seen != ["locked", "locked", "locked", "won"]]
    assert not bad, f"{len(bad)} of 40 trials: {bad[:5]}"


def test_enospc_while_taking_the_lock_leaves_no_lock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int, data: Any) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with (
        pytest.raises(StateError, match="no space left on device — free space and run apply again"),
        state_lock(tmp_path, "wpsync apply"),
    ):
        pass
    monkeypatch.undo()
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    with state_lock(tmp_path, "wpsync apply") as holder:
        assert json.loads((tmp_path / LOCK_FILE).read_text())["id"] == holder["id"]


LOCK_WITH_NO_ROOM = """
import resource, signal, sys
from pathlib import Path
from wpsync.state.lock import state_lock
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.RLIM_INFINITY))  # every write fails: EFBIG
try:
    with state_lock(Path(sys.argv[1]), "wpsync apply"):
        pass
except Exception as exc:
    print(type(exc).__name__, exc)
"""


def test_a_failed_lock_write_never_leaves_an_empty_lock(tmp_path: Path) -> None:
    # A real write failure from the kernel (the file size limit), whatever the code writes with.
    result = subprocess.run(
        [sys.executable, "-c", LOCK_WITH_NO_ROOM, str(tmp_path)],
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert "StateError" in result.stdout, result.stdout + result.stderr
    assert not (tmp_path / LOCK_FILE).exists()


def test_an_empty_lock_file_is_reported_with_how_to_remove_it(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / LOCK_FILE).write_bytes(b"")
    shutil.copytree(ROOT / "campaigns", tmp_path / "campaigns")
    result = cli(
        [
            "apply",
            "--auto-approve",
            "--campaigns",
            str(tmp_path / "campaigns"),
            "--state",
            str(tmp_path / "state"),
        ],
        WOODPECKER_API_KEY="test-key",
        WOODPECKER_API_URL="http://127.0.0.1:9/rest",
    )
    assert_clear_error(
        result, "the state lock file is empty or damaged", f"rm {tmp_path / 'state' / LOCK_FILE}", code=5
    )
    assert "?@?" not in result.output


def test_enospc_mid_apply_is_a_clear_state_error(
    tmp_path: Path, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "campaigns", tmp_path / "campaigns")
    args = [
        "apply",
        "--auto-approve",
        "--campaigns",
        str(tmp_path / "campaigns"),
        "--state",
        str(tmp_path / "state"),
    ]
    env = {"WOODPECKER_API_KEY": "test-key", "WOODPECKER_API_URL": emulator.base_url}
    real_replace = os.replace
    calls = {"n": 0}

    def replace_until_full(src: Any, dst: Any, **kwargs: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 3:  # the state's first files land, then the disk is full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_replace(src, dst, **kwargs)

    monkeypatch.setattr(os, "replace", replace_until_full)
    result = cli(args, **env)
    assert_clear_error(result, "no space left on device", "nothing was lost")
    monkeypatch.undo()
    again = cli(args, **env)
    assert again.exit_code == 0, again.output
    assert cli(["plan", "--detailed-exitcode", *args[2:]], **env).exit_code == 0
    listed = httpx.get(f"{emulator.base_url}/v1/campaign_list", headers={"x-api-key": "test-key"}).json()
    names = sorted(c["name"] for c in listed)
    assert len(names) == len(set(names)) == 3, names  # each example campaign exactly once
