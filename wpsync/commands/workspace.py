"""What several commands share: where the files are, how to reach Woodpecker, and the environment.

Every environment variable wpsync reads is read and checked here, once, into a frozen ``Environment``
(``wpsync.failpoints`` alone reads its own, test-only, variable). A bad value is an InputError naming
the variable and what it may be, before anything else runs.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wpsync.bounded import Unreadable, read_regular
from wpsync.errors import API_KEY_ENV, InputError, Problem, WpsyncError, register_secret
from wpsync.limits import MAX_HTTP_TIMEOUT, MAX_KEY_FILE
from wpsync.state.backend import DEFAULT_LOCK_TIMEOUT, STATE_URL_ENV, StateStore, open_state
from wpsync.woodpecker.config import (
    ALLOW_HTTP_ENV,
    API_URL_ENV,
    DEFAULT_BASE_URL,
    api_key_problem,
    base_url_problem,
)

if TYPE_CHECKING:
    from wpsync.woodpecker.client import WoodpeckerClient


TIMEOUT_ENV = "WPSYNC_HTTP_TIMEOUT"  # seconds for a whole request; the default outlasts Woodpecker's queue
LOG_ENV = "WPSYNC_LOG"
DEBUG_ENV = "WPSYNC_DEBUG"
NO_COLOR_ENV = "NO_COLOR"
STEP_SUMMARY_ENV = "GITHUB_STEP_SUMMARY"
NOW_ENV = "WPSYNC_NOW"  # the instant a plan's timelines start from, instead of the clock
LOG_LEVELS = ("debug", "info", "warning", "error")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("", "0", "false", "no", "off")


@dataclass(frozen=True)
class Environment:
    """The environment variables wpsync reads, checked.

    api_key        WOODPECKER_API_KEY, stripped; None when unset or blank
    api_url        WOODPECKER_API_URL, default https://api.woodpecker.co/rest; https:// only, except
                   http:// to this machine (the emulator) or with WPSYNC_ALLOW_HTTP=1
    http_timeout   WPSYNC_HTTP_TIMEOUT: seconds for a whole request, finite, > 0 and ≤ 600; None: default
    log_level      WPSYNC_LOG: debug, info, warning or error; None when unset
    no_color       NO_COLOR set to anything non-empty
    step_summary   GITHUB_STEP_SUMMARY: the job summary file to add a plan to; None when unset
    debug          WPSYNC_DEBUG: show tracebacks of internal errors (1/true/yes/on; 0/false/no/off)
    allow_http     WPSYNC_ALLOW_HTTP: accept plain http:// to any host (1/true/yes/on)
    state_url      WPSYNC_STATE_URL: a postgresql:// URL of a shared state; None: the state/ folder.
                   Never shown: its password is registered as a secret, like the key
    now            WPSYNC_NOW: an ISO 8601 instant with its offset (2026-12-07T09:00:00Z), the "now" a
                   plan's timelines start from (reproducible plans); None: the clock
    """

    api_key: str | None = None
    api_url: str = DEFAULT_BASE_URL
    http_timeout: float | None = None
    log_level: str | None = None
    no_color: bool = False
    force_color: bool = False  # FORCE_COLOR set and not "0": colour even into a pipe (CI logs)
    dumb_terminal: bool = False  # TERM=dumb: no colour
    step_summary: Path | None = None
    debug: bool = False
    allow_http: bool = False
    state_url: str | None = None
    now: datetime | None = None

    @classmethod
    def read(cls, environ: Mapping[str, str] | None = None) -> Environment:
        """Read and check every variable; an InputError lists each bad one (never showing a key)."""
        env = os.environ if environ is None else environ
        problems: list[str] = []
        debug = _flag(env, DEBUG_ENV, problems)
        allow_http = _flag(env, ALLOW_HTTP_ENV, problems)
        key = env.get(API_KEY_ENV, "").strip() or None
        if key is not None:
            register_secret(key)
            wrong = api_key_problem(key)
            if wrong:
                problems.append(f"{API_KEY_ENV} {wrong}")
        url = env.get(API_URL_ENV, "").strip() or DEFAULT_BASE_URL
        wrong = base_url_problem(url, allow_http=allow_http)
        if wrong:
            problems.append(wrong)
        level = env.get(LOG_ENV, "").strip().lower() or None
        if level is not None and level not in LOG_LEVELS:
            problems.append(f"{LOG_ENV} must be one of {', '.join(LOG_LEVELS)}, not {level!r}")
            level = None
        summary = env.get(STEP_SUMMARY_ENV, "")
        state_url = _state_url(env, STATE_URL_ENV, problems)
        now = _instant(env.get(NOW_ENV, "").strip(), problems)
        if problems:
            raise InputError([Problem("", "", line) for line in problems])
        return cls(
            api_key=key,
            api_url=url.rstrip("/"),
            http_timeout=_timeout(env.get(TIMEOUT_ENV)),
            log_level=level,
            no_color=bool(env.get(NO_COLOR_ENV)),
            force_color=env.get("FORCE_COLOR", "0") not in ("", "0"),
            dumb_terminal=env.get("TERM") == "dumb",
            step_summary=Path(summary) if summary else None,
            debug=debug,
            allow_http=allow_http,
            state_url=state_url,
            now=now,
        )


def _instant(raw: str, problems: list[str]) -> datetime | None:
    if not raw:
        return None
    try:
        found = datetime.fromisoformat(raw)
    except ValueError:
        found = None
    if found is None or found.tzinfo is None:
        problems.append(
            f"{NOW_ENV} must be an ISO 8601 instant with its offset, e.g. 2026-12-07T09:00:00Z; not {raw!r}"
        )
        return None
    return found


def _flag(env: Mapping[str, str], name: str, problems: list[str]) -> bool:
    value = env.get(name, "").strip().lower()
    if value in _TRUE:
        return True
    if value not in _FALSE:
        problems.append(f"{name} must be 1 (or true, yes, on) or 0 (or false, no, off), not {value!r}")
    return False


def _state_url(env: Mapping[str, str], name: str, problems: list[str]) -> str | None:
    """A state URL from ``name``, its password registered as a secret; the URL is never put in a
    message (a password may sit in it however it is spelled)."""
    url = env.get(name, "").strip() or None
    if url is None:
        return None
    from urllib.parse import parse_qsl, unquote, urlsplit

    try:
        parts = urlsplit(url)
        secrets = [parts.password or ""] + [v for k, v in parse_qsl(parts.query) if k == "password"]
    except ValueError:
        parts, secrets = None, []
    for secret in secrets:
        register_secret(secret)
        register_secret(unquote(secret))
    if parts is None or parts.scheme not in ("postgresql", "postgres") or not parts.netloc:
        problems.append(f"{name} must be a postgresql://[user@]host[:port]/database URL (not shown here)")
        return None
    return url


def state_url_from(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The state URL in the variable ``name`` (wpsync.toml ``[state] url_env``); InputError if unset."""
    env = os.environ if environ is None else environ
    problems: list[str] = []
    url = _state_url(env, name, problems)
    if problems:
        raise InputError(problems[0])
    if url is None:
        raise InputError(
            f'wpsync.toml says the state is in PostgreSQL ([state] url_env = "{name}"), but {name} is '
            f"not set: export {name} with the postgresql:// URL of the shared state (or {STATE_URL_ENV})"
        )
    return url


def _timeout(raw: str | None) -> float | None:
    if raw is None or not raw.strip():
        return None
    rule = f"{TIMEOUT_ENV} must be a number of seconds greater than 0 and at most {MAX_HTTP_TIMEOUT:g}"
    try:
        seconds = float(raw)
    except ValueError:
        raise InputError(f"{rule}, not {raw!r}") from None
    if not math.isfinite(seconds) or not 0 < seconds <= MAX_HTTP_TIMEOUT:
        raise InputError(f"{rule}, not {raw!r}")
    return seconds


def environment() -> Environment:
    """The checked environment of this process (cheap: read again on each call, so tests may vary it)."""
    return Environment.read()


def debug_requested() -> bool:
    """WPSYNC_DEBUG, for the CLI's last-resort handler: never raises, whatever else is wrong."""
    return os.environ.get(DEBUG_ENV, "").strip().lower() in _TRUE


@dataclass(frozen=True)
class Workspace:
    campaigns: Path
    state: StateStore
    lock_timeout: float = 0.0  # seconds to wait for another run's state lock before exit 5
    # One account of several ([accounts.NAME] in wpsync.toml): its name, and where its key reaches
    # Woodpecker. None, None, None: the one account of WOODPECKER_API_URL, as without [accounts].
    account: str | None = None
    api_url: str | None = None
    company_id: int | None = None  # an agency key acting for this client company (x-company-id)
    # Where the key and the URL came from, for messages: a variable (and the wpsync.toml line naming it).
    key_source: str = API_KEY_ENV
    url_source: str = API_URL_ENV


def workspace(campaigns: Path, state: Path, *, lock_timeout: float | None = None) -> Workspace:
    """The campaigns and the state: the folder ``state``, or the PostgreSQL state named by
    WPSYNC_STATE_URL or by wpsync.toml's ``[state] url_env`` (which then replaces the folder).
    ``lock_timeout`` None: wait 180 s for a PostgreSQL lock, not at all for the folder's."""
    url = state_url(campaigns)
    if lock_timeout is None:
        lock_timeout = DEFAULT_LOCK_TIMEOUT if url else 0.0
    return Workspace(campaigns, open_state(state, url), lock_timeout)


def state_url(campaigns: Path) -> str | None:
    """WPSYNC_STATE_URL, else the variable wpsync.toml (next to ``campaigns``) names, else None."""
    from wpsync.files import lint_config, state_config

    url = environment().state_url
    if url is not None:
        return url
    name = state_config.load(lint_config.config_path([campaigns])).url_env
    return state_url_from(name) if name is not None else None


def read_api_key(key_file: Path | None) -> str | None:
    """The API key from --api-key-file or WOODPECKER_API_KEY; never from a flag in the process list."""
    if key_file is None:
        return environment().api_key
    try:
        data = read_regular(key_file, MAX_KEY_FILE, "the API key file")
    except FileNotFoundError:
        raise InputError(f"{key_file}: cannot read the API key file: no such file") from None
    except Unreadable as exc:
        raise InputError(f"{key_file}: {exc.reason}") from None
    try:
        key = data.decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InputError(
            f"{key_file}: the API key file is not UTF-8 text; it must hold the key alone"
        ) from None
    register_secret(key)
    wrong = api_key_problem(key)
    if wrong:
        raise InputError(f"{key_file}: the API key in this file {wrong}")
    return key


@contextlib.contextmanager
def client_for(api_key: str, ws: Workspace | None = None) -> Iterator[WoodpeckerClient]:
    """A client for ``api_key`` against WOODPECKER_API_URL (default: Woodpecker's own), or against the
    URL and client company of ``ws``'s account when it names them. An error leaving the block names
    where this account's key and URL came from (``named``)."""
    from wpsync.woodpecker.client import WoodpeckerClient

    env = environment()
    url = ws.api_url if ws is not None and ws.api_url else env.api_url
    company = ws.company_id if ws is not None else None
    timeouts: dict[str, Any] = {}
    if env.http_timeout is not None:
        timeouts = {"timeout": env.http_timeout, "deadline": env.http_timeout}
    try:
        with WoodpeckerClient(
            api_key, url, allow_http=env.allow_http, company_id=company, **timeouts
        ) as client:
            yield client
    except WpsyncError as exc:
        if ws is None:
            raise
        raise named(exc, ws) from None


def named(exc: WpsyncError, ws: Workspace) -> WpsyncError:
    """``exc`` with the advice it gives about WOODPECKER_API_KEY and WOODPECKER_API_URL (the one
    account's variables, which the client layer names) naming this account's own sources instead:
    ``GLOBEX_WOODPECKER_KEY (wpsync.toml:5: accounts.globex.api_key_env)``, the key file, the
    ``api_url`` line. The same exception, so its type, exit code and settling flags are kept."""

    def fix(text: str) -> str:
        return text.replace(API_KEY_ENV, ws.key_source).replace(API_URL_ENV, ws.url_source)

    if (ws.key_source, ws.url_source) == (API_KEY_ENV, API_URL_ENV):
        return exc
    exc.message = fix(exc.message)
    exc.args = (exc.message,)
    if isinstance(exc, InputError):
        exc.problems = [replace(problem, message=fix(problem.message)) for problem in exc.problems]
    return exc


def client_from_env(environ: Mapping[str, str] | None = None, **kwargs: Any) -> WoodpeckerClient:
    """A client with the key, base URL and timeout of the environment, read and checked as the CLI
    does (for scripts and tests that drive the client without the CLI)."""
    from wpsync.woodpecker.client import WoodpeckerClient

    env = Environment.read(environ)
    if env.api_key is None:
        raise InputError(f"{API_KEY_ENV} is not set — export it with the account's Woodpecker API key")
    if env.http_timeout is not None:
        kwargs = {"timeout": env.http_timeout, "deadline": env.http_timeout} | kwargs
    return WoodpeckerClient(env.api_key, env.api_url, allow_http=env.allow_http, **kwargs)
