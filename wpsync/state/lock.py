"""One writer at a time: a lock file in the state folder, held for a whole apply (or import, forget).

The lock says who holds it (user, host, pid, command, since) and has an id for ``wpsync force-unlock
ID``. It comes into being whole: its content is written to a temporary file first and hard-linked into
place, which fails if a lock exists — so taking it is atomic, and a failed write (a full disk) never
leaves an empty lock that would block every later run.

A lock left by a process that no longer runs on this same host is stale and is taken over, with a
message; a lock from another host cannot be judged from here, so only force-unlock removes it. Taking
over is serialised by an OS lock (flock) on the state folder itself, held only while a process
re-reads the lock, checks it is still the one it judged stale, removes it and creates its own: of
several processes finding the same stale lock, exactly one proceeds; the others then find its live
lock. (flock, not a rename dance: a rename of ``.lock`` cannot tell the stale lock from a fresh one
another taker has just created; and flock needs no extra file, and is released by the OS however the
process ends.)
"""

from __future__ import annotations

import contextlib
import errno
import getpass
import json
import os
import socket
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wpsync.bounded import Unreadable, read_regular
from wpsync.errors import StateError, StateLocked, state_write_error
from wpsync.limits import KIB

LOCK_FILE = ".lock"
MAX_LOCK_FILE = 64 * KIB
_DAMAGED: dict[str, Any] = {"id": "?", "who": "?", "host": "?", "pid": -1, "command": "?", "since": "?"}


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


def _read(path: Path) -> dict[str, Any] | None:
    """The holder, None if unlocked, or ``_DAMAGED`` for a lock file that is empty or not a holder."""
    try:
        data = read_regular(path, MAX_LOCK_FILE, "the state lock file")
    except FileNotFoundError:
        return None
    except Unreadable as exc:
        raise StateError(f"{path}: {exc.reason}; {_remove_hint(path)}") from None
    try:
        holder = json.loads(data)
    except ValueError:
        return _DAMAGED
    return holder if isinstance(holder, dict) and isinstance(holder.get("id"), str) else _DAMAGED


def _remove_hint(path: Path) -> str:
    return f"if no wpsync run is using this state, remove it: rm {path}"


def _damaged(path: Path) -> StateLocked:
    return StateLocked(
        f"{path}: the state lock file is empty or damaged (a run may have died while taking it);"
        f" {_remove_hint(path)}"
    )


def read_lock(state_root: Path) -> dict[str, Any] | None:
    """The current holder, or None; a damaged lock file is reported (StateLocked) with how to remove it."""
    path = state_root / LOCK_FILE
    current = _read(path)
    if current is _DAMAGED:
        raise _damaged(path)
    return current


def describe(holder: dict[str, Any]) -> str:
    return (
        f"lock {holder.get('id')} held by {holder.get('who')}@{holder.get('host')} (pid {holder.get('pid')}), "
        f"running `{holder.get('command')}` since {holder.get('since')}"
    )


def _stale(holder: dict[str, Any]) -> bool:
    pid = holder.get("pid")
    return holder.get("host") == socket.gethostname() and isinstance(pid, int) and pid > 0 and not _alive(pid)


def _create(path: Path, holder: dict[str, Any]) -> bool:
    """Make ``path`` the lock, whole, if there is none: True if it was created, False if one exists."""
    content = json.dumps(holder).encode()
    staged = path.with_name(f"{LOCK_FILE}.{holder['id']}.tmp")
    try:
        try:
            _write_new(staged, content)
            os.link(staged, path)
            return True
        except FileExistsError:
            return False
        except OSError as exc:
            if exc.errno in _NO_LINKS:
                return _create_in_place(path, content)
            raise state_write_error(path, exc) from None
    finally:
        with contextlib.suppress(OSError):
            staged.unlink()


_NO_LINKS = {getattr(errno, name, -1) for name in ("EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK")}


def _write_new(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(fd, view) :]
        os.fsync(fd)
    finally:
        os.close(fd)


def _create_in_place(path: Path, content: bytes) -> bool:
    """For filesystems without hard links: O_EXCL create, and on a failed write remove what we made."""
    try:
        _write_new(path, content)
    except FileExistsError:
        return False
    except OSError as exc:
        with contextlib.suppress(OSError):
            if _read(path) is _DAMAGED:
                path.unlink()
        raise state_write_error(path, exc) from None
    return True


@contextlib.contextmanager
def _takeover_guard(state_root: Path) -> Iterator[None]:
    """An exclusive OS lock on the state folder, for the few steps of a takeover (see the docstring)."""
    try:
        import fcntl

        fd = os.open(state_root, os.O_RDONLY)
    except (ImportError, OSError):
        yield  # no flock here: a takeover is then only as safe as the re-check below
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the flock


def _take_over(
    path: Path, judged: dict[str, Any], holder: dict[str, Any], notice: Callable[[str], Any] | None
) -> bool:
    """Replace the stale lock ``judged`` with ours; False if someone else got there first."""
    with _takeover_guard(path.parent):
        if _read(path) != judged:
            return False  # taken over (or released and taken) by another run meanwhile
        if notice is not None:
            notice(f"taking over a stale {describe(judged)}: that process is gone")
        path.unlink(missing_ok=True)
        return _create(path, holder)


@contextlib.contextmanager
def state_lock(state_root: Path, command: str, *, notice: Any = None) -> Iterator[dict[str, Any]]:
    """Hold the state lock for the body; raises StateLocked (exit 5) at once if another run has it."""
    try:
        state_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise state_write_error(state_root, exc) from None
    path = state_root / LOCK_FILE
    holder = _holder(command)
    for _ in range(3):
        if _create(path, holder):
            break
        current = read_lock(state_root)
        if current is None:
            continue  # released between our two looks
        if _stale(current):
            if _take_over(path, current, holder, notice):
                break
            continue
        raise StateLocked(
            f"the state is locked: {describe(current)}. Wait for it to finish; if it died on another "
            f"machine, run `wpsync force-unlock {current.get('id')}`"
        )
    else:
        raise StateLocked(f"the state lock at {path} could not be taken; try again")
    try:
        yield holder
    finally:
        current = _read(path)
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
