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
from wpsync.apply import answers
from wpsync.apply import record as records
from wpsync.apply.settle import Happened, find_appended, find_created, holds_patch, settle
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
from wpsync.state.backend import StateStore
from wpsync.state.journal import (
    AppendIntent,
    CreateIntent,
    DeleteCampaignIntent,
    EditIntent,
    Intent,
    StatusIntent,
)
from wpsync.state.records import CampaignRecord
from wpsync.woodpecker.client import WoodpeckerApiError, WoodpeckerClient, maybe_committed

JSON = dict[str, Any]
RESEND_ATTEMPTS = 3  # settle-then-resend rounds for one call whose answer was lost


def mutate(
    state: StateStore, key: str, intent: Intent, call: Callable[[], Any], look: Callable[[], Any]
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


def done(state: StateStore, key: str) -> None:
    failpoints.hit("apply.after_record")
    state.clear_intent(key)


def recorded(state: StateStore, key: str) -> CampaignRecord:
    record = state.read(key)
    if record is None:
        raise WpsyncError(f"{key} is not in the state any more; plan again")
    return record


def _found(outcome: Any) -> JSON | None:
    return outcome.payload if isinstance(outcome, Happened) else None


def create(
    action: CreateCampaign,
    state: StateStore,
    client: WoodpeckerClient,
    lineage: str,
    digest: str,
    owned: dict[int, str],
) -> CampaignRecord:
    """``owned``: campaign id → the key whose record holds it (this run's creates are added)."""
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

    def look() -> JSON | None:
        # Only when an answer was lost: reading every record per create would make a fleet's apply O(N²).
        owned = {r.campaign_id for r in state.read_all().values()}
        return find_created(client, intent, owned)

    payload = mutate(state, action.key, intent, lambda: client.create_campaign(body), look)
    record, applied = answers.created(action, lineage, payload, sent, digest, owned)
    owned[record.campaign_id] = action.key
    state.write(record, applied)
    done(state, action.key)
    return record


def append(
    action: AppendStep, state: StateStore, client: WoodpeckerClient, *, checked: bool
) -> CampaignRecord:
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
    try:
        payload = mutate(
            state,
            action.key,
            intent,
            lambda: client.add_step(record.campaign_id, body),
            lambda: find_appended(client, intent),
        )
    except WoodpeckerApiError as exc:
        if action.step.get("type") != "LINKEDIN" or exc.status != 400:
            raise
        raise answers.linkedin_append_refused(action, record.campaign_id, exc) from None
    return _record_payload(state, record, payload, steps=len(record.steps) + 1, last_hash=action.step_hash)


def check_still_appendable(
    record: CampaignRecord, remote: RemoteCampaign | None, *, status_too: bool, appending: bool = True
) -> None:
    """The facts an edit or append depends on, read right before it: a plan can be minutes old. The
    last step's processed prospects matter to an append only: edits are made whoever it sent to."""
    if remote is None:
        raise WpsyncError(f"campaign {record.campaign_id} no longer exists in Woodpecker")
    # The chain's shape, not its copy: a plan may set drifted copy back, and a PATCH replaces values.
    if remote.step_ids != tuple(s.id for s in record.steps):
        raise WpsyncError(f"campaign {record.campaign_id} changed in Woodpecker since the plan; plan again")
    if status_too and remote.status not in EDITABLE:
        raise WpsyncError(
            f"campaign {record.campaign_id} is {remote.status}; it can be changed only in DRAFT or EDITED "
            "(plan again with --make-editable)"
        )
    if appending and remote.last_step_processed:
        raise WpsyncError(
            f"the last step of campaign {record.campaign_id} has processed {remote.last_step_processed} "
            "prospect(s) since the plan; a step cannot be linked after it"
        )


def set_status(
    key: str,
    call: str,
    target: str,
    state: StateStore,
    client: WoodpeckerClient,
    *,
    restore: str | None = None,
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

    try:
        mutate(state, key, intent, send, look)
    except WpsyncError as exc:
        if restore and not state.intent_pending(key):
            # make_editable provably did not happen (mutate cleared its intent): the campaign is still
            # sending, so there is nothing to restore — a status left here would later "restore" a
            # campaign someone made EDITED in Woodpecker's app on purpose.
            state.write(records.with_status(record, record.status, restore=""))
        refused = refused_status_call(exc, call, record.campaign_id, target)
        if refused is not None:
            raise refused from None
        raise
    updated = records.with_status(record, target, restore="" if not restore else None)
    state.write(updated)
    done(state, key)
    return updated


def refused_status_call(exc: WpsyncError, call: str, campaign_id: int, target: str) -> WpsyncError | None:
    """run/pause/stop answered 403 or 409 (api-notes "Newer evidence": run may be refused): say what to
    do. Nothing changed, and a status still to restore stays recorded for the next apply to retry."""
    if call == "make_editable" or not isinstance(exc, WoodpeckerApiError) or exc.status not in (403, 409):
        return None
    why = (
        "the account's plan or API add-on does not allow it"
        if exc.status == 403
        else "Woodpecker will not start it as it is (a disconnected mailbox, no prospects, or its own state)"
    )
    said = exc.info.message or exc.info.details or exc.code
    return WpsyncError(
        f"Woodpecker refused to {call} campaign {campaign_id} (HTTP {exc.status}"
        f"{': ' + said if said else ''}): {why}; fix that in Woodpecker "
        f"(`wpsync accounts` shows the mailboxes' health), then run `wpsync apply` again to set it {target}"
    )


def with_restore(state: StateStore, record: CampaignRecord, status: str) -> CampaignRecord:
    updated = records.with_status(record, record.status, restore=status)
    state.write(updated)
    state.make_durable(record.key)  # the anchor of the guarantee: on disk before the campaign stops
    return updated


def edit(
    action: UpdateCampaign | UpdateWindows | UpdateVersion | DeleteStep,
    state: StateStore,
    client: WoodpeckerClient,
) -> CampaignRecord:
    record = recorded(state, action.key)
    cid = record.campaign_id
    head: JSON | None = None
    head_hash: str | None = None
    match action:
        case UpdateCampaign():
            intent = EditIntent(
                action.key, cid, "campaign", target_hash=action.head_hash, sent=action.patch, head=action.head
            )
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
    if isinstance(action, UpdateCampaign) and not holds_patch(action.patch, payload):
        head, head_hash = None, None  # Woodpecker did not take it all: keep what it held before
    steps = len(record.steps) - (1 if isinstance(action, DeleteStep) else 0)
    return _record_payload(state, record, payload, head=head, head_hash=head_hash, steps=steps)


def delete_campaign(action: DeleteCampaign, state: StateStore, client: WoodpeckerClient) -> None:
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
    state: StateStore,
    record: CampaignRecord,
    payload: JSON,
    *,
    head: JSON | None = None,
    head_hash: str | None = None,
    steps: int,
    last_hash: str | None = None,
) -> CampaignRecord:
    """Record the answer of an append or edit once ``answers.changed`` trusts it."""
    updated, applied = answers.changed(
        record,
        state.read_applied(record.key),
        payload,
        head=head,
        head_hash=head_hash,
        steps=steps,
        last_hash=last_hash,
    )
    state.write(updated, applied)
    done(state, record.key)
    return updated


def status_call(status: str) -> str:
    return STATUS_CALL.get(status, "run")
