"""Read from Woodpecker only the facts the plan's decisions depend on.

- For a recorded campaign whose file changed: its status, its steps as Woodpecker holds them, and how
  many prospects its last step has processed (a DRAFT campaign has processed nobody: no stats call).
- For new campaigns: the mailboxes and LinkedIn accounts they name (once per plan).
- With ``everything``: every recorded campaign, so the plan can report drift.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wpsync.plan.desired import Desired, Unchanged
from wpsync.plan.facts import Facts, RemoteCampaign
from wpsync.state.store import CampaignRecord
from wpsync.woodpecker.client import WoodpeckerApiError, WoodpeckerClient
from wpsync.woodpecker.remote import read_steps


def get_or_none(client: WoodpeckerClient, campaign_id: int) -> dict[str, Any] | None:
    """The campaign payload, or None when Woodpecker says it does not exist."""
    try:
        return client.get_campaign(campaign_id)
    except WoodpeckerApiError as exc:
        # Only the documented "no such campaign" answer means deleted; a 404 for a wrong base URL
        # must not make every campaign look deleted.
        if exc.status == 404 and exc.code == "CAMPAIGN_NOT_EXIST":
            return None
        raise


def read_remote(client: WoodpeckerClient, campaign_id: int) -> RemoteCampaign | None:
    """The campaign as Woodpecker holds it now, or None when it no longer exists."""
    payload = get_or_none(client, campaign_id)
    if payload is None:
        return None
    steps = read_steps(payload)
    status = str(payload.get("status", ""))
    processed = 0
    if status != "DRAFT" and len(steps.records) > 1:
        processed = client.processed_by_step(campaign_id).get(steps.records[-1].id, 0)
    return RemoteCampaign(
        status=status,
        step_ids=tuple(s.id for s in steps.records),
        step_hashes=steps.hashes,
        last_step_processed=processed,
    )


def refresh(
    client: WoodpeckerClient,
    files: Sequence[Desired | Unchanged],
    records: Mapping[str, CampaignRecord],
    *,
    everything: bool,
) -> Facts:
    changed = [f for f in files if isinstance(f, Desired)]
    keys = {f.key for f in changed if f.key in records}
    if everything:
        keys |= set(records)
    campaigns = {key: read_remote(client, records[key].campaign_id) for key in sorted(keys)}
    new = [f for f in changed if f.key not in records]
    mailboxes = _mailboxes(client) if any(f.head["email_account_ids"] for f in new) else None
    linkedin = _linkedin(client) if any(f.linkedin for f in new) else None
    untracked = _untracked(client, records) if new else None
    return Facts(campaigns=campaigns, mailboxes=mailboxes, linkedin=linkedin, untracked=untracked)


def _untracked(client: WoodpeckerClient, records: Mapping[str, CampaignRecord]) -> dict[str, tuple[int, ...]]:
    owned = {record.campaign_id for record in records.values()}
    found: dict[str, list[int]] = {}
    for campaign in client.list_campaigns():
        if isinstance(campaign.get("id"), int) and campaign["id"] not in owned:
            found.setdefault(str(campaign.get("name")), []).append(campaign["id"])
    return {name: tuple(sorted(ids)) for name, ids in found.items()}


def _mailboxes(client: WoodpeckerClient) -> dict[int, str | None]:
    found: dict[int, str | None] = {}
    for box in client.mailboxes():
        if str(box.get("type", "SMTP")).upper() != "SMTP" or not isinstance(box.get("id"), int):
            continue  # campaigns take SMTP ids; IMAP entries are listed separately
        error = (box.get("details") or {}).get("error")
        found[box["id"]] = str(error) if error else None
    return found


def _linkedin(client: WoodpeckerClient) -> dict[int, tuple[str, str]]:
    return {
        account["id"]: (str(account.get("session_status")), str(account.get("level")))
        for account in client.linkedin_accounts()
        if isinstance(account.get("id"), int)
    }
