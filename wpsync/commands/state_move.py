"""`wpsync state migrate`, `state push` and `state pull`: the PostgreSQL state's schema, and moving a
whole state between the ``state/`` folder and the database (see docs/shared-state.md). With several
accounts, each account's folder (``state/NAME``) and database workspace (``W/NAME``) in turn."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from wpsync.commands.resolve import Account
from wpsync.errors import EXIT_OK, InputError
from wpsync.state.backend import STATE_URL_ENV


def _url(account: Account, command: str) -> str:
    if account.state_url is None:
        raise InputError(
            f"`wpsync state {command}` needs a PostgreSQL state: set {STATE_URL_ENV} (or the variable "
            'that wpsync.toml names with [state] url_env = "VAR") to its postgresql:// URL'
        )
    return account.state_url


def _say(account: Account, text: str) -> str:
    return f"{account.name}: {text}" if account.name else text


def state_migrate(accounts: Sequence[Account], *, echo: Callable[[str], None]) -> int:
    from wpsync.state.pg_schema import migrate

    for account in accounts:
        echo(_say(account, migrate(_url(account, "migrate"))))
    return EXIT_OK


def state_push(accounts: Sequence[Account], *, force: bool, echo: Callable[[str], None]) -> int:
    """Each account's folder → its database workspace."""
    from wpsync.state.pg_transfer import push

    for account in accounts:
        done = push(account.state_dir, _url(account, "push"), force=force)
        echo(_say(account, done.capitalize() + "."))
    return EXIT_OK


def state_pull(accounts: Sequence[Account], *, force: bool, echo: Callable[[str], None]) -> int:
    """Each account's database workspace → its folder."""
    from wpsync.state.pg_transfer import pull

    for account in accounts:
        done = pull(_url(account, "pull"), account.state_dir, force=force)
        echo(_say(account, done.capitalize() + "."))
    return EXIT_OK
