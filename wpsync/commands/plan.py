"""`wpsync plan`: what apply would do, what the API forbids, and the exit code that says which."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from wpsync import __version__
from wpsync.commands.gather import Inputs, gather
from wpsync.commands.workspace import STEP_SUMMARY_ENV, Workspace, client_for, environment
from wpsync.errors import EXIT_CHANGES, EXIT_OK, EXIT_REFUSED, InputError, Problem, WpsyncError
from wpsync.plan.desired import Desired
from wpsync.plan.facts import Facts
from wpsync.plan.plan import Note, Plan
from wpsync.plan.planner import PlanOptions, make_plan

if TYPE_CHECKING:
    from wpsync.commands.resolve import Account

if TYPE_CHECKING:
    from wpsync.woodpecker.client import WoodpeckerClient

SAVED_PLAN_KIND = "wpsync-plan"
SUMMARY_MIN_ROOM = 4096  # below this not even a short plan fits: say so rather than add a stub


@dataclass(frozen=True)
class PlanRequest:
    offline: bool = False
    refresh_all: bool = False
    make_editable: bool | None = None  # --make-editable / --no-make-editable; None: wpsync.toml's policy
    leave_editable: bool = False
    targets: tuple[str, ...] = ()  # `--target KEY`: plan only these campaigns
    # The forecast's own reads (prospect counts, other campaigns' loads); apply, which shows the plan
    # only to confirm it, goes without them and makes exactly the reads it always made.
    forecast_reads: bool = True


def build_plan(ws: Workspace, api_key: str | None, request: PlanRequest) -> tuple[Plan, list[Problem]]:
    """Gather inputs, refresh what the decisions need (unless offline or keyless), and plan."""
    keys = None
    if request.targets:
        from wpsync.commands.targets import check_targets

        keys = check_targets(ws, request.targets)
    # --refresh all compares every campaign with Woodpecker, so every file is parsed (drift is planned back).
    inputs = gather(ws.campaigns, ws.state, keys=keys, reparse_all=request.refresh_all)
    offline = request.offline or api_key is None
    facts = Facts()
    # Nothing changed and no drift report asked for: no decision needs Woodpecker, so do not even
    # build a client (httpx and a TLS context cost a no-change plan more than everything else).
    needs_facts = request.refresh_all or any(isinstance(f, Desired) for f in inputs.files)
    online = not offline and api_key is not None and needs_facts
    from wpsync.files.apply_config import for_campaigns

    options = PlanOptions(
        recorded_account=ws.state.account(),
        state_records=inputs.state_records,
        account_name=ws.account,
        make_editable=request.make_editable,
        leave_editable=request.leave_editable,
        live_policy=for_campaigns(ws.campaigns, account=ws.account).make_editable,
        offline=offline,
        report_drift=request.refresh_all and not offline,
        refreshed=("all" if request.refresh_all else "changed") if online else "none",
    )
    with client_for(api_key, ws) if online and api_key is not None else nullcontext() as client:
        if client is not None:
            from wpsync.woodpecker.refresh import refresh

            facts = refresh(
                client,
                inputs.files,
                inputs.records,
                everything=request.refresh_all,
                applied=inputs.applied,
                owned=inputs.owned,
            )
        if not inputs.state_records and facts.untracked:
            workspaces, local = _elsewhere(ws)
            options = replace(options, other_workspaces=workspaces, local_records=local)
        plan = make_plan(
            inputs.files,
            inputs.records,
            inputs.applied,
            facts,
            options,
            lineage=inputs.lineage,
            tool_version=__version__,
        )
        if plan.actions:
            plan = _forecast(plan, inputs, facts, ws, client, reads=request.forecast_reads)
    if request.targets:
        plan = replace(plan, targets=tuple(sorted(set(request.targets))))
    if plan.names is None and plan.actions:
        # Read nothing about mailboxes now (offline, or nothing needed it): a committed cached copy,
        # dated, still names them (`wpsync accounts --save-names`). Only a plan with changes shows any.
        from wpsync.commands import names_cache

        plan = replace(plan, names=names_cache.load(ws.campaigns))
    interrupted = ws.state.intents()
    if interrupted:
        notes = tuple(
            Note(
                key,
                "partial",
                f"{key}: an earlier apply was interrupted during {intent.action}; the next apply first checks "
                "Woodpecker for it and records what happened (this plan assumes it did not happen)",
            )
            for key, intent in interrupted.items()
        )
        plan = replace(plan, notes=plan.notes + notes)
    return plan, inputs.warnings


def _forecast(
    plan: Plan, inputs: Inputs, facts: Facts, ws: Workspace, client: WoodpeckerClient | None, *, reads: bool
) -> Plan:
    from datetime import UTC, datetime

    from wpsync.commands.forecast import with_forecast
    from wpsync.files import lint_config

    now = environment().now or datetime.now(UTC)
    limit = lint_config.active().max_daily_sends_per_mailbox
    return with_forecast(
        plan, inputs, facts, ws.state, client if reads else None, now=now, limit=limit, reads=reads
    )


def _elsewhere(ws: Workspace) -> tuple[dict[str, int], int]:
    """Where the campaigns of an empty state may be recorded instead: the other workspaces of its
    PostgreSQL database (records each), and the records of a state/ folder beside the campaigns."""
    from wpsync.state.store import StateDir

    if isinstance(ws.state, StateDir):
        return {}, 0
    others = getattr(ws.state, "workspaces", None)
    found: dict[str, int] = others() if callable(others) else {}
    beside = ws.campaigns.parent  # campaigns/ → state/; campaigns/NAME/ → state/NAME/
    local = StateDir(beside.parent / "state" / ws.account if ws.account else beside / "state")
    try:
        count = len(local.keys()) if local.root.is_dir() else 0
    except WpsyncError:
        count = 0  # a damaged folder: not a state to push
    return found, count


def plan_exit_code(plan: Plan, *, detailed: bool) -> int:
    if plan.refusals:
        return EXIT_REFUSED
    return EXIT_CHANGES if detailed and plan.has_changes else EXIT_OK


def render(plan: Plan, output_format: str, *, color: bool, warnings: Sequence[Problem] = ()) -> str:
    if output_format == "json":
        from wpsync.plan.codec import to_json

        return json.dumps(to_json(plan), indent=2, ensure_ascii=False)
    if output_format == "markdown":
        from wpsync.review.markdown import render_markdown

        return render_markdown(plan, warnings=warnings)
    from wpsync.review.text import render_text

    return render_text(plan, color=color)


def plan_command(
    accounts: Sequence[Account],
    request: PlanRequest,
    *,
    output_format: str,
    out: Path | None,
    detailed: bool,
    color: bool,
    echo: Callable[[str], None],
    warn: Callable[[str], None],
    strict: bool = False,
) -> int:
    """`wpsync plan` over the accounts (``wpsync.commands.resolve``): each planned by ``build_plan``,
    side by side, shown as one plan — as its own plan when it is the one account of old."""
    from wpsync.commands.fleet import markdown_within, plan_all, render_plans, save_plans, unnamed, worst
    from wpsync.files import lint_config

    # The [lint] settings of wpsync.toml, for the files parsed here.
    with lint_config.configured(lint_config.load(accounts[0].settings)):
        results = plan_all(accounts, request)
    failed = [(account, result) for account, result in results if isinstance(result, WpsyncError)]
    if failed and unnamed(accounts):
        raise failed[0][1]
    for account, error in failed:
        for line in error.lines():
            warn(f"error: {account.name}: {line}")
    if failed:
        return worst([error.exit_code for _, error in failed])
    planned = [(account, result) for account, result in results if not isinstance(result, WpsyncError)]
    warnings = [problem for _, (_, found) in planned for problem in found]
    if strict and warnings:
        raise InputError([replace(problem, severity="error") for problem in warnings])
    for problem in warnings:
        warn(f"warning: {problem.render()}")
    plans = [(account, plan) for account, (plan, _) in planned]
    if not plans:
        echo("No account to plan.")
        return EXIT_OK
    echo(render_plans(plans, output_format, color=color, warnings=warnings))
    summary = environment().step_summary
    if summary is not None:
        append_markdown(
            lambda room: markdown_within(plans, room, warnings),
            summary,
            warn,
        )
    if out is not None:
        save_plans(plans, out)
        if output_format == "text":
            echo(f"\nSaved the plan to {out}; apply exactly it with `wpsync apply {out}`.")
    return worst([plan_exit_code(plan, detailed=detailed) for _, plan in plans])


def append_step_summary(
    plan: Plan, warnings: Sequence[Problem], path: Path, warn: Callable[[str], None]
) -> None:
    """Add the markdown plan to a GitHub Actions job summary, within what is left of its 1 MiB."""
    from wpsync.review.markdown import render_markdown

    append_markdown(
        lambda room: render_markdown(plan, limit=room, warnings=warnings, measure="bytes"), path, warn
    )


def append_markdown(render_within: Callable[[int], str], path: Path, warn: Callable[[str], None]) -> None:
    """Add markdown rendered within the room left (in bytes) to the job summary file ``path``."""
    from wpsync.review.markdown import SUMMARY_LIMIT

    try:
        used = path.stat().st_size
    except OSError:
        used = 0  # not there yet: the runner creates it, appending creates it too
    room = SUMMARY_LIMIT - used - 2
    if room < SUMMARY_MIN_ROOM:
        warn(f"warning: {STEP_SUMMARY_ENV} is nearly full ({used:,} bytes); the plan was not added to it")
        return
    text = render_within(room)
    try:
        # Non-blocking: a FIFO without a reader fails at once (ENXIO) instead of hanging the plan.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        warn(f"warning: cannot add the plan to {STEP_SUMMARY_ENV} ({path}): {exc.strerror}")
        return
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            warn(f"warning: cannot add the plan to {STEP_SUMMARY_ENV} ({path}): not a regular file")
            return
        os.set_blocking(fd, True)
        with os.fdopen(os.dup(fd), "a", encoding="utf-8") as summary:
            summary.write(text + "\n")
    except OSError as exc:
        warn(f"warning: cannot add the plan to {STEP_SUMMARY_ENV} ({path}): {exc.strerror}")
    finally:
        os.close(fd)
