"""Read a campaign payload as Woodpecker returns it: ids, and the canonical hashes of its steps.

Hashes are computed the same way as for campaign files (payload → file form → model → canonical), so
a step created from a file and read back from the API hash equal, whatever defaults the server filled.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import TypeAdapter, ValidationError

from wpsync.errors import WpsyncError
from wpsync.files.from_api import chain, step_document
from wpsync.files.models import Step
from wpsync.files.to_api import canonical_step, content_hash
from wpsync.state.records import StepRecord

JSON = dict[str, Any]
_STEP: TypeAdapter[Any] = TypeAdapter(Step)


@dataclass(frozen=True)
class RemoteSteps:
    records: tuple[StepRecord, ...]  # START first, with ids, hashes and version ids
    contents: tuple[JSON, ...]  # canonical content of each step after START

    @property
    def hashes(self) -> tuple[str, ...]:
        return tuple(step.hash for step in self.records[1:])


def read_steps(payload: JSON) -> RemoteSteps:
    """The step records of a campaign payload from the API (GET, create or add-step response)."""
    root = payload.get("steps")
    if not isinstance(root, dict) or not isinstance(root.get("id"), str):
        raise WpsyncError("Woodpecker returned a campaign without a START step id; cannot record it")
    records = [StepRecord(id=root["id"], type="START")]
    contents: list[JSON] = []
    for index, node in enumerate(chain(payload)):
        odd = _odd_shape(node)
        if odd:
            raise WpsyncError(
                f"Woodpecker returned step {index + 1} in a shape wpsync does not understand: {odd}"
            )
        try:
            step = _STEP.validate_python(step_document(node))
        except ValidationError as exc:
            raise WpsyncError(
                f"Woodpecker returned step {index + 1} in a shape wpsync does not understand: "
                f"{exc.error_count()} problem(s), first: {exc.errors()[0]['msg']}"
            ) from None
        content = canonical_step(step, {})
        contents.append(content)
        versions = (node.get("body") or {}).get("versions") or []
        records.append(
            StepRecord(
                id=str(node.get("id", "")),
                type=str(node.get("type")),
                hash=content_hash(content),
                version_ids=tuple(str(v.get("id", "")) for v in versions),
            )
        )
    return RemoteSteps(tuple(records), tuple(contents))


def _odd_shape(node: JSON) -> str:
    """What makes a step node unreadable before it is read as a step ("" = nothing): a body or its
    versions of another type would otherwise fail deep inside, as an internal error."""
    body = node.get("body")
    if body is not None and not isinstance(body, dict):
        return f"body is {type(body).__name__}, not an object"
    versions = (body or {}).get("versions")
    if versions is not None and not (
        isinstance(versions, list) and all(isinstance(v, dict) for v in versions)
    ):
        return "body.versions is not a list of objects"
    return ""
