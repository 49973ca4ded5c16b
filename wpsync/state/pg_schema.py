"""Where a PostgreSQL state lives, how wpsync connects to it, and the versioned schema it keeps there.

    postgresql://user@host:5432/dbname?workspace=NAME&sslmode=require

Every table lives in the schema ``wpsync`` and is keyed by a *workspace* name (the URL's ``workspace``
query parameter, default ``default``): several projects share one database, each under its own name,
without DDL per project. ``workspace`` is wpsync's own parameter and is taken out of the URL before it
reaches libpq; every other parameter (sslmode, connect_timeout, …) is libpq's. Keep the password out of
the URL: libpq reads ``PGPASSWORD`` and ``~/.pgpass``.

The schema is created and upgraded by wpsync itself, on first use or by ``wpsync state migrate``, inside
one transaction holding a transaction-level advisory lock, so several first runs at once do not race:
one creates, the others wait and find it done. ``wpsync.schema_version`` lists each migration applied.
"""

from __future__ import annotations

import re
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from wpsync.errors import StateError

if TYPE_CHECKING:
    import psycopg

SCHEMA = "wpsync"
DEFAULT_WORKSPACE = "default"
# The first key of every advisory lock wpsync takes ("wpsy"); the second is 0 for migrations and a
# workspace's own lock_key (an identity, so never shared by two workspaces) for its state lock.
LOCK_CLASS = 0x77707379
MIGRATION_LOCK = 0
# A workspace, optionally "W/ACCOUNT": one account's own workspace under the URL's (several accounts).
_WORKSPACE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(?:/[A-Za-z0-9][A-Za-z0-9._-]{0,63})?$")

MIGRATIONS: tuple[tuple[int, str, str], ...] = (
    (
        1,
        "workspaces, records, intents and locks",
        f"""
        CREATE TABLE {SCHEMA}.workspaces (
            workspace text PRIMARY KEY,
            lock_key integer GENERATED ALWAYS AS IDENTITY UNIQUE,
            format integer,
            lineage text,
            account text,                  -- the Woodpecker account of the state (wpsync-state.json's)
            synced_at timestamptz,         -- touched by the durable commit that ends a batch
            created_at timestamptz NOT NULL DEFAULT now()
        );
        CREATE TABLE {SCHEMA}.records (
            workspace text NOT NULL REFERENCES {SCHEMA}.workspaces ON DELETE CASCADE,
            key text NOT NULL,
            record text NOT NULL,          -- the bytes of state/KEY.json
            applied text,                  -- the bytes of state/KEY.applied.json
            previous_record text,          -- the version before the last write (state/.backup/)
            previous_applied text,
            updated_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (workspace, key)
        );
        CREATE TABLE {SCHEMA}.intents (
            workspace text NOT NULL REFERENCES {SCHEMA}.workspaces ON DELETE CASCADE,
            key text NOT NULL,
            intent text NOT NULL,          -- the bytes of state/KEY.intent.json
            written_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (workspace, key)
        );
        CREATE TABLE {SCHEMA}.locks (
            workspace text PRIMARY KEY REFERENCES {SCHEMA}.workspaces ON DELETE CASCADE,
            id text NOT NULL,
            who text NOT NULL,
            host text NOT NULL,
            pid integer NOT NULL,
            command text NOT NULL,
            since text NOT NULL,
            backend_pid integer NOT NULL
        );
        """,
    ),
)
LATEST = MIGRATIONS[-1][0]


@dataclass(frozen=True)
class PgTarget:
    """A parsed state URL: what libpq gets, the workspace, and a password-free text for messages."""

    conninfo: str
    workspace: str
    display: str


def parse_url(url: str) -> PgTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("postgresql", "postgres"):
        raise StateError(f"the state URL must start with postgresql://, not {parts.scheme or url!r}")
    query = parse_qsl(parts.query, keep_blank_values=True)
    workspace = DEFAULT_WORKSPACE
    kept = []
    for name, value in query:
        if name == "workspace":
            workspace = value
        else:
            kept.append((name, value))
    if not _WORKSPACE_NAME.match(workspace):
        raise StateError(
            f"workspace {workspace!r} in the state URL: use 1–64 of A-Z a-z 0-9 . _ -, starting with a letter or digit"
            " (an account's own is W/NAME)"
        )
    conninfo = urlunsplit(parts._replace(query=urlencode(kept)))
    return PgTarget(conninfo, workspace, f"{masked(url)} (workspace {workspace})")


def masked(url: str) -> str:
    """The URL to show: its password (in the user part or a ``password`` parameter) as ***, and no
    other parameter (they may hold more secrets: sslkey paths, passfile …)."""
    parts = urlsplit(url)
    netloc = parts.netloc.rsplit("@", 1)
    host = netloc[-1]
    user = ""
    if len(netloc) == 2:
        name, has_password, _ = netloc[0].partition(":")
        user = f"{name}:***@" if has_password else f"{name}@"
    return f"{parts.scheme}://{user}{host}{parts.path}"


POSTGRES_EXTRA = "pip install 'wpsync-campaigns[postgres]'"


def require_driver(location: str) -> None:
    """The driver is an optional extra: without it, say how to install it (not a ModuleNotFoundError),
    before anything else touches the state."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StateError(
            f"the state is in PostgreSQL ({location}), but its driver (psycopg) is not installed: "
            f"{POSTGRES_EXTRA}, in the environment wpsync runs from; or unset the state URL "
            "(WPSYNC_STATE_URL, or the variable [state] url_env names) to keep the state in state/"
        ) from None


ROW_LOCK_WAIT_SECONDS = 10.0  # the longest a statement waits for a row or table lock (lock_timeout)


def connect(target: PgTarget, *, application: str = "wpsync") -> psycopg.Connection[Any]:
    """An autocommit connection (transactions are explicit) with TCP keepalives on both ends, so a
    holder that vanishes without closing its socket loses its lock within about a minute and a half."""
    require_driver(target.display)
    import psycopg

    try:
        conn = psycopg.connect(
            target.conninfo,
            autocommit=True,
            application_name=f"{application} on {socket.gethostname()}"[:63],
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        )
    except psycopg.Error as exc:
        raise StateError(f"{target.display}: cannot connect: {_first_line(exc)}") from None
    # Prepared statements live on a server session: behind a transaction pooler the next client gets
    # that session and collides with their names (`prepared statement "_pg3_0" already exists`).
    conn.prepare_threshold = None
    try:
        # The server side of the keepalive (a half-open socket from a dead holder), and no idle timeout
        # for a session that holds the lock while apply talks to Woodpecker.
        conn.execute(
            "SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3"
        )
        if conn.info.server_version >= 140000:
            conn.execute("SET idle_session_timeout = 0")
        conn.execute("SET idle_in_transaction_session_timeout = '60s'")
        # wpsync's own transactions hold a row for milliseconds, and the state lock itself is an
        # advisory lock taken with pg_try_*, which this does not touch. A row or table lock held
        # longer is a stuck session (one a transaction pooler kept open, an open psql transaction):
        # without a bound a run would wait on it forever instead of saying so.
        conn.execute(f"SET lock_timeout = '{int(ROW_LOCK_WAIT_SECONDS * 1000)}ms'")
    except psycopg.Error as exc:
        conn.close()
        raise StateError(f"{target.display}: cannot set up the session: {_first_line(exc)}") from None
    return conn


def installed_version(conn: psycopg.Connection[Any]) -> int:
    row = conn.execute("SELECT to_regclass(%s) IS NOT NULL", (f"{SCHEMA}.schema_version",)).fetchone()
    if not row or not row[0]:
        return 0
    found = conn.execute(f"SELECT coalesce(max(version), 0) FROM {SCHEMA}.schema_version").fetchone()
    return int(found[0]) if found else 0


def ensure_schema(conn: psycopg.Connection[Any], display: str) -> list[str]:
    """Bring the schema to LATEST; returns the migrations applied (none: []). Safe to run concurrently."""
    import psycopg

    current = installed_version(conn)
    if current == LATEST:
        return []
    if current > LATEST:
        raise StateError(
            f"{display}: the database holds wpsync state schema {current}, written by a newer wpsync; upgrade wpsync"
        )
    done: list[str] = []
    try:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s, %s)", (LOCK_CLASS, MIGRATION_LOCK))
            conn.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {SCHEMA}.schema_version ("
                "version integer PRIMARY KEY, description text NOT NULL, "
                "applied_at timestamptz NOT NULL DEFAULT now())"
            )
            current = installed_version(conn)  # again, under the lock: another run may have just done it
            for version, description, ddl in MIGRATIONS:
                if version > current:
                    conn.execute(ddl)
                    conn.execute(
                        f"INSERT INTO {SCHEMA}.schema_version (version, description) VALUES (%s, %s)",
                        (version, description),
                    )
                    done.append(f"{version}: {description}")
    except psycopg.errors.InsufficientPrivilege as exc:
        raise StateError(
            f"{display}: cannot create wpsync's tables ({_first_line(exc)}); have the database owner run "
            "`wpsync state migrate` once, or grant CREATE on the database"
        ) from None
    except psycopg.Error as exc:
        raise StateError(f"{display}: cannot migrate the state schema: {_first_line(exc)}") from None
    return done


def migrate(url: str) -> str:
    """`wpsync state migrate`: create or upgrade the schema; says what it did."""
    target = parse_url(url)
    with connect(target, application="wpsync state migrate") as conn:
        done = ensure_schema(conn, target.display)
    if not done:
        return f"{target.display}: the state schema is up to date (version {LATEST})"
    return f"{target.display}: applied state schema migration " + "; ".join(done)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
