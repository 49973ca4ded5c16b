"""`wpsync accounts`: the ids a campaign file may use — SMTP mailboxes and LinkedIn accounts — with health.

Only SMTP entries are listed as mailboxes: campaigns take SMTP ids, and GET /v2/mailboxes also lists
IMAP entries that a campaign cannot use. A mailbox's address is read from ``details.email``, falling
back to a top-level ``email``; its health from ``details.error`` (no error: OK).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from wpsync.commands.resolve import Account
from wpsync.commands.workspace import client_for
from wpsync.errors import EXIT_OK, InputError

ACCOUNTS_FORMAT = 1


def _mailbox(box: dict[str, Any]) -> dict[str, Any]:
    raw = box.get("details")
    details: dict[str, Any] = raw if isinstance(raw, dict) else {}
    email = details.get("email") or box.get("email")
    error = details.get("error")
    return {"id": box["id"], "email": email, "health": f"error: {error}" if error else "OK"}


def _linkedin(account: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": account["id"],
        "name": account.get("full_name") or account.get("name"),
        "session_status": account.get("session_status"),
        "level": account.get("level"),
    }


def accounts_command(
    accounts: Sequence[Account],
    *,
    output_format: str,
    echo: Callable[[str], None],
    save_names: str | None = None,
) -> int:
    """The mailboxes and LinkedIn accounts of each account, read with its own key, URL and company.
    With ``save_names`` (today's date), each account's names are also cached in its campaigns folder."""
    found = []
    for account in accounts:
        if account.key is None:
            raise InputError(
                f"accounts needs the API key: set {account.ws.key_source}, or pass --api-key-file FILE"
            )
        with client_for(account.key, account.ws) as client:
            boxes = [
                _mailbox(box)
                for box in client.mailboxes()
                if str(box.get("type", "SMTP")).upper() == "SMTP" and isinstance(box.get("id"), int)
            ]
            linkedin = [_linkedin(a) for a in client.linkedin_accounts() if isinstance(a.get("id"), int)]
        found.append((account, boxes, linkedin))
        if save_names is not None:
            from wpsync.commands import names_cache

            saved = names_cache.save(
                account.ws.campaigns,
                {b["id"]: str(b["email"]) for b in boxes if b["email"]},
                {a["id"]: str(a["name"]) for a in linkedin if a["name"]},
                save_names,
            )
            notice = f"Saved the names to {saved}; commit it so that plans made offline show them."
            if output_format != "json":
                echo(notice)
    if output_format == "json":
        if accounts[0].name is None:
            _, boxes, linkedin = found[0]
            payload: dict[str, Any] = {"mailboxes": boxes, "linkedin_accounts": linkedin}
        else:
            payload = {
                "accounts": {
                    account.name: {"mailboxes": boxes, "linkedin_accounts": linkedin}
                    for account, boxes, linkedin in found
                }
            }
        echo(json.dumps({"format_version": ACCOUNTS_FORMAT, **payload}, indent=2, ensure_ascii=False))
        return EXIT_OK
    for number, (account, boxes, linkedin) in enumerate(found):
        indent = ""
        if account.name is not None:
            company = f", company {account.ws.company_id}" if account.ws.company_id is not None else ""
            echo(("\n" if number else "") + f"{account.name} (key in {account.ws.key_source}{company}):")
            indent = "  "
        _show(boxes, linkedin, indent, echo)
    return EXIT_OK


def _show(
    boxes: list[dict[str, Any]], linkedin: list[dict[str, Any]], indent: str, echo: Callable[[str], None]
) -> None:
    echo(f"{indent}Mailboxes (email_account_ids; SMTP only):")
    if not boxes:
        echo(f"{indent}  none")
    for box in boxes:
        echo(f"{indent}  {box['id']:>10}  {box['email'] or '(no address)'}  {box['health']}")
    echo("")
    echo(f"{indent}LinkedIn accounts (linkedin_account_id):")
    if not linkedin:
        echo(f"{indent}  none")
    for entry in linkedin:
        level = f", {entry['level']}" if entry["level"] else ""
        echo(f"{indent}  {entry['id']:>10}  {entry['name'] or '(no name)'}  {entry['session_status']}{level}")
