"""Refusals for step changes no call can make: each says what wpsync will not do, why, and the way out."""

from __future__ import annotations

from wpsync.plan.desired import Desired
from wpsync.plan.diff import StepProblem
from wpsync.plan.plan import Refusal


def explain(problem: StepProblem, desired: Desired) -> Refusal:
    n, file = problem.index + 1, desired.file

    def refusal(code: str, reason: str, way_out: str) -> Refusal:
        return Refusal(desired.key, file, code, n, reason, way_out)  # type: ignore[arg-type]

    if problem.kind == "step_inserted":
        return refusal(
            "step_inserted",
            f"a new step {n} is inserted between existing steps; Woodpecker's add-step call appends at the end only",
            f"move the new step to the end of {file}, or fork into a new campaign file",
        )
    if problem.kind == "step_removed":
        return refusal(
            "step_removed",
            f"recorded step {n} is missing from the middle of the chain; wpsync deletes trailing steps only "
            "(what Woodpecker does with the followups of a deleted mid-chain step is not documented)",
            f"restore step {n} in {file}, or fork into a new campaign file",
        )
    if problem.kind == "step_type_changed":
        return refusal(
            "step_type_changed",
            f"step {n} changed type ({problem.detail}); Woodpecker has no call that changes a step's type",
            f"revert step {n} in {file}, or fork into a new campaign file",
        )
    return refusal(
        "steps_reordered",
        f"{problem.detail}; Woodpecker has no call that reorders steps",
        f"restore the recorded order in {file}, or fork into a new campaign file",
    )
