"""The rules that span fields, on a document whose shapes are not all valid: every error in one run.

Pydantic reports every shape and type error at once, but the rules in ``rules.py`` need a valid
campaign. Without this, a file's errors came in waves — fix the shapes, then learn of an undefined
schedule name, then of ``{{FIRSTNAME}}`` in a step that had another error. Here each rule looks at as
much of the raw document as it needs (one step, one version, one string), so it runs whatever else
in the file is broken; a finding at a place pydantic already reported is left out (one problem, once).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import TypeAdapter, ValidationError

from wpsync.files import rules
from wpsync.files.rules import Finding, Loc

_TEXTS = ("subject", "message")


def rules_on_invalid(document: dict[str, Any], reported: set[Loc]) -> list[Finding]:
    """Every rule finding on what can be read of ``document``, none where ``reported`` has one."""
    from wpsync.files.models import Step

    steps = document.get("steps")
    steps = steps if isinstance(steps, list) else []
    adapter: TypeAdapter[Any] = TypeAdapter(Step)
    first_email = next((i for i, raw in enumerate(steps) if _type(raw) == "EMAIL"), None)
    findings: list[Finding] = []
    for index, raw in enumerate(steps):
        try:
            step = adapter.validate_python(raw)
        except ValidationError:
            findings.extend(_raw_step(index, raw, first_email=index == first_email))
        else:
            findings.extend(rules.check_step(index, step, first_email=index == first_email))
    findings.extend(_references(document, steps))
    if first_email is not None and _missing_mailboxes(document):
        findings.append(Finding(("email_account_ids",), rules.MAILBOXES_REQUIRED))
    return [f for f in findings if f.loc not in reported]


def _type(raw: object) -> object:
    return raw.get("type") if isinstance(raw, dict) else None


def _raw_step(index: int, raw: object, *, first_email: bool) -> Iterator[Finding]:
    """A step with shape errors: its versions' texts are still checked, and the first EMAIL step's
    subjects still required."""
    versions = raw.get("versions") if isinstance(raw, dict) else None
    if not isinstance(versions, list):
        return
    for v, version in enumerate(versions):
        if not isinstance(version, dict):
            continue
        where: Loc = ("steps", index, "versions", v)
        subject = version.get("subject")  # another type is pydantic's to report
        if first_email and (subject is None or (isinstance(subject, str) and not subject.strip())):
            yield Finding((*where, "subject"), rules.FIRST_SUBJECT_REQUIRED)
        for name in _TEXTS:
            text = version.get(name)
            if isinstance(text, str) and text:
                yield from rules.check_text((*where, name), text)


def _references(document: dict[str, Any], steps: list[Any]) -> Iterator[Finding]:
    schedules = document.get("schedules", {})
    names = set(schedules) if isinstance(schedules, dict) else None
    if names is None:
        return  # a schedules that is not a table is itself the error
    for index, raw in enumerate(steps):
        reference = raw.get("delivery_time") if isinstance(raw, dict) and _type(raw) == "EMAIL" else None
        if isinstance(reference, str) and reference not in names:
            yield Finding(("steps", index, "delivery_time"), rules.unknown_schedule(reference, names))


def _missing_mailboxes(document: dict[str, Any]) -> bool:
    return "email_account_ids" not in document or document["email_account_ids"] in ([], None)
