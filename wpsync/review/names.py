"""Mailboxes and LinkedIn accounts by name, for reviewers: `alex@acme.com`, not `300001`.

The names are what the plan's own reads said (``Plan.names``), or a cached copy with its date; a plan
that has neither shows ids, and says why once, at the top. Plain text here: each renderer escapes.
"""

from __future__ import annotations

from collections.abc import Iterable

from wpsync.plan.plan import Plan


def mailbox(plan: Plan, mailbox_id: object) -> str:
    names = plan.names
    if names is not None and isinstance(mailbox_id, int) and mailbox_id in names.mailboxes:
        return names.mailboxes[mailbox_id]
    return str(mailbox_id)


def mailboxes(plan: Plan, ids: Iterable[object]) -> str:
    return ", ".join(mailbox(plan, i) for i in ids) or "none"


def linkedin(plan: Plan, account_id: object) -> str:
    names = plan.names
    if names is not None and isinstance(account_id, int) and account_id in names.linkedin:
        return names.linkedin[account_id]
    return f"account {account_id}"


def source(plan: Plan) -> str:
    """Where the names came from, for the plan's context line ("" when nothing needs saying)."""
    if plan.names is None:
        if not _shows_accounts(plan):
            return ""
        why = "names are not read offline" if plan.offline else "Woodpecker was not asked for their names"
        return f"mailboxes and LinkedIn accounts are shown by id ({why})"
    if plan.names.read_at and _shows_accounts(plan):
        return f"mailbox and LinkedIn names from the cached copy of {plan.names.read_at} (wpsync accounts --save-names)"
    return ""


def _shows_accounts(plan: Plan) -> bool:
    """Whether any action names a mailbox or a LinkedIn account (only then is an id shown)."""
    for action in plan.actions:
        if action.kind == "create_campaign" or (
            action.kind == "update_campaign" and "email_account_ids" in getattr(action, "patch", {})
        ):
            return True
    return False
