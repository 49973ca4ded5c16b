"""Files that hold either their old bytes or their new ones, never a mix, and survive a power cut.

Each write goes to a temp file in the same folder, is fsynced, and renamed over the old one; one fsync
of the folder then makes the renames durable. The previous version is kept under ``.backup/`` (a hard
link, so it costs no copy).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from wpsync.bounded import Unreadable, json_loads, read_regular
from wpsync.errors import StateError, state_write_error
from wpsync.limits import MAX_STATE_FILE

BACKUP_DIR = ".backup"


def read_json(path: Path) -> Any:
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
    import tempfile  # with shutil and the compressors it imports: only when writing (#23)

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
        fsync_dir(folder)


def check_backups(folder: Path) -> Path:
    """``folder``'s .backup/, refused unless it is a real folder (or not there yet): followed, a
    symbolic link would have wpsync write, and replace files, wherever it points."""
    backups = folder / BACKUP_DIR
    if backups.is_symlink() or (backups.exists() and not backups.is_dir()):
        raise StateError(
            f"{backups}: not a folder (a symbolic link, or a file); wpsync keeps the previous versions "
            f"of records only in a real folder there — remove it (`rm {backups}`) and run again; "
            "nothing was written"
        )
    return backups


def _keep_previous(path: Path) -> None:
    """Hard-link the current version to .backup/NAME before it is replaced: the rename that follows
    leaves the old inode there, so a bad write (or a bad hand edit) can always be rolled back."""
    if not path.exists():
        return
    backups = check_backups(path.parent)
    backups.mkdir(exist_ok=True)
    staged = backups / f".{path.name}.tmp"
    staged.unlink(missing_ok=True)
    try:
        os.link(path, staged)
    except OSError:
        return  # no hard links here (some network filesystems): skip the backup, not the write
    staged.replace(backups / path.name)


def fsync_dir(directory: Path) -> None:
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
