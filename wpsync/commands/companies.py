"""`wpsync accounts --companies`: an agency (HQ) key's client companies, with the ids `company_id` takes.

Each key is asked once (``GET /v2/agency/companies``, as the HQ itself: no ``x-company-id``). With
declared accounts, the keys asked are those of the accounts that have a ``company_id`` (the agency's),
or, when none has, the key of every account chosen; each company says which declared account it is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from typing import Any

from wpsync.commands.resolve import Account
from wpsync.commands.workspace import client_for
from wpsync.errors import EXIT_OK, InputError
from wpsync.woodpecker.agency import Company, companies
from wpsync.woodpecker.errors import WoodpeckerApiError

COMPANIES_FORMAT = 1


def agency_keys(accounts: Sequence[Account]) -> list[Account]:
    """One account per key and server to ask: the agency's (those with a company_id), else all."""
    agencies = [a for a in accounts if a.ws.company_id is not None] or list(accounts)
    seen: dict[tuple[str | None, str | None], Account] = {}
    for account in agencies:
        seen.setdefault((account.key, account.ws.api_url), account)
    return list(seen.values())


def client_companies(account: Account) -> list[Company]:
    """The client companies of ``account``'s key, asked as the HQ; an InputError if it is no agency key."""
    if account.key is None:
        raise InputError(f"accounts --companies needs the API key: set {account.ws.key_source}")
    hq = replace(account.ws, company_id=None)
    try:
        with client_for(account.key, hq) as client:
            return companies(client)
    except WoodpeckerApiError as exc:
        if exc.status != 403:
            raise
        raise InputError(
            f"the key in {account.ws.key_source} has no Agency add-on (403 from GET /v2/agency/companies: "
            f"{exc.info.details or exc.info.message or 'forbidden'}): client companies are listed with an "
            "agency's HQ key"
        ) from None


def companies_command(accounts: Sequence[Account], *, output_format: str, echo: Callable[[str], None]) -> int:
    declared = {
        (a.key, a.ws.api_url, a.ws.company_id): a.name for a in accounts if a.ws.company_id is not None
    }
    rows: list[dict[str, Any]] = []
    groups = []
    for account in agency_keys(accounts):
        found = [
            asdict(company) | {"account": declared.get((account.key, account.ws.api_url, company.id))}
            for company in client_companies(account)
        ]
        groups.append((account, found))
        source = account.config.api_key_env if account.config else account.ws.key_source
        rows.extend(row | {"key": source} for row in found)
    if output_format == "json":
        echo(
            json.dumps({"format_version": COMPANIES_FORMAT, "companies": rows}, indent=2, ensure_ascii=False)
        )
        return EXIT_OK
    for number, (account, found) in enumerate(groups):
        echo(("\n" if number else "") + f"Client companies of the key in {account.ws.key_source}:")
        if not found:
            echo("  none")
            continue
        table = [("ID", "NAME", "ACCOUNT", "RUNNING", "MAILBOXES", "LINKEDIN")] + [
            (
                str(row["id"]),
                row["name"] or "(no name)",
                row["account"] or "-",
                _shown(row["running_campaigns"]),
                _shown(row["email_slots"]),
                _shown(row["linkedin_slots"]),
            )
            for row in found
        ]
        widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
        for line in table:
            echo(
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
            )
    if any(row["account"] is None for row in rows):
        echo("")
        echo("`wpsync init --companies ID,ID` writes [accounts] tables for the ones you choose.")
    return EXIT_OK


def _shown(value: int | None) -> str:
    return "?" if value is None else str(value)
