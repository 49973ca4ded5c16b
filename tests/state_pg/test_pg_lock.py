"""The PostgreSQL lock: who holds it, waiting, exit 5, released when the holder dies, one winner."""

from __future__ import annotations

import os
import signal
import socket
import threading
import time

import pytest

from tests.state_pg.helpers import child, record
from wpsync.errors import EXIT_LOCKED, StateError, StateLocked
from wpsync.state.backend import force_unlock_state, lock_state
from wpsync.state.postgres import PgState

HOLD = """
import sys, time
from wpsync.state.postgres import PgState
state = PgState(sys.argv[1])
with state.lock("wpsync apply") as holder:
    print(holder["id"], flush=True)
    sys.stdin.readline()
"""

RACER = """
import sys
from wpsync.errors import StateLocked
from wpsync.state.postgres import PgState
state = PgState(sys.argv[1])
state.keys()  # connected before the race
for line in sys.stdin:
    try:
        with state.lock("racer"):
            print("won", flush=True)
            sys.stdin.readline()
    except StateLocked:
        print("lost", flush=True)
"""


def test_holder_details_and_exit_5_after_waiting(pg_url: str) -> None:
    first, second = PgState(pg_url), PgState(pg_url)
    notices: list[str] = []
    with first.lock("wpsync apply") as holder:
        seen = second.read_lock()
        assert seen is not None
        assert {k: seen[k] for k in ("id", "who", "host", "pid", "command", "since")} == holder
        assert holder["pid"] == os.getpid() and holder["host"] != "localhost" and holder["who"]
        started = time.monotonic()
        with (
            pytest.raises(StateLocked) as caught,
            second.lock("wpsync apply", timeout=1.0, notice=notices.append),
        ):
            pass
        assert 0.9 <= time.monotonic() - started < 5
    assert caught.value.exit_code == EXIT_LOCKED == 5
    message = caught.value.message
    assert f"lock {holder['id']} held by {holder['who']}@{holder['host']} (pid {os.getpid()})" in message
    assert "running `wpsync apply` since" in message and f"wpsync force-unlock {holder['id']}" in message
    assert notices and notices[0].startswith("waiting up to 1 s for the state lock: lock ")
    assert second.read_lock() is None
    with second.lock("now free"):
        pass


def test_a_waiter_gets_the_lock_when_the_holder_finishes(pg_url: str) -> None:
    first, second = PgState(pg_url), PgState(pg_url)
    taken = threading.Event()

    def hold() -> None:
        with first.lock("wpsync apply"):
            taken.set()
            time.sleep(0.5)

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(10)
    started = time.monotonic()
    with lock_state(second, "wpsync apply", timeout=10) as holder:
        waited = time.monotonic() - started
        assert second.read_lock()["id"] == holder["id"]  # type: ignore[index]
    thread.join()
    assert 0.3 < waited < 5


def test_lock_is_released_when_the_holder_is_killed(pg_url: str) -> None:
    holder = child(HOLD, pg_url)
    assert holder.stdout is not None
    lock_id = holder.stdout.readline().strip()
    assert lock_id, holder.stderr.read() if holder.stderr else ""
    state = PgState(pg_url)
    assert state.read_lock()["id"] == lock_id  # type: ignore[index]
    holder.send_signal(signal.SIGKILL)
    holder.communicate(timeout=10)
    notices: list[str] = []
    with state.lock("wpsync apply", timeout=10, notice=notices.append):
        pass
    # The server ends the killed holder's session once it sees the socket close: on a busy machine
    # that can be after our first try, so a "waiting" notice may come first; the takeover is last.
    *waited, taken = notices
    assert all(n.startswith("waiting up to 10 s for the state lock: lock ") for n in waited), notices
    assert len(waited) <= 1, notices
    assert taken.startswith(f"taking over a stale lock {lock_id} held by "), notices
    assert taken.endswith("its database session is gone")


def test_two_processes_racing_for_the_lock_exactly_one_wins(pg_url: str) -> None:
    racers = [child(RACER, pg_url) for _ in range(2)]
    try:
        for _trial in range(20):
            for racer in racers:
                assert racer.stdin is not None
                racer.stdin.write("go\n")
                racer.stdin.flush()
            answers = [racer.stdout.readline().strip() for racer in racers]  # type: ignore[union-attr]
            assert sorted(answers) == ["lost", "won"], answers
            winner = racers[answers.index("won")]
            winner.stdin.write("release\n")  # type: ignore[union-attr]
            winner.stdin.flush()  # type: ignore[union-attr]
            while PgState(pg_url).read_lock() is not None:
                time.sleep(0.01)
    finally:
        for racer in racers:
            racer.communicate(input="", timeout=10)


def test_two_workspaces_in_one_database_do_not_block_each_other(pg_url: str) -> None:
    other = pg_url + "-b"
    with PgState(pg_url).lock("wpsync apply"), PgState(other).lock("wpsync apply", timeout=0):
        pass


def test_force_unlock_ends_the_holders_session(pg_url: str) -> None:
    holder = child(HOLD, pg_url)
    lock_id = holder.stdout.readline().strip()  # type: ignore[union-attr]
    state = PgState(pg_url)
    with pytest.raises(StateError, match="not by lock nope; nothing removed"):
        force_unlock_state(state, "nope")
    removed = force_unlock_state(state, lock_id)
    assert removed["id"] == lock_id and removed["command"] == "wpsync apply"
    assert state.read_lock() is None
    with state.lock("after", timeout=0):
        pass
    holder.communicate(input="\n", timeout=10)
    with pytest.raises(StateError, match="the state is not locked"):
        state.force_unlock(lock_id)


def test_a_holder_whose_session_is_gone_cannot_write(pg_url: str) -> None:
    state = PgState(pg_url)
    lineage = state.lineage(create=True) or ""
    with state.lock("wpsync apply") as holder:
        PgState(pg_url).force_unlock(holder["id"])
        with pytest.raises(StateError) as ended:
            state.write(record("alpha", lineage))
        # The holder is told why, by whom and from where, not only "terminating connection due to
        # administrator command".
        message = ended.value.message
        assert f"this run's state lock {holder['id']} was force-unlocked by " in message, message
        assert (
            f"@{socket.gethostname()} (pid {os.getpid()}, `wpsync force-unlock {holder['id']}`) at "
            in message
        )
        assert "nothing more was written. Run `wpsync apply` again" in message
        with pytest.raises(StateError):
            state.write(record("alpha", lineage))  # never reconnects behind the lock's back
    assert PgState(pg_url).keys() == []


def test_writes_on_another_session_than_the_locks_are_refused(pg_url: str) -> None:
    """What a transaction-pooling proxy would do: the lock on one server session, a write on another."""
    state = PgState(pg_url)
    lineage = state.lineage(create=True) or ""
    with state.lock("wpsync apply"):
        state._fence = -1  # as if the lock had been taken on another backend
        with pytest.raises(StateError, match="transaction-pooling proxy"):
            state.write(record("alpha", lineage))
    assert state.keys() == []


def test_a_stuck_session_locking_the_tables_is_reported_not_waited_on(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A server session a transaction pooler kept open, or an open psql transaction, can hold a lock on
    # wpsync's tables indefinitely; a run must say so within lock_timeout instead of hanging.
    from wpsync.state import pg_schema

    PgState(pg_url).keys()  # the schema and the workspace exist
    monkeypatch.setattr(pg_schema, "ROW_LOCK_WAIT_SECONDS", 0.5)
    blocker = pg_schema.connect(pg_schema.parse_url(pg_url))
    try:
        with blocker.transaction():
            blocker.execute("LOCK TABLE wpsync.locks IN ACCESS EXCLUSIVE MODE")
            started = time.monotonic()
            with pytest.raises(StateLocked) as caught, PgState(pg_url).lock("wpsync apply", timeout=0):
                pytest.fail("the lock was taken past a session holding the lock table")
            assert time.monotonic() - started < 5
    finally:
        blocker.close()
    message = caught.value.message
    assert caught.value.exit_code == EXIT_LOCKED
    assert "cannot take the state lock: another database session has held a lock" in message
    assert "over 0.5 s" in message and "pg_terminate_backend" in message and "nothing was written" in message
    with PgState(pg_url).lock("wpsync apply"):  # once the session is gone, the lock is free
        pass
