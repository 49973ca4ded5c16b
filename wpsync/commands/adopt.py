"""`wpsync adopt KEY…`: take what Woodpecker holds into the campaign files — the other way out of drift.

Where `plan` sets Woodpecker back to the file, `adopt` keeps what a person changed in Woodpecker's
app: it reads each campaign (the one call it makes, a GET), rewrites its file in place with only the
values that differ (comments and layout kept, as `fmt`), and records the state from that same read,
so the next plan is empty. Nothing is sent to Woodpecker.

The file is written before the record: a crash between leaves a file that already says what Woodpecker
holds beside an older record, and the next plan then sends only values Woodpecker already has. The
other order could make the next plan set Woodpecker back to the old file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from wpsync import failpoints
from wpsync.apply.record import created
from wpsync.commands.resolve import Account
from wpsync.commands.workspace import Workspace, client_for
from wpsync.errors import InputError, WpsyncError
from wpsync.files.adopt import adopt_text
from wpsync.files.from_api import document_from_payload
from wpsync.files.loading import parse_source
from wpsync.files.sources import Source, read_source
from wpsync.files.to_api import content_hash
from wpsync.plan.desired import canonical_head
from wpsync.state.atomic import atomic_write_files
from wpsync.state.backend import lock_state
from wpsync.woodpecker.client import WoodpeckerClient
from wpsync.woodpecker.remote import read_steps

FILE_STATUSES = ("DRAFT", "RUNNING", "PAUSED", "STOPPED")


def adopt_command(account: Account, keys: Sequence[str], *, echo: Callable[[str], None]) -> int:
    """Adopt ``keys`` of ``account`` (its folder, state, key, URL and client company)."""
    ws, api_key = account.ws, account.key
    if api_key is None:
        raise InputError(f"adopt reads Woodpecker: set {ws.key_source}, or pass --api-key-file FILE")
    with (
        lock_state(ws.state, f"wpsync adopt {' '.join(keys)}", timeout=ws.lock_timeout, notice=echo),
        client_for(api_key, ws) as client,
    ):
        for key in dict.fromkeys(keys):
            echo(_adopt_one(ws, client, key))
    return 0


def _adopt_one(ws: Workspace, client: WoodpeckerClient, key: str) -> str:
    record = ws.state.read(key)
    path = ws.campaigns / f"{key}.toml"
    if record is None:
        raise InputError(
            f"{key} is not tracked; `wpsync import CAMPAIGN_ID --key {key}` adopts a campaign wpsync does not know yet"
        )
    if ws.state.intent_pending(key) or record.restore_status:
        raise InputError(
            f"{key}: an earlier apply is unfinished; run `wpsync apply` to settle it, then adopt"
        )
    try:
        source = read_source(path)
    except FileNotFoundError:
        raise InputError(
            f"{path} does not exist; `wpsync import {record.campaign_id} --key {key} --force` writes it anew"
        ) from None
    loaded = parse_source(source)
    if loaded.campaign is None:
        problems = "; ".join(p.render() for p in loaded.errors)
        raise InputError(f"{path} is not valid, so it cannot be rewritten: {problems}")
    payload = client.get_campaign(record.campaign_id)
    document = document_from_payload(payload)
    from wpsync.files.models import Settings

    for name in set(document["settings"]) - set(Settings.model_fields):
        del document["settings"][name]  # live extras wpsync never sends: Woodpecker keeps them
    status = _file_status(loaded.campaign.status, str(payload.get("status", "")))
    text = source.data.decode("utf-8")
    adopted = adopt_text(text, loaded.campaign, document, status)
    check = parse_source(Source(key, path, adopted.encode()))
    steps = read_steps(payload)
    if (
        check.campaign is None
        or tuple(content_hash(c) for c in _canonical_steps(check.campaign)) != steps.hashes
    ):
        raise WpsyncError(
            f"{key}: what Woodpecker holds cannot be written into {path} as it is laid out; "
            f"`wpsync forget {key}`, then `wpsync import {record.campaign_id} --key {key} --force`"
        )
    head = canonical_head(check.campaign)
    if adopted != text:
        atomic_write_files([(path, adopted.encode())])
        failpoints.hit("adopt.after_file")
    new, applied = created(key, record.lineage, payload, head, content_hash(head), check.source.digest)
    new = replace(new, serial=record.serial + 1, last_step_processed=record.last_step_processed)
    ws.state.write(new, applied)
    what = "rewritten from" if adopted != text else "already held"
    return f"{key}: {path} {what} what Woodpecker holds (campaign {record.campaign_id}, no call made); the state is recorded."


def _canonical_steps(campaign: object) -> list[dict[str, object]]:
    from wpsync.files.models import Campaign
    from wpsync.files.to_api import canonical_step

    assert isinstance(campaign, Campaign)
    return [canonical_step(step, campaign.schedules) for step in campaign.steps]


def _file_status(written: str | None, held: str) -> str | None:
    """The status to write: only into a file that states one, and never one a file cannot ask for
    (COMPLETED is Woodpecker's RUNNING; EDITED is mid-edit)."""
    if written is None:
        return None
    if held == "COMPLETED" and written == "RUNNING":
        return written
    return held if held in FILE_STATUSES else written
