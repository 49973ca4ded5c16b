"""Outreach lints: things the API accepts that a careful reviewer would still question.

Each returns warnings (``validate --strict`` and ``plan --strict`` make them errors):

    new-thread          a follow-up with its own subject (a new thread) beside follow-ups without, or
                        A/B versions of one follow-up that disagree on it
    business-hours      a delivery window outside business hours, or on a day that is not a business day
    sequence-length     delays that make the sequence longer than the stated maximum
    identical-versions  two A/B versions of a step that are the same in every field
    connection-note     a LinkedIn connection-request note near its 300-character limit

(Unsubscribe settings without a link, and snippets without fallbacks, are checked in ``rules.py``.)
Thresholds come from the ``[lint]`` table of ``wpsync.toml`` (see ``lint_config.py``); the CLI loads it
and makes it the active one for the run, so every caller of ``loading.parse_source`` applies it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

from wpsync.files import snippets
from wpsync.files.lint_config import LintConfig, active
from wpsync.files.models import Campaign, DeliveryTime, EmailStep, LinkedInStep
from wpsync.files.rules import Finding, Loc
from wpsync.limits import CONNECTION_NOTE_MAX, CONNECTION_NOTE_MAX_CLASSIC, DAYS

_MINUTES = {"DAY": 1440, "HOUR": 60, "MINUTE": 1}


def check(campaign: Campaign, config: LintConfig | None = None) -> list[Finding]:
    config = config or active()
    return [
        *_threads(campaign),
        *_business_hours(campaign, config),
        *_sequence_length(campaign, config),
        *_identical_versions(campaign),
        *_connection_notes(campaign, config),
    ]


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _letters(indexes: list[int]) -> str:
    return _join(["ABCDE"[i] if i < 5 else str(i + 1) for i in indexes])


# ---- new-thread ----------------------------------------------------------------------------------


def _threads(campaign: Campaign) -> Iterator[Finding]:
    emails = [(i, s) for i, s in enumerate(campaign.steps) if isinstance(s, EmailStep)]
    followups = emails[1:]  # the first EMAIL step starts the thread; rules.py requires its subjects
    for index, step in followups:
        with_subject = [v for v, version in enumerate(step.versions) if version.subject]
        without = [v for v, version in enumerate(step.versions) if not version.subject]
        if with_subject and without:
            yield Finding(
                ("steps", index, "versions"),
                f"version{'s' if len(with_subject) > 1 else ''} {_letters(with_subject)} "
                f"{'have' if len(with_subject) > 1 else 'has'} a subject (a new thread) and "
                f"{_letters(without)} {'do' if len(without) > 1 else 'does'} not (a reply in the thread): "
                "prospects get different threading by version; give every version a subject, or none",
                "warning",
            )
    new_threads = [i for i, s in followups if all(v.subject for v in s.versions)]
    replies = [i + 1 for i, s in followups if not any(v.subject for v in s.versions)]
    if not replies:
        return
    for index in new_threads:
        yield Finding(
            ("steps", index, "versions", 0, "subject"),
            f"step {index + 1} is a follow-up with its own subject, so it starts a new thread, while "
            f"step{'s' if len(replies) > 1 else ''} {_join([str(n) for n in replies])} "
            f"{'replies' if len(replies) == 1 else 'reply'} in the same thread; remove the "
            "subject to reply, or keep it if a fresh thread is meant",
            "warning",
        )


# ---- business-hours ------------------------------------------------------------------------------


def _business_hours(campaign: Campaign, config: LintConfig) -> Iterator[Finding]:
    zone = "the prospect's time zone" if campaign.settings.prospect_timezone else campaign.settings.timezone
    hours = f"{config.describe()}, {zone}"
    checked: set[str] = set()
    for index, step in enumerate(campaign.steps):
        if not isinstance(step, EmailStep):
            continue
        if isinstance(step.delivery_time, str):
            name = step.delivery_time
            if name in checked or name not in campaign.schedules:
                continue  # each named schedule once; an unknown name is rules.py's error
            checked.add(name)
            yield from _windows(("schedules", name), campaign.schedules[name], config, hours)
        else:
            yield from _windows(("steps", index, "delivery_time"), step.delivery_time, config, hours)


def _windows(at: Loc, delivery: DeliveryTime, config: LintConfig, hours: str) -> Iterator[Finding]:
    start, end = config.business_hours
    for day in DAYS:
        windows = delivery.windows(day)
        if windows and day not in config.business_days:
            yield Finding((*at, day), f"{day.title()} is not a business day ({hours})", "warning")
            continue
        for number, window in enumerate(windows):
            begins, ends = window.span
            if begins < start or ends > end:
                shown = "all day" if window.whole_day else f"{window.from_}–{window.to}"
                yield Finding((*at, day, number), f"{shown} is outside business hours ({hours})", "warning")


# ---- sequence-length -----------------------------------------------------------------------------


def _sequence_length(campaign: Campaign, config: LintConfig) -> Iterator[Finding]:
    limit = config.max_sequence_days * 1440
    elapsed = 0
    # A step's followup_after is the wait before the next step, so the last step's does not count.
    for index, step in enumerate(campaign.steps[:-1]):
        elapsed += step.followup_after.value * _MINUTES[step.followup_after.range]
        if elapsed > limit:
            yield Finding(
                ("steps", index, "followup_after"),
                f"step {index + 2} starts at least {_duration(elapsed)} after step 1, past the maximum of "
                f"{config.max_sequence_days} days ([lint] max_sequence_days in wpsync.toml); shorten the "
                "delays or split the sequence",
                "warning",
            )
            return


def _duration(minutes: int) -> str:
    days, rest = divmod(minutes, 1440)
    hours = rest // 60
    text = f"{days} day{'s' if days != 1 else ''}"
    return text + (f" {hours} hour{'s' if hours != 1 else ''}" if hours else "")


# ---- identical-versions --------------------------------------------------------------------------


def _identical_versions(campaign: Campaign) -> Iterator[Finding]:
    for index, step in enumerate(campaign.steps):
        if isinstance(step, LinkedInStep) and step.action_type == "VISIT_PROFILE":
            continue  # a profile visit has no content to test
        versions = step.versions or []
        if len(versions) < 2:
            continue  # one version (or none) cannot repeat another: no need to build its content
        seen: dict[Any, int] = {}
        for number, version in enumerate(versions):
            content = _content(version)
            if content in seen:
                first = seen[content]
                yield Finding(
                    ("steps", index, "versions", number),
                    f"version {_letters([number])} is identical to version {_letters([first])}: an A/B test "
                    "of the same content learns nothing; change one or remove it",
                    "warning",
                )
            else:
                seen[content] = number


def _content(version: BaseModel) -> tuple[Any, ...]:
    # "" and an omitted subject or note are sent alike; surrounding whitespace is invisible in a message.
    # Compared only with versions of the same step, so of the same model: its field values in field
    # order (its __dict__, what model_dump copies) say all that the sorted (key, value) pairs said.
    return tuple((v or "").strip() if isinstance(v, str | None) else v for v in version.__dict__.values())


# ---- connection-note -----------------------------------------------------------------------------


def _connection_notes(campaign: Campaign, config: LintConfig) -> Iterator[Finding]:
    for index, step in enumerate(campaign.steps):
        if not isinstance(step, LinkedInStep) or step.action_type != "CONNECTION_REQUEST":
            continue
        for number, version in enumerate(step.versions or []):
            text = version.message or ""
            if not config.connection_note_warn_at <= len(text) <= CONNECTION_NOTE_MAX:
                continue  # over the limit is an error in rules.py
            found, _ = snippets.scan(text)
            grows = (
                " and its snippets grow when they are filled in"
                if any(s.kind == "field" for s in found)
                else ""
            )
            yield Finding(
                ("steps", index, "versions", number, "message"),
                f"{len(text)} characters: near the {CONNECTION_NOTE_MAX}-character limit of a connection note "
                f"({CONNECTION_NOTE_MAX_CLASSIC} on CLASSIC LinkedIn accounts){grows}; shorten it",
                "warning",
            )
