"""Steps, versions and refused edits as markdown blocks, for the plan in a pull request.

Reviewers read copy, not JSON: each step is a short heading line, its delivery windows a one-row week
grid, and each A/B version its subject and message as readable text in a quote. A refused edit shows
the copy as a word diff and every other field as old → new. All user text goes through
``markdown_escape`` (see there for why); every block returned is a list of markdown lines.
"""

from __future__ import annotations

import json
import re
from typing import Any

from wpsync.limits import DAYS, MAX_VERSIONS
from wpsync.plan.plan import FieldChange, Plan, Refusal
from wpsync.review import describe, htmltext, names, worddiff
from wpsync.review import escape as md
from wpsync.review.visible import reveal

JSON = dict[str, Any]
_ACTIONS = {
    "VISIT_PROFILE": "visit profile",
    "CONNECTION_REQUEST": "connection request",
    "DIRECT_MESSAGE": "direct message",
}
_COPY_FIELDS = ("subject", "message")
_STEP_PREFIX = re.compile(r"^steps\[\d+\]\.")
_VERSION_PREFIX = re.compile(r"^versions\[(\d+)\]\.?")


def step_block(number: int, step: JSON, *, last: bool, full: bool, plan: Plan | None = None) -> list[str]:
    """One step of a create or add-step body (``body`` nested) as markdown lines."""
    body = step.get("body") or {}
    versions = describe.versions(step)
    then = "" if last else f" · then wait {describe.delay(step)}"
    if step.get("type") == "LINKEDIN":
        action = _ACTIONS.get(str(body.get("action_type")), str(body.get("action_type")))
        account_id = body.get("linkedin_account_id")
        account = (
            md.inline(names.linkedin(plan, account_id)) if plan else f"account {md.code(str(account_id))}"
        )
        lines = [f"**Step {number} · LinkedIn: {action}** · {account}{then}"]
        if body.get("action_type") == "VISIT_PROFILE" or not full:
            return lines
        for letter, version in zip(describe.letters(len(versions)), versions, strict=False):
            lines.extend(["", *_linkedin_version(letter, version, str(body.get("action_type")))])
        return lines
    subjects = [v.get("subject") for v in versions]
    thread = "same thread" if not any(subjects) else "new thread"
    plural = "s" if len(versions) != 1 else ""
    lines = [f"**Step {number} · Email** · {thread} · {len(versions)} version{plural}{then}"]
    if not full:
        windows = md.inline(describe.windows(step.get("delivery_time") or {}))
        return [lines[0] + f" · {windows}"]
    lines.extend(["", *week_grid(step.get("delivery_time") or {})])
    for letter, version in zip(describe.letters(len(versions)), versions, strict=False):
        lines.extend(["", *_email_version(letter, version)])
    return lines


def week_grid(delivery_time: JSON) -> list[str]:
    """The delivery windows as a one-row table, Monday to Sunday; a day with no window shows "–"."""
    cells = []
    for day in DAYS:
        spans = delivery_time.get(day) or []
        times = [_span(w["from"], w["to"]) for w in spans]
        cells.append("<br>".join(times) if times else "–")
    header = "| " + " | ".join(day[:3].title() for day in DAYS) + " |"
    rule = "|" + "|".join(":---:" for _ in DAYS) + "|"
    return [header, rule, "| " + " | ".join(cells) + " |"]


def _span(start: str, end: str) -> str:
    return "all day" if start == "00:00" and end in ("00:00", "24:00") else f"{start}–{end}"


def _email_version(letter: str, version: JSON) -> list[str]:
    signature = "sender's signature" if version.get("signature") == "SENDER" else "no signature"
    opens = "opens tracked" if version.get("track_opens") else "opens not tracked"
    subject = version.get("subject")
    quoted = [
        f"**Subject:** {md.inline(subject)}" if subject else "*No subject: replies in the thread*",
        "",
        copy(str(version.get("message") or "")),
    ]
    return [
        f"**Version {letter}** · {signature} · {opens}",
        *md.quote("\n".join(quoted)).split("\n"),
    ]


def _linkedin_version(letter: str, version: JSON, action: str) -> list[str]:
    message = str(version.get("message") or "")
    if not message:
        what = "no note" if action == "CONNECTION_REQUEST" else "no message"
        return [f"**Version {letter}** · *{what}*"]
    count = f"{len(message)} characters"
    return [f"**Version {letter}** · {count}", *md.quote(copy(message)).split("\n")]


def copy(text: str) -> str:
    """A message (HTML or plain text) as escaped, readable markdown lines."""
    readable = htmltext.to_text(text)
    return md.block(readable) if readable.strip() else "*empty*"


# ---- refused edits ---------------------------------------------------------------------------------


def refusal_block(refusal: Refusal, *, full: bool) -> list[str]:
    where = f"Step {refusal.step}" if refusal.step else "Campaign" if refusal.key else "Plan"
    title = refusal.code.replace("_", " ").removeprefix("step ")  # "Step 2: edited", not "step edited"
    lines = [f"**⛔ {where}: {md.inline(title)}**\\", md.message_line(refusal.reason)]
    if full:
        for change in refusal.changes:
            lines.extend(["", *change_block(change)])
    elif refusal.changes:
        fields = ", ".join(field_label(c.path) for c in refusal.changes)
        lines.extend(["", f"Changed: {fields}"])
    lines.extend(["", f"**Way out:** {md.message(refusal.way_out)}"])
    return lines


def field_label(path: str) -> str:
    """``steps[0].versions[1].subject`` → "Version B · `subject`": the step is already in the heading,
    and reviewers think in version letters, not 0-based indexes."""
    rest = _STEP_PREFIX.sub("", path)
    match = _VERSION_PREFIX.match(rest)
    if match is None:
        return md.code(rest)
    index = int(match.group(1))
    letter = describe.letters(index + 1)[index] if index < MAX_VERSIONS else str(index + 1)
    field = rest[match.end() :]
    return f"Version {letter} · {md.code(field)}" if field else f"Version {letter}"


def change_block(change: FieldChange) -> list[str]:
    """Copy as a word diff in a quote; any other field as `old` → `new`."""
    label = field_label(change.path)
    is_copy = change.path.rsplit(".", 1)[-1] in _COPY_FIELDS
    texts = all(isinstance(v, str | None) for v in (change.old, change.new))
    if not (is_copy and texts):
        return [f"{label}: {_value(change.old)} → {_value(change.new)}"]
    old, new = change.old or "", change.new or ""
    note = ""
    if change.old is None or change.new is None:
        note = " (added)" if change.old is None else " (removed)"
    if change.path.endswith("subject"):
        # A subject is plain text, one line: "<Company>" in it is text, not a tag, and a line break
        # in it is shown, as on the version's Subject line.
        return [
            f"{label}{note}:",
            *md.quote(worddiff.render(worddiff.diff(reveal(old), reveal(new)))).split("\n"),
        ]
    segments = worddiff.diff(htmltext.to_text(old), htmltext.to_text(new))
    if not worddiff.changed(segments):
        # The readable text is the same: the edit is in the markup (a tag, an attribute, a link).
        note = " (only the HTML changed)"
        segments = worddiff.diff(old, new)
    return [f"{label}{note}:", *md.quote(worddiff.render(segments)).split("\n")]


def _value(value: Any) -> str:
    if value is None:
        return "*none*"
    text = json.dumps(value, ensure_ascii=False)
    return md.code(text if len(text) <= 200 else text[:199] + "…")
