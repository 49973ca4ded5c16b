"""Pydantic's validation errors, rewritten as wpsync findings: a clean field path and a message that
says what is allowed, in the words of the campaign file rather than of Python."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from wpsync.files import models
from wpsync.files.rules import Finding, Loc

# Tags pydantic inserts into paths for union members and validator-wrapped models; not keys of the file.
_STEP_TAGS = {"EMAIL", "LINKEDIN"}

_TYPE_NAMES = {
    "int_type": "an integer",
    "string_type": "a string in quotes",
    "bool_type": "true or false",
    "list_type": "a list [ … ]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "float_type": "a number",
}


def _known_keys() -> list[str]:
    keys: set[str] = set()
    for value in vars(models).values():
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
            keys.update(f.alias or name for name, f in value.model_fields.items())
    return sorted(keys)


def _is_tag(part: str, previous: int | str | None) -> bool:
    if part in _STEP_TAGS:
        return isinstance(previous, int)  # steps[2].EMAIL.… — the discriminator's tag
    return part == "str" or "[" in part or (part[:1].isupper() and not part.isupper())


def _clean(loc: tuple[int | str, ...]) -> Loc:
    out: list[int | str] = []
    previous: int | str | None = None
    for part in loc:
        if not (isinstance(part, str) and _is_tag(part, previous)):
            out.append(part)
        previous = part
    return tuple(out)


def _shown(value: Any) -> str:
    text = (
        repr(value) if not isinstance(value, dict | list) else type(value).__name__.replace("dict", "table")
    )
    return text if len(text) <= 40 else text[:37] + "…"


def _message(error: ErrorDetails) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    given = error.get("input")
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        near = difflib.get_close_matches(key, _known_keys(), n=1)
        hint = f' (did you mean "{near[0]}"?)' if near else ""
        return f'unknown key "{key}"{hint}; remove it or check the spelling'
    if kind in _TYPE_NAMES:
        return f"expected {_TYPE_NAMES[kind]}, not {_shown(given)}"
    if kind == "literal_error":
        return f"must be {ctx.get('expected')}, not {_shown(given)}"
    if kind in ("greater_than_equal", "greater_than"):
        return f"must be at least {ctx.get('ge', ctx.get('gt'))}, not {_shown(given)}"
    if kind in ("less_than_equal", "less_than"):
        return f"must be at most {ctx.get('le', ctx.get('lt'))}, not {_shown(given)}"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} (has {ctx.get('actual_length')})"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} (has {ctx.get('actual_length')})"
    if kind == "union_tag_invalid":
        return f'type must be "EMAIL" or "LINKEDIN", not {_shown(ctx.get("tag"))}'
    if kind == "union_tag_not_found":
        return 'each step needs type = "EMAIL" or type = "LINKEDIN"'
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return str(error["msg"])


def describe(exc: ValidationError) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[tuple[Loc, str]] = set()
    for error in exc.errors(include_url=False):
        loc = _clean(error["loc"])
        # A string delivery_time always passes the str branch, so a failure there is only noise
        # beside the real errors of a table that failed the DeliveryTime branch.
        if "str" in error["loc"] and error["type"] == "string_type":
            continue
        message = _message(error)
        if (loc, message) not in seen:
            seen.add((loc, message))
            findings.append(Finding(loc, message))
    return findings
