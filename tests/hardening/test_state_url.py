"""The PostgreSQL state URL: read and checked with the other variables, never shown (its password is
a secret like the key), named by wpsync.toml's [state] url_env, and the lock wait it implies."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hardening.conftest import assert_clear_error, cli
from tests.helpers import MINIMAL
from wpsync.commands.workspace import Environment, workspace
from wpsync.errors import InputError, redact
from wpsync.files import lint_config, state_config
from wpsync.state.backend import DEFAULT_LOCK_TIMEOUT
from wpsync.state.pg_schema import masked
from wpsync.state.store import StateDir


@pytest.fixture
def campaigns(tmp_path: Path) -> Path:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "demo.toml").write_text(MINIMAL)
    return tmp_path / "campaigns"


def test_the_password_is_a_secret_wherever_it_turns_up() -> None:
    env = Environment.read({"WPSYNC_STATE_URL": " postgresql://ops:Pa%40ss-word-9@db:5432/o?workspace=a "})
    assert env.state_url == "postgresql://ops:Pa%40ss-word-9@db:5432/o?workspace=a"
    assert "Pa%40ss-word-9" not in redact(f"connect to {env.state_url} failed")
    assert "Pa@ss-word-9" not in redact("password authentication failed: Pa@ss-word-9")
    Environment.read({"WPSYNC_STATE_URL": "postgresql://db/o?password=query-secret-7"})
    assert "query-secret-7" not in redact("…?password=query-secret-7")
    assert masked("postgresql://ops:x-y-z-w@db:5432/o?password=p&sslmode=require") == (
        "postgresql://ops:***@db:5432/o"
    )


def test_a_bad_url_is_a_clear_error_that_does_not_show_it(campaigns: Path) -> None:
    result = cli(
        ["plan", "--offline", "--campaigns", str(campaigns)], WPSYNC_STATE_URL="mysql://u:hush-hush@h/db"
    )
    assert_clear_error(result, "WPSYNC_STATE_URL must be a postgresql://")
    assert "hush-hush" not in result.output


def test_a_state_url_without_the_driver_names_the_install_command(
    campaigns: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "psycopg", None)  # what `import psycopg` meets without the extra
    for args in (["plan", "--offline"], ["apply", "--auto-approve"], ["state", "list"], ["state", "migrate"]):
        result = cli(
            [*args, *(["--campaigns", str(campaigns)] if args[0] != "state" else [])],
            WPSYNC_STATE_URL="postgresql://ops:Sec-ret-77@db.example/o?workspace=a",
            WOODPECKER_API_KEY="k",
        )
        assert_clear_error(
            result,
            "the state is in PostgreSQL (postgresql://ops:***@db.example/o (workspace a)), but its driver "
            "(psycopg) is not installed: pip install 'wpsync-campaigns[postgres]'",
        )
        assert "ModuleNotFoundError" not in result.output and "Sec-ret-77" not in result.output


def test_url_env_in_wpsync_toml_names_the_variable(campaigns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WPSYNC_STATE_URL", raising=False)
    monkeypatch.chdir(campaigns.parent)
    (campaigns.parent / "wpsync.toml").write_text(
        '[lint]\nmax_sequence_days = 40\n\n[state]\nurl_env = "TEAM_STATE_URL"\n'
    )
    assert lint_config.load(Path("wpsync.toml")).max_sequence_days == 40  # [lint] unaffected
    assert state_config.load(Path("wpsync.toml")).url_env == "TEAM_STATE_URL"
    monkeypatch.delenv("TEAM_STATE_URL", raising=False)
    with pytest.raises(InputError, match=r"url_env = \"TEAM_STATE_URL\"\), but TEAM_STATE_URL is not set"):
        workspace(Path("campaigns"), Path("state"))
    monkeypatch.setenv("TEAM_STATE_URL", "postgresql://ci@db.example/ops?workspace=team")
    ws = workspace(Path("campaigns"), Path("state"))
    assert type(ws.state).__name__ == "PgState" and ws.lock_timeout == DEFAULT_LOCK_TIMEOUT
    assert workspace(Path("campaigns"), Path("state"), lock_timeout=3).lock_timeout == 3
    monkeypatch.setenv("WPSYNC_STATE_URL", "postgresql://ci@db.example/ops?workspace=wins")
    assert "(workspace wins)" in repr(workspace(Path("campaigns"), Path("state")).state)


def test_the_folder_keeps_failing_fast_unless_told(campaigns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WPSYNC_STATE_URL", raising=False)
    ws = workspace(campaigns, campaigns.parent / "state")
    assert isinstance(ws.state, StateDir) and ws.lock_timeout == 0
    assert workspace(campaigns, campaigns.parent / "state", lock_timeout=2.5).lock_timeout == 2.5


@pytest.mark.parametrize(
    ("table", "needle"),
    [
        ('url_env = "postgresql://u:p@h/db"', "must be the name of an environment variable"),
        ("url = 1", 'unknown key "url" (did you mean "url_env"?)'),
        ('state = "x"', 'unknown key "state"'),
    ],
)
def test_a_bad_state_table_is_a_clear_error(campaigns: Path, table: str, needle: str) -> None:
    (campaigns.parent / "wpsync.toml").write_text(f"[state]\n{table}\n")
    result = cli(["plan", "--offline", "--campaigns", str(campaigns)], WPSYNC_STATE_URL=None)
    assert_clear_error(result, "wpsync.toml", needle)
