"""One function per action: the call, its intent in the journal first, and the record after.

Each function is handed the state, the client and the action, makes exactly one mutating call (and
only the reads the call depends on), and records its outcome before it returns. ``mutate`` is the
one way a mutating call is made: intent durable first; a lost answer settled before anything is
sent again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wpsync import failpoints
from wpsync.apply import record as records
from wpsync.apply.settle import Happened, find_appended, find_created, settle
from wpsync.errors import WpsyncError
from wpsync.limits import EDITABLE
from wpsync.plan.actions import (
    STATUS_CALL,
    AppendStep,
    CreateCampaign,
    DeleteCampaign,
    DeleteStep,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.plan.facts import RemoteCampaign
from wpsync.state.journal import (
    AppendIntent,
    CreateIntent,
    DeleteCampaignIntent,
    EditIntent,
    Intent,
    StatusIntent,
)
from wpsync.state.records import CampaignRecord
from wpsync.state.store import StateDir
from wpsync.woodpecker.client import WoodpeckerClient, maybe_committed

JSON = dict[str, Any]
RESEND_ATTEMPTS = 3  # settle-then-resend rounds for one call whose answer was lost


def mutate(
    state: StateDir, key: str, intent: Intent, call: Callable[[], Any], look: Callable[[], Any]
) -> Any:
    """Make one mutating call with its intent durably recorded first.

    An answer lost after the request may have reached Woodpecker (timeout, dropped connection, 5xx)
    is settled by looking (``look`` returns what it found, or None) before anything is sent again; a
    POST is never blindly resent. The intent stays in place only when even looking fails, so the
    next run settles it first.
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
            found = look()  # if this raises too, the intent stays for the next run to settle
            if found is not None:
                return found
            if attempt == RESEND_ATTEMPTS:
                state.clear_intent(key)
                raise
            continue  # looked, and it did not happen: sending again cannot duplicate it
        failpoints.hit("apply.after_response")
        return result
    raise AssertionError("unreachable")


def done(state: StateDir, key: str) -> None:
    failpoints.hit("apply.after_record")
    state.clear_intent(key)


def recorded(state: StateDir, key: str) -> CampaignRecord:
    record = state.read(key)
    if record is None:
        raise WpsyncError(f"{key} is not in the state any more; plan again")
    return record


def _found(outcome: Any) -> JSON | None:
    return outcome.payload if isinstance(outcome, Happened) else None


def create(
    action: CreateCampaign, state: StateDir, client: WoodpeckerClient, lineage: str, digest: str
) -> CampaignRecord:
    if state.read(action.key) is not None:
        raise WpsyncError(f"{action.key} is already recorded; plan again")
    body = action.body
    sent: JSON = {k: body[k] for k in ("name", "email_account_ids", "settings") if k in body}
    intent = CreateIntent(
        key=action.key,
        name=str(body.get("name", "My campaign #0")),
        sent=sent,
        step_hashes=action.step_hashes,
        head=action.head,
        head_hash=action.head_hash,
        digest=digest,
    )
    # The campaigns other records own, read only if an answer was lost and the campaign must be looked
    # for (no record is written in between): reading every record before each create made a fleet's
    # apply quadratic in the number of campaigns.
    payload = mutate(
        state,
        action.key,
        intent,
        lambda: client.create_campaign(body),
        lambda: find_created(client, intent, {r.campaign_id for r in state.read_all().values()}),
    )
    record, applied = records.created(action.key, lineage, payload, action.head, action.head_hash, digest)
    state.write(record, applied)
    done(state, action.key)
    return record


def append(action: AppendStep, state: StateDir, client: WoodpeckerClient, *, checked: bool) -> CampaignRecord:
    record = recorded(state, action.key)
    if len(record.content_steps) != action.parent_position:
        raise WpsyncError(
            f"{action.key} has {len(record.content_steps)} recorded steps, the plan expected "
            f"{action.parent_position}; plan again"
        )
    if not checked:  # a campaign made editable in this run was checked right before that
        from wpsync.woodpecker.refresh import read_remote

        check_still_appendable(record, read_remote(client, record.campaign_id), status_too=True)
    intent = AppendIntent(action.key, record.campaign_id, record.last_step_id, action.step_hash)
    body = {"parent_id": record.last_step_id, "step": action.step}
    payload = mutate(
        state,
        action.key,
        intent,
        lambda: client.add_step(record.campaign_id, body),
        lambda: find_appended(client, intent),
    )
    return _record_payload(state, record, payload)


def check_still_appendable(
    record: CampaignRecord, remote: RemoteCampaign | None, *, status_too: bool
) -> None:
    """The facts an edit or append depends on, read right before it: a plan can be minutes old."""
    if remote is None:
        raise WpsyncError(f"campaign {record.campaign_id} no longer exists in Woodpecker")
    if remote.step_ids[-1] != record.last_step_id or remote.step_hashes != tuple(
        s.hash for s in record.content_steps
    ):
        raise WpsyncError(f"campaign {record.campaign_id} changed in Woodpecker since the plan; plan again")
    if status_too and remote.status not in EDITABLE:
        raise WpsyncError(
            f"campaign {record.campaign_id} is {remote.status}; it can be changed only in DRAFT or EDITED "
            "(plan again with --make-editable)"
        )
    if remote.last_step_processed:
        raise WpsyncError(
            f"the last step of campaign {record.campaign_id} has processed {remote.last_step_processed} "
            "prospect(s) since the plan; a step cannot be linked after it"
        )


def set_status(
    key: str, call: str, target: str, state: StateDir, client: WoodpeckerClient, *, restore: str | None = None
) -> CampaignRecord:
    """make_editable / run / pause / stop. ``restore`` is written durably *before* make_editable is
    sent (the status to go back to) and cleared ("") once the campaign is back."""
    record = recorded(state, key)
    if restore:
        record = with_restore(state, record, restore)
    intent = StatusIntent(key, record.campaign_id, call, target)
    transition = getattr(client, call)

    def send() -> bool:
        transition(record.campaign_id)  # 200 with no body
        return True

    def look() -> bool | None:
        return True if _found(settle(intent, client, set())) is not None else None

    mutate(state, key, intent, send, look)
    updated = records.with_status(record, target, restore="" if not restore else None)
    state.write(updated)
    done(state, key)
    return updated


def with_restore(state: StateDir, record: CampaignRecord, status: str) -> CampaignRecord:
    updated = records.with_status(record, record.status, restore=status)
    state.write(updated)
    state.make_durable(record.key)  # the anchor of the guarantee: on disk before the campaign stops
    return updated


def edit(
    action: UpdateCampaign | UpdateWindows | UpdateVersion | DeleteStep,
    state: StateDir,
    client: WoodpeckerClient,
) -> CampaignRecord:
    record = recorded(state, action.key)
    cid = record.campaign_id
    head: JSON | None = None
    head_hash: str | None = None
    match action:
        case UpdateCampaign():
            intent = EditIntent(action.key, cid, "campaign", target_hash=action.head_hash)
            call: Callable[[], JSON] = lambda: client.update_campaign(cid, action.patch)  # noqa: E731
            head, head_hash = action.head, action.head_hash
        case UpdateWindows():
            step = _step(record, action.position)
            intent = EditIntent(action.key, cid, "step_windows", step.id, target_hash=action.step_hash)
            call = lambda: client.update_step(cid, step.id, {"delivery_time": action.delivery_time})  # noqa: E731
        case UpdateVersion():
            step = _step(record, action.position)
            if action.version >= len(step.version_ids):
                raise WpsyncError(
                    f"{action.key}: step {action.position} has no version {action.version + 1}; plan again"
                )
            version_id = step.version_ids[action.version]
            intent = EditIntent(action.key, cid, "version", step.id, version_id, action.step_hash)
            call = lambda: client.update_version(cid, step.id, version_id, action.patch)  # noqa: E731
        case DeleteStep():
            step = _step(record, action.position)
            if action.position != len(record.content_steps):
                raise WpsyncError(
                    f"{action.key}: step {action.position} is no longer the last step; plan again"
                )
            intent = EditIntent(action.key, cid, "delete_step", step.id)
            call = lambda: client.delete_step(cid, step.id)  # noqa: E731
    payload = mutate(state, action.key, intent, call, lambda: _found(settle(intent, client, set())))
    return _record_payload(state, record, payload, head=head, head_hash=head_hash)


def delete_campaign(action: DeleteCampaign, state: StateDir, client: WoodpeckerClient) -> None:
    record = recorded(state, action.key)
    intent = DeleteCampaignIntent(action.key, record.campaign_id)

    def look() -> bool | None:
        return True if isinstance(settle(intent, client, set()), Happened) else None

    def send() -> bool:
        client.delete_campaign(record.campaign_id)
        return True

    mutate(state, action.key, intent, send, look)
    state.forget(action.key)
    done(state, action.key)


def _step(record: CampaignRecord, position: int) -> Any:
    if not 1 <= position <= len(record.content_steps):
        raise WpsyncError(f"{record.key}: the state has no step {position}; plan again")
    return record.steps[position]


def _record_payload(
    state: StateDir,
    record: CampaignRecord,
    payload: JSON,
    *,
    head: JSON | None = None,
    head_hash: str | None = None,
) -> CampaignRecord:
    updated, applied = records.changed(
        record, state.read_applied(record.key), payload, head=head, head_hash=head_hash
    )
    state.write(updated, applied)
    done(state, record.key)
    return updated


def status_call(status: str) -> str:
    return STATUS_CALL.get(status, "run")
