"""The plan's forecast on plain values: a plan, files, state and facts in; timelines, people, volume out."""

from __future__ import annotations

import json
from datetime import datetime

from wpsync.plan.actions import (
    AppendStep,
    CreateCampaign,
    DeleteStep,
    MakeEditable,
    RestoreStatus,
    UpdateVersion,
    pack,
)
from wpsync.plan.desired import Desired
from wpsync.plan.facts import Facts, RemoteCampaign, StepResults
from wpsync.plan.forecasting import ForecastInputs, forecast, volume_moves
from wpsync.plan.plan import Binding, Plan
from wpsync.plan.volume import Load
from wpsync.state.records import Applied, CampaignRecord, StepRecord

NOW = datetime.fromisoformat("2026-12-07T08:00:00+00:00")  # Monday 09:00 in Warsaw
OFFICE = {
    day: [{"from": "09:00", "to": "17:00"}]
    for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY")
}
BINDING = Binding(lineage="l", serials={}, digests={}, tool_version="0")


def step(kind: str = "EMAIL", days: int = 2) -> dict[str, object]:
    found: dict[str, object] = {"type": kind, "followup_after": {"range": "DAY", "value": days}}
    if kind == "EMAIL":
        found["delivery_time"] = OFFICE
    return found


def head(enroll: int, mailboxes: list[int]) -> dict[str, object]:
    return {
        "name": "x",
        "email_account_ids": mailboxes,
        "settings": {"timezone": "Europe/Warsaw", "daily_enroll": enroll},
    }


def desired(key: str, steps: list[dict[str, object]], enroll: int, mailboxes: list[int]) -> Desired:
    types = tuple(str(s["type"]) for s in steps)
    return Desired(
        key,
        f"campaigns/{key}.toml",
        "d",
        head(enroll, mailboxes),
        "h",
        ("x",) * len(steps),
        types,
        (),
        steps=tuple(steps),
    )


def record(key: str, campaign_id: int, types: list[str], status: str = "RUNNING") -> CampaignRecord:
    steps = (StepRecord("s0", "START"), *(StepRecord(f"s{i}", t, "x") for i, t in enumerate(types, 1)))
    return CampaignRecord(key, "l", 1, campaign_id, status, "h", steps)


def create(key: str, enroll: int, mailboxes: list[int]) -> CreateCampaign:
    chain = {
        "type": "EMAIL",
        "delivery_time": OFFICE,
        "body": {"versions": []},
        "followup_after": {"range": "HOUR", "value": 3},
    }
    chain["followup"] = {"type": "EMAIL", "delivery_time": OFFICE, "body": {"versions": []}}
    body = {
        "email_account_ids": mailboxes,
        "settings": {"timezone": "Europe/Warsaw", "daily_enroll": enroll},
        "steps": {"type": "START", "followup": chain},
    }
    return CreateCampaign(
        key, f"campaigns/{key}.toml", pack(json.dumps(body)), head(enroll, mailboxes), "h", ("a", "b")
    )


def test_a_created_campaign_gets_its_timeline_and_volume_and_no_people() -> None:
    plan = Plan((create("new", 30, [7]),), (), (), BINDING)
    (found,), _ = forecast(plan, ForecastInputs(now=NOW))
    assert found.timeline is not None and found.people is None
    assert [(s.day, s.weekday, s.time) for s in found.timeline.steps] == [
        (0, "Mon", "09:00"),
        (0, "Mon", "12:00"),
    ]
    assert found.timeline.start == "2026-12-07T09:00+01:00"
    assert found.volume is not None and found.volume.per_mailbox == 60


def test_a_live_campaign_edit_says_who_it_touches_and_how_long_sending_pauses() -> None:
    steps = [step(), step(), step()]
    plan = Plan(
        (
            MakeEditable("live", "f", 11, "RUNNING", 184),
            UpdateVersion("live", "f", 11, 1, 0, {"subject": "New"}, "h", ()),
            DeleteStep("live", "f", 11, 3),
            RestoreStatus("live", "f", 11),
        ),
        (),
        (),
        BINDING,
    )
    remote = RemoteCampaign(
        "RUNNING", (), (), 0, results=(StepResults(137, 42, 61, 9), None, StepResults(0, 0, 0, 0))
    )
    inputs = ForecastInputs(
        now=NOW,
        desired={"live": desired("live", steps, 25, [7])},
        records={"live": record("live", 11, ["EMAIL"] * 3)},
        facts=Facts(campaigns={"live": remote}),
        prospects={"live": 184},
        request_seconds=0.4,
    )
    (found,), _ = forecast(plan, inputs)
    people = found.people
    assert people is not None and people.prospects == 184
    assert [(p.step, p.change, p.sent, p.queued, p.opened, p.replied) for p in people.steps] == [
        (1, "edit", 137, 42, 61, 9),
        (3, "delete", 0, 0, 0, 0),
    ]
    assert (people.paused_calls, people.paused_seconds) == (4, 1.6)


def test_counts_no_read_gave_are_unknown_not_zero() -> None:
    plan = Plan((UpdateVersion("live", "f", 11, 2, 0, {"message": "x"}, "h", ()),), (), (), BINDING)
    inputs = ForecastInputs(
        now=NOW,
        desired={"live": desired("live", [step(), step("LINKEDIN")], 25, [7])},
        records={"live": record("live", 11, ["EMAIL", "LINKEDIN"], status="PAUSED")},
    )
    (found,), _ = forecast(plan, inputs)
    assert found.people is not None
    assert found.people.prospects is None
    assert [(p.sent, p.queued) for p in found.people.steps] == [(None, None)]
    assert (found.people.paused_calls, found.people.paused_seconds) == (0, None)


def test_an_append_shows_when_those_waiting_at_the_last_step_get_the_new_one() -> None:
    steps = [step(days=1), step(days=3), step()]
    plan = Plan((AppendStep("grow", "f", 12, 3, 2, steps[2], "h"),), (), (), BINDING)
    inputs = ForecastInputs(
        now=NOW,
        desired={"grow": desired("grow", steps, 10, [7])},
        records={"grow": record("grow", 12, ["EMAIL", "EMAIL"], status="DRAFT")},
    )
    (found,), _ = forecast(plan, inputs)
    assert found.people is None  # DRAFT: nobody was sent anything
    assert found.appended is not None and found.appended.first == 2
    assert [(s.step, s.day, s.weekday) for s in found.appended.steps] == [(2, 0, "Mon"), (3, 3, "Thu")]


def test_working_days_are_said_where_they_change_the_answer() -> None:
    friday = datetime.fromisoformat("2026-12-11T08:00:00+00:00")

    def plan_with(windows: dict[str, object]) -> Plan:
        body = json.loads(create("new", 30, [7]).body_json)
        first = body["steps"]["followup"]
        first["followup_after"] = {"range": "DAY", "value": 1}
        first["delivery_time"] = first["followup"]["delivery_time"] = windows
        return Plan((CreateCampaign("new", "f", pack(json.dumps(body)), {}, "h", ()),), (), (), BINDING)

    # Office hours: Saturday has no window, so Monday either way; nothing to say.
    (found,), _ = forecast(plan_with(OFFICE), ForecastInputs(now=friday))
    assert found.timeline is not None and found.timeline.working_days is None  # not known: both computed
    assert [(s.day, s.working_day) for s in found.timeline.steps] == [(0, None), (3, None)]
    # Saturday open too: a calendar day lands on it, a working day on Monday.
    every_day = {day: [{"from": "00:00", "to": "00:00"}] for day in [*OFFICE, "SATURDAY"]}
    (found,), _ = forecast(plan_with(every_day), ForecastInputs(now=friday))
    assert found.timeline is not None
    assert [(s.day, s.weekday, s.working_day) for s in found.timeline.steps] == [
        (0, "Fri", None),
        (1, "Sat", 3),
    ]


def test_mailbox_loads_over_every_campaign_only_when_the_others_were_read() -> None:
    plan = Plan((create("new", 60, [7]),), (), (), BINDING)
    inputs = ForecastInputs(now=NOW, limit=200)
    assert volume_moves(plan, inputs)
    _, loads = forecast(plan, inputs)
    assert loads == ()  # the other campaigns' loads were not read: no claim about the mailbox
    _, loads = forecast(plan, ForecastInputs(now=NOW, limit=200, others={"old": Load("old", (7,), 100)}))
    assert [(m.mailbox, m.before, m.after, m.pushed_over, m.campaigns) for m in loads] == [
        (7, 100, 220, True, ("new", "old"))
    ]
    assert (
        "Pushes mailbox 7 (220/day) over the 200 emails/day limit"
        in Plan(plan.actions, (), (), BINDING, mailboxes=loads).summary()
    )


def test_copy_edits_move_no_volume() -> None:
    steps = [step(), step()]
    plan = Plan((UpdateVersion("live", "f", 11, 1, 0, {"subject": "x"}, "h", ()),), (), (), BINDING)
    inputs = ForecastInputs(
        now=NOW,
        desired={"live": desired("live", steps, 25, [7])},
        records={"live": record("live", 11, ["EMAIL", "EMAIL"])},
        applied={"live": Applied(head(25, [7]), tuple(steps))},
    )
    assert not volume_moves(plan, inputs)
    more = ForecastInputs(**{**inputs.__dict__, "desired": {"live": desired("live", steps, 50, [7])}})
    assert volume_moves(plan, more)


def test_a_saved_plan_keeps_its_forecast() -> None:
    from wpsync.plan.codec import from_json, to_json

    plan = Plan((create("new", 60, [7]),), (), (), BINDING)
    forecasts, loads = forecast(plan, ForecastInputs(now=NOW, others={"old": Load("old", (7,), 150)}))
    plan = Plan(plan.actions, (), (), BINDING, forecasts=forecasts, mailboxes=loads)
    again = from_json(json.loads(json.dumps(to_json(plan))))
    assert again.forecasts == plan.forecasts and again.mailboxes == plan.mailboxes
    assert again.forecast("new") == forecasts[0] and again.forecast("other") is None
    assert to_json(again)["mailboxes"][0]["pushed_over"] is True
