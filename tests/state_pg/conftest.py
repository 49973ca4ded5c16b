"""A throwaway PostgreSQL for the PostgreSQL state tests, started once per test session (~2 s), or
the server at ``WPSYNC_TEST_PG_URL`` when that is set (a role that may create databases).

Where PostgreSQL is not installed these tests are skipped with a loud message — except in CI
(``CI`` set), where a missing server is a failure: CI must install it (``make pg-prereq``).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator

import pytest

from tests.pg_server import ExternalPg, PgServer, find_bindir, running_postgres

SKIPPED: list[str] = []


def _missing(why: str) -> None:
    message = (
        f"PostgreSQL state tests NOT RUN: {why}. Install it (as root: `make pg-prereq`, or "
        "`apt-get install -y postgresql`) to run them."
    )
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{message} In CI they must run.", pytrace=False)
    if not SKIPPED:
        SKIPPED.append(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer | ExternalPg]:
    try:
        import psycopg  # noqa: F401
    except ImportError:
        _missing("psycopg is not installed (pip install -e '.[dev]')")
    if os.environ.get("WPSYNC_TEST_PG_URL"):
        yield ExternalPg(os.environ["WPSYNC_TEST_PG_URL"])
        return
    if find_bindir() is None:
        _missing("no PostgreSQL server binaries (initdb) on this machine")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        _missing("running as root without runuser to start PostgreSQL as another user")
    with running_postgres() as server:
        yield server


@pytest.fixture
def pg_url(pg_server: PgServer | ExternalPg) -> str:
    """A URL of a workspace of its own in the shared test database."""
    return pg_server.url_for("postgres", f"t-{uuid.uuid4().hex[:12]}")


@pytest.fixture
def fresh_db(pg_server: PgServer | ExternalPg) -> str:
    """A URL of a database of its own, with no wpsync schema yet."""
    return pg_server.create_database(f"t_{uuid.uuid4().hex[:12]}")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for message in SKIPPED:
        terminalreporter.write_sep("!", "PostgreSQL", red=True, bold=True)
        terminalreporter.write_line(message, red=True, bold=True)
