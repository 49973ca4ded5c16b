"""`wpsync apply` for several accounts: each account's apply, side by side, with one plan and one answer.

Per account, exactly the single-account apply (``wpsync.commands.apply``): its state lock, then
``prepare`` (settle what an earlier run left, plan or check the saved plan), and — once the combined
plan is shown and confirmed — ``execute`` (``apply_plan``: the journal, settling, restoring a sending
campaign's status). Accounts run at once in a bounded pool; each progress line starts with the
account's name. One account's failure — its lock held, a refused change, an API error — stops that
account only; the summary says what each did, and the exit code is the most serious of theirs
(``fleet.SEVERITY``: interrupted, error, locked, stale, refused, success).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wpsync.bounded import TooDeep, Unreadable, json_loads, read_regular
from wpsync.commands.apply import execute, prepare
from wpsync.commands.fleet import Member, account_plans, in_parallel, render_all, targeted, worst
from wpsync.commands.plan import SAVED_PLAN_KIND, PlanRequest
from wpsync.errors import EXIT_ERROR, EXIT_OK, EXIT_REFUSED, InputError, WpsyncError
from wpsync.limits import MAX_PLAN_FILE
from wpsync.plan.codec import from_json
from wpsync.plan.plan import Plan
from wpsync.state.backend import lock_state

if TYPE_CHECKING:
    from wpsync.apply.apply import ApplyReport


@dataclass
class _Run:
    member: Member
    locks: ExitStack
    plan: Plan | None = None
    report: ApplyReport | None = None
    error: WpsyncError | None = None

    @property
    def code(self) -> int:
        if self.error is not None:
            return self.error.exit_code
        return EXIT_OK


def is_saved_for_accounts(path: Path) -> bool:
    """Whether ``path`` looks like a saved plan of several accounts (anything else: load_saved_plan)."""
    try:
        data = json_loads(read_regular(path, MAX_PLAN_FILE, "a plan file"), "the plan file")
    except (OSError, Unreadable, TooDeep, ValueError):
        return False
    return isinstance(data, dict) and data.get("kind") == SAVED_PLAN_KIND and "accounts" in data


def load_saved_accounts(path: Path) -> dict[str, Plan]:
    """A saved plan of several accounts (``wpsync plan --out`` with [accounts]): its plan per account."""
    try:
        data = json_loads(read_regular(path, MAX_PLAN_FILE, "a plan file"), "the plan file")
    except FileNotFoundError:
        raise InputError(
            f"{path}: cannot read the plan file: no such file; make one with `wpsync plan --out {path}`"
        ) from None
    except Unreadable as exc:
        raise InputError(f"{path}: {exc.reason}") from None
    except (TooDeep, ValueError):
        raise InputError(
            f"{path}: not a saved wpsync plan; make one with `wpsync plan --out {path}`"
        ) from None
    if not isinstance(data, dict) or data.get("kind") != SAVED_PLAN_KIND:
        raise InputError(f"{path}: not a saved wpsync plan; make one with `wpsync plan --out {path}`")
    accounts = data.get("accounts")
    if not isinstance(accounts, dict):
        raise InputError(
            f"{path}: a plan of one account, but wpsync.toml declares [accounts]: plan again, for every account"
        )
    try:
        return {str(name): from_json(plan) for name, plan in accounts.items()}
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{path}: a damaged or incompatible saved plan ({exc}); plan again") from None


def apply_accounts(
    chosen: list[Member],
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
) -> int:
    saved: dict[str, Plan] | None = None
    if plan_file is not None:
        saved = load_saved_accounts(plan_file)
        named = {m.name for m in chosen}
        undeclared = sorted(set(saved) - named) if not narrowed else []
        if undeclared:
            raise InputError(
                f"{plan_file}: plans accounts not declared in wpsync.toml: {', '.join(undeclared)}; plan again"
            )
        missing = sorted(named - set(saved)) if narrowed else []
        if missing:
            raise InputError(f"{plan_file}: holds no plan for --account {', '.join(missing)}; plan again")
        chosen = [m for m in chosen if m.name in saved]
    # --target: the accounts holding any of the keys, each planning only those it holds.
    requests = {m.name: replace(request, targets=keys) for m, keys in targeted(chosen, request.targets)}
    chosen = [m for m in chosen if m.name in requests]
    lock = threading.Lock()

    def say(name: str) -> Callable[[str], None]:
        def line(text: str) -> None:
            with lock:
                echo(f"{name}: {text}")

        return line

    with ExitStack() as held:
        runs = [_Run(m, held.enter_context(ExitStack())) for m in chosen]

        def first(run: _Run) -> Plan:
            member = run.member
            assert member.key is not None
            run.locks.enter_context(
                lock_state(
                    member.ws.state, "wpsync apply", timeout=member.ws.lock_timeout, notice=say(member.name)
                )
            )
            plan_saved = None if saved is None or plan_file is None else (plan_file, saved[member.name])
            return prepare(
                member.ws, member.key, requests[member.name], saved=plan_saved, echo=say(member.name)
            )

        for run, result in zip(runs, in_parallel(runs, first), strict=True):
            if isinstance(result, WpsyncError):
                run.error = result
                run.locks.close()  # an account that cannot go on holds nothing while the others run
            else:
                run.plan = result
        ready = [run for run in runs if run.plan is not None]
        if ready:
            echo(
                render_all(account_plans([(r.member, r.plan) for r in ready if r.plan]), "text", color=color)
            )
        for run in ready:
            assert run.plan is not None
            if run.plan.refusals:
                run.error = _refused()
                run.locks.close()
        go = [run for run in ready if run.error is None]
        if any(run.plan and run.plan.actions for run in go) and plan_file is None and not auto_approve:
            if not interactive:
                raise InputError("no terminal to confirm on: pass --auto-approve, or apply a saved plan file")
            if not confirm():
                echo("Apply cancelled; nothing was changed.")
                return EXIT_ERROR

        def second(run: _Run) -> ApplyReport:
            member = run.member
            assert member.key is not None and run.plan is not None
            started = say(member.name)
            try:
                return execute(member.ws, member.key, run.plan, progress=lambda text, _: started(text))
            finally:
                run.locks.close()  # this account is done: its lock goes at once, not with the slowest

        for run, outcome in zip(go, _guarded_parallel(go, second), strict=True):
            if isinstance(outcome, WpsyncError):
                run.error = outcome
            else:
                run.report = outcome
    _summary(runs, echo, warn)
    return worst([run.code for run in runs])


def _guarded_parallel(runs: list[_Run], task: Callable[[_Run], Any]) -> list[Any]:
    """``in_parallel`` over runs; an unexpected exception in one account is that account's error."""

    def safe(run: _Run) -> Any:
        try:
            return task(run)
        except WpsyncError:
            raise
        except Exception as exc:  # a bug: it stops this account, not the others
            return WpsyncError(f"internal error (a bug in wpsync; please report it): {exc!r}")

    return in_parallel(runs, safe)


def _refused() -> WpsyncError:
    error = WpsyncError("the plan holds changes the API forbids; nothing was applied in this account")
    error.exit_code = EXIT_REFUSED
    return error


def _summary(runs: list[_Run], echo: Callable[[str], None], warn: Callable[[str], None]) -> None:
    echo("")
    echo("Accounts:")
    width = max((len(run.member.name) for run in runs), default=0)
    failed = 0
    for run in runs:
        name = f"{run.member.name:<{width}}"
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
                warn(f"error: {run.member.name}: {line}")
    done = len(runs) - failed
    echo(
        f"Apply complete in {done} of {len(runs)} account(s)"
        + (f"; {failed} did not complete." if failed else ".")
    )
