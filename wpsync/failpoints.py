"""Failpoints: named places where a test can make wpsync die on purpose, as a crash would.

``WPSYNC_FAILPOINTS="apply.before_call=3"`` kills the process with SIGKILL the 3rd time it reaches
``hit("apply.before_call")``. Unset (always, outside tests), ``hit`` is one dictionary lookup. This is
how the crash-safety tests stop an apply at every API-call boundary without timing races.
"""

from __future__ import annotations

import os
import signal

_ENV = "WPSYNC_FAILPOINTS"
_counts: dict[str, int] = {}


def _armed() -> dict[str, int]:
    spec = os.environ.get(_ENV, "")
    armed: dict[str, int] = {}
    for part in spec.split(","):
        name, _, nth = part.strip().partition("=")
        if name:
            armed[name] = int(nth or "1")
    return armed


def hit(name: str) -> None:
    if _ENV not in os.environ:
        return
    nth = _armed().get(name)
    if nth is None:
        return
    _counts[name] = _counts.get(name, 0) + 1
    if _counts[name] == nth:
        os.kill(os.getpid(), signal.SIGKILL)


def armed(name: str) -> bool:
    """Whether a test armed ``name`` (for a failpoint that must first set the scene, e.g. half a write)."""
    return _ENV in os.environ and name in _armed()
