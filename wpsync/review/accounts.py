"""One plan for several accounts (``[accounts]`` in wpsync.toml), as text or markdown.

Each account has its own plan (``wpsync.plan.plan.Plan``), made and applied on its own; this module only
shows them together: a summary line per account, then every change once — a change that is the same in
several accounts (the same campaign file created in each, the same edit, the same refusal, the same
note) is shown once, with the list of accounts. "The same" means the same description: the text the
single-account renderer writes for that campaign, with the account's folder written as
``campaigns/{acme,beta}/`` and each account's campaign id left out (listed below the change instead).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import TYPE_CHECKING

from wpsync.errors import Problem
from wpsync.plan.plan import Action, Moved, Note, Plan, Refusal
from wpsync.review.text import render_text

if TYPE_CHECKING:  # the markdown renderer loads only for markdown: a text plan never needs it
    from wpsync.review.markdown import Measure

_FOLDER = "\x00"  # stands for the account's folder name while descriptions are compared
_ID = re.compile(r"\bcampaign \d+\b")
_HEAD = re.compile(r"^(?:\x1b\[[0-9;]*m)?  [+~\-▶✗→#] ")  # the first line of one change or campaign


@dataclass(frozen=True)
class AccountPlan:
    name: str
    plan: Plan
    folder: str  # the account's campaigns folder as plan files show it, e.g. "campaigns/acme"


@dataclass
class _Change:
    """One campaign's changes (or one note), identical in ``accounts``."""

    kind: str  # "actions", "refused" or "note"
    key: str
    text: list[str]  # the description, folder and ids masked
    raw: list[str]  # the first account's description as its own plan shows it
    accounts: list[str]
    ids: list[str]  # "acme 1003" per account whose change names a campaign id
    parts: list[tuple[str, Plan]]  # per account: the sub-plan it was rendered from


def combined_summary(plans: Sequence[AccountPlan]) -> str:
    """The one line under everything: counts over all accounts."""
    total = merged(plans)
    count = len(plans)
    accounts = f"{count} account{'' if count == 1 else 's'}"
    line = total.summary()
    if line.startswith("Plan: "):
        return f"Plan for {accounts}: " + line.removeprefix("Plan: ")
    if line.startswith("No changes"):  # what each account's plan checked, said once for all
        return f"No changes in {accounts}" + line.removeprefix("No changes")
    return f"{accounts}: {line}"


def merged(plans: Sequence[AccountPlan]) -> Plan:
    """Every account's actions, refusals, moves and notes in one Plan value, for counting."""
    first = plans[0].plan
    return replace(
        first,
        actions=tuple(a for p in plans for a in p.plan.actions),
        refusals=tuple(r for p in plans for r in p.plan.refusals),
        moves=tuple(m for p in plans for m in p.plan.moves),
        notes=tuple(n for p in plans for n in p.plan.notes),
        unchanged=sum(p.plan.unchanged for p in plans),
        targets=(),
        # What every account's plan asked: Woodpecker matches only where each one proved it.
        refreshed=min((p.plan.refreshed for p in plans), key=("none", "changed", "all").index),
    )


def account_lines(plans: Sequence[AccountPlan]) -> list[tuple[str, str]]:
    """(account, its own summary line), in order."""
    return [(p.name, p.plan.summary()) for p in plans]


def render_accounts_text(plans: Sequence[AccountPlan], *, color: bool = False) -> str:
    changes = _changes(plans, color=color)
    lines = ["Accounts:"]
    width = max(len(p.name) for p in plans)
    lines.extend(f"  {name:<{width}}  {summary}" for name, summary in account_lines(plans))
    for kind, title in (
        ("actions", "wpsync will perform these actions (each account in its own order, in parallel):"),
        ("refused", "Refused — wpsync will not make these changes; apply will not start in these accounts:"),
        ("note", "Notes:"),
    ):
        shown = [c for c in changes if c.kind == kind]
        if not shown:
            continue
        lines.extend(["", title])
        heading: list[str] | None = None
        for change in shown:
            if change.accounts != heading:
                heading = change.accounts
                lines.extend(["", f"in {_list(change.accounts)}:"])
            lines.extend(_shown(change))
    lines.extend(["", combined_summary(plans)])
    return "\n".join(lines)


def shared_changes(plans: Sequence[AccountPlan]) -> list[tuple[str, str, list[str]]]:
    """(kind, campaign key, accounts) of each distinct change: kind is actions, refused or note."""
    return [(c.kind, c.key, list(c.accounts)) for c in _changes(plans, color=False)]


def render_accounts_markdown(
    plans: Sequence[AccountPlan],
    *,
    limit: int | None = None,
    warnings: Sequence[Problem] = (),
    measure: Measure = "chars",
) -> str:
    """One comment for the repository: per-account summary lines, then each change once. ``limit``:
    the comment's size (default: the pull-request comment limit, COMMENT_LIMIT)."""
    from wpsync.review.markdown import COMMENT_LIMIT, render_markdown

    changes = _changes(plans, color=False)
    actions: list[Action] = []
    refusals: list[Refusal] = []
    notes: list[Note] = []
    for change in changes:
        name, part = change.parts[0]
        folder = next(p.folder for p in plans if p.name == name)
        where = _braced(folder, change.accounts)
        if change.kind == "note":
            notes.extend(replace(n, message=f"{_list(change.accounts)}: {n.message}") for n in part.notes[:1])
            continue
        for action in part.actions:
            actions.append(replace(action, file=action.file.replace(folder, where, 1)))
        for refusal in part.refusals:
            refusals.append(replace(refusal, file=refusal.file.replace(folder, where, 1)))
        if len(change.accounts) > 1 and change.ids:
            notes.append(
                Note(
                    change.key,
                    "unknown",
                    f"{where}/{change.key}.toml: campaign ids by account: {', '.join(change.ids)}"
                    f" (its section shows {name}'s)",
                )
            )
    plan = replace(merged(plans), actions=tuple(actions), refusals=tuple(refusals), notes=tuple(notes))
    warnings = _grouped_warnings(plans, changes, warnings)
    return render_markdown(
        plan,
        limit=COMMENT_LIMIT if limit is None else limit,
        warnings=warnings,
        measure=measure,
        title=combined_summary(plans),
        accounts=account_lines(plans),
    )


def _grouped_warnings(
    plans: Sequence[AccountPlan], changes: list[_Change], warnings: Sequence[Problem]
) -> list[Problem]:
    """Warnings about a campaign file under the section of its change (its file written the same
    way, ``campaigns/{acme,beta}/KEY.toml``), each shown once."""
    where: dict[str, str] = {}  # a real file → how its change's section names it
    for change in changes:
        if change.kind != "actions":
            continue
        for name, _ in change.parts:
            folder = next(p.folder for p in plans if p.name == name)
            real = f"{folder}/{change.key}.toml"
            where[real] = real.replace(folder, _braced(folder, change.accounts), 1)
    found: dict[tuple[str, str, str, int | None], Problem] = {}
    for problem in warnings:
        shown = replace(problem, file=where.get(problem.file, problem.file))
        found.setdefault((shown.file, shown.path, shown.message, shown.line), shown)
    return list(found.values())


# ---- grouping --------------------------------------------------------------------------------------


def _changes(plans: Sequence[AccountPlan], *, color: bool) -> list[_Change]:
    found: dict[tuple[str, str, tuple[str, ...]], _Change] = {}
    for account in plans:
        for kind, key, part in _parts(account.plan):
            raw = _describe(kind, part, color=color)
            masked = [_mask(line, account) for line in raw]
            ids = sorted({m.group(0) for line in raw if _HEAD.match(line) for m in _ID.finditer(line)})
            change = found.setdefault((kind, key, tuple(masked)), _Change(kind, key, masked, raw, [], [], []))
            change.accounts.append(account.name)
            change.parts.append((account.name, part))
            if ids:
                change.ids.append(f"{account.name} {', '.join(i.removeprefix('campaign ') for i in ids)}")
    return list(found.values())


def _parts(plan: Plan) -> list[tuple[str, str, Plan]]:
    """(kind, campaign key, a sub-plan of just that), in the plan's order."""
    empty = replace(plan, actions=(), refusals=(), moves=(), notes=(), targets=())
    by_key: dict[str, tuple[list[Moved], list[Action]]] = {}
    for move in plan.moves:
        by_key.setdefault(move.new_key, ([], []))[0].append(move)
    for action in plan.actions:
        by_key.setdefault(action.key, ([], []))[1].append(action)
    parts = [
        ("actions", key, replace(empty, moves=tuple(moves), actions=tuple(actions)))
        for key, (moves, actions) in by_key.items()
    ]
    refused: dict[str, list[Refusal]] = {}
    for refusal in plan.refusals:
        refused.setdefault(refusal.key, []).append(refusal)
    parts.extend(("refused", key, replace(empty, refusals=tuple(r))) for key, r in refused.items())
    parts.extend(("note", note.key, replace(empty, notes=(note,))) for note in plan.notes)
    return parts


def _describe(kind: str, part: Plan, *, color: bool) -> list[str]:
    """The single-account renderer's lines for ``part``, without its heading and summary line: each
    kind's text starts with a heading line and a blank ("wpsync will perform…", "Refused — …", and
    for notes a blank and "Notes:"), and ends with a blank and the summary."""
    del kind
    return render_text(part, color=color).split("\n")[2:-2]


def _mask(line: str, account: AccountPlan) -> str:
    line = line.replace(account.folder + "/", str(PurePath(account.folder).parent / _FOLDER) + "/")
    return _ID.sub("campaign <id>", line) if _HEAD.match(line) else line


def _shown(change: _Change) -> list[str]:
    if len(change.accounts) == 1:
        return change.raw  # exactly as the account's own plan shows it, ids and all
    braced = "{" + ",".join(change.accounts) + "}"
    lines = [line.replace(_FOLDER, braced) for line in change.text]
    if change.ids:
        lines.append(f"      campaign ids: {' · '.join(change.ids)}")
    return lines


def _braced(folder: str, accounts: list[str]) -> str:
    parent = PurePath(folder).parent
    return str(parent / ("{" + ",".join(accounts) + "}" if len(accounts) > 1 else accounts[0]))


def _list(names: Sequence[str]) -> str:
    return ", ".join(names)
