"""Campaign files as bytes: where they are, what their keys are, and a digest of each.

Reading is kept apart from parsing (loading.py) and imports nothing heavy, so a plan that finds every
file unchanged — by the digest of its bytes against the state — never loads the parser or the models.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from wpsync.bounded import Unreadable, read_regular
from wpsync.errors import InputError, Problem
from wpsync.limits import MAX_CAMPAIGN_FILE

KEY_PATTERN = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}\Z")
KEY_RULE = (
    "a campaign key (the file name without .toml) is 1–64 of a-z, 0-9, '-' and '_', "
    "starting with a letter or digit"
)

# The state folder holds KEY.json beside wpsync's own files: wpsync-state.json, KEY.applied.json,
# KEY.intent.json, .lock, .backup/ (wpsync.state.store and .lock; a test keeps the two lists in step).
# A campaign key must never name one of them.
RESERVED_KEYS = ("wpsync-state",)
RESERVED_SUFFIXES = (".applied", ".intent", ".backup", ".lock", ".json", ".tmp")


def key_problem(key: str) -> str | None:
    """None, or why ``key`` cannot be a campaign key, with a new name to suggest."""
    if key in RESERVED_KEYS or key.lower().endswith(RESERVED_SUFFIXES) or key.startswith("."):
        better = re.sub(r"[^a-z0-9_-]+", "-", key.lower()).strip("-_") or "campaign"
        better = f"{better}-campaign" if better in RESERVED_KEYS else better
        return (
            f'"{key}" is reserved: it would name one of wpsync\'s own files in the state folder;'
            f" rename the file, e.g. to {better}.toml"
        )
    if not KEY_PATTERN.match(key):
        return f'"{key}" is not a valid campaign key: {KEY_RULE}; rename the file'
    return None


@dataclass(frozen=True)
class Source:
    """One campaign file's bytes, before any parsing."""

    key: str
    path: Path
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def display(self) -> str:
        return str(self.path)


def campaign_paths(directory: Path) -> list[Path]:
    return [directory / name for name in campaign_names(directory)]


def campaign_names(directory: Path) -> list[str]:
    """The names of the campaign files in ``directory``, sorted: every ``*.toml`` entry, as
    ``directory.glob("*.toml")`` lists them (hidden ones too), without a Path object for each (at
    10,000 files pathlib's sorting alone cost a no-change plan 0.1 s)."""
    try:
        with os.scandir(directory) as entries:
            return sorted(entry.name for entry in entries if entry.name.endswith(".toml"))
    except (FileNotFoundError, NotADirectoryError):
        raise InputError(
            f"{directory}: no such directory; pass the folder of campaign files (default: campaigns/)"
        ) from None
    except OSError:
        return []  # as glob() answers for a folder it may not list


def skipped_entries(directory: Path, accounts: Collection[str] = ()) -> list[str]:
    """What ``campaign_paths`` leaves out of ``directory`` that looks meant for it, each as one line
    naming the path and why: files ending in .TOML (any case but lowercase) and subfolders. Hidden
    entries (.git, editor files) are left out silently. The one place that decides what is skipped:
    account folders (campaigns/NAME/ declared in wpsync.toml) will be read from here on."""
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError:
        return []
    skipped: list[str] = []
    for entry in entries:
        if entry.name.startswith(".") or (entry.name.endswith(".toml") and not entry.is_dir()):
            continue  # hidden, or a campaign file: the common case, decided without a Path
        path = directory / entry.name
        if entry.is_dir() and entry.name in accounts:
            continue  # an account's folder: read as its own campaigns folder
        if entry.is_dir():
            skipped.append(
                f"{path}: skipped: a subfolder (subfolders are read only when declared as accounts in"
                " wpsync.toml)"
            )
        elif entry.name.lower().endswith(".toml") and not entry.name.endswith(".toml"):
            skipped.append(
                f"{path}: skipped: campaign files end in lowercase .toml; rename it to"
                f" {entry.name[: -len('.toml')]}.toml"
            )
    return skipped


def read_source(path: Path) -> Source:
    try:
        data = read_regular(path, MAX_CAMPAIGN_FILE, "a campaign file")
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", "cannot read: no such file")]) from None
    except Unreadable as exc:
        raise InputError([Problem(str(path), "", exc.reason)]) from None
    return Source(key=path.stem, path=path, data=data)
