"""The schema: created once however many first runs race, versioned, and refused when newer."""

from __future__ import annotations

import time

import psycopg
import pytest

from tests.state_pg.helpers import child
from wpsync.errors import StateError
from wpsync.state.pg_schema import LATEST, migrate, parse_url
from wpsync.state.postgres import PgState

RACE = """
import sys, time
from wpsync.state.pg_schema import migrate
from wpsync.state.postgres import PgState
start = float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
if sys.argv[3] == "migrate":
    print(migrate(sys.argv[1]))
else:
    sep = "&" if "?" in sys.argv[1] else "?"
    print(PgState(sys.argv[1] + sep + "workspace=w" + sys.argv[4]).lineage(create=True))
"""


def test_four_first_runs_at_once_all_succeed_with_one_schema(fresh_db: str) -> None:
    start = f"{time.time() + 1.5:.3f}"
    runs = [child(RACE, fresh_db, start, "migrate" if n % 2 else "use", str(n)) for n in range(4)]
    outputs = [run.communicate(timeout=60) for run in runs]
    for run, (_out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
        assert "Traceback" not in err
    migrated = [out for out, _ in outputs if "state schema" in out]
    assert len(migrated) == 2 and all("up to date" in out or "applied" in out for out in migrated)
    assert sum("applied" in out for out in migrated) <= 1
    with psycopg.connect(parse_url(fresh_db).conninfo) as conn:
        versions = conn.execute("SELECT version FROM wpsync.schema_version").fetchall()
        schemas = conn.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'wpsync'").fetchone()
        workspaces = conn.execute("SELECT count(*) FROM wpsync.workspaces").fetchone()
    assert versions == [(LATEST,)] and schemas == (1,) and workspaces == (2,)


def test_migrate_says_what_it_did(fresh_db: str) -> None:
    first = migrate(fresh_db)
    assert "applied state schema migration 1: workspaces, records, intents and locks" in first
    assert "(workspace default)" in first
    assert migrate(fresh_db).endswith(f"the state schema is up to date (version {LATEST})")


def test_a_schema_from_a_newer_wpsync_is_refused(fresh_db: str) -> None:
    migrate(fresh_db)
    with psycopg.connect(parse_url(fresh_db).conninfo, autocommit=True) as conn:
        conn.execute("INSERT INTO wpsync.schema_version (version, description) VALUES (99, 'future')")
    with pytest.raises(StateError, match="schema 99, written by a newer wpsync; upgrade wpsync"):
        PgState(fresh_db).keys()
