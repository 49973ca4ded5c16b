"""One running emulator: its store, its rate limiter, and the per-account test controls.

The controls (injected latency, queued faults, the request log, the form of an empty v1 list) belong to
the account named by the hook call's API key, so tests using different keys on one emulator do not
disturb each other. They are never persisted: a fault or a log from a previous process would only
confuse the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from wpsync.emulator.ratelimit import Limiter
from wpsync.emulator.store import Store

FAULT_KINDS = (
    "500",
    "429",
    "drop_before_commit",
    "drop_after_commit",
    "stall_after_commit",
    "timeout",
    "v1_too_many_requests",
    "v1_session",
    "v1_too_many_requests_400",
    "v1_session_400",
    "no_api_addon",
    "403",
    "404",
    "409",
)
# v1 errors arrive inside an HTTP 200 (api-notes "v1 quirks") or, per the help centre, inside an HTTP
# 400 (api-notes "Newer evidence"); these kinds only ever match /rest/v1/. Kind → (code, msg, status).
_TOO_MANY = ("E_TOO_MANY_REQUESTS", "Too many requests, please slow down")
_SESSION = ("E_SESSION", "Invalid session, please log in again")
V1_FAULTS = {
    "v1_too_many_requests": (*_TOO_MANY, 200),
    "v1_session": (*_SESSION, 200),
    "v1_too_many_requests_400": (*_TOO_MANY, 400),
    "v1_session_400": (*_SESSION, 400),
}
# Refusals answered at once, nothing done (gate.refusal): the account has no API add-on (a 401 with a
# title/detail body [client, newer]), and a plain 403 / 404 / 409 — e.g. run's listed 403 and 409.
REFUSAL_FAULTS = ("no_api_addon", "403", "404", "409")
V1_PREFIX = "/rest/v1/"
DEFAULT_TIMEOUT_SECONDS = 10.0
# Bounds on hook parameters, so that no fault or latency can wedge an account for long: a test that
# needs more is wrong, and a typo (seconds=3600) must fail loudly instead of hanging a key.
MAX_FAULT_SECONDS = 60.0
MAX_FAULT_COUNT = 10_000
MAX_LATENCY_SECONDS = 60.0
REQUEST_LOG_SIZE = 10_000  # a long demo must not grow without bound
EMPTY_LIST_FORMS = ("message", "no_content")  # what GET /v1/campaign_list answers when nothing matches


@dataclass
class Fault:
    kind: str
    count: int
    method: str | None = None
    path_prefix: str | None = None
    seconds: float = DEFAULT_TIMEOUT_SECONDS  # for "timeout" and "stall_after_commit": how long to hold

    def matches(self, method: str, path: str) -> bool:
        if self.kind in V1_FAULTS and not path.startswith(V1_PREFIX):
            return False
        return (self.method is None or self.method == method) and (
            self.path_prefix is None or path.startswith(self.path_prefix)
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "count": self.count,
            "method": self.method,
            "path_prefix": self.path_prefix,
            "seconds": self.seconds,
        }


@dataclass
class Controls:
    latency: float = 0.0
    faults: list[Fault] = field(default_factory=list)
    requests: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=REQUEST_LOG_SIZE))
    empty_list: str = "message"
    prospects_total: str = "header"  # "no_header": GET /v1/prospects leaves out X-Total-Count
    linkedin_append: bool = True  # False: add-step refuses LINKEDIN steps, as the older spec page says

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first armed fault matching this request, with one use consumed."""
        for fault in self.faults:
            if fault.matches(method, path):
                fault.count -= 1
                if fault.count <= 0:
                    self.faults.remove(fault)
                return fault
        return None


@dataclass
class Emulator:
    store: Store
    limiter: Limiter
    controls: dict[str, Controls] = field(default_factory=dict)
    default_latency: float = 0.0  # `wpsync emulator --latency-ms`: every account starts with it
    _reset: asyncio.Event | None = None

    def controls_for(self, account: str) -> Controls:
        return self.controls.setdefault(account, Controls(latency=self.default_latency))

    async def pause(self, seconds: float) -> None:
        """Sleep, but wake at once when the emulator is reset: no delay outlives ``/_emulator/reset``."""
        if seconds <= 0:
            return
        if self._reset is None:
            self._reset = asyncio.Event()
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._reset.wait()

    def reset(self) -> None:
        self.store.reset()
        self.controls.clear()
        self.limiter.reset()
        if self._reset is not None:
            self._reset.set()  # wakes every pending latency, timeout and stall
            self._reset = None
        self.store.save()
