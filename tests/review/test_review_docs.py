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


def _blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", markdown, flags=re.S)


def test_the_guide_shows_the_workflow_file_verbatim() -> None:
    guide = (DOCS / "github-actions.md").read_text(encoding="utf-8")
    assert WORKFLOW in _blocks(guide, "yaml")


def test_the_workflow_plans_comments_applies_and_commits_as_documented() -> None:
    assert "wpsync plan --format markdown --out plan.json > plan.md" in WORKFLOW
    assert f"const marker = '{MARKER}';" in WORKFLOW  # finds the comment wpsync's markdown starts with
    # The sticky comment is ours by marker AND author, and is updated on failure too.
    assert "c.user?.login === 'github-actions[bot]' && c.body?.startsWith(marker)" in WORKFLOW
    assert "github.rest.issues.updateComment" in WORKFLOW
    assert "if: always() && github.event.pull_request.head.repo.full_name == github.repository" in WORKFLOW
    assert "### wpsync validate failed" in WORKFLOW
    assert "WOODPECKER_API_KEY: ${{ secrets.WOODPECKER_API_KEY }}" in WORKFLOW
    apply_job = WORKFLOW.split("\n  apply:\n", 1)[1]
    assert "group: wpsync-apply" in apply_job
    assert "cancel-in-progress: false" in apply_job
    assert "ref: main" in apply_job
    assert "wpsync plan --detailed-exitcode --out plan.json" in apply_job
    assert "run: wpsync apply plan.json" in apply_job
    assert "git add state/ ':!state/.backup' ':!state/.lock'" in apply_job
    assert "if: always() && steps.apply.outcome != 'skipped'" in apply_job


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
