"""`wpsync init --companies ID,ID` / `--all-companies`: the ``[accounts]`` tables of an agency's clients.

The HQ key (in ``WOODPECKER_API_KEY``, or the variable ``--key-env`` names) lists the client companies
(``GET /v2/agency/companies``); each chosen one becomes ``[accounts.NAME]`` with that variable and its
``company_id``, NAME made from the company's name, and gets its folder ``campaigns/NAME/``. Tables are
appended to an existing ``wpsync.toml`` (never rewritten); a company already declared is skipped.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from wpsync.commands.resolve import named_key
from wpsync.commands.workspace import Workspace
from wpsync.errors import InputError
from wpsync.files.accounts_config import load_accounts
from wpsync.files.sources import key_problem
from wpsync.state.backend import open_state
from wpsync.woodpecker.agency import Company


def chosen_companies(
    key_env: str, wanted: Sequence[int] | None, *, every: bool, workspace_root: Path
) -> list[Company]:
    """The companies to declare: those of ``wanted`` (each must be a client of the key), or all."""
    from wpsync.commands.companies import client_companies
    from wpsync.commands.resolve import Account

    key = named_key(key_env, f"--key-env {key_env}")
    ws = Workspace(workspace_root / "campaigns", open_state(workspace_root / "state"), key_source=key_env)
    found = client_companies(Account(ws, key))
    if every:
        return found
    by_id = {company.id: company for company in found}
    unknown = [str(cid) for cid in wanted or () if cid not in by_id]
    if unknown:
        listed = ", ".join(f"{c.id} ({c.name})" for c in found) or "none"
        raise InputError(
            f"--companies: {', '.join(unknown)} not a client company of the key in {key_env} "
            f"(its companies: {listed}); `wpsync accounts --companies` lists them"
        )
    return [by_id[cid] for cid in dict.fromkeys(wanted or ())]


def account_name(company: Company, taken: set[str]) -> str:
    """A folder-safe account name from the company's name (the campaign key rule), made unique."""
    from wpsync.commands.import_ import key_from_name

    base = key_from_name(company.name) if company.name else f"company-{company.id}"
    if key_problem(base) is not None or base == "campaign":
        base = f"company-{company.id}"
    name = base if base not in taken else f"{base[:50]}-{company.id}"
    taken.add(name)
    return name


def write_accounts(
    root: Path, companies: Sequence[Company], key_env: str, echo: Callable[[str], None]
) -> None:
    """Append a table per company not yet declared to ``root/wpsync.toml`` and create its folder."""
    config = root / "wpsync.toml"
    declared = load_accounts(config) if config.exists() else {}
    known = {account.company_id for account in declared.values()}
    taken = set(declared)
    tables = []
    for company in companies:
        if company.id in known:
            echo(f"skipped company {company.id} ({company.name}): already an account in wpsync.toml")
            continue
        name = account_name(company, taken)
        label = company.name.replace("\n", " ") or f"company {company.id}"
        tables.append(
            f"\n[accounts.{name}]  # {label}\n"
            f'api_key_env = "{key_env}"  # the agency\'s HQ key\n'
            f"company_id = {company.id}\n"
        )
        (root / "campaigns" / name).mkdir(parents=True, exist_ok=True)
        echo(f"added [accounts.{name}] (company {company.id}, {label}) and campaigns/{name}/")
    if not tables:
        return
    existing = config.read_text(encoding="utf-8") if config.exists() else ""
    prefix = "" if not existing or existing.endswith("\n") else "\n"
    with config.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(prefix + "".join(tables))
        handle.flush()
        os.fsync(handle.fileno())
    load_accounts(config)  # what was written reads back as accounts (a bad name would say so here)
