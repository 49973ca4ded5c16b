"""`wpsync apply [PLANFILE]`: for each account, plan (or check the saved plan), confirm, then apply.

Per account, under that account's own state lock: ``prepare`` (settle what an earlier run left
unfinished, then plan, or check the saved plan is not stale) and — once the plan of every account is
shown and confirmed — ``execute`` (``apply_plan``: the journal, settling, restoring a sending
campaign's status). Accounts run at once in a bounded pool (``fleet.in_parallel``); each progress line
starts with the account's name. One account's failure — its lock held, a refused change, an API error
— stops that account only; the summary says what each did, and the exit code is the most serious of
theirs (``fleet.SEVERITY``). The one account of a repository without [accounts] is the same run,
shown as it always was: its error is the run's error, and a long run on a terminal gets a bar.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wpsync import __version__
from wpsync.commands.fleet import in_parallel, load_saved, render_plans, targeted, unnamed, worst
from wpsync.commands.plan import PlanRequest, build_plan
from wpsync.commands.resolve import Account
from wpsync.commands.workspace import Workspace, client_for
from wpsync.errors import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_REFUSED,
    ChangesRefused,
    InputError,
    StalePlan,
    WpsyncError,
)
from wpsync.files.sources import campaign_paths, read_source
from wpsync.plan.plan import Binding, CreateCampaign, Plan, stale_reasons
from wpsync.plan.rederived import differences
from wpsync.state.backend import lock_state

if TYPE_CHECKING:
    from wpsync.apply.apply import ApplyReport

PROGRESS_BAR_FROM = 20  # on a terminal, a bar instead of two lines per call once a run is this long


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
        plan, _ = build_plan(ws, api_key, replace(request, forecast_reads=False))
        return plan
    plan_file, plan = saved
    moved = what_moved(plan, ws)
    if moved:
        raise StalePlan(f"{plan_file} is stale; plan again. What moved: " + "; ".join(moved))
    creates = sum(isinstance(action, CreateCampaign) for action in plan.actions)
    if plan.offline and creates:
        # Offline, the plan could not check Woodpecker for a campaign of the same name (a lost or
        # unpushed state): it cannot be sure its creates are new campaigns.
        raise InputError(
            f"{plan_file} was planned offline: it could not check Woodpecker for campaigns of the same "
            f"name, so its {creates} create(s) may be second copies; plan again with the API key "
            f"(`wpsync plan --out {plan_file}`) and apply that"
        )
    # The same inputs, planned again: the saved plan is applied only if it is still exactly that
    # (``wpsync.plan.rederived``: a hand-edited file, or Woodpecker moved since).
    again = PlanRequest(
        offline=plan.offline,
        make_editable=bool(plan.options.get("make_editable")),
        leave_editable=bool(plan.options.get("leave_editable")),
        targets=plan.targets,
    )
    now, _ = build_plan(ws, api_key, again)
    differ = differences(plan, now)
    if differ:
        raise StalePlan(
            f"{plan_file} does not match what wpsync plans now (edited by hand, or Woodpecker changed "
            "since it was made); nothing was applied — plan again. What differs: " + "; ".join(differ)
        )
    return plan


def execute(ws: Workspace, api_key: str, plan: Plan, *, progress: Callable[[str, bool], None]) -> ApplyReport:
    """The second half, still under the state lock: the plan's calls, each recorded (``apply_plan``)."""
    from wpsync.apply.apply import apply_plan

    with client_for(api_key, ws) as client:
        return apply_plan(plan, ws.state, client, progress=progress)


@dataclass
class _Run:
    account: Account
    locks: ExitStack
    plan: Plan | None = None
    report: ApplyReport | None = None
    error: WpsyncError | None = None
    refused: bool = False  # a refused plan whose pending status restores still run (and nothing else)


def apply_command(
    accounts: Sequence[Account],
    request: PlanRequest,
    *,
    plan_file: Path | None,
    narrowed: bool,
    auto_approve: bool,
    interactive: bool,
    confirm: Callable[[], bool],
    color: bool,
    echo: Callable[[str], None],
    warn: Callable[[str], None],
    progress_bar: Callable[[int], AbstractContextManager[Callable[[], None]]] | None = None,
) -> int:
    """`wpsync apply` over the accounts (``wpsync.commands.resolve``); ``narrowed``: --account was given."""
    alone = unnamed(accounts)
    saved = None if plan_file is None else _saved_for(accounts, load_saved(plan_file), plan_file, narrowed)
    chosen = [a for a in accounts if saved is None or a.name in saved]
    # --target: the accounts holding any of the keys, each planning only those it holds.
    pairs = targeted(chosen, request.targets)
    requests = {id(account): replace(request, targets=keys) for account, keys in pairs}
    lock = threading.Lock()

    def say(account: Account) -> Callable[[str], None]:
        def line(text: str) -> None:
            with lock:
                echo(f"{account.name}: {text}" if account.name else text)

        return line

    with ExitStack() as held:
        runs = [_Run(account, held.enter_context(ExitStack())) for account, _ in pairs]

        def first(run: _Run) -> Plan:
            ws, key = run.account.ws, run.account.key
            if key is None:
                raise InputError(f"apply needs the API key: set {ws.key_source}, or pass --api-key-file FILE")
            run.locks.enter_context(
                lock_state(ws.state, "wpsync apply", timeout=ws.lock_timeout, notice=say(run.account))
            )
            from_file = None if saved is None or plan_file is None else (plan_file, saved[run.account.name])
            return prepare(ws, key, requests[id(run.account)], saved=from_file, echo=say(run.account))

        for run, result in zip(runs, _guarded(runs, first, alone), strict=True):
            if isinstance(result, WpsyncError):
                run.error = result
                run.locks.close()  # an account that cannot go on holds nothing while the others run
            else:
                run.plan = result
        _raise_alone(runs, alone)
        ready = [run for run in runs if run.plan is not None]
        if ready:
            echo(render_plans([(r.account, r.plan) for r in ready if r.plan], "text", color=color))
        for run in ready:
            assert run.plan is not None
            if run.plan.refusals:
                # The journal's promise holds whatever is refused: a campaign an interrupted apply
                # left EDITED is set back (approved: --auto-approve or a saved plan), nothing else.
                pending = run.plan.restores_only()
                if pending.actions and (plan_file is not None or auto_approve):
                    run.plan, run.refused = pending, True
                    continue
                run.error = _refused(alone, waiting=bool(pending.actions))
                run.locks.close()
        _raise_alone(runs, alone)
        go = [run for run in ready if run.error is None]
        if any(run.plan and run.plan.actions for run in go) and plan_file is None and not auto_approve:
            if not interactive:
                raise InputError("no terminal to confirm on: pass --auto-approve, or apply a saved plan file")
            if not confirm():
                echo("Apply cancelled; nothing was changed.")
                return EXIT_ERROR

        def second(run: _Run) -> ApplyReport:
            account = run.account
            assert account.key is not None and run.plan is not None
            started = say(account)
            try:
                if alone and progress_bar is not None and len(run.plan.actions) >= PROGRESS_BAR_FROM:
                    with progress_bar(len(run.plan.actions)) as advance:
                        return execute(account.ws, account.key, run.plan, progress=_ticks(advance))
                return execute(account.ws, account.key, run.plan, progress=lambda text, _: started(text))
            finally:
                run.locks.close()  # this account is done: its lock goes at once, not with the slowest

        for run, outcome in zip(go, _guarded(go, second, alone), strict=True):
            if isinstance(outcome, WpsyncError):
                run.error = outcome
            elif run.refused:
                run.error = _refused(alone, restored=outcome.restored)
            else:
                run.report = outcome
        _raise_alone(runs, alone)
    if alone:
        _report(runs[0], echo)
    else:
        _summary(runs, echo, warn)
    return worst([run.error.exit_code if run.error else EXIT_OK for run in runs])


def _saved_for(
    accounts: Sequence[Account], saved: dict[str | None, Plan], plan_file: Path, narrowed: bool
) -> dict[str | None, Plan]:
    """The saved plan's part for each account, or an InputError saying how plan and accounts differ."""
    if unnamed(accounts):
        if set(saved) != {None}:
            raise InputError(
                f"{plan_file}: a plan of several accounts ({', '.join(map(str, saved))}), but wpsync.toml "
                "declares no [accounts]: plan again"
            )
        return saved
    if None in saved:
        raise InputError(
            f"{plan_file}: a plan of one account, but wpsync.toml declares [accounts]: plan again, for every account"
        )
    named = {a.name for a in accounts}
    undeclared = sorted(str(name) for name in set(saved) - named) if not narrowed else []
    if undeclared:
        raise InputError(
            f"{plan_file}: plans accounts not declared in wpsync.toml: {', '.join(undeclared)}; plan again"
        )
    missing = sorted(str(name) for name in named - set(saved)) if narrowed else []
    if missing:
        raise InputError(f"{plan_file}: holds no plan for --account {', '.join(missing)}; plan again")
    return saved


def _guarded(runs: list[_Run], task: Callable[[_Run], Any], alone: bool) -> list[Any]:
    """``in_parallel`` over runs; an unexpected exception in one of several accounts is that account's
    error (the one account's goes to the CLI's handler, as any command's)."""

    def safe(run: _Run) -> Any:
        try:
            return task(run)
        except WpsyncError:
            raise
        except Exception as exc:  # a bug: it stops this account, not the others
            if alone:
                raise
            return WpsyncError(f"internal error (a bug in wpsync; please report it): {exc!r}")

    return in_parallel(runs, safe)


def _raise_alone(runs: list[_Run], alone: bool) -> None:
    if alone and runs and runs[0].error is not None:
        raise runs[0].error


def _ticks(advance: Callable[[], None]) -> Callable[[str, bool], None]:
    def tick(_: str, done: bool) -> None:
        if done:
            advance()

    return tick


def _refused(alone: bool, *, restored: int = 0, waiting: bool = False) -> WpsyncError:
    done = f"only {restored} campaign(s) were set back to their status" if restored else "nothing was applied"
    if waiting:  # pending restores, not approved
        done += (
            " — campaigns are still EDITED (they send nothing): `wpsync apply --auto-approve` sets them "
            "back even while refused"
        )
    if alone:
        return ChangesRefused(f"the plan holds changes the API forbids; {done}")
    error = WpsyncError(f"the plan holds changes the API forbids; {done} in this account")
    error.exit_code = EXIT_REFUSED
    return error


def _report(run: _Run, echo: Callable[[str], None]) -> None:
    report = run.report
    assert report is not None
    for warning in report.warnings or []:
        echo(f"warning: {warning}")
    echo(
        f"Apply complete: {report.created} campaign(s) created, {report.appended} step(s) appended, "
        + (f"{report.updated} updated in place, " if report.updated else "")
        + (f"{report.deleted} deleted, " if report.deleted else "")
        + (f"{report.restored} set back to their status, " if report.restored else "")
        + (f"{report.status} status change(s), " if report.status else "")
        + f"{report.calls} API call(s) that change something."
    )


def _summary(runs: list[_Run], echo: Callable[[str], None], warn: Callable[[str], None]) -> None:
    echo("")
    echo("Accounts:")
    width = max((len(run.account.name or "") for run in runs), default=0)
    failed = 0
    for run in runs:
        name = f"{run.account.name or '':<{width}}"
        if run.report is not None:
            r = run.report
            echo(
                f"  {name}  applied: {r.created} campaign(s) created, {r.appended} step(s) appended, "
                f"{r.calls} API call(s) that change something"
            )
            for warning in r.warnings:
                echo(f"  {name}  warning: {warning}")
        elif run.error is not None:
            failed += 1
            what = "refused" if run.error.exit_code == EXIT_REFUSED else "FAILED"
            echo(f"  {name}  {what}: {run.error.lines()[0]}")
            for line in run.error.lines():
                warn(f"error: {run.account.name}: {line}")
    done = len(runs) - failed
    echo(
        f"Apply complete in {done} of {len(runs)} account(s)"
        + (f"; {failed} did not complete." if failed else ".")
    )
