"""One running emulator: its store, its rate limiter, and the per-account test controls.

The controls (injected latency, queued faults, the request log) belong to the account named by the
hook call's API key, so tests using different keys on one emulator do not disturb each other. They are
never persisted: a fault or a log from a previous process would only confuse the next one.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any

from wpsync.emulator.ratelimit import Limiter
from wpsync.emulator.store import Store

FAULT_KINDS = ("500", "429", "drop_before_commit", "drop_after_commit", "stall_after_commit", "timeout")
DEFAULT_TIMEOUT_SECONDS = 10.0
REQUEST_LOG_SIZE = 10_000  # a long demo must not grow without bound


@dataclass
class Fault:
    kind: str
    count: int
    method: str | None = None
    path_prefix: str | None = None
    seconds: float = DEFAULT_TIMEOUT_SECONDS  # only for "timeout": how long to hold the answer

    def matches(self, method: str, path: str) -> bool:
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

    def controls_for(self, account: str) -> Controls:
        return self.controls.setdefault(account, Controls())

    def reset(self) -> None:
        self.store.reset()
        self.controls.clear()
        self.store.save()
