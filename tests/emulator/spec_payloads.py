"""The request examples of the spec pages, for contract tests.

The three create examples and the add-step example are the project's one copy in tests/data/spec/
(extracted verbatim from api-create-campaign.md and api-add-campaign-step.md); the Python request
sample is below. The add-step example's ``parent_id`` is a placeholder: tests replace it with the real
last step's id.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SPEC = Path(__file__).resolve().parents[1] / "data" / "spec"

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


def load(name: str) -> Any:
    """A fresh copy each call, so a test may mutate it."""
    return json.loads((SPEC / f"{name}.json").read_text(encoding="utf-8"))


def one_step_email() -> Any:
    return load("create-one-step-email")


def two_step_linkedin() -> Any:
    return load("create-two-step-linkedin")


def four_step_multichannel() -> Any:
    return load("create-four-step-multichannel")


def add_step_example(parent_id: str) -> Any:
    body = load("add-step")
    body["parent_id"] = parent_id
    return body
