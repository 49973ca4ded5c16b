"""The run journal: an apply's intents appended to one file, one ``fdatasync`` per call.

Inside a batch (``StateDir.batch``) each intent is one line of ``wpsync-journal.jsonl`` instead of a
``KEY.intent.json`` of its own: appending a line and syncing the file's data is one disk flush, where
a file of its own costs a temp file, two fsyncs (file, folder) and a rename per call, and an unlink
per call at the end. The rules are the intents' rules, unchanged: a line is durable before its call is
sent; a later line for the same key replaces the earlier one only once the earlier call's record is
durable; the journal goes only after one sync of every record written in the batch.

Recovery reads the journal as the intents it holds (the last line of each key). A line is written with
a single ``write`` and synced before its call is sent, so a line that is not whole — no newline, or the
last line not JSON (what a crash during the write, or power lost before its sync, leaves) — is a call
that was never sent, and is dropped; any other damaged line is an error naming the line. At the end of
a batch, and before a later run settles anything, the journal's unsettled intents become ordinary
``KEY.intent.json`` files (``checkpoint``): everything after that, and everything a person reads, sees
the journal as it always was, one file per call in flight.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wpsync import failpoints
from wpsync.bounded import Unreadable, read_regular
from wpsync.errors import StateError, state_write_error
from wpsync.limits import MAX_STATE_FILE
from wpsync.state.atomic import atomic_write_files, dumps, fsync_dir

if TYPE_CHECKING:
    from wpsync.state.journal import Intent

JOURNAL_FILE = "wpsync-journal.jsonl"
_SYNC = getattr(os, "fdatasync", os.fsync)  # data and size; macOS has only fsync


def entry_bytes(key: str, intent: Intent) -> bytes:
    """One line: compact JSON (json's C encoder), so no newline inside it."""
    from wpsync.state.journal import intent_to_json

    entry = {"intent": intent_to_json(intent), "key": key}
    return (json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


class RunJournal:
    """The journal of the batch in progress: opened at its first entry, appended to, then removed."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def append(self, key: str, intent: Intent) -> None:
        """Append ``intent`` durably: when this returns, its line survives a crash or power loss."""
        line = entry_bytes(key, intent)
        try:
            if self._fd is None:
                flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
                self._fd = os.open(self.path, flags, 0o644)
                fsync_dir(self.path.parent)  # the file's name, durable before its first line counts
            view = memoryview(line)
            if failpoints.armed("state.journal.torn"):
                # Only under a test: die with half the line written, as a crash mid-write leaves it.
                os.write(self._fd, view[: len(view) // 2])
                view = view[len(view) // 2 :]
                failpoints.hit("state.journal.torn")
            while view:
                view = view[os.write(self._fd, view) :]
            _SYNC(self._fd)
        except OSError as exc:
            raise state_write_error(self.path, exc) from None

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def read_journal(path: Path) -> dict[str, Intent]:
    """The intents a journal holds, the last line of each key; {} when there is none."""
    from wpsync.state.journal import intent_from_json

    try:
        data = read_regular(path, MAX_STATE_FILE, "the journal")
    except FileNotFoundError:
        return {}
    except Unreadable as exc:
        raise StateError(f"{path}: {exc.reason}") from None
    lines = data.split(b"\n")
    lines.pop()  # after the last newline: empty, or a line whose write never finished (never sent)
    found: dict[str, Intent] = {}
    for number, line in enumerate(lines, start=1):
        try:
            entry: Any = json.loads(line)
        except ValueError:
            if number == len(lines):
                break  # the last line, never synced (its call was never sent): power lost mid-write
            raise StateError(_damaged(path, number, "not JSON")) from None
        key = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(key, str) or not isinstance(entry.get("intent"), dict):
            raise StateError(_damaged(path, number, "not a journal entry"))
        intent = intent_from_json(f"{path} (line {number})", entry["intent"])
        if intent.key != key:
            raise StateError(_damaged(path, number, f"entry of {key!r} holds an intent of {intent.key!r}"))
        found.pop(key, None)  # the later line replaces the earlier, and keeps the order of the calls
        found[key] = intent
    return found


def checkpoint(path: Path, pending: Iterable[tuple[Path, Intent]]) -> None:
    """Make ``pending`` intents ordinary intent files (durably), then remove the journal at ``path``.
    A crash in between leaves the journal, which holds them all: the next run does this again."""
    from wpsync.state.journal import intent_to_json

    files = [(where, dumps(intent_to_json(intent))) for where, intent in pending]
    if files:
        atomic_write_files(files)
    failpoints.hit("state.journal.checkpoint")
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise state_write_error(path, exc) from None
    fsync_dir(path.parent)


def _damaged(path: Path, number: int, problem: str) -> str:
    return (
        f"{path}: line {number} is damaged ({problem}); it is the journal of an interrupted apply and is "
        "not in git: look in Woodpecker for what that run was doing (its other lines say which "
        "campaigns), `wpsync import` what you find, then delete the file"
    )
