"""The state in a folder: what wpsync created in Woodpecker, one small JSON file per campaign.

    state/
      wpsync-state.json     {"format": 1, "lineage": "…"}   written once, by the first apply
      KEY.json              one campaign's record (CampaignRecord)

One file per campaign so two pull requests touching different campaigns never conflict, and recording
one API call rewrites one small file, not the fleet's state. Files are plain JSON with sorted keys and
a trailing newline, written atomically (temp file, fsync, rename), so a reader never sees half a file.

Beside each record, ``KEY.applied.json`` holds the content last applied (read only when a change must
be explained or an edit planned, so a plan over unchanged campaigns never reads any copy) and, while a
call is in flight, ``KEY.intent.json`` its journal entry (``wpsync.state.journal``). During an
apply, the intents are lines of one ``wpsync-journal.jsonl`` instead (``wpsync.state.run_journal``).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from wpsync import failpoints
from wpsync.errors import StateError
from wpsync.state.atomic import (
    atomic_write_files,
    atomic_write_json,
    check_backups,
    fsync_dir,
    read_json,
)
from wpsync.state.records import (
    FORMAT,
    Applied,
    CampaignRecord,
    applied_bytes,
    applied_from_json,
    check_format,
    record_bytes,
    record_from_json,
)
from wpsync.state.run_journal import JOURNAL_FILE, RunJournal, checkpoint, read_journal

if TYPE_CHECKING:  # the journal loads only when an intent is written or found
    from wpsync.state.journal import Intent

META_FILE = "wpsync-state.json"
APPLIED_SUFFIX = ".applied.json"
INTENT_SUFFIX = ".intent.json"
MOVE_FILE = "wpsync-move.json"  # while a record moves to a new key: {"old", "new", "campaign_id"}


@dataclass
class StateDir:
    """The state folder. All reads and writes of state go through here."""

    root: Path
    _lineage: str | None = field(default=None, repr=False)
    # During an apply, records are written without fsync and intents are cleared only at the end,
    # after one sync: an intent is the durable anchor of its call until then (see ``batch``).
    _unsynced: set[str] | None = field(default=None, repr=False)
    _clear_later: set[str] = field(default_factory=set, repr=False)
    # Inside a batch, intents are appended to one journal (one fdatasync a call); the latest per key.
    _journal: RunJournal | None = field(default=None, repr=False)
    _journalled: dict[str, Intent] = field(default_factory=dict, repr=False)

    # ---- lineage ---------------------------------------------------------------------------------
    def lineage(self, *, create: bool = False) -> str | None:
        if self._lineage is not None:
            return self._lineage
        meta_path = self.root / META_FILE
        if meta_path.exists():
            meta = read_json(meta_path)
            if not isinstance(meta, dict) or not isinstance(meta.get("lineage"), str):
                raise StateError(f"{meta_path}: not a wpsync state file (no lineage); restore it from git")
            check_format(meta_path, meta.get("format"))
            self._lineage = meta["lineage"]
        elif create:
            import uuid  # it imports platform: only a state's first write needs it

            self._lineage = str(uuid.uuid4())
            atomic_write_json(meta_path, {"format": FORMAT, "lineage": self._lineage})
        return self._lineage

    # ---- the account the state belongs to ----------------------------------------------------------
    def account(self) -> str | None:
        """The Woodpecker account recorded by the first apply that could tell (see woodpecker/stats)."""
        meta_path = self.root / META_FILE
        if not meta_path.exists():
            return None
        meta = read_json(meta_path)
        found = meta.get("account") if isinstance(meta, dict) else None
        return found if isinstance(found, str) else None

    def record_account(self, account: str) -> None:
        lineage = self.lineage(create=True)
        atomic_write_json(self.root / META_FILE, {"account": account, "format": FORMAT, "lineage": lineage})

    # ---- records ---------------------------------------------------------------------------------
    def path(self, key: str) -> Path:
        return self.root / f"{key}.json"

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        hidden = self.moved_away()
        return sorted(
            key
            for p in self.root.glob("*.json")
            if p.name not in (META_FILE, MOVE_FILE)
            and not p.name.endswith((APPLIED_SUFFIX, INTENT_SUFFIX))
            and (key := p.name[: -len(".json")]) != hidden
        )

    def read(self, key: str) -> CampaignRecord | None:
        path = self.path(key)
        if not path.exists() or key == self.moved_away():
            return None
        return self._read_record(key)

    def _read_record(self, key: str) -> CampaignRecord:
        return record_from_json(self.path(key), read_json(self.path(key)), self.lineage())

    def read_all(self) -> dict[str, CampaignRecord]:
        return {key: record for key in self.keys() if (record := self.read(key)) is not None}

    def write(self, record: CampaignRecord, applied: Applied | None = None) -> None:
        """Write one record (and, when given, the content it now holds), each atomically, keeping the
        previous version of each under .backup/ (a hard link: no copy, so it costs nothing per call)."""
        files = [(self.path(record.key), record_bytes(record))]
        if applied is not None:
            files.insert(0, (self.root / f"{record.key}{APPLIED_SUFFIX}", applied_bytes(applied)))
        durable = self._unsynced is None
        atomic_write_files(files, backup=True, durable=durable)
        if not durable:
            assert self._unsynced is not None
            self._unsynced.add(record.key)

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group commit for an apply: each call costs one durable intent (two fsyncs) instead of five.

        Inside the block, records are written atomically but not fsynced, and intents stay on disk until
        the block ends with one sync of everything; only then are they removed. A crash (or power loss)
        inside the block leaves every intent since the last sync in place, so the next apply settles
        each — locally when its record is there, against Woodpecker when it was lost.
        """
        check_backups(self.root)  # before the first call, not after it
        self.finish_move()
        self.recover_journal()  # one an earlier run left: never appended to, never overwritten
        self._unsynced = set()
        self._journal = RunJournal(self.journal_path)
        try:
            yield
        finally:
            os.sync()
            for key in sorted(self._clear_later):
                self.intent_path(key).unlink(missing_ok=True)
            journal, self._journal = self._journal, None
            journal.close()
            pending = [
                (self.intent_path(k), i) for k, i in self._journalled.items() if k not in self._clear_later
            ]
            failing = sys.exc_info()[1] is not None
            try:
                # Every record is durable now: what is left in flight becomes KEY.intent.json files.
                checkpoint(journal.path, pending)
            except StateError:
                if not failing:
                    raise
                # Already failing (a full disk, say): the journal stays, durable; the next run reads it.
            finally:
                fsync_dir(self.root)
                self._unsynced, self._clear_later, self._journalled = None, set(), {}

    def make_durable(self, key: str) -> None:
        """fsync one record (and its applied content) now, inside a batch too."""
        for path in (self.path(key), self.root / f"{key}{APPLIED_SUFFIX}"):
            if path.exists():
                with path.open("rb") as handle:
                    os.fsync(handle.fileno())
        fsync_dir(self.root)

    # ---- intents: a mutating call that may have happened ------------------------------------------
    def intent_path(self, key: str) -> Path:
        return self.root / f"{key}{INTENT_SUFFIX}"

    @property
    def journal_path(self) -> Path:
        return self.root / JOURNAL_FILE

    def write_intent(self, key: str, intent: Intent) -> None:
        if self._unsynced is not None and key in self._unsynced:
            # This replaces the intent that anchors the key's previous, not yet synced, outcome.
            self.make_durable(key)
            self._unsynced.discard(key)
        self._clear_later.discard(key)
        if self._journal is not None:
            self._journal.append(key, intent)  # one line, one fdatasync
            self._journalled[key] = intent
            return
        self.recover_journal()
        from wpsync.state.journal import intent_to_json

        atomic_write_json(self.intent_path(key), intent_to_json(intent))

    def clear_intent(self, key: str) -> None:
        if self._unsynced is not None:
            self._clear_later.add(key)
        else:
            self.recover_journal()
            self.intent_path(key).unlink(missing_ok=True)

    def recover_journal(self) -> None:
        """Outside a batch: the journal a killed apply left becomes ordinary intent files (durably),
        so settling, `wpsync forget` and a person all see one KEY.intent.json per call in flight."""
        if self._journal is None and self.journal_path.exists():
            found = read_journal(self.journal_path)
            checkpoint(self.journal_path, [(self.intent_path(k), i) for k, i in found.items()])

    def intent_pending(self, key: str) -> bool:
        """Whether ``key`` has an intent not yet settled (one cleared inside a batch is settled)."""
        if key in self._clear_later:
            return False
        if key in self._journalled or self.intent_path(key).exists():
            return True
        return self._journal is None and key in read_journal(self.journal_path)

    def intents(self) -> dict[str, Intent]:
        if not self.root.is_dir():
            return {}
        found = sorted(self.root.glob(f"*{INTENT_SUFFIX}"))
        journal = self._journalled if self._journal is not None else read_journal(self.journal_path)
        if not found and not journal:
            return {}  # the usual case: the journal is not even loaded
        from wpsync.state.journal import intent_from_json

        files = {
            path.name[: -len(INTENT_SUFFIX)]: intent_from_json(str(path), read_json(path)) for path in found
        }
        return dict(sorted((files | journal).items()))  # a journal line is newer than any file

    def read_applied(self, key: str) -> Applied | None:
        path = self.root / f"{key}{APPLIED_SUFFIX}"
        if not path.exists():
            return None
        return applied_from_json(str(path), read_json(path))

    def move(self, old: str, new: str) -> None:
        """A campaign file renamed: its record (and content) follow under the new key, nothing else
        changes — as one step. Two files cannot be replaced at once, so ``MOVE_FILE`` says first,
        durably, what is moving; the new record is written, then the old removed, then the note. A
        crash anywhere in between leaves a state that reads as either before or after the move (the
        old record hidden once the new one is there), and the next write finishes it: never two
        records for one campaign."""
        self.finish_move()
        record = self.read(old)
        if record is None:
            raise StateError(f"{old} is not in the state; nothing to move")
        if self.read(new) is not None:
            raise StateError(f"{new} is already in the state; `wpsync forget {new}` first")
        from dataclasses import replace

        note = {"old": old, "new": new, "campaign_id": record.campaign_id}
        atomic_write_json(self.root / MOVE_FILE, note)
        self.write(replace(record.bumped(), key=new), self.read_applied(old))
        self.make_durable(new)
        failpoints.hit("state.move.between")
        self.finish_move()

    def _move_note(self) -> dict[str, object] | None:
        path = self.root / MOVE_FILE
        if not path.exists():
            return None
        note = read_json(path)
        if not (
            isinstance(note, dict) and isinstance(note.get("old"), str) and isinstance(note.get("new"), str)
        ):
            raise StateError(f"{path}: a damaged note of a record being moved; restore it from git")
        return note

    def moved_away(self) -> str | None:
        """The key a move left behind: hidden once the record under its new key holds the campaign."""
        note = self._move_note()
        if (
            note is None
            or not self.path(str(note["new"])).exists()
            or not self.path(str(note["old"])).exists()
        ):
            return None
        moved = self._read_record(str(note["new"]))
        return str(note["old"]) if moved.campaign_id == note.get("campaign_id") else None

    def finish_move(self) -> None:
        """Finish a move a crash interrupted (or undo its note when the new record never arrived)."""
        note = self._move_note()
        if note is None:
            return
        old = self.moved_away()
        if old is not None:
            self._remove(old)
        (self.root / MOVE_FILE).unlink(missing_ok=True)
        fsync_dir(self.root)

    def forget(self, key: str) -> bool:
        if key == self.moved_away():
            self.finish_move()  # the half of an interrupted move it names is gone with it
            return True
        return self._remove(key)

    def _remove(self, key: str) -> bool:
        self.recover_journal()  # an intent of ``key`` in a killed run's journal goes with it too
        found = False
        for path in (self.path(key), self.root / f"{key}{APPLIED_SUFFIX}", self.intent_path(key)):
            if path.exists():
                path.unlink()
                found = True
        return found
