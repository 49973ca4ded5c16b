"""Live campaigns end to end: the reviewed live-edit policy, and status as code — each transition
exactly one call, the next plan empty."""

from __future__ import annotations

import json

import pytest

from tests.e2e.conftest import Workspace
from wpsync.plan.plan import no_changes

KEY = "one-step-email"
NAME = 'name = "One-step email campaign"'
NO_CHANGES = no_changes("none") + "\n"  # nothing changed: Woodpecker is not asked


def calls(ws: Workspace) -> list[tuple[str, str]]:
    """Each mutating call as (method, the path's last part)."""
    return [(r["method"], r["path"].rsplit("/", 1)[-1]) for r in ws.posts()]


def campaign_id(ws: Workspace, key: str = KEY) -> int:
    return int(json.loads((ws.root / "state" / f"{key}.json").read_text())["campaign_id"])


def created(ws: Workspace) -> int:
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    ws.emulator.clear_requests()
    return campaign_id(ws)


def set_status(ws: Workspace, status: str | None) -> None:
    """Write (or, with None, remove) the file's status line."""
    path = ws.file(KEY)
    lines = [line for line in path.read_text().splitlines() if not line.startswith("status = ")]
    if status is not None:
        lines.insert(lines.index(NAME) + 1, f'status = "{status}"')
    path.write_text("\n".join(lines) + "\n")


def empty_next_plan(ws: Workspace) -> None:
    again = ws.run("plan", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert again.stdout == NO_CHANGES


def test_the_policy_in_wpsync_toml_edits_a_running_campaign(ws: Workspace) -> None:
    cid = created(ws)
    ws.emulator.set_status(cid, "RUNNING")
    (ws.root / "wpsync.toml").write_text("[apply]\nmake_editable = true\n")
    ws.edit(KEY, 'subject = "Example subject line"', 'subject = "A fixed subject line"')
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert f"campaign {cid} is RUNNING with 0 prospects; it is made EDITED for the 1 call(s)" in plan.stdout
    assert "which pauses sending for the duration, then set back to RUNNING" in plan.stdout
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert calls(ws)[0] == ("POST", "make_editable") and calls(ws)[-1] == ("POST", "run")
    assert [m for m, _ in calls(ws)] == ["POST", "PATCH", "POST"]
    remote = ws.campaign(cid)
    assert remote["status"] == "RUNNING"
    assert remote["steps"]["followup"]["body"]["versions"][0]["subject"] == "A fixed subject line"
    empty_next_plan(ws)


@pytest.mark.parametrize(
    ("config", "file_policy", "flag", "allowed"),
    [
        ("make_editable = true", "make_editable = false", (), False),  # the file overrides the policy
        ("make_editable = false", "make_editable = true", (), True),
        ("make_editable = true", "", ("--no-make-editable",), False),  # the flag overrides both
        ("make_editable = false", "make_editable = false", ("--make-editable",), True),
    ],
)
def test_the_file_and_the_flags_override_the_policy(
    ws: Workspace, config: str, file_policy: str, flag: tuple[str, ...], allowed: bool
) -> None:
    cid = created(ws)
    ws.emulator.set_status(cid, "RUNNING")
    (ws.root / "wpsync.toml").write_text(f"[apply]\n{config}\n")
    ws.edit(KEY, 'subject = "Example subject line"', 'subject = "Fixed"')
    if file_policy:
        ws.edit(KEY, NAME, f"{NAME}\n{file_policy}")
    plan = ws.run("plan", "--format", "json", *flag)
    kinds = [a["kind"] for a in json.loads(plan.stdout)["actions"]]
    assert kinds == (["make_editable", "update_version", "restore_status"] if allowed else []), plan.stdout


def test_a_refused_live_edit_still_shows_every_change_it_holds_back(ws: Workspace) -> None:
    cid = created(ws)
    ws.emulator.set_status(cid, "RUNNING")
    ws.edit(KEY, 'subject = "Example subject line"', 'subject = "Fixed"')
    ws.edit(KEY, "daily_enroll = 25", "daily_enroll = 30")
    plan = ws.run("plan")
    assert plan.exit_code == 3, plan.output
    assert "Held back until then, the 2 call(s) planned for it:" in plan.stdout
    assert "settings.daily_enroll: 25 → 30" in plan.stdout
    assert "steps[0].versions[0].subject: [-Example subject line-]{+Fixed+}" in plan.stdout
    assert "`[apply] make_editable = true` in wpsync.toml" in plan.stdout
    markdown = ws.run("plan", "--format", "markdown")
    assert "daily_enroll" in markdown.stdout and "Fixed" in markdown.stdout


def test_a_bad_apply_table_names_the_file_and_the_field(ws: Workspace) -> None:
    (ws.root / "wpsync.toml").write_text('[apply]\nmake_editable = "yes"\nmake_editabel = true\n')
    plan = ws.run("plan")
    assert plan.exit_code == 1
    assert "wpsync.toml" in plan.output and "apply.make_editable: must be true or false" in plan.output
    assert 'unknown key "make_editabel" (did you mean "make_editable"?)' in plan.output


# --- status as code ---------------------------------------------------------------------------------


def test_a_new_running_campaign_is_created_then_run(ws: Workspace) -> None:
    for other in ("two-step-linkedin", "four-step-multichannel"):
        ws.file(other).unlink()
    set_status(ws, "RUNNING")
    plan = ws.run("plan")
    assert "▶ run the new campaign  (RUNNING, as the file's status says)" in plan.stdout
    assert plan.stdout.endswith(
        "1 campaign to create, 0 steps to append, 1 status change, 0 changes refused.\n"
    )
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert calls(ws) == [("POST", "campaigns"), ("POST", "run")]
    assert ws.campaign(campaign_id(ws))["status"] == "RUNNING"
    empty_next_plan(ws)


@pytest.mark.parametrize(
    ("start", "wanted", "call"),
    [("RUNNING", "PAUSED", "pause"), ("PAUSED", "RUNNING", "run"), ("RUNNING", "STOPPED", "stop")],
)
def test_a_status_change_is_exactly_one_call(ws: Workspace, start: str, wanted: str, call: str) -> None:
    set_status(ws, start)
    cid = created(ws)
    if start != "RUNNING":
        ws.emulator.set_status(cid, start)
        set_status(ws, start)
        assert ws.run("apply", "--auto-approve").exit_code == 0
        ws.emulator.clear_requests()
    assert ws.campaign(cid)["status"] == start
    set_status(ws, wanted)
    plan = json.loads(ws.run("plan", "--format", "json").stdout)
    assert [(a["kind"], a["status"], a["from_status"]) for a in plan["actions"]] == [
        ("set_status", wanted, start)
    ]
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert calls(ws) == [("POST", call)]
    assert ws.campaign(cid)["status"] == wanted
    empty_next_plan(ws)


def test_removing_the_status_leaves_it_alone(ws: Workspace) -> None:
    set_status(ws, "RUNNING")
    cid = created(ws)
    set_status(ws, None)
    ws.emulator.set_status(cid, "PAUSED")  # someone paused it in the app: no status in the file, no call
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert calls(ws) == []
    empty_next_plan(ws)


def test_completed_satisfies_running(ws: Workspace) -> None:
    set_status(ws, "RUNNING")
    cid = created(ws)
    ws.emulator.set_status(cid, "COMPLETED")
    ws.edit(KEY, "daily_enroll = 25", "daily_enroll = 25 # unchanged value, changed file")
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert plan.stdout == no_changes("changed") + "\n"  # the changed file was read back


def test_a_campaign_woodpecker_stopped_is_not_restarted_silently(ws: Workspace) -> None:
    set_status(ws, "RUNNING")
    cid = created(ws)
    ws.emulator.set_status(cid, "STOPPED")
    ws.emulator.seed_mailbox(112233, connected=False)
    ws.edit(KEY, "daily_enroll = 25", "daily_enroll = 25 # touched")
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 0, plan.output
    assert "campaign is STOPPED in Woodpecker, not by wpsync (mailbox 112233 reports" in (plan.stdout)
    assert "it is not restarted silently" in plan.stdout
    assert ws.run("apply", "--auto-approve").exit_code == 0
    assert calls(ws) == []
    assert ws.campaign(cid)["status"] == "STOPPED"


def test_an_edited_campaign_is_a_warning_until_the_file_resumes_it(ws: Workspace) -> None:
    cid = created(ws)
    ws.emulator.set_status(cid, "EDITED")
    plan = ws.run("plan", "--refresh", "all")
    assert f"campaign {cid} is EDITED in Woodpecker: it sends nothing until it is run" in plan.stdout
    set_status(ws, "RUNNING")
    plan = ws.run("plan")
    assert f"▶ run campaign {cid}  (EDITED → RUNNING" in plan.stdout
    assert ws.run("apply", "--auto-approve").exit_code == 0
    assert calls(ws) == [("POST", "run")]
    empty_next_plan(ws)
