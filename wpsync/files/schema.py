"""The JSON Schema of the campaign file format, for editors that read `#:schema` comments in TOML (taplo,
Even Better TOML, JetBrains).

Written out here rather than generated from the pydantic models, because what an editor needs is not
what pydantic emits: a description on every property (in the README's words), one ``if``/``then`` per
step type instead of a ``oneOf`` (taplo printed one "not valid under any of oneOf" per branch and
step), patterns for times and snippets, the time-zone list as an enum, and no ``null`` branches (TOML
cannot write null). It rejects what wpsync rejects as far as JSON Schema can say it; what it cannot
say (cross-field arithmetic and references, the file's name) is listed in ``NOT_EXPRESSIBLE`` and held
to that list by tests/unit/test_schema.py, which also holds the properties here to the models'.

Draft-07: the newest draft every TOML editor's validator implements completely.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from wpsync.files import snippets, timezones
from wpsync.files.models import OPEN_DISABLED_PROVIDERS
from wpsync.limits import (
    CONNECTION_NOTE_MAX,
    DAYS,
    DIRECT_MESSAGE_MAX,
    MAX_DAILY_ENROLL,
    MAX_FOLLOWUP_VALUE,
    MAX_STEPS,
    MAX_VERSIONS,
    MAX_WINDOWS_PER_DAY,
)

SCHEMA_URI = "http://json-schema.org/draft-07/schema#"

# What wpsync refuses that this schema cannot: each is a case of tests/unit/test_validation_rules.py.
NOT_EXPRESSIBLE = {
    "window order": "from before to: JSON Schema cannot compare two strings as times",
    "overlapping windows": "comparing windows with each other is arithmetic across array items",
    "unknown schedule": "delivery_time = NAME must name a [schedules] entry: a reference JSON Schema cannot follow",
    "invalid key": "the campaign key is the file's name, which the schema never sees",
}

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


def _text(description: str, **extra: Any) -> JSON:
    return {"type": "string", "description": description, "pattern": snippet_text_pattern(), **extra}


def _window() -> JSON:
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


def _delivery_time() -> JSON:
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


def _followup_after() -> JSON:
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


def _email_version(*, subject_required: bool = False) -> JSON:
    version: JSON = {
        "type": "object",
        "description": "One A/B version of the email.",
        "properties": {
            "subject": _text(
                "The subject. Required on the first EMAIL step; leave it out on a later step to reply in "
                "the same thread.",
                **({"minLength": 1} if subject_required else {}),
            ),
            "message": _text('The message, HTML; snippets such as {{FIRST_NAME | "there"}} are filled in.'),
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


_STEP_PROPERTIES: JSON = {
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


def _email_step() -> JSON:
    return {
        "properties": {
            "type": {"const": "EMAIL", "description": _STEP_PROPERTIES["type"]["description"]},
            "delivery_time": _STEP_PROPERTIES["delivery_time"],
            "followup_after": _STEP_PROPERTIES["followup_after"],
            "versions": {
                **_STEP_PROPERTIES["versions"],
                "minItems": 1,
                "maxItems": MAX_VERSIONS,
                "items": {"$ref": "#/definitions/email_version"},
            },
        },
        "required": ["type", "delivery_time", "versions"],
        "additionalProperties": False,
    }


def _linkedin_message(description: str, **extra: Any) -> JSON:
    return {
        "type": "object",
        "properties": {"message": _text(description, **extra)},
        "additionalProperties": False,
    }


def _linkedin_step() -> JSON:
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
            "type": {"const": "LINKEDIN", "description": _STEP_PROPERTIES["type"]["description"]},
            "action_type": _STEP_PROPERTIES["action_type"],
            "linkedin_account_id": _STEP_PROPERTIES["linkedin_account_id"],
            "followup_after": _STEP_PROPERTIES["followup_after"],
            "versions": {
                **_STEP_PROPERTIES["versions"],
                "maxItems": MAX_VERSIONS,
                "items": _linkedin_message('The note or message; leave it out (or "") for none.'),
            },
        },
        "required": ["type", "action_type", "linkedin_account_id"],
        "additionalProperties": False,
        "allOf": [
            versions_of(
                "VISIT_PROFILE",
                {"maxItems": 1, "items": _linkedin_message("VISIT_PROFILE carries no message.", maxLength=0)},
            ),
            versions_of(
                "CONNECTION_REQUEST",
                {
                    "minItems": 1,
                    "items": _linkedin_message(
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
                        **_linkedin_message(
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


def _step() -> JSON:
    return {
        "type": "object",
        "description": "One step, in sending order; START is implicit. Its body is flattened into it.",
        "properties": _STEP_PROPERTIES,
        "required": ["type"],
        "allOf": [
            {
                "if": {"properties": {"type": {"const": "EMAIL"}}, "required": ["type"]},
                "then": {"$ref": "#/definitions/email_step"},
            },
            {
                "if": {"properties": {"type": {"const": "LINKEDIN"}}, "required": ["type"]},
                "then": {"$ref": "#/definitions/linkedin_step"},
            },
        ],
    }


def _first_email_needs_subjects() -> list[JSON]:
    """The first EMAIL step — after any number of LINKEDIN steps — needs a subject on every version."""
    linkedin: JSON = {"properties": {"type": {"const": "LINKEDIN"}}, "required": ["type"]}
    email: JSON = {"properties": {"type": {"const": "EMAIL"}}, "required": ["type"]}
    subjects: JSON = {"properties": {"versions": {"items": {"$ref": "#/definitions/first_email_version"}}}}
    return [
        {
            "if": {"items": [*([linkedin] * before), email]},
            "then": {"items": [*([{}] * before), subjects]},
        }
        for before in range(MAX_STEPS)
    ]


def _settings() -> JSON:
    return {
        "type": "object",
        "description": "The campaign's settings, as the create-campaign API names them.",
        "properties": {
            "timezone": {
                "enum": sorted(timezones.canonical_zones()),
                "description": 'A canonical IANA zone, e.g. "Europe/Warsaw" (not an abbreviation such as EST).',
            },
            "prospect_timezone": {
                "type": "boolean",
                "description": "Send in each prospect's own time zone when known; default false.",
            },
            "daily_enroll": {
                "type": "integer",
                "minimum": 1,
                "maximum": MAX_DAILY_ENROLL,
                "description": f"New prospects enrolled per day, 1–{MAX_DAILY_ENROLL}.",
            },
            "gdpr_unsubscribe": {
                "type": "boolean",
                "description": "GDPR unsubscribe handling; default false.",
            },
            "list_unsubscribe": {
                "type": "boolean",
                "description": "A List-Unsubscribe header; default false.",
            },
            "open_disabled_list": {
                "type": ["array", "string"],
                "description": 'Providers not to track opens for (google.com, outlook.com, OTHER_PROVIDER), or "null".',
                "items": {"enum": list(OPEN_DISABLED_PROVIDERS)},
                "pattern": "^null$",
            },
            "auto_pause_prospect_from_domain": {
                "enum": [True, False, "null"],
                "description": 'Pause prospects of a domain that replied: true, false or "null"; default false.',
            },
            "catch_all_verification_mode": {
                "enum": ["NONE", "BALANCED", "MAXIMUM", "ONLY_VERIFY"],
                "description": "How catch-all addresses are verified; default BALANCED.",
            },
        },
        "required": ["timezone", "daily_enroll"],
        "additionalProperties": False,
    }


def campaign_schema() -> JSON:
    return {
        "$schema": SCHEMA_URI,
        "title": "wpsync campaign file",
        "description": (
            "One Woodpecker campaign; the file name is its key. Field names and values are the API's "
            "(POST /rest/v2/campaigns); steps are listed in order and each step's body is flattened into it."
        ),
        "type": "object",
        "properties": {
            "name": {"type": "string", "description": "The campaign's name in Woodpecker."},
            "email_account_ids": {
                "type": "array",
                "description": "SMTP mailbox ids to send from (`wpsync accounts`); required with EMAIL steps.",
                "items": {"type": "integer"},
            },
            "settings": {"$ref": "#/definitions/settings"},
            "schedules": {
                "type": "object",
                "description": 'Named delivery schedules, written once: [schedules.NAME], used as delivery_time = "NAME".',
                "additionalProperties": {"$ref": "#/definitions/delivery_time"},
            },
            "steps": {
                "type": "array",
                "description": f"Steps in sending order, 1–{MAX_STEPS}; START is implicit.",
                "minItems": 1,
                "maxItems": MAX_STEPS,
                "items": {"$ref": "#/definitions/step"},
                "allOf": _first_email_needs_subjects(),
            },
        },
        "required": ["settings", "steps"],
        "additionalProperties": False,
        "if": {
            "properties": {
                "steps": {"contains": {"properties": {"type": {"const": "EMAIL"}}, "required": ["type"]}}
            },
            "required": ["steps"],
        },
        "then": {"required": ["email_account_ids"], "properties": {"email_account_ids": {"minItems": 1}}},
        "definitions": {
            "settings": _settings(),
            "step": _step(),
            "email_step": _email_step(),
            "linkedin_step": _linkedin_step(),
            "email_version": _email_version(),
            "first_email_version": _email_version(subject_required=True),
            "delivery_time": _delivery_time(),
            "window": _window(),
            "followup_after": _followup_after(),
        },
    }


SCHEMA_FILE = "schema/campaign.schema.json"  # where `wpsync init` writes it, beside campaigns/


def schema_directive(campaigns: Path) -> str | None:
    """The `#:schema` line for a file in ``campaigns``: a relative path to the schema file of the user's
    repository (beside the campaigns folder, where `wpsync init` puts it), or None when there is none —
    a directive pointing at nothing makes editors report an error on every file."""
    target = campaigns.parent / SCHEMA_FILE
    if not target.is_file():
        return None
    return "#:schema " + Path(os.path.relpath(target, campaigns)).as_posix()


def schema_json() -> str:
    """The schema as committed in schema/campaign.schema.json: exactly these bytes, one final newline."""
    return json.dumps(campaign_schema(), indent=2, ensure_ascii=False) + "\n"
