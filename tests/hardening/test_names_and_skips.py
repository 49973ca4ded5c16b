"""Items 11 and 13: keys that would collide with wpsync's own state files are refused in validation;
what the campaigns folder holds but wpsync does not read is said, not silently skipped."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.hardening.conftest import assert_clear_error, cli
from tests.helpers import MINIMAL

ROOT = Path(__file__).resolve().parents[2]


def test_a_campaign_named_like_the_state_meta_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "wpsync-state.toml").write_text(MINIMAL)
    result = cli(["validate", str(tmp_path / "campaigns")])
    assert_clear_error(
        result, "wpsync-state.toml", "reserved", "rename the file, e.g. to wpsync-state-campaign.toml"
    )
    plan = cli(
        ["plan", "--offline", "--campaigns", str(tmp_path / "campaigns"), "--state", str(tmp_path / "state")]
    )
    assert_clear_error(plan, "wpsync-state.toml", "reserved")


@pytest.mark.parametrize("name", ["x.applied", "x.intent", "x.backup", "x.lock", ".lock"])
def test_names_of_state_files_are_refused_with_a_suggestion(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_text(MINIMAL)
    result = cli(["validate", str(path)])
    assert_clear_error(result, f"{name}.toml", "reserved", "rename the file, e.g. to")


def test_the_reserved_names_match_the_state_folder() -> None:
    from wpsync.files.sources import RESERVED_KEYS, RESERVED_SUFFIXES
    from wpsync.state.atomic import BACKUP_DIR
    from wpsync.state.lock import LOCK_FILE
    from wpsync.state.store import APPLIED_SUFFIX, INTENT_SUFFIX, META_FILE

    assert META_FILE.removesuffix(".json") in RESERVED_KEYS
    for suffix in (
        APPLIED_SUFFIX.removesuffix(".json"),
        INTENT_SUFFIX.removesuffix(".json"),
        BACKUP_DIR,
        LOCK_FILE,
    ):
        assert suffix in RESERVED_SUFFIXES


def test_forget_refuses_the_state_meta_file(tmp_path: Path) -> None:
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "wpsync-state.json").write_text('{"format": 1, "lineage": "x"}')
    result = cli(["forget", "wpsync-state", "--state", str(tmp_path / "state")])
    assert_clear_error(result, "is not a campaign key")
    assert (tmp_path / "state" / "wpsync-state.json").exists()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "demo.toml").write_text(MINIMAL)
    (campaigns / "upper.TOML").write_text(MINIMAL)
    (campaigns / "mixed.Toml").write_text(MINIMAL)
    (campaigns / "acme").mkdir()
    (campaigns / "acme" / "q4.toml").write_text(MINIMAL)
    (campaigns / ".git").mkdir()  # hidden: silent
    (campaigns / "README.md").write_text("notes")  # not a campaign file: silent
    return campaigns


def test_skipped_files_and_subfolders_are_warned_about_in_validate(folder: Path) -> None:
    result = cli(["validate", str(folder)])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert lines == [
        f"warning: {folder / 'acme'}: skipped: a subfolder (subfolders are read only when declared as accounts"
        " in wpsync.toml)",
        f"warning: {folder / 'mixed.Toml'}: skipped: campaign files end in lowercase .toml; rename it to mixed.toml",
        f"warning: {folder / 'upper.TOML'}: skipped: campaign files end in lowercase .toml; rename it to upper.toml",
    ]


def test_skipped_entries_are_warned_about_in_plan(folder: Path) -> None:
    result = cli(["plan", "--offline", "--campaigns", str(folder), "--state", str(folder.parent / "state")])
    assert result.exit_code == 0, result.output
    assert sum("skipped" in line for line in result.stderr.splitlines()) == 3


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_an_unusable_step_summary_is_warned_about_not_hung_on(tmp_path: Path) -> None:
    import subprocess
    import sys

    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "demo.toml").write_text(MINIMAL)
    os.mkfifo(tmp_path / "summary")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
    try:
        result = subprocess.run(
            [sys.executable, "-m", "wpsync", "plan", "--offline"],
            cwd=tmp_path,
            env=env | {"GITHUB_STEP_SUMMARY": str(tmp_path / "summary"), "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=20,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("plan hung on a FIFO as GITHUB_STEP_SUMMARY")
    assert result.returncode == 0, result.stderr
    assert f"cannot add the plan to GITHUB_STEP_SUMMARY ({tmp_path / 'summary'})" in result.stderr
    for unusable in ("/nonexistent-dir/summary.md", str(tmp_path)):
        again = cli(
            [
                "plan",
                "--offline",
                "--campaigns",
                str(tmp_path / "campaigns"),
                "--state",
                str(tmp_path / "state"),
            ],
            GITHUB_STEP_SUMMARY=unusable,
        )
        assert (
            again.exit_code == 0
            and f"cannot add the plan to GITHUB_STEP_SUMMARY ({unusable})" in again.stderr
        )
