"""Read Woodpecker's statistics and account answers leniently, and say "unknown" when they do not tell.

No v2 call returns per-step counts. ``GET /v1/campaign_list?id=ID`` carries campaign counters in
``stats`` and an ``emails`` array with one entry per EMAIL step (api-notes.md, "Processed prospects";
where ``emails`` sits — inside ``stats`` or beside it — is not certain, so both are read). The rule,
straight from the evidence:

- campaign ``sent == 0`` and ``queue == 0``: nobody was processed — every step is 0;
- an EMAIL step whose entry has ``emailSend > 0`` or ``toSend > 0``: processed (that many);
- anything else (a LINKEDIN step, zeros on one step, entries that do not line up with the EMAIL
  steps, a shape not seen before): unknown (None). The plan says so and the API's own answer decides.

This module is the only place that knows these shapes: correct it here when the real API differs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wpsync.plan.facts import StepResults

JSON = dict[str, Any]


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def processed_by_step(
    item: JSON, types: Sequence[str], subjects: Sequence[str | None]
) -> tuple[int | None, ...]:
    """Prospects processed per content step (in order), each 0, > 0 or None (unknown).

    ``types`` are the steps' types (EMAIL/LINKEDIN) and ``subjects`` version A's subject of each
    (None for LINKEDIN), from the v2 GET: the ``emails`` entries are lined up with the EMAIL steps by
    order and checked by subject where both have one.
    """
    stats: JSON = item["stats"] if isinstance(item.get("stats"), dict) else {}
    if _count(stats.get("sent")) == 0 and _count(stats.get("queue")) == 0:
        return tuple(0 for _ in types)
    found: list[int | None] = [None] * len(types)
    emails = stats.get("emails", item.get("emails"))
    email_steps = [i for i, kind in enumerate(types) if kind == "EMAIL"]
    if not isinstance(emails, list) or len(emails) != len(email_steps):
        return tuple(found)
    for entry, index in zip(emails, email_steps, strict=True):
        if not isinstance(entry, dict):
            return tuple(None for _ in types)
        subject = entry.get("subject")
        if isinstance(subject, str) and subjects[index] and subject.strip() != str(subjects[index]).strip():
            return tuple(None for _ in types)  # they do not line up: trust none of them
        sent, waiting = _count(entry.get("emailSend")), _count(entry.get("toSend"))
        if (sent or 0) + (waiting or 0) > 0:
            found[index] = (sent or 0) + (waiting or 0)
    return tuple(found)


def results_by_step(
    item: JSON, types: Sequence[str], subjects: Sequence[str | None]
) -> tuple[StepResults | None, ...]:
    """Each EMAIL step's counters (sent, queued, opens, replies; all versions together), lined up as
    ``processed_by_step`` lines them up; None for a LINKEDIN step or when the entries do not line up.
    A counter missing or of the wrong type is None: "unknown", never 0."""
    stats: JSON = item["stats"] if isinstance(item.get("stats"), dict) else {}
    emails = stats.get("emails", item.get("emails"))
    email_steps = [i for i, kind in enumerate(types) if kind == "EMAIL"]
    found: list[StepResults | None] = [None] * len(types)
    if not isinstance(emails, list) or len(emails) != len(email_steps):
        return tuple(found)
    for entry, index in zip(emails, email_steps, strict=True):
        subject = entry.get("subject") if isinstance(entry, dict) else None
        if not isinstance(entry, dict) or (
            isinstance(subject, str) and subjects[index] and subject.strip() != str(subjects[index]).strip()
        ):
            return tuple(None for _ in types)  # they do not line up: trust none of them
        found[index] = StepResults(
            _count(entry.get("emailSend")),
            _count(entry.get("toSend")),
            _count(entry.get("open")),
            _count(entry.get("reply")),
        )
    return tuple(found)


def total_count(header: str | None) -> int | None:
    """``X-Total-Count`` of a v1 list (api-notes.md, "Newer evidence"): a whole number, or None."""
    text = (header or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 12 else None


def prospects(item: JSON) -> int | None:
    stats: JSON = item["stats"] if isinstance(item.get("stats"), dict) else {}
    return _count(stats.get("prospects"))


def account_identity(me: JSON) -> str | None:
    """A stable name for the account a key acts for, from ``GET /v1/me`` [assume: its body is not
    documented]: the company id where one is given (an agency client included), else the user's id —
    then, in parentheses, the names a person knows it by (company name, email) when the answer has them:
    ``company 42 (Acme, ann@acme.com)``. Only the id part is compared (``plan.facts.same_account``).
    None when the answer names neither: the account check is then skipped, and says so."""
    ident = _identity(me)
    if ident is None:
        return None
    label = ", ".join(_labels(me))
    return f"{ident} ({label})" if label else ident


def _identity(me: JSON) -> str | None:
    holders: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (me, ("company_id", "companyId")),
        (me.get("company"), ("id",)),
        (me, ("id", "user_id")),
    )
    for holder, keys in holders:
        if isinstance(holder, dict):
            for key in keys:
                value = holder.get(key)
                if isinstance(value, int | str) and not isinstance(value, bool) and str(value):
                    kind = "user" if key in ("id", "user_id") and holder is me else "company"
                    return f"{kind} {_plain(str(value))}"
    user = me.get("user")
    if isinstance(user, dict) and isinstance(user.get("id"), int | str):
        return f"user {_plain(str(user['id']))}"
    return None


def _labels(me: JSON) -> list[str]:
    company, user = me.get("company"), me.get("user")
    found = [
        me.get("company_name"),
        company.get("name") if isinstance(company, dict) else None,
        me.get("name"),
        me.get("email"),
        user.get("email") if isinstance(user, dict) else None,
    ]
    labels: list[str] = []
    for value in found:
        if isinstance(value, str) and (text := _plain(value)) and text not in labels:
            labels.append(text)
    return labels[:2]


def _plain(text: str) -> str:
    """At most 80 printable characters, no parentheses: a label is shown in one line and parsed back."""
    kept = "".join(c for c in text if c.isprintable() and c not in "()")
    return kept.strip()[:80]
