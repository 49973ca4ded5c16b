"""`wpsync accounts`: the ids a campaign file may use — SMTP mailboxes and LinkedIn accounts — with health.

Only SMTP entries are listed as mailboxes: campaigns take SMTP ids, and GET /v2/mailboxes also lists
IMAP entries that a campaign cannot use. A mailbox's address is read from ``details.email``, falling
back to a top-level ``email``; its health from ``details.error`` (no error: OK).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

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


def accounts_command(api_key: str | None, *, output_format: str, echo: Callable[[str], None]) -> int:
    if api_key is None:
        raise InputError("accounts needs the API key: set WOODPECKER_API_KEY, or pass --api-key-file FILE")
    with client_for(api_key) as client:
        boxes = [
            _mailbox(box)
            for box in client.mailboxes()
            if str(box.get("type", "SMTP")).upper() == "SMTP" and isinstance(box.get("id"), int)
        ]
        linkedin = [_linkedin(a) for a in client.linkedin_accounts() if isinstance(a.get("id"), int)]
    if output_format == "json":
        payload = {"format_version": ACCOUNTS_FORMAT, "mailboxes": boxes, "linkedin_accounts": linkedin}
        echo(json.dumps(payload, indent=2, ensure_ascii=False))
        return EXIT_OK
    echo("Mailboxes (email_account_ids; SMTP only):")
    if not boxes:
        echo("  none")
    for box in boxes:
        echo(f"  {box['id']:>10}  {box['email'] or '(no address)'}  {box['health']}")
    echo("")
    echo("LinkedIn accounts (linkedin_account_id):")
    if not linkedin:
        echo("  none")
    for account in linkedin:
        level = f", {account['level']}" if account["level"] else ""
        echo(f"  {account['id']:>10}  {account['name'] or '(no name)'}  {account['session_status']}{level}")
    return EXIT_OK
