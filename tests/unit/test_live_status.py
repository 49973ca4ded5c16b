"""Status as code, decided as values: at most one call, and none where Woodpecker's own status wins."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tests.helpers import MINIMAL, load_text, messages
from tests.unit.test_planner_values import FOLLOW_UP, ONE, desired, plan_edit
from wpsync.apply.calls import refused_status_call
from wpsync.errors import ApiErrorInfo
from wpsync.files.to_api import create_body
from wpsync.plan.live import decide
from wpsync.woodpecker.errors import WoodpeckerApiError


@pytest.mark.parametrize(
    ("want", "now", "recorded", "target"),
    [
        (None, "PAUSED", "RUNNING", ""),  # no status in the file: left alone
        ("RUNNING", "RUNNING", "RUNNING", ""),
        ("RUNNING", "COMPLETED", "RUNNING", ""),  # COMPLETED satisfies RUNNING
        ("RUNNING", "PAUSED", "RUNNING", "RUNNING"),
        ("PAUSED", "RUNNING", "RUNNING", "PAUSED"),
        ("STOPPED", "RUNNING", "RUNNING", "STOPPED"),
        ("RUNNING", "STOPPED", "STOPPED", "RUNNING"),  # wpsync stopped it: the file may start it
        ("RUNNING", "STOPPED", "RUNNING", ""),  # Woodpecker stopped it: not silently
        ("RUNNING", "EDITED", "EDITED", "RUNNING"),  # resumed
        ("DRAFT", "RUNNING", "RUNNING", ""),  # never back to DRAFT
        ("PAUSED", "DRAFT", "DRAFT", ""),  # not launched: nothing to pause
        ("RUNNING", "DRAFT", "DRAFT", "RUNNING"),
    ],
)
def test_decide(want: str | None, now: str, recorded: str, target: str) -> None:
    decision = decide(replace(desired(ONE), status=want), now, recorded)
    assert decision.target == target
    assert bool(decision.note) == (
        not target and want not in (None, now) and (want, now) != ("RUNNING", "COMPLETED")
    )


def test_a_stopped_campaign_names_its_disconnected_mailbox() -> None:
    decision = decide(replace(desired(ONE), status="RUNNING"), "STOPPED", "RUNNING", {112233: "Disconnected"})
    assert decision.hold == "STOPPED"
    assert "mailbox 112233 reports 'Disconnected'" in decision.note


@pytest.mark.parametrize("status", [403, 409])
def test_a_refused_run_says_what_to_do(status: int) -> None:
    error = WoodpeckerApiError(
        ApiErrorInfo(status=status, code="NOT_RUNNABLE", message="Campaign cannot be run"),
        "refused",
        method="POST",
        path="/v2/campaigns/7/run",
        maybe_committed=False,
    )
    found = refused_status_call(error, "run", 7, "RUNNING")
    assert found is not None
    assert found.message.startswith(
        f"Woodpecker refused to run campaign 7 (HTTP {status}: Campaign cannot be run)"
    )
    assert "then run `wpsync apply` again to set it RUNNING" in found.message
    assert refused_status_call(error, "make_editable", 7, "EDITED") is None


def test_a_bad_status_or_policy_in_a_file_names_the_line_and_what_is_allowed(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "email_account_ids", 'status = "RUNING"\nmake_editable = "yes"\nemail_account_ids', 1
    )
    assert messages(load_text(tmp_path, text)) == [
        "1: status: must be 'DRAFT', 'RUNNING', 'PAUSED' or 'STOPPED', not 'RUNING'",
        "2: make_editable: expected true or false, not 'yes'",
    ]
    loaded = load_text(
        tmp_path, MINIMAL.replace("email_account_ids", 'status = "PAUSED"\nemail_account_ids', 1)
    )
    assert loaded.campaign is not None and loaded.campaign.status == "PAUSED"
    assert "status" not in create_body(loaded.campaign)  # wpsync's own: never sent


def test_a_refused_campaign_still_says_it_is_left_edited_and_what_it_holds_back() -> None:
    old = ONE + FOLLOW_UP
    new = old.replace("value = 3", "value = 5").replace("daily_enroll = 25", "daily_enroll = 30")
    planned = plan_edit(old, new, status="EDITED", restore="RUNNING")
    assert [r.code for r in planned.refusals] == ["delay_changed"]
    assert [a.kind for a in planned.actions] == ["restore_status"]  # the one call a refusal still makes
    notes = {n.code: n.message for n in planned.notes}
    assert "it is set back to RUNNING" in notes["restore"]  # an interrupted apply's restore is not hidden
    assert "also planned, and held back with the refusal: settings.daily_enroll: 25 → 30" in notes["warning"]
