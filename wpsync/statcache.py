"""What wpsync learnt from a file, remembered by the file's stat, outside git: the way git's index works.

A no-change plan of a fleet must not read every campaign file and every state record again: that cost
grows with the copy, not with the change. So the digest of a campaign file (and the few facts of a state
record that a plan of unchanged campaigns needs) are kept here, keyed by what ``stat`` says of the file:
device, inode, size, mode, mtime and ctime (to the nanosecond). Any of them different, and the file is
read and hashed again. ctime cannot be set back by a program (``touch -d``, ``tar``, ``rsync -t`` set
mtime only), and a file replaced by a rename has another inode.

When unsure, read again:

- *Racy files* (git's "racy clean" problem): a file changed twice within one tick of the filesystem's
  clock keeps its stat. So an entry is stored only for a file whose mtime and ctime are at least
  ``TICK_NS`` older than the moment this run started, before it stat'ed anything; a file changed after
  that gets a later time, so a stat that still matches is the content that was read. A file written
  within the tick is read again next time (and remembered once it is old enough).
- *Another machine*, another user, another wpsync version or cache format: the whole cache is ignored
  (its header names them); so is a cache file another user could have written.
- Anything unreadable or malformed: ignored, and rewritten. A cache never fails a run.

Where: ``$WPSYNC_CACHE_DIR``, else ``$XDG_CACHE_HOME/wpsync``, else ``~/.cache/wpsync`` — never in the
repository, so nothing here is ever committed, reviewed or shared (a pull request cannot plant entries:
CI starts without a cache). ``WPSYNC_CACHE_DIR=off`` turns it off. One file per workspace, named by a
hash of the folders' real paths; written atomically, only when something changed, without fsync (a
cache lost in a power cut is only rebuilt). marshal keeps it fast to read; it holds plain values only
and is checked value by value, never executed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import time
from pathlib import Path
from typing import Any

CACHE_ENV = "WPSYNC_CACHE_DIR"
FORMAT = 1
MAGIC = b"wpsync stat cache\n"
TICK_NS = 2_000_000_000  # FAT's mtime has 2 s steps; coarse kernel clocks step by milliseconds

StatKey = tuple[int, int, int, int, int, int]


def stat_key(info: os.stat_result) -> StatKey:
    return (info.st_dev, info.st_ino, info.st_size, info.st_mode, info.st_mtime_ns, info.st_ctime_ns)


def cache_dir() -> Path | None:
    explicit = os.environ.get(CACHE_ENV)
    if explicit is not None:
        return None if explicit.strip().lower() in ("", "off", "0", "none") else Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path("~/.cache").expanduser()) / "wpsync"


def _machine() -> str:
    """This machine and user: a cache copied with a home folder, or shared over NFS, is not trusted."""
    try:
        with Path("/etc/machine-id").open("rb") as handle:
            machine_id = handle.read(64).strip().decode("ascii", "replace")
    except OSError:
        machine_id = ""
    return f"{os.uname().nodename}/{machine_id}/{os.getuid()}"


class StatCache:
    """One workspace's entries: a name (the file's path) → (its stat, a value)."""

    def __init__(self, scope: str, version: str) -> None:
        self.started_ns = time.time_ns()  # before any stat of this run: see "racy files" above
        self._header = (FORMAT, version, _machine(), scope)
        folder = cache_dir()
        name = hashlib.sha256(scope.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        self.path = folder / f"{name}.cache" if folder is not None else None
        self._old: dict[str, tuple[StatKey, Any]] = self._load()
        self._new: dict[str, tuple[StatKey, Any]] = {}
        self._changed = False

    def _load(self) -> dict[str, tuple[StatKey, Any]]:
        if self.path is None:
            return {}
        try:
            with self.path.open("rb") as handle:
                info = os.fstat(handle.fileno())
                if info.st_uid != os.getuid() or info.st_mode & 0o022:
                    return {}  # someone else could have written it
                data = handle.read()
            if not data.startswith(MAGIC):
                return {}
            header, entries = marshal.loads(data[len(MAGIC) :])
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        if header != self._header or type(entries) is not dict:
            return {}
        return entries

    def get(self, name: str, key: StatKey) -> Any:
        """The value remembered for ``name`` if its stat is still ``key``; else None."""
        entry = self._old.get(name)
        if entry is None or type(entry) is not tuple or len(entry) != 2 or entry[0] != key:
            return None
        self._new[name] = entry
        return entry[1]

    def put(self, name: str, key: StatKey, value: Any) -> None:
        """Remember ``value`` (plain values only) for ``name`` at stat ``key``, unless the file changed
        too recently to be told apart from a later change by its stat."""
        recent = self.started_ns - TICK_NS
        if key[4] < recent and key[5] < recent:
            self._new[name] = (key, value)
            self._changed = True

    def save(self, *, whole: bool = True) -> None:
        """Write the entries used or learnt in this run, if any changed. ``whole``: this run looked at
        every file of the workspace, so the entries it did not use (deleted files) drop out; otherwise
        (``--target``) they are kept."""
        if not whole:
            self._new = self._old | self._new
        if self.path is None or not (self._changed or self._new.keys() != self._old.keys()):
            return
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + marshal.dumps((self._header, self._new)))
            temporary.replace(self.path)
        except (OSError, ValueError):
            return  # a read-only or full disk: the next run reads the files again, nothing worse
