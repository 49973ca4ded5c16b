"""forecast(): the plan's forecast for each campaign it creates or changes. Pure, like make_plan.

Everything comes in as values: the plan, the parsed files, the state, what the refresh read, the
prospect counts read after planning (for live campaigns the plan changes only), the account's request
time, the other campaigns' sending loads (read only when a change moves some mailbox's volume), the
volume limit and "now". The shell (commands/forecast.py) gathers them; nothing here reads or waits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from wpsync.plan.actions import (
    Action,
    AppendStep,
    CreateCampaign,
    DeleteCampaign,
    DeleteStep,
    MakeEditable,
    RestoreStatus,
    SetStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.plan.desired import Desired
from wpsync.plan.facts import Facts, StepResults
from wpsync.plan.forecast import Forecast, MailboxLoad, People, StepPeople, StepWhen, Timeline
from wpsync.plan.plan import Plan
from wpsync.plan.timeline import Send, StepTiming, length_days, sends, timing_of
from wpsync.plan.volume import Load, load_of, mailbox_loads, volume
from wpsync.state.records import Applied, CampaignRecord

JSON = dict[str, Any]
DEFAULT_DAILY_ENROLL = 50  # what Woodpecker applies when a create body leaves it out [doc: GET example]
WORKING_DAYS = "count_followup_delay_in_working_days"


@dataclass(frozen=True)
class ForecastInputs:
    now: datetime  # aware: the start of every timeline
    desired: Mapping[str, Desired] = field(default_factory=dict)  # the changed files, by key
    records: Mapping[str, CampaignRecord] = field(default_factory=dict)
    applied: Mapping[str, Applied] = field(default_factory=dict)
    facts: Facts = field(default_factory=Facts)
    prospects: Mapping[str, int | None] = field(default_factory=dict)  # GET /v1/prospects totals
    request_seconds: float | None = None  # the account's time per request, as measured by the reads
    others: Mapping[str, Load] | None = None  # loads of the campaigns the plan leaves alone
    limit: int = 200  # [lint] max_daily_sends_per_mailbox


def forecast(plan: Plan, inputs: ForecastInputs) -> tuple[tuple[Forecast, ...], tuple[MailboxLoad, ...]]:
    by_key: dict[str, list[Action]] = {}
    for action in plan.actions:
        if not isinstance(action, DeleteCampaign):  # `wpsync destroy`: nothing is left to forecast
            by_key.setdefault(action.key, []).append(action)
    found = tuple(_campaign(key, actions, inputs) for key, actions in sorted(by_key.items()))
    loads: tuple[MailboxLoad, ...] = ()
    if inputs.others is not None:
        before = [*inputs.others.values(), *_loads_before(by_key, inputs)]
        after = [*inputs.others.values(), *(_load(f) for f in found if f.volume is not None)]
        loads = mailbox_loads(before, after, inputs.limit)
    return found, loads


def volume_moves(plan: Plan, inputs: ForecastInputs) -> bool:
    """Whether any change moves a mailbox's projected volume: only then are the other campaigns'
    loads worth reading (a plan of copy edits reads none)."""
    by_key: dict[str, list[Action]] = {}
    for action in plan.actions:
        by_key.setdefault(action.key, []).append(action)
    before = {load.key: load for load in _loads_before(by_key, inputs)}
    for key, actions in by_key.items():
        if any(isinstance(a, CreateCampaign) and a.head.get("email_account_ids") for a in actions):
            return True  # a new campaign with mailboxes: it adds to them (its body is not parsed here)
        if key in before and key in inputs.desired:
            desired = inputs.desired[key]
            if load_of(key, desired.head, desired.step_types) != before[key]:
                return True
    return False


def _load(found: Forecast) -> Load:
    assert found.volume is not None
    return Load(found.key, found.volume.mailboxes, found.volume.per_mailbox)


# ---- one campaign ------------------------------------------------------------------------------------


def _campaign(key: str, actions: list[Action], inputs: ForecastInputs) -> Forecast:
    create = next((a for a in actions if isinstance(a, CreateCampaign)), None)
    if create is not None:
        body = create.body  # parsed once: a plan creating thousands of campaigns forecasts each
        settings = body.get("settings") or {}
        steps, mailboxes = _chain(body), body.get("email_account_ids") or []
        enroll = settings.get("daily_enroll", DEFAULT_DAILY_ENROLL)
        return Forecast(
            key,
            timeline=_timeline(steps, settings, inputs.now),
            volume=volume(enroll, [str(s.get("type")) for s in steps], mailboxes),
        )
    desired = inputs.desired.get(key)
    if desired is None or not desired.steps:
        return Forecast(key)
    settings = dict(desired.head["settings"])
    remote = inputs.facts.campaigns.get(key)
    if WORKING_DAYS not in settings and remote is not None and remote.working_days is not None:
        settings[WORKING_DAYS] = remote.working_days  # the file is silent; Woodpecker said
    appends = [a for a in actions if isinstance(a, AppendStep)]
    first = appends[0].parent_position if appends else 0
    return Forecast(
        key,
        timeline=_timeline(desired.steps, settings, inputs.now),
        appended=_timeline(desired.steps, settings, inputs.now, first=first) if first else None,
        people=_people(key, actions, inputs),
        volume=volume(settings["daily_enroll"], desired.step_types, desired.head["email_account_ids"]),
    )


def _timeline(steps: Sequence[JSON], settings: JSON, now: datetime, *, first: int = 0) -> Timeline | None:
    """``first`` > 0: from 1-based step ``first``, for the prospects waiting at it now."""
    try:
        zone = ZoneInfo(str(settings.get("timezone")))
    except (ZoneInfoNotFoundError, ValueError):
        return None  # validation admits canonical zones only; a saved plan's odd one shows no timeline
    timings: list[StepTiming] = [timing_of(step) for step in steps]
    working = settings.get(WORKING_DAYS)
    working = working if isinstance(working, bool) else None
    start = max(first - 1, 0)
    found = sends(timings, zone, now, working_days=bool(working), first=start)
    other = found
    if working is None and _weekend_in_a_day_delay(found, timings):
        other = sends(timings, zone, now, working_days=True, first=start)
    rows = tuple(
        StepWhen(
            s.position,
            s.channel,
            s.day,
            s.weekday,
            s.time,
            s.waited,
            working_day=o.day if o.day != s.day else None,
        )
        for s, o in zip(found, other, strict=True)
    )
    return Timeline(
        zone=zone.key,
        per_prospect_zone=settings.get("prospect_timezone") is True,
        start=now.astimezone(zone).isoformat(timespec="minutes"),
        steps=rows,
        length_days=length_days(found),
        working_days=working,
        first=start + 1,
    )


def _weekend_in_a_day_delay(found: Sequence[Send], timings: Sequence[StepTiming]) -> bool:
    """Whether counting working days could move any step: only a DAY delay over a Saturday or Sunday
    counts differently (the second timeline is computed only then: a fleet's plan forecasts thousands)."""
    for before in found[:-1]:
        if before.at is None:
            return False
        unit, value = timings[before.position - 1].delay
        if unit == "DAY" and (
            value >= 5 or any((before.at.weekday() + d) % 7 >= 5 for d in range(1, value + 1))
        ):
            return True
    return False


def _people(key: str, actions: list[Action], inputs: ForecastInputs) -> People | None:
    """Only for a live campaign: a DRAFT one has sent nothing to anybody."""
    record = inputs.records.get(key)
    remote = inputs.facts.campaigns.get(key)
    status = remote.status if remote else record.status if record else "DRAFT"
    if status == "DRAFT":
        return None
    results = remote.results if remote else ()
    changed: dict[int, str] = {}
    for action in actions:
        match action:
            case UpdateVersion():
                changed[action.position] = "edit"
            case UpdateWindows():
                changed.setdefault(action.position, "windows")
            case DeleteStep():
                changed[action.position] = "delete"
            case AppendStep():
                changed[action.position] = "append"
            case (
                CreateCampaign()
                | MakeEditable()
                | UpdateCampaign()
                | RestoreStatus()
                | SetStatus()
                | DeleteCampaign()
            ):
                pass
    rows = []
    for position, change in sorted(changed.items()):
        got = results[position - 1] if position - 1 < len(results) else None
        got = got or StepResults(None, None)
        if change == "append":
            got = StepResults(0, None)  # a new step: nobody has had it yet
        rows.append(StepPeople(position, change, got.sent, got.queued, got.opened, got.replied))
    calls, seconds = _paused(actions, inputs.request_seconds)
    prospects = inputs.prospects.get(key, remote.prospects if remote else None)
    return People(prospects, tuple(rows), calls, seconds)


def _paused(actions: list[Action], request_seconds: float | None) -> tuple[int, float | None]:
    """The calls from make_editable to the status restored (both included): sending stops for them."""
    first = next((i for i, a in enumerate(actions) if isinstance(a, MakeEditable)), None)
    if first is None:
        return 0, None
    calls = len(actions) - first
    return calls, None if request_seconds is None else round(calls * request_seconds, 1)


# ---- volume ------------------------------------------------------------------------------------------


def _loads_before(by_key: Mapping[str, list[Action]], inputs: ForecastInputs) -> list[Load]:
    found = []
    for key in by_key:
        record, applied = inputs.records.get(key), inputs.applied.get(key)
        if record is not None and applied is not None:
            found.append(load_of(key, applied.head, [s.type for s in record.content_steps]))
    return found


def _chain(body: JSON) -> list[JSON]:
    """A create body's steps in order, START left out (CreateCampaign.steps without a second parse)."""
    found: list[JSON] = []
    node = (body.get("steps") or {}).get("followup")
    while isinstance(node, dict):
        found.append(node)
        node = node.get("followup")
    return found
