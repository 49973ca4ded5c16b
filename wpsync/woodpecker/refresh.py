"""Read from Woodpecker only the facts the plan's decisions depend on.

- For a recorded campaign whose file changed: its status, its steps as Woodpecker holds them, and how
  many prospects its last step has processed (a DRAFT campaign has processed nobody: no stats call).
- For new campaigns: the mailboxes and LinkedIn accounts they name (once per plan).
- With ``everything``: every recorded campaign, so the plan can report drift.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wpsync.plan.desired import Desired, Unchanged
from wpsync.plan.facts import Facts, Names, RemoteCampaign, StepResults, Unreadable
from wpsync.state.records import Applied, CampaignRecord
from wpsync.woodpecker.client import WoodpeckerApiError, WoodpeckerClient
from wpsync.woodpecker.remote import read_steps
from wpsync.woodpecker.stats import processed_by_step, prospects, results_by_step


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
    """The campaign as Woodpecker holds it now, or None when it no longer exists. A DRAFT campaign
    has processed nobody: its stats are not read (one call fewer)."""
    payload = get_or_none(client, campaign_id)
    if payload is None:
        return None
    return remote_from(payload, lambda: client.campaign_item(campaign_id))


def remote_from(payload: dict[str, Any], item: Callable[[], dict[str, Any]]) -> RemoteCampaign:
    steps = read_steps(payload)
    status = str(payload.get("status", ""))
    count = len(steps.contents)
    if status == "DRAFT" or count == 0:
        processed: tuple[int | None, ...] = (0,) * count
        people: int | None = 0 if status == "DRAFT" else None
        results: tuple[StepResults | None, ...] = ()
    else:
        stats = item()
        types = [str(c["type"]) for c in steps.contents]
        subjects = [first_subject(c) for c in steps.contents]
        processed, people = processed_by_step(stats, types, subjects), prospects(stats)
        results = results_by_step(stats, types, subjects)
    return RemoteCampaign(
        status=status,
        step_ids=tuple(s.id for s in steps.records),
        step_hashes=steps.hashes,
        last_step_processed=processed[-1] if processed else 0,
        processed=processed,
        prospects=people,
        results=results,
        working_days=_working_days(payload),
        head=remote_head(payload),
        contents=steps.contents,
    )


def _working_days(payload: dict[str, Any]) -> bool | None:
    """A live setting the spec does not list (api-notes.md, "Newer evidence"): read when it is a bool."""
    settings = payload.get("settings")
    value = settings.get("count_followup_delay_in_working_days") if isinstance(settings, dict) else None
    return value if isinstance(value, bool) else None


def remote_head(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The campaign's name, mailboxes and settings in the canonical form of a file's head (None when
    its settings are not of a form wpsync can read: no drift is then claimed for them)."""
    from pydantic import ValidationError

    from wpsync.files.models import Settings
    from wpsync.plan.desired import canonical_settings

    raw = payload.get("settings")
    if not isinstance(raw, dict):
        return None
    known = {k: "null" if v is None else v for k, v in raw.items() if k in Settings.model_fields}
    try:
        settings = Settings.model_validate(known)
    except ValidationError:
        return None
    return {
        "name": payload.get("name"),
        "email_account_ids": list(payload.get("email_account_ids") or []),
        "settings": canonical_settings(settings),
    }


def first_subject(content: dict[str, Any]) -> str | None:
    """Version A's subject of an EMAIL step's canonical content (what the v1 stats line up by)."""
    versions = content.get("versions") or []
    return versions[0].get("subject") if content.get("type") == "EMAIL" and versions else None


def refresh(
    client: WoodpeckerClient,
    files: Sequence[Desired | Unchanged],
    records: Mapping[str, CampaignRecord],
    *,
    everything: bool,
    applied: Mapping[str, Applied] | None = None,
    owned: frozenset[int] | None = None,
) -> Facts:
    """``owned``: every campaign id the whole state records (default: those of ``records``), so that
    campaigns of records left out by --target are not taken for campaigns no record owns."""
    changed = [f for f in files if isinstance(f, Desired)]
    keys = {f.key for f in changed if f.key in records}
    if everything:
        keys |= set(records)
    campaigns: dict[str, RemoteCampaign | None] = {}
    unreadable: dict[str, Unreadable] = {}
    for key in sorted(keys):
        try:
            campaigns[key] = read_remote(client, records[key].campaign_id)
        except WoodpeckerApiError as exc:
            if exc.status != 409:  # one campaign the API will not read must not stop the plan
                raise
            unreadable[key] = Unreadable(exc.code or "409", exc.message)
    new = [f for f in changed if f.key not in records]
    # Mailboxes are read for new campaigns (to check them), for campaigns whose mailboxes change (so
    # the plan shows addresses), and for a campaign its file wants RUNNING that Woodpecker STOPPED
    # (the mailboxes say why: a disconnect). A plan that needs none of these reads none.
    before = applied or {}
    moved = any(
        f.key in before and before[f.key].head.get("email_account_ids") != f.head["email_account_ids"]
        for f in changed
    )
    stopped = any(
        f.status == "RUNNING" and (remote := campaigns.get(f.key)) is not None and remote.status == "STOPPED"
        for f in changed
    )
    needed = moved or stopped or any(f.head["email_account_ids"] for f in new)
    boxes = _mailboxes(client) if needed else None
    # LinkedIn accounts matter to what is created, and to LINKEDIN steps appended to recorded campaigns.
    appended = any(
        u.index >= len(records[f.key].content_steps) for f in changed if f.key in records for u in f.linkedin
    )
    senders = _linkedin(client) if appended or any(f.linkedin for f in new) else None
    if owned is None:
        owned = frozenset(record.campaign_id for record in records.values())
    untracked = _untracked(client, owned) if new else None
    # Who the key belongs to matters when something would be created, or recorded campaigns seem gone:
    # then (and only then) one more read says whether the key is the state's account.
    missing = any(remote is None for remote in campaigns.values())
    account = identify(client) if new or missing else None
    return Facts(
        account=account,
        campaigns=campaigns,
        unreadable=unreadable,
        mailboxes=boxes[0] if boxes else None,
        linkedin=senders[0] if senders else None,
        untracked=untracked,
        names=None
        if boxes is None and senders is None
        else Names(mailboxes=boxes[1] if boxes else {}, linkedin=senders[1] if senders else {}),
    )


def identify(client: WoodpeckerClient) -> str | None:
    """The key's account (``wpsync.woodpecker.identity``: ``/v1/me``, else ``/v2/users``), or None when
    neither answers in a shape wpsync can read (the check is then skipped)."""
    from wpsync.woodpecker.identity import identify as read_identity

    return read_identity(client).account


def _untracked(client: WoodpeckerClient, owned: frozenset[int]) -> dict[str, tuple[int, ...]]:
    found: dict[str, list[int]] = {}
    for campaign in client.list_campaigns():
        if isinstance(campaign.get("id"), int) and campaign["id"] not in owned:
            found.setdefault(str(campaign.get("name")), []).append(campaign["id"])
    return {name: tuple(sorted(ids)) for name, ids in found.items()}


def _mailboxes(client: WoodpeckerClient) -> tuple[dict[int, str | None], dict[int, str]]:
    """(SMTP id → connection problem, SMTP id → address) from one read of the mailbox list."""
    found: dict[int, str | None] = {}
    addresses: dict[int, str] = {}
    for box in client.mailboxes():
        if str(box.get("type", "SMTP")).upper() != "SMTP" or not isinstance(box.get("id"), int):
            continue  # campaigns take SMTP ids; IMAP entries are listed separately
        details = box.get("details") or {}
        error = details.get("error")
        found[box["id"]] = str(error) if error else None
        address = details.get("email") or box.get("email")
        if isinstance(address, str) and address:
            addresses[box["id"]] = address
    return found, addresses


def _linkedin(client: WoodpeckerClient) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """(id → (session status, level), id → the account holder's name) from one read."""
    statuses: dict[int, tuple[str, str]] = {}
    holders: dict[int, str] = {}
    for account in client.linkedin_accounts():
        if not isinstance(account.get("id"), int):
            continue
        statuses[account["id"]] = (str(account.get("session_status")), str(account.get("level")))
        name = account.get("full_name") or account.get("name")
        if isinstance(name, str) and name:
            holders[account["id"]] = name
    return statuses, holders
