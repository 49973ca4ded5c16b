"""`state migrate|push|pull|list` per account over a PostgreSQL state (issue #21): each account's
folder state/NAME goes to, and comes back from, its own database workspace W/NAME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tests.state_pg.helpers import applied, record
from wpsync.cli import main
from wpsync.state.postgres import PgState
from wpsync.state.store import StateDir


def _cli(url: str, *args: str) -> Result:
    env = {"WPSYNC_STATE_URL": url, "WPSYNC_DEBUG": None, "WOODPECKER_API_KEY": None}
    return CliRunner().invoke(main, list(args), env=env)


def test_push_list_pull_each_account_into_its_own_workspace(
    fresh_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "wpsync.toml").write_text(
        '[accounts.acme]\napi_key_env = "ACME_KEY"\ncompany_id = 501\n\n'
        '[accounts.globex]\napi_key_env = "GLOBEX_KEY"\n'
    )
    for name, keys in (("acme", ["alpha"]), ("globex", ["bravo", "charlie"])):
        (tmp_path / "campaigns" / name).mkdir(parents=True)
        state = StateDir(tmp_path / "state" / name)
        lineage = state.lineage(create=True) or ""
        for n, key in enumerate(keys):
            state.write(record(key, lineage, campaign_id=100 + n), applied(1))
    url = fresh_db + ("&" if "?" in fresh_db else "?") + "workspace=team"
    migrated = _cli(url, "state", "migrate", "--account", "acme")
    assert migrated.exit_code == 0 and migrated.output.startswith("acme: "), migrated.output
    pushed = _cli(url, "state", "push")
    assert pushed.exit_code == 0, pushed.output
    lines = pushed.output.splitlines()
    assert len(lines) == 2 and lines[0].startswith("acme: Pushed 1 record(s) of state ")
    assert " from state/acme to " in lines[0]
    assert lines[0].endswith("(workspace team/acme).") and lines[1].endswith("(workspace team/globex).")
    assert lines[1].startswith("globex: Pushed 2 record(s)") and " from state/globex to " in lines[1]
    base = fresh_db + ("&" if "?" in fresh_db else "?")
    assert PgState(base + "workspace=team/acme").keys() == ["alpha"]
    assert PgState(base + "workspace=team/globex").keys() == ["bravo", "charlie"]
    assert PgState(base + "workspace=team").keys() == []
    listed = json.loads(_cli(url, "state", "list", "--format", "json").output)
    assert {name: [c["key"] for c in v["campaigns"]] for name, v in listed["accounts"].items()} == {
        "acme": ["alpha"],
        "globex": ["bravo", "charlie"],
    }
    pulled = _cli(url, "state", "pull", "--account", "globex", "--state", str(tmp_path / "copy"))
    assert pulled.exit_code == 0 and pulled.output.startswith("globex: Pulled 2"), pulled.output
    assert sorted(p.name for p in (tmp_path / "copy" / "globex").glob("*.json") if "." not in p.stem) == [
        "bravo.json",
        "charlie.json",
        "wpsync-state.json",
    ]
    assert not (tmp_path / "copy" / "acme").exists()
