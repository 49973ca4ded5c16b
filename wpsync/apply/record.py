"""Records made from what Woodpecker answered: one place, used by apply, by settling and by import.

A mutating call answers with the campaign's full payload (or, for status calls, nothing); the record
is rebuilt from that answer so the state says what Woodpecker holds, not what wpsync hoped it would.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from wpsync import __version__
from wpsync.errors import WpsyncError
from wpsync.state.records import Applied, CampaignRecord, utc_now
from wpsync.woodpecker.remote import read_steps

JSON = dict[str, Any]


MAX_CAMPAIGN_ID = 2**63 - 1  # a 64-bit signed integer, as every id in the state and the database


def campaign_id_of(payload: JSON) -> int:
    """The campaign id an answer carries, if it is one: a positive 64-bit integer (not a bool, not text)."""
    value = payload.get("id")
    if type(value) is not int or not 0 < value <= MAX_CAMPAIGN_ID:
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "…"
        what = "no id" if value is None else f"the id {shown}"
        raise WpsyncError(
            f"Woodpecker answered with {what}, which is not a campaign id (a positive 64-bit integer)"
        )
    return value


def status_of(payload: JSON, default: str) -> str:
    status = payload.get("status", default)
    if not isinstance(status, str):
        raise WpsyncError(f"Woodpecker answered with the status {status!r:.40}, which is not a status")
    return status


def created(
    key: str, lineage: str, payload: JSON, head: JSON, head_hash: str, digest: str
) -> tuple[CampaignRecord, Applied]:
    """The record of a campaign wpsync just created (or imported) from ``payload``."""
    steps = read_steps(payload)
    record = CampaignRecord(
        key=key,
        lineage=lineage,
        serial=1,
        campaign_id=campaign_id_of(payload),
        status=status_of(payload, "DRAFT"),
        head_hash=head_hash,
        steps=steps.records,
        source_digest=digest,  # a create makes the whole campaign: it matches its file at once
        tool_version=__version__,
        last_step_processed=0,
        refreshed_at=utc_now(),
    )
    return record, Applied(head=head, steps=steps.contents)


def changed(
    record: CampaignRecord,
    applied: Applied | None,
    payload: JSON,
    *,
    head: JSON | None = None,
    head_hash: str | None = None,
) -> tuple[CampaignRecord, Applied]:
    """The record after a call that answered with the full payload (append, PATCH, step DELETE)."""
    steps = read_steps(payload)
    new_head = head if head is not None else (applied.head if applied else {})
    updated = record.bumped(
        steps=steps.records,
        status=status_of(payload, record.status),
        head_hash=head_hash if head_hash is not None else record.head_hash,
        source_digest="",  # the file matches only once every action of the plan is done
        last_step_processed=0 if len(steps.records) > len(record.steps) else record.last_step_processed,
        refreshed_at=utc_now(),
    )
    return updated, Applied(head=new_head, steps=steps.contents)


def with_status(record: CampaignRecord, status: str, *, restore: str | None = None) -> CampaignRecord:
    """The record after a status call; ``restore`` sets (or, as "", clears) the status to go back to."""
    changes: dict[str, Any] = {"status": status, "refreshed_at": utc_now()}
    if restore is not None:
        changes["restore_status"] = restore
    if restore:  # a status to set back is something to do: the file is not "unchanged" until then
        changes["source_digest"] = ""
    return record.bumped(**changes)


def matched_file(record: CampaignRecord, digest: str) -> CampaignRecord:
    """Every action of the plan for this campaign is done: it now matches its file's bytes."""
    return replace(record.bumped(), source_digest=digest, tool_version=__version__)
