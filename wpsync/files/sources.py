"""Campaign files as bytes: where they are, what their keys are, and a digest of each.

Reading is kept apart from parsing (loading.py) and imports nothing heavy, so a plan that finds every
file unchanged — by the digest of its bytes against the state — never loads the parser or the models.
"""

from __future__ import annotations

import hashlib
import re
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
    if not directory.is_dir():
        raise InputError(
            f"{directory}: no such directory; pass the folder of campaign files (default: campaigns/)"
        )
    return sorted(directory.glob("*.toml"))


def read_source(path: Path) -> Source:
    try:
        data = read_regular(path, MAX_CAMPAIGN_FILE, "a campaign file")
    except FileNotFoundError:
        raise InputError([Problem(str(path), "", "no such file")]) from None
    except Unreadable as exc:
        raise InputError([Problem(str(path), "", exc.reason)]) from None
    return Source(key=path.stem, path=path, data=data)
