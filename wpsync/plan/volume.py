"""Projected sending volume: emails per day per mailbox at steady state, and the mailboxes over a limit.

Pure. The projection is an upper bound: each day ``daily_enroll`` new prospects start the sequence, and
once the first of them reach the last step every EMAIL step sends to one day's intake each day, so a
campaign sends at most ``daily_enroll × EMAIL steps`` a day. Woodpecker's pages disagree on whether
``daily_enroll`` is per mailbox (create-campaign) or shared between all of them (PATCH campaign);
wpsync assumes **per mailbox** — the larger answer, so a limit is never passed unwarned — and says so
wherever it shows a volume (docs/lints.md). LinkedIn steps send no email; replies, bounces and
unsubscribes only lower the real figure; a campaign's status is not considered (a paused campaign
counts as it will send once running again).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from wpsync.plan.forecast import MailboxLoad, Volume


@dataclass(frozen=True)
class Load:
    """One campaign's share of its mailboxes' sending: ``daily`` emails a day from each of them."""

    key: str
    mailboxes: tuple[int, ...]
    daily: int


def volume(daily_enroll: int, step_types: Sequence[str], mailboxes: Sequence[int]) -> Volume:
    emails = sum(kind == "EMAIL" for kind in step_types)
    return Volume(daily_enroll * emails, tuple(mailboxes), daily_enroll, emails)


def load_of(key: str, head: Mapping[str, object], step_types: Sequence[str]) -> Load:
    """A campaign's load from its canonical head (name, mailboxes, settings) and its steps' types."""
    settings = head.get("settings")
    enroll = settings.get("daily_enroll") if isinstance(settings, dict) else None
    boxes = head.get("email_account_ids")
    mailboxes = tuple(m for m in boxes if isinstance(m, int)) if isinstance(boxes, list) else ()
    daily = enroll if isinstance(enroll, int) and not isinstance(enroll, bool) else 0
    return Load(key, mailboxes, daily * sum(kind == "EMAIL" for kind in step_types))


def totals(loads: Iterable[Load]) -> dict[int, tuple[int, tuple[str, ...]]]:
    """Per mailbox: the emails a day over every load sending from it, and their keys (sorted)."""
    sums: dict[int, int] = {}
    keys: dict[int, list[str]] = {}
    for load in loads:
        for mailbox in set(load.mailboxes):
            sums[mailbox] = sums.get(mailbox, 0) + load.daily
            keys.setdefault(mailbox, []).append(load.key)
    return {m: (sums[m], tuple(sorted(keys[m]))) for m in sums}


def mailbox_loads(before: Iterable[Load], after: Iterable[Load], limit: int) -> tuple[MailboxLoad, ...]:
    """Every mailbox whose projected daily sends change, or that is over ``limit`` after the plan."""
    old, new = totals(before), totals(after)
    found = []
    for mailbox in sorted(set(old) | set(new)):
        was, (now, keys) = old.get(mailbox, (0, ()))[0], new.get(mailbox, (0, ()))
        if was != now or 0 < limit < now:
            found.append(MailboxLoad(mailbox, was, now, limit, keys))
    return tuple(found)
