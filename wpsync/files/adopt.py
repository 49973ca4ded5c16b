"""Take what Woodpecker holds into a campaign file, changing only what differs (`wpsync adopt`).

The file is edited in place with tomlkit, value by value, so every comment, the order of keys and
tables, and each untouched value's spelling stay as they were; the result is then put in the
canonical layout (``files/fmt.py``, as `wpsync fmt`). Compared at the canonical level: a value the file
leaves to its default, or writes another way, is left alone when it means what Woodpecker holds.

A step's windows that came from a ``[schedules.NAME]`` are written back into that schedule when every
step using it now has the same windows in Woodpecker; otherwise that step gets its own inline table.
"""

from __future__ import annotations

from typing import Any

import tomlkit
from pydantic import TypeAdapter
from tomlkit import items

from wpsync.files.fmt import format_text
from wpsync.files.models import Campaign, EmailStep, Step
from wpsync.files.to_api import canonical_step

JSON = dict[str, Any]
_STEP: TypeAdapter[Any] = TypeAdapter(Step)
_EMAIL_COPY = ("subject", "message", "signature", "track_opens")


def adopt_text(text: str, current: Campaign, remote: JSON, status: str | None) -> str:
    """``text`` (the file ``current`` was read from) rewritten to hold ``remote`` — a campaign
    document as ``from_api.document_from_payload`` makes it — and, when given, ``status``."""
    doc = tomlkit.parse(text)
    if "name" in remote and remote["name"] != current.name:
        doc["name"] = remote["name"]
    mailboxes = remote.get("email_account_ids") or []
    if sorted(mailboxes) != sorted(current.email_account_ids or []):
        doc["email_account_ids"] = list(mailboxes)
    have = current.settings.model_dump()
    for name, value in remote.get("settings", {}).items():
        if name in have and have[name] != value:
            doc["settings"][name] = _item(value)
    if status is not None and status != current.status:
        doc["status"] = status
    _steps(doc, current, [_STEP.validate_python(step) for step in remote["steps"]], remote["steps"])
    return format_text(tomlkit.dumps(doc))


def _steps(doc: Any, current: Campaign, wanted: list[Any], documents: list[JSON]) -> None:
    tables = doc["steps"]
    have = [canonical_step(step, current.schedules) for step in current.steps]
    held = [canonical_step(step, {}) for step in wanted]
    written: set[str] = set()  # schedules already rewritten
    for index in range(min(len(have), len(held))):
        if have[index] == held[index]:
            continue
        if have[index]["type"] != held[index]["type"]:
            tables[index] = _table(documents[index])
            continue
        _step(tables[index], index, current, have, held, documents[index], written, doc)
    for index in range(len(have), len(held)):
        tables.append(_table(documents[index]))
    while len(tables) > len(held):
        del tables[len(tables) - 1]


def _step(
    table: Any,
    index: int,
    current: Campaign,
    have: list[JSON],
    held: list[JSON],
    document: JSON,
    written: set[str],
    doc: Any,
) -> None:
    old, new = have[index], held[index]
    for name in ("action_type", "linkedin_account_id"):
        if old.get(name) != new.get(name):
            table[name] = new[name]
    if old["followup_after"] != new["followup_after"]:
        table["followup_after"] = _inline(new["followup_after"])
    if old.get("delivery_time") != new.get("delivery_time"):
        _windows(table, index, current, held, new["delivery_time"], written, doc)
    old_versions, new_versions = old.get("versions") or [], new.get("versions") or []
    if len(old_versions) != len(new_versions) or "versions" not in table:
        if document.get("versions") is None:
            table.pop("versions", None)
        else:
            table["versions"] = _versions(
                document["versions"], inline=not isinstance(current.steps[index], EmailStep)
            )
        return
    fields = _EMAIL_COPY if new["type"] == "EMAIL" else ("message",)
    for number, (before, after) in enumerate(zip(old_versions, new_versions, strict=True)):
        version = table["versions"][number]
        for name in fields:
            if before.get(name) == after.get(name):
                continue
            if after.get(name) is None:
                version.pop(name, None)  # a null subject or note: omitted in a file
            else:
                version[name] = after[name]


def _windows(
    table: Any, index: int, current: Campaign, held: list[JSON], windows: JSON, written: set[str], doc: Any
) -> None:
    step = current.steps[index]
    name = step.delivery_time if isinstance(step, EmailStep) else None
    if isinstance(name, str):
        users = [
            i for i, s in enumerate(current.steps) if isinstance(s, EmailStep) and s.delivery_time == name
        ]
        if all(held[i]["delivery_time"] == windows for i in users if i < len(held)):
            if name not in written:
                doc["schedules"][name] = _schedule(windows)
                written.add(name)
            return
    table["delivery_time"] = _inline_windows(windows)


def _schedule(windows: JSON) -> Any:
    found = tomlkit.table()
    for day, spans in windows.items():
        found[day] = _spans(spans)
    return found


def _inline_windows(windows: JSON) -> Any:
    found = tomlkit.inline_table()
    for day, spans in windows.items():
        found[day] = _spans(spans)
    return found


def _spans(spans: list[JSON]) -> Any:
    found = tomlkit.array()
    for span in spans:
        found.append(_inline(span))
    return found


def _inline(value: JSON) -> Any:
    found = tomlkit.inline_table()
    found.update(value)
    return found


def _item(value: Any) -> Any:
    return tomlkit.item(value)


def _versions(versions: list[JSON], *, inline: bool) -> Any:
    if inline:
        found = tomlkit.array()
        for version in versions:
            found.append(_inline(version))
        return found
    tables = tomlkit.aot()
    for version in versions:
        table = tomlkit.table()
        table.update(version)
        tables.append(table)
    return tables


def _table(document: JSON) -> items.Table:
    """A whole new [[steps]] entry, in the layout `wpsync import` writes."""
    table = tomlkit.table()
    for key, value in document.items():
        if key == "versions":
            continue
        table[key] = (
            _inline_windows(value)
            if key == "delivery_time"
            else (_inline(value) if isinstance(value, dict) else value)
        )
    if "versions" in document:
        table["versions"] = _versions(document["versions"], inline=document.get("type") == "LINKEDIN")
    return table
