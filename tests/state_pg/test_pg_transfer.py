"""`state push` / `pull`: the adoption path, exact both ways, refusing to clobber or to skip intents."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.state_pg.helpers import append_intent, applied, create_intent, record
from wpsync.errors import StateError
from wpsync.state.pg_transfer import pull, push
from wpsync.state.postgres import PgState
from wpsync.state.store import StateDir


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(root.glob("*.json"))}


def _folder(root: Path) -> StateDir:
    state = StateDir(root)
    lineage = state.lineage(create=True) or ""
    state.write(record("alpha", lineage), applied(1))
    state.write(record("bravo", lineage, serial=3, campaign_id=2002))
    return state


def test_push_then_pull_gives_back_the_same_files(pg_url: str, tmp_path: Path) -> None:
    source = _folder(tmp_path / "a")
    said = push(source.root, pg_url)
    assert said.startswith("pushed 2 record(s) of state ") and "(workspace t-" in said
    rows = PgState(pg_url)
    assert rows.lineage() == source.lineage() and rows.read_all() == source.read_all()
    assert rows.read_applied("alpha") == applied(1) and rows.read_lock() is None
    said = pull(pg_url, tmp_path / "b")
    assert said.startswith("pulled 2 record(s)")
    assert _files(tmp_path / "b") == _files(tmp_path / "a")
    assert push(source.root, pg_url).startswith("pushed 2")  # the same state again: fine


def test_refuses_pending_intents_on_either_side(pg_url: str, tmp_path: Path) -> None:
    source = _folder(tmp_path / "a")
    source.write_intent("alpha", create_intent("alpha"))
    with pytest.raises(StateError, match=r"an apply was interrupted \(alpha\); run `wpsync apply`"):
        push(source.root, pg_url)
    assert PgState(pg_url).keys() == []
    source.clear_intent("alpha")
    push(source.root, pg_url)
    PgState(pg_url).write_intent("bravo", append_intent("bravo"))
    with pytest.raises(StateError, match="interrupted"):
        pull(pg_url, tmp_path / "b")
    with pytest.raises(StateError, match="interrupted"):
        push(source.root, pg_url)


def test_refuses_another_or_newer_state_unless_forced(pg_url: str, tmp_path: Path) -> None:
    push(_folder(tmp_path / "a").root, pg_url)
    other = _folder(tmp_path / "other")  # another lineage
    with pytest.raises(StateError, match=r"holds another state .* nothing copied — use --force"):
        push(other.root, pg_url)
    with pytest.raises(StateError, match="holds another state"):
        pull(pg_url, other.root)
    rows = PgState(pg_url)
    rows.write(rows.read("alpha").bumped())  # type: ignore[union-attr]
    with pytest.raises(StateError, match=r"has moved on: alpha is newer there \(serial 2 > 1\)"):
        push(tmp_path / "a", pg_url)
    assert push(other.root, pg_url, force=True).startswith("pushed 2")
    assert PgState(pg_url).lineage() == other.lineage()
    pull(pg_url, tmp_path / "a", force=True)
    assert _files(tmp_path / "a") == _files(other.root)


def test_nothing_to_copy(pg_url: str, tmp_path: Path) -> None:
    with pytest.raises(StateError, match="no state here to copy"):
        push(tmp_path / "empty", pg_url)
    with pytest.raises(StateError, match="no state here to copy"):
        pull(pg_url, tmp_path / "empty")
