"""The ``[accounts]`` table of ``wpsync.toml``: several Woodpecker accounts in one repository.

    [accounts.acme]
    api_key_env = "ACME_WOODPECKER_KEY"          # the environment variable holding this account's key
    api_url = "https://api.woodpecker.co/rest"   # optional; default: WOODPECKER_API_URL, or Woodpecker's
    company_id = 12345                           # optional: an agency (HQ) key acting for this client

Account ``acme``'s campaign files are ``campaigns/acme/*.toml`` and its state is ``state/acme/``. With no
``[accounts]`` table there is one account, as always: ``WOODPECKER_API_KEY``, ``campaigns/*.toml``,
``state/``. An account name follows the campaign key rule (it names two folders).

Only the table is checked here, strictly and all at once; the variables it names are read, and the
URL checked, by the command that uses the account (``wpsync.commands.fleet``): an account left out with
``--account`` needs no key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from wpsync.errors import InputError, Problem
from wpsync.files.lint_config import config_path, read_config
from wpsync.files.sources import KEY_PATTERN
from wpsync.files.toml_lines import index_lines, line_of

ACCOUNT_KEYS = ("api_key_env", "api_url", "company_id")
ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,127}\Z")
NAME_RULE = "1–64 of a-z, 0-9, '-' and '_', starting with a letter or digit (the campaign key rule)"
EXAMPLE = '[accounts.acme] with api_key_env = "ACME_WOODPECKER_KEY"'


@dataclass(frozen=True)
class AccountConfig:
    name: str
    api_key_env: str
    api_url: str | None = None  # None: WOODPECKER_API_URL, or Woodpecker's own
    company_id: int | None = None  # an agency key acting for this client company (x-company-id)
    # Where it is declared, for messages: the file, and the line of each field ("" for the table).
    source: str = field(default="wpsync.toml", compare=False)
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def at(self, key: str = "") -> str:
        """``wpsync.toml:7: accounts.acme.api_url``: where a value of this account was declared."""
        line = dict(self.lines).get(key) or dict(self.lines).get("")
        dotted = f"accounts.{self.name}" + (f".{key}" if key else "")
        return f"{self.source}:{line}: {dotted}" if line else f"{self.source}: {dotted}"


def same_server(url: str) -> str:
    """One spelling for the URLs that reach the same server, so one account cannot pass for two:
    scheme and host in any case, ``localhost`` for the loopback address, a default port, a trailing
    slash (``HTTP://LocalHost:80/rest/`` and ``http://127.0.0.1/rest`` are the same place)."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        port = parts.port
    except ValueError:
        return url.strip()
    scheme = parts.scheme.lower()
    if host in ("localhost", "::1") or host.startswith("127."):
        host = "127.0.0.1"
    if port == {"http": 80, "https": 443}.get(scheme):
        port = None
    where = f"{host}:{port}" if port is not None else host
    return f"{scheme}://{where}{parts.path.rstrip('/')}"


Found = list[tuple[tuple[str, ...], str]]


def declared(campaigns: Path) -> dict[str, AccountConfig]:
    """The accounts of the wpsync.toml beside the ``campaigns`` folder; {} for the one account of old.
    Light on purpose: every plan and apply asks, accounts or not."""
    return load_accounts(config_path([campaigns]))


def stray_files(campaigns: Path, names: list[str], config: Path) -> list[Problem]:
    """With accounts, a campaign file directly in campaigns/ belongs to no account: one error each, the
    same in validate and plan."""
    stray = sorted(campaigns.glob("*.toml")) if campaigns.is_dir() else []
    return [
        Problem(
            str(path),
            "",
            f"with [accounts] in {config}, campaign files live in {campaigns}/ACCOUNT/: move this file "
            f"into the folder of its account ({', '.join(names)})",
        )
        for path in stray
    ]


def load_accounts(path: Path) -> dict[str, AccountConfig]:
    """The declared accounts by name, in file order; {} when ``path`` or its ``[accounts]`` is absent.
    An InputError lists every problem, each with the file, line and field."""
    read = read_config(path)
    if read is None:
        return {}
    text, document = read
    if "accounts" not in document:
        return {}
    accounts, problems = parse(document["accounts"])
    lines = index_lines(text)
    if problems:
        raise InputError(
            [Problem(str(path), ".".join(loc), message, line_of(lines, loc)) for loc, message in problems]
        )
    return {
        name: replace(
            account,
            source=str(path),
            lines=tuple(
                (key, found)
                for key in ("", *ACCOUNT_KEYS)
                if (found := lines.get(("accounts", name, key) if key else ("accounts", name)))
            ),
        )
        for name, account in accounts.items()
    }


def parse(table: Any) -> tuple[dict[str, AccountConfig], Found]:
    """The accounts and every problem with them, each as (path in the file, message)."""
    problems: Found = []
    if not isinstance(table, dict):
        return {}, [(("accounts",), f"must be a table of accounts: {EXAMPLE}")]
    if not table:
        return {}, [(("accounts",), f"declares no account: add {EXAMPLE}, or remove [accounts]")]
    accounts: dict[str, AccountConfig] = {}
    for name, entry in table.items():
        found = _account(name, entry, problems)
        if found is not None:
            accounts[name] = found
    seen: dict[tuple[str, str | None, int | None], str] = {}
    for name, account in accounts.items():
        url = same_server(account.api_url) if account.api_url is not None else None
        same = seen.setdefault((account.api_key_env, url, account.company_id), name)
        if same != name:
            problems.append(
                (
                    ("accounts", name),
                    f"the same Woodpecker account as accounts.{same} (same api_key_env, api_url and "
                    "company_id): one account, one folder — merge the two, or give each its own key "
                    "or company_id",
                )
            )
    return accounts, problems


def _account(name: str, entry: Any, problems: Found) -> AccountConfig | None:
    at = ("accounts", name)
    ok = True
    if not KEY_PATTERN.match(name):
        problems.append((at, f'"{name}" is not a valid account name: {NAME_RULE}; rename [accounts.{name}]'))
        ok = False
    if not isinstance(entry, dict):
        problems.append((at, f'must be a table: [accounts.{name}] with api_key_env = "…"'))
        return None
    for key in entry:
        if key not in ACCOUNT_KEYS:
            import difflib  # only for this error: every plan reads this file (#23)

            near = difflib.get_close_matches(key, ACCOUNT_KEYS, n=1)
            hint = f' (did you mean "{near[0]}"?)' if near else f"; known keys: {', '.join(ACCOUNT_KEYS)}"
            problems.append(((*at, key), f'unknown key "{key}"{hint}'))
            ok = False
    env = entry.get("api_key_env")
    if env is None:
        problems.append(
            (
                (*at, "api_key_env"),
                "missing: name the environment variable that holds this account's API key, e.g. "
                f'api_key_env = "{name.upper().replace("-", "_")}_WOODPECKER_KEY"',
            )
        )
        ok = False
    elif not isinstance(env, str) or not ENV_NAME.match(env):
        problems.append(
            (
                (*at, "api_key_env"),
                f"must be the name of an environment variable (letters, digits and _, not starting with a "
                f"digit), not {env!r}; the key itself never goes in wpsync.toml",
            )
        )
        ok = False
    url = entry.get("api_url")
    if url is not None and (not isinstance(url, str) or not url.strip()):
        problems.append(
            (
                (*at, "api_url"),
                f"must be the API's base URL, e.g. https://api.woodpecker.co/rest; not {url!r}",
            )
        )
        ok = False
    company = entry.get("company_id")
    if company is not None and (isinstance(company, bool) or not isinstance(company, int) or company <= 0):
        problems.append(
            (
                (*at, "company_id"),
                f"must be the client company's id, a whole number greater than 0, not {company!r}",
            )
        )
        ok = False
    if not ok:
        return None
    assert isinstance(env, str)
    return AccountConfig(name, env, url.strip().rstrip("/") if isinstance(url, str) else None, company)
