"""What several commands share: where the files are, and how to reach Woodpecker."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from wpsync.errors import API_KEY_ENV, InputError
from wpsync.state.store import StateDir

if TYPE_CHECKING:
    from wpsync.woodpecker.client import WoodpeckerClient


TIMEOUT_ENV = "WPSYNC_HTTP_TIMEOUT"  # seconds per request; the default outlasts Woodpecker's 15 s queue


@dataclass(frozen=True)
class Workspace:
    campaigns: Path
    state: StateDir


def workspace(campaigns: Path, state: Path) -> Workspace:
    return Workspace(campaigns, StateDir(state))


def api_key(key_file: Path | None) -> str | None:
    """The API key from --api-key-file or WOODPECKER_API_KEY; never from a flag in the process list."""
    if key_file is not None:
        try:
            key = key_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InputError(f"{key_file}: cannot read the API key file: {exc.strerror}") from None
        if not key:
            raise InputError(f"{key_file}: the API key file is empty")
        return key
    return os.environ.get(API_KEY_ENV, "").strip() or None


def client_for(key: str) -> WoodpeckerClient:
    """A client for ``key`` against WOODPECKER_API_URL (default: Woodpecker's own)."""
    from wpsync.woodpecker.client import DEFAULT_BASE_URL, WoodpeckerClient
    from wpsync.woodpecker.errors import API_URL_ENV

    timeout = os.environ.get(TIMEOUT_ENV)
    if timeout is None:
        return WoodpeckerClient(key, os.environ.get(API_URL_ENV) or DEFAULT_BASE_URL)
    try:
        seconds = float(timeout)
    except ValueError:
        raise InputError(f"{TIMEOUT_ENV} must be a number of seconds, not {timeout!r}") from None
    return WoodpeckerClient(key, os.environ.get(API_URL_ENV) or DEFAULT_BASE_URL, timeout=seconds)
