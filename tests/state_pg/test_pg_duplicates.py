"""A PostgreSQL state URL that lost its ?workspace= (#20): the empty workspace does not create second
copies of the campaigns another workspace manages; the plan names that workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from wpsync.cli import main
from wpsync.emulator.server import EmulatorHandle

ROOT = Path(__file__).resolve().parents[2]


def _cli(url: str, emulator: EmulatorHandle, *args: str) -> Result:
    env = {
        "WPSYNC_STATE_URL": url,
        "WOODPECKER_API_KEY": "test-key",
        "WOODPECKER_API_URL": emulator.base_url,
        "WPSYNC_STATE_DIR": None,
    }
    return CliRunner().invoke(main, list(args), env=env)


def test_an_empty_workspace_names_the_one_that_holds_the_campaigns(
    fresh_db: str, emulator: EmulatorHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "campaigns").mkdir()
    shutil.copy(ROOT / "campaigns" / "one-step-email.toml", tmp_path / "campaigns")
    monkeypatch.chdir(tmp_path)
    sep = "&" if "?" in fresh_db else "?"
    applied = _cli(f"{fresh_db}{sep}workspace=acme-sales", emulator, "apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    emulator.clear_requests()
    plan = _cli(fresh_db, emulator, "plan")  # the same database, no ?workspace=: "default", empty
    assert plan.exit_code == 3, plan.output
    assert "one-step-email campaign: duplicate_name" in plan.output
    assert "the database holds other workspaces: acme-sales (1 campaign)" in plan.output
    apply = _cli(fresh_db, emulator, "apply", "--auto-approve")
    assert apply.exit_code == 3, apply.output
    assert [r for r in emulator.requests() if r["method"] != "GET"] == []
