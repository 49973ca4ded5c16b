"""The planner on plain values: Desired, CampaignRecord, Applied and Facts built by hand (or from the
example files' text), no HTTP, no state on disk."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from wpsync.files.loading import parse_source
from wpsync.files.sources import Source
from wpsync.files.to_api import content_hash
from wpsync.plan.actions import (
    AppendStep,
    CreateCampaign,
    DeleteStep,
    MakeEditable,
    RestoreStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.plan.desired import Desired, Unchanged, desired_from
from wpsync.plan.edits import Where, edit_step
from wpsync.plan.existing import Options, plan_existing
from wpsync.plan.facts import Facts, RemoteCampaign
from wpsync.plan.planner import PlanOptions, make_plan
from wpsync.state.records import Applied, CampaignRecord, StepRecord

JSON = dict[str, Any]
EXAMPLES = Path(__file__).resolve().parents[2] / "campaigns"
ONE = (EXAMPLES / "one-step-email.toml").read_text()
FOUR = (EXAMPLES / "four-step-multichannel.toml").read_text()
LINKEDIN = (EXAMPLES / "two-step-linkedin.toml").read_text()
FOLLOW_UP = """
[[steps]]
type = "EMAIL"
delivery_time = "workdays"
followup_after = { range = "DAY", value = 3 }

[[steps.versions]]
message = "<p>Bump</p>"
"""
LAST = """
[[steps]]
type = "EMAIL"
delivery_time = { FRIDAY = [{ from = "10:00", to = "12:00" }] }

[[steps.versions]]
message = "<p>Last</p>"
"""
CID = 1001
DEFAULT = Options()


def desired(text: str, key: str = "camp", *, recorded: bool = True) -> Desired:
    loaded = parse_source(Source(key, Path(f"campaigns/{key}.toml"), text.encode()))
    assert loaded.campaign is not None, [p.render() for p in loaded.errors]
    return desired_from(
        key, f"campaigns/{key}.toml", loaded.source.digest, loaded.campaign, recorded=recorded
    )


def recorded(
    d: Desired, *, status: str = "DRAFT", restore: str = "", processed: int = 0
) -> tuple[CampaignRecord, Applied]:
    """The record and applied content of ``d`` as if apply had just made it."""
    steps = [StepRecord("start", "START")]
    for index, (kind, digest) in enumerate(zip(d.step_types, d.step_hashes, strict=True)):
        versions = d.steps[index].get("versions") or []
        steps.append(
            StepRecord(
                f"step{index + 1}", kind, digest, tuple(f"v{index + 1}{n}" for n in range(len(versions)))
            )
        )
    record = CampaignRecord(
        key=d.key,
        lineage="lineage",
        serial=3,
        campaign_id=CID,
        status=status,
        head_hash=d.head_hash,
        steps=tuple(steps),
        last_step_processed=processed,
        restore_status=restore,
    )
    return record, Applied(head=d.head, steps=d.steps)


def remote_of(
    record: CampaignRecord,
    *,
    status: str | None = None,
    processed: tuple[int | None, ...] | None = None,
    people: int | None = None,
) -> RemoteCampaign:
    counts = processed if processed is not None else (0,) * len(record.content_steps)
    return RemoteCampaign(
        status=status or record.status,
        step_ids=tuple(s.id for s in record.steps),
        step_hashes=tuple(s.hash for s in record.content_steps),
        last_step_processed=counts[-1] if counts else 0,
        processed=counts,
        prospects=people,
    )


def plan_edit(
    old: str,
    new: str,
    *,
    status: str = "DRAFT",
    options: Options = DEFAULT,
    processed: tuple[int | None, ...] | None = None,
    restore: str = "",
    remote: bool = True,
) -> Any:
    record, applied = recorded(desired(old), status=status, restore=restore)
    facts = remote_of(record, processed=processed, people=12) if remote else None
    return plan_existing(desired(new), record, applied, facts, options)


def kinds(planned: Any) -> list[str]:
    return [a.kind for a in planned.actions]


def codes(planned: Any) -> list[str]:
    return [r.code for r in planned.refusals]


# --- plan_existing: allowed edits ----------------------------------------------------------------


def test_unchanged_plans_nothing() -> None:
    planned = plan_edit(ONE, ONE)
    assert planned.actions == [] and planned.refusals == [] and planned.notes == []


def test_a_setting_is_one_patch_of_only_that_setting() -> None:
    planned = plan_edit(ONE, ONE.replace("daily_enroll = 25", "daily_enroll = 30"))
    (action,) = planned.actions
    assert isinstance(action, UpdateCampaign)
    assert action.campaign_id == CID and action.patch == {"settings": {"daily_enroll": 30}}
    assert [(c.path, c.old, c.new) for c in action.changes] == [("settings.daily_enroll", 25, 30)]
    assert action.head_hash == desired(ONE.replace("daily_enroll = 25", "daily_enroll = 30")).head_hash


def test_name_and_mailboxes_are_patched_whole() -> None:
    new = ONE.replace('name = "One-step email campaign"', 'name = "Other"').replace(
        "email_account_ids = [112233]", "email_account_ids = [112233, 100001]"
    )
    (action,) = plan_edit(ONE, new).actions
    assert isinstance(action, UpdateCampaign)
    assert action.patch == {"name": "Other", "email_account_ids": [112233, 100001]}


def test_a_schedule_of_two_steps_is_two_window_calls_named_by_the_schedule() -> None:
    old = ONE + FOLLOW_UP
    planned = plan_edit(old, old.replace('to = "18:00"', 'to = "17:00"'))
    assert kinds(planned) == ["update_windows", "update_windows"]
    first, second = planned.actions
    assert isinstance(first, UpdateWindows) and isinstance(second, UpdateWindows)
    assert (first.position, second.position) == (1, 2)
    assert first.schedule == second.schedule == "workdays"
    assert first.delivery_time["FRIDAY"] == [{"from": "08:00", "to": "17:00"}]
    assert first.step_hash == desired(old.replace('to = "18:00"', 'to = "17:00"')).step_hashes[0]


def test_version_copy_sends_only_the_changed_fields() -> None:
    new = ONE.replace('subject = "Example subject line"', 'subject = "New"').replace(
        "track_opens = false", "track_opens = true"
    )
    (action,) = plan_edit(ONE, new).actions
    assert isinstance(action, UpdateVersion)
    assert (action.position, action.version) == (1, 0)
    assert action.patch == {"subject": "New", "track_opens": True}
    assert action.step_hash == desired(new).step_hashes[0]


def test_a_copy_edit_of_a_step_that_sent_says_how_many_got_the_old_copy() -> None:
    new = ONE.replace('subject = "Example subject line"', 'subject = "New"')
    planned = plan_edit(ONE, new, status="EDITED", processed=(7,))
    assert kinds(planned) == ["update_version"]
    assert [n.message for n in planned.notes if n.code != "edited"] == [
        "camp: step 1: 7 prospect(s) already received the old copy; the new copy goes to the rest"
    ]
    unknown = plan_edit(ONE, new, status="EDITED", processed=(None,))
    assert "prospects may already have received the old copy" in unknown.notes[0].message


def test_linkedin_copy_sends_only_the_message() -> None:
    new = LINKEDIN.replace("I'd like to add you", "I would like to add you")
    (action,) = plan_edit(LINKEDIN, new).actions
    assert isinstance(action, UpdateVersion)
    assert (action.position, action.version) == (2, 1)
    assert list(action.patch) == ["message"]


def test_trailing_steps_are_deleted_last_first() -> None:
    planned = plan_edit(ONE + FOLLOW_UP + LAST, ONE, processed=(0, 0, 0))
    assert [(a.kind, a.position) for a in planned.actions if isinstance(a, DeleteStep)] == [
        ("delete_step", 3),
        ("delete_step", 2),
    ]
    assert planned.refusals == []


def test_a_delete_with_unknown_processed_is_planned_with_a_note() -> None:
    planned = plan_edit(ONE + FOLLOW_UP, ONE, status="EDITED", processed=(0, None))
    assert kinds(planned) == ["delete_step"]
    assert "whether step 2 processed prospects is unknown" in planned.notes[0].message


def test_an_append_after_an_edit() -> None:
    new = ONE.replace("daily_enroll = 25", "daily_enroll = 26") + FOLLOW_UP
    planned = plan_edit(ONE, new)
    assert kinds(planned) == ["update_campaign", "append_step"]
    append = planned.actions[1]
    assert isinstance(append, AppendStep) and (append.position, append.parent_position) == (2, 1)


# --- plan_existing: status ------------------------------------------------------------------------

EDIT = ONE.replace("daily_enroll = 25", "daily_enroll = 30")


def test_a_running_campaign_is_refused_without_make_editable() -> None:
    planned = plan_edit(ONE, EDIT, status="RUNNING")
    assert planned.actions == [] and codes(planned) == ["status_not_editable"]
    assert "--make-editable" in planned.refusals[0].way_out


@pytest.mark.parametrize("status", ["RUNNING", "PAUSED", "STOPPED"])
def test_make_editable_wraps_the_edits_and_restores_the_status(status: str) -> None:
    planned = plan_edit(ONE, EDIT, status=status, options=Options(make_editable=True))
    assert kinds(planned) == ["make_editable", "update_campaign", "restore_status"]
    first, last = planned.actions[0], planned.actions[-1]
    assert isinstance(first, MakeEditable) and first.from_status == status and first.prospects == 12
    assert isinstance(last, RestoreStatus) and last.status == status
    assert [n.code for n in planned.notes] == ["editable_pause"]
    assert f"then set back to {status}" in planned.notes[0].message


def test_leave_editable_plans_no_restore() -> None:
    planned = plan_edit(ONE, EDIT, status="RUNNING", options=Options(make_editable=True, leave_editable=True))
    assert kinds(planned) == ["make_editable", "update_campaign"]
    assert "left EDITED (--leave-editable)" in planned.notes[0].message


def test_a_completed_campaign_is_made_editable_only_to_stay_edited() -> None:
    # No call sets COMPLETED again: `run` would make it RUNNING and send new steps to those who finished.
    planned = plan_edit(ONE, EDIT, status="COMPLETED", options=Options(make_editable=True))
    assert planned.actions == [] and codes(planned) == ["status_not_editable"]
    assert "--make-editable --leave-editable" in planned.refusals[0].way_out
    left = plan_edit(ONE, EDIT, status="COMPLETED", options=Options(make_editable=True, leave_editable=True))
    assert kinds(left) == ["make_editable", "update_campaign"]


def test_a_status_that_cannot_be_made_editable_is_refused() -> None:
    planned = plan_edit(ONE, EDIT, status="ARCHIVED", options=Options(make_editable=True))
    assert planned.actions == [] and codes(planned) == ["status_not_editable"]
    assert "wait until the campaign can be edited" in planned.refusals[0].way_out


def test_a_campaign_left_edited_is_restored_first_even_with_nothing_to_edit() -> None:
    planned = plan_edit(ONE, ONE, status="EDITED", restore="RUNNING")
    assert kinds(planned) == ["restore_status"]
    assert planned.actions[0].status == "RUNNING"
    assert planned.notes[0].code == "restore"


def test_a_campaign_left_edited_gets_its_edits_then_its_status() -> None:
    planned = plan_edit(ONE, EDIT, status="EDITED", restore="PAUSED")
    assert kinds(planned) == ["update_campaign", "restore_status"]


def test_planned_offline_from_the_record() -> None:
    planned = plan_edit(ONE, EDIT, status="RUNNING", restore="RUNNING", remote=False)
    # The record says RUNNING (not EDITED): the restore status is not acted on, the edit needs the flag.
    assert codes(planned) == ["status_not_editable"]


# --- plan_existing: refusals ----------------------------------------------------------------------


def test_remote_drift_refuses_everything() -> None:
    record, applied = recorded(desired(ONE))
    drifted = replace(remote_of(record), step_hashes=("other",))
    planned = plan_existing(desired(EDIT), record, applied, drifted, Options())
    assert codes(planned) == ["remote_drift"] and planned.actions == []


def test_a_head_edit_without_the_applied_content_is_refused() -> None:
    record, _ = recorded(desired(ONE))
    planned = plan_existing(desired(EDIT), record, None, remote_of(record), Options())
    assert codes(planned) == ["remote_drift"]


@pytest.mark.parametrize(
    ("old", "new", "code"),
    [
        (FOUR, FOUR.replace("value = 4 }", "value = 6 }"), "delay_changed"),
        (ONE, ONE + '\n[[steps.versions]]\nsubject = "B"\nmessage = "b"\n', "versions_changed"),
        (ONE + FOLLOW_UP, ONE, "step_processed"),
        (
            LINKEDIN,
            LINKEDIN.split('[[steps]]\ntype = "LINKEDIN"\naction_type = "CONNECTION_REQUEST"')[0],
            "step_removed",
        ),
        (
            LINKEDIN,
            LINKEDIN.replace(
                'action_type = "VISIT_PROFILE"\nlinkedin_account_id = 200002\nversions = [{ message = "" }]',
                'action_type = "DIRECT_MESSAGE"\nlinkedin_account_id = 200002\nversions = [{ message = "Hi" }]',
            ),
            "linkedin_edit",
        ),
        (
            ONE,
            ONE
            + LAST.replace(
                "FRIDAY = [", 'FRIDAY = [{ from = "06:00", to = "07:00" }, { from = "08:00", to = "09:00" }, '
            ),
            "too_many_windows",
        ),
    ],
    ids=["delay", "version_added", "processed_delete", "linkedin_delete", "linkedin_action", "three_windows"],
)
def test_forbidden_edits(old: str, new: str, code: str) -> None:
    planned = plan_edit(old, new, status="EDITED", processed=(0, 5) if code == "step_processed" else None)
    assert code in codes(planned), planned.refusals
    assert planned.actions == []


def test_the_first_email_step_is_not_deleted() -> None:
    old = LINKEDIN.replace("email_account_ids = []", "email_account_ids = [112233]") + LAST.replace(
        "[[steps.versions]]\n", '[[steps.versions]]\nsubject = "Hi"\n'
    )
    new = LINKEDIN.replace("email_account_ids = []", "email_account_ids = [112233]")
    planned = plan_edit(old, new)
    assert codes(planned) == ["first_email_removed"]


def test_an_append_after_a_step_that_processed_is_refused() -> None:
    planned = plan_edit(ONE, ONE + FOLLOW_UP, status="EDITED", processed=(4,))
    assert codes(planned) == ["parent_processed"]
    assert "has already processed 4 prospects" in planned.refusals[0].reason


def test_refusals_are_all_reported_and_no_action_is_kept() -> None:
    new = FOUR.replace("daily_enroll = 10", "daily_enroll = 11").replace("value = 4 }", "value = 6 }")
    new = new.replace("version C, sender's", "version C, the sender's")
    planned = plan_edit(FOUR, new)
    assert codes(planned) == ["delay_changed"] and planned.actions == []


# --- edit_step --------------------------------------------------------------------------------------

WHERE = Where("camp", "campaigns/camp.toml", CID)


def email(**changes: Any) -> JSON:
    step: JSON = {
        "type": "EMAIL",
        "delivery_time": {"MONDAY": [{"from": "09:00", "to": "10:00"}]},
        "followup_after": {"range": "DAY", "value": 1},
        "versions": [
            {"subject": "A", "message": "<p>a</p>", "signature": "SENDER", "track_opens": False},
            {"subject": "B", "message": "<p>b</p>", "signature": "SENDER", "track_opens": False},
        ],
    }
    return step | changes


def test_edit_step_windows_then_each_changed_version() -> None:
    old = email()
    versions = [dict(v) for v in old["versions"]]
    versions[1]["message"] = "<p>B!</p>"
    new = email(delivery_time={"TUESDAY": [{"from": "09:00", "to": "11:00"}]}, versions=versions)
    result = edit_step(WHERE, 2, old, new, schedule="", processed=0)
    assert result.refusals == []
    assert [a.kind for a in result.actions] == ["update_windows", "update_version"]
    windows, version = result.actions
    assert isinstance(windows, UpdateWindows) and isinstance(version, UpdateVersion)
    assert windows.position == version.position == 3
    assert windows.delivery_time == new["delivery_time"]
    assert (version.version, version.patch) == (1, {"message": "<p>B!</p>"})
    assert version.step_hash == content_hash(new)  # the last action leaves the step as the file says
    assert windows.step_hash != content_hash(new)


def test_edit_step_type_change_refuses_alone() -> None:
    result = edit_step(WHERE, 0, email(), {"type": "LINKEDIN"})
    assert [r.code for r in result.refusals] == ["step_type_changed"] and result.actions == []


def test_edit_step_delay_and_versions_refused_together() -> None:
    new = email(followup_after={"range": "DAY", "value": 2}, versions=email()["versions"][:1])
    result = edit_step(WHERE, 0, email(), new)
    assert [r.code for r in result.refusals] == ["delay_changed", "versions_changed"]
    assert result.actions == []
    assert [(c.path, c.old, c.new) for c in result.refusals[0].changes] == [
        ("steps[0].followup_after.value", 1, 2)
    ]


def test_edit_step_linkedin_account_and_message() -> None:
    old = {
        "type": "LINKEDIN",
        "action_type": "DIRECT_MESSAGE",
        "linkedin_account_id": 1,
        "followup_after": {"range": "DAY", "value": 1},
        "versions": [{"message": "hi"}],
    }
    moved = edit_step(WHERE, 0, old, old | {"linkedin_account_id": 2})
    assert [r.code for r in moved.refusals] == ["linkedin_edit"]
    copy = edit_step(WHERE, 0, old, old | {"versions": [{"message": "hello"}]}, processed=None)
    (action,) = copy.actions
    assert (
        isinstance(action, UpdateVersion)
        and action.patch == {"message": "hello"}
        and action.processed is None
    )


# --- make_plan ----------------------------------------------------------------------------------------


def test_make_plan_creates_new_files_and_counts_unchanged() -> None:
    known = desired(ONE, "one")
    record, applied = recorded(known)
    new = desired(LINKEDIN, "li", recorded=False)
    plan = make_plan(
        [Unchanged("one", "campaigns/one.toml", known.digest), new],
        {"one": replace(record, key="one")},
        {"one": applied},
        Facts(),
        PlanOptions(),
        lineage="lineage",
        tool_version="test",
    )
    assert [type(a) for a in plan.actions] == [CreateCampaign]
    assert plan.unchanged == 1
    assert plan.binding.serials == {"one": 3, "li": 0}


def test_make_plan_passes_the_options_to_each_campaign() -> None:
    old, new = desired(ONE, "one"), desired(EDIT, "one")
    record, applied = recorded(old, status="RUNNING")
    facts = Facts(campaigns={"one": remote_of(record)})
    refused = make_plan(
        [new], {"one": record}, {"one": applied}, facts, PlanOptions(), lineage="l", tool_version="t"
    )
    assert [r.code for r in refused.refusals] == ["status_not_editable"]
    allowed = make_plan(
        [new],
        {"one": record},
        {"one": applied},
        facts,
        PlanOptions(make_editable=True),
        lineage="l",
        tool_version="t",
    )
    assert [a.kind for a in allowed.actions] == ["make_editable", "update_campaign", "restore_status"]
    assert allowed.options == {"make_editable": True, "leave_editable": False}
    assert allowed.counts()["update"] == 1


def test_make_plan_missing_and_drift() -> None:
    old = desired(ONE, "one")
    record, applied = recorded(old)
    gone = make_plan(
        [desired(EDIT, "one")],
        {"one": record},
        {"one": applied},
        Facts(campaigns={"one": None}),
        PlanOptions(),
        lineage="l",
        tool_version="t",
    )
    assert [r.code for r in gone.refusals] == ["remote_missing"]
    running = Facts(campaigns={"one": remote_of(record, status="RUNNING")})
    drift = make_plan(
        [old],
        {"one": record},
        {"one": applied},
        running,
        PlanOptions(report_drift=True),
        lineage="l",
        tool_version="t",
    )
    assert drift.actions == ()
    assert [n.message for n in drift.notes] == ["one: status changed in Woodpecker: DRAFT → RUNNING"]
