"""The front door of every ``/rest`` request: API key, fault injection, rate limit, latency, request log.

It wraps the API routes as plain ASGI rather than starlette middleware, for one reason: to cut a
connection without an answer, an exception must reach uvicorn untouched, and starlette's error
middleware would turn it into a 500 response first.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, datetime
from typing import Any, NoReturn

from starlette.datastructures import Headers
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from wpsync.emulator.runtime import REFUSAL_FAULTS, V1_FAULTS, Emulator, Fault
from wpsync.emulator.store import Store
from wpsync.emulator.web import (
    bad_parameter,
    coded,
    not_found,
    parse_id,
    titled,
    too_many_requests,
    unauthorized,
    unknown_error,
)

COMPANY_HEADER = "x-company-id"


def unknown_company(company_id: int) -> JSONResponse:
    # [assume] The agency docs do not say what an HQ key gets for a company it does not hold: 403 in the
    # gateway shape, as for any other key that may not act there.
    return titled(403, "Forbidden", f"Company {company_id} is not a client company of this account")


def resolve_account(store: Store, scope: Scope) -> str | Response:
    """The store key the request acts for: the key's own account, or (HQ key + ``x-company-id``) one of
    its client companies; otherwise the error response to send."""
    headers = Headers(scope=scope)
    account = store.authenticate(headers.get("x-api-key"))
    if account is None:
        return unauthorized()
    raw = headers.get(COMPANY_HEADER)
    if raw is None:
        return account
    company_id = parse_id(raw.strip())
    if company_id is None:
        return bad_parameter(COMPANY_HEADER, raw)
    company = store.act_for(account, company_id)
    return unknown_company(company_id) if company is None else company


def v1_error(kind: str) -> JSONResponse:
    """A v1 error the way v1 sends it: inside an HTTP 200, or a 400."""
    code, msg, status = V1_FAULTS[kind]
    return JSONResponse({"status": {"status": "ERROR", "code": code, "msg": msg}}, status_code=status)


def refusal(kind: str) -> JSONResponse:
    """An injected refusal (``REFUSAL_FAULTS``). [assume] Bodies: the no-add-on 401 in the gateway shape
    with "No API addon" (the text clients match); 403 and 404 gateway-shaped; 409 coded, as the known
    409s are (VALIDATION_FAILURE, the code of a campaign that cannot do what was asked)."""
    if kind == "no_api_addon":
        return titled(401, "Unauthorized", "No API addon")
    if kind == "403":
        return titled(403, "Forbidden", "Access denied")
    if kind == "404":
        return not_found()
    return coded(409, "VALIDATION_FAILURE", "Validation failure", "the campaign cannot be run now")


BODY_METHODS = ("POST", "PATCH")  # the request log keeps the body of these


class ConnectionCut(Exception):
    """Raised on purpose so that uvicorn closes the socket; server.py keeps it out of the error log."""


class Gate:
    def __init__(self, emulator: Emulator, api: ASGIApp) -> None:
        self.emulator = emulator
        self.api = api

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        account = resolve_account(self.emulator.store, scope)
        if isinstance(account, Response):
            # Not logged: there may be no account to log it under, and the key is never written anywhere.
            await account(scope, receive, send)
            return
        scope["wpsync.account"] = account
        body, complete = await _read_body(receive)
        controls = self.emulator.controls_for(account)
        entry = _log_entry(scope, account, body)
        controls.requests.append(entry)
        if not complete:
            # The client went away mid-body: there is nobody to answer and nothing valid to carry out.
            entry["status"] = None
            return
        fault = controls.take_fault(scope["method"], scope["path"])
        entry["fault"] = fault.kind if fault else None
        if fault is not None and fault.kind in (*V1_FAULTS, *REFUSAL_FAULTS):
            # The v1 form of a 429 (or a session error), or a refusal: answered at once, without queueing.
            answer = v1_error(fault.kind) if fault.kind in V1_FAULTS else refusal(fault.kind)
            entry["status"] = answer.status_code
            await answer(scope, receive, send)
            return
        limiter = self.emulator.limiter
        lane = None if fault is not None and fault.kind == "429" else await limiter.acquire(account)
        if lane is None:
            entry["status"] = 429
            await too_many_requests()(scope, receive, send)
            return
        try:
            await self.emulator.pause(controls.latency)
            await self._process(scope, _replay(body, receive), send, entry, fault)
        finally:
            limiter.release(lane)

    async def _process(
        self, scope: Scope, receive: Receive, send: Send, entry: dict[str, Any], fault: Fault | None
    ) -> None:
        kind = fault.kind if fault else None
        if kind == "500":
            entry["status"] = 500
            await unknown_error(scope["path"])(scope, receive, send)
            return
        if kind == "drop_before_commit":
            await _cut(send, None)
        if kind == "timeout":
            assert fault is not None
            # The request is then handled normally: a client that gave up cannot know whether it committed.
            await self.emulator.pause(fault.seconds)
        messages: list[Message] = []

        held = kind in ("drop_after_commit", "stall_after_commit")

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            if held:
                messages.append(message)
            else:
                await send(message)

        await self.api(scope, receive, record)
        if kind == "drop_after_commit":
            entry["status"] = None
            await _cut(send, messages[0] if messages else None)
        if kind == "stall_after_commit":
            # Committed, and the log already shows its status, but the answer is held back: a test can
            # kill the client in exactly the window where the server has changed and the client has not heard.
            assert fault is not None
            await self.emulator.pause(fault.seconds)  # a reset ends the stall at once
            for message in messages:
                await send(message)


async def _cut(send: Send, start: Message | None) -> NoReturn:
    """Close the connection with no complete HTTP response.

    With a real response start (after a commit) the client gets a status line and headers but never the
    body it was promised. Without one, we send a start whose header name h11 refuses: uvicorn has then
    marked the response as started but written nothing, so our exception makes it close the socket
    instead of answering 500 -- the client sees the connection drop with not one byte of response.
    """
    if start is None:
        start = {"type": "http.response.start", "status": 500, "headers": [(b"connection cut", b"")]}
    # The refused header raises here; either way the socket is closed once ConnectionCut reaches uvicorn.
    with contextlib.suppress(Exception):
        await send(start)
    raise ConnectionCut


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The request body, and False if the client disconnected before sending all of it."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), False  # http.disconnect
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), True


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive() that hands the already-read body to the routes, then listens to the real connection."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def _log_entry(scope: Scope, account: str, body: bytes) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "method": scope["method"],
        "path": scope["path"],
        "query": scope["query_string"].decode("latin-1"),
        "key_hash": account[:12],  # a prefix of the key's SHA-256: tells keys apart, reveals nothing
        "company_id": int(account.partition(":")[2]) if ":" in account else None,
        "status": None,
        "fault": None,
    }
    if scope["method"] in BODY_METHODS:
        try:
            entry["body"] = json.loads(body) if body else None
        except (ValueError, RecursionError):
            entry["body"] = body.decode("utf-8", errors="replace")
    return entry
