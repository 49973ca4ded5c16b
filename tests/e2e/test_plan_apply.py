"""plan → apply → plan against the emulator over real HTTP, through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.e2e.conftest import FOLLOW_UP, Workspace
from wpsync.plan.plan import no_changes


def test_create_then_nothing_then_append_then_nothing(ws: Workspace) -> None:
    first = ws.run("plan", "--detailed-exitcode")
    assert first.exit_code == 2
    assert first.stdout.endswith("Plan: 3 campaigns to create, 0 steps to append, 0 changes refused.\n")

    applied = ws.run("apply", "--auto-approve")
    assert applied.exit_code == 0, applied.output
    assert "Apply complete: 3 campaign(s) created, 0 step(s) appended, 3 API call(s)" in applied.stdout
    posts = ws.posts()
    assert [p["path"] for p in posts] == ["/rest/v2/campaigns"] * 3

    again = ws.run("plan", "--detailed-exitcode")
    assert again.exit_code == 0
    assert again.stdout == no_changes("none") + "\n"

    ws.append("one-step-email", FOLLOW_UP)
    appending = ws.run("plan", "--detailed-exitcode")
    assert appending.exit_code == 2
    assert "+ append step 2 to campaign" in appending.stdout
    assert appending.stdout.endswith("Plan: 0 campaigns to create, 1 step to append, 0 changes refused.\n")

    ws.emulator.clear_requests()
    assert ws.run("apply", "--auto-approve").exit_code == 0
    posts = ws.posts()
    assert len(posts) == 1 and posts[0]["path"].endswith("/steps")

    record = json.loads((ws.root / "state" / "one-step-email.json").read_text())
    remote = ws.campaign(record["campaign_id"])
    chain = []
    node = remote["steps"]
    while node:
        chain.append(node["id"])
        node = node.get("followup")
    assert [s["id"] for s in record["steps"]] == chain  # START + 2 steps, ids as Woodpecker has them

    final = ws.run("plan", "--detailed-exitcode")
    assert final.exit_code == 0
    assert final.stdout == no_changes("none") + "\n"


def test_json_plan_has_the_documented_shape(ws: Workspace) -> None:
    result = ws.run("plan", "--format", "json")
    data = json.loads(result.stdout)
    assert data["format_version"] == 1
    assert data["summary"] == {
        "create": 3,
        "append": 0,
        "update": 0,
        "delete": 0,
        "move": 0,
        "status": 0,
        "refused": 0,
        "text": "Plan: 3 campaigns to create, 0 steps to append, 0 changes refused.",
        "unchanged": 0,
    }
    assert [a["kind"] for a in data["actions"]] == ["create_campaign"] * 3
    assert data["actions"][1]["key"] == "one-step-email"
    assert set(data) == {
        "format_version",
        "summary",
        "offline",
        "options",
        "actions",
        "moves",
        "refused",
        "notes",
        "targets",
        "binding",
        "account",
        "forecasts",
        "mailboxes",
        "campaigns",
        "names",
        "refreshed",
    }


def test_offline_plan_says_so(ws: Workspace) -> None:
    result = ws.run("plan", "--offline")
    assert "planned offline from the recorded state; Woodpecker was not asked" in result.stdout
    assert ws.emulator.requests() == []


def test_removed_file_is_never_deleted_remotely(ws: Workspace) -> None:
    ws.run("apply", "--auto-approve")
    ws.file("two-step-linkedin").unlink()
    ws.emulator.clear_requests()
    result = ws.run("plan", "--detailed-exitcode")
    assert result.exit_code == 0
    assert "two-step-linkedin: no campaign file any more" in result.stdout
    assert "`wpsync forget two-step-linkedin`" in result.stdout
    assert ws.run("apply", "--auto-approve").exit_code == 0
    assert ws.posts() == []
    forgot = ws.run("forget", "two-step-linkedin")
    assert forgot.exit_code == 0
    assert "stays in Woodpecker" in forgot.stdout
    assert "no campaign file" not in ws.run("plan").stdout


def test_saved_plan_applies_exactly_and_goes_stale(ws: Workspace) -> None:
    saved = ws.root / "plan.json"
    assert ws.run("plan", "--out", str(saved)).exit_code == 0
    ws.edit("one-step-email", "daily_enroll = 25", "daily_enroll = 26")
    stale = ws.run("apply", str(saved))
    assert stale.exit_code == 4
    assert "is stale; plan again. What moved: one-step-email: its campaign file changed" in stale.stderr
    assert ws.posts() == []

    assert ws.run("plan", "--out", str(saved)).exit_code == 0
    fresh = ws.run("apply", str(saved))
    assert fresh.exit_code == 0, fresh.output
    assert len(ws.posts()) == 3
    # The same saved plan, applied again, is stale: the state it was made from has moved.
    again = ws.run("apply", str(saved))
    assert again.exit_code == 4
    assert "the state moved (serial 0 → 1)" in again.stderr or "recorded in the state after" in again.stderr


def test_apply_without_a_terminal_refuses_rather_than_hangs(ws: Workspace) -> None:
    result = ws.run("apply")
    assert result.exit_code == 1
    assert "no terminal to confirm on: pass --auto-approve" in result.stderr
    assert ws.posts() == []


def test_apply_needs_the_key(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WOODPECKER_API_KEY")
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 1
    assert "apply needs the API key: set WOODPECKER_API_KEY" in result.stderr


def test_import_round_trips_each_example(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    for key in ("one-step-email", "two-step-linkedin", "four-step-multichannel"):
        record = json.loads((ws.root / "state" / f"{key}.json").read_text())
        other = ws.root / "imported"
        result = ws.run(
            "import",
            str(record["campaign_id"]),
            "--key",
            f"{key}-copy",
            "--campaigns",
            str(other / "campaigns"),
            "--state",
            str(other / "state"),
        )
        assert result.exit_code == 0, result.output
        plan = ws.run(
            "plan",
            "--campaigns",
            str(other / "campaigns"),
            "--state",
            str(other / "state"),
            "--detailed-exitcode",
        )
        assert plan.exit_code == 0, plan.output
        assert plan.stdout == no_changes("none") + "\n"
        # The imported file is a valid campaign file of its own.
        assert ws.run("validate", str(other / "campaigns" / f"{key}-copy.toml")).exit_code == 0
    again = ws.run(
        "import",
        str(record["campaign_id"]),
        "--key",
        "four-step-multichannel-copy",
        "--campaigns",
        str(ws.root / "imported" / "campaigns"),
        "--state",
        str(ws.root / "imported" / "state"),
    )
    assert again.exit_code == 1
    assert "is already tracked as four-step-multichannel-copy" in again.stderr


def test_an_offline_plan_judges_appends_by_the_recorded_facts(ws: Workspace) -> None:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    path = ws.root / "state" / "one-step-email.json"
    record = json.loads(path.read_text())
    assert record["refreshed_at"].endswith("Z") and record["last_step_processed"] == 0
    record["last_step_processed"] = 4  # as a later read would have recorded
    path.write_text(json.dumps(record))
    ws.append("one-step-email", FOLLOW_UP)
    ws.emulator.clear_requests()
    result = ws.run("plan", "--offline")
    assert result.exit_code == 3
    assert "parent_processed" in result.stdout and "has already processed 4 prospects" in result.stdout
    assert ws.emulator.requests() == []


def test_a_long_apply_on_a_terminal_advances_one_bar(ws: Workspace) -> None:
    from wpsync.commands.apply import PROGRESS_BAR_FROM, apply_command
    from wpsync.commands.plan import PlanRequest
    from wpsync.commands.resolve import resolve

    template = ws.file("one-step-email").read_text()
    for n in range(PROGRESS_BAR_FROM):
        ws.file(f"bulk-{n:02d}").write_text(template.replace("One-step email campaign", f"Bulk {n}"))
    ticks: list[int] = []
    lines: list[str] = []

    @contextmanager
    def bar(total: int) -> Iterator[Callable[[], None]]:
        ticks.append(total)
        yield lambda: ticks.append(-1)

    code = apply_command(
        resolve(Path("campaigns"), Path("state"), command="apply", keys="need"),
        PlanRequest(),
        plan_file=None,
        narrowed=False,
        auto_approve=True,
        interactive=False,
        confirm=lambda: False,
        color=False,
        echo=lines.append,
        warn=lines.append,
        progress_bar=bar,
    )
    assert code == 0
    total = PROGRESS_BAR_FROM + 3
    assert ticks == [total] + [-1] * total  # one bar of every call, advanced once per finished call
    assert not any(line.startswith("[1/") for line in lines)  # no per-call lines under a bar
