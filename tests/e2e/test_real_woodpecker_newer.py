"""What the newer documentation and clients show (issue #22), end to end over HTTP against the emulator.

Each test fails on the code before this round: the emulator now answers as api-notes.md's "Newer
evidence" says the live API does, and wpsync reads it leniently and decides strictly.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import FOLLOW_UP, Workspace
from wpsync.plan.plan import no_changes

NO_CHANGES = no_changes("none") + "\n"  # a plain plan after apply asks Woodpecker nothing
LINKEDIN_APPEND = """
[[steps]]
type = "LINKEDIN"
action_type = "DIRECT_MESSAGE"
linkedin_account_id = 200002
versions = [{ message = "Thanks for connecting, {{FIRST_NAME | \\"there\\"}}!" }]
"""


def record(ws: Workspace, key: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((ws.root / "state" / f"{key}.json").read_text())
    return data


def chain(remote: dict[str, Any]) -> list[dict[str, Any]]:
    found, node = [], remote["steps"]
    while node:
        found.append(node)
        node = node.get("followup")
    return found


def applied(ws: Workspace) -> Workspace:
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    ws.emulator.clear_requests()
    return ws


# --- 1. follow-up subjects ------------------------------------------------------------------------


def with_subject_on_the_follow_up(ws: Workspace) -> int:
    ws.append(
        "one-step-email",
        FOLLOW_UP.replace('message = "<p>Just', 'subject = "New thread"\nmessage = "<p>Just'),
    )
    applied(ws)
    return int(record(ws, "one-step-email")["campaign_id"])


def test_a_removed_follow_up_subject_is_gone_in_woodpecker_too(ws: Workspace) -> None:
    cid = with_subject_on_the_follow_up(ws)
    ws.edit("one-step-email", 'subject = "New thread"\n', "")
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    [patch] = [r["body"] for r in ws.emulator.requests() if r["method"] == "PATCH"]
    assert patch == {"subject": ""}  # never null, which a partial update reads as "unchanged"
    assert not chain(ws.campaign(cid))[2]["body"]["versions"][0]["subject"]
    assert ws.run("plan").stdout == NO_CHANGES


def test_an_edit_woodpecker_answers_otherwise_is_recorded_as_answered(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PATCH Woodpecker takes but does not carry out (here: the old null subject, which it reads as
    "unchanged") is recorded as answered, so the next plan still shows the change — no silent drift."""
    cid = with_subject_on_the_follow_up(ws)
    with monkeypatch.context() as old:
        old.setattr("wpsync.plan.edits._sent", lambda name, value: value, raising=False)
        ws.edit("one-step-email", 'subject = "New thread"\n', "")
        result = ws.run("apply", "--auto-approve")
        assert result.exit_code == 0, result.output
        assert "Woodpecker answered update step 2 version A" in result.output
        assert "recorded what it holds, so the next plan shows the difference" in result.output
        assert chain(ws.campaign(cid))[2]["body"]["versions"][0]["subject"] == "New thread"
        plan = ws.run("plan", "--detailed-exitcode")
        assert plan.exit_code == 2, plan.output
        assert "~ update step 2 version A" in plan.stdout
    fixed = ws.run("apply", "--auto-approve")
    assert fixed.exit_code == 0, fixed.output
    assert ws.run("plan").stdout == NO_CHANGES


def test_a_campaign_patch_woodpecker_does_not_carry_out_is_shown_again(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for the campaign's own fields: here Woodpecker keeps the old name (faked in the client)."""
    applied(ws)
    from wpsync.woodpecker.client import WoodpeckerClient

    real = WoodpeckerClient.update_campaign
    ws.edit("one-step-email", 'name = "', 'name = "Renamed ')
    with monkeypatch.context() as lossy:
        lossy.setattr(
            WoodpeckerClient,
            "update_campaign",
            lambda self, cid, patch: real(self, cid, {**patch, "name": "One-step email campaign"}),
        )
        result = ws.run("apply", "--auto-approve")
        assert result.exit_code == 0, result.output
        assert "with the campaign not as sent; recorded what it holds" in result.output
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert "~ update campaign" in plan.stdout and "Renamed" in plan.stdout


# --- 2. LinkedIn steps can be appended --------------------------------------------------------------


@pytest.mark.parametrize("key", ["two-step-linkedin", "four-step-multichannel"])
def test_a_trailing_linkedin_step_is_appended(ws: Workspace, key: str) -> None:
    applied(ws).append(key, LINKEDIN_APPEND)
    cid = record(ws, key)["campaign_id"]
    count = len(record(ws, key)["steps"])
    plan = ws.run("plan", "--detailed-exitcode")
    assert plan.exit_code == 2, plan.output
    assert f"+ append step {count} to campaign {cid}" in plan.stdout
    assert "linkedin_append" not in plan.stdout
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    [post] = [r for r in ws.emulator.requests() if r["method"] == "POST"]
    assert post["path"] == f"/rest/v2/campaigns/{cid}/steps"
    assert post["body"]["step"]["type"] == "LINKEDIN"
    assert post["body"]["step"]["body"]["action_type"] == "DIRECT_MESSAGE"
    last = chain(ws.campaign(cid))[-1]
    assert (last["type"], last["body"]["linkedin_account_id"]) == ("LINKEDIN", 200002)
    assert ws.run("plan").stdout == NO_CHANGES


def test_an_account_that_refuses_a_linkedin_append_stops_with_the_fork_way_out(ws: Workspace) -> None:
    applied(ws).append("two-step-linkedin", LINKEDIN_APPEND)
    cid = record(ws, "two-step-linkedin")["campaign_id"]
    ws.emulator.set_linkedin_append(False)
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 1
    assert f"Woodpecker refused to append LINKEDIN step 3 to campaign {cid}" in result.stderr
    assert "step.type: must be EMAIL" in result.stderr
    assert "nothing was changed — remove step 3 from" in result.stderr
    assert "or fork into a new campaign file that has it from the start" in result.stderr
    assert "Traceback" not in result.output
    assert len(chain(ws.campaign(cid))) == 3  # START and the two steps: unchanged
    assert ws.run("plan", "--detailed-exitcode").exit_code == 2  # still planned, to retry or fork


def test_a_linkedin_append_is_checked_as_a_linkedin_step(ws: Workspace) -> None:
    """Its LinkedIn account is checked before any call, as a create's is (the plan reads the accounts)."""
    applied(ws).append("two-step-linkedin", LINKEDIN_APPEND.replace("200002", "999999"))
    plan = ws.run("plan")
    assert plan.exit_code == 3, plan.output
    assert "step 3: account_invalid" in plan.stdout
    assert "LinkedIn account 999999 does not exist in this Woodpecker account" in plan.stdout
    ws.emulator.seed_linkedin(200002, "Example Sender", "DISCONNECTED")
    ws.edit("two-step-linkedin", "999999", "200002")
    assert "LinkedIn account 200002 is DISCONNECTED" in ws.run("plan").stdout
    assert ws.posts() == []


# --- 3. v1 errors inside an HTTP 400 ----------------------------------------------------------------


def test_a_v1_rate_limit_inside_a_400_is_retried(ws: Workspace) -> None:
    ws.emulator.add_fault("v1_too_many_requests_400", count=2)
    result = ws.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    assert [r["status"] for r in ws.emulator.requests() if r["fault"]] == [400, 400]


def test_a_v1_session_error_inside_a_400_is_an_auth_failure(ws: Workspace) -> None:
    ws.emulator.add_fault("v1_session_400", count=1)
    result = ws.run("plan")
    assert result.exit_code == 1
    assert "Woodpecker rejected the API key (401): Invalid session" in result.stderr
    assert "check the campaign file" not in result.stderr


# --- 4. no API add-on as a 401 ----------------------------------------------------------------------


def test_no_api_addon_as_a_401_is_told_from_a_wrong_key(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.emulator.add_fault("no_api_addon", count=100)
    result = ws.run("plan")
    assert result.exit_code == 1
    assert "the key is valid but the account has no API add-on (401: No API addon)" in result.stderr
    assert "enable the API add-on" in result.stderr
    doctor = ws.run("doctor")
    assert doctor.exit_code == 1
    assert "FAIL  API reachable, key valid, API add-on" in doctor.stdout
    assert "no API add-on" in doctor.stdout
    ws.emulator.reset()
    monkeypatch.setenv("WOODPECKER_API_KEY", "no-such-key")
    wrong = ws.run("plan")
    assert "the key is wrong or revoked" in wrong.stderr
    assert "add-on" not in wrong.stderr.replace("API add-on", "")


# --- 5. identity ------------------------------------------------------------------------------------


def test_doctor_says_which_identity_source_answered(ws: Workspace) -> None:
    applied(ws)
    result = ws.run("doctor")
    line = next(x for x in result.stdout.splitlines() if "account identity" in x)
    assert line.startswith("ok    account identity (GET /v1/me)")
    assert "GET /v1/me: company " in line and "(matches the state)" in line
    ws.emulator.add_fault("404", count=100, path_prefix="/rest/v1/me")
    result = ws.run("doctor")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.stdout.splitlines() if "account identity" in x)
    assert "account identity (GET /v2/users)" in line
    assert "GET /v1/me answered 404; GET /v2/users: 1 user(s), ids " in line
    assert "no account id: the account check is off" in line
    # A plan that wants the account (something to create) goes on without it.
    ws.append("one-step-email", FOLLOW_UP)
    assert ws.run("plan", "--detailed-exitcode").exit_code == 2


# --- 6. a campaign the API cannot read --------------------------------------------------------------


def test_refresh_all_names_an_unchanged_campaign_the_api_cannot_read(ws: Workspace) -> None:
    applied(ws)
    cid = record(ws, "one-step-email")["campaign_id"]
    ws.emulator.mark_unsupported(cid)
    plan = ws.run("plan", "--refresh", "all")
    assert plan.exit_code == 0, plan.output
    assert f"Woodpecker would not read campaign {cid} (API_UNSUPPORTED_CAMPAIGN_FEATURES" in plan.stdout


def test_woodpeckers_sample_campaign_is_named_not_failed(ws: Workspace) -> None:
    sample = ws.emulator.seed_sample_campaign()
    doctor = ws.run("doctor")
    assert doctor.exit_code == 0, doctor.output
    assert f"campaign {sample} answers 409 API_UNSUPPORTED_CAMPAIGN_FEATURES" in doctor.stdout
    assert "Woodpecker's own sample campaign does this" in doctor.stdout
    imported = ws.run("import", str(sample))
    assert imported.exit_code == 1
    assert "Woodpecker's own sample campaign is one such" in imported.stderr
    assert ws.run("plan", "--detailed-exitcode").exit_code == 2  # the first plan goes on


# --- 7. the emulator matches the evidence -----------------------------------------------------------


def test_a_linkedin_account_that_requires_a_checkpoint(ws: Workspace) -> None:
    ws.emulator.seed_linkedin(200002, "Example Sender", "REQUIRES_CHECKPOINT")
    doctor = ws.run("doctor")
    assert "1 REQUIRES_CHECKPOINT" in doctor.stdout
    assert "refused until reconnected in Woodpecker" in doctor.stdout
    plan = ws.run("plan")
    assert plan.exit_code == 3
    assert "LinkedIn account 200002 is REQUIRES_CHECKPOINT" in plan.stdout


def test_a_refused_run_leaves_the_campaign_recorded_to_restore(ws: Workspace) -> None:
    applied(ws)
    cid = record(ws, "one-step-email")["campaign_id"]
    ws.emulator.set_status(cid, "RUNNING")
    ws.edit("one-step-email", 'subject = "Example subject line"', 'subject = "Sharper"')
    ws.emulator.add_fault("409", count=2, method="POST", path_prefix=f"/rest/v2/campaigns/{cid}/run")
    result = ws.run("apply", "--auto-approve", "--make-editable")
    assert result.exit_code == 1
    assert f"Woodpecker refused to run campaign {cid} (HTTP 409" in result.output
    assert ws.campaign(cid)["status"] == "EDITED"
    assert record(ws, "one-step-email")["restore_status"] == "RUNNING"
    again = ws.run("apply", "--auto-approve", "--make-editable")
    assert again.exit_code == 0, again.output
    assert ws.campaign(cid)["status"] == "RUNNING"
