"""What a plan forecasts for each campaign it creates or changes: when, who and how much. Frozen values.

    Timeline     when a prospect enrolled now receives each step (``wpsync.plan.timeline``)
    People       the prospects an edited, deleted or appended step of a live campaign touches, and
                 how long a campaign made editable sends nothing
    Volume       projected emails per day per mailbox at steady state (``wpsync.plan.volume``)
    MailboxLoad  one mailbox's projected daily sends over every campaign sharing it, before → after

None of it changes what apply does; it is what a reviewer needs to judge a change. A count a read did
not give is None and is shown as "unknown", never guessed. The JSON form is in docs/plan-format.md.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True)
class StepWhen:
    step: int  # 1-based
    channel: str  # EMAIL or LINKEDIN
    day: int | None  # days after the start; None: never (its windows never open, or an earlier step's)
    weekday: str | None  # Mon … Sun, in the timeline's zone
    time: str | None  # HH:MM, in the timeline's zone
    waits: bool = False  # its delay ends outside its windows: it waits for the next opening
    working_day: int | None = None  # the day if delays count working days, where that differs


@dataclass(frozen=True)
class Timeline:
    zone: str  # the campaign's time zone
    per_prospect_zone: bool  # prospect_timezone: the times are each prospect's own local time
    start: str  # the start, local ISO 8601 with its offset
    steps: tuple[StepWhen, ...]
    length_days: int | None  # start to the last step; None: some step never goes out
    working_days: bool | None  # count_followup_delay_in_working_days: None when not known
    first: int = 1  # the step the timeline starts from (> 1: prospects now waiting at that step)


@dataclass(frozen=True)
class StepPeople:
    step: int
    change: str  # edit, windows, delete or append
    sent: int | None  # prospects the step was already sent to (emailSend): they got the old copy
    queued: int | None  # waiting for the step (toSend): they get the new one
    opened: int | None = None  # the step's results so far, all versions together
    replied: int | None = None


@dataclass(frozen=True)
class People:
    prospects: int | None  # in the campaign (X-Total-Count of GET /v1/prospects)
    steps: tuple[StepPeople, ...] = ()
    paused_calls: int = 0  # made editable: the calls made while it sends nothing (0: not paused)
    paused_seconds: float | None = None  # roughly paused_calls × the account's request time


@dataclass(frozen=True)
class Volume:
    per_mailbox: int  # emails a day each of its mailboxes sends at most, at steady state
    mailboxes: tuple[int, ...]
    daily_enroll: int
    email_steps: int


@dataclass(frozen=True)
class MailboxLoad:
    mailbox: int
    before: int  # emails a day, over every campaign of the repository sending from it
    after: int
    limit: int  # [lint] max_daily_sends_per_mailbox; 0: no limit (the lint is off)
    campaigns: tuple[str, ...]  # the keys sending from it after the plan

    @property
    def pushed_over(self) -> bool:
        return self.limit > 0 and self.before <= self.limit < self.after

    @property
    def over(self) -> bool:
        return 0 < self.limit < self.after


@dataclass(frozen=True)
class Forecast:
    key: str
    timeline: Timeline | None = None
    appended: Timeline | None = None  # an append: from the current last step, for those waiting at it
    people: People | None = None
    volume: Volume | None = None


def forecast_json(forecast: Forecast) -> JSON:
    return asdict(forecast)


def forecast_from_json(data: JSON) -> Forecast:
    def timeline(raw: Any) -> Timeline | None:
        if raw is None:
            return None
        return Timeline(**{**raw, "steps": tuple(StepWhen(**s) for s in raw["steps"])})

    people = data.get("people")
    volume = data.get("volume")
    return Forecast(
        key=data["key"],
        timeline=timeline(data.get("timeline")),
        appended=timeline(data.get("appended")),
        people=None
        if people is None
        else People(**{**people, "steps": tuple(StepPeople(**s) for s in people["steps"])}),
        volume=None if volume is None else Volume(**{**volume, "mailboxes": tuple(volume["mailboxes"])}),
    )


def load_from_json(data: JSON) -> MailboxLoad:
    values = {k: v for k, v in data.items() if k not in ("over", "pushed_over")}  # derived
    return MailboxLoad(**{**values, "campaigns": tuple(values["campaigns"])})


def load_json(load: MailboxLoad) -> JSON:
    return asdict(load) | {"over": load.over, "pushed_over": load.pushed_over}
