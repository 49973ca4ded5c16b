"""Live campaigns: the status a file asks for, and the calls around an edit of a sending campaign.

Pure, like the rest of the planner. ``decide`` turns the file's ``status`` and what Woodpecker holds
into at most one run/pause/stop; ``wrap`` puts a campaign's edits in the order apply makes them —
straight away in DRAFT/EDITED, or make_editable → edits → back to the file's status (or the one it
had) when the live-edit policy allows it, or a refusal that still lists every change it holds back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from wpsync.limits import CAN_MAKE_EDITABLE, EDITABLE
from wpsync.plan.actions import (
    STATUS_CALL,
    Action,
    AppendStep,
    DeleteStep,
    FieldChange,
    MakeEditable,
    RestoreStatus,
    SetStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.plan.desired import Desired
from wpsync.plan.facts import RemoteCampaign
from wpsync.plan.plan import Note, Refusal
from wpsync.state.records import CampaignRecord

POLICY_HINT = (
    "`[apply] make_editable = true` in wpsync.toml, `make_editable = true` in the file, or --make-editable"
)


@dataclass(frozen=True)
class StatusDecision:
    target: str = ""  # the status to call for ("" : no call)
    hold: str = ""  # a status Woodpecker set that wpsync must not undo silently (STOPPED by itself)
    note: str = ""  # why nothing is done, for the reviewer


def decide(
    desired: Desired,
    now: str,
    recorded: str,
    mailboxes: Mapping[int, str | None] | None = None,
) -> StatusDecision:
    """The one status call (if any) that takes campaign ``desired`` from ``now`` to its file's status.
    ``recorded`` is the status wpsync last saw: a campaign STOPPED since then was stopped by
    Woodpecker (a mailbox disconnected) or by a person, and is not restarted without a reviewed change."""
    want, key, file = desired.status, desired.key, desired.file
    if want is None or want == now or (want == "RUNNING" and now == "COMPLETED"):
        return StatusDecision()  # COMPLETED is Woodpecker's RUNNING with an empty queue
    if want == "DRAFT":
        return StatusDecision(
            note=f'{key}: {file} says status = "DRAFT", but the campaign was launched (it is {now}); '
            f'a campaign never goes back to DRAFT: write status = "{_writable(now)}", or remove status'
        )
    if now == "DRAFT" and want in ("PAUSED", "STOPPED"):
        return StatusDecision(
            note=f'{key}: {file} says status = "{want}", but the campaign was never launched (DRAFT); '
            'nothing is called: write status = "RUNNING" to launch it, or "DRAFT"'
        )
    if now == "STOPPED" and want == "RUNNING" and recorded != "STOPPED":
        problems = [
            f"mailbox {box} reports {problem!r}"
            for box, problem in sorted((mailboxes or {}).items())
            if problem and box in desired.head.get("email_account_ids", [])
        ]
        why = (
            "; ".join(problems)
            if problems
            else "Woodpecker stops a campaign itself when a mailbox disconnects"
        )
        return StatusDecision(
            hold="STOPPED",
            note=f"{key}: campaign is STOPPED in Woodpecker, not by wpsync ({why}); it is not restarted "
            f"silently. Fix the cause, then run it in Woodpecker's app, or `wpsync adopt {key}` (the file "
            'then says status = "STOPPED") and set status = "RUNNING" again in a reviewed change',
        )
    return StatusDecision(target=want)


def _writable(status: str) -> str:
    return status if status in STATUS_CALL else "RUNNING"


@dataclass
class Wrapped:
    actions: list[Action]
    refusals: list[Refusal]
    notes: list[Note]


def wrap(
    desired: Desired,
    record: CampaignRecord,
    remote: RemoteCampaign | None,
    edits: Sequence[Action],
    *,
    make_editable: bool,
    leave_editable: bool,
    mailboxes: Mapping[int, str | None] | None = None,
) -> Wrapped:
    """The campaign's actions in call order, or the refusal to make them while it sends."""
    out = Wrapped([], [], [])
    key, file, cid = desired.key, desired.file, record.campaign_id
    status = remote.status if remote else record.status
    restore = record.restore_status if status == "EDITED" else ""
    decision = decide(desired, status, record.status, mailboxes)
    if decision.note:
        out.notes.append(Note(key, "status", decision.note))
    if restore:
        if desired.status in STATUS_CALL:
            restore = str(desired.status)  # back to what the file asks for: one call, not two
        out.notes.append(
            Note(
                key,
                "restore",
                f"{key}: an earlier apply left campaign {cid} EDITED (it sends nothing); it is set back to {restore}",
            )
        )
    if not edits or status in EDITABLE:
        out.actions.extend(edits)
        if restore:
            out.actions.append(RestoreStatus(key, file, cid, restore))
        elif decision.target:
            out.actions.append(SetStatus(key, file, cid, decision.target, status))
        elif status == "EDITED":
            out.notes.append(_edited_warning(desired, cid))
        return out
    people = remote.prospects if remote else None
    count = f"{people} prospect{'s' if people != 1 else ''}" if people is not None else "its prospects"
    if not (make_editable and status in CAN_MAKE_EDITABLE):
        out.refusals.append(
            Refusal(
                key,
                file,
                "status_not_editable",
                None,
                f"campaign {cid} is {status}; Woodpecker changes a campaign only in DRAFT or EDITED "
                f"(it has {count}). Held back until then, the {len(edits)} call(s) planned for it:",
                f"allow live edits with {POLICY_HINT} (sending pauses for those calls, then the status "
                "is restored)"
                if status in CAN_MAKE_EDITABLE
                else "wait until the campaign can be edited in Woodpecker",
                planned_changes(edits),
            )
        )
        return out
    if status not in STATUS_CALL and desired.status is None and not leave_editable:
        # COMPLETED: no call sets it again, and `run` would send new steps to everyone who finished.
        out.refusals.append(
            Refusal(
                key,
                file,
                "status_not_editable",
                None,
                f"campaign {cid} is {status}; made EDITED for the edits, it could not be set back to "
                f"{status} (Woodpecker has no call for that), only to RUNNING",
                "plan again with --make-editable --leave-editable: it stays EDITED (it sends nothing) "
                'until you run it, or write status = "RUNNING" in the file to have it run again',
                planned_changes(edits),
            )
        )
        return out
    back = decision.target or decision.hold or (status if status in STATUS_CALL else "RUNNING")
    out.actions.append(MakeEditable(key, file, cid, status, people))
    out.actions.extend(edits)
    if not leave_editable:
        out.actions.append(RestoreStatus(key, file, cid, back))
    after = (
        "left EDITED (--leave-editable): it sends nothing until run"
        if leave_editable
        else f"then set {'back ' if back == status else ''}to {back}"
    )
    out.notes.append(
        Note(
            key,
            "editable_pause",
            f"{key}: campaign {cid} is {status} with {count}; it is made EDITED for the {len(edits)} "
            f"call(s) of its edits (one request at a time: usually seconds), which pauses sending for "
            f"the duration, {after}",
        )
    )
    return out


def _edited_warning(desired: Desired, cid: int) -> Note:
    return Note(
        desired.key,
        "edited",
        f"{desired.key}: campaign {cid} is EDITED in Woodpecker: it sends nothing until it is run. "
        f'To resume, set status = "RUNNING" in {desired.file} and apply (or run it in Woodpecker\'s app)',
    )


def planned_changes(actions: Sequence[Action]) -> tuple[FieldChange, ...]:
    """Every change ``actions`` would make, as field changes: what a refusal holds back."""
    found: list[FieldChange] = []
    for action in actions:
        match action:
            case UpdateCampaign() | UpdateVersion() | UpdateWindows():
                found.extend(action.changes)
            case AppendStep():
                found.append(FieldChange(f"steps[{action.position - 1}]", None, "appended EMAIL step"))
            case DeleteStep():
                found.append(FieldChange(f"steps[{action.position - 1}]", "EMAIL step", None))
            case _:
                pass
    return tuple(found)
