"""The JSON Schema's pieces for one step: windows, delays, EMAIL and LINKEDIN versions.

Kept apart from ``schema.py`` (which assembles the campaign) so each module stays small.
"""

from __future__ import annotations

from typing import Any

from wpsync.files import snippets
from wpsync.limits import (
    CONNECTION_NOTE_MAX,
    DAYS,
    DIRECT_MESSAGE_MAX,
    MAX_FOLLOWUP_VALUE,
    MAX_VERSIONS,
    MAX_WINDOWS_PER_DAY,
)

JSON = dict[str, Any]
_ANY_CHAR = r"(?:[^{}]|\{(?!\{)|\}(?!\}))"  # text outside snippets: single braces are ordinary text
_QUOTED = r'\s*"(?:[^"|{}]|\{(?!\{)|\}(?!\}))*"\s*'


def snippet_text_pattern() -> str:
    """Text whose every ``{{…}}`` is a snippet Woodpecker fills, written as wpsync accepts it."""
    fields = "|".join(sorted(snippets.KNOWN_FIELDS, key=lambda name: (-len(name), name)))
    inner = "|".join(
        [
            rf"\s*(?:{fields})\s*(?:\|{_QUOTED})?",  # {{FIRST_NAME}}, {{FIRST_NAME | "there"}}
            rf"\s*SPINTAX\s*(?:\|{_QUOTED}){{2,}}",  # {{SPINTAX | "a" | "b"}}
            r"\s*UNSUBSCRIBE\s*",
            r"CLICK=\s*(?:[^\s{}]|\{(?!\{)|\}(?!\}))(?:[^{}]|\{(?!\{)|\}(?!\}))*",  # {{CLICK=url}}
        ]
    )
    return rf"^(?:{_ANY_CHAR}|\{{\{{(?:{inner})\}}\}})*$"


def text(description: str, **extra: Any) -> JSON:
    return {"type": "string", "description": description, "pattern": snippet_text_pattern(), **extra}


def window() -> JSON:
    hhmm = "^(?:[01][0-9]|2[0-3]):[0-5][0-9]$"
    return {
        "type": "object",
        "description": 'One delivery window, "HH:mm" 24-hour; a whole day is 00:00–00:00 or 00:00–24:00.',
        "properties": {
            "from": {
                "type": "string",
                "description": 'Start, "HH:mm" from "00:00" to "23:59".',
                "pattern": hhmm,
            },
            "to": {
                "type": "string",
                "description": 'End, "HH:mm" after from; "24:00" only for a whole day (from "00:00").',
                "pattern": "^(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]|24:00)$",
            },
        },
        "required": ["from", "to"],
        "additionalProperties": False,
        "if": {"properties": {"to": {"const": "24:00"}}, "required": ["to"]},
        "then": {"properties": {"from": {"const": "00:00"}}},
    }


def delivery_time() -> JSON:
    day: JSON = {
        "type": "array",
        "description": f"This day's sending windows: at most {MAX_WINDOWS_PER_DAY}, not overlapping.",
        "maxItems": MAX_WINDOWS_PER_DAY,
        "items": {"$ref": "#/definitions/window"},
    }
    return {
        "type": "object",
        "description": "Sending windows per weekday; an omitted day sends nothing. At least one window.",
        "properties": {
            name: {**day, "description": f"{name.title()}: " + day["description"]} for name in DAYS
        },
        "additionalProperties": False,
        # "At least one window": every day given is empty (or none is given) is refused.
        "not": {"properties": {name: {"maxItems": 0} for name in DAYS}},
    }


def followup_after() -> JSON:
    return {
        "type": "object",
        "description": "How long to wait after this step before the next one; default 1 DAY.",
        "properties": {
            "range": {"enum": ["DAY", "HOUR", "MINUTE"], "description": "The unit of value; default DAY."},
            "value": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_FOLLOWUP_VALUE,
                "description": f"How many units, 1–{MAX_FOLLOWUP_VALUE}; default 1.",
            },
        },
        "additionalProperties": False,
    }


def email_version(*, subject_required: bool = False) -> JSON:
    version: JSON = {
        "type": "object",
        "description": "One A/B version of the email.",
        "properties": {
            "subject": text(
                "The subject. Required on the first EMAIL step; leave it out on a later step to reply in "
                "the same thread.",
                **({"minLength": 1} if subject_required else {}),
            ),
            "message": text('The message, HTML; snippets such as {{FIRST_NAME | "there"}} are filled in.'),
            "signature": {
                "enum": ["SENDER", "NO_SIGNATURE"],
                "description": "SENDER appends the mailbox's signature; default NO_SIGNATURE.",
            },
            "track_opens": {"type": "boolean", "description": "Track opens with a pixel; default false."},
        },
        "required": ["message"],
        "additionalProperties": False,
    }
    if subject_required:
        version["required"] = ["subject", "message"]
    return version


STEP_PROPERTIES: JSON = {
    "type": {"enum": ["EMAIL", "LINKEDIN"], "description": "The channel: EMAIL or LINKEDIN."},
    "delivery_time": {
        "type": ["object", "string"],
        "description": "EMAIL: when to send — a table of windows per weekday, or the name of a [schedules.NAME] entry.",
        "if": {"type": "object"},
        "then": {"$ref": "#/definitions/delivery_time"},
        "else": {"minLength": 1},
    },
    "followup_after": {"$ref": "#/definitions/followup_after"},
    "versions": {
        "type": "array",
        "description": f"A/B versions: up to {MAX_VERSIONS}. A VISIT_PROFILE step has none.",
    },
    "action_type": {
        "enum": ["VISIT_PROFILE", "CONNECTION_REQUEST", "DIRECT_MESSAGE"],
        "description": "LINKEDIN: VISIT_PROFILE, CONNECTION_REQUEST or DIRECT_MESSAGE.",
    },
    "linkedin_account_id": {
        "type": "integer",
        "description": "LINKEDIN: the LinkedIn account that acts (`wpsync accounts` lists them).",
    },
}


def email_step() -> JSON:
    return {
        "properties": {
            "type": {"const": "EMAIL", "description": STEP_PROPERTIES["type"]["description"]},
            "delivery_time": STEP_PROPERTIES["delivery_time"],
            "followup_after": STEP_PROPERTIES["followup_after"],
            "versions": {
                **STEP_PROPERTIES["versions"],
                "minItems": 1,
                "maxItems": MAX_VERSIONS,
                "items": {"$ref": "#/definitions/email_version"},
            },
        },
        "required": ["type", "delivery_time", "versions"],
        "additionalProperties": False,
    }


def linkedin_message(description: str, **extra: Any) -> JSON:
    return {
        "type": "object",
        "properties": {"message": text(description, **extra)},
        "additionalProperties": False,
    }


def linkedin_step() -> JSON:
    def versions_of(action: str, schema: JSON) -> JSON:
        then: JSON = {"properties": {"versions": schema}}
        if schema.get("minItems"):
            then["required"] = ["versions"]
        return {
            "if": {"properties": {"action_type": {"const": action}}, "required": ["action_type"]},
            "then": then,
        }

    return {
        "properties": {
            "type": {"const": "LINKEDIN", "description": STEP_PROPERTIES["type"]["description"]},
            "action_type": STEP_PROPERTIES["action_type"],
            "linkedin_account_id": STEP_PROPERTIES["linkedin_account_id"],
            "followup_after": STEP_PROPERTIES["followup_after"],
            "versions": {
                **STEP_PROPERTIES["versions"],
                "maxItems": MAX_VERSIONS,
                "items": linkedin_message('The note or message; leave it out (or "") for none.'),
            },
        },
        "required": ["type", "action_type", "linkedin_account_id"],
        "additionalProperties": False,
        "allOf": [
            versions_of(
                "VISIT_PROFILE",
                {"maxItems": 1, "items": linkedin_message("VISIT_PROFILE carries no message.", maxLength=0)},
            ),
            versions_of(
                "CONNECTION_REQUEST",
                {
                    "minItems": 1,
                    "items": linkedin_message(
                        f"The connection note, at most {CONNECTION_NOTE_MAX} characters (200 on CLASSIC "
                        'accounts); "" or left out for a request without a note.',
                        maxLength=CONNECTION_NOTE_MAX,
                    ),
                },
            ),
            versions_of(
                "DIRECT_MESSAGE",
                {
                    "minItems": 1,
                    "items": {
                        **linkedin_message(
                            f"The message, 1–{DIRECT_MESSAGE_MAX} characters.",
                            minLength=1,
                            maxLength=DIRECT_MESSAGE_MAX,
                        ),
                        "required": ["message"],
                    },
                },
            ),
        ],
    }
