"""The recorded state: what wpsync created in Woodpecker, one small JSON file per campaign.

    state/
      wpsync-state.json     {"format": 1, "lineage": "…"}   written once, by the first apply
      KEY.json              one campaign's record (CampaignRecord)

One file per campaign so two pull requests touching different campaigns never conflict, and recording
one API call rewrites one small file, not the fleet's state. Files are plain JSON with sorted keys and
a trailing newline, written atomically (temp file, fsync, rename), so a reader never sees half a file.

A record holds identity and facts, not copy: the ids of the campaign, its steps (START included) and
versions, a content hash per step, and the digest of the source file last applied. The content last
applied is kept beside it in ``KEY.applied.json``, read only when a change must be explained; so a
plan over unchanged campaigns never reads any campaign's copy.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wpsync.bounded import Unreadable, json_loads, read_regular
from wpsync.errors import StateError, state_write_error
from wpsync.limits import MAX_STATE_FILE

FORMAT = 1
META_FILE = "wpsync-state.json"
APPLIED_SUFFIX = ".applied.json"
INTENT_SUFFIX = ".intent.json"
BACKUP_DIR = ".backup"


@dataclass(frozen=True)
class StepRecord:
    id: str
    type: str  # START, EMAIL or LINKEDIN
    hash: str = ""  # canonical content hash; empty for START
    version_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class CampaignRecord:
    key: str
    lineage: str
    serial: int
    campaign_id: int
    status: str
    head_hash: str  # name, mailboxes and settings
    steps: tuple[StepRecord, ...]  # START first
    source_digest: str = ""  # the file's bytes as last fully applied; "" while anything is unfinished
    tool_version: str = ""
    last_step_processed: int = 0  # facts as of the last time apply or import read Woodpecker:
    refreshed_at: str = ""  # when that was (UTC); an --offline plan judges appends by them

    @property
    def content_steps(self) -> tuple[StepRecord, ...]:
        return self.steps[1:]

    @property
    def last_step_id(self) -> str:
        return self.steps[-1].id

    def bumped(self, **changes: Any) -> CampaignRecord:
        return replace(self, serial=self.serial + 1, **changes)


@dataclass(frozen=True)
class Applied:
    """The canonical content last applied: head (name, mailboxes, settings) and one dict per step."""

    head: dict[str, Any]
    steps: tuple[dict[str, Any], ...]


_RECORD_FIELDS = (
    "key",
    "lineage",
    "serial",
    "campaign_id",
    "status",
    "head_hash",
    "source_digest",
    "tool_version",
    "last_step_processed",
    "refreshed_at",
)


@dataclass
class StateDir:
    """The state folder. All reads and writes of state go through here."""

    root: Path
    _lineage: str | None = field(default=None, repr=False)
    # During an apply, records are written without fsync and intents are cleared only at the end,
    # after one sync: an intent is the durable anchor of its call until then (see ``batch``).
    _unsynced: set[str] | None = field(default=None, repr=False)
    _clear_later: set[str] = field(default_factory=set, repr=False)

    # ---- lineage ---------------------------------------------------------------------------------
    def lineage(self, *, create: bool = False) -> str | None:
        if self._lineage is not None:
            return self._lineage
        meta_path = self.root / META_FILE
        if meta_path.exists():
            meta = _read_json(meta_path)
            if not isinstance(meta, dict) or not isinstance(meta.get("lineage"), str):
                raise StateError(f"{meta_path}: not a wpsync state file (no lineage); restore it from git")
            _check_format(meta_path, meta.get("format"))
            self._lineage = meta["lineage"]
        elif create:
            self._lineage = str(uuid.uuid4())
            atomic_write_json(meta_path, {"format": FORMAT, "lineage": self._lineage})
        return self._lineage

    # ---- records ---------------------------------------------------------------------------------
    def path(self, key: str) -> Path:
        return self.root / f"{key}.json"

    def keys(self) -> list[str]:
        if not self.root.is_dir():
            return []
        return sorted(
            p.name[: -len(".json")]
            for p in self.root.glob("*.json")
            if p.name != META_FILE and not p.name.endswith((APPLIED_SUFFIX, INTENT_SUFFIX))
        )

    def read(self, key: str) -> CampaignRecord | None:
        path = self.path(key)
        if not path.exists():
            return None
        return record_from_json(path, _read_json(path), self.lineage())

    def read_all(self) -> dict[str, CampaignRecord]:
        return {key: record for key in self.keys() if (record := self.read(key)) is not None}

    def write(self, record: CampaignRecord, applied: Applied | None = None) -> None:
        """Write one record (and, when given, the content it now holds), each atomically, keeping the
        previous version of each under .backup/ (a hard link: no copy, so it costs nothing per call)."""
        files = [(self.path(record.key), dumps(record_to_json(record)))]
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
        self._unsynced = set()
        try:
            yield
        finally:
            os.sync()
            for key in sorted(self._clear_later):
                self.intent_path(key).unlink(missing_ok=True)
            _fsync_dir(self.root)
            self._unsynced, self._clear_later = None, set()

    def _make_durable(self, key: str) -> None:
        for path in (self.path(key), self.root / f"{key}{APPLIED_SUFFIX}"):
            if path.exists():
                with path.open("rb") as handle:
                    os.fsync(handle.fileno())
        _fsync_dir(self.root)

    # ---- intents: a mutating call that may have happened ------------------------------------------
    def intent_path(self, key: str) -> Path:
        return self.root / f"{key}{INTENT_SUFFIX}"

    def write_intent(self, key: str, intent: dict[str, Any]) -> None:
        if self._unsynced is not None and key in self._unsynced:
            # This replaces the intent that anchors the key's previous, not yet synced, outcome.
            self._make_durable(key)
            self._unsynced.discard(key)
        self._clear_later.discard(key)
        atomic_write_json(self.intent_path(key), intent)

    def clear_intent(self, key: str) -> None:
        if self._unsynced is not None:
            self._clear_later.add(key)
        else:
            self.intent_path(key).unlink(missing_ok=True)

    def intents(self) -> dict[str, dict[str, Any]]:
        if not self.root.is_dir():
            return {}
        found: dict[str, dict[str, Any]] = {}
        for path in sorted(self.root.glob(f"*{INTENT_SUFFIX}")):
            data = _read_json(path)
            if not isinstance(data, dict) or not isinstance(data.get("action"), str):
                raise StateError(f"{path}: not a wpsync intent file; restore it from git")
            found[path.name[: -len(INTENT_SUFFIX)]] = data
        return found

    def read_applied(self, key: str) -> Applied | None:
        path = self.root / f"{key}{APPLIED_SUFFIX}"
        if not path.exists():
            return None
        data = _read_json(path)
        try:
            return Applied(head=dict(data["head"]), steps=tuple(dict(s) for s in data["steps"]))
        except (KeyError, TypeError, ValueError):
            raise StateError(f"{path}: not a wpsync applied-content file; restore it from git") from None

    def forget(self, key: str) -> bool:
        found = False
        for path in (self.path(key), self.root / f"{key}{APPLIED_SUFFIX}", self.intent_path(key)):
            if path.exists():
                path.unlink()
                found = True
        return found


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def record_to_json(record: CampaignRecord) -> dict[str, Any]:
    # Built by hand: dataclasses.asdict deep-copies every value, which showed up in apply's profile.
    data = {name: getattr(record, name) for name in _RECORD_FIELDS}
    data["format"] = FORMAT
    data["steps"] = [
        {"hash": s.hash, "id": s.id, "type": s.type, "version_ids": list(s.version_ids)} for s in record.steps
    ]
    return data


def applied_bytes(applied: Applied) -> bytes:
    """The content last applied, one line per step: diffable by step, and encoded by json's C encoder
    (an indented dump falls back to the pure-Python one, which dominated apply's own time)."""

    def line(value: Any) -> str:
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(", ", ": "))

    steps = ",\n".join(f"    {line(step)}" for step in applied.steps)
    return f'{{\n  "head": {line(applied.head)},\n  "steps": [\n{steps}\n  ]\n}}\n'.encode()


def record_from_json(path: Path, data: Any, lineage: str | None) -> CampaignRecord:
    if not isinstance(data, dict):
        raise StateError(f"{path}: expected a JSON object; restore the file from git")
    _check_format(path, data.get("format"))
    try:
        steps = tuple(_step_record(s) for s in _typed(data, "steps", list))
        record = CampaignRecord(
            key=_typed(data, "key", str),
            lineage=_typed(data, "lineage", str),
            serial=_typed(data, "serial", int),
            campaign_id=_typed(data, "campaign_id", int),
            status=_typed(data, "status", str),
            head_hash=_typed(data, "head_hash", str),
            steps=steps,
            source_digest=_typed(data, "source_digest", str),
            tool_version=_typed(data, "tool_version", str),
            last_step_processed=_typed(data, "last_step_processed", int),
            refreshed_at=_typed(data, "refreshed_at", str),
        )
    except _FieldProblem as problem:
        raise StateError(
            f"{path}: {problem}; restore the file from git, or `wpsync forget` the key"
        ) from None
    if not steps or steps[0].type != "START":
        raise StateError(f"{path}: steps must start with the START step; restore the file from git")
    if record.key != path.name[: -len(".json")]:
        raise StateError(f"{path}: records key {record.key!r} but is named for another; rename it back")
    if lineage is not None and record.lineage != lineage:
        raise StateError(
            f"{path}: belongs to another state (lineage {record.lineage}, this state is {lineage}); "
            "it was copied from elsewhere — remove it, or import the campaign with `wpsync import`"
        )
    return record


class _FieldProblem(Exception):
    pass


def _step_record(raw: Any) -> StepRecord:
    # The hot loop of reading a fleet's state (16 of these per campaign): exact type checks on the
    # common path, and the generic, explaining check only when something is off.
    if type(raw) is dict:
        step_id, kind, digest, versions = (
            raw.get("id"),
            raw.get("type"),
            raw.get("hash"),
            raw.get("version_ids"),
        )
        if type(step_id) is str and type(kind) is str and type(digest) is str and type(versions) is list:
            return StepRecord(step_id, kind, digest, tuple(versions))
    return StepRecord(
        id=_typed(raw, "id", str),
        type=_typed(raw, "type", str),
        hash=_typed(raw, "hash", str),
        version_ids=tuple(_typed(raw, "version_ids", list)),
    )


def _typed(data: Any, name: str, kind: type) -> Any:
    if not isinstance(data, dict) or name not in data:
        raise _FieldProblem(f"missing field {name!r}")
    value = data[name]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _FieldProblem(f"field {name!r} should be {kind.__name__}, not {type(value).__name__}")
    return value


def _check_format(path: Path, found: Any) -> None:
    if found == FORMAT:
        return
    if isinstance(found, int) and found > FORMAT:
        raise StateError(f"{path}: written by a newer wpsync (state format {found}); upgrade wpsync")
    raise StateError(f"{path}: unknown state format {found!r}; restore the file from git")


def _read_json(path: Path) -> Any:
    try:
        return json_loads(read_regular(path, MAX_STATE_FILE, "a state file"), "the state file")
    except FileNotFoundError:
        raise StateError(f"{path}: cannot read: no such file") from None
    except Unreadable as exc:
        raise StateError(f"{path}: {exc.reason}") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise StateError(
            f"{path}: not valid JSON ({exc}); it may be truncated or hand-edited — restore it from git "
            "(or from state/.backup/)"
        ) from None


def dumps(data: Any) -> bytes:
    """Stable, diff-friendly JSON: sorted keys, two-space indent, trailing newline."""
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def atomic_write_json(path: Path, data: Any, *, backup: bool = False) -> None:
    """Write ``path`` so that it holds either the old bytes or the new ones, never a mix."""
    atomic_write_files([(path, dumps(data))], backup=backup)


def atomic_write_files(
    files: list[tuple[Path, bytes]], *, backup: bool = False, durable: bool = True
) -> None:
    """Write each file atomically (temp file, fsync, rename), then make the renames durable with one
    fsync of their folder. All files must share a folder; each holds its old bytes or its new ones.
    ``durable=False`` skips the fsyncs (still atomic): for writes a later sync covers."""
    folder = files[0][0].parent
    staged: list[tuple[Path, Path]] = []
    target = folder  # what an OSError (a full disk, a read-only one) is reported against
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for path, data in files:
            target = path
            fd, name = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
            staged.append((Path(name), path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
        for temporary, path in staged:
            target = path
            if backup:
                _keep_previous(path)
            temporary.replace(path)
    except BaseException as exc:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise state_write_error(target, exc) from None
        raise
    if durable:
        _fsync_dir(folder)


def _keep_previous(path: Path) -> None:
    """Hard-link the current version to .backup/NAME before it is replaced: the rename that follows
    leaves the old inode there, so a bad write (or a bad hand edit) can always be rolled back."""
    if not path.exists():
        return
    backups = path.parent / BACKUP_DIR
    backups.mkdir(exist_ok=True)
    staged = backups / f".{path.name}.tmp"
    staged.unlink(missing_ok=True)
    try:
        os.link(path, staged)
    except OSError:
        return  # no hard links here (some network filesystems): skip the backup, not the write
    staged.replace(backups / path.name)


def _fsync_dir(directory: Path) -> None:
    # The rename is durable only once the directory entry is; not every platform lets us open a dir.
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
