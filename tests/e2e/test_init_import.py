"""`wpsync init` starts a repository that validates and is formatted; `import` points `#:schema` only at
a schema that exists in the user's repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.e2e.conftest import Workspace
from wpsync.cli import main
from wpsync.files.schema import schema_json

ROOT = Path(__file__).resolve().parents[2]


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_init_in_an_empty_directory_then_validate_and_fmt_check_pass(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = _run("init")
    assert code == 0, out
    for name in (
        "wpsync.toml",
        "taplo.toml",
        "schema/campaign.schema.json",
        ".github/workflows/wpsync.yml",
        "campaigns/example.toml",
        ".gitignore",
    ):
        assert (tmp_path / name).is_file(), name
        assert f"created {name}" in out
    assert (tmp_path / "schema/campaign.schema.json").read_text() == schema_json()
    assert (tmp_path / ".github/workflows/wpsync.yml").read_text() == (
        ROOT / "docs/workflows/wpsync.yml"
    ).read_text()
    example = (tmp_path / "campaigns/example.toml").read_text()
    assert example.startswith("#:schema ../schema/campaign.schema.json\n")
    gitignore = (tmp_path / ".gitignore").read_text().splitlines()
    assert {"state/.lock", "state/.backup/", "plan.json", "plan.md"} <= set(gitignore)
    assert _run("validate", "--strict") == (0, "1 campaign file checked: 0 errors, 0 warnings.\n", "")
    code, out, _ = _run("fmt", "--check")
    assert code == 0, out
    assert _run("plan", "--offline")[0] == 0


def test_init_writes_the_drift_workflow_only_when_asked(tmp_path: Path) -> None:
    code, out, _ = _run("init", str(tmp_path / "plain"))
    assert code == 0 and not (tmp_path / "plain/.github/workflows/wpsync-drift.yml").exists()
    assert "Drift:" not in out
    code, out, _ = _run("init", "--drift", str(tmp_path / "drift"))
    assert code == 0, out
    assert "created .github/workflows/wpsync-drift.yml" in out and "Drift: " in out
    assert (tmp_path / "drift/.github/workflows/wpsync-drift.yml").read_text() == (
        ROOT / "docs/workflows/wpsync-drift.yml"
    ).read_text()
    code, out, err = _run("init", "--drift", "--all-companies", str(tmp_path / "agency"))
    assert code == 1 and "acts on one account per folder" in err  # a usage error, as the others
    assert not (tmp_path / "agency").exists()  # refused before any file is written


def test_init_never_overwrites_and_says_what_it_skipped(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "mine.toml").write_text("# mine\n")
    (tmp_path / "wpsync.toml").write_text("# my settings\n")
    (tmp_path / ".gitignore").write_text("node_modules/\nplan.json\n")
    code, out, _ = _run("init", str(tmp_path))
    assert code == 0
    assert "skipped wpsync.toml (exists)" in out
    assert "skipped campaigns/example.toml (campaigns/ already holds campaign files)" in out
    assert (tmp_path / "wpsync.toml").read_text() == "# my settings\n"
    assert not (tmp_path / "campaigns" / "example.toml").exists()
    assert (tmp_path / ".gitignore").read_text().startswith("node_modules/\nplan.json\n")
    assert "added to .gitignore: state/.lock, state/.backup/, plan.md" in out
    second = _run("init", str(tmp_path))[1]
    assert "created" not in second and "added" not in second
    assert "skipped .gitignore (has wpsync's entries)" in second


def test_import_points_schema_only_at_an_existing_file(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ids = {
        c["key"]: c["campaign_id"]
        for c in json.loads(ws.run("state", "list", "--format", "json").stdout)["campaigns"]
    }

    without = ws.run("import", str(ids["one-step-email"]), "--key", "adopted-a", "--state", "adopted-state")
    assert without.exit_code == 0, without.output
    text = ws.file("adopted-a").read_text()
    assert "#:schema" not in text
    assert text.startswith("# Imported from Woodpecker campaign")
    assert "`wpsync schema > schema/campaign.schema.json` (or `wpsync init`)" in without.stdout

    (ws.root / "schema").mkdir()
    (ws.root / "schema" / "campaign.schema.json").write_text(schema_json())
    with_schema = ws.run(
        "import", str(ids["four-step-multichannel"]), "--key", "adopted-b", "--state", "adopted-state"
    )
    assert with_schema.exit_code == 0, with_schema.output
    first = ws.file("adopted-b").read_text().splitlines()[0]
    assert first == "#:schema ../schema/campaign.schema.json"
    assert (ws.file("adopted-b").parent / first.split(" ", 1)[1]).resolve().is_file()
    # What import writes is already in the canonical layout.
    assert ws.run("fmt", "--check", "campaigns/adopted-a.toml", "campaigns/adopted-b.toml").exit_code == 0
