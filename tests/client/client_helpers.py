"""Shared by the client tests (conftest modules are not for importing)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from wpsync.woodpecker.client import RetryPolicy, WoodpeckerClient

KEY = "wpk-test-key-0001"
FAST = RetryPolicy(max_attempts=6, base_delay=0.5, max_delay=8.0, max_elapsed=1000.0)

Reply = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


def reply(status: int, body: Any = None, *, text: str | None = None, **headers: str) -> httpx.Response:
    if text is not None:
        return httpx.Response(status, text=text, headers=headers)
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


@dataclass
class Script:
    """Answers requests in order from ``replies``; the last one repeats. Records every request."""

    replies: list[Reply]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        answer = self.replies[min(len(self.requests), len(self.replies)) - 1]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer):
            return answer(request)
        return answer

    def body(self, i: int = -1) -> Any:
        return json.loads(self.requests[i].content)


@dataclass
class FakeTime:
    """A clock that only moves when the client sleeps, and a record of the sleeps."""

    now: float = 0.0
    sleeps: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    def clock(self) -> float:
        return self.now


MakeClient = Callable[..., tuple[WoodpeckerClient, Script, FakeTime]]


def connect_error() -> httpx.ConnectError:
    return httpx.ConnectError("[Errno 111] Connection refused")
