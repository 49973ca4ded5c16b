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
from wpsync.emulator.runtime import MAX_LATENCY_SECONDS
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


def serve(
    host: str,
    port: int,
    api_keys: list[str],
    persist: Path | None,
    seed_examples: bool,
    *,
    latency: float = 0.0,
    seed_sample: bool = False,
) -> None:
    """Serve until Ctrl-C. Prints one line saying where. ``latency`` (seconds) is added to every API
    request of every account, as ``set_latency`` would (for benchmarks against a realistic round trip).

    Raises WpsyncError (one line for the CLI, exit 1) when the state file is unreadable, the latency is
    out of range or the address cannot be bound.
    """
    if not 0 <= latency <= MAX_LATENCY_SECONDS:
        raise WpsyncError(f"emulator: latency must be between 0 and {MAX_LATENCY_SECONDS:g} s")
    try:
        app = create_app(
            api_keys, persist=persist, seed_examples=seed_examples, latency=latency, seed_sample=seed_sample
        )
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
    """A running emulator, with the hooks as methods. ``api_key`` is the key hooks use by default;
    ``company_id`` (see ``company``) makes every hook act for that client company of the key's agency."""

    def __init__(
        self,
        root_url: str,
        api_key: str,
        *,
        company_id: int | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.root_url = root_url
        self.base_url = f"{root_url}/rest"
        self.api_key = api_key
        self.company_id = company_id
        import httpx  # only tests need a client; `wpsync emulator` starts faster without it

        # Plain HTTP to the emulator: verify=False only skips loading a CA bundle (~40 ms per handle).
        self._owns_client = client is None
        self._client: httpx.Client = client or httpx.Client(timeout=30, verify=False)

    def close(self) -> None:
        if self._owns_client:
            self._client.close()

    def company(self, company_id: int, *, api_key: str | None = None) -> EmulatorHandle:
        """A handle whose hooks act for a client company of the agency (HQ) key, as API requests with
        ``x-company-id`` do. Register the company first with ``add_company``. Shares this handle's
        connection; closing it is not needed."""
        return EmulatorHandle(
            self.root_url, api_key or self.api_key, company_id=company_id, client=self._client
        )

    def hook(self, method: str, path: str, body: Any = None, *, api_key: str | None = None) -> Any:
        headers = {"x-api-key": api_key or self.api_key}
        if self.company_id is not None:
            headers["x-company-id"] = str(self.company_id)
        response = self._client.request(
            method, f"{self.root_url}/_emulator{path}", json=body, headers=headers
        )
        response.raise_for_status()
        return response.json()

    def seed_mailbox(
        self,
        mailbox_id: int,
        email: str | None = None,
        connected: bool | str = True,
        *,
        type: str = "SMTP",
        imap_id: int | None = None,
        api_key: str | None = None,
    ) -> Any:
        """``connected``: True, False (``details.error`` set: create refuses it) or ``"conditional"``
        (``details.error == "Connected conditionally."``, and it still sends)."""
        body: dict[str, Any] = {
            "id": mailbox_id,
            "email": email or f"box{mailbox_id}@example.com",
            "connected": connected,
            "type": type,
        }
        if imap_id is not None:
            body["imap_id"] = imap_id
        return self.hook("POST", "/mailboxes", body, api_key=api_key)

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

    def set_step_stats(
        self, campaign_id: int, step_id: str, *, api_key: str | None = None, **counters: int
    ) -> Any:
        """Override counters of an EMAIL step's ``emails`` entry (emailSend, toSend, delivery, open,
        reply, invalid, bounce) in ``campaign_list?id=``."""
        path = f"/campaigns/{campaign_id}/steps/{step_id}/stats"
        return self.hook("POST", path, {"counters": counters}, api_key=api_key)

    def set_campaign_stats(self, campaign_id: int, *, api_key: str | None = None, **counters: int) -> Any:
        """Override campaign counters (prospects, sent, …, check) in ``campaign_list?id=``."""
        return self.hook("POST", f"/campaigns/{campaign_id}/stats", {"counters": counters}, api_key=api_key)

    def mark_unsupported(
        self, campaign_id: int, unsupported: bool = True, *, api_key: str | None = None
    ) -> Any:
        """Make the campaign look built in the app with IF conditions or manual tasks: GET (and every
        structure call) answers 409 API_UNSUPPORTED_CAMPAIGN_FEATURES."""
        body = {"unsupported": unsupported}
        return self.hook("POST", f"/campaigns/{campaign_id}/flags", body, api_key=api_key)

    def mark_in_workflow(
        self, campaign_id: int, in_workflow: bool = True, *, api_key: str | None = None
    ) -> Any:
        """Put the campaign in a workflow: DELETE answers 409 CAMPAIGN_IN_WORKFLOW."""
        body = {"in_workflow": in_workflow}
        return self.hook("POST", f"/campaigns/{campaign_id}/flags", body, api_key=api_key)

    def set_empty_list_form(self, form: str, *, api_key: str | None = None) -> Any:
        """How an empty ``GET /v1/campaign_list`` answers: ``"message"`` (200 ``{"message": "There are no
        campaigns."}``, the default) or ``"no_content"`` (204)."""
        return self.hook("POST", "/empty_list", {"form": form}, api_key=api_key)

    def set_prospects_total(self, form: str, *, api_key: str | None = None) -> Any:
        """Whether ``GET /v1/prospects`` carries ``X-Total-Count``: ``"header"`` (the default) or
        ``"no_header"`` (a client must then say "unknown")."""
        return self.hook("POST", "/prospects_total", {"form": form}, api_key=api_key)

    def set_linkedin_append(self, accepted: bool, *, api_key: str | None = None) -> Any:
        """False: add-step refuses LINKEDIN steps (400 on ``step.type``), as the older spec page says."""
        return self.hook("POST", "/linkedin_append", {"accepted": accepted}, api_key=api_key)

    def seed_sample_campaign(self, *, api_key: str | None = None) -> int:
        """Woodpecker's own sample campaign, which the API cannot read (409 on GET); its id."""
        return int(self.hook("POST", "/sample_campaign", api_key=api_key)["id"])

    def add_company(self, company_id: int, name: str, *, api_key: str | None = None) -> Any:
        """Register a client company under the agency (HQ) key: requests with that key and
        ``x-company-id: company_id`` then act for the company's own, separate account."""
        return self.hook("POST", "/companies", {"id": company_id, "name": name}, api_key=api_key)

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
    latency: float = 0.0,
    seed_sample: bool = False,
) -> Iterator[EmulatorHandle]:
    """An emulator on 127.0.0.1 and a free port, served from a background thread until the block ends.

    With no ``api_keys`` every non-empty key is accepted as its own account; the handle's hooks then use
    the key "test-key". ``latency`` (seconds) starts every account with that ``set_latency``.
    """
    app = create_app(
        api_keys,
        persist=persist,
        seed_examples=seed_examples,
        queue_size=queue_size,
        queue_wait=queue_wait,
        latency=latency,
        seed_sample=seed_sample,
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
