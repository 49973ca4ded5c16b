"""Which accounts a command acts on: the command line, ``wpsync.toml`` and the environment, resolved once.

    resolve(campaigns, state, names, command=…, keys=…) -> list[Account]

Every command that reads the campaigns, the state or Woodpecker runs over this list. A repository
without ``[accounts]`` is the one-account case of the same list: one ``Account`` without a name, the
key of ``WOODPECKER_API_KEY`` (or ``--api-key-file``), ``campaigns/`` and ``state/``. With
``[accounts.NAME]`` tables each account is ``campaigns/NAME``, ``state/NAME`` (or its own PostgreSQL
workspace), the key in the variable its ``api_key_env`` names, its ``api_url`` and ``company_id``.

Each account carries where its values came from (the key's variable, the ``wpsync.toml`` line), so
an error about it names them — never the key itself.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from wpsync.commands.workspace import (
    Workspace,
    environment,
    read_api_key,
    state_url,
    workspace,
)
from wpsync.errors import API_KEY_ENV, InputError, Problem, register_secret
from wpsync.files import lint_config
from wpsync.files.accounts_config import AccountConfig, declared, same_server, stray_files
from wpsync.state.backend import DEFAULT_LOCK_TIMEOUT, StateStore, open_state
from wpsync.woodpecker.config import API_URL_ENV, api_key_problem, base_url_problem

Keys = Literal["need", "optional", "none"]


@dataclass(frozen=True)
class Account:
    """One account a command acts on: its workspace (folders, state, lock, URL, company, where its key
    came from) and its key — None when the command needs none, or no key is set for the one account."""

    ws: Workspace
    key: str | None = field(default=None, repr=False)
    settings: Path = Path("wpsync.toml")  # the wpsync.toml that applies ([lint], [state]), there or not
    config: AccountConfig | None = None  # None: the one account of a repository without [accounts]
    state_dir: Path = Path("state")  # its state folder (state/NAME), also with a PostgreSQL state
    state_url: str | None = field(default=None, repr=False)  # its PostgreSQL state; may hold a password

    @property
    def name(self) -> str | None:
        return self.ws.account


def resolve(
    campaigns: Path,
    state: Path,
    names: Sequence[str] = (),
    *,
    command: str,
    keys: Keys = "optional",
    api_key_file: Path | None = None,
    lock_timeout: float | None = None,
    one: bool = False,
    layout: bool = False,
    needs_state: bool = True,
) -> list[Account]:
    """The accounts ``command`` acts on: those named (``--account``, repeatable), else every account.

    keys     "need": a key for each (an error naming its variable otherwise); "optional": the one
             account may have none (an offline plan), a declared account's variable must be set;
             "none": no key is read at all
    one      the command changes one campaign: with several accounts, --account is required
    layout   check the campaign folders as plan reads them: each account's folder exists, no file
             lies directly in campaigns/ (it would belong to no account)
    needs_state  False: the command reads no state, so a PostgreSQL state's URL is not looked up
             (its variable need not be set); each account gets its state folder
    """
    accounts = declared(campaigns)
    config = lint_config.config_path([campaigns])
    if not accounts:
        if names:
            raise InputError(
                "--account NAME needs [accounts.NAME] tables in wpsync.toml (beside the campaigns folder); "
                "without them there is one account"
            )
        key = None if keys == "none" else read_api_key(api_key_file)
        if key is None and keys == "need":
            raise InputError(f"{command} needs the API key: set {API_KEY_ENV}, or pass --api-key-file FILE")
        source = API_KEY_ENV if api_key_file is None else f"the API key file {api_key_file}"
        url = state_url(campaigns) if needs_state else None
        ws = workspace(campaigns, state, lock_timeout=lock_timeout) if needs_state else None
        store = ws.state if ws is not None else open_state(state)
        timeout = ws.lock_timeout if ws is not None else 0.0
        return [
            Account(Workspace(campaigns, store, timeout, key_source=source), key, config, None, state, url)
        ]
    if api_key_file is not None:
        raise InputError(
            "--api-key-file is for a single account: with [accounts] in wpsync.toml, each account's key "
            "comes from the variable its api_key_env names"
        )
    chosen = _chosen(accounts, names, config, command=command, one=one)
    problems = stray_files(campaigns, list(accounts), config) if layout else []
    url = state_url(campaigns) if needs_state else None
    timeout = lock_timeout if lock_timeout is not None else (DEFAULT_LOCK_TIMEOUT if url else 0.0)
    allow_http = environment().allow_http
    found: list[Account] = []
    for account in chosen:
        folder = campaigns / account.name
        if layout and not folder.is_dir():
            problems.append(
                Problem(
                    "",
                    "",
                    f"{folder}: no such folder: account {account.name} ({account.at()}) keeps its campaign "
                    "files there; create it",
                )
            )
        if account.api_url is not None:
            wrong = base_url_problem(account.api_url, allow_http=allow_http)
            if wrong:
                problems.append(
                    Problem("", "", f"{account.at('api_url')}: {wrong.replace(API_URL_ENV, 'api_url')}")
                )
        key = None
        if keys != "none":
            try:
                key = named_key(account.api_key_env, account.at("api_key_env"))
            except InputError as exc:
                problems.extend(exc.problems)
        ws = Workspace(
            folder,
            account_state(state, url, account.name),
            timeout,
            account=account.name,
            api_url=account.api_url,
            company_id=account.company_id,
            key_source=f"{account.api_key_env} ({account.at('api_key_env')})",
            url_source=account.at("api_url") if account.api_url is not None else API_URL_ENV,
        )
        own_url = None if url is None else account_state_url(url, account.name)
        found.append(Account(ws, key, config, account, state / account.name, own_url))
    problems.extend(_shared_keys(found))
    if problems:
        raise InputError(problems)
    return found


def _chosen(
    accounts: dict[str, AccountConfig], names: Sequence[str], config: Path, *, command: str, one: bool
) -> list[AccountConfig]:
    unknown = [name for name in dict.fromkeys(names) if name not in accounts]
    if unknown:
        problems = []
        for name in unknown:
            import difflib  # only for this error: a no-change plan is measured against start-up (#23)

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
    if one and len(names) > 1:
        raise InputError(f"{command} acts on one account: pass --account NAME once")
    if one and not names and len(accounts) > 1:
        raise InputError(
            f"{command} acts on one account, and {config} declares {len(accounts)}: pass --account NAME "
            f"(one of {', '.join(accounts)})"
        )
    return [account for name, account in accounts.items() if not names or name in names]


def _shared_keys(found: list[Account]) -> list[Problem]:
    """Two accounts reaching the same Woodpecker account (the same key, server and company) would mix
    their campaigns: refused, naming the variables, never the key. URLs are compared as the server
    they reach (``same_server``): ``localhost`` and ``127.0.0.1``, any case, a trailing slash."""
    default_url = environment().api_url
    seen: dict[tuple[str, str, int | None], Account] = {}
    problems = []
    for account in found:
        if account.key is None or account.config is None:
            continue
        spot = (account.key, same_server(account.ws.api_url or default_url), account.ws.company_id)
        other = seen.setdefault(spot, account)
        if other is not account:
            assert other.config is not None
            problems.append(
                Problem(
                    "",
                    "",
                    f"{account.config.source}: accounts {other.name} and {account.name} use the same API key "
                    f"({other.config.api_key_env} and {account.config.api_key_env} hold the same value) for "
                    "the same Woodpecker account: a key serves its own account's campaigns only; set each "
                    "variable to its account's key, or set company_id for an agency's clients",
                )
            )
    return problems


def named_key(variable: str, where: str) -> str:
    """The API key in the environment variable ``variable`` (an account's ``api_key_env``), checked and
    redacted as WOODPECKER_API_KEY is; an InputError naming ``where`` it was declared if unset or bad."""
    key = os.environ.get(variable, "").strip()
    if not key:
        raise InputError(
            f"{where}: the variable {variable} is not set or empty: export it with this account's "
            "Woodpecker API key (in CI, from a secret)"
        )
    register_secret(key)
    wrong = api_key_problem(key)
    if wrong:
        raise InputError(f"{where}: the API key in {variable} {wrong}")
    return key


def account_state(state: Path, url: str | None, account: str) -> StateStore:
    """One account's own state: ``state/NAME``, or, in PostgreSQL, its own workspace
    (``account_state_url``), so accounts never share records, journal or lock."""
    return open_state(state / account, None if url is None else account_state_url(url, account))


def account_state_url(url: str, account: str) -> str:
    """The PostgreSQL state of one account: the workspace ``NAME`` under the URL's own
    (``?workspace=W`` → ``W/NAME``)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query["workspace"] = f"{query['workspace']}/{account}" if query.get("workspace") else account
    return urlunsplit(parts._replace(query=urlencode(query)))
