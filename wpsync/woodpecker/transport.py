"""One request at a time per API key, retried with capped, fully jittered exponential back-off.

Woodpecker serves one request at a time per account, queues 6 more for at most 15 s and answers 429 to
the rest, with no Retry-After. So, within this process, every request made with a key holds that key's
lock (``key_lock``) for exactly one attempt — sending and reading the answer — and releases it while
backing off, so other threads on the key go ahead. Across processes only the 429 back-off helps.

Each attempt is bounded as a whole, not per read: a deadline covers connecting, sending and every read
(``request_deadline``; a server trickling a byte a second cannot outlast it), and the answer is read as
a stream and dropped past ``MAX_ANSWER`` bytes (after decompression). The deadline is enforced inside
httpcore by a network backend that gives each socket operation only the time left (``DeadlineBackend``),
and checked again between the chunks of the answer.

The registry of locks is keyed by a SHA-256 of the key: the key itself is never a visible value here.
The key reaches the wire only through ``ApiKeyAuth``, so it is not in the httpx client's default
headers, URLs or any repr; it is in the request's headers only while that request is sent.
"""

from __future__ import annotations

import hashlib
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import httpx

from wpsync.limits import DEFAULT_REQUEST_DEADLINE, MAX_ANSWER
from wpsync.woodpecker.deadline import (
    AnswerTooLarge,
    DeadlineExceeded,
    read_bounded,
    received_bytes,
    request_deadline,
)
from wpsync.woodpecker.errors import (
    answer_too_large,
    api_error,
    deadline_passed,
    parse_error_body,
    unreachable,
)
from wpsync.woodpecker.v1 import v1_error_in_body

API_KEY_HEADER = "x-api-key"
COMPANY_HEADER = "x-company-id"  # an agency's HQ key acting for one client company (not a secret)
log = logging.getLogger("wpsync.client")


def fingerprint(api_key: str) -> str:
    """A short, non-reversible name for a key: safe in reprs and logs, tells two accounts apart."""
    return hashlib.sha256(api_key.encode()).hexdigest()[:12]


class _KeyLocks:
    """Locks by SHA-256 of the key, so the registry holds no key."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}

    def get(self, api_key: str) -> threading.Lock:
        digest = hashlib.sha256(api_key.encode()).hexdigest()
        with self._guard:
            return self._locks.setdefault(digest, threading.Lock())


_key_locks = _KeyLocks()
# A fork copies locks in whatever state they are, but not the threads holding them: a child would wait
# forever on a key another thread was using. So a forked child starts with fresh locks.
os.register_at_fork(after_in_child=_key_locks.reset)


def key_lock(api_key: str) -> threading.Lock:
    """The process-wide lock of one API key, shared by every client using that key."""
    return _key_locks.get(api_key)


def _mark_header_sensitive() -> None:
    # Defence in depth: httpx masks these headers as "[secure]" in Headers' repr, so a request
    # printed in a debugger or by someone's logging hook shows no key. Private httpx detail, so guarded.
    sensitive = getattr(getattr(httpx, "_models", None), "SENSITIVE_HEADERS", None)
    if isinstance(sensitive, set):
        sensitive.add(API_KEY_HEADER)


_mark_header_sensitive()


class Secret:
    """Holds the key; prints as [redacted] however it is formatted."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret([redacted])"

    __str__ = __repr__


class ApiKeyAuth(httpx.Auth):
    """Adds the key header to each request as it is sent, and to nothing else."""

    def __init__(self, secret: Secret) -> None:
        self._secret = secret

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[API_KEY_HEADER] = self._secret.reveal()
        yield request


@dataclass(frozen=True)
class RetryPolicy:
    """Back-off for retryable answers: try ``k`` (from 1) waits uniform(0, min(max_delay, base·2^(k-1))).

    Stops after ``max_attempts`` sends, or when the next wait would end past ``max_elapsed`` seconds
    since the first send. The defaults outlast Woodpecker's 15 s queue a few times over.
    """

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 8.0
    max_elapsed: float = 60.0

    def delay(self, retry: int, rng: random.Random) -> float:
        return rng.uniform(0.0, min(self.max_delay, self.base_delay * 2 ** (retry - 1)))


NO_RETRY = RetryPolicy(max_attempts=1)


@dataclass
class Sender:
    """Sends one call: serialised per key, retried per the rule in ``wpsync.client``'s docstring."""

    http: httpx.Client
    secret: Secret
    retry: RetryPolicy
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    rng: random.Random | None = None
    deadline: float = DEFAULT_REQUEST_DEADLINE  # seconds for one attempt, connect to last byte
    max_answer: int = MAX_ANSWER
    company_id: int | None = None  # with an agency key: the client company, its own account and lock

    def __post_init__(self) -> None:
        self._rng = self.rng or random.Random()

    def _attempt(self, method: str, path: str, params: dict[str, str] | None, body: Any) -> httpx.Response:
        """One request, its answer read whole within the deadline and the size limit."""
        with request_deadline(self.deadline):
            request = self.http.build_request(method, path, params=params, json=body)
            streamed = self.http.send(request, stream=True)
            try:
                return read_bounded(streamed, self.max_answer)
            finally:
                streamed.close()

    def send(
        self,
        method: str,
        path: str,
        *,
        subject: str,
        params: dict[str, str] | None = None,
        body: Any = None,
    ) -> httpx.Response:
        """A 2xx answer, or a WoodpeckerApiError / WoodpeckerUnreachable saying what to do."""
        is_get = method == "GET"
        key = self.secret.reveal()
        base_url = str(self.http.base_url).rstrip("/")
        start = self.clock()
        attempt = 0
        while True:
            attempt += 1
            failure: httpx.HTTPError | None = None
            response: httpx.Response | None = None
            # Looked up each time: a forked child gets fresh locks. One lock per account: the key's own,
            # or one client company's of an agency key.
            lock_name = key if self.company_id is None else f"{key}\x00company={self.company_id}"
            with key_lock(lock_name):
                began = time.monotonic()
                try:
                    response = self._attempt(method, path, params, body)
                except httpx.HTTPError as exc:  # transport failures, and a body that cannot be decoded
                    failure = exc
                except DeadlineExceeded:
                    failure = httpx.ReadTimeout("no answer within the deadline")
                except AnswerTooLarge:
                    raise answer_too_large(
                        method=method, path=path, base_url=base_url, limit=self.max_answer
                    ) from None
                if (
                    isinstance(failure, httpx.TimeoutException)
                    and time.monotonic() - began >= self.deadline
                    and received_bytes() > 0
                ):
                    # An answer was arriving, too slowly (a trickle): not retried, another attempt would
                    # take as long again. With nothing received it is a plain timeout (a request waiting
                    # in Woodpecker's queue, say), retried for a GET like any other.
                    raise deadline_passed(
                        method=method, path=path, base_url=base_url, seconds=self.deadline, attempts=attempt
                    ) from None
            info = None if response is None else v1_error_in_body(response, key)
            if response is not None and response.is_success and info is None:
                return response
            if response is not None:
                status = info.status if info is not None else response.status_code
                # 429 is dropped by the rate limiter before processing, so even a POST may be resent.
                retryable = status == 429 or (is_get and status >= 500)
                what = f"{status}"
            else:
                assert failure is not None
                retryable = is_get
                what = type(failure).__name__
            wait = self.retry.delay(attempt, self._rng)
            if (
                retryable
                and attempt < self.retry.max_attempts
                and self.clock() - start + wait <= self.retry.max_elapsed
            ):
                log.info("%s %s -> %s; retry %d in %.2f s", method, path, what, attempt, wait)
                self.sleep(wait)
                continue
            if failure is not None:
                # ``from None``: httpx's exception holds the request, headers and all; keep it out.
                raise unreachable(
                    failure,
                    method=method,
                    path=path,
                    base_url=base_url,
                    attempts=attempt,
                    secret=key,
                ) from None
            assert response is not None
            if info is None:
                info = parse_error_body(response.status_code, response.content, key)
            raise api_error(
                info,
                method=method,
                path=path,
                subject=subject,
                maybe_committed=not is_get and info.status >= 500,
                attempts=attempt,
                secret=key,
            )
