"""`wpsync fmt`: one canonical layout that keeps comments, equals what import writes, is a fixed point,
and is what taplo writes with the shipped taplo.toml."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import MINIMAL
from wpsync.cli import main
from wpsync.files.fmt import FormatError, format_text
from wpsync.files.from_api import document_from_payload, dumps

ROOT = Path(__file__).resolve().parents[2]
SPEC = sorted((ROOT / "tests" / "data" / "spec").glob("create-*.json"))

MESSY = '''#:schema ../schema/campaign.schema.json
   # a comment, indented

name   =   "Q4"     # the name
email_account_ids = [ 112233,445566 ]


[settings]

timezone="Europe/Warsaw"
  daily_enroll = 25
[[steps]]
type = "EMAIL"
delivery_time = {MONDAY=[{from="09:00",to="17:00"}]}
followup_after = { range = "DAY",value = 3 }
# the first version
[[steps.versions]]
subject = 'Literal {{FIRST_NAME | "there"}} """'
message = """
<p>Hi,   </p>
  indented   """
tags = [
  "a", # why a
  "b",
]
'''

FORMATTED = '''#:schema ../schema/campaign.schema.json
# a comment, indented

name = "Q4" # the name
email_account_ids = [112233, 445566]

[settings]
timezone = "Europe/Warsaw"
daily_enroll = 25

[[steps]]
type = "EMAIL"
delivery_time = { MONDAY = [{ from = "09:00", to = "17:00" }] }
followup_after = { range = "DAY", value = 3 }

# the first version
[[steps.versions]]
subject = 'Literal {{FIRST_NAME | "there"}} """'
message = """
<p>Hi,   </p>
  indented   """
tags = [
  "a", # why a
  "b",
]
'''


def test_the_canonical_layout() -> None:
    assert format_text(MESSY) == FORMATTED
    assert tomllib.loads(FORMATTED) == tomllib.loads(MESSY)


@pytest.mark.parametrize("path", sorted((ROOT / "campaigns").glob("*.toml")), ids=lambda p: p.name)
def test_the_examples_are_formatted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert format_text(text) == text


@pytest.mark.parametrize("spec", SPEC, ids=lambda p: p.stem)
def test_import_writes_the_canonical_layout(spec: Path) -> None:
    text = dumps(document_from_payload(json.loads(spec.read_text())), header="# Imported.")
    assert format_text(text) == text


def test_invalid_toml_is_refused_with_its_line() -> None:
    with pytest.raises(FormatError, match=r"at line 2"):
        format_text('name = "x"\nsteps = ]\n')
    with pytest.raises(FormatError, match=r"TOML 1\.0 inline tables"):
        format_text("a = { b = 1, }\n")


def test_fmt_check_lists_what_would_change_and_fmt_rewrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    (campaigns / "messy.toml").write_text(MESSY, encoding="utf-8")
    (campaigns / "tidy.toml").write_text(MINIMAL, encoding="utf-8")
    (campaigns / "broken.toml").write_text("name = \n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    check = CliRunner().invoke(main, ["fmt", "--check"])
    assert check.exit_code == 1
    assert "would reformat campaigns/messy.toml" in check.stdout
    assert "tidy.toml" not in check.stdout
    assert "error: campaigns/broken.toml:1: invalid TOML" in check.stderr
    assert (campaigns / "messy.toml").read_text() == MESSY  # --check changes nothing
    done = CliRunner().invoke(main, ["fmt", "campaigns/messy.toml", "campaigns/tidy.toml"])
    assert done.exit_code == 0, done.output
    assert "reformatted campaigns/messy.toml" in done.stdout
    assert (campaigns / "messy.toml").read_text() == FORMATTED
    again = CliRunner().invoke(main, ["fmt", "--check", "campaigns/messy.toml", "campaigns/tidy.toml"])
    assert again.exit_code == 0
    assert again.stdout.strip() == "2 campaign files: 0 would be reformatted, 2 already formatted."


def test_the_pre_commit_hook_runs_fmt_check() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: wpsync-fmt\n" in hooks
    assert "  entry: wpsync fmt --check\n" in hooks


def test_the_shipped_taplo_toml_is_the_one_init_writes() -> None:
    assert (ROOT / "taplo.toml").read_text() == (ROOT / "wpsync" / "templates" / "taplo.toml").read_text()


def _taplo() -> str | None:
    return os.environ.get("WPSYNC_TAPLO") or shutil.which("taplo")


def test_taplo_leaves_formatted_files_alone(tmp_path: Path) -> None:
    """Needs taplo (npm: @taplo/cli), found on PATH or in WPSYNC_TAPLO; never required in CI."""
    taplo = _taplo()
    if taplo is None:
        pytest.skip(
            "taplo not installed (npm install @taplo/cli; set WPSYNC_TAPLO=path/to/taplo): not checked"
        )
    campaigns = tmp_path / "campaigns"
    campaigns.mkdir()
    shutil.copy(ROOT / "taplo.toml", tmp_path / "taplo.toml")
    for path in sorted((ROOT / "campaigns").glob("*.toml")):
        shutil.copy(path, campaigns / path.name)
    (campaigns / "example.toml").write_text((ROOT / "wpsync" / "templates" / "example.toml").read_text())
    (campaigns / "messy.toml").write_text(format_text(MESSY))
    for spec in SPEC:
        (campaigns / f"imported-{spec.stem}.toml").write_text(
            dumps(document_from_payload(json.loads(spec.read_text())), header="# Imported.")
        )
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from fleet import campaign_text  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))

    for index in range(3):
        (campaigns / f"fleet-{index}.toml").write_text(format_text(campaign_text(index)))
    files = sorted(str(p.relative_to(tmp_path)) for p in campaigns.glob("*.toml"))
    done = subprocess.run(
        [taplo, "fmt", "--check", *files],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
