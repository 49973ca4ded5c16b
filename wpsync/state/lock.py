"""One writer at a time: a lock file in the state folder, held for a whole apply (or import, forget).

The lock is a file created with O_EXCL, so taking it is atomic on every local filesystem. It says who
holds it (user, host, pid, command, since) and has an id for ``wpsync force-unlock ID``. A lock left
by a process that no longer runs on this same host is stale and is taken over, with a message; a lock
from another host cannot be judged from here, so only force-unlock removes it.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wpsync.errors import StateError, StateLocked

LOCK_FILE = ".lock"


def _holder(command: str) -> dict[str, Any]:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return {
        "id": uuid.uuid4().hex[:12],
        "who": user,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "command": command,
        "since": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True


def read_lock(state_root: Path) -> dict[str, Any] | None:
    path = state_root / LOCK_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {"id": "?", "who": "?", "host": "?", "pid": -1, "command": "?", "since": "?"}
    return data if isinstance(data, dict) else None


def describe(holder: dict[str, Any]) -> str:
    return (
        f"lock {holder.get('id')} held by {holder.get('who')}@{holder.get('host')} (pid {holder.get('pid')}), "
        f"running `{holder.get('command')}` since {holder.get('since')}"
    )


def _stale(holder: dict[str, Any]) -> bool:
    pid = holder.get("pid")
    return holder.get("host") == socket.gethostname() and isinstance(pid, int) and pid > 0 and not _alive(pid)


@contextlib.contextmanager
def state_lock(state_root: Path, command: str, *, notice: Any = None) -> Iterator[dict[str, Any]]:
    """Hold the state lock for the body; raises StateLocked (exit 5) at once if another run has it."""
    state_root.mkdir(parents=True, exist_ok=True)
    path = state_root / LOCK_FILE
    holder = _holder(command)
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            current = read_lock(state_root)
            if current is not None and _stale(current):
                if notice is not None:
                    notice(f"taking over a stale {describe(current)}: that process is gone")
                path.unlink(missing_ok=True)
                continue
            if current is None:
                continue  # released between our two looks
            raise StateLocked(
                f"the state is locked: {describe(current)}. Wait for it to finish; if it died on another "
                f"machine, run `wpsync force-unlock {current.get('id')}`"
            ) from None
        except OSError as exc:
            raise StateError(f"{path}: cannot create the lock file: {exc.strerror}") from None
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(holder, handle)
            handle.flush()
            os.fsync(handle.fileno())
        break
    else:
        raise StateLocked(f"the state lock at {path} could not be taken; try again")
    try:
        yield holder
    finally:
        current = read_lock(state_root)
        if current is not None and current.get("id") == holder["id"]:
            path.unlink(missing_ok=True)


def force_unlock(state_root: Path, lock_id: str) -> dict[str, Any]:
    current = read_lock(state_root)
    if current is None:
        raise StateError(f"{state_root}: the state is not locked")
    if current.get("id") != lock_id:
        raise StateError(f"the state is held by {describe(current)}, not by lock {lock_id}; nothing removed")
    (state_root / LOCK_FILE).unlink(missing_ok=True)
    return current
