"""Compare recorded steps with desired ones: an unchanged prefix plus appends, or precise refusals.

The recorded steps must be an unchanged prefix of the desired steps. Anything else is classified, in
this order, because each explains the change most simply:

    reordered   the same steps in another order
    inserted    every recorded step is still there, in order, with new ones before the last of them
    removed     every desired step was recorded, in order, but some recorded ones are gone
    edited / type changed / removed at the tail   position by position otherwise
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from wpsync.plan.plan import FieldChange

StepProblemKind = Literal[
    "step_inserted", "step_edited", "step_removed", "steps_reordered", "step_type_changed"
]


@dataclass(frozen=True)
class StepProblem:
    kind: StepProblemKind
    index: int  # 0-based; in the desired list for inserted/edited/type changed, recorded for removed
    detail: str = ""


@dataclass(frozen=True)
class StepComparison:
    append_from: int | None  # first desired index to append when the recorded steps are a prefix
    problems: tuple[StepProblem, ...]


def compare_steps(
    old: Sequence[str], new: Sequence[str], old_types: Sequence[str], new_types: Sequence[str]
) -> StepComparison:
    """``old``/``new`` are step content hashes in order; types are EMAIL/LINKEDIN."""
    m = len(old)
    if list(old) == list(new[:m]):
        return StepComparison(append_from=m, problems=())
    if sorted(old) == sorted(new):
        moved = [i for i in range(len(new)) if old[i] != new[i]]
        detail = "steps " + ", ".join(str(i + 1) for i in moved) + " are in a different order"
        return StepComparison(None, (StepProblem("steps_reordered", moved[0], detail),))
    inserted = _unmatched(old, new)
    if inserted is not None:
        last_kept = max(i for i in range(len(new)) if i not in inserted) if len(inserted) < len(new) else -1
        mid = [i for i in inserted if i < last_kept]
        return StepComparison(None, tuple(StepProblem("step_inserted", i) for i in mid))
    removed = _unmatched(new, old)
    if removed is not None:
        return StepComparison(None, tuple(StepProblem("step_removed", i) for i in removed))
    problems: list[StepProblem] = []
    for i in range(min(m, len(new))):
        if old[i] != new[i]:
            if old_types[i] != new_types[i]:
                detail = f"{old_types[i]} → {new_types[i]}"
                problems.append(StepProblem("step_type_changed", i, detail))
            else:
                problems.append(StepProblem("step_edited", i))
    problems.extend(StepProblem("step_removed", i) for i in range(len(new), m))
    return StepComparison(None, tuple(problems))


def _unmatched(short: Sequence[str], long: Sequence[str]) -> list[int] | None:
    """Indexes of ``long`` left over when ``short`` is matched in order inside it; None if it is not."""
    if len(short) >= len(long):
        return None
    matched: set[int] = set()
    j = 0
    for item in short:
        while j < len(long) and long[j] != item:
            j += 1
        if j == len(long):
            return None
        matched.add(j)
        j += 1
    return [i for i in range(len(long)) if i not in matched]


_PATH_PART = re.compile(r"\['([^']*)'\]|\[(\d+)\]")


def field_changes(old: Any, new: Any, prefix: str) -> tuple[FieldChange, ...]:
    """Field-level differences, old → new, with paths in the campaign file's terms."""
    from deepdiff import DeepDiff  # imported here: only needed to explain a refusal

    diff = DeepDiff(old, new, verbose_level=2, ignore_order=False)
    changes: list[FieldChange] = []
    for kind, entries in diff.items():
        for path, value in entries.items():
            if kind in ("values_changed", "type_changes"):
                old_value, new_value = value.get("old_value"), value.get("new_value")
            elif kind.endswith("_added"):
                old_value, new_value = None, value
            elif kind.endswith("_removed"):
                old_value, new_value = value, None
            else:
                continue
            changes.append(FieldChange(_file_path(prefix, path), old_value, new_value))
    return tuple(sorted(changes, key=lambda c: c.path))


def _file_path(prefix: str, deepdiff_path: str) -> str:
    out = prefix
    for name, index in _PATH_PART.findall(deepdiff_path):
        out += f"[{index}]" if index else (f".{name}" if out else name)
    return out
