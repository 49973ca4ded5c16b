"""Several Woodpecker accounts in one repository: ``[accounts]`` in wpsync.toml (``files.accounts_config``).

Each account is a ``Workspace`` of its own — ``campaigns/NAME``, ``state/NAME``, its key (from the
variable its ``api_key_env`` names), URL and client company — and is planned and applied by the
single-account code, unchanged: ``build_plan``, and apply's ``prepare`` and ``execute`` under that
account's own state lock. This module only chooses the accounts, runs them side by side (a bounded
thread pool; the transport still sends one request at a time per account) and puts their plans
together (``wpsync.review.accounts``). A key only ever reaches its own account's campaigns.
"""

from __future__ import annotations

import contextvars
import difflib
import json
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from wpsync.commands.plan import SAVED_PLAN_KIND, PlanRequest, build_plan, plan_exit_code
from wpsync.commands.workspace import (
    STEP_SUMMARY_ENV,
    Workspace,
    account_state,
    environment,
    named_key,
    state_url,
)
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
from wpsync.files import lint_config
from wpsync.files.accounts_config import AccountConfig
from wpsync.plan.codec import to_json
from wpsync.plan.plan import Plan
from wpsync.review.accounts import AccountPlan, combined_summary, merged, shared_changes
from wpsync.state.atomic import atomic_write_json
from wpsync.state.backend import DEFAULT_LOCK_TIMEOUT
from wpsync.woodpecker.config import API_URL_ENV, base_url_problem

MAX_PARALLEL = 8  # accounts driven at once
# The most serious first: with several accounts, a run exits with the most serious of their codes.
SEVERITY = (130, EXIT_ERROR, EXIT_LOCKED, EXIT_STALE, EXIT_REFUSED, EXIT_CHANGES, EXIT_OK)
T = TypeVar("T")
Item = TypeVar("Item")


@dataclass(frozen=True)
class Member:
    """One account taking part in this run."""

    ws: Workspace
    key: str | None  # None only for an offline plan

    @property
    def name(self) -> str:
        assert self.ws.account is not None
        return self.ws.account


def worst(codes: Sequence[int]) -> int:
    """The most serious exit code, in the order of ``SEVERITY`` (unknown codes count as errors)."""
    rank = {code: index for index, code in enumerate(SEVERITY)}
    return min(codes, key=lambda code: rank.get(code, 1), default=EXIT_OK)


def members(
    accounts: dict[str, AccountConfig],
    wanted: Sequence[str],
    campaigns: Path,
    state: Path,
    *,
    need_keys: bool,
) -> list[Member]:
    """The accounts this run covers — all, or those named by ``--account`` — each checked: its folder
    exists, its URL is allowed, its key is set (when ``need_keys``) and is no other account's."""
    config = lint_config.config_path([campaigns])
    url = state_url(campaigns)
    unknown = [name for name in dict.fromkeys(wanted) if name not in accounts]
    if unknown:
        problems = []
        for name in unknown:
            close = difflib.get_close_matches(name, list(accounts), n=1)
            hint = f'did you mean "{close[0]}"? ' if close else ""
            problems.append(
                Problem(
                    "",
                    "",
                    f"--account {name}: no such account in {config}; {hint}(declared: {', '.join(accounts)})",
                )
            )
        raise InputError(problems)
    stray = sorted(campaigns.glob("*.toml")) if campaigns.is_dir() else []
    problems = [
        Problem(
            str(path),
            "",
            f"with [accounts] in {config}, campaign files live in {campaigns}/ACCOUNT/: move this file "
            f"into the folder of its account ({', '.join(accounts)})",
        )
        for path in stray
    ]
    env = environment()
    chosen: list[Member] = []
    for name, account in accounts.items():
        if wanted and name not in wanted:
            continue
        where = f"{config}: accounts.{name}"
        folder = campaigns / name
        if not folder.is_dir():
            problems.append(
                Problem(
                    "",
                    "",
                    f"{folder}: no such folder: account {name} ({where}) keeps its campaign files there; create it",
                )
            )
        if account.api_url is not None:
            wrong = base_url_problem(account.api_url, allow_http=env.allow_http)
            if wrong:
                problems.append(Problem("", "", f"{where}.api_url: {wrong.replace(API_URL_ENV, 'api_url')}"))
        key = None
        if need_keys:
            try:
                key = named_key(account.api_key_env, f"{where}.api_key_env")
            except InputError as exc:
                problems.extend(exc.problems)
        ws = Workspace(
            folder,
            account_state(state, url, name),
            DEFAULT_LOCK_TIMEOUT if url else 0.0,
            account=name,
            api_url=account.api_url,
            company_id=account.company_id,
        )
        chosen.append(Member(ws, key))
    problems.extend(_shared_keys(chosen, accounts, env.api_url, str(config)))
    if problems:
        raise InputError(problems)
    return chosen


def _shared_keys(
    chosen: list[Member], accounts: dict[str, AccountConfig], default_url: str, config: str
) -> list[Problem]:
    """Two accounts reaching the same Woodpecker account (the same key, URL and company) would mix
    their campaigns: refused, naming the variables, never the key."""
    seen: dict[tuple[str, str, int | None], str] = {}
    problems = []
    for member in chosen:
        if member.key is None:
            continue
        spot = (member.key, member.ws.api_url or default_url, member.ws.company_id)
        other = seen.setdefault(spot, member.name)
        if other != member.name:
            problems.append(
                Problem(
                    "",
                    "",
                    f"{config}: accounts {other} and {member.name} use the same API key "
                    f"({accounts[other].api_key_env} and {accounts[member.name].api_key_env} hold the same "
                    "value) for the same Woodpecker account: a key serves its own account's campaigns only; "
                    "set each variable to its account's key, or set company_id for an agency's clients",
                )
            )
    return problems


def in_parallel(items: Sequence[Item], task: Callable[[Item], T]) -> list[T | WpsyncError]:
    """``task`` for every account, at most ``MAX_PARALLEL`` at once; each result, or the error it
    raised (one account's failure stops no other). Each task runs in a copy of this context, so the
    ``[lint]`` settings in force here are in force there."""

    def guarded(item: Item) -> T | WpsyncError:
        try:
            return task(item)
        except WpsyncError as exc:
            return exc

    workers = max(1, min(MAX_PARALLEL, len(items)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="wpsync-account") as pool:
        futures = [pool.submit(contextvars.copy_context().run, guarded, item) for item in items]
        return [future.result() for future in futures]


def targeted(chosen: list[Member], targets: Sequence[str]) -> list[tuple[Member, tuple[str, ...]]]:
    """With ``--target``: each account holding any of the keys, with those keys; an InputError for a key
    no account has (a typo would otherwise plan nothing)."""
    from wpsync.files.sources import campaign_paths

    if not targets:
        return [(member, ()) for member in chosen]
    known = {
        member.name: {p.stem for p in campaign_paths(member.ws.campaigns)} | set(member.ws.state.keys())
        for member in chosen
    }
    every = set().union(*known.values())
    unknown = [key for key in dict.fromkeys(targets) if key not in every]
    if unknown:
        problems = []
        for key in unknown:
            close = difflib.get_close_matches(key, sorted(every), n=1)
            hint = f'; did you mean "{close[0]}"?' if close else ""
            problems.append(
                Problem("", "", f"--target {key}: no account has a campaign file or record {key}{hint}")
            )
        raise InputError(problems)
    found = []
    for member in chosen:
        keys = tuple(key for key in dict.fromkeys(targets) if key in known[member.name])
        if keys:
            found.append((member, keys))
    return found


def plan_all(
    chosen: list[Member], request: PlanRequest
) -> list[tuple[Member, tuple[Plan, list[Problem]] | WpsyncError]]:
    pairs = targeted(chosen, request.targets)

    def one(member: Member) -> tuple[Plan, list[Problem]]:
        keys = next(keys for m, keys in pairs if m is member)
        return build_plan(member.ws, member.key, replace(request, targets=keys))

    results = in_parallel([member for member, _ in pairs], one)
    return list(zip([member for member, _ in pairs], results, strict=True))


def account_plans(planned: Sequence[tuple[Member, Plan]]) -> list[AccountPlan]:
    return [AccountPlan(member.name, plan, str(member.ws.campaigns)) for member, plan in planned]


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


def save_all(plans: list[AccountPlan], path: Path) -> None:
    atomic_write_json(path, {"kind": SAVED_PLAN_KIND, "accounts": {p.name: to_json(p.plan) for p in plans}})


def plan_accounts(
    chosen: list[Member],
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
    """`wpsync plan` for several accounts: planned side by side, shown as one plan."""
    config = lint_config.config_path([chosen[0].ws.campaigns.parent]) if chosen else None
    with lint_config.configured(lint_config.load(config) if config else lint_config.DEFAULT):
        results = plan_all(chosen, request)
    failed = [(member, result) for member, result in results if isinstance(result, WpsyncError)]
    for member, error in failed:
        for line in error.lines():
            warn(f"error: {member.name}: {line}")
    if failed:
        return worst([error.exit_code for _, error in failed])
    planned = [(member, result) for member, result in results if not isinstance(result, WpsyncError)]
    warnings = [problem for _, (_, found) in planned for problem in found]
    if strict and warnings:
        raise InputError([replace(problem, severity="error") for problem in warnings])
    for problem in warnings:
        warn(f"warning: {problem.render()}")
    plans = account_plans([(member, plan) for member, (plan, _) in planned])
    if not plans:
        echo("No account to plan.")
        return EXIT_OK
    echo(render_all(plans, output_format, color=color, warnings=warnings))
    summary = environment().step_summary
    if summary is not None:
        from wpsync.commands.plan import append_markdown
        from wpsync.review.accounts import render_accounts_markdown

        append_markdown(
            lambda room: render_accounts_markdown(plans, limit=room, warnings=warnings, measure="bytes"),
            summary,
            warn,
        )
    if out is not None:
        save_all(plans, out)
        if output_format == "text":
            echo(f"\nSaved the plan to {out}; apply exactly it with `wpsync apply {out}`.")
    return worst([plan_exit_code(p.plan, detailed=detailed) for p in plans])


__all__ = ["STEP_SUMMARY_ENV", "Member", "members", "plan_accounts", "worst"]
