"""`wpsync import CAMPAIGN_ID`: adopt a campaign that exists in Woodpecker, as a file and a record.

The file is written from Woodpecker's own payload and the record from the same read, so the next plan
shows no changes. An existing file or key is never overwritten (``--force`` overwrites the file only
when the key is not in the state: the way back from `wpsync forget`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from wpsync import failpoints
from wpsync.apply.record import created
from wpsync.commands.resolve import Account
from wpsync.commands.workspace import client_for
from wpsync.errors import InputError
from wpsync.files.from_api import document_from_payload, dumps
from wpsync.files.loading import parse_source
from wpsync.files.schema import SCHEMA_FILE, schema_directive
from wpsync.files.sources import Source, key_problem
from wpsync.files.to_api import content_hash
from wpsync.plan.desired import canonical_head
from wpsync.state.atomic import atomic_write_files
from wpsync.state.backend import lock_state
from wpsync.woodpecker.refresh import remote_from


def key_from_name(name: str) -> str:
    key = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:64].strip("-")
    return key or "campaign"


def import_command(
    account: Account,
    campaign_id: int,
    campaign_key: str | None,
    *,
    force: bool,
    echo: Callable[[str], None],
) -> int:
    """Import into ``account`` (its folder, state, key, URL and client company)."""
    ws, api_key = account.ws, account.key
    if api_key is None:
        raise InputError(f"import needs the API key: set {ws.key_source}, or pass --api-key-file FILE")
    root = account.settings.parent  # the repository: wpsync.toml and schema/ are there
    with (
        lock_state(ws.state, f"wpsync import {campaign_id}", timeout=ws.lock_timeout, notice=echo),
        client_for(api_key, ws) as client,
    ):
        payload = client.get_campaign(campaign_id)
        chosen = campaign_key or key_from_name(str(payload.get("name", "")))
        wrong_key = key_problem(chosen)
        if wrong_key is not None:
            raise InputError(f"{wrong_key.split(';')[0]}; pass --key")
        path = ws.campaigns / f"{chosen}.toml"
        owner = next((r.key for r in ws.state.read_all().values() if r.campaign_id == campaign_id), None)
        # An import that died between its record and its file is finished by importing again.
        finishing = owner == chosen and not path.exists()
        if owner is not None and not finishing:
            # One campaign, one key: two files driving one campaign would undo each other's edits.
            raise InputError(
                f"campaign {campaign_id} is already tracked as {owner} ({ws.campaigns / (owner + '.toml')}); "
                f"rename it with `git mv` and `wpsync state mv {owner} NEW`, or `wpsync forget {owner}` first"
            )
        if ws.state.read(chosen) is not None and not finishing:
            raise InputError(
                f"{chosen} is already in the state; choose another --key, or `wpsync forget {chosen}` first"
            )
        if path.exists() and not force:
            raise InputError(f"{path} exists; choose another --key, or pass --force to overwrite it")
        document = document_from_payload(payload)
        from wpsync.files.models import Settings

        dropped = sorted(set(document["settings"]) - set(Settings.model_fields))
        for name in dropped:
            # Live answers carry settings the spec does not list; a campaign file states what wpsync
            # sends, and wpsync never sends these, so they stay as Woodpecker has them (untouched).
            del document["settings"][name]
        if dropped:
            echo(
                f"warning: campaign {campaign_id}: left out settings wpsync does not manage "
                f"({', '.join(dropped)}); Woodpecker keeps their values"
            )
        directive = schema_directive(ws.campaigns, root)
        header = f"# Imported from Woodpecker campaign {campaign_id}."
        text = dumps(document, header=f"{directive}\n{header}" if directive else header)
        loaded = parse_source(Source(chosen, path, text.encode()))
        if loaded.campaign is None:
            problems = "; ".join(p.render() for p in loaded.errors)
            raise InputError(
                f"campaign {campaign_id} cannot be expressed as a valid campaign file: {problems}"
            )
        head = canonical_head(loaded.campaign)
        lineage = ws.state.lineage(create=True) or ""
        record, applied = created(chosen, lineage, payload, head, content_hash(head), loaded.source.digest)
        remote = remote_from(payload, lambda: client.campaign_item(campaign_id))
        record = replace(record, last_step_processed=remote.last_step_processed or 0)
        # The record first, durably, then the file: a crash between leaves a record whose file is
        # missing (the plan notes it; importing again finishes) — never a file without a record, which
        # the next apply would create a second time.
        ws.state.write(record, applied)
        ws.state.make_durable(chosen)
        failpoints.hit("import.after_record")
        atomic_write_files([(path, text.encode())])
    echo(
        f"Imported campaign {campaign_id} as {path} ({len(applied.steps)} steps); `wpsync plan` now shows it unchanged."
    )
    if directive is None:
        echo(
            f"No {root / SCHEMA_FILE}, so the file has no #:schema line for editors: "
            f"`wpsync schema > {SCHEMA_FILE}` (or `wpsync init`) writes it; later imports then point at it."
        )
    return 0
