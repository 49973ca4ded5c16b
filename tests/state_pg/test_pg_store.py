"""PgState does what StateDir does: the same values, serials, batches, intents, forgetting and errors."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from tests.state_pg.helpers import append_intent, applied, create_intent, record
from wpsync.errors import StateError
from wpsync.state.backend import StateStore, describe_location, open_state
from wpsync.state.pg_schema import parse_url
from wpsync.state.postgres import PgState
from wpsync.state.store import StateDir


def _sql(url: str, query: str, *params: object) -> None:
    with psycopg.connect(parse_url(url).conninfo, autocommit=True) as conn:
        conn.execute(query, params)  # type: ignore[arg-type]


def test_round_trip_serials_and_applied(pg_url: str) -> None:
    state = PgState(pg_url)
    assert state.lineage() is None and state.keys() == [] and state.read_all() == {}
    lineage = state.lineage(create=True)
    assert lineage and PgState(pg_url).lineage() == lineage and state.lineage(create=True) == lineage
    first = record("alpha", lineage)
    state.write(first, applied(1))
    state.write(record("bravo", lineage, campaign_id=7))
    again = PgState(pg_url)
    assert again.keys() == ["alpha", "bravo"]
    assert again.read("alpha") == first and again.read("nope") is None
    assert again.read_applied("alpha") == applied(1) and again.read_applied("bravo") is None
    bumped = first.bumped(status="RUNNING")
    again.write(bumped)  # without content: the content applied before stays
    assert state.read_all() == {"alpha": bumped, "bravo": record("bravo", lineage, campaign_id=7)}
    assert state.read("alpha").serial == 2  # type: ignore[union-attr]
    assert state.read_applied("alpha") == applied(1)
    state.write(bumped.bumped(), applied(2))
    assert state.read_applied("alpha") == applied(2)


def test_rows_hold_exactly_the_bytes_of_the_files(pg_url: str, tmp_path: Path) -> None:
    files, rows = StateDir(tmp_path), PgState(pg_url)
    lineage = rows.lineage(create=True)
    assert lineage is not None
    (tmp_path / "wpsync-state.json").write_text(f'{{"format": 1, "lineage": "{lineage}"}}')
    for state in (files, rows):
        state.write(record("alpha", lineage), applied(3))
        state.write_intent("alpha", create_intent("alpha", 7))
    with psycopg.connect(parse_url(pg_url).conninfo) as conn:
        row = conn.execute(
            "SELECT r.record, r.applied, i.intent FROM wpsync.records r JOIN wpsync.intents i USING (workspace, key) "
            "WHERE workspace = %s",
            (rows.workspace,),
        ).fetchone()
    assert row is not None
    assert row[0].encode() == (tmp_path / "alpha.json").read_bytes()
    assert row[1].encode() == (tmp_path / "alpha.applied.json").read_bytes()
    assert row[2].encode() == (tmp_path / "alpha.intent.json").read_bytes()


def test_intents_batch_and_forget(pg_url: str) -> None:
    state = PgState(pg_url)
    lineage = state.lineage(create=True)
    assert lineage is not None
    state.write_intent("alpha", create_intent("alpha", 1))
    assert PgState(pg_url).intents() == {"alpha": create_intent("alpha", 1)}
    state.clear_intent("alpha")
    assert state.intents() == {}
    with state.batch():
        state.write_intent("alpha", create_intent("alpha"))
        state.write(record("alpha", lineage), applied())
        state.clear_intent("alpha")
        # Inside the batch the intent stays, the anchor of its call, until the group commit.
        assert PgState(pg_url).intents() == {"alpha": create_intent("alpha")}
        state.write_intent("bravo", append_intent("bravo"))
        state.clear_intent("bravo")
        state.write_intent("bravo", append_intent("bravo", 2))  # re-armed: must survive
    assert PgState(pg_url).intents() == {"bravo": append_intent("bravo", 2)}
    assert state.forget("alpha") and state.forget("bravo")
    assert not state.forget("alpha")
    assert state.keys() == [] and state.intents() == {} and state.read_applied("alpha") is None


def test_a_batch_that_fails_keeps_its_intents(pg_url: str) -> None:
    state = PgState(pg_url)
    lineage = state.lineage(create=True)
    assert lineage is not None
    with pytest.raises(RuntimeError), state.batch():
        state.write_intent("alpha", create_intent("alpha"))
        state.write(record("alpha", lineage))
        raise RuntimeError("boom")
    assert PgState(pg_url).intents() == {"alpha": create_intent("alpha")}


def test_workspaces_are_separate(pg_server: object, pg_url: str) -> None:
    other_url = pg_url.rsplit("=", 1)[0] + "=other-" + pg_url.rsplit("-", 1)[1]
    one, two = PgState(pg_url), PgState(other_url)
    l1, l2 = one.lineage(create=True), two.lineage(create=True)
    assert l1 != l2
    one.write(record("alpha", l1 or ""))
    assert two.keys() == [] and two.read("alpha") is None
    two.write(record("alpha", l2 or "", campaign_id=9))
    assert one.read("alpha").campaign_id == 1001  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("update", "message"),
    [
        ("record = '{\"format\": 1, \"key\": '", "postgresql:{ws}/alpha.json: not valid JSON"),
        ("record = '[1, 2, 3]'", "postgresql:{ws}/alpha.json: expected a JSON object"),
        ("record = replace(record, '\"format\": 1', '\"format\": 99')", "written by a newer wpsync (state format 99)"),
        ("record = replace(record, '\"campaign_id\": 1001', '\"campaign_id\": \"1001\"')", "field 'campaign_id' should be int, not str"),
        ("record = replace(record, '\"key\": \"alpha\"', '\"key\": \"bravo\"')", "records key 'bravo' but is named for another"),
        ("record = replace(record, '\"lineage\": \"', '\"lineage\": \"x')", "belongs to another state"),
        ("applied = '{\"head\": 1}'", "postgresql:{ws}/alpha.applied.json: not a wpsync applied-content record"),
    ],
)  # fmt: skip
def test_damaged_rows_are_clear_errors(pg_url: str, update: str, message: str) -> None:
    state = PgState(pg_url)
    state.write(record("alpha", state.lineage(create=True) or ""), applied())
    _sql(pg_url, f"UPDATE wpsync.records SET {update} WHERE workspace = %s", state.workspace)
    fresh = PgState(pg_url)
    with pytest.raises(StateError) as caught:
        fresh.read_applied("alpha") if "applied" in update else fresh.read_all()
    assert message.format(ws=state.workspace) in caught.value.message
    assert "from git" not in caught.value.message


def test_damaged_intent_and_newer_lineage_format(pg_url: str) -> None:
    state = PgState(pg_url)
    state.lineage(create=True)
    state.write_intent("alpha", create_intent("alpha"))
    _sql(pg_url, "UPDATE wpsync.intents SET intent = '{\"no\": 1}' WHERE workspace = %s", state.workspace)
    with pytest.raises(
        StateError,
        match=r"alpha\.intent\.json: the journal entry is damaged \(unknown intent None\); restore it from a database backup",
    ):
        PgState(pg_url).intents()
    _sql(pg_url, "UPDATE wpsync.workspaces SET format = 7 WHERE workspace = %s", state.workspace)
    with pytest.raises(StateError, match="newer wpsync"):
        PgState(pg_url).lineage()


def test_open_state_and_protocol(pg_url: str, tmp_path: Path) -> None:
    files = open_state(tmp_path / "state", None)
    rows = open_state(tmp_path / "state", pg_url)
    assert isinstance(files, StateDir) and isinstance(rows, PgState)
    assert isinstance(files, StateStore) and isinstance(rows, StateStore)
    rows.write(record("alpha", rows.lineage(create=True) or ""))
    assert not (tmp_path / "state").exists()  # the folder is not written at all
    assert describe_location(files) == str(tmp_path / "state")
    assert "(workspace t-" in describe_location(rows)


def test_urls() -> None:
    target = parse_url("postgresql://ci:s3cret@db.example:5433/ops?sslmode=require&workspace=team-a")
    assert target.workspace == "team-a"
    assert target.conninfo == "postgresql://ci:s3cret@db.example:5433/ops?sslmode=require"
    assert target.display == "postgresql://ci:***@db.example:5433/ops (workspace team-a)"
    assert parse_url("postgres://h/db").workspace == "default"
    # One /NAME is an account's own workspace under W (several accounts); no deeper, nothing empty.
    assert parse_url("postgresql://h/db?workspace=team-a/acme").workspace == "team-a/acme"
    for bad in (
        "mysql://h/db",
        "postgresql://h/db?workspace=",
        "postgresql://h/db?workspace=a/b/c",
        "postgresql://h/db?workspace=a/",
        "postgresql://h/db?workspace=/b",
    ):
        with pytest.raises(StateError):
            parse_url(bad)


def test_unreachable_database_is_a_state_error_without_the_password() -> None:
    state = PgState("postgresql://u:hunter22@127.0.0.1:1/db?connect_timeout=2")
    with pytest.raises(StateError) as caught:
        state.keys()
    assert "cannot connect" in caught.value.message and "hunter22" not in caught.value.message


def test_every_write_keeps_the_previous_version(pg_url: str) -> None:
    """What state/.backup/ is to the files: the version before the last write, in the same row."""
    state = PgState(pg_url)
    first = record("alpha", state.lineage(create=True) or "")
    state.write(first, applied(1))
    state.write(first.bumped(), applied(2))
    state.write(first.bumped().bumped())  # no new content: the previous content stays as it was
    with psycopg.connect(parse_url(pg_url).conninfo) as conn:
        row = conn.execute(
            "SELECT previous_record, applied, previous_applied FROM wpsync.records WHERE workspace = %s",
            (state.workspace,),
        ).fetchone()
    assert row is not None
    assert '"serial": 2' in row[0]
    assert '"n": 2' in row[1] and '"n": 1' in row[2]


def test_account_move_and_make_durable(pg_url: str) -> None:
    """The StateDir methods apply added since the pg branch: the account in the workspace row, a
    rename in one transaction, and make_durable inside a batch."""
    state = PgState(pg_url)
    assert state.account() is None
    state.record_account("acct-42")
    lineage = state.lineage()
    assert lineage is not None and PgState(pg_url).account() == "acct-42"
    first = record("alpha", lineage)
    state.write(first, applied(1))
    state.write_intent("alpha", create_intent("alpha"))
    state.move("alpha", "renamed")
    fresh = PgState(pg_url)
    assert fresh.keys() == ["renamed"] and fresh.intents() == {}
    moved = fresh.read("renamed")
    assert moved is not None and moved.key == "renamed" and moved.serial == first.serial + 1
    assert moved.campaign_id == first.campaign_id and fresh.read_applied("renamed") == applied(1)
    with pytest.raises(StateError, match="not in the state"):
        state.move("alpha", "other")
    state.write(record("bravo", lineage))
    with pytest.raises(StateError, match="already in the state"):
        state.move("bravo", "renamed")
    with state.batch():
        state.write(record("charlie", lineage).bumped(restore_status="RUNNING"))
        assert "charlie" in state._unflushed
        state.make_durable("charlie")
        assert not state._unflushed
        state.make_durable("charlie")  # nothing left to flush: no write at all
    assert PgState(pg_url).read("charlie").restore_status == "RUNNING"  # type: ignore[union-attr]
