"""The 409 VALIDATION_FAILURE checks: bodies that pass the schema but ask for data the account lacks.

The spec's example is "the assigned email has connection problems". The same family covers an unknown
mailbox, an IMAP id where an SMTP id is needed, an unknown or not-connected LinkedIn account, and a
connection-request note longer than a CLASSIC LinkedIn account allows. Each function returns sentences
(empty: no conflict); the caller joins them into the one ``details`` string.
"""

from __future__ import annotations

from wpsync.emulator.payload import Body, iter_chain
from wpsync.emulator.step_rules import MAX_STEPS
from wpsync.emulator.store import Account, Campaign

CLASSIC_NOTE_MAX = 200
# [assume] Not documented: appending an EMAIL step to a campaign with no mailboxes (a LinkedIn-only
# campaign) is refused, because the step could never be sent and the API offers no way to add senders.
REFUSE_EMAIL_STEP_WITHOUT_MAILBOXES = True


def create_conflicts(body: Body, account: Account) -> list[str]:
    problems = mailbox_conflicts(body.get("email_account_ids") or [], account)
    for path, step in iter_chain(body["steps"]):
        if step["type"] == "LINKEDIN":
            problems += _linkedin_problems(account, step["body"], f"{path}.body")
    return problems


def mailbox_conflicts(mailbox_ids: list[int], account: Account) -> list[str]:
    """Create's and PATCH's check of ``email_account_ids`` against the account's mailboxes."""
    return [
        f"email_account_ids[{i}]: {problem}"
        for i, mailbox_id in enumerate(mailbox_ids)
        if (problem := _mailbox_problem(account, mailbox_id))
    ]


def note_conflict(account: Account, linkedin_account_id: int, message: object) -> list[str]:
    """A connection note longer than the step's CLASSIC LinkedIn account allows (version PATCH)."""
    linkedin = account.linkedin_accounts.get(linkedin_account_id)
    if linkedin is None or linkedin.level != "CLASSIC" or not isinstance(message, str):
        return []
    if len(message) <= CLASSIC_NOTE_MAX:
        return []
    return [
        f"message: a CLASSIC LinkedIn account allows at most {CLASSIC_NOTE_MAX} characters in a "
        f"connection note, not {len(message)}"
    ]


def add_step_conflicts(campaign: Campaign, step: Body, account: Account) -> list[str]:
    problems = []
    if len(campaign.steps) - 1 >= MAX_STEPS:  # START does not count
        problems.append(f"the campaign already has {MAX_STEPS} steps, the most a campaign can have")
    if step["type"] == "LINKEDIN":
        problems += _linkedin_problems(account, step["body"], "step.body")
    elif REFUSE_EMAIL_STEP_WITHOUT_MAILBOXES and not campaign.email_account_ids:
        problems.append("the campaign has no email accounts, so an EMAIL step could never be sent")
    return problems


def _mailbox_problem(account: Account, mailbox_id: int) -> str | None:
    mailbox = account.mailboxes.get(mailbox_id)
    if mailbox is None:
        return f"mailbox {mailbox_id} does not exist in this account"
    if mailbox.type != "SMTP":
        return f"mailbox {mailbox_id} is an {mailbox.type} entry; campaigns take SMTP ids"
    if not mailbox.sends:  # "Connected conditionally." still sends [doc]
        return f"mailbox {mailbox_id} ({mailbox.email}) has connection problems: {mailbox.error}"
    return None


def _linkedin_problems(account: Account, body: Body, path: str) -> list[str]:
    account_id = body["linkedin_account_id"]
    linkedin = account.linkedin_accounts.get(account_id)
    if linkedin is None:
        return [f"{path}.linkedin_account_id: LinkedIn account {account_id} does not exist in this account"]
    if linkedin.session_status != "CONNECTED":
        return [
            f"{path}.linkedin_account_id: LinkedIn account {account_id} is not connected "
            f"(session status {linkedin.session_status})"
        ]
    if body["action_type"] != "CONNECTION_REQUEST" or linkedin.level != "CLASSIC":
        return []
    return [
        f"{path}.versions[{i}].message: a CLASSIC LinkedIn account allows at most {CLASSIC_NOTE_MAX} "
        f"characters in a connection note, not {len(message)}"
        for i, version in enumerate(body["versions"])
        if len(message := version.get("message") or "") > CLASSIC_NOTE_MAX
    ]
