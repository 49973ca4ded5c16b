"""Rules that span fields: checked on models whose shapes and types are already valid.

Each check returns findings (a field path, a message that says what is allowed, a severity) rather than
raising, so ``validate`` can report every problem of every file in one run. Step checks work on one
step at a time, so a broken step elsewhere in the file does not hide them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from wpsync.files import snippets
from wpsync.files.models import Campaign, EmailStep, LinkedInStep
from wpsync.limits import CONNECTION_NOTE_MAX, DIRECT_MESSAGE_MAX

Loc = tuple[str | int, ...]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Finding:
    loc: Loc
    message: str
    severity: Severity = "error"


MAILBOXES_REQUIRED = (
    "required because the campaign has EMAIL steps: list the SMTP mailbox ids to send from, "
    "e.g. email_account_ids = [112233] (see GET /v2/mailboxes)"
)
FIRST_SUBJECT_REQUIRED = (
    "required on the first EMAIL step (every version needs one); later steps may omit it "
    "to reply in the same thread"
)


def unknown_schedule(reference: str, defined: set[str]) -> str:
    known = ", ".join(f'"{name}"' for name in sorted(defined)) or "none are defined"
    return f'no schedule named "{reference}" (defined: {known}); add a [schedules.{reference}] table'


def check_campaign(campaign: Campaign) -> list[Finding]:
    findings: list[Finding] = []
    has_email = any(isinstance(step, EmailStep) for step in campaign.steps)
    if has_email and not campaign.email_account_ids:
        findings.append(Finding(("email_account_ids",), MAILBOXES_REQUIRED))
    first_email = next((i for i, s in enumerate(campaign.steps) if isinstance(s, EmailStep)), None)
    for index, step in enumerate(campaign.steps):
        findings.extend(check_step(index, step, first_email=index == first_email))
        reference = step.delivery_time if isinstance(step, EmailStep) else None
        if isinstance(reference, str) and reference not in campaign.schedules:
            findings.append(
                Finding(
                    ("steps", index, "delivery_time"), unknown_schedule(reference, set(campaign.schedules))
                )
            )
    findings.extend(_unsubscribe_warnings(campaign))
    return findings


def check_step(index: int, step: EmailStep | LinkedInStep, *, first_email: bool) -> list[Finding]:
    at: Loc = ("steps", index)
    if isinstance(step, EmailStep):
        return list(_email_step(at, step, first_email=first_email))
    return list(_linkedin_step(at, step))


def _email_step(at: Loc, step: EmailStep, *, first_email: bool) -> Iterator[Finding]:
    for v, version in enumerate(step.versions):
        where = (*at, "versions", v)
        if first_email and not (version.subject or "").strip():
            yield Finding((*where, "subject"), FIRST_SUBJECT_REQUIRED)
        if version.subject:
            yield from check_text((*where, "subject"), version.subject)
        yield from check_text((*where, "message"), version.message)


def _linkedin_step(at: Loc, step: LinkedInStep) -> Iterator[Finding]:
    versions = step.versions or []
    if step.action_type == "VISIT_PROFILE":
        if len(versions) > 1 or any(v.message for v in versions):
            yield Finding(
                (*at, "versions"),
                "VISIT_PROFILE carries no message and no A/B versions: omit versions",
            )
        return
    if not versions:
        what = "a note (or an empty one)" if step.action_type == "CONNECTION_REQUEST" else "a message"
        yield Finding(
            (*at, "versions"),
            f'{step.action_type} needs at least one version with {what}: [[steps.versions]] message = "…"',
        )
    for v, version in enumerate(versions):
        where = (*at, "versions", v, "message")
        text = version.message or ""
        if step.action_type == "DIRECT_MESSAGE" and not text:
            yield Finding(where, "DIRECT_MESSAGE needs a message (at most 6000 characters)")
        limit = DIRECT_MESSAGE_MAX if step.action_type == "DIRECT_MESSAGE" else CONNECTION_NOTE_MAX
        if len(text) > limit:
            extra = " (200 on CLASSIC accounts)" if step.action_type == "CONNECTION_REQUEST" else ""
            yield Finding(
                where, f"{len(text)} characters; a {step.action_type} allows at most {limit}{extra}"
            )
        if text:
            yield from check_text(where, text)


def check_text(loc: Loc, text: str) -> Iterator[Finding]:
    """Snippet syntax errors, and warnings for unknown names and missing fallbacks."""
    quick = snippets.field_snippets(text)
    if quick is not None:  # no syntax errors: only the per-name warnings remain
        for message, severity in _field_warnings(quick):
            yield Finding(loc, message, severity)
        return
    found, errors = snippets.scan(text)
    for error in errors:
        line, column = snippets.line_and_column(text, error.offset)
        where = f" (line {line} of the text, column {column})" if "\n" in text else f" (character {column})"
        yield Finding(loc, f"{error.message}{where}")
    fields = tuple((s.name, s.fallback is not None) for s in found if s.kind == "field")
    for message, severity in _field_warnings(fields):
        yield Finding(loc, message, severity)


@functools.lru_cache(maxsize=4096)
def _field_warnings(fields: tuple[tuple[str, bool], ...]) -> tuple[tuple[str, Severity], ...]:
    """(message, severity) for the field snippets of one text. Cached: a fleet's texts share a few
    combinations of snippets, most of them with nothing to say."""
    found: list[tuple[str, Severity]] = []
    warned: set[str] = set()
    for name, has_fallback in fields:
        if name in warned:
            continue
        warned.add(name)
        if name not in snippets.KNOWN_FIELDS:
            # An error, not a warning: Woodpecker answers 400 to a name it does not fill.
            close = snippets.did_you_mean(name)
            hint = f"did you mean {{{{{close}}}}}?" if close else "check the spelling"
            found.append(
                (
                    f"{{{{{name}}}}} is not a snippet Woodpecker fills "
                    f"(standard fields, or SNIPPET_1 … SNIPPET_15); {hint}",
                    "error",
                )
            )
        elif not has_fallback:
            found.append(
                (
                    f'{{{{{name}}}}} has no fallback: a prospect without it is not sent; write {{{{{name} | "…"}}}}',
                    "warning",
                )
            )
    return tuple(found)


def _unsubscribe_warnings(campaign: Campaign) -> Iterator[Finding]:
    has_link = any(
        "{{UNSUBSCRIBE}}" in version.message
        for step in campaign.steps
        if isinstance(step, EmailStep)
        for version in step.versions
    )
    if has_link or not any(isinstance(step, EmailStep) for step in campaign.steps):
        return
    for setting in ("gdpr_unsubscribe", "list_unsubscribe"):
        if getattr(campaign.settings, setting):
            yield Finding(
                ("settings", setting),
                "is on, but no email version contains {{UNSUBSCRIBE}}; it works only if the link is in "
                "the message or in the mailbox signature",
                "warning",
            )
