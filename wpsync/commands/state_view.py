"""`wpsync state list` and `wpsync state show KEY`: what the recorded state says, without Woodpecker.

"Applied" is the record's ``refreshed_at``: the last time apply or import read Woodpecker for that
campaign and wrote its record (a plan never writes the state).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Callable
from typing import Any

from wpsync.errors import EXIT_OK, InputError
from wpsync.state.backend import StateStore, describe_location
from wpsync.state.records import CampaignRecord

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


def state_list(state: StateStore, *, output_format: str, echo: Callable[[str], None]) -> int:
    recorded = state.keys()
    records = [record for key in recorded if (record := state.read(key)) is not None]
    if output_format == "json":
        payload = {"format_version": STATE_VIEW_FORMAT, "campaigns": [summary_json(r) for r in records]}
        echo(json.dumps(payload, indent=2))
        return EXIT_OK
    if not records:
        echo(f"No campaigns recorded in {describe_location(state)}.")
        return EXIT_OK
    rows = [("KEY", "CAMPAIGN", "STATUS", "STEPS", "APPLIED")] + [
        (r.key, str(r.campaign_id), r.status, str(len(r.content_steps)), r.refreshed_at or "-")
        for r in records
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    return EXIT_OK


def state_show(state: StateStore, key: str, *, output_format: str, echo: Callable[[str], None]) -> int:
    record = state.read(key)
    if record is None:
        close = difflib.get_close_matches(key, state.keys(), n=1)
        hint = f'; did you mean "{close[0]}"?' if close else "; `wpsync state list` shows the recorded keys"
        raise InputError(f"{key} is not in the state ({describe_location(state)}){hint}")
    detail = detail_json(record)
    if output_format == "json":
        echo(json.dumps({"format_version": STATE_VIEW_FORMAT, **detail}, indent=2))
        return EXIT_OK
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
    return EXIT_OK


def move_record(state: StateStore, old: str, new: str, *, echo: Callable[[str], None]) -> int:
    """The record (and applied content) of ``old`` now answers to ``new``; Woodpecker is not touched."""
    from wpsync.files.sources import key_problem
    from wpsync.state.backend import lock_state

    for key in (old, new):
        problem = key_problem(key)
        if problem is not None:
            raise InputError(f'"{key}" is not a campaign key: {problem}')
    with lock_state(state, f"wpsync state mv {old} {new}", notice=echo):
        if state.intents():
            raise InputError(
                "an earlier apply was interrupted; run `wpsync apply` (it settles first), then move"
            )
        record = state.read(old)
        if record is None:
            raise InputError(f"{old} is not in the state; `wpsync state list` shows the keys")
        state.move(old, new)
    echo(
        f"Moved {old} → {new} (campaign {record.campaign_id}); the next plan compares campaigns/{new}.toml with it."
    )
    return 0
