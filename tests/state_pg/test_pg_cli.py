"""The CLI over a PostgreSQL state: state migrate/push/pull/list/show, force-unlock, --lock-timeout,
and a URL's password never in what wpsync prints."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from click.testing import CliRunner, Result

from tests.state_pg.helpers import applied, record
from wpsync.cli import main
from wpsync.state.postgres import PgState
from wpsync.state.store import StateDir


def _cli(url: str | None, *args: str) -> Result:
    env = {"WPSYNC_STATE_URL": url, "WPSYNC_DEBUG": None, "WOODPECKER_API_KEY": None}
    return CliRunner().invoke(main, list(args), env=env)


def _with_password(url: str, password: str) -> str:
    # The test server trusts every local connection: a password is sent, and ignored.
    return url.replace("postgresql://wpsync@", f"postgresql://wpsync:{password}@")


def _folder(root: Path) -> StateDir:
    state = StateDir(root)
    lineage = state.lineage(create=True) or ""
    state.record_account("acct-1")
    state.write(record("alpha", lineage), applied(1))
    state.write(record("bravo", lineage, campaign_id=7))
    return state


def test_migrate_push_list_show_pull(fresh_db: str, tmp_path: Path) -> None:
    url = _with_password(fresh_db, "pw-Never-Shown-42")
    first = _cli(url, "state", "migrate")
    assert first.exit_code == 0, first.output
    assert "applied state schema migration 1" in first.output
    again = _cli(url, "state", "migrate")
    assert "up to date (version 1)" in again.output and "wpsync:***@" in again.output
    source = _folder(tmp_path / "a")
    pushed = _cli(url, "state", "push", "--state", str(source.root))
    assert pushed.exit_code == 0 and pushed.output.startswith("Pushed 2 record(s)"), pushed.output
    assert PgState(fresh_db).account() == "acct-1"
    listed = _cli(url, "state", "list", "--format", "json")
    assert [c["key"] for c in json.loads(listed.output)["campaigns"]] == ["alpha", "bravo"]
    shown = _cli(url, "state", "show", "nope")
    assert shown.exit_code == 1 and "is not in the state (postgresql://wpsync:***@" in shown.output
    pulled = _cli(url, "state", "pull", "--state", str(tmp_path / "b"))
    assert pulled.exit_code == 0, pulled.output
    for name in ("wpsync-state.json", "alpha.json", "alpha.applied.json", "bravo.json"):
        assert (tmp_path / "b" / name).read_bytes() == (source.root / name).read_bytes(), name
    for result in (first, again, pushed, listed, shown, pulled):
        assert "pw-Never-Shown-42" not in result.output


def test_push_without_a_url_says_how(tmp_path: Path) -> None:
    result = _cli(None, "state", "push", "--state", str(tmp_path))
    assert result.exit_code == 1
    assert "needs a PostgreSQL state: set WPSYNC_STATE_URL" in result.output


def test_forget_waits_for_the_lock_then_force_unlock_ends_a_holder(pg_url: str) -> None:
    state = PgState(pg_url)
    state.write(record("alpha", state.lineage(create=True) or ""))
    released = threading.Event()

    def hold(seconds: float) -> None:
        with PgState(pg_url).lock("wpsync apply"):
            released.set()
            time.sleep(seconds)

    thread = threading.Thread(target=hold, args=(1.0,))
    thread.start()
    assert released.wait(10)
    refused = _cli(pg_url, "forget", "alpha", "--lock-timeout", "0")
    assert refused.exit_code == 5 and "the state is locked: lock " in refused.output
    waited = _cli(pg_url, "forget", "alpha", "--lock-timeout", "30")  # the holder lets go after 1 s
    assert waited.exit_code == 0, waited.output
    thread.join()
    assert state.keys() == []
    holder = PgState(pg_url)
    with holder.lock("wpsync apply") as held:
        asked = _cli(pg_url, "force-unlock", held["id"])  # a live holder: not without asking, or --force
        assert asked.exit_code == 1 and "is still running: force-unlock ends it mid-run" in asked.output
        assert "pass --force to do it anyway" in asked.output
        assert PgState(pg_url).read_lock() is not None
        removed = _cli(pg_url, "force-unlock", held["id"], "--force")
        assert removed.exit_code == 0 and f"Removed lock {held['id']}" in removed.output
    assert PgState(pg_url).read_lock() is None
