"""`wpsync plan`: what apply would do, what the API forbids, and the exit code that says which."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from wpsync import __version__
from wpsync.commands.common import Workspace, client_for
from wpsync.errors import EXIT_CHANGES, EXIT_OK, EXIT_REFUSED, Problem
from wpsync.inputs import gather
from wpsync.plan import Note, Plan, to_json
from wpsync.planner import Facts, PlanOptions, make_plan
from wpsync.state import atomic_write_json

SAVED_PLAN_KIND = "wpsync-plan"


@dataclass(frozen=True)
class PlanRequest:
    offline: bool = False
    refresh_all: bool = False
    make_editable: bool = False
    run_after: bool = False


def build_plan(ws: Workspace, key: str | None, request: PlanRequest) -> tuple[Plan, list[Problem]]:
    """Gather inputs, refresh what the decisions need (unless offline or keyless), and plan."""
    inputs = gather(ws.campaigns, ws.state)
    offline = request.offline or key is None
    facts = Facts()
    if not offline and key is not None:
        from wpsync.refresh import refresh

        with client_for(key) as client:
            facts = refresh(client, inputs, everything=request.refresh_all)
    options = PlanOptions(
        make_editable=request.make_editable,
        run_after=request.run_after,
        offline=offline,
        report_drift=request.refresh_all and not offline,
    )
    plan = make_plan(
        inputs.files,
        inputs.records,
        inputs.applied,
        facts,
        options,
        lineage=inputs.lineage,
        tool_version=__version__,
    )
    interrupted = ws.state.intents()
    if interrupted:
        notes = tuple(
            Note(
                key,
                "partial",
                f"{key}: an earlier apply was interrupted during {intent['action']}; the next apply first checks "
                "Woodpecker for it and records what happened (this plan assumes it did not happen)",
            )
            for key, intent in interrupted.items()
        )
        plan = replace(plan, notes=plan.notes + notes)
    return plan, inputs.warnings


def plan_exit_code(plan: Plan, *, detailed: bool) -> int:
    if plan.refusals:
        return EXIT_REFUSED
    return EXIT_CHANGES if detailed and plan.has_changes else EXIT_OK


def render(plan: Plan, output_format: str, *, color: bool) -> str:
    if output_format == "json":
        return json.dumps(to_json(plan), indent=2, ensure_ascii=False)
    from wpsync.render_text import render_text

    return render_text(plan, color=color)


def save_plan(plan: Plan, path: Path) -> None:
    atomic_write_json(path, {"kind": SAVED_PLAN_KIND, "plan": to_json(plan)})


def plan_command(
    ws: Workspace,
    key: str | None,
    request: PlanRequest,
    *,
    output_format: str,
    out: Path | None,
    detailed: bool,
    color: bool,
    echo: Callable[[str], None],
    warn: Callable[[str], None],
) -> int:
    plan, warnings = build_plan(ws, key, request)
    for problem in warnings:
        warn(f"warning: {problem.render()}")
    echo(render(plan, output_format, color=color))
    if out is not None:
        save_plan(plan, out)
        if output_format == "text":
            echo(f"\nSaved the plan to {out}; apply exactly it with `wpsync apply {out}`.")
    return plan_exit_code(plan, detailed=detailed)
