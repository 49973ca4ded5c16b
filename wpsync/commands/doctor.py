"""`wpsync doctor`: a read-only check of a real account against what wpsync expects of the API.

Run it once against a real Woodpecker account before the first apply. Every check is a read, except
one POST of make_editable to a campaign id that cannot exist: ``CAMPAIGN_NOT_EXIST`` proves the route
is there without touching any campaign. Each row says what matched wpsync's expectations and what did
not, so that a difference between the real API and the emulator is found by the first user, on
purpose, not by the first apply.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from wpsync.commands.resolve import Account
from wpsync.commands.workspace import Workspace, client_for, named
from wpsync.errors import EXIT_ERROR, EXIT_OK, InputError, WpsyncError
from wpsync.plan.facts import account_label, same_account
from wpsync.woodpecker.client import WoodpeckerApiError, WoodpeckerClient
from wpsync.woodpecker.identity import identify
from wpsync.woodpecker.refresh import first_subject
from wpsync.woodpecker.remote import read_steps
from wpsync.woodpecker.stats import processed_by_step

NO_SUCH_CAMPAIGN = 2_000_000_000  # far above any id an account has: the probe can change nothing
KNOWN_SETTINGS_EXTRA = {"auto_pause_prospect_from_domain_statuses", "count_followup_delay_in_working_days"}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: could not be told (not a failure)
    detail: str


def doctor_command(accounts: Sequence[Account], *, echo: Callable[[str], None]) -> int:
    """The checks of each account in turn (with several, each under its name, key variable and URL)."""
    failed = 0
    for number, account in enumerate(accounts):
        ws, api_key = account.ws, account.key
        if api_key is None:
            raise InputError(f"doctor needs the API key: set {ws.key_source}, or pass --api-key-file FILE")
        if account.name is not None:
            company = f", company {ws.company_id}" if ws.company_id is not None else ""
            echo(("\n" if number else "") + f"{account.name} (key in {ws.key_source}{company}):")
        with client_for(api_key, ws) as client:
            checks = run_checks(client, ws)
        width = max(len(c.name) for c in checks)
        for check in checks:
            mark = {True: "ok  ", False: "FAIL", None: "?   "}[check.ok]
            echo(f"{mark}  {check.name.ljust(width)}  {check.detail}")
        failed += sum(c.ok is False for c in checks)
    echo("")
    echo(f"{failed} check(s) failed." if failed else "Everything wpsync relies on answered as expected.")
    return EXIT_ERROR if failed else EXIT_OK


def run_checks(client: WoodpeckerClient, ws: Workspace) -> list[Check]:
    checks: list[Check] = []

    def attempt(name: str, probe: Callable[[], Check]) -> bool:
        try:
            checks.append(probe())
        except WoodpeckerApiError as exc:
            said = named(exc, ws).message
            checks.append(Check(name, False, f"HTTP {exc.status} {exc.code or ''}: {said}".strip()))
            return False
        except WpsyncError as exc:
            checks.append(Check(name, False, named(exc, ws).message))
            return False
        return True

    if not attempt("API reachable, key valid, API add-on", lambda: _mailboxes(client)):
        return checks  # nothing else can be read
    attempt("LinkedIn accounts readable", lambda: _linkedin(client))
    listed: list[dict[str, Any]] = []
    attempt("campaign list shape", lambda: _campaign_list(client, listed))
    attempt("account identity", lambda: _identity(client, ws))
    records = ws.state.read_all()
    # Recorded campaigns first, then any listed one: a real account's first campaign may be Woodpecker's
    # sample, which the API cannot read (409) — say so and try the next, rather than fail.
    names = {c["id"]: str(c.get("name")) for c in listed if isinstance(c.get("id"), int)}
    candidates = [(key, records[key].campaign_id) for key in sorted(records)]
    candidates += [(names[i], i) for i in sorted(names) if i not in {c for _, c in candidates}]
    read = functools.cache(client.get_campaign)  # one GET serves both checks
    for label, campaign_id in candidates[:MAX_CAMPAIGNS_TRIED]:
        if _unsupported(read, campaign_id):
            checks.append(Check(f"campaign payload ({label})", None, UNSUPPORTED.format(campaign_id)))
            continue
        attempt(f"campaign payload ({label})", functools.partial(_payload, read, campaign_id))
        attempt(f"stats shape ({label})", functools.partial(_stats, read, client, campaign_id))
        break
    else:
        checks.append(Check("campaign payload and stats", None, "no campaign the API can read yet"))
    attempt("make_editable route", lambda: _make_editable_route(client))
    return checks


MAX_CAMPAIGNS_TRIED = 3
UNSUPPORTED = (
    "campaign {} answers 409 API_UNSUPPORTED_CAMPAIGN_FEATURES: the API cannot read it (IF conditions, a"
    " scheduled start, manual tasks; Woodpecker's own sample campaign does this); wpsync leaves it alone"
)


def _unsupported(read: Callable[[int], dict[str, Any]], campaign_id: int) -> bool:
    try:
        read(campaign_id)
    except WoodpeckerApiError as exc:
        return exc.code == "API_UNSUPPORTED_CAMPAIGN_FEATURES"
    return False


def _mailboxes(client: WoodpeckerClient) -> Check:
    boxes = client.mailboxes()
    smtp = [b for b in boxes if str(b.get("type", "")).upper() == "SMTP" and isinstance(b.get("id"), int)]
    emails = sum(isinstance((b.get("details") or {}).get("email"), str) for b in smtp)
    problems = [b["id"] for b in smtp if (b.get("details") or {}).get("error")]
    detail = f"{len(smtp)} SMTP mailbox(es), {emails} with details.email"
    if problems:
        detail += f"; reporting a problem: {', '.join(map(str, problems))}"
    return Check("API reachable, key valid, API add-on", True, detail)


def _linkedin(client: WoodpeckerClient) -> Check:
    accounts = client.linkedin_accounts()
    shaped = all(isinstance(a.get("id"), int) and "session_status" in a for a in accounts)
    statuses = Counter(str(a.get("session_status")) for a in accounts)
    detail = f"{len(accounts)} account(s)" + ("" if shaped else ", in an unexpected shape")
    if accounts:
        detail += ": " + ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
    stuck = sorted(s for s in statuses if s != "CONNECTED")
    if stuck:
        # REQUIRES_CHECKPOINT (an older page lists it): LinkedIn wants the sender to verify the login.
        detail += f" — steps using {' or '.join(stuck)} accounts are refused until reconnected in Woodpecker"
    return Check("LinkedIn accounts readable", shaped, detail)


def _campaign_list(client: WoodpeckerClient, listed: list[dict[str, Any]]) -> Check:
    campaigns = client.list_campaigns()
    listed.extend(campaigns)
    shaped = all(isinstance(c.get("id"), int) and "name" in c and "status" in c for c in campaigns)
    return Check(
        "campaign list shape",
        shaped,
        f"{len(campaigns)} campaign(s)" + ("" if shaped else ", items lack id/name/status"),
    )


def _identity(client: WoodpeckerClient, ws: Workspace) -> Check:
    found = identify(client)
    name = f"account identity ({found.source})"
    if found.account is None:
        return Check(name, None, f"{found.shown} — no account id: the account check is off")
    recorded = ws.state.account()
    if recorded and not same_account(recorded, found.account):
        return Check(name, False, f"{found.shown}; the state belongs to {account_label(recorded)}")
    return Check(name, True, found.shown + (" (matches the state)" if recorded else ""))


def _payload(read: Callable[[int], dict[str, Any]], campaign_id: int) -> Check:
    payload = read(campaign_id)
    steps = read_steps(payload)
    settings: dict[str, Any] = payload["settings"] if isinstance(payload.get("settings"), dict) else {}
    from wpsync.files.models import Settings

    unknown = sorted(set(settings) - set(Settings.model_fields) - KNOWN_SETTINGS_EXTRA)
    detail = f"campaign {campaign_id}: {payload.get('status')}, {len(steps.contents)} step(s) read"
    if unknown:
        detail += f"; settings wpsync has not seen before (carried, not managed): {', '.join(unknown)}"
    return Check(f"campaign payload ({campaign_id})", True, detail)


def _stats(read: Callable[[int], dict[str, Any]], client: WoodpeckerClient, campaign_id: int) -> Check:
    contents = read_steps(read(campaign_id)).contents
    item = client.campaign_item(campaign_id)
    if not isinstance(item.get("stats"), dict):
        return Check("stats shape", False, "the campaign list item has no 'stats' object")
    stats: dict[str, Any] = item["stats"]
    types = [str(c["type"]) for c in contents]
    subjects = [first_subject(c) for c in contents]
    counts = processed_by_step(item, types, subjects)
    known = sum(c is not None for c in counts)
    emails = stats.get("emails", item.get("emails"))
    where = "inside stats" if "emails" in stats else ("beside stats" if "emails" in item else "absent")
    detail = f"counters {'present' if 'sent' in stats else 'missing'}; emails[] {where}; processed known for {known} of {len(counts)} step(s)"
    shaped = "sent" in stats and isinstance(emails, list)
    return Check("stats shape", shaped, detail)


def _make_editable_route(client: WoodpeckerClient) -> Check:
    try:
        client.make_editable(NO_SUCH_CAMPAIGN)
    except WoodpeckerApiError as exc:
        if exc.code == "CAMPAIGN_NOT_EXIST":
            return Check(
                "make_editable route",
                True,
                "POST /v2/campaigns/{id}/make_editable exists (CAMPAIGN_NOT_EXIST for a missing id)",
            )
        return Check(
            "make_editable route",
            False,
            f"HTTP {exc.status} {exc.code or ''} for a missing id: the route may differ (e.g. /editable)",
        )
    return Check(
        "make_editable route", False, f"a POST for campaign {NO_SUCH_CAMPAIGN} succeeded: unexpected"
    )
