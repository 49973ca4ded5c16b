"""The README stays true: every command and exit code is in it, and its example campaign validates."""

from __future__ import annotations

import re
from pathlib import Path

from wpsync import errors
from wpsync.cli import main
from wpsync.files.loading import parse_source
from wpsync.files.sources import Source

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    first_block = README.split("```sh", 1)[1].split("```", 1)[0]
    assert first_block.strip().splitlines()[0].startswith("make demo")
    assert first_block.strip().splitlines()[1].startswith("make test")


def test_every_command_is_documented_and_has_help() -> None:
    import click

    for name, command in main.commands.items():
        assert f"`wpsync {name}" in README, f"README does not document `wpsync {name}`"
        assert command.help, f"wpsync {name} has no help text"
        if isinstance(command, click.Group):
            for sub_name, sub in command.commands.items():
                assert f"`wpsync {name} {sub_name}" in README, (
                    f"README does not document `wpsync {name} {sub_name}`"
                )
                assert sub.help, f"wpsync {name} {sub_name} has no help text"


def test_every_exit_code_is_documented() -> None:
    table = README.split("### Exit codes", 1)[1].split("\n\n", 2)[1]
    codes = {int(m) for m in re.findall(r"^\| (\d+) \|", table, re.M)}
    defined = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert defined | {130} == codes


def test_the_readme_campaign_validates(tmp_path: Path) -> None:
    block = README.split("```toml", 1)[1].split("```", 1)[0]
    loaded = parse_source(Source("q4-ctos", tmp_path / "q4-ctos.toml", block.encode()))
    assert loaded.errors == []
    assert loaded.campaign is not None and len(loaded.campaign.steps) == 3
    # A reader copies it into campaigns/: it must pass `wpsync fmt --check` (and the pre-commit hook) as is.
    from wpsync.files.fmt import format_text

    text = block.lstrip("\n")
    assert format_text(text) == text, "write the README's campaign in the layout `wpsync fmt` gives"


def test_every_refusal_code_is_explained() -> None:
    from typing import get_args

    from wpsync.plan.plan import RefusalCode

    for code in get_args(RefusalCode):
        assert f"`{code}`" in README, code
        assert f"`{code}`" in (ROOT / "docs" / "plan-format.md").read_text(), code


def test_the_committed_schema_is_current() -> None:
    from wpsync.files.schema import schema_json

    committed = (ROOT / "schema" / "campaign.schema.json").read_text(encoding="utf-8")
    assert committed == schema_json(), "run: wpsync schema > schema/campaign.schema.json"


def test_the_distribution_name_is_ours_and_the_install_docs_use_it() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "wpsync-campaigns"  # PyPI's "wpsync" is an unrelated project
    assert project["scripts"] == {"wpsync": "wpsync.__main__:main"}
    install = README.split("## Install", 1)[1].split("\n## ", 1)[0]
    assert '"wpsync-campaigns @ git+https://github.com/OWNER/wpsync@<commit-sha>"' in install
    assert "pipx install" in install and "uv tool install" in install and "make install" in install
    workflow = (ROOT / "docs" / "workflows" / "wpsync.yml").read_text(encoding="utf-8")
    guide = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    for text in (workflow, guide, README):
        assert "wpsync==" not in text  # would install PyPI's unrelated "wpsync"
        assert "rev: v0.1.0" not in text  # no such tag exists
    assert "uses: OWNER/wpsync@" in workflow  # the action installs wpsync from its own commit


def test_shell_completion_is_documented_and_works() -> None:
    import os
    import subprocess
    import sys

    for shell in ("bash", "zsh", "fish"):
        assert f"_WPSYNC_COMPLETE={shell}_source wpsync" in README
    env = {**os.environ, "_WPSYNC_COMPLETE": "bash_source"}
    script = Path(sys.executable).parent / "wpsync"
    done = subprocess.run([str(script)], env=env, capture_output=True, text=True, timeout=60, check=False)
    assert "_wpsync_completion" in done.stdout, done.stdout + done.stderr


def test_the_workflow_pins_actions_by_sha_and_keeps_no_credentials() -> None:
    workflow = (ROOT / "docs" / "workflows" / "wpsync.yml").read_text(encoding="utf-8")
    uses = re.findall(r"^\s*(?:- )?uses: (\S+)(.*)$", workflow, flags=re.M)
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w-]+/[\w-]+@[0-9a-f]{40}", action), action
        if action.startswith("OWNER/wpsync@"):  # your fork's commit: no published tag to name
            assert "placeholder" in comment
            continue
        assert re.fullmatch(r"\s+# v\d+\.\d+\.\d+", comment), f"{action}: the tag, in a comment"
    checkouts = workflow.count("uses: actions/checkout@")
    assert workflow.count("persist-credentials: false") == checkouts == 2
    assert (ROOT / "wpsync" / "templates" / "wpsync.yml").read_text(encoding="utf-8") == workflow
    drift = (ROOT / "docs" / "workflows" / "wpsync-drift.yml").read_text(encoding="utf-8")
    assert (ROOT / "wpsync" / "templates" / "wpsync-drift.yml").read_text(encoding="utf-8") == drift
    assert "WPSYNC_STATE_URL" in (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
