"""A command over the accounts it acts on (``wpsync.commands.resolve``): one account, or many, one path.

Each account is planned and applied by the one-account code — ``build_plan``, and apply's ``prepare``
and ``execute`` under that account's own state lock. This module runs them side by side (a bounded
thread pool; the transport still sends one request at a time per account), picks the accounts a
``--target`` concerns, and puts the plans together: one account without a name (a repository without
``[accounts]``) is shown, saved and exited on exactly as its own plan; named accounts as one plan
grouped by account (``wpsync.review.accounts``). A key only ever reaches its own account's campaigns.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

from wpsync.bounded import TooDeep, Unreadable, json_loads, read_regular
from wpsync.commands.plan import SAVED_PLAN_KIND, PlanRequest, build_plan, render
from wpsync.commands.resolve import Account
from wpsync.errors import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_REFUSED,
    EXIT_STALE,
    InputError,
    Problem,
    WpsyncError,
)
from wpsync.limits import MAX_PLAN_FILE
from wpsync.plan.plan import Plan
from wpsync.review.accounts import AccountPlan, combined_summary, merged, shared_changes
from wpsync.state.atomic import atomic_write_json

MAX_PARALLEL = 8  # accounts driven at once
# The most serious first: with several accounts, a run exits with the most serious of their codes.
SEVERITY = (130, EXIT_ERROR, EXIT_LOCKED, EXIT_STALE, EXIT_REFUSED, EXIT_CHANGES, EXIT_OK)
T = TypeVar("T")
Item = TypeVar("Item")


def worst(codes: Sequence[int]) -> int:
    """The most serious exit code, in the order of ``SEVERITY`` (unknown codes count as errors)."""
    rank = {code: index for index, code in enumerate(SEVERITY)}
    return min(codes, key=lambda code: rank.get(code, 1), default=EXIT_OK)


def unnamed(accounts: Sequence[Account]) -> bool:
    """The one account of a repository without [accounts]: shown as wpsync always showed one account."""
    return len(accounts) == 1 and accounts[0].name is None


def in_parallel(items: Sequence[Item], task: Callable[[Item], T]) -> list[T | WpsyncError]:
    """``task`` for every account, at most ``MAX_PARALLEL`` at once; each result, or the error it
    raised (one account's failure stops no other). Each task runs in a copy of this context, so the
    ``[lint]`` settings in force here are in force there."""

    def guarded(item: Item) -> T | WpsyncError:
        try:
            return task(item)
        except WpsyncError as exc:
            return exc

    if len(items) == 1:  # no thread for one account: its errors and signals stay where they were
        return [contextvars.copy_context().run(guarded, items[0])]
    workers = max(1, min(MAX_PARALLEL, len(items)))
    # Threads (and the logging they import) only for several accounts: one is planned where it is (#23).
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wpsync-account") as pool:
        futures = [pool.submit(contextvars.copy_context().run, guarded, item) for item in items]
        return [future.result() for future in futures]


def targeted(chosen: Sequence[Account], targets: Sequence[str]) -> list[tuple[Account, tuple[str, ...]]]:
    """With ``--target``: each account holding any of the keys, with those keys; an InputError for a key
    no account has (a typo would otherwise plan nothing). One account checks its own targets in
    ``build_plan``, naming the file it looked for."""
    from wpsync.files.sources import campaign_paths

    if not targets or len(chosen) == 1:
        return [(account, tuple(targets)) for account in chosen]
    known = {
        account.name: {p.stem for p in campaign_paths(account.ws.campaigns)} | set(account.ws.state.keys())
        for account in chosen
    }
    every = set().union(*known.values())
    unknown = [key for key in dict.fromkeys(targets) if key not in every]
    if unknown:
        problems = []
        for key in unknown:
            import difflib  # only for this error (#23)

            close = difflib.get_close_matches(key, sorted(every), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            problems.append(
                Problem("", "", f"--target {key}: no account has a campaign file or record {key}{hint}")
            )
        raise InputError(problems)
    found = []
    for account in chosen:
        keys = tuple(key for key in dict.fromkeys(targets) if key in known[account.name])
        if keys:
            found.append((account, keys))
    return found


def plan_all(
    chosen: Sequence[Account], request: PlanRequest
) -> list[tuple[Account, tuple[Plan, list[Problem]] | WpsyncError]]:
    pairs = targeted(chosen, request.targets)
    keys_of = {id(account): keys for account, keys in pairs}

    def one(account: Account) -> tuple[Plan, list[Problem]]:
        return build_plan(account.ws, account.key, replace(request, targets=keys_of[id(account)]))

    accounts = [account for account, _ in pairs]
    return list(zip(accounts, in_parallel(accounts, one), strict=True))


def account_plans(planned: Sequence[tuple[Account, Plan]]) -> list[AccountPlan]:
    return [AccountPlan(account.name or "", plan, str(account.ws.campaigns)) for account, plan in planned]


def render_plans(
    planned: Sequence[tuple[Account, Plan]],
    output_format: str,
    *,
    color: bool,
    warnings: Sequence[Problem] = (),
) -> str:
    if unnamed([account for account, _ in planned]):
        return render(planned[0][1], output_format, color=color, warnings=warnings)
    return render_all(account_plans(planned), output_format, color=color, warnings=warnings)


def markdown_within(planned: Sequence[tuple[Account, Plan]], room: int, warnings: Sequence[Problem]) -> str:
    """The markdown plan within ``room`` bytes (what is left of a job summary)."""
    from wpsync.review.accounts import render_accounts_markdown
    from wpsync.review.markdown import render_markdown

    if unnamed([account for account, _ in planned]):
        return render_markdown(planned[0][1], limit=room, warnings=warnings, measure="bytes")
    return render_accounts_markdown(account_plans(planned), limit=room, warnings=warnings, measure="bytes")


def render_all(
    plans: list[AccountPlan], output_format: str, *, color: bool, warnings: Sequence[Problem] = ()
) -> str:
    if output_format == "json":
        return json.dumps(accounts_json(plans), indent=2, ensure_ascii=False)
    if output_format == "markdown":
        from wpsync.review.accounts import render_accounts_markdown

        return render_accounts_markdown(plans, warnings=warnings)
    from wpsync.review.accounts import render_accounts_text

    return render_accounts_text(plans, color=color)


def accounts_json(plans: list[AccountPlan]) -> dict[str, Any]:
    """The documented JSON of a plan for several accounts: each account's plan whole, as for one."""
    from wpsync.plan.codec import to_json  # loaded for a JSON or saved plan only (it loads the forecast)

    total = merged(plans)
    return {
        "format_version": 1,
        "summary": {**total.counts(), "text": combined_summary(plans), "unchanged": total.unchanged},
        "accounts": {p.name: to_json(p.plan) for p in plans},
        "same_change": [
            {"kind": kind, "key": key, "accounts": names}
            for kind, key, names in shared_changes(plans)
            if len(names) > 1
        ],
    }


def save_plans(planned: Sequence[tuple[Account, Plan]], path: Path) -> None:
    """A saved plan: ``{"kind", "plan"}`` for the one account of old, ``{"kind", "accounts": {NAME: plan}}``
    for named accounts."""
    from wpsync.plan.codec import to_json

    if unnamed([account for account, _ in planned]):
        atomic_write_json(path, {"kind": SAVED_PLAN_KIND, "plan": to_json(planned[0][1])})
        return
    plans = {account.name: to_json(plan) for account, plan in planned}
    atomic_write_json(path, {"kind": SAVED_PLAN_KIND, "accounts": plans})


def load_saved(path: Path) -> dict[str | None, Plan]:
    """A saved plan by account name (None: the plan of a repository without [accounts])."""
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
    accounts = data.get("accounts")
    found: dict[str | None, Any] = {None: data.get("plan")} if accounts is None else accounts
    if not isinstance(found, dict):
        raise InputError(f"{path}: a damaged saved plan (its accounts are not a table); plan again")
    from wpsync.plan.codec import from_json

    try:
        return {None if name is None else str(name): from_json(plan) for name, plan in found.items()}
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise InputError(f"{path}: a damaged or incompatible saved plan ({exc}); plan again") from None
