"""The other direction: a campaign payload as the API returns it → a campaign file (TOML text).

Server-assigned parts (ids, version letters, status) are dropped: they belong in the state, not in the
file. Everything else is kept as given, so payload → file → payload is the identity (a property test
holds this). A ``null`` subject or LinkedIn message/versions becomes an omitted key; a ``null`` setting
becomes the string ``"null"``, as models.py describes.
"""

from __future__ import annotations

from typing import Any

from wpsync.errors import InputError

JSON = dict[str, Any]

_SERVER_FIELDS = ("id", "status", "version")


def chain(payload: JSON) -> list[JSON]:
    """The steps of a create body or campaign payload, START excluded, in order."""
    steps: list[JSON] = []
    root = payload.get("steps")
    if not isinstance(root, dict) or root.get("type") != "START":
        raise InputError("the campaign payload has no START step under 'steps'")
    node = root.get("followup")
    while isinstance(node, dict):
        steps.append(node)
        node = node.get("followup")
    return steps


def _version(kind: str, version: JSON) -> JSON:
    out: JSON = {}
    for key, value in version.items():
        if key in _SERVER_FIELDS or value is None:
            continue  # null subject / message: omitted in the file, sent as null again
        out[key] = value
    if kind == "EMAIL" and "message" not in out:
        out["message"] = ""
    return out


def step_document(node: JSON) -> JSON:
    """One step node of a payload (ids and followup ignored) as a campaign file step."""
    kind = node.get("type")
    body = node.get("body") or {}
    step: JSON = {"type": kind}
    if kind == "LINKEDIN":
        step["action_type"] = body.get("action_type")
        step["linkedin_account_id"] = body.get("linkedin_account_id")
    if "delivery_time" in node:
        step["delivery_time"] = node["delivery_time"]
    if "followup_after" in node and node["followup_after"] is not None:
        step["followup_after"] = node["followup_after"]
    versions = body.get("versions")
    if versions is not None:
        step["versions"] = [_version(str(kind), v) for v in versions]
    return step


def document_from_payload(payload: JSON) -> JSON:
    """The campaign file's content (a TOML-ready dict) for a create body or a GET campaign payload."""
    doc: JSON = {}
    if "name" in payload:
        doc["name"] = payload["name"]
    if payload.get("email_account_ids") is not None:
        doc["email_account_ids"] = list(payload["email_account_ids"])
    doc["settings"] = {
        key: ("null" if value is None else value) for key, value in (payload.get("settings") or {}).items()
    }
    doc["steps"] = [step_document(node) for node in chain(payload)]
    return doc


def dumps(document: JSON, *, header: str = "") -> str:
    """TOML text for a campaign document in the canonical layout (`wpsync fmt`), long messages as
    multi-line strings."""
    from wpsync.files.writer import campaign_text

    # tomli-w folds "\r\n" to "\n" inside multi-line strings; keep CRLF text exact by escaping it instead.
    return campaign_text(document, header=header, multiline_strings=not _has_carriage_return(document))


def _has_carriage_return(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_carriage_return(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_carriage_return(v) for v in value)
    return False
