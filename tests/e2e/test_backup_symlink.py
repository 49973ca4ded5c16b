"""state/.backup/ as a symbolic link (or a file) is refused, never followed: wpsync would otherwise
hard-link and replace files wherever the link points."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import Workspace
from tests.state_pg.helpers import record
from wpsync.errors import StateError
from wpsync.state.records import Applied
from wpsync.state.store import StateDir


def test_a_symlinked_backup_folder_is_not_followed(tmp_path: Path) -> None:
    state = StateDir(tmp_path / "state")
    lineage = state.lineage(create=True) or ""
    state.write(record("alpha", lineage), Applied(head={}, steps=()))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "state" / ".backup").symlink_to(elsewhere)
    with pytest.raises(StateError, match=r"\.backup: not a folder \(a symbolic link, or a file\)"):
        state.write(record("alpha", lineage, serial=2))
    assert list(elsewhere.iterdir()) == []
    kept = state.read("alpha")
    assert kept is not None and kept.serial == 1


def test_apply_refuses_a_symlinked_backup_before_any_call(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 26")
    elsewhere = ws.root / "elsewhere"
    elsewhere.mkdir()
    backup = ws.root / "state" / ".backup"
    shutil.rmtree(backup, ignore_errors=True)  # a first apply has nothing to back up yet
    backup.symlink_to(elsewhere)
    ws.emulator.clear_requests()
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert "not a folder (a symbolic link, or a file)" in result.stderr
    assert ws.posts() == []
    assert list(elsewhere.iterdir()) == []
