"""Output details: colour (--no-color, NO_COLOR, FORCE_COLOR, TERM=dumb) and the validate JSON report's version."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wpsync.cli import main
from wpsync.cli.app import color

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "campaigns", tmp_path / "campaigns")
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "FORCE_COLOR", "WOODPECKER_API_KEY", "WPSYNC_STATE_DIR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def _plan(*options: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, [*options, "plan", "--offline"], env=env)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_force_color_colours_a_pipe_and_no_color_wins(examples: Path) -> None:
    assert "\x1b[" not in _plan()
    assert "\x1b[32m  + create campaign" in _plan(env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in _plan("--no-color", env={"FORCE_COLOR": "1"})
    assert "\x1b[" not in _plan(env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert "\x1b[" not in _plan(env={"FORCE_COLOR": "0"})


@pytest.mark.parametrize(
    ("term", "tty", "expected"),
    [("xterm-256color", True, True), ("dumb", True, False), ("xterm", False, False)],
)
def test_a_terminal_gets_colour_unless_it_is_dumb(
    monkeypatch: pytest.MonkeyPatch, term: str, tty: bool, expected: bool
) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", term)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    assert color() is expected


def test_validate_json_has_a_format_version(examples: Path) -> None:
    import json

    result = CliRunner().invoke(main, ["validate", "--format", "json"])
    report = json.loads(result.stdout)
    assert report["format_version"] == 1
    assert report["files"] == 3
    assert set(report) == {"format_version", "files", "problems"}
