"""A deadline over a whole request and a bound on its answer: what per-read timeouts cannot give.

A server sending one byte a second defeats a per-read timeout, and a 4 GB answer would be read whole.
The backend here gives each connect, read and write only the time left before the request's deadline;
``read_bounded`` streams the answer and stops past the limit.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterable, Iterator
from typing import Any

import httpcore
import httpx


class DeadlineExceeded(Exception):
    """The whole request took longer than its deadline (raised through httpcore and httpx unchanged)."""


class AnswerTooLarge(Exception):
    """The answer's body is larger than the limit."""


_deadline = threading.local()


@contextlib.contextmanager
def request_deadline(seconds: float) -> Iterator[float]:
    """Bound every socket operation of this thread, for the block, to end ``seconds`` from now."""
    at = time.monotonic() + seconds
    _deadline.at, _deadline.received = at, 0
    try:
        yield at
    finally:
        _deadline.at = None


def received_bytes() -> int:
    """Bytes read from the network in this thread's current (or last) deadline block."""
    received: int = getattr(_deadline, "received", 0)
    return received


def _time_left(timeout: float | None) -> float | None:
    """``timeout`` capped by what is left of this thread's deadline; DeadlineExceeded once it passed."""
    at: float | None = getattr(_deadline, "at", None)
    if at is None:
        return timeout
    left = at - time.monotonic()
    if left <= 0:
        raise DeadlineExceeded
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data = self._inner.read(max_bytes, _time_left(timeout))
        _deadline.received = getattr(_deadline, "received", 0) + len(data)
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _time_left(timeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.start_tls(ssl_context, server_hostname, _time_left(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's network backend, each connect, read and write given only the time left."""

    def __init__(self, inner: httpcore.NetworkBackend | None = None) -> None:
        self._inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        stream = self._inner.connect_tcp(host, port, _time_left(timeout), local_address, socket_options)
        return _DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        return _DeadlineStream(self._inner.connect_unix_socket(path, _time_left(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._inner.sleep(seconds)


def deadline_transport(*, plain_http: bool = False) -> httpx.HTTPTransport:
    """httpx's own transport with the deadline backend. httpcore takes a backend only in its
    constructor, which httpx does not expose: set on the pool it built (guarded; without it the deadline
    is still checked between the chunks of an answer).

    ``plain_http``: the API's address is http:// (the emulator), so TLS is never used, and loading the
    system's certificates into a context would cost more than all the rest of a small plan (#23). The
    context given instead trusts no certificate at all: a request that did go to https:// would fail
    verification, never go unverified."""
    if plain_http:
        import ssl

        transport = httpx.HTTPTransport(verify=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT))
    else:
        transport = httpx.HTTPTransport()
    pool = getattr(transport, "_pool", None)
    if isinstance(getattr(pool, "_network_backend", None), httpcore.NetworkBackend):
        pool._network_backend = DeadlineBackend(pool._network_backend)  # type: ignore[union-attr]
    return transport


def read_bounded(response: httpx.Response, limit: int) -> httpx.Response:
    """The streamed ``response`` read whole, or AnswerTooLarge past ``limit`` bytes (decompressed);
    between chunks, the deadline is checked. Returns a plain, already-read response."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise AnswerTooLarge
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            raise AnswerTooLarge
        chunks.append(chunk)
        _time_left(None)
    encoded = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in encoded]
    return httpx.Response(
        response.status_code, headers=headers, content=b"".join(chunks), request=response.request
    )
