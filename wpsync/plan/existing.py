"""Plan one campaign wpsync already recorded: its refusals, what can change in place, and the calls.

Three parts, each a function of values: ``_step_changes`` classifies the steps (edits, trailing
deletes, appends, or a refusal), ``_appendable`` and ``_deletable`` judge the processed prospects,
and ``plan_existing`` wraps the calls in make_editable → … → restore when the campaign is sending.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, cast

from wpsync.limits import MAX_WINDOWS_PER_DAY_APPENDED
from wpsync.plan.actions import (
    Action,
    AppendStep,
    DeleteStep,
    FieldChange,
    RestoreStatus,
    UpdateCampaign,
    UpdateVersion,
)
from wpsync.plan.desired import Desired, email_step
from wpsync.plan.diff import compare_steps, field_changes
from wpsync.plan.drift import adopt_way_out, baseline
from wpsync.plan.edits import Where, edit_step
from wpsync.plan.explain import explain
from wpsync.plan.facts import RemoteCampaign
from wpsync.plan.live import planned_changes, wrap
from wpsync.plan.plan import Note, Refusal, RefusalCode
from wpsync.state.records import Applied, CampaignRecord

JSON = dict[str, Any]


@dataclass(frozen=True)
class Options:
    make_editable: bool = False  # this campaign's live-edit policy, flags and wpsync.toml resolved
    leave_editable: bool = False
    mailboxes: Mapping[int, str | None] | None = None  # read when a campaign was found STOPPED


@dataclass
class CampaignPlan:
    actions: list[Action] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)


def plan_existing(
    desired: Desired,
    record: CampaignRecord,
    applied: Applied | None,
    remote: RemoteCampaign | None,
    options: Options,
) -> CampaignPlan:
    """``remote`` is what a refresh read now (None: not read — planned from the record)."""
    out = CampaignPlan()
    where = Where(desired.key, desired.file, record.campaign_id)

    def refuse(code: RefusalCode, step: int | None, reason: str, way_out: str) -> None:
        out.refusals.append(Refusal(desired.key, desired.file, code, step, reason, way_out))

    base = baseline(desired, record, applied, remote)
    out.notes.extend(base.notes)
    if base.refusal is not None:
        out.refusals.append(base.refusal)
        return _refused(desired, record, remote, out)
    record, applied = base.record, base.applied
    processed = remote.processed if remote and remote.processed else _recorded_processed(record)
    edits: list[Action] = []
    if desired.head_hash != record.head_hash or base.head_drifted:
        edits.extend(_update_head(where, desired, applied, refuse))
    changes = _step_changes(where, desired, record, applied, processed, out)
    edits.extend(changes)
    # A change no call can make, made in Woodpecker's app: the way out is to take it into the file.
    out.refusals = [
        replace(r, way_out=adopt_way_out(desired)) if r.step and r.step - 1 in base.drifted else r
        for r in out.refusals
    ]
    if out.refusals:
        # Nothing of a refused campaign is applied; the reviewer still sees what else it holds.
        held = planned_changes(edits)
        if held:
            out.notes.append(Note(desired.key, "warning", _held_back(desired.key, held)))
        return _refused(desired, record, remote, out)
    wrapped = wrap(
        desired,
        record,
        remote,
        edits,
        make_editable=options.make_editable,
        leave_editable=options.leave_editable,
        mailboxes=options.mailboxes,
    )
    out.actions.extend(wrapped.actions)
    out.refusals.extend(wrapped.refusals)
    out.notes.extend(wrapped.notes)
    if out.refusals:
        return CampaignPlan(refusals=out.refusals, notes=out.notes)
    return out


def _refused(
    desired: Desired, record: CampaignRecord, remote: RemoteCampaign | None, out: CampaignPlan
) -> CampaignPlan:
    """A refused campaign's plan: nothing of it is applied but a pending status restore (the
    journal's promise, kept whatever is refused). What the status calls would be still says what the
    reviewer must know (a status to restore, a campaign left EDITED)."""
    status = wrap(desired, record, remote, [], make_editable=False, leave_editable=False)
    restores: list[Action] = [a for a in status.actions if isinstance(a, RestoreStatus)]
    return CampaignPlan(actions=restores, refusals=out.refusals, notes=out.notes + status.notes)


def _held_back(key: str, held: tuple[FieldChange, ...]) -> str:
    def short(value: Any) -> str:
        text = json.dumps(value, ensure_ascii=False)
        return text if len(text) <= 40 else text[:39] + "…"

    listed = "; ".join(f"{c.path}: {short(c.old)} → {short(c.new)}" for c in held)
    return f"{key}: also planned, and held back with the refusal: {listed}"


def where_of(where: Where) -> tuple[str, str, int]:
    return where.key, where.file, where.campaign_id


def _recorded_processed(record: CampaignRecord) -> tuple[int | None, ...]:
    count = len(record.content_steps)
    return (*(None,) * (count - 1), record.last_step_processed) if count else ()


def _update_head(where: Where, desired: Desired, applied: Applied | None, refuse: Any) -> list[Action]:
    if applied is None:
        refuse(
            "remote_drift",
            None,
            "the content last applied is not in the state, so the change cannot be told",
            f"`wpsync forget {desired.key}`, then `wpsync import {where.campaign_id} --key {desired.key} --force`",
        )
        return []
    old, new = applied.head, desired.head
    patch: JSON = {k: new[k] for k in ("name", "email_account_ids") if old.get(k) != new.get(k)}
    settings = {k: v for k, v in new["settings"].items() if old.get("settings", {}).get(k) != v}
    if settings:
        patch["settings"] = settings
    changes = field_changes(old, new, "")
    return [UpdateCampaign(*where_of(where), patch, new, desired.head_hash, changes, old_head=old)]


def _step_changes(
    where: Where,
    desired: Desired,
    record: CampaignRecord,
    applied: Applied | None,
    processed: tuple[int | None, ...],
    out: CampaignPlan,
) -> list[Action]:
    old_hashes = [s.hash for s in record.content_steps]
    old_types = tuple(s.type for s in record.content_steps)
    comparison = compare_steps(old_hashes, desired.step_hashes, old_types, desired.step_types)
    m, n = len(old_hashes), len(desired.step_hashes)
    edited = [p.index for p in comparison.problems if p.kind in ("step_edited", "step_type_changed")]
    trailing = [p.index for p in comparison.problems if p.kind == "step_removed" and p.index >= n]
    other = [p for p in comparison.problems if p.index not in edited and p.index not in trailing]
    for problem in other:
        out.refusals.append(explain(problem, desired))
    if other:
        return []
    actions: list[Action] = []
    if edited and (applied is None or len(applied.steps) != m):
        out.refusals.append(
            Refusal(
                desired.key,
                desired.file,
                "remote_drift",
                None,
                "the content last applied is not in the state, so the edit cannot be told",
                f"`wpsync forget {desired.key}`, then `wpsync import {where.campaign_id} --key {desired.key} --force`",
            )
        )
        return []
    for index in edited:
        assert applied is not None
        result = edit_step(
            where,
            index,
            applied.steps[index],
            desired.steps[index],
            schedule=_schedule(desired, index),
            processed=processed[index] if index < len(processed) else None,
        )
        out.refusals.extend(result.refusals)
        actions.extend(result.actions)
        for action in result.actions:
            if isinstance(action, UpdateVersion) and action.processed != 0:
                who = (
                    f"{action.processed} prospect(s) already received"
                    if action.processed
                    else "prospects may already have received"
                )
                out.notes.append(
                    Note(
                        desired.key,
                        "warning",
                        f"{desired.key}: step {index + 1}: {who} the old copy; the new copy goes to the rest",
                    )
                )
    for index in sorted(trailing, reverse=True):
        content = applied.steps[index] if applied and index < len(applied.steps) else {}
        actions.extend(_deletable(where, desired, record, index, processed, out, content))
    if n > m:
        actions.extend(_appendable(where, desired, m, processed, out))
    return actions


def _schedule(desired: Desired, index: int) -> str:
    if desired.campaign is None:
        return ""
    delivery = getattr(desired.campaign.steps[index], "delivery_time", None)
    return delivery if isinstance(delivery, str) else ""


def _deletable(
    where: Where,
    desired: Desired,
    record: CampaignRecord,
    index: int,
    processed: tuple[int | None, ...],
    out: CampaignPlan,
    content: JSON,
) -> list[Action]:
    n = index + 1
    types = [s.type for s in record.content_steps]
    count = processed[index] if index < len(processed) else None
    reason, code = "", ""
    if types[index] != "EMAIL":
        code, reason = "step_removed", f"step {n} is a LINKEDIN step; Woodpecker deletes EMAIL steps only"
    elif "EMAIL" not in types[:index]:
        code, reason = (
            "first_email_removed",
            f"step {n} is the first EMAIL step; Woodpecker does not delete it",
        )
    elif count:
        code, reason = (
            "step_processed",
            f"step {n} has processed {count} prospect(s); Woodpecker deletes only steps that processed nobody",
        )
    if code:
        out.refusals.append(
            Refusal(
                where.key,
                where.file,
                cast(RefusalCode, code),
                n,
                reason,
                f"restore step {n} in {desired.file}, or fork into a new campaign file",
            )
        )
        return []
    if count is None:
        out.notes.append(
            Note(
                where.key,
                "unknown",
                f"{where.key}: whether step {n} processed prospects is unknown "
                "(Woodpecker's stats do not say); the delete call decides, and changes nothing if it refuses",
            )
        )
    return [DeleteStep(where.key, where.file, where.campaign_id, n, content=content)]


def _appendable(
    where: Where, desired: Desired, first_new: int, processed: tuple[int | None, ...], out: CampaignPlan
) -> list[Action]:
    def refuse(code: RefusalCode, n: int, reason: str, way_out: str) -> None:
        out.refusals.append(Refusal(where.key, where.file, code, n, reason, way_out))

    for index in range(first_new, len(desired.steps)):
        # A LINKEDIN step is appended like an EMAIL one (the newer add-step page has a LinkedIn tab);
        # it has no delivery windows to limit. If the account refuses it, apply says so (calls.append).
        if (
            email_step(desired, index) is not None
            and (windows := _windows(desired, index)) > MAX_WINDOWS_PER_DAY_APPENDED
        ):
            refuse(
                "too_many_windows",
                index + 1,
                f"an appended step allows at most {MAX_WINDOWS_PER_DAY_APPENDED} delivery windows a day (it has {windows})",
                f"merge or drop windows so that no day has more than {MAX_WINDOWS_PER_DAY_APPENDED}",
            )
    last = processed[first_new - 1] if 0 < first_new <= len(processed) else 0
    if last:
        refuse(
            "parent_processed",
            first_new + 1,
            f"step {first_new} (the current last step) has already processed {last} prospect"
            f"{'s' if last != 1 else ''}; Woodpecker links a new step only after a step that processed nobody",
            "fork into a new campaign file for the new sequence; existing prospects keep the old one",
        )
    if out.refusals:
        return []
    if last is None and first_new > 0:
        out.notes.append(
            Note(
                where.key,
                "unknown",
                f"{where.key}: whether step {first_new} processed prospects is unknown "
                "(Woodpecker's stats do not say); the add-step call decides, and changes nothing if it refuses",
            )
        )
    from wpsync.files.to_api import add_step_body

    actions: list[Action] = []
    for index in range(first_new, len(desired.steps)):
        assert desired.campaign is not None
        step = desired.campaign.steps[index]
        body = add_step_body(step, desired.campaign.schedules, parent_id="")["step"]
        actions.append(
            AppendStep(
                where.key,
                where.file,
                where.campaign_id,
                position=index + 1,
                parent_position=index,
                step=body,
                step_hash=desired.step_hashes[index],
            )
        )
    return actions


def _windows(desired: Desired, index: int) -> int:
    delivery = desired.steps[index].get("delivery_time", {})
    return max((len(windows) for windows in delivery.values()), default=0)
