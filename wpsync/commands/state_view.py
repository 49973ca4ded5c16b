"""`wpsync state list` and `wpsync state show KEY`: what the recorded state says, without Woodpecker.

"Applied" is the record's ``refreshed_at``: the last time apply or import read Woodpecker for that
campaign and wrote its record (a plan never writes the state).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from wpsync.errors import EXIT_OK, InputError
from wpsync.state.backend import StateStore, describe_location
from wpsync.state.records import CampaignRecord

if TYPE_CHECKING:
    from wpsync.commands.resolve import Account
    from wpsync.commands.workspace import Workspace

STATE_VIEW_FORMAT = 1


def summary_json(record: CampaignRecord) -> dict[str, Any]:
    return {
        "key": record.key,
        "campaign_id": record.campaign_id,
        "status": record.status,
        "steps": len(record.content_steps),
        "applied_at": record.refreshed_at or None,
    }


def detail_json(record: CampaignRecord) -> dict[str, Any]:
    return {
        **summary_json(record),
        "serial": record.serial,
        "lineage": record.lineage,
        "tool_version": record.tool_version,
        "source_digest": record.source_digest or None,
        "last_step_processed": record.last_step_processed,
        "step_records": [
            {
                "position": number,
                "id": step.id,
                "type": step.type,
                "hash": step.hash,
                "versions": len(step.version_ids),
            }
            for number, step in enumerate(record.content_steps, start=1)
        ],
    }


def state_list(accounts: Sequence[Account], *, output_format: str, echo: Callable[[str], None]) -> int:
    """The records of each account; with named accounts, an ACCOUNT column (JSON: by account)."""
    found = [(account, _records(account.ws.state)) for account in accounts]
    named = any(account.name is not None for account in accounts)
    if output_format == "json":
        if not named:
            campaigns = [summary_json(r) for r in found[0][1]]
            echo(json.dumps({"format_version": STATE_VIEW_FORMAT, "campaigns": campaigns}, indent=2))
            return EXIT_OK
        by_account = {a.name: {"campaigns": [summary_json(r) for r in records]} for a, records in found}
        echo(json.dumps({"format_version": STATE_VIEW_FORMAT, "accounts": by_account}, indent=2))
        return EXIT_OK
    if not any(records for _, records in found):
        where = ", ".join(describe_location(account.ws.state) for account, _ in found)
        echo(f"No campaigns recorded in {where}.")
        return EXIT_OK
    head = ("ACCOUNT",) if named else ()
    rows = [(*head, "KEY", "CAMPAIGN", "STATUS", "STEPS", "APPLIED")] + [
        (
            *((account.name or "",) if named else ()),
            r.key,
            str(r.campaign_id),
            r.status,
            str(len(r.content_steps)),
            r.refreshed_at or "-",
        )
        for account, records in found
        for r in records
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


def _records(state: StateStore) -> list[CampaignRecord]:
    recorded = state.keys()
    return [record for key in recorded if (record := state.read(key)) is not None]


def _keys(account: Account) -> list[str]:
    return account.ws.state.keys()


def state_show(
    accounts: Sequence[Account], key: str, *, output_format: str, echo: Callable[[str], None]
) -> int:
    """KEY's record in each account that holds one (a key may be in several accounts)."""
    found = [(account, record) for account in accounts if (record := account.ws.state.read(key)) is not None]
    if not found:
        known = sorted({k for account in accounts for k in _keys(account)})
        close = difflib.get_close_matches(key, known, n=1)
        hint = f'; did you mean "{close[0]}"?' if close else "; `wpsync state list` shows the recorded keys"
        where = ", ".join(describe_location(account.ws.state) for account in accounts)
        raise InputError(f"{key} is not in the state ({where}){hint}")
    if output_format == "json":
        if accounts[0].name is None:
            echo(json.dumps({"format_version": STATE_VIEW_FORMAT, **detail_json(found[0][1])}, indent=2))
        else:
            by_account = {account.name: detail_json(record) for account, record in found}
            echo(json.dumps({"format_version": STATE_VIEW_FORMAT, "accounts": by_account}, indent=2))
        return EXIT_OK
    for number, (account, record) in enumerate(found):
        if account.name is not None:
            echo(("\n" if number else "") + f"in {account.name}:")
        _show(record, echo)
    return EXIT_OK


def _show(record: CampaignRecord, echo: Callable[[str], None]) -> None:
    detail = detail_json(record)
    echo(f"{record.key}: campaign {record.campaign_id}, {record.status}")
    echo(
        f"  applied:  {record.refreshed_at or '-'} (wpsync {record.tool_version or '?'}, serial {record.serial})"
    )
    echo(f"  file:     sha256 {record.source_digest or '- (an apply was not finished)'}")
    echo(f"  steps:    {len(record.content_steps)}")
    for step in detail["step_records"]:
        versions = (
            f", {step['versions']} version{'s' if step['versions'] != 1 else ''}" if step["versions"] else ""
        )
        echo(
            f"    {step['position']:>2}. {step['type']:<8} id {step['id']}{versions}  hash {step['hash'][:12]}"
        )


def move_record(ws: Workspace, old: str, new: str, *, echo: Callable[[str], None]) -> int:
    """The record (and applied content) of ``old`` now answers to ``new``; Woodpecker is not touched."""
    from wpsync.files.sources import key_problem
    from wpsync.state.backend import lock_state

    for key in (old, new):
        problem = key_problem(key)
        if problem is not None:
            raise InputError(f'"{key}" is not a campaign key: {problem}')
    state = ws.state
    with lock_state(state, f"wpsync state mv {old} {new}", timeout=ws.lock_timeout, notice=echo):
        if state.intents():
            raise InputError(
                "an earlier apply was interrupted; run `wpsync apply` (it settles first), then move"
            )
        record = state.read(old)
        if record is None:
            raise InputError(f"{old} is not in the state; `wpsync state list` shows the keys")
        state.move(old, new)
    echo(
        f"Moved {old} → {new} (campaign {record.campaign_id}); the next plan compares {ws.campaigns / (new + '.toml')} with it."
    )
    return 0
