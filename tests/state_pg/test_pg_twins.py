"""Two records for one campaign id in a PostgreSQL state (a folder damaged that way, pushed): the same
refusal as with files — never a create, never destroy advice — and `wpsync forget` is the way out."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from tests.state_pg.helpers import applied, record
from wpsync.cli import main
from wpsync.state.store import StateDir


def _cli(url: str, *args: str) -> Result:
    env = {"WPSYNC_STATE_URL": url, "WPSYNC_DEBUG": None, "WOODPECKER_API_KEY": None}
    return CliRunner().invoke(main, list(args), env=env)


def test_two_records_for_one_campaign_in_postgres_are_refused(pg_url: str, tmp_path: Path) -> None:
    folder = StateDir(tmp_path / "state")
    lineage = folder.lineage(create=True) or ""
    folder.write(record("alpha", lineage, campaign_id=7), applied(1))
    folder.write(record("bravo", lineage, serial=2, campaign_id=7), applied(1))
    (tmp_path / "campaigns").mkdir()
    assert _cli(pg_url, "state", "push", "--state", str(folder.root)).exit_code == 0
    plan = _cli(pg_url, "plan", "--offline", "--campaigns", str(tmp_path / "campaigns"))
    assert plan.exit_code == 3, plan.output
    assert "campaign 7 is recorded under 2 keys (alpha, bravo)" in plan.output
    assert "wpsync destroy" not in plan.output
    assert _cli(pg_url, "forget", "alpha", "--campaigns", str(tmp_path / "campaigns")).exit_code == 0
    plan = _cli(pg_url, "plan", "--offline", "--campaigns", str(tmp_path / "campaigns"))
    assert plan.exit_code == 0, plan.output
    assert "`wpsync destroy bravo` deletes it" in plan.output
