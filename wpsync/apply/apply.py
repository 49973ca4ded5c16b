"""apply: make Woodpecker match the plan, one API call per action, the state recorded after each.

This is the only code that both calls the API and writes state. Before an append it re-reads what the
call depends on (status, the last step, its processed prospects), so a plan made minutes ago cannot
append after a step that has since started sending. An API error stops the run with the state true to
what happened: every call that succeeded is recorded, nothing else is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, assert_never

from wpsync import __version__, failpoints
from wpsync.apply.settle import (
    create_fingerprint,
    find_appended,
    find_created,
    has_status,
    owned_ids,
    settle_all,
)
from wpsync.errors import ChangesRefused, WpsyncError
from wpsync.limits import EDITABLE
from wpsync.plan.facts import RemoteCampaign
from wpsync.plan.plan import Action, AppendStep, CreateCampaign, MakeEditable, Plan, RunCampaign
from wpsync.state.store import Applied, CampaignRecord, StateDir, utc_now
from wpsync.woodpecker.client import WoodpeckerClient, maybe_committed
from wpsync.woodpecker.refresh import read_remote
from wpsync.woodpecker.remote import read_steps

JSON = dict[str, Any]
RESEND_ATTEMPTS = 3  # settle-then-resend rounds for one call whose answer was lost


@dataclass
class ApplyReport:
    calls: int = 0
    created: int = 0
    appended: int = 0
    warnings: list[str] | None = None


class ApplyStopped(WpsyncError):
    """An action failed; the state holds every call that succeeded before it."""


def apply_plan(
    plan: Plan,
    state: StateDir,
    client: WoodpeckerClient,
    *,
    progress: Callable[[str, bool], None],
) -> ApplyReport:
    if plan.refusals:
        raise ChangesRefused(
            f"the plan refuses {len(plan.refusals)} change(s); resolve them and plan again — nothing was applied"
        )
    lineage = state.lineage(create=True)
    assert lineage is not None
    report = ApplyReport(warnings=[])
    with state.batch():
        _run(plan, state, client, lineage, report, progress)
        _record_digests(plan, state)
    return report


def _run(
    plan: Plan,
    state: StateDir,
    client: WoodpeckerClient,
    lineage: str,
    report: ApplyReport,
    progress: Callable[[str, bool], None],
) -> None:
    total = len(plan.actions)
    for number, action in enumerate(plan.actions, start=1):
        progress(f"[{number}/{total}] {_label(action)} …", False)
        try:
            digest = plan.binding.digests.get(action.key, "")
            note = _apply_one(action, state, client, lineage, report, digest)
        except WpsyncError as exc:
            done = number - 1
            raise ApplyStopped(
                f"{_label(action)} failed: {exc.message} — {done} of {total} change(s) were applied and "
                "recorded; fix the cause and run apply again (it continues from here)"
            ) from None
        report.calls += 1
        progress(f"[{number}/{total}] {_label(action)}: {note}", True)


def _label(action: Action) -> str:
    match action:
        case CreateCampaign():
            return f"create campaign {action.key}"
        case AppendStep():
            return f"append step {action.position} to {action.key} (campaign {action.campaign_id})"
        case MakeEditable():
            return f"make {action.key} (campaign {action.campaign_id}) editable"
        case RunCampaign():
            return f"run {action.key} (campaign {action.campaign_id})"
        case _:
            assert_never(action)


def _apply_one(
    action: Action, state: StateDir, client: WoodpeckerClient, lineage: str, report: ApplyReport, digest: str
) -> str:
    match action:
        case CreateCampaign():
            return _create(action, state, client, lineage, report, digest)
        case AppendStep():
            return _append(action, state, client, report)
        case MakeEditable():
            return _set_status(action.key, action.campaign_id, "EDITED", client.make_editable, state, client)
        case RunCampaign():
            return _set_status(action.key, action.campaign_id, "RUNNING", client.run, state, client)
        case _:
            assert_never(action)


def _mutate(
    state: StateDir, key: str, intent: JSON, call: Callable[[], Any], settle: Callable[[], Any]
) -> Any:
    """Make one mutating call with its intent durably recorded first.

    An answer lost after the request may have reached Woodpecker (timeout, dropped connection, 5xx)
    is settled by looking before anything is sent again; a POST is never blindly resent. The intent is
    left in place only when even looking fails, so the next run settles it first.
    """
    state.write_intent(key, intent)
    failpoints.hit("apply.before_call")
    for attempt in range(1, RESEND_ATTEMPTS + 1):
        try:
            result = call()
        except WpsyncError as exc:
            if not maybe_committed(exc):
                state.clear_intent(key)  # provably not applied
                raise
            found = settle()  # if this raises too, the intent stays for the next run to settle
            if found is not None:
                return found
            if attempt == RESEND_ATTEMPTS:
                state.clear_intent(key)
                raise
            continue  # looked, and it did not happen: sending again cannot duplicate it
        failpoints.hit("apply.after_response")
        return result
    raise AssertionError("unreachable")


def _done(state: StateDir, key: str) -> None:
    failpoints.hit("apply.after_record")
    state.clear_intent(key)


def _recorded(state: StateDir, key: str) -> CampaignRecord:
    record = state.read(key)
    if record is None:
        raise WpsyncError(f"{key} is not in the state any more; plan again")
    return record


def _create(
    action: CreateCampaign,
    state: StateDir,
    client: WoodpeckerClient,
    lineage: str,
    report: ApplyReport,
    digest: str,
) -> str:
    if state.read(action.key) is not None:
        raise WpsyncError(f"{action.key} is already recorded; plan again")
    intent: JSON = {
        "action": "create_campaign",
        "key": action.key,
        "name": action.body.get("name", "My campaign #0"),
        "fingerprint": create_fingerprint(action.body, action.step_hashes),
        "head": action.head,
        "head_hash": action.head_hash,
        "digest": digest,
    }
    payload = _mutate(
        state,
        action.key,
        intent,
        lambda: client.create_campaign(action.body),
        lambda: find_created(client, intent, owned_ids(state)),
    )
    record = record_created(state, intent, payload, lineage)
    _done(state, action.key)
    if tuple(s.hash for s in record.content_steps) != action.step_hashes:
        _warn(
            report,
            f"{action.key}: Woodpecker holds the steps differently than sent; the next plan will show it",
        )
    report.created += 1
    return f"created campaign {record.campaign_id}"


def record_created(state: StateDir, intent: JSON, payload: JSON, lineage: str) -> CampaignRecord:
    steps = read_steps(payload)
    record = CampaignRecord(
        key=intent["key"],
        lineage=lineage,
        serial=1,
        campaign_id=int(payload["id"]),
        status=str(payload.get("status", "DRAFT")),
        head_hash=intent["head_hash"],
        steps=steps.records,
        source_digest=intent["digest"],  # a create makes the whole campaign: it matches its file at once
        tool_version=__version__,
        last_step_processed=0,  # just created: nobody yet
        refreshed_at=utc_now(),
    )
    state.write(record, Applied(head=intent["head"], steps=steps.contents))
    return record


def _append(action: AppendStep, state: StateDir, client: WoodpeckerClient, report: ApplyReport) -> str:
    record = _recorded(state, action.key)
    if len(record.content_steps) != action.parent_position:
        raise WpsyncError(
            f"{action.key} has {len(record.content_steps)} recorded steps, the plan expected "
            f"{action.parent_position}; plan again"
        )
    _check_still_appendable(record, read_remote(client, record.campaign_id))
    intent: JSON = {
        "action": "append_step",
        "key": action.key,
        "campaign_id": record.campaign_id,
        "parent_id": record.last_step_id,
        "step_hash": action.step_hash,
    }
    body = {"parent_id": record.last_step_id, "step": action.step}

    def settle() -> JSON | None:
        hit = find_appended(client, record.campaign_id, intent)
        return hit[0] if hit else None

    payload = _mutate(state, action.key, intent, lambda: client.add_step(record.campaign_id, body), settle)
    updated = record_appended(state, record, payload)
    _done(state, action.key)
    if updated.steps[: len(record.steps)] != record.steps or len(updated.steps) != len(record.steps) + 1:
        _warn(report, f"{action.key}: Woodpecker's answer does not extend the recorded steps by one")
    if updated.steps[-1].hash != action.step_hash:
        _warn(report, f"{action.key}: Woodpecker holds step {action.position} differently than sent")
    report.appended += 1
    return f"step {updated.steps[-1].id} added"


def _check_still_appendable(record: CampaignRecord, remote: RemoteCampaign | None) -> None:
    """The facts the add-step call depends on, read right before it: a plan can be minutes old."""
    if remote is None:
        raise WpsyncError(f"campaign {record.campaign_id} no longer exists in Woodpecker")
    if remote.step_ids[-1] != record.last_step_id or remote.step_hashes != tuple(
        s.hash for s in record.content_steps
    ):
        raise WpsyncError(f"campaign {record.campaign_id} changed in Woodpecker since the plan; plan again")
    if remote.status not in EDITABLE:
        raise WpsyncError(
            f"campaign {record.campaign_id} is {remote.status}; steps can be added only in DRAFT or EDITED "
            "(plan again with --make-editable)"
        )
    if remote.last_step_processed > 0:
        raise WpsyncError(
            f"the last step of campaign {record.campaign_id} has processed {remote.last_step_processed} "
            "prospect(s) since the plan; a step cannot be linked after it"
        )


def record_appended(state: StateDir, record: CampaignRecord, payload: JSON) -> CampaignRecord:
    steps = read_steps(payload)
    applied = state.read_applied(record.key)
    head = applied.head if applied else {}
    known = applied.steps if applied else ()
    updated = record.bumped(
        steps=steps.records,
        status=str(payload.get("status", record.status)),
        source_digest="",
        last_step_processed=0,  # the new last step has processed nobody
        refreshed_at=utc_now(),
    )
    state.write(updated, Applied(head=head, steps=known + steps.contents[len(known) :]))
    return updated


def _set_status(
    key: str,
    campaign_id: int,
    status: str,
    call: Callable[[int], None],
    state: StateDir,
    client: WoodpeckerClient,
) -> str:
    record = _recorded(state, key)
    action = "make_editable" if status == "EDITED" else "run_campaign"
    intent: JSON = {"action": action, "key": key, "campaign_id": campaign_id, "target_status": status}

    def send() -> bool:
        call(campaign_id)  # 200 with no body
        return True

    _mutate(state, key, intent, send, lambda: True if has_status(client, campaign_id, status) else None)
    state.write(record.bumped(status=status, refreshed_at=utc_now()))
    _done(state, key)
    return f"now {status}"


def settle_interrupted(state: StateDir, client: WoodpeckerClient, notice: Callable[[str], None]) -> int:
    """Settle intents an earlier run left behind, before anything is planned."""
    lineage = state.lineage(create=True)
    assert lineage is not None

    def adopt(key: str, intent: JSON, payload: JSON) -> None:
        if intent["action"] == "create_campaign":
            record_created(state, intent, payload, lineage)
            return
        record = _recorded(state, key)
        if intent["action"] == "append_step":
            record_appended(state, record, payload)
        else:
            state.write(record.bumped(status=str(intent["target_status"]), refreshed_at=utc_now()))

    return settle_all(state, client, adopt, notice)


def _warn(report: ApplyReport, message: str) -> None:
    assert report.warnings is not None
    report.warnings.append(message)


def _record_digests(plan: Plan, state: StateDir) -> None:
    """Every campaign the plan covered now matches its file: remember the file's digest, so the next
    plan knows it unchanged without parsing it."""
    for key, digest in plan.binding.digests.items():
        record = state.read(key)
        if record is not None and (record.source_digest != digest or record.tool_version != __version__):
            state.write(replace(record.bumped(), source_digest=digest, tool_version=__version__))
