"""One database session per state object: the connection, its transactions, and the workspace lock.

A ``PgSession`` connects lazily (creating or upgrading the schema on first use), runs every write as
one transaction, and turns database errors into ``StateError`` naming the state (never the password).
While it holds the workspace lock, every write first checks it runs on the very session that took the
lock (the *fence*): a lost or pooled session cannot write behind another run's back.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Self

from wpsync.errors import StateError, StateLocked
from wpsync.state import pg_lock, pg_schema
from wpsync.state.lock import _holder
from wpsync.state.pg_schema import SCHEMA, PgTarget, connect, ensure_schema, parse_url, require_driver

if TYPE_CHECKING:
    import psycopg


LOCK_NOT_AVAILABLE = "55P03"  # SQLSTATE of a statement that waited out lock_timeout
STUCK = (
    "another database session has held a lock on wpsync's tables for over {seconds:g} s — a stuck session: "
    "one a transaction-pooling proxy kept open, or an open transaction in psql; nothing was written. "
    "Find it with `SELECT pid, application_name, state, xact_start FROM pg_stat_activity WHERE datname = "
    "current_database()`, end it with `SELECT pg_terminate_backend(PID)`, and run again"
)
FORCED_POLLS = 10
FORCED_POLL_SECONDS = 0.1


class PgSession:
    """A workspace of a PostgreSQL database, reached through one session."""

    def __init__(self, url: str, *, application: str = "wpsync") -> None:
        self.target: PgTarget = parse_url(url)
        require_driver(self.target.display)
        self.workspace = self.target.workspace
        self._application = application
        self._conn: psycopg.Connection[Any] | None = None
        self._lock_key: int | None = None
        self._fence: int | None = None  # the backend pid that holds our lock, while we hold it
        self._token = ""  # and the token our run set on that session (pg_lock.TOKEN)
        self._lock_id: str | None = None  # our lock's id, while we hold it

    @property
    def location(self) -> str:
        """Where this state is, for messages (no password)."""
        return self.target.display

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location})"

    # ---- connection ------------------------------------------------------------------------------
    def _db(self) -> psycopg.Connection[Any]:
        if self._conn is None or self._conn.closed:
            if self._fence is not None:
                why = self._forced() or "the database session holding the state lock was lost"
                raise StateError(f"{self.location}: {why}")
            conn = connect(self.target, application=self._application)
            try:
                ensure_schema(conn, self.location)
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __del__(self) -> None:
        # The session belongs to this object: when it goes, so does the session (and any lock).
        with contextlib.suppress(Exception):
            self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _errors(self, doing: str) -> Iterator[None]:
        import psycopg

        try:
            yield
        except psycopg.Error as exc:
            if exc.sqlstate == LOCK_NOT_AVAILABLE:
                stuck = STUCK.format(seconds=pg_schema.ROW_LOCK_WAIT_SECONDS)
                raise StateLocked(f"{self.location}: cannot {doing}: {stuck}") from None
            first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            why = self._forced() if isinstance(exc, psycopg.OperationalError) else None
            raise StateError(f"{self.location}: cannot {doing}: {why or first}") from None

    def _forced(self) -> str | None:
        """While we hold the lock and our session was ended: whether `wpsync force-unlock` did it."""
        import psycopg

        if self._lock_id is None:
            return None
        for _ in range(FORCED_POLLS):  # the unlocker commits its note right after ending our session
            try:
                with connect(self.target, application=self._application) as conn:
                    found = pg_lock.forced(conn, self.workspace, self._lock_id)
            except psycopg.Error:
                return None
            if found:
                return found
            time.sleep(FORCED_POLL_SECONDS)
        return None

    @contextlib.contextmanager
    def _write(self, *, flush: bool = True) -> Iterator[psycopg.Connection[Any]]:
        """One write transaction; while we hold the lock, only on the session that holds it."""
        with self._errors("write the state"):
            conn = self._db()
            self._ensure_workspace(conn)
            with conn.transaction():
                if not flush:
                    conn.execute("SET LOCAL synchronous_commit = off")
                if self._fence is not None:
                    try:
                        pg_lock.fence(conn, self._fence, self._token)
                    except StateError as exc:
                        raise StateError(f"{self.location}: {exc.message}") from None
                yield conn

    def _ensure_workspace(self, conn: psycopg.Connection[Any]) -> int:
        if self._lock_key is None:
            find = f"SELECT lock_key FROM {SCHEMA}.workspaces WHERE workspace = %s"
            row = conn.execute(find, (self.workspace,)).fetchone()
            if row is None:
                conn.execute(
                    f"INSERT INTO {SCHEMA}.workspaces (workspace) VALUES (%s) ON CONFLICT DO NOTHING",
                    (self.workspace,),
                )
                row = conn.execute(find, (self.workspace,)).fetchone()
            assert row is not None
            self._lock_key = int(row[0])
        return self._lock_key

    def _query(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._errors("read the state"):
            return self._db().execute(sql, params).fetchall()

    # ---- the lock ---------------------------------------------------------------------------------
    @contextlib.contextmanager
    def lock(
        self, command: str, *, timeout: float = 0.0, notice: Callable[[str], None] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Hold the workspace's lock for the body, waiting up to ``timeout`` s; StateLocked (exit 5)."""
        holder = _holder(command)
        with self._errors("take the state lock"):
            conn = self._db()
            key = self._ensure_workspace(conn)
            self._fence = pg_lock.acquire(conn, self.workspace, key, holder, timeout=timeout, notice=notice)
            self._token = str(holder["id"])
        self._lock_id = holder["id"]
        try:
            yield holder
        finally:
            self._fence = self._lock_id = None
            with contextlib.suppress(Exception):  # a lost session has released it already
                pg_lock.release(conn, self.workspace, key, holder["id"])

    def read_lock(self) -> dict[str, Any] | None:
        with self._errors("read the state lock"):
            conn = self._db()
            return pg_lock.read(conn, self.workspace, self._ensure_workspace(conn))

    def force_unlock(self, lock_id: str) -> dict[str, Any]:
        with self._errors("remove the state lock"):
            conn = self._db()
            return pg_lock.force_unlock(conn, self.workspace, self._ensure_workspace(conn), lock_id)
