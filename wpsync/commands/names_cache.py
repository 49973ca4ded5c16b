"""A cached copy of the account's mailbox addresses and LinkedIn names, for plans that read none.

`wpsync accounts --save-names` writes ``.wpsync-names.json`` in the campaigns folder (each account's
own folder with ``[accounts]``), with the date it was read; commit it, and a plan made offline (a
pull request from a fork, whose workflow has no key) still shows `alex@acme.com` instead of `300001`,
saying the names are a cached copy of that date. A plan never writes it: only an explicit command does,
so a plan leaves the working tree as it found it. A hidden file, so campaign folders skip it silently.
A damaged or foreign file is ignored (the plan then shows ids, as without it).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wpsync.plan.facts import Names
from wpsync.state.atomic import atomic_write_json

FILE_NAME = ".wpsync-names.json"
FORMAT = 1
MAX_BYTES = 4 * 1024 * 1024


def path(campaigns: Path) -> Path:
    return campaigns / FILE_NAME


def save(campaigns: Path, mailboxes: Mapping[int, str], linkedin: Mapping[int, str], read_at: str) -> Path:
    target = path(campaigns)
    atomic_write_json(
        target,
        {
            "format_version": FORMAT,
            "read_at": read_at,
            "mailboxes": {str(k): v for k, v in sorted(mailboxes.items())},
            "linkedin": {str(k): v for k, v in sorted(linkedin.items())},
        },
    )
    return target


def load(campaigns: Path) -> Names | None:
    """The cached names with their date, or None when there is no usable cache."""
    target = path(campaigns)
    try:
        if not target.is_file() or target.stat().st_size > MAX_BYTES:
            return None
        data: Any = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format_version") != FORMAT:
        return None
    try:
        return Names(
            mailboxes={int(k): str(v) for k, v in dict(data.get("mailboxes") or {}).items()},
            linkedin={int(k): str(v) for k, v in dict(data.get("linkedin") or {}).items()},
            read_at=str(data.get("read_at") or "an unknown date"),
        )
    except (TypeError, ValueError):
        return None
