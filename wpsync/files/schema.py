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

from wpsync.files import timezones
from wpsync.files.models import OPEN_DISABLED_PROVIDERS
from wpsync.files.schema_steps import (
    STEP_PROPERTIES,
    delivery_time,
    email_step,
    email_version,
    followup_after,
    linkedin_step,
    window,
)
from wpsync.limits import (
    MAX_DAILY_ENROLL,
    MAX_STEPS,
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


def _step() -> JSON:
    return {
        "type": "object",
        "description": "One step, in sending order; START is implicit. Its body is flattened into it.",
        "properties": STEP_PROPERTIES,
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
            "status": {
                "enum": ["DRAFT", "RUNNING", "PAUSED", "STOPPED"],
                "description": (
                    "Status as code: the status wpsync holds the campaign in (one run, pause or stop call "
                    "when Woodpecker differs). DRAFT: a new campaign not launched yet. Leave it out to "
                    "leave the status alone."
                ),
            },
            "make_editable": {
                "type": "boolean",
                "description": (
                    "May wpsync make this campaign EDITED (sending nothing) for an edit while it sends, "
                    "then set it back? Overrides wpsync.toml's [apply] make_editable for this file."
                ),
            },
            "allow_duplicate_name": {
                "type": "boolean",
                "description": (
                    "wpsync's own (never sent): create this campaign even though Woodpecker already has "
                    "one of the same name that no record owns, or a recorded campaign whose file is gone "
                    "looks like it. Without it, plan refuses (duplicate_name, possible_rename)."
                ),
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
            "email_step": email_step(),
            "linkedin_step": linkedin_step(),
            "email_version": email_version(),
            "first_email_version": email_version(subject_required=True),
            "delivery_time": delivery_time(),
            "window": window(),
            "followup_after": followup_after(),
        },
    }


SCHEMA_FILE = "schema/campaign.schema.json"  # where `wpsync init` writes it, beside campaigns/


def schema_directive(campaigns: Path, root: Path | None = None) -> str | None:
    """The `#:schema` line for a file in ``campaigns``: a relative path to the schema file of the user's
    repository ``root`` (default: the folder holding ``campaigns``, where `wpsync init` puts it; an
    account's folder campaigns/NAME is one level deeper), or None when there is none — a directive
    pointing at nothing makes editors report an error on every file."""
    target = (campaigns.parent if root is None else root) / SCHEMA_FILE
    if not target.is_file():
        return None
    return "#:schema " + Path(os.path.relpath(target, campaigns)).as_posix()


def schema_json() -> str:
    """The schema as committed in schema/campaign.schema.json: exactly these bytes, one final newline."""
    return json.dumps(campaign_schema(), indent=2, ensure_ascii=False) + "\n"
