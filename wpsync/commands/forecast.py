"""The shell around ``wpsync.plan.forecasting``: read what the forecast needs, and no more.

- The prospect count (``GET /v1/prospects?campaigns_id=ID&per_page=1``) only for live campaigns the
  plan changes: a no-change plan, or a plan that only creates campaigns, makes no such call. The same
  reads time the account's requests, for how long a campaign made editable sends nothing.
- The other campaigns' sending loads only when a change moves some mailbox's projected volume (a create,
  a new daily_enroll or mailbox, an EMAIL step appended or deleted); a plan of copy edits reads none.
- "Now" is the caller's clock, or ``WPSYNC_NOW`` (reproducible plans, tests, docs).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from wpsync.commands.gather import Inputs
from wpsync.plan.desired import Desired
from wpsync.plan.facts import Facts
from wpsync.plan.forecasting import ForecastInputs, forecast, volume_moves
from wpsync.plan.plan import CreateCampaign, DeleteCampaign, Plan
from wpsync.plan.volume import Load, load_of
from wpsync.state.backend import StateStore

if TYPE_CHECKING:
    from wpsync.woodpecker.client import WoodpeckerClient


def with_forecast(
    plan: Plan,
    inputs: Inputs,
    facts: Facts,
    state: StateStore,
    client: WoodpeckerClient | None,
    *,
    now: datetime,
    limit: int,
    reads: bool = True,
) -> Plan:
    """The plan with its forecasts. ``reads`` False: only what needs no read (apply's own plan)."""
    desired = {f.key: f for f in inputs.files if isinstance(f, Desired)}
    counts, seconds = _prospects(client, _live_changed(plan, inputs, facts))
    values = ForecastInputs(
        now=now,
        desired=desired,
        records=inputs.records,
        applied=inputs.applied,
        facts=facts,
        prospects=counts,
        request_seconds=seconds,
        limit=limit,
    )
    if reads and volume_moves(plan, values):
        values = replace(values, others=_other_loads(plan, inputs, desired, state))
    forecasts, mailboxes = forecast(plan, values)
    return replace(plan, forecasts=forecasts, mailboxes=mailboxes)


def _live_changed(plan: Plan, inputs: Inputs, facts: Facts) -> dict[str, int]:
    """Campaign ids of the recorded, non-DRAFT campaigns the plan makes calls to."""
    found: dict[str, int] = {}
    for action in plan.actions:
        if isinstance(action, CreateCampaign | DeleteCampaign) or action.key in found:
            continue
        record, remote = inputs.records.get(action.key), facts.campaigns.get(action.key)
        status = remote.status if remote else record.status if record else "DRAFT"
        if record is not None and status != "DRAFT":
            found[action.key] = record.campaign_id
    return found


def _prospects(
    client: WoodpeckerClient | None, ids: Mapping[str, int]
) -> tuple[dict[str, int | None], float | None]:
    """Each campaign's prospect count (None: Woodpecker would not say), and the mean request time."""
    if client is None or not ids:
        return {}, None
    from wpsync.woodpecker.client import WoodpeckerApiError

    counts: dict[str, int | None] = {}
    began = time.monotonic()
    for key, campaign_id in sorted(ids.items()):
        try:
            counts[key] = client.prospect_count(campaign_id)
        except WoodpeckerApiError as exc:
            if exc.status in (401, 403):
                raise  # the key itself is refused: that is no "unknown"
            counts[key] = None  # a read the forecast can do without: say "unknown"
    return counts, (time.monotonic() - began) / len(ids)


def _other_loads(
    plan: Plan, inputs: Inputs, desired: Mapping[str, Desired], state: StateStore
) -> dict[str, Load]:
    """The sending load of every campaign the plan leaves alone, recorded ones included whose file is
    gone (they still send). Parsed files give theirs; the rest come from the content last applied."""
    changed = {action.key for action in plan.actions}
    loads: dict[str, Load] = {}
    for key, record in sorted(inputs.records.items()):
        if key in changed:
            continue
        types: Sequence[str] = [s.type for s in record.content_steps]
        if key in desired:
            loads[key] = load_of(key, desired[key].head, desired[key].step_types)
            continue
        applied = inputs.applied.get(key) or state.read_applied(key)
        if applied is not None:
            loads[key] = load_of(key, applied.head, types)
    return loads
