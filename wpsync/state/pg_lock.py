"""The state lock in PostgreSQL: a session advisory lock per workspace, with a row saying who holds it.

Why a session advisory lock and not a lease: PostgreSQL itself releases it the moment the holder's
session ends — the process exits, is SIGKILLed, or its machine vanishes (TCP keepalives on both ends
end a half-open session within about 90 s) — with no clock, heartbeat thread or expiry to tune, and a
paused holder never loses it while it can still write. Every write of a lock holder runs on the same
session and first checks, in its own transaction, that it is still the backend that took the lock and
that the session still holds this run's token (``TOKEN``, set in the transaction that took the lock),
so a holder whose session was ended (``force-unlock``) cannot write. A transaction-pooling proxy
(PgBouncer in transaction mode) hands server sessions to clients per transaction: a run's writes may
land on another session (no token: refused), and a second run may be handed the first one's session,
where the advisory lock is re-entrant and would be granted again — the token already there gives that
away in the very transaction that took the lock, and the second run gives its hold back and refuses. The URL must reach PostgreSQL directly or through a
session-pooling proxy.

Unlike Terraform's pg backend, the advisory key is not one id for the whole database: it is
(``LOCK_CLASS``, the workspace's ``lock_key``), an identity column, so two workspaces never share a
lock. The row in ``wpsync.locks`` carries user, host, pid, command and since, and the backend pid; a row
whose session is gone is stale and is taken over by the next run, with a notice.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from wpsync.errors import StateError, StateLocked
from wpsync.state.lock import _holder, describe
from wpsync.state.pg_schema import LOCK_CLASS, SCHEMA

if TYPE_CHECKING:
    import psycopg

_HOLDERS = (
    "SELECT k.pid FROM pg_locks k WHERE k.locktype = 'advisory' AND k.database = "
    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
    "AND k.classid = (%s::bigint)::oid AND k.objid = (%s::bigint)::oid AND k.objsubid = 2 AND k.granted"
)
_FIELDS = ("id", "who", "host", "pid", "command", "since", "backend_pid")
TOKEN = "wpsync.lock_token"  # a session setting: the lock id of the run holding the lock on this session
POOLED = (
    "the state lock and this run's statements are not on one database session: the state URL points at "
    "a transaction-pooling proxy (PgBouncer pool_mode = transaction), which would let two runs hold the "
    "lock at once; nothing was written. Point the URL at PostgreSQL directly, or at a session-pooling proxy"
)
FORCED = 0  # the backend_pid of a row force-unlock left behind: no server process has pid 0


def acquire(
    conn: psycopg.Connection[Any],
    workspace: str,
    lock_key: int,
    holder: dict[str, Any],
    *,
    timeout: float = 0.0,
    notice: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Take the workspace's lock for ``holder``, waiting up to ``timeout`` seconds (polling, with
    backoff) for a live holder; returns the backend pid that holds it. Raises StateLocked (exit 5)."""
    deadline = time.monotonic() + max(timeout, 0.0)
    delay = 0.05
    announced = False
    while True:
        with conn.transaction():  # one transaction: one server session, even behind a pooler
            row = conn.execute(
                "SELECT pg_try_advisory_lock(%s::int, %s::int), pg_backend_pid(), "
                f"coalesce(current_setting('{TOKEN}', true), '')",
                (LOCK_CLASS, lock_key),
            ).fetchone()
            assert row is not None
            if row[0] and row[2]:
                # The lock was granted on a session that already holds it for another run (its token
                # is there): a transaction pooler gave us that run's session, where the lock is
                # re-entrant. Give back our hold (theirs stays) and refuse.
                conn.execute("SELECT pg_advisory_unlock(%s::int, %s::int)", (LOCK_CLASS, lock_key))
                raise StateError(POOLED)
            stale = None
            if row[0]:
                backend = int(row[1])
                try:
                    conn.execute(f"SELECT set_config('{TOKEN}', %s, false)", (holder["id"],))
                    stale = _record_holder(conn, workspace, holder, backend)
                except BaseException:
                    if not conn.closed:  # a lock we cannot vouch for is not kept (nor its token)
                        conn.execute("SELECT pg_advisory_unlock(%s::int, %s::int)", (LOCK_CLASS, lock_key))
                    raise
        if row[0]:
            if stale is not None and notice is not None and stale.get("backend_pid") != FORCED:
                notice(f"taking over a stale {describe(stale)}: its database session is gone")
            return backend
        current = read(conn, workspace, lock_key)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            who = describe(current) if current else "lock ? held by a wpsync run that is starting"
            lock_id = current.get("id") if current else "ID"
            raise StateLocked(
                f"the state is locked: {who}. Wait for it to finish (--lock-timeout), or, if it died, "
                f"run `wpsync force-unlock {lock_id}`"
            )
        if not announced and notice is not None and current is not None:
            notice(f"waiting up to {timeout:g} s for the state lock: {describe(current)}")
            announced = True
        sleep(min(delay, remaining))
        delay = min(delay * 1.6, 2.0)


def _record_holder(
    conn: psycopg.Connection[Any], workspace: str, holder: dict[str, Any], backend: int
) -> dict[str, Any] | None:
    """Write the holder row (we hold the advisory lock); returns the row it replaced, if any."""
    with conn.transaction():
        fence(conn, backend, str(holder["id"]))
        old = conn.execute(
            f"SELECT {', '.join(_FIELDS)} FROM {SCHEMA}.locks WHERE workspace = %s FOR UPDATE", (workspace,)
        ).fetchone()
        conn.execute(
            f"INSERT INTO {SCHEMA}.locks (workspace, {', '.join(_FIELDS)}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            "ON CONFLICT (workspace) DO UPDATE SET id = excluded.id, who = excluded.who, host = excluded.host, "
            "pid = excluded.pid, command = excluded.command, since = excluded.since, "
            "backend_pid = excluded.backend_pid",
            (workspace, *(holder[name] for name in _FIELDS[:-1]), backend),
        )
    return dict(zip(_FIELDS, old, strict=True)) if old is not None else None


def fence(conn: psycopg.Connection[Any], backend: int, token: str) -> None:
    """Inside a transaction: refuse unless it runs on the session that took the lock for this run —
    the same backend, still holding this run's token (a pooler may hand a backend pid to another
    client, or this client to another backend)."""
    row = conn.execute(f"SELECT pg_backend_pid(), coalesce(current_setting('{TOKEN}', true), '')").fetchone()
    if row is None or int(row[0]) != backend or row[1] != token:
        raise StateError(POOLED)


def release(conn: psycopg.Connection[Any], workspace: str, lock_key: int, lock_id: str) -> None:
    if conn.closed:
        return  # the session is gone, and the lock with it
    with conn.transaction():
        conn.execute(f"DELETE FROM {SCHEMA}.locks WHERE workspace = %s AND id = %s", (workspace, lock_id))
        conn.execute(f"SELECT set_config('{TOKEN}', '', false)")
        conn.execute("SELECT pg_advisory_unlock(%s::int, %s::int)", (LOCK_CLASS, lock_key))


ROW_WAIT_POLLS = 20
ROW_WAIT_SECONDS = 0.05


def read(conn: psycopg.Connection[Any], workspace: str, lock_key: int) -> dict[str, Any] | None:
    """Who holds the lock now, or None. A row whose session is gone is not a lock; a lock whose
    holder has not written its row yet is shown with what the server knows of its session."""
    for attempt in range(ROW_WAIT_POLLS + 1):
        row = conn.execute(
            f"SELECT {', '.join(_FIELDS)} FROM {SCHEMA}.locks WHERE workspace = %s", (workspace,)
        ).fetchone()
        pids = [int(r[0]) for r in conn.execute(_HOLDERS, (LOCK_CLASS, lock_key)).fetchall()]
        if not pids:
            return None
        if row is not None and int(row[-1]) in pids:
            return dict(zip(_FIELDS, row, strict=True))
        if attempt < ROW_WAIT_POLLS:
            # The holder took the lock a moment ago and is writing who it is: give it that moment, so
            # the loser names the holder rather than a bare session.
            time.sleep(ROW_WAIT_SECONDS)
    session = conn.execute(
        "SELECT usename, coalesce(host(client_addr), 'local socket'), application_name, "
        "to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
        "FROM pg_stat_activity WHERE pid = %s",
        (pids[0],),
    ).fetchone()
    who, host, app, since = session if session is not None else ("?", "?", "?", "?")
    return {
        "id": "?",
        "who": who,
        "host": host,
        "pid": -1,
        "command": app,
        "since": since,
        "backend_pid": pids[0],
    }


def force_unlock(
    conn: psycopg.Connection[Any], workspace: str, lock_key: int, lock_id: str
) -> dict[str, Any]:
    """End the holder's database session (which releases the lock and stops its writes) and remove
    its row. The holder must be named by its lock id, as with the file lock."""
    import psycopg

    current = read(conn, workspace, lock_key)
    stale = conn.execute(
        f"SELECT {', '.join(_FIELDS)} FROM {SCHEMA}.locks WHERE workspace = %s AND id = %s AND backend_pid <> %s",
        (workspace, lock_id, FORCED),
    ).fetchone()
    if current is None and stale is None:
        raise StateError(f"workspace {workspace}: the state is not locked")
    if current is not None and current.get("id") != lock_id:
        raise StateError(f"the state is held by {describe(current)}, not by lock {lock_id}; nothing removed")
    terminate = (
        "pg_terminate_backend(%s, 5000)" if conn.info.server_version >= 140000 else "pg_terminate_backend(%s)"
    )
    # The row is not deleted but left saying who force-unlocked it, from where and when (backend_pid
    # FORCED: no session holds it), in the same transaction that ends the holder's session, so the
    # holder's error can say why its session ended (``forced``). The next run overwrites it.
    by = _holder(f"wpsync force-unlock {lock_id}")
    try:
        with conn.transaction():
            conn.execute(
                f"UPDATE {SCHEMA}.locks SET who = %s, host = %s, pid = %s, command = %s, since = %s, "
                "backend_pid = %s WHERE workspace = %s AND id = %s",
                (by["who"], by["host"], by["pid"], by["command"], by["since"], FORCED, workspace, lock_id),
            )
            if current is not None:
                conn.execute(f"SELECT {terminate}", (int(current["backend_pid"]),))
    except psycopg.errors.InsufficientPrivilege:
        assert current is not None
        raise StateError(
            f"cannot end the session (backend pid {current['backend_pid']}) that holds {describe(current)}: "
            "it belongs to another database role; ask its owner or a member of pg_signal_backend to run "
            f"SELECT pg_terminate_backend({current['backend_pid']})"
        ) from None
    return current if current is not None else dict(zip(_FIELDS, stale or (), strict=False))


def forced(conn: psycopg.Connection[Any], workspace: str, lock_id: str) -> str | None:
    """Why a holder's session ended, when ``wpsync force-unlock`` ended it: who ran it, where, when."""
    row = conn.execute(
        f"SELECT who, host, pid, since FROM {SCHEMA}.locks WHERE workspace = %s AND id = %s AND backend_pid = %s",
        (workspace, lock_id, FORCED),
    ).fetchone()
    if row is None:
        return None
    who, host, pid, since = row
    return (
        f"this run's state lock {lock_id} was force-unlocked by {who}@{host} (pid {pid}, `wpsync force-unlock "
        f"{lock_id}`) at {since}, which ended its database session: nothing more was written. Run "
        "`wpsync apply` again: it settles what this run left (its journal)"
    )
