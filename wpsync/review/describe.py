"""Short human descriptions of steps, shared by the text and markdown renderers."""

from __future__ import annotations

from typing import Any

from wpsync.limits import DAYS

JSON = dict[str, Any]
_SHORT = {day: day[:3].title() for day in DAYS}


def windows(delivery_time: JSON) -> str:
    """{"MONDAY": [...], "TUESDAY": [...]} → "Mon–Fri 08:00–18:00; Sat 10:00–12:00"."""
    runs: list[tuple[list[str], str]] = []
    for day in DAYS:
        spans = delivery_time.get(day) or []
        if not spans:
            continue
        text = ", ".join(f"{w['from']}–{w['to']}" for w in spans)
        if runs and runs[-1][1] == text and DAYS.index(runs[-1][0][-1]) == DAYS.index(day) - 1:
            runs[-1][0].append(day)
        else:
            runs.append(([day], text))
    parts = []
    for days, text in runs:
        label = _SHORT[days[0]] if len(days) == 1 else f"{_SHORT[days[0]]}–{_SHORT[days[-1]]}"
        parts.append(f"{label} {text}")
    return "; ".join(parts) or "no windows"


_UNITS = {"DAY": "day", "HOUR": "hour", "MINUTE": "minute"}


def delay(step: JSON) -> str:
    """The wait after a step, for people: {"value": 3, "range": "DAY"} → "3 days". The one formatter."""
    after = step.get("followup_after") or {}
    value = int(after.get("value", 1))
    unit = _UNITS.get(str(after.get("range", "DAY")), str(after.get("range")).lower())
    return f"{value} {unit}{'' if value == 1 else 's'}"


def versions(step: JSON) -> list[JSON]:
    found: list[JSON] = (step.get("body") or {}).get("versions") or step.get("versions") or []
    return found


def one_line(step: JSON) -> str:
    """A step as the create/add-step body nests it (or its canonical form), in one line."""
    kind = step.get("type")
    body = step.get("body") or step
    count = len(versions(step))
    plural = "s" if count != 1 else ""
    if kind == "LINKEDIN":
        action = body.get("action_type")
        detail = f" · {count} version{plural}" if action != "VISIT_PROFILE" and count else ""
        return f"LINKEDIN {action} via account {body.get('linkedin_account_id')}{detail}; then wait {delay(step)}"
    subjects = [v.get("subject") for v in versions(step)]
    thread = "same thread" if not any(subjects) else "new thread"
    return f"EMAIL {windows(step.get('delivery_time') or {})} · {count} version{plural} ({thread}); then wait {delay(step)}"


def letters(count: int) -> str:
    return "ABCDE"[:count]
