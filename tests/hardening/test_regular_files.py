"""Item 4: only regular files are read — a FIFO would hang a run, /dev/zero would read until MemoryError.

Each test runs the CLI in a child process with a timeout: on the old code these hang or eat memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import MINIMAL

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


def wpsync(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
    try:
        return subprocess.run(
            [sys.executable, "-m", "wpsync", *args],
            cwd=cwd,
            env=clean | {"PYTHONPATH": str(ROOT)} | env,
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"wpsync {' '.join(args)} hung")


def check(result: subprocess.CompletedProcess[str], *needles: str, out: bool = False) -> None:
    """``out``: the problem is one line of validate's report (stdout), beside the other files'."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr, result.stderr
    text = result.stdout if out else result.stderr
    for needle in needles:
        assert needle in text, (needle, text)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "demo.toml").write_text(MINIMAL)
    return tmp_path


def test_a_fifo_campaign_file_does_not_hang_validate(repo: Path) -> None:
    os.mkfifo(repo / "campaigns" / "x.toml")
    check(wpsync(repo, "validate"), "campaigns/x.toml", "must be a regular file", "named pipe", out=True)


def test_a_fifo_campaign_file_does_not_hang_plan(repo: Path) -> None:
    os.mkfifo(repo / "campaigns" / "x.toml")
    check(wpsync(repo, "plan", "--offline"), "campaigns/x.toml", "named pipe")


def test_a_symlink_to_dev_zero_is_refused(repo: Path) -> None:
    (repo / "campaigns" / "zero.toml").symlink_to("/dev/zero")
    check(wpsync(repo, "validate"), "campaigns/zero.toml", "character device", out=True)


def test_a_symlink_to_a_regular_file_is_followed(repo: Path) -> None:
    shutil.move(repo / "campaigns" / "demo.toml", repo / "real.toml")
    (repo / "campaigns" / "demo.toml").symlink_to(repo / "real.toml")
    result = wpsync(repo, "validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_wpsync_toml_as_a_fifo(repo: Path) -> None:
    os.mkfifo(repo / "wpsync.toml")
    check(wpsync(repo, "validate"), "wpsync.toml", "named pipe")


def test_plan_file_prospect_file_and_key_file_as_devices(repo: Path) -> None:
    env = {"WOODPECKER_API_URL": "http://127.0.0.1:9/rest", "WOODPECKER_API_KEY": "some-key"}
    check(wpsync(repo, "apply", "/dev/zero", **env), "/dev/zero", "character device")
    os.mkfifo(repo / "plan.json")
    check(wpsync(repo, "apply", "plan.json", **env), "plan.json", "named pipe")
    os.mkfifo(repo / "p.json")
    check(wpsync(repo, "preview", "campaigns/demo.toml", "--prospect", "p.json"), "p.json", "named pipe")
    os.mkfifo(repo / "key.txt")
    check(wpsync(repo, "plan", "--api-key-file", "key.txt"), "key.txt", "named pipe")


def test_a_state_file_as_a_fifo(repo: Path) -> None:
    (repo / "state").mkdir()
    os.mkfifo(repo / "state" / "wpsync-state.json")
    check(wpsync(repo, "plan", "--offline"), "wpsync-state.json", "named pipe")


def test_a_fifo_lock_file(repo: Path) -> None:
    (repo / "state").mkdir()
    os.mkfifo(repo / "state" / ".lock")
    result = wpsync(
        repo, "apply", "--auto-approve", WOODPECKER_API_KEY="k", WOODPECKER_API_URL="http://127.0.0.1:9/rest"
    )
    assert result.returncode in (1, 5), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert ".lock" in result.stderr
