"""`wpsync apply [PLANFILE]`: plan (or load a saved plan), confirm, then apply under the state lock."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING

from wpsync import __version__
from wpsync.bounded import TooDeep, Unreadable, json_loads, read_regular
from wpsync.commands.plan import SAVED_PLAN_KIND, PlanRequest, build_plan, render
from wpsync.commands.workspace import Workspace, client_for
from wpsync.errors import EXIT_ERROR, EXIT_OK, ChangesRefused, InputError, StalePlan
from wpsync.files.sources import campaign_paths, read_source
from wpsync.limits import MAX_PLAN_FILE
from wpsync.plan.codec import from_json
from wpsync.plan.plan import Binding, Plan, stale_reasons
from wpsync.state.backend import lock_state

if TYPE_CHECKING:
    from wpsync.apply.apply import ApplyReport

PROGRESS_BAR_FROM = 20  # on a terminal, a bar instead of two lines per call once a run is this long


def load_saved_plan(path: Path) -> Plan:
    try:
        data = json_loads(read_regular(path, MAX_PLAN_FILE, "a plan file"), "the plan file")
    except FileNotFoundError:
        raise InputError(
            f"{path}: cannot read the plan file: no such file; make one with `wpsync plan --out {path}`"
        ) from None
    except Unreadable as exc:
        raise InputError(f"{path}: {exc.reason}") from None
    except TooDeep as exc:
        raise InputError(f"{path}: {exc}; this is not a plan wpsync wrote — plan again") from None
    except ValueError:
        raise InputError(
            f"{path}: not a saved wpsync plan (invalid JSON); make one with `wpsync plan --out`"
        ) from None
    if not isinstance(data, dict) or data.get("kind") != SAVED_PLAN_KIND:
        raise InputError(f"{path}: not a saved wpsync plan; make one with `wpsync plan --out {path}`")
    try:
        return from_json(data["plan"])
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: a damaged or incompatible saved plan ({exc}); plan again") from None


def what_moved(plan: Plan, ws: Workspace) -> list[str]:
    """Everything that differs between what the plan was made from and what is here now: the shell
    reads ``now``, the plan's own ``stale_reasons`` compares."""
    records = ws.state.read_all()
    if plan.targets:  # a targeted plan was made from, and binds, only its targets
        records = {key: record for key, record in records.items() if key in plan.targets}
    # One file in memory at a time: a fleet's copy is never held whole just to hash it.
    digests = {
        path.stem: read_source(path).digest
        for path in campaign_paths(ws.campaigns)
        if not plan.targets or path.stem in plan.targets
    }
    now = Binding(
        lineage=ws.state.lineage(),
        serials={key: record.serial for key, record in records.items()},
        digests=digests,
        tool_version=__version__,
    )
    return stale_reasons(plan.binding, now)


def apply_command(
    ws: Workspace,
    api_key: str | None,
    request: PlanRequest,
    *,
    plan_file: Path | None,
    auto_approve: bool,
    interactive: bool,
    confirm: Callable[[], bool],
    color: bool,
    echo: Callable[[str], None],
    progress_bar: Callable[[int], AbstractContextManager[Callable[[], None]]] | None = None,
) -> int:
    if api_key is None:
        raise InputError("apply needs the API key: set WOODPECKER_API_KEY, or pass --api-key-file FILE")
    with lock_state(ws.state, "wpsync apply", timeout=ws.lock_timeout, notice=echo):
        saved = None if plan_file is None else (plan_file, load_saved_plan(plan_file))
        plan = prepare(ws, api_key, request, saved=saved, echo=echo)
        echo(render(plan, "text", color=color))
        if plan.refusals:
            raise ChangesRefused("the plan holds changes the API forbids; nothing was applied")
        if plan.actions and plan_file is None and not auto_approve:
            if not interactive:
                raise InputError("no terminal to confirm on: pass --auto-approve, or apply a saved plan file")
            if not confirm():
                echo("Apply cancelled; nothing was changed.")
                return EXIT_ERROR
        if progress_bar is not None and len(plan.actions) >= PROGRESS_BAR_FROM:
            with progress_bar(len(plan.actions)) as advance:

                def tick(_: str, done: bool) -> None:
                    if done:
                        advance()

                report = execute(ws, api_key, plan, progress=tick)
        else:
            report = execute(ws, api_key, plan, progress=lambda text, _: echo(text))
    for warning in report.warnings or []:
        echo(f"warning: {warning}")
    echo(
        f"Apply complete: {report.created} campaign(s) created, {report.appended} step(s) appended, "
        + (f"{report.updated} updated in place, " if report.updated else "")
        + (f"{report.deleted} deleted, " if report.deleted else "")
        + (f"{report.restored} set back to their status, " if report.restored else "")
        + f"{report.calls} API call(s) that change something."
    )
    return EXIT_OK


def prepare(
    ws: Workspace,
    api_key: str,
    request: PlanRequest,
    *,
    saved: tuple[Path, Plan] | None,
    echo: Callable[[str], None],
) -> Plan:
    """The first half of an apply, under the state lock: settle what an earlier run left unfinished,
    then the plan — made now, or ``saved`` (its file and plan) once checked not stale."""
    if ws.state.intents():
        # An earlier run died (or lost an answer) mid-call: find out what happened before planning.
        from wpsync.apply.apply import settle_interrupted

        with client_for(api_key, ws) as client:
            settle_interrupted(ws.state, client, echo)
    if saved is None:
        plan, _ = build_plan(ws, api_key, request)
        return plan
    plan_file, plan = saved
    moved = what_moved(plan, ws)
    if moved:
        raise StalePlan(f"{plan_file} is stale; plan again. What moved: " + "; ".join(moved))
    return plan


def execute(ws: Workspace, api_key: str, plan: Plan, *, progress: Callable[[str, bool], None]) -> ApplyReport:
    """The second half, still under the state lock: the plan's calls, each recorded (``apply_plan``)."""
    from wpsync.apply.apply import apply_plan

    with client_for(api_key, ws) as client:
        return apply_plan(plan, ws.state, client, progress=progress)
