"""The request examples of the spec pages, copied verbatim (as text, parsed here), for contract tests.

Sources: /work/shared/reference/api-create-campaign.md (the three "The below payload represents ..."
bodies and the Python request sample) and api-add-campaign-step.md (the body example). The add-step
example's ``parent_id`` is a placeholder: tests replace it with the real last step's id.
"""

from __future__ import annotations

import json
from typing import Any

ONE_STEP_EMAIL_TEXT = r"""
{
"name": "One-step email campaign",
"email_account_ids": [112233],
"settings": {
"timezone": "Europe/Warsaw",
"prospect_timezone": true,
"daily_enroll": 25,
"gdpr_unsubscribe": true,
"list_unsubscribe": false,
"open_disabled_list": ["google.com"],
"auto_pause_prospect_from_domain": true,
"catch_all_verification_mode": "BALANCED"
},
"steps": {
"type": "START",
"followup": {
"type": "EMAIL",
"delivery_time": {
"MONDAY": [{ "from": "08:00", "to": "18:00" }],
"TUESDAY": [{ "from": "08:00", "to": "18:00" }],
"WEDNESDAY": [{ "from": "08:00", "to": "18:00" }],
"THURSDAY": [{ "from": "08:00", "to": "18:00" }],
"FRIDAY": [{ "from": "08:00", "to": "18:00" }]
},
"body": {
"versions": [
{
"subject": "Example subject line",
"message": "<div><p>Hi {{FIRST_NAME | \"there\"}},</p><p>This is an example cold email message.</p><p>Best wishes,<br /><a href=\"https://woodpecker.co\">Woodpecker</a> team</p></div>",
"signature": "SENDER",
"track_opens": false
}
]
}
}
}
}
"""

TWO_STEP_LINKEDIN_TEXT = r"""
{
"name": "Two-step LinkedIn campaign",
"email_account_ids": [],
"settings": {
"timezone": "Europe/Warsaw",
"daily_enroll": 50
},
"steps": {
"type": "START",
"followup": {
"type": "LINKEDIN",
"body": {
"action_type": "VISIT_PROFILE",
"linkedin_account_id": 200002,
"versions": [
{
"message": ""
}
]
},
"followup_after": { "range": "DAY", "value": 3 },
"followup": {
"type": "LINKEDIN",
"body": {
"action_type": "CONNECTION_REQUEST",
"linkedin_account_id": 200002,
"versions": [
{
"message": ""
},
{
"message": "Hello {{FIRST_NAME}}, I'd like to add you to my professional network on LinkedIn"
}
]
}
}
}
}
}
"""

FOUR_STEP_MULTICHANNEL_TEXT = r"""
{
"name": "Four step campaign with custom configuration",
"email_account_ids": [100001, 100002, 100003],
"settings": {
"timezone": "Europe/Warsaw",
"prospect_timezone": true,
"daily_enroll": 10,
"gdpr_unsubscribe": true,
"list_unsubscribe": true,
"open_disabled_list": ["google.com", "OTHER_PROVIDER"],
"auto_pause_prospect_from_domain": true,
"catch_all_verification_mode": "MAXIMUM"
},
"steps": {
"type": "START",
"followup": {
"type": "LINKEDIN",
"body": {
"action_type": "VISIT_PROFILE",
"linkedin_account_id": 200002,
"versions": [
{
"message": ""
}
]
},
"followup_after": { "range": "HOUR", "value": 2 },
"followup": {
"type": "EMAIL",
"delivery_time": {
"MONDAY": [{ "from": "09:00", "to": "18:00" }],
"TUESDAY": [{ "from": "09:00", "to": "18:00" }],
"WEDNESDAY": [{ "from": "09:00", "to": "18:00" }],
"THURSDAY": [{ "from": "09:00", "to": "18:00" }]
},
"body": {
"versions": [
{
"subject": "Example subject line - version A",
"message": "<div>Hi {{FIRST_NAME | \"there\"}},</div><div><br /></div><div>This is an example cold email message. </div><div><br /></div><div>Best wishes, </div><div><a href=\"https://woodpecker.co\">Woodpecker</a> team</div><div><a href=\"{{UNSUBSCRIBE}}\">unsubscribe</a></div>",
"signature": "SENDER",
"track_opens": true
},
{
"subject": "Example subject line - version B",
"message": "<div>{{SPINTAX | \"Hi\" | \"Hello\" | \"Good morning\"}} {{FIRST_NAME}},</div><div><br /></div><div>Yet another example of a cold email message. </div><div><br /></div><div>All the best, </div><div><a href=\"https://woodpecker.co\">Woodpecker</a> team</div>",
"signature": "SENDER",
"track_opens": false
}
]
},
"followup_after": { "range": "DAY", "value": 4 },
"followup": {
"type": "LINKEDIN",
"body": {
"action_type": "CONNECTION_REQUEST",
"linkedin_account_id": 200002,
"versions": [
{
"message": ""
},
{
"message": "Hello {{FIRST_NAME}}, I'd like to add you to my professional network on LinkedIn"
}
]
},
"followup_after": { "range": "DAY", "value": 1 },
"followup": {
"type": "EMAIL",
"delivery_time": { "THURSDAY": [{ "from": "06:00", "to": "08:00" }, { "from": "13:00", "to": "15:00" }] },
"body": {
"versions": [
{
"subject": null,
"message": "<div>First email followup, version A, sender's signature, no open tracking, same subject line</div>",
"signature": "SENDER",
"track_opens": false
},
{
"subject": null,
"message": "<div>First email followup, version B, no signature, no open tracking, same subject line</div>",
"signature": "NO_SIGNATURE",
"track_opens": false
},
{
"subject": null,
"message": "<div>First email followup, version C, sender's signature, open tracking, same subject line</div>",
"signature": "SENDER",
"track_opens": true
}
]
},
"followup_after": { "range": "DAY", "value": 3 },
"followup": null
}
}
}
}
}
}
"""

ADD_STEP_TEXT = r"""
{
"parent_id": "9e8e8ebb-c6e1-4b8f-be37-a5542513dbge",
"step": {
"type": "EMAIL",
"delivery_time": {
"TUESDAY": [{ "from": "09:00", "to": "18:00" }],
"WEDNESDAY": [{ "from": "09:00", "to": "18:00" }],
"THURSDAY": [{ "from": "09:00", "to": "18:00" }]
},
"body": {
"versions": [
{
"subject": null,
"message": "<div>Hi {{FIRST_NAME | \"there\"}},</div><div><br /></div><div>This is an example cold email message. </div><div><br /></div><div>Best wishes, </div><div><a href=\"https://woodpecker.co\">Woodpecker</a> team</div><div><a href=\"{{UNSUBSCRIBE}}\">unsubscribe</a></div>",
"signature": "SENDER",
"track_opens": true
},
{
"subject": "Example subject line - version B",
"message": "<div>{{SPINTAX | \"Hi\" | \"Hello\" | \"Good morning\"}} {{FIRST_NAME}},</div><div><br /></div><div>Yet another example of a cold email message. </div><div><br /></div><div>All the best, </div><div><a href=\"https://woodpecker.co\">Woodpecker</a> team</div><div><a href=\"{{UNSUBSCRIBE}}\">unsubscribe</a></div>",
"signature": "NO_SIGNATURE",
"track_opens": false
}
]
},
"followup_after": {
"range": "HOUR",
"value": 10
}
}
}
"""

# The "Python" request sample, verbatim apart from this comment (its key and SMTP id are placeholders).
# fmt: off
PYTHON_REQUEST_SAMPLE: dict[str, Any] = {
"email_account_ids": [112233], # Replace the SMTP id
"settings": {
"timezone": "Europe/Warsaw",
"daily_enroll": 30
},
"steps": {
"type": "START",
"followup": {
"type": "EMAIL",
"delivery_time": {
"MONDAY": [
{
"from": "08:00",
"to": "17:00"
}
]
},
"body": {
"versions": [
{
"subject": "Hi {{FIRST_NAME | \"there\"}}. {{SPINTAX | \"Hi\" | \"Hello\" | \"Good morning\"}}",
"message": "<div>Hi {{FIRST_NAME | \"there\"}},</div><div><br /></div><div>This is an example cold email message. </div><div><br /></div><div>Best wishes, </div><div><a href=\"https://woodpecker.co\">Woodpecker</a> team</div><div><a href=\"{{UNSUBSCRIBE}}\">unsubscribe</a></div>",
"track_opens": True
}
]
}
}
}
}
# fmt: on


def load(text: str) -> Any:
    """A fresh copy each call, so a test may mutate it."""
    return json.loads(text)


def one_step_email() -> Any:
    return load(ONE_STEP_EMAIL_TEXT)


def two_step_linkedin() -> Any:
    return load(TWO_STEP_LINKEDIN_TEXT)


def four_step_multichannel() -> Any:
    return load(FOUR_STEP_MULTICHANNEL_TEXT)


def add_step_example(parent_id: str) -> Any:
    body = load(ADD_STEP_TEXT)
    body["parent_id"] = parent_id
    return body
