"""The state through a real PgBouncer in transaction mode (pool sizes 5 and 1), started on loopback in
front of the test server: a transaction pooler hands one server session to several clients, where a
session advisory lock is re-entrant, so two applies could both take the lock. wpsync detects that
(a per-run token on the session that holds the lock, checked in the same transaction as the lock and
as every write) and refuses; prepared statements are off, so a client after others never collides
with their `_pg3_N` names."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.crash.scenario import KEY, Scenario
from tests.pg_server import Bouncer, PgServer, find_pgbouncer, running_pgbouncer
from tests.state_pg.conftest import _missing
from tests.state_pg.test_pg_apply import _check, _two_checkouts
from wpsync.emulator.server import EmulatorHandle
from wpsync.errors import StateError, StateLocked
from wpsync.state.postgres import PgState

POOLED = "transaction-pooling"


@pytest.fixture(params=[5, 1], ids=["pool 5", "pool 1"])
def bouncer(request: pytest.FixtureRequest, pg_server: object) -> Iterator[Bouncer]:
    if not isinstance(pg_server, PgServer):
        pytest.skip("PgBouncer is started only in front of the tests' own PostgreSQL")
    if find_pgbouncer() is None:
        _missing("PgBouncer is not installed (apt-get install -y pgbouncer; `make pg-prereq` does it)")
    with running_pgbouncer(pg_server, pool_size=int(request.param)) as running:
        yield running


def _url(bouncer: Bouncer, pg_url: str) -> str:
    return bouncer.url_for("postgres", pg_url.rsplit("workspace=", 1)[1])


def test_clients_one_after_another_share_no_prepared_statements(bouncer: Bouncer, pg_url: str) -> None:
    url = _url(bouncer, pg_url)
    for _ in range(3):  # each client repeats its reads past psycopg's prepare threshold
        state = PgState(url)
        state.lineage(create=True)
        for _ in range(8):
            assert state.read_all() == {} and state.intents() == {}
        state.close()


def test_a_second_run_never_takes_a_lock_held_through_the_pooler(bouncer: Bouncer, pg_url: str) -> None:
    url = _url(bouncer, pg_url)
    first, second = PgState(url), PgState(url)
    try:
        with first.lock("wpsync apply"):
            with pytest.raises((StateLocked, StateError)) as refused, second.lock("wpsync apply", timeout=0):
                pytest.fail("two runs held the lock at once")
            assert isinstance(refused.value, StateLocked) or POOLED in refused.value.message
    finally:
        first.close()
        second.close()


def _apply(scenario: Scenario, checkout: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "wpsync", "apply", "--auto-approve", "--lock-timeout", "0"],
        cwd=checkout,
        env=scenario.env(WPSYNC_STATE_URL=url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_applies_through_the_pooler_create_each_campaign_once(
    bouncer: Bouncer, tmp_path: Path, emulator: EmulatorHandle, pg_url: str
) -> None:
    url = _url(bouncer, pg_url)
    scenario, a, b = _two_checkouts(tmp_path, emulator, pg_url)
    emulator.set_latency(0.2)
    runs = [_apply(scenario, a, url), _apply(scenario, b, url)]
    outputs = [p.communicate(timeout=120) for p in runs]
    emulator.set_latency(0)
    text = "\n".join(out + err for out, err in outputs)
    assert "internal error" not in text and "already exists" not in text, text
    listed = httpx.get(f"{emulator.base_url}/v1/campaign_list", headers={"x-api-key": KEY}).json()
    names = sorted(c["name"] for c in listed)
    assert names.count("Charlie") <= 1 and names.count("One-step email campaign") <= 2, text
    refused = [out + err for (out, err), p in zip(outputs, runs, strict=True) if p.returncode != 0]
    assert all(POOLED in out or "the state is locked" in out for out in refused), text
    # Straight to PostgreSQL, the state converges: each campaign exactly once. The pooler goes first, as
    # it does when an operator moves the state URL off it: a server session it kept open after a refused
    # run can still hold the lock row (seen once on a quiet machine: the direct apply then waited 120 s).
    bouncer.stop()
    direct = subprocess.run(
        [sys.executable, "-m", "wpsync", "apply", "--auto-approve"],
        cwd=a,
        env=scenario.env(WPSYNC_STATE_URL=pg_url),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert direct.returncode == 0, direct.stdout + direct.stderr
    _check(scenario, pg_url, a, b)
