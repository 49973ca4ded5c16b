"""The review docs stay true: the workflow in the guide is the file, it uses what wpsync provides, the
preview example is real output, and the documented [lint] defaults are the defaults."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

from click.testing import CliRunner

from tests.review.plans import ROOT
from wpsync.cli import main
from wpsync.files.lint_config import DEFAULT, parse
from wpsync.review.markdown import MARKER

DOCS = ROOT / "docs"
WORKFLOW = (DOCS / "workflows" / "wpsync.yml").read_text(encoding="utf-8")
DRIFT = (DOCS / "workflows" / "wpsync-drift.yml").read_text(encoding="utf-8")
ACTION = (ROOT / "action.yml").read_text(encoding="utf-8")
SCRIPT = (ROOT / "scripts" / "github-action.sh").read_text(encoding="utf-8")


def _blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", markdown, flags=re.S)


def test_the_guide_shows_the_workflow_file_verbatim() -> None:
    guide = (DOCS / "github-actions.md").read_text(encoding="utf-8")
    assert WORKFLOW in _blocks(guide, "yaml")


def test_the_workflow_plans_comments_applies_and_commits_as_documented() -> None:
    # The steps live in the action (action.yml and its script); the workflow says which command.
    assert "wpsync plan --format markdown --out plan.json" in SCRIPT and "> plan.md" in SCRIPT
    assert f"const marker = '{MARKER}';" in ACTION  # finds the comment wpsync's markdown starts with
    # The sticky comment is ours by marker AND author, and is updated on failure too.
    assert "c.user?.login === 'github-actions[bot]' && c.body?.startsWith(marker)" in ACTION
    assert "github.rest.issues.updateComment" in ACTION
    assert "github.event.pull_request.head.repo.full_name == github.repository" in ACTION
    assert "always() && inputs.comment == 'pull-request'" in ACTION
    assert "### wpsync validate failed" in ACTION
    assert "WOODPECKER_API_KEY: ${{ secrets.WOODPECKER_API_KEY }}" in WORKFLOW
    plan_job = WORKFLOW.split("\n  plan:\n", 1)[1].split("\n  apply:\n", 1)[0]
    assert "command: plan" in plan_job and "comment: pull-request" in plan_job
    apply_job = WORKFLOW.split("\n  apply:\n", 1)[1]
    assert "group: wpsync-apply" in apply_job
    assert "cancel-in-progress: false" in apply_job
    assert "ref: main" in apply_job
    assert "command: apply" in apply_job
    assert "wpsync plan --detailed-exitcode --out plan.json" in SCRIPT
    assert "wpsync apply plan.json" in SCRIPT
    assert "git add state/ ':!state/.backup' ':!state/.lock'" in apply_job
    assert "if: always() && steps.wpsync.outputs.changes == 'true'" in apply_job


def test_the_action_takes_its_inputs_as_environment_variables_only() -> None:
    """No input is pasted into a script (template injection): each reaches it as an env variable."""
    run_steps = re.findall(r"^      run: (.*)$", ACTION, flags=re.M)
    assert run_steps and all("inputs." not in step for step in run_steps)
    for name in ("command", "account", "make-editable", "comment"):
        assert f"${{{{ inputs.{name} }}}}" in ACTION
    assert "uses: OWNER/wpsync@" in WORKFLOW and "uses: OWNER/wpsync@" in DRIFT
    assert "command: adopt" in DRIFT and "gh pr create" in DRIFT
    guide = (DOCS / "github-actions.md").read_text(encoding="utf-8")
    assert DRIFT in _blocks(guide, "yaml")
    for name in ("command", "account", "make-editable", "comment", "working-directory"):
        assert f"| `{name}` |" in guide


def test_the_pre_commit_hook_runs_validate_on_campaign_files() -> None:
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: wpsync-validate\n" in hooks
    assert "  entry: wpsync validate\n" in hooks
    assert "  language: python\n" in hooks
    files = re.search(r"^  files: (.*)$", hooks, flags=re.M)
    assert files is not None
    pattern = re.compile(files.group(1))
    assert pattern.search("campaigns/q4-ctos.toml")
    assert not pattern.search("state/q4-ctos.json")
    assert not pattern.search("wpsync.toml")


def test_the_documented_lint_defaults_are_the_defaults() -> None:
    lints = (DOCS / "lints.md").read_text(encoding="utf-8")
    [block] = _blocks(lints, "toml")
    config, problems = parse(tomllib.loads(block)["lint"])
    assert (config, problems) == (DEFAULT, [])


def test_the_preview_example_is_real_output(tmp_path: Path) -> None:
    guide = (DOCS / "preview.md").read_text(encoding="utf-8")
    [prospect] = _blocks(guide, "json")
    [session] = _blocks(guide, "text")
    command, expected = session.split("\n", 1)
    (tmp_path / "zoe.json").write_text(prospect, encoding="utf-8")
    json.loads(prospect)
    args = command.removeprefix("$ wpsync ").split()
    args = [
        str(ROOT / a) if a.startswith("campaigns/") else str(tmp_path / a) if a.endswith(".json") else a
        for a in args
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert result.stdout == expected
