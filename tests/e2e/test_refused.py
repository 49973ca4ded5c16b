"""Every change the API forbids is refused in the plan (exit 3), explained, and never attempted."""

from __future__ import annotations

import json
import re

import pytest

from tests.e2e.conftest import FOLLOW_UP, Workspace

STEP_2 = re.compile(r"\n# 2\. The opening email.*?(?=\n# 3\.)", re.S)
STEP_3 = re.compile(r"\n# 3\. A connection request.*?(?=\n# 4\.)", re.S)


def applied(ws: Workspace) -> Workspace:
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    return ws


def refused(ws: Workspace, *expected: str) -> str:
    """Plan and apply must both refuse with exit 3, and Woodpecker must receive no mutating call."""
    plan = ws.run("plan")
    assert plan.exit_code == 3, plan.output
    for text in expected:
        assert text in plan.stdout, plan.stdout
    apply = ws.run("apply", "--auto-approve")
    assert apply.exit_code == 3
    assert "the plan holds changes the API forbids; nothing was applied" in apply.stderr
    assert ws.posts() == []
    return plan.stdout


def record(ws: Workspace, key: str) -> dict:  # type: ignore[type-arg]
    data: dict = json.loads((ws.root / "state" / f"{key}.json").read_text())  # type: ignore[type-arg]
    return data


def test_changed_delay_is_refused_with_the_field_diff(ws: Workspace) -> None:
    applied(ws).append("one-step-email", FOLLOW_UP)
    assert ws.run("apply", "--auto-approve").exit_code == 0
    ws.emulator.clear_requests()
    ws.edit(
        "one-step-email",
        'followup_after = { range = "DAY", value = 3 }',
        'followup_after = { range = "DAY", value = 5 }',
    )
    out = refused(
        ws,
        "step 2: delay_changed",
        "Woodpecker documents no call that changes a delay, so wpsync will not try one",
        "steps[1].followup_after.value: 3 → 5",
    )
    assert "cannot" not in out.split("Refused")[1].split("way out")[0]


def test_inserted_step(ws: Workspace) -> None:
    path = applied(ws).file("four-step-multichannel")
    text = path.read_text()
    path.write_text(
        text.replace(
            "\n# 3. A connection request",
            FOLLOW_UP.replace('"workdays"', '{ MONDAY = [{ from = "09:00", to = "10:00" }] }')
            + "\n# 3. A connection request",
        )
    )
    refused(
        ws, "four-step-multichannel step 3: step_inserted", "a new step 3 is inserted between existing steps"
    )


def test_removed_step(ws: Workspace) -> None:
    path = applied(ws).file("four-step-multichannel")
    path.write_text(STEP_3.sub("", path.read_text()))
    refused(
        ws,
        "step 3: step_removed",
        "recorded step 3 is missing from the middle of the chain; wpsync deletes trailing steps only",
    )


def test_reordered_steps(ws: Workspace) -> None:
    path = applied(ws).file("four-step-multichannel")
    text = path.read_text()
    two, three = STEP_2.search(text), STEP_3.search(text)
    assert two and three
    path.write_text(
        text.replace(two.group(0), "\x00")
        .replace(three.group(0), two.group(0))
        .replace("\x00", three.group(0))
    )
    refused(
        ws,
        "step 2: steps_reordered",
        "steps 2, 3 are in a different order; Woodpecker has no call that reorders steps",
    )


def test_type_changed(ws: Workspace) -> None:
    path = applied(ws).file("two-step-linkedin")
    text = path.read_text()
    path.write_text(
        text.split('[[steps]]\ntype = "LINKEDIN"\naction_type = "CONNECTION_REQUEST"')[0]
        + """[[steps]]
type = "EMAIL"
delivery_time = { MONDAY = [{ from = "09:00", to = "10:00" }] }
[[steps.versions]]
subject = "Hi"
message = "Hello"
"""
    )
    # An EMAIL step needs mailboxes, which is itself a (refused) edit of the campaign.
    path.write_text(path.read_text().replace("email_account_ids = []", "email_account_ids = [112233]"))
    refused(ws, "step 2: step_type_changed", "step 2 changed type (LINKEDIN → EMAIL)")


def test_appended_step_with_three_windows_a_day(ws: Workspace) -> None:
    applied(ws).append(
        "one-step-email",
        FOLLOW_UP.replace(
            '"workdays"',
            '{ MONDAY = [{ from = "08:00", to = "09:00" }, { from = "10:00", to = "11:00" }, { from = "12:00", to = "13:00" }] }',
        ),
    )
    refused(
        ws, "step 2: too_many_windows", "an appended step allows at most 2 delivery windows a day (it has 3)"
    )


def test_append_after_a_step_that_processed_prospects(ws: Workspace) -> None:
    applied(ws)
    rec = record(ws, "one-step-email")
    ws.emulator.set_status(rec["campaign_id"], "EDITED")
    ws.emulator.mark_processed(rec["campaign_id"], rec["steps"][-1]["id"], 12)
    ws.append("one-step-email", FOLLOW_UP)
    refused(
        ws,
        "step 2: parent_processed",
        "has already processed 12 prospects; Woodpecker links a new step only after a step that processed nobody",
    )


@pytest.mark.parametrize("status", ["RUNNING", "PAUSED", "STOPPED", "COMPLETED"])
def test_append_to_a_campaign_that_is_not_editable(ws: Workspace, status: str) -> None:
    applied(ws)
    rec = record(ws, "one-step-email")
    ws.emulator.set_status(rec["campaign_id"], status)
    ws.append("one-step-email", FOLLOW_UP)
    refused(
        ws,
        f"campaign {rec['campaign_id']} is {status}; Woodpecker changes a campaign only in DRAFT or EDITED",
        "--make-editable",
    )


def test_make_editable_then_append_then_restore(ws: Workspace) -> None:
    applied(ws)
    rec = record(ws, "one-step-email")
    ws.emulator.set_status(rec["campaign_id"], "RUNNING")
    ws.append("one-step-email", FOLLOW_UP)
    plan = ws.run("plan", "--make-editable", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert f"~ make campaign {rec['campaign_id']} editable" in plan.stdout
    assert "pauses sending for the duration, then set back to RUNNING" in plan.stdout
    assert f"▶ set campaign {rec['campaign_id']} back to RUNNING" in plan.stdout
    result = ws.run("apply", "--auto-approve", "--make-editable")
    assert result.exit_code == 0, result.output
    paths = [p["path"].rsplit("/", 1)[-1] for p in ws.posts()]
    assert paths == ["make_editable", "steps", "run"]
    assert ws.campaign(rec["campaign_id"])["status"] == "RUNNING"
    assert record(ws, "one-step-email")["status"] == "RUNNING"
    assert "restore_status" not in record(ws, "one-step-email")


def test_steps_changed_in_woodpeckers_app(ws: Workspace) -> None:
    applied(ws)
    rec = record(ws, "one-step-email")
    # Someone appends a step in Woodpecker's app, outside wpsync.
    import httpx

    body = {
        "parent_id": rec["steps"][-1]["id"],
        "step": {
            "type": "EMAIL",
            "delivery_time": {"MONDAY": [{"from": "09:00", "to": "10:00"}]},
            "body": {"versions": [{"subject": None, "message": "manual", "track_opens": False}]},
        },
    }
    answer = httpx.post(
        f"{ws.emulator.base_url}/v2/campaigns/{rec['campaign_id']}/steps",
        json=body,
        headers={"x-api-key": "test-key"},
    )
    assert answer.status_code in (200, 201)
    drift = ws.run("plan", "--refresh", "all")
    assert drift.exit_code == 3  # no call can undo it: refused, with the way out
    assert f"campaign {rec['campaign_id']}: 1 step(s) added in Woodpecker's app since wpsync recorded it" in (
        drift.stdout
    )
    assert "way out: `wpsync adopt one-step-email` takes Woodpecker's version into" in drift.stdout
    ws.emulator.clear_requests()
    ws.append("one-step-email", FOLLOW_UP)
    refused(ws, "remote_drift", "1 step(s) added in Woodpecker's app")


def test_campaign_deleted_in_woodpecker(ws: Workspace) -> None:
    applied(ws)
    ws.emulator.reset()  # everything gone remotely
    ws.append("one-step-email", FOLLOW_UP)
    refused(ws, "remote_missing", "no longer exists in Woodpecker", "`wpsync forget one-step-email`")


def test_a_mailbox_with_a_connection_problem_is_noted_and_the_create_decides(ws: Workspace) -> None:
    ws.emulator.seed_mailbox(112233, connected=False)
    plan = ws.run("plan")
    assert "      note: mailbox 112233 reports" in plan.stdout, plan.output
    assert "Woodpecker decides at create" in plan.stdout


def test_unknown_linkedin_account_refuses_the_create(ws: Workspace) -> None:
    ws.edit("two-step-linkedin", "linkedin_account_id = 200002", "linkedin_account_id = 999")
    refused(ws, "two-step-linkedin step 1: account_invalid", "LinkedIn account 999 does not exist")


def test_all_refusals_are_reported_in_one_run(ws: Workspace) -> None:
    applied(ws).edit("one-step-email", "daily_enroll = 25", "daily_enroll = 40")
    ws.edit("one-step-email", 'subject = "Example subject line"', 'subject = "New"')
    path = ws.file("four-step-multichannel")
    path.write_text(STEP_3.sub("", path.read_text()))
    ws.edit("two-step-linkedin", "linkedin_account_id = 200002", "linkedin_account_id = 200003")
    out = refused(ws, "step_removed", "linkedin_edit")
    assert "changes refused." in out


def test_a_long_connection_note_on_a_classic_account(ws: Workspace) -> None:
    ws.emulator.seed_linkedin(200002, level="CLASSIC")
    ws.edit("two-step-linkedin", "I'd like to add you to my professional network on LinkedIn", "x" * 250)
    refused(
        ws,
        "two-step-linkedin step 2: account_invalid",
        "a connection note of 272 characters; CLASSIC LinkedIn accounts allow 200",
    )


def test_the_old_run_after_flag_is_accepted_and_means_the_default(ws: Workspace) -> None:
    applied(ws)
    rec = record(ws, "one-step-email")
    ws.emulator.set_status(rec["campaign_id"], "RUNNING")
    ws.append("one-step-email", FOLLOW_UP)
    plan = ws.run("plan", "--make-editable", "--run-after")
    assert plan.exit_code == 0, plan.output
    assert f"▶ set campaign {rec['campaign_id']} back to RUNNING" in plan.stdout


def test_editable_flags_are_checked_together(ws: Workspace) -> None:
    alone = ws.run("plan", "--leave-editable")
    assert alone.exit_code == 1
    assert "--leave-editable goes with --make-editable" in alone.stderr
    both = ws.run("plan", "--make-editable", "--run-after", "--leave-editable")
    assert both.exit_code == 1
    assert "contradict each other" in both.stderr
