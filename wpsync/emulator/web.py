"""HTTP plumbing shared by the API and the hooks: the documented error bodies, JSON bodies, routing.

Two error shapes exist, as in Woodpecker: ``{"title", "status", "detail", "timestamp"}`` from the
gateway layer (401, unknown URL 404, bad path parameter 400, 429) and ``{"code", "message",
"details"}`` from the campaign services. The bodies are built here only, so each is written once.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

log = logging.getLogger("wpsync.emulator")

Handler = Callable[[Request], Awaitable[Response]]

UNKNOWN_CREATE = "Unknown error during create campaign call"
UNKNOWN_ADD_STEP = "Unknown error during add step call"


def timestamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def titled(status: int, title: str, detail: str) -> JSONResponse:
    body = {"title": title, "status": status, "detail": detail, "timestamp": timestamp()}
    return JSONResponse(body, status_code=status)


def coded(status: int, code: str, message: str, details: object = None) -> JSONResponse:
    return JSONResponse({"code": code, "message": message, "details": details}, status_code=status)


def unauthorized() -> JSONResponse:
    return titled(401, "Unauthorized", "Invalid api key")


def not_found() -> JSONResponse:
    return titled(404, "Not Found", "Requested resource does not exist")


def too_many_requests() -> JSONResponse:
    # [assume] Woodpecker documents the 429 but not its body; this follows the gateway's other errors.
    return titled(429, "Too Many Requests", "Too many concurrent requests for this API key; retry later")


def bad_parameter(name: str, value: str) -> JSONResponse:
    return titled(400, "Bad Request", f"Invalid value {value!r} for parameter {name}")


def input_failure(details: object) -> JSONResponse:
    return coded(400, "INPUT_DATA_VALIDATION_FAILURE", "Input data validation failure", details)


def validation_failure(details: str) -> JSONResponse:
    return coded(409, "VALIDATION_FAILURE", "Validation failure", details)


def campaign_not_found() -> JSONResponse:
    return coded(404, "CAMPAIGN_NOT_EXIST", "Campaign not found")


def not_editable_status() -> JSONResponse:
    return coded(409, "NOT_EDITABLE_STATUS", "The campaign must be in DRAFT or EDITED status to be updated")


def step_not_found() -> JSONResponse:
    # [assume] No step 404 is documented; the code follows CAMPAIGN_NOT_EXIST.
    return coded(404, "STEP_NOT_EXIST", "Step not found")


def version_not_found() -> JSONResponse:
    # [assume] As STEP_NOT_EXIST.
    return coded(404, "VERSION_NOT_EXIST", "Version not found")


def unsupported_features() -> JSONResponse:
    # The code is documented; the message and details are ours.
    return coded(
        409,
        "API_UNSUPPORTED_CAMPAIGN_FEATURES",
        "The campaign uses features the API does not support",
        "built in the app with IF conditions or manual tasks",
    )


def step_not_deletable(details: str) -> JSONResponse:
    # [assume] The docs say which steps can be deleted but not what the refusal looks like.
    return coded(409, "STEP_NOT_DELETABLE", "The step cannot be deleted", details)


def campaign_in_workflow() -> JSONResponse:
    # The code is seen in a client; the message is ours.
    return coded(409, "CAMPAIGN_IN_WORKFLOW", "The campaign is part of a workflow and cannot be deleted")


def unknown_error(path: str) -> JSONResponse:
    # Only two UNKNOWN messages are documented; every route other than add-step uses the create one.
    return coded(500, "UNKNOWN", UNKNOWN_ADD_STEP if path.endswith("/steps") else UNKNOWN_CREATE)


def _refuse_constant(name: str) -> object:
    # NaN and Infinity are not JSON; Python accepts them by default, Woodpecker's parser would not.
    raise ValueError(f"{name} is not valid JSON")


def parse_json(raw: bytes) -> tuple[object, str | None]:
    """The parsed body, or (None, a sentence saying why it is not JSON)."""
    try:
        return json.loads(raw, parse_constant=_refuse_constant), None
    except RecursionError:
        return None, "malformed JSON: nested too deeply"
    except ValueError as exc:  # includes JSONDecodeError and UnicodeDecodeError
        return None, f"malformed JSON: {exc}"


def parse_id(raw: str) -> int | None:
    """A numeric id from a path or query: ASCII digits only (str.isdigit also says yes to "²")."""
    return int(raw) if raw.isascii() and raw.isdigit() else None


def is_json(request: Request) -> bool:
    return request.headers.get("content-type", "").split(";")[0].strip().lower() == "application/json"


@dataclass(frozen=True)
class Route:
    method: str
    template: str  # as written, e.g. /rest/v2/campaigns/{campaign_id}; the docs test reads it
    pattern: re.Pattern[str]
    handler: Handler


def route(method: str, template: str, handler: Handler) -> Route:
    """``/v2/campaigns/{campaign_id}`` matches one path segment per parameter, read as a string."""
    regex = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return Route(method, template, re.compile(regex), handler)


class Router:
    """Calls the handler for the path and method; 404 or 405 in the gateway shape otherwise.

    A small table instead of starlette's Router because that one answers unknown paths and methods in
    plain text and redirects trailing slashes, and Woodpecker does neither.
    """

    def __init__(self, routes: Sequence[Route]) -> None:
        self.routes = routes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        methods = []
        response: Response | None = None
        for candidate in self.routes:
            match = candidate.pattern.fullmatch(scope["path"])
            if match is None:
                continue
            if candidate.method != scope["method"]:
                methods.append(candidate.method)
                continue
            scope["path_params"] = match.groupdict()
            try:
                response = await candidate.handler(Request(scope, receive))
            except ClientDisconnect:
                return  # the client went away mid-body: nobody to answer, nothing to log
            except Exception:
                # A bug in the emulator: answer like Woodpecker's own unexpected error, keep the trace.
                log.exception("emulator handler failed on %s %s", scope["method"], scope["path"])
                response = unknown_error(scope["path"])
            break
        if response is None:
            if methods:
                response = titled(
                    405, "Method Not Allowed", f"Method {scope['method']} is not supported here"
                )
                response.headers["allow"] = ", ".join(methods)
            else:
                response = not_found()
        await response(scope, receive, send)
