"""make_plan: a pure function from values (files, state, remote facts, options) to a Plan.

No clients, paths or clocks come in, so every decision is tested without mocks. The shell
(commands/plan.py) loads the inputs and refreshes from the API only the facts a decision needs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wpsync.limits import (
    CAN_MAKE_EDITABLE,
    CONNECTION_NOTE_MAX_CLASSIC,
    EDITABLE,
    MAX_WINDOWS_PER_DAY_APPENDED,
)
from wpsync.plan.desired import Desired, Unchanged, email_step
from wpsync.plan.diff import StepProblem, compare_steps, field_changes
from wpsync.plan.facts import Facts
from wpsync.plan.plan import (
    Action,
    AppendStep,
    Binding,
    CreateCampaign,
    FieldChange,
    MakeEditable,
    Note,
    Plan,
    Refusal,
    RefusalCode,
    RunCampaign,
)
from wpsync.state.store import Applied, CampaignRecord

JSON = dict[str, Any]


@dataclass(frozen=True)
class PlanOptions:
    make_editable: bool = False
    run_after: bool = False
    offline: bool = False
    report_drift: bool = False  # --refresh=all


def make_plan(
    files: Sequence[Desired | Unchanged],
    records: Mapping[str, CampaignRecord],
    applied: Mapping[str, Applied],
    facts: Facts,
    options: PlanOptions,
    *,
    lineage: str | None,
    tool_version: str,
) -> Plan:
    actions: list[Action] = []
    refusals: list[Refusal] = []
    notes: list[Note] = []
    unchanged = 0
    for item in sorted(files, key=lambda f: f.key):
        record = records.get(item.key)
        if isinstance(item, Unchanged):
            unchanged += 1
            continue
        if record is None:
            found = _check_accounts(item, facts)
            refusals.extend(found)
            notes.extend(_possible_orphans(item, facts))
            if not found:
                actions.append(
                    CreateCampaign(
                        item.key,
                        item.file,
                        item.create_json,
                        item.head,
                        item.head_hash,
                        item.step_hashes,
                    )
                )
            continue
        campaign_actions, campaign_refusals, campaign_notes = _plan_existing(
            item, record, applied.get(item.key), facts, options
        )
        if not campaign_actions and not campaign_refusals:
            unchanged += 1
        actions.extend(campaign_actions)
        refusals.extend(campaign_refusals)
        notes.extend(campaign_notes)
    on_disk = {f.key for f in files}
    for key in sorted(set(records) - on_disk):
        notes.append(
            Note(
                key,
                "unmanaged",
                f"{key}: no campaign file any more; campaign {records[key].campaign_id} stays in Woodpecker "
                f"untouched (wpsync never deletes). Run `wpsync forget {key}` to stop tracking it.",
            )
        )
    if options.report_drift:
        notes.extend(_drift_notes(records, facts))
    if options.offline:
        notes.append(Note("", "offline", "planned offline from the recorded state; Woodpecker was not asked"))
    binding = Binding(
        lineage=lineage,
        serials={key: records[key].serial for key in sorted(records)}
        | {f.key: 0 for f in files if f.key not in records},
        digests={f.key: f.digest for f in sorted(files, key=lambda f: f.key)},
        tool_version=tool_version,
    )
    return Plan(
        actions=tuple(actions),
        refusals=tuple(refusals),
        notes=tuple(notes),
        binding=binding,
        offline=options.offline,
        unchanged=unchanged,
        options={"make_editable": options.make_editable, "run_after": options.run_after},
    )


def _plan_existing(
    desired: Desired,
    record: CampaignRecord,
    applied: Applied | None,
    facts: Facts,
    options: PlanOptions,
) -> tuple[list[Action], list[Refusal], list[Note]]:
    refusals: list[Refusal] = []
    notes: list[Note] = []

    def refuse(
        code: RefusalCode, step: int | None, reason: str, way_out: str, changes: tuple[FieldChange, ...] = ()
    ) -> None:
        refusals.append(Refusal(desired.key, desired.file, code, step, reason, way_out, changes))

    if desired.head_hash != record.head_hash:
        changes = field_changes(applied.head, desired.head, "") if applied else ()
        refuse(
            "campaign_edited",
            None,
            "the campaign's name, mailboxes or settings changed; the API cannot edit an existing campaign",
            f"revert the edit in {desired.file}, or fork: copy it to a new file (a new key) "
            "to create a new campaign",
            changes,
        )
    old_types = tuple(step.type for step in record.content_steps)
    comparison = compare_steps(
        [s.hash for s in record.content_steps], desired.step_hashes, old_types, desired.step_types
    )
    for problem in comparison.problems:
        refuse(*_explain_step_problem(problem, desired, applied))
    if comparison.append_from is None or comparison.append_from == len(desired.step_hashes):
        return [], refusals, notes
    first_new = comparison.append_from
    for index in range(first_new, len(desired.steps)):
        step = email_step(desired, index)
        if step is None:
            refuse(
                "linkedin_append",
                index + 1,
                "the API appends EMAIL steps only; a LINKEDIN step cannot be added to an existing campaign",
                f"remove step {index + 1}, or fork into a new campaign file that has it from the start",
            )
        elif _windows(desired, index) > MAX_WINDOWS_PER_DAY_APPENDED:
            refuse(
                "too_many_windows",
                index + 1,
                f"an appended step allows at most {MAX_WINDOWS_PER_DAY_APPENDED} delivery windows a day "
                f"(it has {_windows(desired, index)})",
                "merge or drop windows so that no day has more than 2",
            )
    remote = facts.campaigns.get(desired.key) if desired.key in facts.campaigns else None
    refreshed = desired.key in facts.campaigns
    if refreshed and remote is None:
        refuse(
            "remote_missing",
            None,
            f"campaign {record.campaign_id} no longer exists in Woodpecker",
            f"run `wpsync forget {desired.key}` and plan again to create it anew",
        )
        return [], refusals, notes
    status = remote.status if remote else record.status
    processed = remote.last_step_processed if remote else record.last_step_processed
    if remote is not None and remote.step_hashes != tuple(s.hash for s in record.content_steps):
        refuse(
            "remote_drift",
            None,
            f"campaign {record.campaign_id}'s steps were changed in Woodpecker since wpsync recorded them",
            f"reconcile: `wpsync forget {desired.key}`, then `wpsync import {record.campaign_id} "
            f"--key {desired.key} --force` to adopt Woodpecker's version",
        )
    if processed > 0:
        refuse(
            "parent_processed",
            first_new + 1,
            f"step {first_new} (the current last step) has already processed {processed} prospect"
            f"{'s' if processed != 1 else ''}; the API cannot link a new step after it",
            "fork into a new campaign file for the new sequence; existing prospects keep the old one",
        )
    actions: list[Action] = []
    made_editable = False
    if status not in EDITABLE:
        if options.make_editable and status in CAN_MAKE_EDITABLE:
            actions.append(MakeEditable(desired.key, desired.file, record.campaign_id, status))
            made_editable = True
            notes.append(
                Note(
                    desired.key,
                    "editable_pause",
                    f"{desired.key}: campaign {record.campaign_id} is {status}; making it EDITED pauses "
                    "sending until it is run again"
                    + (" (--run-after will run it)" if options.run_after else ""),
                )
            )
        else:
            refuse(
                "status_not_editable",
                first_new + 1,
                f"campaign {record.campaign_id} is {status}; steps can be added only in DRAFT or EDITED",
                "plan again with --make-editable (sending pauses until it runs again; add --run-after)"
                if status in CAN_MAKE_EDITABLE
                else "wait until the campaign can be edited in Woodpecker",
            )
    if refusals:
        return [], refusals, notes
    for index in range(first_new, len(desired.steps)):
        step = email_step(desired, index)
        assert step is not None  # LINKEDIN appends were refused above
        from wpsync.files.to_api import add_step_body

        assert desired.campaign is not None
        body = add_step_body(step, desired.campaign.schedules, parent_id="")["step"]
        actions.append(
            AppendStep(
                desired.key,
                desired.file,
                record.campaign_id,
                position=index + 1,
                parent_position=index,
                step=body,
                step_hash=desired.step_hashes[index],
            )
        )
    if made_editable and options.run_after:
        actions.append(RunCampaign(desired.key, desired.file, record.campaign_id))
    return actions, refusals, notes


def _windows(desired: Desired, index: int) -> int:
    delivery = desired.steps[index].get("delivery_time", {})
    return max((len(windows) for windows in delivery.values()), default=0)


def _explain_step_problem(
    problem: StepProblem, desired: Desired, applied: Applied | None
) -> tuple[RefusalCode, int | None, str, str, tuple[FieldChange, ...]]:
    n = problem.index + 1
    file = desired.file
    if problem.kind == "step_edited":
        old = applied.steps[problem.index] if applied and problem.index < len(applied.steps) else None
        changes = field_changes(old, desired.steps[problem.index], f"steps[{problem.index}]") if old else ()
        return (
            "step_edited",
            n,
            f"step {n} exists in Woodpecker and the API cannot change an existing step",
            f"revert step {n} in {file}; to send the new copy, append it as a new step at the end, "
            "or fork into a new campaign file",
            changes,
        )
    if problem.kind == "step_type_changed":
        return (
            "step_type_changed",
            n,
            f"step {n} changed type ({problem.detail}); the API cannot change an existing step",
            f"revert step {n} in {file}, or fork into a new campaign file",
            (),
        )
    if problem.kind == "step_inserted":
        return (
            "step_inserted",
            n,
            f"a new step {n} is inserted between existing steps; the API can only append at the end",
            f"move the new step to the end of {file}, or fork into a new campaign file",
            (),
        )
    if problem.kind == "step_removed":
        return (
            "step_removed",
            n,
            f"recorded step {n} is missing from the file; the API cannot delete a step",
            f"restore step {n} in {file} (wpsync never deletes), or fork into a new campaign file",
            (),
        )
    return (
        "steps_reordered",
        n,
        f"{problem.detail}; the API cannot reorder steps",
        f"restore the recorded order in {file}, or fork into a new campaign file",
        (),
    )


def _check_accounts(desired: Desired, facts: Facts) -> list[Refusal]:
    """A create the API would refuse with 409 (bad mailbox or LinkedIn account) is refused here first."""
    found: list[Refusal] = []

    def refuse(reason: str, way_out: str, step: int | None = None) -> None:
        found.append(Refusal(desired.key, desired.file, "account_invalid", step, reason, way_out))

    if facts.mailboxes is not None:
        for mailbox in desired.head["email_account_ids"]:
            if mailbox not in facts.mailboxes:
                refuse(
                    f"mailbox {mailbox} is not an SMTP mailbox of this Woodpecker account",
                    "use an id from GET /v2/mailboxes (type SMTP)",
                )
            elif facts.mailboxes[mailbox]:
                refuse(
                    f"mailbox {mailbox} has a connection problem: {facts.mailboxes[mailbox]}",
                    "reconnect the mailbox in Woodpecker, or remove it from email_account_ids",
                )
    if facts.linkedin is not None:
        for use in desired.linkedin:
            index, account, longest = use.index, use.account_id, use.longest_note
            if account not in facts.linkedin:
                refuse(
                    f"LinkedIn account {account} does not exist in this Woodpecker account",
                    "use an id from GET /v2/linkedin_accounts",
                    index + 1,
                )
                continue
            session, level = facts.linkedin[account]
            if session != "CONNECTED":
                refuse(
                    f"LinkedIn account {account} is {session}",
                    "reconnect it in Woodpecker, or use another account",
                    index + 1,
                )
            if use.action_type == "CONNECTION_REQUEST" and level == "CLASSIC" and longest > 200:
                refuse(
                    f"a connection note of {longest} characters; CLASSIC LinkedIn accounts allow "
                    f"{CONNECTION_NOTE_MAX_CLASSIC}",
                    "shorten the note, or use a SALES_NAVIGATOR account",
                    index + 1,
                )
    return found


def _possible_orphans(desired: Desired, facts: Facts) -> list[Note]:
    """A campaign of the same name that no record owns may be this one, created by a run whose state
    was lost: say so before a second copy is made."""
    ids = (facts.untracked or {}).get(str(desired.head["name"]), ())
    if not ids:
        return []
    listed = ", ".join(str(i) for i in ids)
    return [
        Note(
            desired.key,
            "warning",
            f"{desired.key}: Woodpecker already has an untracked campaign named {desired.head['name']!r} "
            f"({listed}); if it is this one, run `wpsync import {ids[0]} --key {desired.key} --force` "
            "instead of creating a second copy",
        )
    ]


def _drift_notes(records: Mapping[str, CampaignRecord], facts: Facts) -> list[Note]:
    notes: list[Note] = []
    for key in sorted(records):
        if key not in facts.campaigns:
            continue
        record, remote = records[key], facts.campaigns[key]
        if remote is None:
            notes.append(
                Note(key, "drift", f"{key}: campaign {record.campaign_id} was deleted in Woodpecker")
            )
            continue
        if remote.status != record.status:
            notes.append(
                Note(key, "drift", f"{key}: status changed in Woodpecker: {record.status} → {remote.status}")
            )
        recorded = tuple(s.hash for s in record.content_steps)
        if remote.step_hashes != recorded:
            extra = len(remote.step_hashes) - len(recorded)
            what = (
                f"{extra} step(s) added"
                if extra > 0 and remote.step_hashes[: len(recorded)] == recorded
                else ("steps edited or removed")
            )
            notes.append(Note(key, "drift", f"{key}: {what} in Woodpecker's app since wpsync recorded them"))
    return notes
