"""When a prospect enrolled at a given instant receives each step: from the delays and delivery windows.

Pure: the steps' windows and delays, a time zone and an instant in; the instants each step goes out
out. The clock is the caller's (``wpsync plan`` passes "now"), so the same inputs always give the same
timeline. What Woodpecker does is not documented beyond "the time delay before processing a prospect
in the next step; if delivery_time allows it" (create-campaign page), so these are assumptions, kept
here and in docs/plan-format.md:

- START has no delay: the first step goes out at the first moment its windows allow after enrolment;
- a step's ``followup_after`` is the wait after it before the next step; the next step then goes out at
  the first moment *its* windows allow (a delay that ends outside them waits for the next opening);
- ``DAY`` counts calendar days in the campaign's zone (over a DST change a 3-day delay keeps the time
  of day); ``HOUR`` and ``MINUTE`` are elapsed time;
- ``count_followup_delay_in_working_days`` (a live setting, meaning assumed from its name): ``DAY``
  delays count Monday–Friday only; ``HOUR`` and ``MINUTE`` are unchanged;
- a LINKEDIN step has no delivery windows: it is due as soon as its delay has passed;
- with ``prospect_timezone`` the windows are each prospect's own local time: the timeline is that of a
  prospect in the campaign's zone, and says so.

A step whose windows never open (no window on any day) never goes out, and neither does any step after
it: the search looks at most one week ahead, so it cannot loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

Span = tuple[int, int]  # minutes after local midnight, from and to (1440: the end of the day)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_UNIT = {"HOUR": timedelta(hours=1), "MINUTE": timedelta(minutes=1)}


@dataclass(frozen=True)
class StepTiming:
    """What decides when one step goes out."""

    channel: str  # EMAIL or LINKEDIN
    windows: tuple[tuple[Span, ...], ...] | None  # per weekday, Monday first; None: any time (LINKEDIN)
    delay: tuple[str, int] = ("DAY", 1)  # followup_after: the wait after this step before the next


@dataclass(frozen=True)
class Send:
    """When one step goes out, for the prospect of the timeline; ``at`` None: never."""

    position: int  # 1-based step number
    channel: str
    at: datetime | None  # local, in the timeline's zone
    day: int | None  # calendar days after the start (0: the same day)
    waited: bool = False  # the delay ended outside the windows: it waited for the next opening

    @property
    def weekday(self) -> str | None:
        return WEEKDAYS[self.at.weekday()] if self.at else None

    @property
    def time(self) -> str | None:
        return f"{self.at.hour:02d}:{self.at.minute:02d}" if self.at else None


def sends(
    steps: Sequence[StepTiming],
    zone: ZoneInfo,
    start: datetime,
    *,
    working_days: bool = False,
    first: int = 0,
) -> tuple[Send, ...]:
    """When steps ``first`` … last go out for a prospect that reaches step ``first`` at ``start``
    (an aware instant): ``first`` 0 is a prospect enrolled at ``start``."""
    began = start.astimezone(zone).date()
    due: datetime | None = start.astimezone(UTC)
    out: list[Send] = []
    for index in range(first, len(steps)):
        step = steps[index]
        if index > first and due is not None:
            due = _after(due, steps[index - 1].delay, zone, working_days)
        at = None if due is None else _opening(due, step.windows, zone)
        waited = at is not None and due is not None and at > due and index > first
        local = at.astimezone(zone) if at else None
        out.append(
            Send(index + 1, step.channel, local, (local.date() - began).days if local else None, waited)
        )
        due = at
    return tuple(out)


def length_days(found: Sequence[Send]) -> int | None:
    """Days from the start to the last step (None: some step never goes out)."""
    return found[-1].day if found and all(s.at for s in found) else None


def _after(instant: datetime, delay: tuple[str, int], zone: ZoneInfo, working_days: bool) -> datetime:
    unit, value = delay
    if unit != "DAY":
        return instant + _UNIT.get(unit, _UNIT["MINUTE"]) * value
    local = instant.astimezone(zone)
    if working_days:
        weeks, rest = divmod(value, 5)
        local += timedelta(weeks=weeks)
        while rest:
            local += timedelta(days=1)
            rest -= local.weekday() < 5
        # Whole weeks from a weekend day may still end on one: move on to the Monday.
        while local.weekday() >= 5:
            local += timedelta(days=1)
    else:
        local += timedelta(days=value)  # aware arithmetic is wall-clock: the time of day is kept
    return local.astimezone(UTC)


def _opening(due: datetime, windows: tuple[tuple[Span, ...], ...] | None, zone: ZoneInfo) -> datetime | None:
    """The first instant at or after ``due`` (UTC) inside a window; None if no day has one. Windows
    are compared by the local clock, as a schedule is written; one conversion per answer."""
    if windows is None:
        return due
    if not any(windows):
        return None
    local = due.astimezone(zone)
    now = local.hour * 60 + local.minute + (1 if local.second or local.microsecond else 0)
    today = local.date()
    for offset in range(8):  # a week ahead, and the start day again: every window was seen
        day = today + timedelta(days=offset)
        for begin, end in windows[day.weekday()]:  # sorted by timing_of
            if offset == 0 and end <= now:
                continue
            if offset == 0 and begin <= now:
                return due  # inside the window already
            return _local(day, begin, zone)
    return None


def _local(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """``minutes`` after local midnight of ``day``, as UTC (a wall time in a DST gap moves forward)."""
    wall = datetime(day.year, day.month, day.day, tzinfo=zone) + timedelta(minutes=minutes)
    return wall.astimezone(UTC)


def timing_of(step: dict[str, object]) -> StepTiming:
    """A step's timing from its JSON: canonical content or a create/add-step body (``followup_after``
    left out means the documented default, 1 DAY; ``"to": "00:00"`` or ``"24:00"`` from ``"00:00"`` is a
    whole day)."""
    channel = str(step.get("type"))
    after = step.get("followup_after")
    delay = ("DAY", 1)
    if isinstance(after, dict):
        delay = (str(after.get("range", "DAY")), int(after.get("value", 1)))
    delivery = step.get("delivery_time")
    if channel != "EMAIL" or not isinstance(delivery, dict):
        return StepTiming(channel, None, delay)
    days = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
    return StepTiming(channel, tuple(_spans(delivery.get(day)) for day in days), delay)


_CLOCK = {f"{h:02d}:{m:02d}": h * 60 + m for h in range(24) for m in range(60)} | {"24:00": 1440}


def _spans(windows: object) -> tuple[Span, ...]:
    if not isinstance(windows, list):
        return ()
    found = []
    for window in windows:
        if not isinstance(window, dict):
            continue
        begin, end = _CLOCK.get(window.get("from")), _CLOCK.get(window.get("to"))  # type: ignore[arg-type]
        if begin is not None and end is not None:
            found.append((begin, 1440 if end == 0 else end))  # "00:00" ends a day only
    return tuple(sorted(found))
