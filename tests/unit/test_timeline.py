"""The timeline on plain values: windows, delays, zones and a start instant in; when each step goes out."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from wpsync.plan.timeline import StepTiming, length_days, sends, timing_of

WARSAW = ZoneInfo("Europe/Warsaw")
NEW_YORK = ZoneInfo("America/New_York")
ALL_DAY = (((0, 1440),),) * 7
OFFICE = (((9 * 60, 17 * 60),),) * 5 + ((), ())  # Mon–Fri 09:00–17:00
MONDAY_ONLY = (((9 * 60, 12 * 60),),) + ((),) * 6
NEVER = ((),) * 7


def email(windows: tuple[tuple[tuple[int, int], ...], ...], unit: str = "DAY", value: int = 1) -> StepTiming:
    return StepTiming("EMAIL", windows, (unit, value))


def local(text: str, zone: ZoneInfo = WARSAW) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


# Each row: what it shows, the steps, the zone, the start (local), working days, and per step
# (day, weekday, time, waited) — None for a step that never goes out.
CASES = [
    (
        "whole-day windows: the first step at once, each delay exactly",
        [email(ALL_DAY, "DAY", 2), email(ALL_DAY, "HOUR", 5), email(ALL_DAY)],
        WARSAW,
        "2026-12-02T10:17",  # a Wednesday
        False,
        [(0, "Wed", "10:17", False), (2, "Fri", "10:17", False), (2, "Fri", "15:17", False)],
    ),
    (
        "an HOUR delay landing after the window closes waits for the next morning",
        [email(OFFICE, "HOUR", 3), email(OFFICE)],
        WARSAW,
        "2026-12-07T16:00",  # Monday, inside the window
        False,
        [(0, "Mon", "16:00", False), (1, "Tue", "09:00", True)],
    ),
    (
        "enrolled after Friday's window: Monday morning, then a whole weekend skipped",
        [email(OFFICE, "DAY", 1), email(OFFICE)],
        WARSAW,
        "2026-12-04T18:30",  # Friday evening
        False,
        [(3, "Mon", "09:00", False), (4, "Tue", "09:00", False)],
    ),
    (
        "a Monday-only schedule: every step waits for the next Monday",
        [email(MONDAY_ONLY, "DAY", 1), email(MONDAY_ONLY, "DAY", 1), email(MONDAY_ONLY)],
        WARSAW,
        "2026-12-08T10:00",  # a Tuesday
        False,
        [(6, "Mon", "09:00", False), (13, "Mon", "09:00", True), (20, "Mon", "09:00", True)],
    ),
    (
        "DST ends (25 Oct 2026 in Warsaw): a DAY over the change keeps the time of day",
        [email(ALL_DAY, "DAY", 1), email(ALL_DAY)],
        WARSAW,
        "2026-10-24T10:00",  # Saturday; the clocks go back overnight
        False,
        [(0, "Sat", "10:00", False), (1, "Sun", "10:00", False)],
    ),
    (
        "DST ends: 24 HOURs over the change are elapsed time, an hour earlier by the clock",
        [email(ALL_DAY, "HOUR", 24), email(ALL_DAY)],
        WARSAW,
        "2026-10-24T10:00",
        False,
        [(0, "Sat", "10:00", False), (1, "Sun", "09:00", False)],
    ),
    (
        "DST starts (8 Mar 2026 in New York): a window in the lost hour opens when the clock jumps",
        [email(((),) * 6 + (((2 * 60, 3 * 60),),))],
        NEW_YORK,
        "2026-03-07T12:00",  # Saturday
        False,
        [(1, "Sun", "03:00", False)],
    ),
    (
        "a step whose windows never open: it, and every step after it, never goes out",
        [email(OFFICE), email(NEVER), email(ALL_DAY)],
        WARSAW,
        "2026-12-07T10:00",
        False,
        [(0, "Mon", "10:00", False), None, None],
    ),
    (
        "working days: a 1-DAY delay from Friday lands on Monday, not Saturday",
        [email(ALL_DAY, "DAY", 1), email(ALL_DAY, "DAY", 6), email(ALL_DAY)],
        WARSAW,
        "2026-12-04T10:00",  # Friday
        True,
        [(0, "Fri", "10:00", False), (3, "Mon", "10:00", False), (11, "Tue", "10:00", False)],
    ),
    (
        "a LinkedIn step has no windows: due as soon as its delay has passed",
        [email(OFFICE, "HOUR", 2), StepTiming("LINKEDIN", None, ("MINUTE", 30)), email(OFFICE)],
        WARSAW,
        "2026-12-07T16:30",
        False,
        [(0, "Mon", "16:30", False), (0, "Mon", "18:30", False), (1, "Tue", "09:00", True)],
    ),
]


@pytest.mark.parametrize(
    ("what", "steps", "zone", "start", "working", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_timeline(
    what: str,
    steps: list[StepTiming],
    zone: ZoneInfo,
    start: str,
    working: bool,
    expected: list[tuple[int, str, str, bool] | None],
) -> None:
    found = sends(steps, zone, local(start, zone), working_days=working)
    got = [(s.day, s.weekday, s.time, s.waited) if s.at else None for s in found]
    assert got == expected, what
    assert [s.position for s in found] == list(range(1, len(steps) + 1))


def test_length_is_the_last_steps_day_or_none_when_a_step_never_goes_out() -> None:
    start = local("2026-12-07T10:00")
    assert length_days(sends([email(OFFICE, "DAY", 3), email(OFFICE)], WARSAW, start)) == 3
    assert length_days(sends([email(OFFICE), email(NEVER)], WARSAW, start)) is None


def test_a_timeline_from_a_later_step_starts_there() -> None:
    """An appended step: the prospects waiting at the current last step reach it "now"."""
    steps = [email(OFFICE), email(OFFICE, "DAY", 2), email(OFFICE)]
    found = sends(steps, WARSAW, local("2026-12-07T18:00"), first=1)
    assert [(s.position, s.day, s.weekday, s.time) for s in found] == [
        (2, 1, "Tue", "09:00"),
        (3, 3, "Thu", "09:00"),
    ]


def test_the_start_instant_may_be_in_any_zone() -> None:
    start = datetime.fromisoformat("2026-12-07T08:00+00:00")  # 09:00 in Warsaw
    (first,) = sends([email(OFFICE)], WARSAW, start)
    assert (first.day, first.time) == (0, "09:00")


def test_timing_of_reads_canonical_steps_and_create_bodies_alike() -> None:
    canonical = {
        "type": "EMAIL",
        "delivery_time": {
            "MONDAY": [{"from": "00:00", "to": "00:00"}],
            "FRIDAY": [{"from": "08:00", "to": "12:00"}],
        },
        "followup_after": {"range": "HOUR", "value": 4},
    }
    body = {"type": "EMAIL", "delivery_time": {"MONDAY": [{"from": "00:00", "to": "24:00"}]}}
    assert timing_of(canonical).windows == (((0, 1440),), (), (), (), ((480, 720),), (), ())
    assert timing_of(canonical).delay == ("HOUR", 4)
    assert timing_of(body).windows == (((0, 1440),),) + ((),) * 6
    assert timing_of(body).delay == ("DAY", 1)  # the documented default when left out
    linkedin = timing_of({"type": "LINKEDIN", "followup_after": {"range": "DAY", "value": 2}})
    assert (linkedin.windows, linkedin.delay) == (None, ("DAY", 2))
