"""The plan's forecast as a reader sees it: when each step goes out, who a change touches, how much a
mailbox sends. Pure functions of ``wpsync.plan.forecast`` values; the markdown and text renderers put
these lines into each campaign's section, and the mailbox lines at the top.

A count no read gave is "unknown", never a number; assumptions are said where they matter (working
days, per-prospect zones, daily_enroll per mailbox).
"""

from __future__ import annotations

from collections.abc import Callable

from wpsync.plan.forecast import Forecast, MailboxLoad, People, StepPeople, Timeline, Volume
from wpsync.review import escape as md

CHANNEL = {"EMAIL": "email", "LINKEDIN": "LinkedIn"}
CHANGE = {"edit": "copy edited", "windows": "new windows", "delete": "deleted", "append": "appended"}
UNKNOWN = "unknown"
Code = Callable[[str], str]  # how a name is shown: as it is (text), or as a code span (markdown)


def _plain(text: str) -> str:
    return text


PLURAL = {"reply": "replies"}


def _n(count: int | None, noun: str = "") -> str:
    """ "1 prospect", "184 prospects", "unknown number of prospects"; without a noun "42" or "unknown"."""
    many = PLURAL.get(noun, f"{noun}s")
    if count is None:
        return f"unknown number of {many}" if noun else UNKNOWN
    return f"{count:,}" + (f" {noun if count == 1 else many}" if noun else "")


# ---- timeline ----------------------------------------------------------------------------------------


def zone_words(timeline: Timeline, code: Code = _plain) -> str:
    zone = code(timeline.zone)
    return f"in each prospect's own zone, shown for {zone}" if timeline.per_prospect_zone else f"in {zone}"


def length_words(timeline: Timeline) -> str:
    if timeline.length_days is None:
        return "some steps never go out"
    if len(timeline.steps) == 1:
        return "one step"
    return f"{timeline.length_days} day{'' if timeline.length_days == 1 else 's'} from first step to last"


def start_words(timeline: Timeline) -> str:
    """ "enrolled Mon 2026-12-07 09:00" (the start is local ISO 8601 with its offset)."""
    from datetime import datetime

    start = datetime.fromisoformat(timeline.start)
    return start.strftime("%a %Y-%m-%d %H:%M")


def working_days_words(timeline: Timeline, code: Code = _plain) -> str:
    """What count_followup_delay_in_working_days changes, or ""."""
    moved = [s for s in timeline.steps if s.working_day is not None]
    setting = code("count_followup_delay_in_working_days")
    if timeline.working_days is True:
        return f"Delays count working days ({setting} is on; assumed Mon–Fri)."
    if not moved:
        return ""
    which = ", ".join(f"step {s.step} on day {s.working_day}" for s in moved[:4])
    more = f" and {len(moved) - 4} more" if len(moved) > 4 else ""
    return (
        f"If Woodpecker counts delays in working days ({setting}, not known here; assumed Mon–Fri): "
        f"{which}{more}."
    )


def never_words(timeline: Timeline) -> str:
    never = [s.step for s in timeline.steps if s.day is None]
    if not never:
        return ""
    first = never[0]
    return (
        f"Step {first} never goes out: its delivery windows never open"
        + (
            f" (nor, after it, step{'s' if len(never) > 2 else ''} {', '.join(map(str, never[1:]))})"
            if len(never) > 1
            else ""
        )
        + "."
    )


def timeline_text(timeline: Timeline) -> list[str]:
    """A few lines: each step's day and time, then the assumptions that matter."""
    if timeline.first > 1:
        head = f"prospects now waiting at step {timeline.first}, from {start_words(timeline)}"
    else:
        head = f"a prospect enrolled {start_words(timeline)}"
    steps = " → ".join(
        f"{s.step}: {'never' if s.day is None else f'day {s.day} {s.weekday} {s.time}'}"
        f"{' (waits for its window)' if s.waits else ''}"
        for s in timeline.steps
    )
    lines = [f"when ({head}, {zone_words(timeline)}): {steps}"]
    if timeline.first == 1:
        lines[0] += f"; {length_words(timeline)}"
    lines.extend(f"  {extra}" for extra in (never_words(timeline), working_days_words(timeline)) if extra)
    return lines


def timeline_markdown(timeline: Timeline) -> list[str]:
    """A compact table: step, channel, day and local time, one row per step."""
    if timeline.first > 1:
        title = (
            f"**When** the prospects now waiting at step {timeline.first} get it and what follows, from "
            f"{start_words(timeline)}, {zone_words(timeline, md.code)}:"
        )
    else:
        title = (
            f"**When** a prospect enrolled {start_words(timeline)} gets each step "
            f"({zone_words(timeline, md.code)}; {length_words(timeline)}):"
        )
    rows = ["| step | channel | day | local time |", "|---:|---|---:|---|"]
    for s in timeline.steps:
        waits = " (waits for its window)" if s.waits else ""
        when = "never" if s.day is None else f"{s.weekday} {s.time}{waits}"
        day = "—" if s.day is None else str(s.day)
        rows.append(f"| {s.step} | {CHANNEL.get(s.channel, s.channel)} | {day} | {when} |")
    notes = [text for text in (never_words(timeline), working_days_words(timeline, md.code)) if text]
    return [title, "", *rows, *(line for note in notes for line in ("", note))]


# ---- people ------------------------------------------------------------------------------------------


def step_people(prospects: int | None, step: StepPeople) -> str:
    """ "184 prospects · 137 already got the old copy · 42 queued for this step get the new one"."""
    parts = [_n(prospects, "prospect")]
    match step.change:
        case "edit":
            parts.append(f"{_n(step.sent)} already got the old copy")
            parts.append(f"{_n(step.queued)} queued for this step get the new one")
        case "windows":
            parts.append(f"{_n(step.sent)} already sent")
            parts.append(f"{_n(step.queued)} queued for this step wait for the new windows")
        case "delete":
            parts.append(f"{_n(step.sent)} got it")
            parts.append(f"{_n(step.queued)} queued for it")
        case _:
            parts.append("nobody has had it yet; each prospect who finishes the step before gets it")
    results = _results(step)
    if results:
        parts.append(results)
    return " · ".join(parts)


def _results(step: StepPeople) -> str:
    if step.change == "append" or (step.opened is None and step.replied is None):
        return ""
    what = "the old copy" if step.change == "edit" else "so far"
    opened = "opens unknown" if step.opened is None else _n(step.opened, "open")
    replied = "replies unknown" if step.replied is None else _n(step.replied, "reply")
    return f"{what}: {opened}, {replied} (all versions)"


def pause_words(people: People) -> str:
    if not people.paused_calls:
        return ""
    took = f" for roughly {people.paused_seconds:g} s" if people.paused_seconds is not None else ""
    return (
        f"sending pauses{took} ({people.paused_calls} calls × the account's request time, while it is "
        f"EDITED) for {_n(people.prospects, 'prospect')}"
    )


def people_lines(people: People) -> list[str]:
    lines = [
        f"step {s.step} ({CHANGE.get(s.change, s.change)}): {step_people(people.prospects, s)}"
        for s in people.steps
    ]
    pause = pause_words(people)
    return [*lines, pause] if pause else lines


# ---- volume ------------------------------------------------------------------------------------------


def volume_words(volume: Volume, code: Code = _plain) -> str:
    boxes = len(volume.mailboxes)
    if not boxes or not volume.email_steps:
        return "sends no email" if not volume.email_steps else "no mailbox: sends no email"
    each = "its mailbox" if boxes == 1 else f"each of its {boxes} mailboxes"
    return (
        f"up to {volume.per_mailbox:,} emails a day from {each} at steady state "
        f"({code('daily_enroll')} {volume.daily_enroll} × {volume.email_steps} EMAIL step"
        f"{'' if volume.email_steps == 1 else 's'}; {code('daily_enroll')} taken as per mailbox)"
    )


def load_words(load: MailboxLoad, code: Code = _plain, label: Callable[[int], str] = str) -> str:
    """One mailbox's projected sends; ``label`` names it (an address where the plan knows it)."""
    change = f"{load.before:,} → {load.after:,}" if load.before != load.after else f"{load.after:,}"
    state = " — pushed over by this plan" if load.pushed_over else " — over the limit" if load.over else ""
    return (
        f"mailbox {code(label(load.mailbox))}: {change} emails a day (limit {load.limit:,}){state}; "
        f"from {', '.join(code(key) for key in load.campaigns) or 'no campaign'}"
    )


def mailboxes_markdown(loads: tuple[MailboxLoad, ...], label: Callable[[int], str] = str) -> list[str]:
    """For the top of the comment: every mailbox over its limit after the plan."""
    over = [load for load in loads if load.over]
    if not over:
        return []
    setting = md.code("[lint] max_daily_sends_per_mailbox")
    lines = ["> [!WARNING]", f"> **Projected daily sends over the limit** ({setting}):"]
    lines.extend(f"> - {'⚠️ ' if load.pushed_over else ''}{load_words(load, md.code, label)}" for load in over)
    return [*lines, ""]


def forecast_text(forecast: Forecast) -> list[str]:
    """The campaign's forecast in a few lines of text."""
    lines: list[str] = []
    if forecast.timeline is not None:
        lines.extend(timeline_text(forecast.timeline))
    if forecast.appended is not None:
        lines.extend(timeline_text(forecast.appended))
    if forecast.people is not None:
        lines.extend(f"who: {line}" for line in people_lines(forecast.people))
    if forecast.volume is not None and forecast.volume.per_mailbox:
        lines.append(f"volume: {volume_words(forecast.volume)}")
    return lines


def mailboxes_text(loads: tuple[MailboxLoad, ...], label: Callable[[int], str] = str) -> list[str]:
    over = [load for load in loads if load.over]
    if not over:
        return []
    return [
        "Projected daily sends over [lint] max_daily_sends_per_mailbox:",
        *(f"  {'⚠ ' if load.pushed_over else ''}{load_words(load, label=label)}" for load in over),
    ]


def forecast_markdown(forecast: Forecast, *, full: bool = True) -> list[str]:
    """The campaign's forecast as markdown blocks (each preceded by a blank line); in short form the
    timeline is one line, not a table."""
    lines: list[str] = []
    if forecast.people is not None and (forecast.people.steps or forecast.people.paused_calls):
        lines.extend(["", "**Who**", ""])
        lines.extend(f"- {line}" for line in people_lines(forecast.people))
    for timeline in (forecast.timeline, forecast.appended):
        if timeline is not None and full:
            lines.extend(["", *timeline_markdown(timeline)])
        elif timeline is not None:
            (line, *_) = timeline_text(timeline)
            lines.extend(["", f"**When**: {md.inline(line.removeprefix('when '))}"])
    if forecast.volume is not None and forecast.volume.per_mailbox:
        lines.extend(["", f"**Volume**: {volume_words(forecast.volume, md.code)}."])
    return lines
