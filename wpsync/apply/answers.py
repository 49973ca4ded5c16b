"""Answers checked before they are recorded: an answer wpsync cannot trust is recorded not at all.

A mutating call's answer becomes the record. An answer carrying an id that is no campaign id, or one
another record owns, or steps other than the call leaves, would put a wrong campaign (or wrong steps)
in the state — and later edits would go to another record's campaign. So each is checked first; a
failed check raises, the call's intent stays in the journal, and the next apply settles the call the
way it settles a lost answer: by reading Woodpecker (``wpsync.apply.settle``).
"""

from __future__ import annotations

from typing import Any

from wpsync.apply import record as records
from wpsync.apply.settle import mismatches
from wpsync.errors import ApiError, WpsyncError
from wpsync.plan.actions import AppendStep, CreateCampaign, UpdateCampaign, UpdateVersion, UpdateWindows
from wpsync.state.records import Applied, CampaignRecord

JSON = dict[str, Any]


def created(
    action: CreateCampaign, lineage: str, payload: JSON, sent: JSON, digest: str, owned: dict[int, str]
) -> tuple[CampaignRecord, Applied]:
    """The record of a create's answer: a campaign id (``records.campaign_id_of``) no record owns
    (``owned``: id → key), holding everything sent and every step."""
    try:
        record, applied = records.created(action.key, lineage, payload, action.head, action.head_hash, digest)
        if record.campaign_id in owned:
            raise WpsyncError(
                f"Woodpecker answered with campaign {record.campaign_id}, which "
                f"{owned[record.campaign_id]} already owns"
            )
        # The steps were read (validated, hashed) for the record: not a second time for the check.
        differ = mismatches(sent, action.step_hashes, payload, tuple(s.hash for s in record.content_steps))
        if differ:
            raise WpsyncError(f"Woodpecker's answer differs from what was sent in {', '.join(differ)}")
    except WpsyncError as exc:
        raise WpsyncError(
            f"{exc.message}; nothing was recorded: the next apply looks in Woodpecker for the campaign "
            "that was sent (a campaign no record owns, matching all of it) and records it, or stops "
            "and says what it found"
        ) from None
    return record, applied


def changed(
    record: CampaignRecord,
    applied: Applied | None,
    payload: JSON,
    *,
    head: JSON | None,
    head_hash: str | None,
    steps: int,
    last_hash: str | None,
) -> tuple[CampaignRecord, Applied]:
    """The record after an append or edit, once the answer holds the steps the call leaves
    (``steps``, START included, the kept ones with their ids; an append's new step with ``last_hash``)."""
    try:
        updated, content = records.changed(record, applied, payload, head=head, head_hash=head_hash)
        kept = min(steps, len(record.steps))
        if len(updated.steps) != steps or [s.id for s in updated.steps[:kept]] != [
            s.id for s in record.steps[:kept]
        ]:
            raise WpsyncError(
                f"Woodpecker answered with {len(updated.steps) - 1} step(s) where the call leaves {steps - 1}"
            )
        if last_hash is not None and updated.steps[-1].hash != last_hash:
            raise WpsyncError("Woodpecker's answer holds the appended step differently than sent")
    except WpsyncError as exc:
        raise WpsyncError(
            f"{exc.message}; nothing was recorded: the next apply reads campaign {record.campaign_id} "
            "and records what it holds"
        ) from None
    return updated, content


def linkedin_append_refused(action: AppendStep, campaign_id: int, exc: ApiError) -> WpsyncError:
    """A 400 to a LINKEDIN append. wpsync checked the step as a LinkedIn step, so it means this
    account's add-step still takes EMAIL steps only, as the older spec page said; nothing changed."""
    fields = "; ".join(f"{f.field}: {f.detail}" if f.field else f.detail for f in exc.info.field_errors)
    why = fields or exc.info.details or exc.info.message or "no details given"
    return WpsyncError(
        f"Woodpecker refused to append LINKEDIN step {action.position} to campaign {campaign_id}"
        f" ({exc.status}{f' {exc.code}' if exc.code else ''}: {why}); this account's add-step call seems"
        f" to take EMAIL steps only, and nothing was changed — remove step {action.position} from"
        f" {action.file}, or fork into a new campaign file that has it from the start"
    )


def diverged(action: UpdateCampaign | UpdateWindows | UpdateVersion, record: CampaignRecord) -> bool:
    """Whether Woodpecker answered the edit with the campaign not as sent (recorded as answered)."""
    if isinstance(action, UpdateCampaign):
        return record.head_hash != action.head_hash
    return record.steps[action.position].hash != action.step_hash
