"""Which state backend a run uses, and what every backend offers the commands.

The file folder (``StateDir``) stays the default; a PostgreSQL URL (``WPSYNC_STATE_URL``, or the
variable named by ``[state] url_env`` in wpsync.toml) selects ``PgState``, and the folder is then not
written at all.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from wpsync.errors import StateLocked
from wpsync.state.records import Applied, CampaignRecord
from wpsync.state.store import StateDir

if TYPE_CHECKING:
    from wpsync.state.journal import Intent
    from wpsync.state.postgres import PgState

STATE_URL_ENV = "WPSYNC_STATE_URL"
DEFAULT_LOCK_TIMEOUT = 180.0  # seconds a second run waits for a live holder before exit 5


@runtime_checkable
class StateStore(Protocol):
    """What commands, plan and apply need of a state: ``StateDir`` and ``PgState`` both are one."""

    def lineage(self, *, create: bool = False) -> str | None: ...
    def account(self) -> str | None: ...
    def record_account(self, account: str) -> None: ...
    def keys(self) -> list[str]: ...
    def read(self, key: str) -> CampaignRecord | None: ...
    def read_all(self) -> dict[str, CampaignRecord]: ...
    def write(self, record: CampaignRecord, applied: Applied | None = None) -> None: ...
    def batch(self) -> contextlib.AbstractContextManager[None]: ...
    def make_durable(self, key: str) -> None: ...
    def write_intent(self, key: str, intent: Intent) -> None: ...
    def clear_intent(self, key: str) -> None: ...
    def intent_pending(self, key: str) -> bool: ...
    def intents(self) -> dict[str, Intent]: ...
    def recover_journal(self) -> None: ...
    def read_applied(self, key: str) -> Applied | None: ...
    def move(self, old: str, new: str) -> None: ...
    def forget(self, key: str) -> bool: ...


def open_state(state_dir: Path, url: str | None = None, *, application: str = "wpsync") -> StateStore:
    """The state a run uses: PostgreSQL when ``url`` is given (non-empty), else the folder."""
    if url:
        from wpsync.state.postgres import PgState

        return PgState(url, application=application)
    return StateDir(state_dir)


def describe_location(state: StateStore) -> str:
    """Where the state is, for messages: the folder, or the database and workspace (no password)."""
    if isinstance(state, StateDir):
        return str(state.root)
    return str(getattr(state, "location", state))


@contextlib.contextmanager
def lock_state(
    state: StateStore,
    command: str,
    *,
    timeout: float = 0.0,
    notice: Callable[[str], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Hold the state's lock for the body (who: user, host, pid, command, since), waiting up to
    ``timeout`` seconds for a live holder; then StateLocked (exit 5) naming it."""
    if not isinstance(state, StateDir):
        pg: PgState = state  # type: ignore[assignment]
        with pg.lock(command, timeout=timeout, notice=notice) as holder:
            yield holder
        return
    from wpsync.state.lock import state_lock

    deadline = time.monotonic() + max(timeout, 0.0)
    delay, announced = 0.05, False
    with contextlib.ExitStack() as stack:
        while True:
            try:
                holder = stack.enter_context(state_lock(state.root, command, notice=notice))
                break
            except StateLocked as exc:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise
                if not announced and notice is not None:
                    notice(f"waiting up to {timeout:g} s: {exc.message.split('. ')[0]}")
                    announced = True
                import random  # only while waiting for a lock (#23)

                time.sleep(min(delay * random.uniform(0.8, 1.2), remaining))
                delay = min(delay * 1.6, 2.0)
        yield holder


def live_holder(state: StateStore, lock_id: str) -> dict[str, Any] | None:
    """The holder of ``lock_id`` when it is provably still running — a PostgreSQL lock is held only by
    a live session; a file lock, by a live process on this host — else None (gone, another lock, or a
    file lock from another machine, which is what force-unlock is for)."""
    if isinstance(state, StateDir):
        import socket

        from wpsync.state.lock import _alive, read_lock

        current = read_lock(state.root)
        pid = (current or {}).get("pid")
        mine = current is not None and current.get("host") == socket.gethostname()
        live = mine and isinstance(pid, int) and pid > 0 and _alive(pid)
        return current if live and current is not None and current.get("id") == lock_id else None
    pg: PgState = state  # type: ignore[assignment]
    current = pg.read_lock()
    return current if current is not None and current.get("id") == lock_id else None


def force_unlock_state(state: StateStore, lock_id: str) -> dict[str, Any]:
    """`wpsync force-unlock ID` for either backend; returns the holder removed."""
    if isinstance(state, StateDir):
        from wpsync.state.lock import force_unlock

        return force_unlock(state.root, lock_id)
    pg: PgState = state  # type: ignore[assignment]
    return pg.force_unlock(lock_id)
