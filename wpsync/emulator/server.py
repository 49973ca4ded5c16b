"""Running the emulator: ``serve`` for the CLI, ``running_emulator`` for tests.

Both bind the socket themselves before uvicorn starts, so the port is known (port 0 picks a free one)
and a client that connects right after the "listening" line is queued by the kernel, never refused.
uvicorn runs with the pure-Python h11 protocol (the connection-cut faults rely on its behaviour, see
``gate._cut``), no lifespan and no websockets, which also keeps start-up short.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import uvicorn

from wpsync.emulator.app import EmulatorApp, create_app
from wpsync.emulator.gate import ConnectionCut
from wpsync.emulator.ratelimit import QUEUE_SIZE, QUEUE_WAIT
from wpsync.errors import WpsyncError

if TYPE_CHECKING:
    import httpx

START_TIMEOUT = 5.0


class _HideConnectionCuts(logging.Filter):
    """uvicorn logs every exception that escapes the app; a deliberate cut is not an error."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], ConnectionCut))


def _uvicorn(app: EmulatorApp, *, quiet_logging_setup: bool) -> uvicorn.Server:
    error_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideConnectionCuts) for f in error_log.filters):
        error_log.addFilter(_HideConnectionCuts())
    extra: dict[str, Any] = {"log_config": None} if quiet_logging_setup else {}
    config = uvicorn.Config(
        app,
        http="h11",
        ws="none",
        lifespan="off",
        loop="asyncio",
        access_log=False,
        log_level="warning",
        # A "timeout" fault holds a request for seconds; shutting down must not wait for it.
        timeout_graceful_shutdown=1,
        **extra,
    )
    return uvicorn.Server(config)


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # proto is given explicitly because asyncio sets TCP_NODELAY only on sockets that say they are TCP
    # (socket.create_server leaves proto 0). Without it every response, written as headers then body,
    # waits ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _url(host: str, sock: socket.socket) -> str:
    port = sock.getsockname()[1]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def serve(host: str, port: int, api_keys: list[str], persist: Path | None, seed_examples: bool) -> None:
    """Serve until Ctrl-C. Prints one line saying where.

    Raises WpsyncError (one line for the CLI, exit 1) when the state file is unreadable or the address
    cannot be bound.
    """
    try:
        app = create_app(api_keys, persist=persist, seed_examples=seed_examples)
    except ValueError as exc:
        raise WpsyncError(f"emulator: {exc}") from exc
    try:
        sock = _bind(host, port)
    except OSError as exc:
        raise WpsyncError(f"emulator: cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    server = _uvicorn(app, quiet_logging_setup=False)
    print(f"wpsync emulator listening on {_url(host, sock)}/rest", flush=True)
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on SIGINT, then re-raises it for the caller: we are the caller.
        pass
    finally:
        sock.close()


class EmulatorHandle:
    """A running emulator, with the hooks as methods. ``api_key`` is the key hooks use by default."""

    def __init__(self, root_url: str, api_key: str) -> None:
        self.root_url = root_url
        self.base_url = f"{root_url}/rest"
        self.api_key = api_key
        import httpx  # only tests need a client; `wpsync emulator` starts faster without it

        # Plain HTTP to the emulator: verify=False only skips loading a CA bundle (~40 ms per handle).
        self._client: httpx.Client = httpx.Client(timeout=30, verify=False)

    def close(self) -> None:
        self._client.close()

    def hook(self, method: str, path: str, body: Any = None, *, api_key: str | None = None) -> Any:
        response = self._client.request(
            method,
            f"{self.root_url}/_emulator{path}",
            json=body,
            headers={"x-api-key": api_key or self.api_key},
        )
        response.raise_for_status()
        return response.json()

    def seed_mailbox(
        self,
        mailbox_id: int,
        email: str | None = None,
        connected: bool = True,
        *,
        type: str = "SMTP",
        api_key: str | None = None,
    ) -> Any:
        body = {"id": mailbox_id, "email": email or f"box{mailbox_id}@example.com", "connected": connected}
        return self.hook("POST", "/mailboxes", body | {"type": type}, api_key=api_key)

    def seed_linkedin(
        self,
        account_id: int,
        full_name: str = "Test Sender",
        session_status: str = "CONNECTED",
        level: str = "SALES_NAVIGATOR",
        *,
        api_key: str | None = None,
    ) -> Any:
        body = {"id": account_id, "full_name": full_name, "session_status": session_status, "level": level}
        return self.hook("POST", "/linkedin_accounts", body, api_key=api_key)

    def set_status(self, campaign_id: int, status: str, *, api_key: str | None = None) -> Any:
        return self.hook("POST", f"/campaigns/{campaign_id}/status", {"status": status}, api_key=api_key)

    def mark_processed(
        self, campaign_id: int, step_id: str, count: int = 1, *, api_key: str | None = None
    ) -> Any:
        path = f"/campaigns/{campaign_id}/steps/{step_id}/processed"
        return self.hook("POST", path, {"count": count}, api_key=api_key)

    def set_latency(self, seconds: float, *, api_key: str | None = None) -> Any:
        return self.hook("POST", "/latency", {"seconds": seconds}, api_key=api_key)

    def add_fault(
        self,
        kind: str,
        count: int = 1,
        *,
        method: str | None = None,
        path_prefix: str | None = None,
        seconds: float | None = None,
        api_key: str | None = None,
    ) -> Any:
        given = {"method": method, "path_prefix": path_prefix, "seconds": seconds}
        body = {"kind": kind, "count": count} | {k: v for k, v in given.items() if v is not None}
        return self.hook("POST", "/faults", body, api_key=api_key)

    def requests(self, *, api_key: str | None = None) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.hook("GET", "/requests", api_key=api_key)
        return entries

    def clear_requests(self, *, api_key: str | None = None) -> None:
        self.hook("DELETE", "/requests", api_key=api_key)

    def reset(self, *, api_key: str | None = None) -> None:
        self.hook("POST", "/reset", api_key=api_key)


@contextmanager
def running_emulator(
    api_keys: Sequence[str] = ("test-key",),
    persist: Path | None = None,
    seed_examples: bool = False,
    *,
    queue_size: int = QUEUE_SIZE,
    queue_wait: float = QUEUE_WAIT,
) -> Iterator[EmulatorHandle]:
    """An emulator on 127.0.0.1 and a free port, served from a background thread until the block ends.

    With no ``api_keys`` every non-empty key is accepted as its own account; the handle's hooks then use
    the key "test-key".
    """
    app = create_app(
        api_keys, persist=persist, seed_examples=seed_examples, queue_size=queue_size, queue_wait=queue_wait
    )
    sock = _bind("127.0.0.1", 0)
    server = _uvicorn(app, quiet_logging_setup=True)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="wpsync-emulator", daemon=True
    )
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            sock.close()
            raise RuntimeError("the wpsync emulator did not start")
        time.sleep(0.002)
    handle = EmulatorHandle(_url("127.0.0.1", sock), api_keys[0] if api_keys else "test-key")
    try:
        yield handle
    finally:
        handle.close()
        server.should_exit = True
        thread.join(timeout=START_TIMEOUT)
        sock.close()
