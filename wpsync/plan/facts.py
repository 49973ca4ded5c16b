"""What the plan is told about Woodpecker: the facts a refresh reads, as plain values.

These are the planner's *input* types. The reading side (``wpsync.woodpecker.refresh``) builds them
and never imports the planner; the planner decides from them and never reads anything itself.

Counts of processed prospects are three-valued: ``0`` proven nobody, ``> 0`` proven somebody, ``None``
unknown (Woodpecker's stats do not say). The planner refuses on ``> 0``, says so on ``None`` and lets
the API's own answer decide.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]


@dataclass(frozen=True)
class StepResults:
    """One EMAIL step's counters in the v1 stats, all versions together; None where not reported."""

    sent: int | None  # emailSend: prospects the step was sent to
    queued: int | None  # toSend: prospects waiting for it
    opened: int | None = None
    replied: int | None = None


@dataclass(frozen=True)
class RemoteCampaign:
    """What Woodpecker reports about one campaign now."""

    status: str
    step_ids: tuple[str, ...]  # START first
    step_hashes: tuple[str, ...]  # canonical hashes of the content steps
    last_step_processed: int | None  # None: unknown
    processed: tuple[int | None, ...] = ()  # per content step, in order; () when not read
    prospects: int | None = None  # in the campaign, when the stats say
    results: tuple[StepResults | None, ...] = ()  # per content step; None: not reported (LINKEDIN)
    working_days: bool | None = None  # settings.count_followup_delay_in_working_days, when reported
    head: JSON | None = None  # canonical name, mailboxes and settings as held (None: unreadable)
    contents: tuple[JSON, ...] = ()  # canonical content of each step as held, in order


@dataclass(frozen=True)
class Unreadable:
    """A campaign the API would not read (e.g. 409 API_UNSUPPORTED_CAMPAIGN_FEATURES)."""

    code: str
    message: str


@dataclass(frozen=True)
class Names:
    """Mailbox addresses and LinkedIn account names, shown to reviewers instead of ids.

    ``read_at`` is empty when this plan read them from Woodpecker, or the date of the cached copy
    they came from (a plan made offline)."""

    mailboxes: Mapping[int, str] = field(default_factory=dict)
    linkedin: Mapping[int, str] = field(default_factory=dict)
    read_at: str = ""


@dataclass(frozen=True)
class Facts:
    """Refreshed facts. A key maps to None when its campaign no longer exists in Woodpecker."""

    campaigns: Mapping[str, RemoteCampaign | None] = field(default_factory=dict)
    unreadable: Mapping[str, Unreadable] = field(default_factory=dict)
    mailboxes: Mapping[int, str | None] | None = None  # SMTP id → connection problem (None: fine)
    linkedin: Mapping[int, tuple[str, str]] | None = None  # id → (session_status, level)
    untracked: Mapping[str, tuple[int, ...]] | None = None  # campaign name → ids no record owns
    account: str | None = None  # the key's account, when it was read (GET /v1/me)
    names: Names | None = None  # what the mailbox and LinkedIn reads said, when they were made


def same_account(one: str, other: str) -> bool:
    """Whether two recorded accounts are one: by the id part (``company 42``), whatever label follows."""
    return one.partition(" (")[0] == other.partition(" (")[0]


def account_label(account: str) -> str:
    """``company 42 (Acme, ann@acme.com)`` → ``Acme, ann@acme.com (company 42)``: the names a person
    knows the account by first. A state recorded before labels were kept has the id alone."""
    ident, _, label = account.partition(" (")
    return f"{label.removesuffix(')')} ({ident})" if label else ident
