"""apply: make Woodpecker match the plan, one API call per action, the state recorded after each.

With ``calls`` beside it, this is the only code that both calls the API and writes state. Before a
campaign is made editable (and before an append to one that already is) it re-reads what the calls
depend on — status, the last step, its processed prospects — so a plan made minutes ago cannot stop a
campaign for an append that can no longer be made. An API error stops the run with the state true to
what happened: every call that succeeded is recorded, nothing else is.

A campaign that was sending when apply began is sending when it ends: its status to restore is
recorded durably before make_editable is sent, a failure restores it before apply stops, and a run
killed in between leaves it in the state for the next plan to restore first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import assert_never

from wpsync.apply import answers, calls
from wpsync.apply import record as records
from wpsync.apply.settle import DidNotHappen, Happened, recorded_locally, settle
from wpsync.errors import StalePlan, WpsyncError
from wpsync.plan.actions import (
    Action,
    AppendStep,
    CreateCampaign,
    DeleteCampaign,
    DeleteStep,
    MakeEditable,
    RestoreStatus,
    SetStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.plan.plan import Plan
from wpsync.state.backend import StateStore
from wpsync.state.journal import AppendIntent, CreateIntent, DeleteCampaignIntent, EditIntent, StatusIntent
from wpsync.state.records import CampaignRecord
from wpsync.woodpecker.client import WoodpeckerClient

Progress = Callable[[str, bool], None]


@dataclass
class ApplyReport:
    calls: int = 0
    created: int = 0
    appended: int = 0
    updated: int = 0
    deleted: int = 0
    restored: int = 0
    status: int = 0  # status calls the files asked for
    warnings: list[str] = field(default_factory=list)
    # Campaigns where Woodpecker answered an edit with something other than what was sent: recorded as
    # answered, and not marked as matching their file, so the next plan shows the difference again.
    diverged: set[str] = field(default_factory=set)


class ApplyStopped(WpsyncError):
    """An action failed; the state holds every call that succeeded before it."""


def apply_plan(plan: Plan, state: StateStore, client: WoodpeckerClient, *, progress: Progress) -> ApplyReport:
    plan.raise_if_refused()
    lineage = state.lineage(create=True)
    assert lineage is not None
    report = ApplyReport()
    if plan.account and state.account() is None:
        state.record_account(plan.account)  # the first apply that knows: later keys are checked against it
    with state.batch():
        for move in plan.moves:
            state.move(move.old_key, move.new_key)
        try:
            _run(plan, state, client, lineage, report, progress)
        finally:
            _restore_after_failure(plan, state, client, report, progress)
        _record_digests(plan, state, report.diverged)
    return report


def _run(
    plan: Plan,
    state: StateStore,
    client: WoodpeckerClient,
    lineage: str,
    report: ApplyReport,
    progress: Progress,
) -> None:
    total = len(plan.actions)
    checked: set[str] = set()  # campaigns whose facts were re-read before make_editable
    # A campaign made editable is set back only where the plan says so: --leave-editable plans no
    # restore_status, and the user asked for it to stay EDITED, so nothing records a status to restore.
    restoring = {a.key: a.status for a in plan.actions if isinstance(a, RestoreStatus)}
    appends = {a.key for a in plan.actions if isinstance(a, AppendStep)}
    # A campaign created and then run matches its file only once it runs: its record keeps no digest
    # until then, so a run killed in between is planned again rather than taken as done.
    launched = {a.key for a in plan.actions if isinstance(a, SetStatus)}
    # Campaign ids records own, read once (a create answer carrying one of them is not trusted).
    owned = (
        {r.campaign_id: r.key for r in state.read_all().values()}
        if any(isinstance(a, CreateCampaign) for a in plan.actions)
        else {}
    )
    for number, action in enumerate(plan.actions, start=1):
        progress(f"[{number}/{total}] {label(action)} …", False)
        try:
            note = _apply_one(
                action,
                state,
                client,
                lineage,
                report,
                "" if action.key in launched else plan.binding.digests.get(action.key, ""),
                checked,
                restoring,
                appends,
                owned,
            )
        except WpsyncError as exc:
            stopped = ApplyStopped(
                f"{label(action)} failed: {exc.message} — {number - 1} of {total} change(s) were applied and "
                "recorded; fix the cause and run apply again (it continues from here)"
            )
            if isinstance(exc, StalePlan):
                stopped.exit_code = exc.exit_code  # the plan no longer holds: 4, as a stale saved plan
            raise stopped from None
        report.calls += 1
        progress(f"[{number}/{total}] {label(action)}: {note}", True)


def label(action: Action) -> str:
    where = f"{action.key}" + (
        f" (campaign {action.campaign_id})"
        if not isinstance(action, CreateCampaign) and action.campaign_id  # 0: created in this plan
        else ""
    )
    match action:
        case CreateCampaign():
            return f"create campaign {action.key}"
        case AppendStep():
            return f"append step {action.position} to {where}"
        case MakeEditable():
            return f"make {where} editable"
        case UpdateCampaign():
            return f"update {where}: {', '.join(c.path for c in action.changes) or 'settings'}"
        case UpdateWindows():
            return f"update step {action.position}'s delivery windows in {where}"
        case UpdateVersion():
            return f"update step {action.position} version {'ABCDE'[action.version]} in {where}"
        case DeleteStep():
            return f"delete step {action.position} of {where}"
        case RestoreStatus():
            return f"{calls.status_call(action.status)} {where} (back to {action.status})"
        case SetStatus():
            return f"{calls.status_call(action.status)} {where} (→ {action.status})"
        case DeleteCampaign():
            return f"delete campaign {where}"
        case _:
            assert_never(action)


def _apply_one(
    action: Action,
    state: StateStore,
    client: WoodpeckerClient,
    lineage: str,
    report: ApplyReport,
    digest: str,
    checked: set[str],
    restoring: dict[str, str],
    appends: set[str],
    owned: dict[int, str],
) -> str:
    match action:
        case CreateCampaign():
            record = calls.create(action, state, client, lineage, digest, owned)
            report.created += 1  # its answer holds what was sent, every step (calls.create checks)
            return f"created campaign {record.campaign_id}"
        case MakeEditable():
            from wpsync.woodpecker.refresh import read_remote

            record = calls.recorded(state, action.key)
            # Checked before the campaign stops sending, not after: a failure here changes nothing.
            appending = action.key in appends
            remote = read_remote(client, record.campaign_id)
            calls.check_still_appendable(record, remote, status_too=False, appending=appending)
            if remote is not None and remote.status != action.from_status:
                # Paused (or stopped) since the plan: make_editable → run would un-pause it.
                raise StalePlan(
                    f"campaign {record.campaign_id} is {remote.status} now, the plan found it "
                    f"{action.from_status}; plan again"
                )
            if appending:
                checked.add(action.key)
            # The status the plan sets it to afterwards (the file's, or the one it had); none with
            # --leave-editable: EDITED is where the user wants it.
            restore = restoring.get(action.key, "")
            calls.set_status(action.key, "make_editable", "EDITED", state, client, restore=restore or None)
            return "now EDITED (sending paused)"
        case AppendStep():
            record = calls.append(action, state, client, checked=action.key in checked)
            report.appended += 1  # its answer holds the step as sent (calls.append checks)
            return f"step {record.steps[-1].id} added"
        case UpdateCampaign() | UpdateWindows() | UpdateVersion() | DeleteStep():
            record = calls.edit(action, state, client)
            if not isinstance(action, DeleteStep) and answers.diverged(action, record):
                report.diverged.add(action.key)
                report.warnings.append(
                    f"{action.key}: Woodpecker answered {label(action)} with the campaign not as sent;"
                    " recorded what it holds, so the next plan shows the difference"
                )
            if isinstance(action, DeleteStep):
                report.deleted += 1
                return "deleted"
            report.updated += 1
            return "updated"
        case RestoreStatus():
            calls.set_status(action.key, calls.status_call(action.status), action.status, state, client)
            report.restored += 1
            return f"now {action.status}"
        case SetStatus():
            calls.set_status(action.key, calls.status_call(action.status), action.status, state, client)
            report.status += 1
            return f"now {action.status}"
        case DeleteCampaign():
            calls.delete_campaign(action, state, client)
            report.deleted += 1
            return "deleted"
        case _:
            assert_never(action)


def _restore_after_failure(
    plan: Plan, state: StateStore, client: WoodpeckerClient, report: ApplyReport, progress: Progress
) -> None:
    """After a failed action: every campaign this plan made editable, or was to set back (one an
    earlier, interrupted apply left EDITED), goes back to its status."""
    wrapped = (MakeEditable, RestoreStatus)
    for key in dict.fromkeys(a.key for a in plan.actions if isinstance(a, wrapped)):
        record = state.read(key)
        if record is None or not record.restore_status or record.status != "EDITED":
            continue
        try:
            calls.set_status(
                key, calls.status_call(record.restore_status), record.restore_status, state, client
            )
        except WpsyncError as exc:
            report.warnings.append(
                f"{key}: campaign {record.campaign_id} is still EDITED (it sends nothing): restoring "
                f"{record.restore_status} failed ({exc.message}); the next plan restores it first"
            )
            continue
        report.restored += 1
        progress(f"{key}: campaign {record.campaign_id} is {record.restore_status} again", True)


def settle_interrupted(state: StateStore, client: WoodpeckerClient, notice: Callable[[str], None]) -> int:
    """Settle the intents an earlier run left behind, record what happened, before anything is planned."""
    lineage = state.lineage(create=True)
    assert lineage is not None
    state.recover_journal()  # a killed run's journal: one intent file per call, as settling expects
    intents, local = state.intents(), 0
    for key, intent in intents.items():
        record = state.read(key)
        if recorded_locally(intent, record):
            local += 1  # its outcome reached the state before the run stopped: nothing to ask
            state.clear_intent(key)
            continue
        owned = {r.campaign_id for r in state.read_all().values()}
        outcome = settle(intent, client, owned)
        match outcome:
            case Happened():
                _adopt(state, key, intent, outcome, record, lineage)
                notice(
                    f"settled an interrupted {intent.action} of {key}: it did happen in Woodpecker, and is now recorded"
                )
            case DidNotHappen():
                _drop_unused_restore(state, intent, record)
                notice(
                    f"settled an interrupted {intent.action} of {key}: it did not happen; it is planned again"
                )
            case _:
                assert_never(outcome)
        state.clear_intent(key)
    if local:
        notice(f"settled an interrupted apply: {local} call(s) whose outcome the state already holds")
    return len(intents)


def _drop_unused_restore(state: StateStore, intent: object, record: CampaignRecord | None) -> None:
    """A make_editable that did not happen leaves the campaign sending: the status recorded to restore
    is forgotten, or a later plan would "restore" a campaign made EDITED in Woodpecker's app."""
    if (
        isinstance(intent, StatusIntent)
        and intent.call == "make_editable"
        and record is not None
        and record.restore_status
        and record.status != "EDITED"
    ):
        state.write(records.with_status(record, record.status, restore=""))


def _adopt(
    state: StateStore, key: str, intent: object, outcome: Happened, record: object, lineage: str
) -> None:
    payload = outcome.payload
    match intent:
        case CreateIntent():
            assert payload is not None
            new, applied = records.created(
                key, lineage, payload, intent.head, intent.head_hash, intent.digest
            )
            state.write(new, applied)
        case EditIntent() if intent.what == "campaign" and intent.head:
            assert payload is not None
            current = calls.recorded(state, key)
            new, applied = records.changed(
                current, state.read_applied(key), payload, head=intent.head, head_hash=intent.target_hash
            )
            state.write(new, applied)
        case AppendIntent() | EditIntent():
            assert payload is not None
            current = calls.recorded(state, key)
            new, applied = records.changed(current, state.read_applied(key), payload)
            state.write(new, applied)
        case StatusIntent():
            current = calls.recorded(state, key)
            back = current.restore_status and intent.target_status == current.restore_status
            state.write(records.with_status(current, intent.target_status, restore="" if back else None))
        case DeleteCampaignIntent():
            state.forget(key)


def _record_digests(plan: Plan, state: StateStore, diverged: set[str]) -> None:
    """Every campaign the plan covered now matches its file: remember the file's digest, so the next
    plan knows it unchanged without parsing it. Not one whose edit Woodpecker answered otherwise."""
    from wpsync import __version__

    for key, digest in plan.binding.digests.items():
        if key in diverged:
            continue
        record = state.read(key)
        if record is not None and (record.source_digest != digest or record.tool_version != __version__):
            if record.restore_status or record.status == "EDITED":
                # Not back to its status yet, or left EDITED (sending nothing): never known unchanged,
                # so every plan looks at it again and says so.
                continue
            state.write(records.matched_file(record, digest))
