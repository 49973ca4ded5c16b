"""Ids that go into URL paths: only what Woodpecker could have assigned, so no value from the state
or a file can change which path a request goes to."""

from __future__ import annotations

from wpsync.errors import InputError


def id_in_path(value: str) -> str:
    """A server-assigned id in a path: ids come from Woodpecker's answers, so refuse anything odd
    rather than let it change the path."""
    if not value or not all(c.isascii() and (c.isalnum() or c in "-_") for c in value):
        raise InputError(f"an id {value!r} from the state is not a Woodpecker id; restore the state from git")
    return value


def campaign_id_in_path(value: int) -> int:
    # Ids go into URL paths: only a real positive int may, never a string that could add a path.
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise TypeError(f"campaign id must be a positive int, not {value!r}")
    return value
