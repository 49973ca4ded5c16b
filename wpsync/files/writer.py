"""Write a campaign document (from_api.document_from_payload) as TOML in the layout of the examples and
of `wpsync fmt`: top-level keys, then [settings], then one [[steps]] table per step with its
delivery_time and followup_after as inline tables and each version as a [[steps.versions]] table."""

from __future__ import annotations

from typing import Any

import tomli_w

from wpsync.files.fmt import format_text

JSON = dict[str, Any]


def campaign_text(document: JSON, *, header: str = "", multiline_strings: bool = True) -> str:
    lines: list[str] = [header.rstrip("\n"), ""] if header else []
    tables = {key: value for key, value in document.items() if isinstance(value, dict)}
    steps = document.get("steps") or []
    for key, value in document.items():
        if key not in tables and key != "steps":
            lines.append(_entry(key, value, multiline_strings))
    for key, table in tables.items():
        lines += ["", f"[{_key(key)}]"] + [_entry(k, v, multiline_strings) for k, v in table.items()]
    for step in steps:
        lines += ["", "[[steps]]"]
        lines += [_entry(k, v, multiline_strings) for k, v in step.items() if k != "versions"]
        versions = step.get("versions")
        if versions is None:
            continue
        if not versions or all(not version for version in versions):
            lines.append(_entry("versions", versions, multiline_strings))  # [] or [{}]: nothing to expand
            continue
        for version in versions:
            lines += ["", "[[steps.versions]]"] + [
                _entry(k, v, multiline_strings) for k, v in version.items()
            ]
    return format_text("\n".join(lines) + "\n")


def _key(key: str) -> str:
    return tomli_w.dumps({key: 0}).split(" = ", 1)[0]


def _entry(key: str, value: Any, multiline_strings: bool) -> str:
    return f"{_key(key)} = {_value(value, multiline_strings)}"


def _value(value: Any, multiline_strings: bool) -> str:
    if isinstance(value, dict):
        entries = [_entry(k, v, multiline_strings) for k, v in value.items()]
        return "{ " + ", ".join(entries) + " }" if entries else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(item, multiline_strings) for item in value) + "]"
    return tomli_w.dumps({"v": value}, multiline_strings=multiline_strings)[len("v = ") :].rstrip("\n")
