"""Who an API key acts for, read leniently from whichever known source answers.

Neither source is documented well enough to lean on one (api-notes.md, "Newer evidence": Identity):

    GET /v1/me      the docs' example request; its body is undocumented, and the agency page says an
                    HQ key and a client key answer differently, without showing either
    GET /v2/users   one client probes it instead; a page of users in ``content`` with
                    ``pagination_data``, page 0-based

So ``/v1/me`` is asked first and ``/v2/users`` only when it gives no id wpsync can read. The answer
says which source was used and what it showed, for ``doctor``; ``account`` is None when no source
names the account (the account check is then skipped, never guessed). A 401 or 403 is raised as it
is: a wrong key or a missing add-on speaks for itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wpsync.woodpecker.client import WoodpeckerApiError, WoodpeckerClient
from wpsync.woodpecker.stats import account_identity

ME = "GET /v1/me"
USERS = "GET /v2/users"
# [assume] Keys a user entry may carry that name the whole account; webhook payloads call it firm_id
# ("ID of your Woodpecker account" [doc]). A user's own id names a person, not the account.
ACCOUNT_KEYS = ("company_id", "companyId", "firm_id", "firmId")


@dataclass(frozen=True)
class Identity:
    account: str | None  # what the state records ("company 123"); None: no source named the account
    source: str  # the source ``account`` came from, or the last one asked
    shown: str  # one line: what the answers showed
    sources_tried: tuple[str, ...] = ()


def identify(client: WoodpeckerClient) -> Identity:
    shown: list[str] = []
    try:
        me = client.me()
    except WoodpeckerApiError as exc:
        if exc.status in (401, 403):
            raise
        shown.append(f"{ME} answered {exc.status}{f' {exc.code}' if exc.code else ''}")
    else:
        found = account_identity(me)
        if found is not None:
            return Identity(found, ME, f"{ME}: {found} (keys: {', '.join(sorted(me)[:8])})", (ME,))
        shown.append(f"{ME} named no id (keys: {', '.join(sorted(me)[:8]) or 'none'})")
    try:
        page = client.users()
    except WoodpeckerApiError as exc:
        if exc.status in (401, 403):
            raise
        shown.append(f"{USERS} answered {exc.status}{f' {exc.code}' if exc.code else ''}")
        return Identity(None, USERS, "; ".join(shown), (ME, USERS))
    found, seen = _from_users(page)
    shown.append(f"{USERS}: {seen}")
    return Identity(found, USERS, "; ".join(shown), (ME, USERS))


def _from_users(page: dict[str, Any]) -> tuple[str | None, str]:
    users = [u for u in page.get("content") or [] if isinstance(u, dict)]
    ids = [u["id"] for u in users if isinstance(u.get("id"), int | str) and not isinstance(u.get("id"), bool)]
    accounts = {
        str(value)
        for user in users
        for key in ACCOUNT_KEYS
        if isinstance(value := user.get(key), int | str) and not isinstance(value, bool) and str(value)
    }
    paging = page.get("pagination_data")
    total = paging.get("total_elements", len(users)) if isinstance(paging, dict) else len(users)
    seen = f"{total} user(s), ids {', '.join(map(str, ids[:5])) or 'none'}"
    if len(accounts) == 1:
        account = f"company {accounts.pop()}"
        return account, f"{seen}; account {account}"
    return None, f"{seen}; no account id in them"
