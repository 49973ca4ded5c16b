"""Campaign records and the content last applied: the values of the state, and their JSON form.

A record holds identity and facts, not copy: the ids of the campaign, its steps (START included) and
versions, a content hash per step, and the digest of the source file last applied. The content last
applied (``Applied``) is kept beside it, read only when a change must be explained or an edit planned.
Both storage backends read and write exactly these forms, so a state moves between them unchanged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wpsync.errors import StateError
from wpsync.state.atomic import dumps

_encode_string = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses for text

FORMAT = 1


@dataclass(frozen=True)
class StepRecord:
    id: str
    type: str  # START, EMAIL or LINKEDIN
    hash: str = ""  # canonical content hash; empty for START
    version_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class CampaignRecord:
    key: str
    lineage: str
    serial: int
    campaign_id: int
    status: str
    head_hash: str  # name, mailboxes and settings
    steps: tuple[StepRecord, ...]  # START first
    source_digest: str = ""  # the file's bytes as last fully applied; "" while anything is unfinished
    tool_version: str = ""
    last_step_processed: int = 0  # facts as of the last time apply or import read Woodpecker:
    refreshed_at: str = ""  # when that was (UTC); an --offline plan judges appends by them
    # Set, durably, before wpsync makes a sending campaign EDITED; cleared once it is back. A run that
    # dies in between leaves it, and the next plan restores the status first.
    restore_status: str = ""

    @property
    def content_steps(self) -> tuple[StepRecord, ...]:
        return self.steps[1:]

    @property
    def last_step_id(self) -> str:
        return self.steps[-1].id

    def bumped(self, **changes: Any) -> CampaignRecord:
        return replace(self, serial=self.serial + 1, **changes)


@dataclass(frozen=True)
class Applied:
    """The canonical content last applied: head (name, mailboxes, settings) and one dict per step."""

    head: dict[str, Any]
    steps: tuple[dict[str, Any], ...]


_RECORD_FIELDS = (
    "key",
    "lineage",
    "serial",
    "campaign_id",
    "status",
    "head_hash",
    "source_digest",
    "tool_version",
    "last_step_processed",
    "refreshed_at",
    "restore_status",
)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_to_json(record: CampaignRecord) -> dict[str, Any]:
    # Built by hand: dataclasses.asdict deep-copies every value, which showed up in apply's profile.
    data = {name: getattr(record, name) for name in _RECORD_FIELDS}
    data["format"] = FORMAT
    if not record.restore_status:
        del data["restore_status"]  # written only while it matters: a state's files stay as they were
    data["steps"] = [
        {"hash": s.hash, "id": s.id, "type": s.type, "version_ids": list(s.version_ids)} for s in record.steps
    ]
    return data


def record_bytes(record: CampaignRecord) -> bytes:
    """A record's file: ``atomic.dumps(record_to_json(record))`` byte for byte, laid out here because an
    indented dump cannot use json's C encoder and apply writes one record per call. Each value still
    goes through json's own string encoder; any value of a type not laid out here takes the general path."""
    data = record_to_json(record)
    steps = data.pop("steps")
    if not steps or not all(type(value) is str or type(value) is int for value in data.values()):
        return dumps(data | {"steps": steps})
    text = _encode_string
    body: list[str] = []
    for step in steps:
        versions = step["version_ids"]
        if not (type(step["hash"]) is type(step["id"]) is type(step["type"]) is str) or any(
            type(v) is not str for v in versions
        ):
            return dumps(data | {"steps": steps})
        listed = (
            "[\n" + ",\n".join(f"        {text(v)}" for v in versions) + "\n      ]" if versions else "[]"
        )
        body.append(
            f'    {{\n      "hash": {text(step["hash"])},\n      "id": {text(step["id"])},\n'
            f'      "type": {text(step["type"])},\n      "version_ids": {listed}\n    }}'
        )
    fields = {name: text(value) if type(value) is str else str(value) for name, value in data.items()}
    fields["steps"] = "[\n" + ",\n".join(body) + "\n  ]"
    lines = ",\n".join(f"  {text(name)}: {fields[name]}" for name in sorted(fields))
    return f"{{\n{lines}\n}}\n".encode()


def applied_bytes(applied: Applied) -> bytes:
    """The content last applied, one line per step: diffable by step, and encoded by json's C encoder
    (an indented dump falls back to the pure-Python one, which dominated apply's own time)."""

    def line(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))

    steps = ",\n".join(f"    {line(step)}" for step in applied.steps)
    return f'{{\n  "head": {line(applied.head)},\n  "steps": [\n{steps}\n  ]\n}}\n'.encode()


def record_from_json(path: Path, data: Any, lineage: str | None) -> CampaignRecord:
    if not isinstance(data, dict):
        raise StateError(f"{path}: expected a JSON object; restore the file from git")
    check_format(path, data.get("format"))
    try:
        steps = tuple(_step_record(s) for s in _typed(data, "steps", list))
        record = CampaignRecord(
            key=_typed(data, "key", str),
            lineage=_typed(data, "lineage", str),
            serial=_typed(data, "serial", int),
            campaign_id=_typed(data, "campaign_id", int),
            status=_typed(data, "status", str),
            head_hash=_typed(data, "head_hash", str),
            steps=steps,
            source_digest=_typed(data, "source_digest", str),
            tool_version=_typed(data, "tool_version", str),
            last_step_processed=_typed(data, "last_step_processed", int),
            refreshed_at=_typed(data, "refreshed_at", str),
            restore_status=_optional(data, "restore_status", str, ""),
        )
    except _FieldProblem as problem:
        raise StateError(
            f"{path}: {problem}; restore the file from git, or `wpsync forget` the key"
        ) from None
    if not steps or steps[0].type != "START":
        raise StateError(f"{path}: steps must start with the START step; restore the file from git")
    if record.key != path.name[: -len(".json")]:
        raise StateError(f"{path}: records key {record.key!r} but is named for another; rename it back")
    if lineage is not None and record.lineage != lineage:
        raise StateError(
            f"{path}: belongs to another state (lineage {record.lineage}, this state is {lineage}); "
            "it was copied from elsewhere — remove it, or import the campaign with `wpsync import`"
        )
    return record


class _FieldProblem(Exception):
    pass


def _step_record(raw: Any) -> StepRecord:
    # The hot loop of reading a fleet's state (16 of these per campaign): exact type checks on the
    # common path, and the generic, explaining check only when something is off.
    if type(raw) is dict:
        step_id, kind, digest, versions = (
            raw.get("id"),
            raw.get("type"),
            raw.get("hash"),
            raw.get("version_ids"),
        )
        if type(step_id) is str and type(kind) is str and type(digest) is str and type(versions) is list:
            return StepRecord(step_id, kind, digest, tuple(versions))
    return StepRecord(
        id=_typed(raw, "id", str),
        type=_typed(raw, "type", str),
        hash=_typed(raw, "hash", str),
        version_ids=tuple(_typed(raw, "version_ids", list)),
    )


def _optional(data: Any, name: str, kind: type, default: Any) -> Any:
    """A field newer states carry; older ones (format 1 as first written) lack it."""
    return _typed(data, name, kind) if isinstance(data, dict) and name in data else default


def _typed(data: Any, name: str, kind: type) -> Any:
    if not isinstance(data, dict) or name not in data:
        raise _FieldProblem(f"missing field {name!r}")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _FieldProblem(f"field {name!r} should be {kind.__name__}, not {type(value).__name__}")
    return value


def check_format(path: Path, found: Any) -> None:
    if found == FORMAT:
        return
    if isinstance(found, int) and found > FORMAT:
        raise StateError(f"{path}: written by a newer wpsync (state format {found}); upgrade wpsync")
    raise StateError(f"{path}: unknown state format {found!r}; restore the file from git")


def applied_from_json(where: str, data: Any) -> Applied:
    # Objects only: dict() would also turn "" or [] (or a list of pairs) into a head, and an empty
    # head makes every setting look changed.
    head, steps = (data.get("head"), data.get("steps")) if isinstance(data, dict) else (None, None)
    if (
        not isinstance(head, dict)
        or not isinstance(steps, list)
        or not all(isinstance(s, dict) for s in steps)
    ):
        raise StateError(f"{where}: not a wpsync applied-content file; restore it from git")
    return Applied(head=dict(head), steps=tuple(dict(s) for s in steps))
