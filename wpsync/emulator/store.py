"""The emulator's data: accounts, their mailboxes, LinkedIn accounts and campaigns; optionally on disk.

Accounts are keyed by the SHA-256 of their API key, never by the key itself, so neither memory dumps
nor the persistence file hold a usable key. Campaign steps are kept as a flat list in chain order
(START first): the API can only append, so "the last step" is simply ``steps[-1]``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

FIRST_CAMPAIGN_ID = 1001
STATE_FORMAT = "wpsync-emulator-state/1"
STATUSES = ("DRAFT", "RUNNING", "PAUSED", "STOPPED", "COMPLETED", "EDITED")
# [doc] An older page also lists REQUIRES_CHECKPOINT (LinkedIn asks the sender to verify the login).
SESSION_STATUSES = ("CONNECTED", "DISCONNECTED", "WAITING_FOR_CONNECTION", "REQUIRES_CHECKPOINT")
LEVELS = ("CLASSIC", "PREMIUM", "RECRUITER_LITE", "SALES_NAVIGATOR", "UNKNOWN")
MAILBOX_TYPES = ("SMTP", "IMAP")
# IMAP twins of seeded SMTP mailboxes get ids in another range, as in a real account the two are
# separate entries; a client that passes an IMAP id to a campaign must be told no.
IMAP_ID_OFFSET = 1_000_000


def key_digest(api_key: str) -> str:
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


# [doc] "details.error ... can be "Connected conditionally." for a mailbox that still sends".
CONDITIONAL_ERROR = "Connected conditionally."


@dataclass
class Mailbox:
    id: int
    email: str
    type: str = "SMTP"
    error: str | None = None  # None: connected without issues
    imap_id: int | None = None  # an SMTP entry's IMAP twin, as /v2/mailboxes links them

    @property
    def sends(self) -> bool:
        """Connected without issues, or only conditionally (which still sends)."""
        return self.error is None or self.error == CONDITIONAL_ERROR


@dataclass
class LinkedInAccount:
    id: int
    full_name: str
    session_status: str = "CONNECTED"
    level: str = "SALES_NAVIGATOR"
    linkedin_url: str | None = None  # [doc, newer] the profile; None: a made-up one is shown

    def render(self) -> dict[str, Any]:
        """One entry of GET /v2/linkedin_accounts; ``username`` is deprecated and null [doc, newer]."""
        url = self.linkedin_url or f"https://www.linkedin.com/in/sender-{self.id}"  # [assume] ours
        return {
            "id": self.id,
            "full_name": self.full_name,
            "session_status": self.session_status,
            "level": self.level,
            "username": None,
            "linkedin_url": url,
        }


@dataclass
class Step:
    id: str
    type: str  # START | EMAIL | LINKEDIN
    content: dict[str, Any]  # the response fields other than id, type and followup, defaults filled
    processed: int = 0  # prospects the step has processed (mark_processed): gates add/delete-step
    stats: dict[str, int] = field(default_factory=dict)  # set_step_stats overrides of the v1 counters


@dataclass
class Campaign:
    id: int
    name: str
    status: str
    email_account_ids: list[int]
    settings: dict[str, Any]
    steps: list[Step]
    stats: dict[str, int] = field(default_factory=dict)  # set_campaign_stats overrides of the v1 counters
    unsupported: bool = False  # built in the app with features the API cannot show (409 on GET)
    in_workflow: bool = False  # part of a workflow: DELETE answers 409 CAMPAIGN_IN_WORKFLOW

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)


@dataclass
class Account:
    mailboxes: dict[int, Mailbox] = field(default_factory=dict)
    linkedin_accounts: dict[int, LinkedInAccount] = field(default_factory=dict)
    campaigns: dict[int, Campaign] = field(default_factory=dict)
    companies: dict[int, str] = field(default_factory=dict)  # agency (HQ) accounts: client companies


def company_account(hq: str, company_id: int) -> str:
    """The store key of a client company that an HQ account acts for with ``x-company-id``."""
    return f"{hq}:{company_id}"


def identity(account: str) -> dict[str, Any]:
    """What ``GET /v1/me`` answers for an account: stable, distinct, derived from the store key.

    [assume] The body of /v1/me is not documented. Ids are derived from the SHA-256 of the key (and the
    company id for an agency's client company), so they are stable across restarts and processes.
    """
    hq, _, company = account.partition(":")
    user_id = 10_000 + int(hq[:8], 16) % 90_000_000
    company_id = int(company) if company else 100_000 + int(hq[8:16], 16) % 900_000_000
    return {
        "id": user_id,
        "email": f"user-{hq[:8]}@example.com",
        "company_id": company_id,
        "company_name": f"Company {company_id}",
    }


def seed_examples(account: Account) -> None:
    """The mailboxes and LinkedIn account that the spec's example payloads refer to."""
    for smtp_id, email in (
        (112233, "sales@example.com"),
        (100001, "anna@example.com"),
        (100002, "ben@example.com"),
        (100003, "carla@example.com"),
    ):
        imap_id = smtp_id + IMAP_ID_OFFSET
        account.mailboxes[smtp_id] = Mailbox(smtp_id, email, imap_id=imap_id)
        account.mailboxes[imap_id] = Mailbox(imap_id, email, type="IMAP")
    account.linkedin_accounts[200002] = LinkedInAccount(
        200002, "Example Sender", "CONNECTED", "SALES_NAVIGATOR"
    )


class Store:
    """All accounts. One event loop owns it, so handlers mutate it without locks."""

    def __init__(
        self, api_keys: Sequence[str], persist: Path | None = None, seed: bool = False, sample: bool = False
    ) -> None:
        # No configured keys means an open emulator: any non-empty key is its own account.
        self._allowed = frozenset(key_digest(k) for k in api_keys) or None
        self._persist = persist
        self._seed = seed
        self._sample = (
            sample  # every new account starts with Woodpecker's sample campaign, as a real one does
        )
        self.accounts: dict[str, Account] = {}
        self.next_campaign_id = FIRST_CAMPAIGN_ID
        if persist is not None and persist.exists():
            self._load(persist)

    def authenticate(self, api_key: str | None) -> str | None:
        """The account digest for this key, or None when the key is missing or not accepted."""
        if not api_key:
            return None
        digest = key_digest(api_key)
        if self._allowed is not None and digest not in self._allowed:
            return None
        return digest

    def act_for(self, hq: str, company_id: int) -> str | None:
        """The store key of the HQ account's client company, or None if it has registered no such company."""
        if company_id not in self.account(hq).companies:
            return None
        return company_account(hq, company_id)

    def account(self, digest: str) -> Account:
        account = self.accounts.get(digest)
        if account is None:
            account = self.accounts[digest] = Account()
            if self._seed:
                seed_examples(account)
            if self._sample:
                from wpsync.emulator.payload import sample_campaign  # payload builds on this module

                campaign = sample_campaign(self.new_campaign_id())
                account.campaigns[campaign.id] = campaign
        return account

    def new_campaign_id(self) -> int:
        campaign_id = self.next_campaign_id
        self.next_campaign_id += 1
        return campaign_id

    def reset(self) -> None:
        # The id counter is kept on purpose: a test's stale reference to campaign 1001 must not
        # silently resolve to a different campaign created after the reset.
        self.accounts.clear()

    def save(self) -> None:
        """Write everything to the persistence file, atomically, if there is one."""
        if self._persist is None:
            return
        data = {
            "format": STATE_FORMAT,
            "next_campaign_id": self.next_campaign_id,
            "accounts": {
                digest: {
                    "mailboxes": [asdict(m) for m in account.mailboxes.values()],
                    "linkedin_accounts": [asdict(a) for a in account.linkedin_accounts.values()],
                    "campaigns": [asdict(c) for c in account.campaigns.values()],
                    "companies": [{"id": i, "name": n} for i, n in account.companies.items()],
                }
                for digest, account in self.accounts.items()
            },
        }
        target = self._persist
        target.parent.mkdir(parents=True, exist_ok=True)
        # Temp file in the same directory, then an atomic rename (os.replace underneath): a reader, or a
        # crash, never sees half a file.
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, indent=1, sort_keys=True)
                out.flush()
                os.fsync(out.fileno())
            Path(tmp).replace(target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != STATE_FORMAT:
                raise ValueError(f"format is {data.get('format')!r}, expected {STATE_FORMAT!r}")
            self.next_campaign_id = int(data["next_campaign_id"])
            for digest, raw in data["accounts"].items():
                self.accounts[digest] = Account(
                    mailboxes={m["id"]: Mailbox(**m) for m in raw["mailboxes"]},
                    linkedin_accounts={a["id"]: LinkedInAccount(**a) for a in raw["linkedin_accounts"]},
                    campaigns={c["id"]: _campaign(c) for c in raw["campaigns"]},
                    companies={c["id"]: c["name"] for c in raw.get("companies", [])},
                )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}: not a wpsync emulator state file: {exc}") from exc


def _campaign(raw: dict[str, Any]) -> Campaign:
    steps = [Step(**s) for s in raw.pop("steps")]
    return Campaign(**raw, steps=steps)
