"""`wpsync plan --format markdown`: the exact comment for the example campaigns, refused edits, the size
cap, and the job summary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.review import golden
from tests.review.plans import EXAMPLES, example_plan, many_campaigns_plan, refused_plan
from wpsync.cli import main
from wpsync.commands.plan import append_step_summary
from wpsync.plan.plan import Plan
from wpsync.review.markdown import COMMENT_LIMIT, MARKER, SUMMARY_LIMIT, render_markdown

GOLDEN = Path(__file__).parent / "golden"


def _golden(name: str) -> str:
    return (GOLDEN / name).read_text(encoding="utf-8")


def test_the_example_campaigns_render_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan, warnings = example_plan(tmp_path)
    golden.check("examples.md", render_markdown(plan, warnings=warnings))


def test_refused_edits_render_exactly() -> None:
    golden.check("refused.md", render_markdown(refused_plan()))


def test_the_summary_line_comes_first_after_the_marker() -> None:
    lines = render_markdown(refused_plan()).split("\n")
    assert lines[0] == MARKER
    assert lines[1] == "### Plan: 0 campaigns to create, 1 step to append, 2 changes refused."


def test_a_refusal_opens_its_section_and_comes_first() -> None:
    text = render_markdown(refused_plan())
    assert "> [!CAUTION]" in text
    refused = text.index("<details open>\n<summary>⛔ <code>q4-ctos</code>")
    appended = text.index("<details>\n<summary>✏️ <code>one-step-email</code> · <b>step 2 appended</b>")
    assert refused < appended


def test_no_changes_say_so() -> None:
    plan = Plan((), (), (), refused_plan().binding, unchanged=3, refreshed="all")
    assert render_markdown(plan) == (
        f"{MARKER}\n### No changes. Woodpecker matches the campaign files.\n\n"
        "<sub>wpsync 0.1.0 · 3 campaigns unchanged</sub>\n\n"
    )


# ---- the size cap ------------------------------------------------------------------------------------


def _balanced(text: str) -> None:
    assert text.count("<details") == text.count("</details>")
    assert text.count("<summary>") == text.count("</summary>")
    # Every section is whole: the text is the head, then complete sections, then the note.
    assert re.fullmatch(r"(?s).*?(<details[^>]*>\n<summary>.*?</details>\n\n)*> \[!NOTE\]\n.*\n", text)


def test_a_plan_that_fits_is_not_cut() -> None:
    text = render_markdown(many_campaigns_plan(10))
    assert len(text) < COMMENT_LIMIT
    assert "[!NOTE]" not in text
    assert "short form" not in text


def test_a_long_plan_shows_every_campaign_short_then_as_many_in_full_as_fit() -> None:
    text = render_markdown(many_campaigns_plan(40))
    assert len(text) <= COMMENT_LIMIT
    _balanced(text)
    assert text.count("<details>") == 40
    full = text.count("**Version A**")  # only full sections show versions
    short = text.count("*Shown in short form to fit")
    assert full > 0 and short > 0
    assert re.search(
        rf"\*\*This plan was cut to fit in 65,536 characters\.\*\* {short} campaigns shown in short form",
        text,
    )
    assert "not shown" not in text


def test_a_huge_plan_is_cut_at_a_section_boundary_with_an_honest_note() -> None:
    text = render_markdown(many_campaigns_plan(1000))
    assert len(text) <= COMMENT_LIMIT
    _balanced(text)
    shown = text.count("<details>")
    assert 0 < shown < 1000
    note = text[text.index("> [!NOTE]") :]
    assert f"All {shown} campaigns shown are in short form." in note
    assert f"{1000 - shown} campaigns not shown: `campaign-{shown:04d}`, " in note
    assert f"and {1000 - shown - 10} more." in note
    assert "run `wpsync plan` to see all of it" in note


def test_the_limit_can_be_counted_in_utf8_bytes_for_a_job_summary() -> None:
    plan = many_campaigns_plan(60)
    limit = 50_000
    chars = render_markdown(plan, limit=limit)
    in_bytes = render_markdown(plan, limit=limit, measure="bytes")
    assert len(chars) <= limit < len(chars.encode("utf-8"))  # the emoji and dashes are multi-byte
    assert len(in_bytes.encode("utf-8")) <= limit
    assert "fit in 50,000 bytes" in in_bytes


# ---- GITHUB_STEP_SUMMARY and the CLI ----------------------------------------------------------------


def _examples_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaigns").mkdir()
    for source in EXAMPLES.glob("*.toml"):
        (tmp_path / "campaigns" / source.name).write_bytes(source.read_bytes())
    monkeypatch.delenv("WOODPECKER_API_KEY", raising=False)


def test_plan_markdown_end_to_end_and_appended_to_the_job_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _examples_cwd(tmp_path, monkeypatch)
    summary = tmp_path / "summary.md"
    summary.write_text("## Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(main, ["plan", "--offline", "--format", "markdown", "--out", "plan.json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == _golden("examples.md") + "\n"
    assert summary.read_text(encoding="utf-8") == "## Earlier step\n" + _golden("examples.md") + "\n"
    assert (tmp_path / "plan.json").exists()
    assert "has no fallback" in result.stderr  # warnings still go to stderr as well


def test_text_plans_are_added_to_the_job_summary_as_markdown_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _examples_cwd(tmp_path, monkeypatch)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = CliRunner().invoke(main, ["plan", "--offline"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("wpsync will perform these actions")
    assert summary.read_text(encoding="utf-8").startswith(MARKER)


def test_the_job_summary_keeps_within_what_is_left_of_its_mib(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * (SUMMARY_LIMIT - 200_000))
    warned: list[str] = []
    append_step_summary(many_campaigns_plan(1000), [], summary, warned.append)
    assert summary.stat().st_size <= SUMMARY_LIMIT
    assert "cut to fit in 199,998 bytes" in summary.read_text(encoding="utf-8")
    assert warned == []


def test_a_full_job_summary_is_left_alone_with_a_warning(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * (SUMMARY_LIMIT - 1000))
    warned: list[str] = []
    append_step_summary(many_campaigns_plan(1), [], summary, warned.append)
    assert summary.stat().st_size == SUMMARY_LIMIT - 1000
    assert warned == [
        "warning: GITHUB_STEP_SUMMARY is nearly full (1,047,576 bytes); the plan was not added to it"
    ]


def test_plan_strict_turns_warnings_into_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _examples_cwd(tmp_path, monkeypatch)
    result = CliRunner().invoke(main, ["plan", "--offline", "--format", "markdown", "--strict"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "error: campaigns/one-step-email.toml:12: settings.gdpr_unsubscribe: is on" in result.stderr


def test_the_printed_comment_fits_with_its_final_newline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _examples_cwd(tmp_path, monkeypatch)
    source = (tmp_path / "campaigns" / "four-step-multichannel.toml").read_text(encoding="utf-8")
    for n in range(30):  # ~5 KB of markdown each: well over the limit together
        (tmp_path / "campaigns" / f"copy-{n:02d}.toml").write_text(source, encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", "--offline", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert len(result.stdout) <= COMMENT_LIMIT
    assert result.stdout.endswith("run `wpsync plan` to see all of it.\n\n")


def test_plan_reads_the_lint_settings_beside_the_campaigns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _examples_cwd(tmp_path, monkeypatch)
    (tmp_path / "wpsync.toml").write_text("[lint]\nmax_sequence_days = 2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["plan", "--offline", "--format", "markdown"])
    assert result.exit_code == 0, result.output
    assert "past the maximum of 2 days" in result.stdout
    assert "past the maximum of 2 days" in result.stderr
