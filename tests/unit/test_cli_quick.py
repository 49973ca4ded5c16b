"""`wpsync plan` read before click (wpsync.cli.quick): for every command line it accepts, exactly the
keyword values click's own parser gives the `plan` command; for the rest, None (click reads it); and
the same bytes and exit codes as the click route, through the real console script."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
from click._compat import _ansi_re

from wpsync.cli import main, quick
from wpsync.emulator.server import EmulatorHandle

ROOT = Path(__file__).resolve().parents[2]

ACCEPTED = [
    ["plan"],
    ["--no-color", "plan"],
    ["plan", "--campaigns", "campaigns", "--state", "state"],
    ["plan", "--campaigns=campaigns", "--state=state"],
    ["plan", "--campaigns", "elsewhere/c", "--state", "missing"],
    ["plan", "--state", "state", "--campaigns", "campaigns", "--detailed-exitcode"],
    ["plan", "--account", "acme", "--account=beta", "--account", "acme"],
    ["plan", "--target", "q4", "--target=q1", "--offline"],
    ["plan", "--format", "json"],
    ["plan", "--format=markdown", "--refresh", "all", "--strict"],
    ["plan", "--refresh=changed", "--detailed-exitcode", "--offline", "--strict"],
    ["--no-color", "plan", "--campaigns", "campaigns", "--account", "a=b", "--target", "x y"],
]

REFUSED = [
    [],
    ["validate"],
    ["apply", "--auto-approve"],
    ["--version"],
    ["plan", "--help"],
    ["plan", "-h"],
    ["--help", "plan"],
    ["plan", "--no-color"],
    ["--no-color", "--no-color", "plan"],
    ["plan", "extra"],
    ["plan", "--campaigns"],
    ["plan", "--campaigns", ""],
    ["plan", "--campaigns="],
    ["plan", "--campaigns", "--state"],
    ["plan", "--account", "-x"],
    ["plan", "--state", "a", "--state", "b"],
    ["plan", "--format", "xml"],
    ["plan", "--format", "JSON"],
    ["plan", "--refresh", "some"],
    ["plan", "--offline", "--offline"],
    ["plan", "--offline=yes"],
    ["plan", "--offline="],
    ["plan", "--out", "plan.json"],
    ["plan", "--api-key-file", "key"],
    ["plan", "--make-editable"],
    ["plan", "--leave-editable"],
    ["plan", "--run-after"],
    ["plan", "--", "x"],
    ["plan", "--campaign", "c"],
    ["plan", "--campaigns", "a-file"],
    ["plan", "--state", "a-file"],
]


def click_values(argv: list[str]) -> dict[str, Any]:
    """What click's parser gives the group and the `plan` command for ``argv``."""
    with main.make_context("wpsync", list(argv)) as ctx:
        name, command, rest = main.resolve_command(ctx, [*ctx._protected_args, *ctx.args])
        assert name is not None and command is not None
        with command.make_context(name, rest, parent=ctx) as sub:
            return {**ctx.params, **sub.params}


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(quick.STATE_DIR_ENV, raising=False)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "state").mkdir()
    (tmp_path / "a-file").write_text("x")
    return tmp_path


@pytest.mark.parametrize("argv", ACCEPTED, ids=" ".join)
def test_what_it_reads_is_what_click_reads(here: Path, argv: list[str]) -> None:
    values = quick.read_plan(argv, os.environ)
    assert values is not None
    assert values == click_values(argv)
    assert {name: type(value) for name, value in values.items()} == {
        name: type(value) for name, value in click_values(argv).items()
    }


@pytest.mark.parametrize("argv", REFUSED, ids=lambda argv: " ".join(argv) or "(nothing)")
def test_anything_else_is_left_to_click(here: Path, argv: list[str]) -> None:
    assert quick.read_plan(argv, os.environ) is None


@pytest.mark.parametrize(
    "argv", [["plan", "--campaigns", "a-file"], ["plan", "--state", "a-file"], ["plan", "--format", "xml"]]
)
def test_what_click_refuses_it_refuses(here: Path, argv: list[str]) -> None:
    with pytest.raises(click.UsageError):
        click_values(argv)
    assert quick.read_plan(argv, os.environ) is None


def test_a_default_folder_that_is_a_file_is_left_to_click(here: Path) -> None:
    (here / "campaigns").rmdir()
    (here / "campaigns").write_text("x")
    with pytest.raises(click.UsageError):
        click_values(["plan"])
    assert quick.read_plan(["plan"], os.environ) is None


def test_the_state_folder_from_the_environment_is_left_to_click(here: Path) -> None:
    environ = dict(os.environ, WPSYNC_STATE_DIR="elsewhere")
    assert quick.read_plan(["plan"], environ) is None
    values = quick.read_plan(["plan", "--state", "state"], environ)
    assert values is not None and values["state_dir"] == Path("state")


def test_the_defaults_are_clicks() -> None:
    command = main.get_command(click.Context(main), "plan")
    assert command is not None
    defaults = quick.defaults()
    for param in command.params:
        assert param.name in defaults
    assert set(defaults) == {param.name for param in [*command.params, *main.params]} - {"version"}


def test_colour_codes_are_stripped_as_click_strips_them() -> None:
    assert quick.ANSI.pattern == _ansi_re.pattern
    text = "\x1b[32m  + create\x1b[0m \x1b[1;31mbold\x1b[0m plain é"
    for color in (True, False, None):
        ours, theirs = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8") for _ in range(2))
        out = quick.Output()
        out.color = color
        out.write(ours, text)
        click.echo(text, file=theirs, color=color)
        assert ours.buffer.getvalue() == theirs.buffer.getvalue()


def test_streams_click_would_rewrap_and_completion_go_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert quick.streams_plain({})
    assert not quick.streams_plain({"_WPSYNC_COMPLETE": "bash_complete"})
    monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    assert not quick.streams_plain({})
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert not quick.streams_plain({})


def _script(cwd: Path, emulator: EmulatorHandle, *args: str, **env: str) -> tuple[int, str, str]:
    environ = {
        k: v for k, v in os.environ.items() if k not in ("WPSYNC_STATE_DIR", "FORCE_COLOR", "NO_COLOR")
    }
    environ |= {"WOODPECKER_API_KEY": emulator.api_key, "WOODPECKER_API_URL": emulator.base_url, **env}
    done = subprocess.run(
        [sys.executable, "-m", "wpsync", *args], cwd=cwd, env=environ, capture_output=True, check=False
    )
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def test_the_console_script_says_the_same_either_way(
    tmp_path: Path, emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each plan twice: as typed (read before click) and with an option repeated (so click reads it, the
    last one winning), byte for byte: changes, colour, JSON, the detailed exit code, errors."""
    shutil.copytree(ROOT / "campaigns", tmp_path / "campaigns")
    (tmp_path / "campaigns" / "stray.txt").write_text("not a campaign")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(quick.STATE_DIR_ENV, raising=False)
    cases: list[tuple[list[str], dict[str, str]]] = [
        (["plan", "--detailed-exitcode"], {}),
        (["plan", "--format", "json"], {}),
        (["plan", "--target", "no-such-campaign"], {"FORCE_COLOR": "1"}),
        (["--no-color", "plan"], {"FORCE_COLOR": "1"}),
        (["plan", "--account", "nobody"], {}),
        (["plan"], {"WPSYNC_LOG": "loud"}),
    ]
    twice = ["--campaigns", "campaigns", "--campaigns=campaigns"]
    for argv, env in cases:
        assert quick.read_plan(argv, env) is not None
        assert quick.read_plan([*argv, *twice], env) is None
        fast = _script(tmp_path, emulator, *argv, **env)
        assert fast == _script(tmp_path, emulator, *argv, *twice, **env), (argv, env)
    assert _script(tmp_path, emulator, "plan", "--detailed-exitcode")[0] == 2
    assert "\x1b[" in _script(tmp_path, emulator, "plan", FORCE_COLOR="1")[1]
    assert _script(tmp_path, emulator, "plan", "--account", "nobody")[0] == 1
    assert _script(tmp_path, emulator, "apply", "--auto-approve")[0] == 0
    next((tmp_path / "state").glob("*.json")).write_text("{ damaged")
    fast = _script(tmp_path, emulator, "plan")
    assert fast == _script(tmp_path, emulator, "plan", *twice)
    assert fast[0] == 1 and "error:" in fast[2]
