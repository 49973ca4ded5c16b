"""Turning Woodpecker's answers into wpsync's one-line errors.

Woodpecker has two error body shapes (see /work/shared/reference/api-notes.md):

    {"title", "status", "detail", "timestamp"}     401, 404 of an unknown URL, 400 of a bad path param
    {"code", "message", "details"}                 everything else; ``details`` is a string, null, or
                                                   {"errors": [{"field", "detail"}]} (add-step 400)

Both, and any non-JSON body (a proxy's HTML page, an empty 502), become an ``ApiErrorInfo``; the
summary is ``<what happened> — <what to do>``, picked from ``ADVICE`` (the one table of per-code
advice). ``maybe_committed`` on the two exception classes here is the seam for settling a POST whose
outcome is unknown; the rule is in ``wpsync.client``'s docstring.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

import httpx

from wpsync.bounded import json_loads
from wpsync.errors import API_KEY_ENV, ApiError, ApiErrorInfo, ApiUnreachable, FieldError, redact
from wpsync.limits import MAX_ANSWER_NESTING
from wpsync.woodpecker.config import API_URL_ENV

_MAX_TEXT = 300  # server text is quoted, never dumped: one line, bounded


class WoodpeckerApiError(ApiError):
    """Woodpecker answered with an error. ``maybe_committed``: a POST that may have taken effect."""

    def __init__(
        self, info: ApiErrorInfo, summary: str, *, method: str, path: str, maybe_committed: bool
    ) -> None:
        super().__init__(info, summary)
        self.method = method
        self.path = path
        self.maybe_committed = maybe_committed


class WoodpeckerUnreachable(ApiUnreachable):
    """No HTTP answer. ``maybe_committed``: the request bytes may have reached the server."""

    def __init__(self, message: str, *, method: str, path: str, maybe_committed: bool) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.maybe_committed = maybe_committed


def maybe_committed(exc: BaseException) -> bool:
    """True when ``exc`` leaves a POST's effect unknown, so the caller must look before resending."""
    return isinstance(exc, WoodpeckerApiError | WoodpeckerUnreachable) and exc.maybe_committed


@dataclass(frozen=True)
class Advice:
    what: str  # format fields: subject, status, code, reason, method, path
    todo: str


_CHECK_URL = f"check {API_URL_ENV} points at the Woodpecker REST API (…/rest)"

# Looked up as: "<kind>:<METHOD>", then "<kind>"; kind is the error code, a kind read from a 403's
# text, "HTTP_<status>", then "HTTP_4xx" / "HTTP_5xx" / "HTTP_other".
ADVICE: dict[str, Advice] = {
    "NOT_EDITABLE_STATUS": Advice(
        "{subject} is not in DRAFT or EDITED status (NOT_EDITABLE_STATUS); steps can only be added in"
        " DRAFT or EDITED",
        "run 'wpsync plan --make-editable' or make it editable in Woodpecker",
    ),
    "PARENT_BRANCH_NOT_LINKABLE": Advice(
        "{subject}: Woodpecker will not link a new step after the current last step"
        " (PARENT_BRANCH_NOT_LINKABLE); it has already processed prospects or is not the last step",
        "put the new steps in a new campaign, or run 'wpsync plan' to see what Woodpecker holds now",
    ),
    "CAMPAIGN_NOT_EXIST": Advice(
        "{subject} does not exist in Woodpecker (404 CAMPAIGN_NOT_EXIST)",
        f"check the campaign id, and that {API_KEY_ENV} belongs to the account that owns it",
    ),
    "VALIDATION_FAILURE": Advice(
        "Woodpecker refused {subject}: 409 VALIDATION_FAILURE: {reason}",
        "check the mailbox is connected in Woodpecker (GET /v2/mailboxes), and any LinkedIn account"
        " (GET /v2/linkedin_accounts)",
    ),
    "INPUT_DATA_VALIDATION_FAILURE": Advice(
        "Woodpecker rejected the request for {subject}: 400 INPUT_DATA_VALIDATION_FAILURE: {reason}",
        "fix the campaign file (wpsync's own checks should have caught this: please report it)",
    ),
    "API_UNSUPPORTED_CAMPAIGN_FEATURES": Advice(
        "{subject} uses features the API cannot read (409 API_UNSUPPORTED_CAMPAIGN_FEATURES: {reason})",
        "manage it in the Woodpecker app (IF conditions, a scheduled start and manual tasks cannot be read;"
        " Woodpecker's own sample campaign is one such), or leave it out of wpsync",
    ),
    "NO_API_ADDON": Advice(
        "the key is valid but the account has no API add-on ({status}: {reason})",
        "enable the API add-on for this account in Woodpecker, or use another account's key",
    ),
    "PLAN_UPGRADE": Advice(
        "the account's plan does not include API access (403: {reason})",
        "upgrade the plan in Woodpecker, or use another account's key",
    ),
    "HTTP_401": Advice(
        "Woodpecker rejected the API key (401): {reason}",
        f"the key is wrong or revoked: check {API_KEY_ENV}",
    ),
    "V1_ERROR": Advice(  # a v1 error code inside an HTTP 200 or 400 (wpsync.woodpecker.v1)
        "Woodpecker's v1 API refused {method} {path} for {subject} ({code}: {reason})",
        "run again later; if it persists, please report this",
    ),
    "HTTP_403": Advice(
        "Woodpecker refused access to {subject} (403{code}: {reason})",
        f"check the account's plan and API add-on, and that {API_KEY_ENV} is the right account's",
    ),
    "HTTP_404": Advice(
        "{subject} was not found (404{code}: {reason})",
        f"check the id, and {API_URL_ENV} if it is set",
    ),
    "HTTP_429": Advice(
        "Woodpecker is still rate-limiting this API key (429)",
        "another program is using the same key; wait a minute and run again",
    ),
    "HTTP_4xx": Advice(
        "Woodpecker refused {method} {path} for {subject} ({status}{code}: {reason})",
        "check the campaign file; if it looks right, please report this",
    ),
    "HTTP_5xx": Advice(
        "Woodpecker failed on {subject} ({status}{code}: {reason})",
        "Woodpecker is having trouble; run again later",
    ),
    "HTTP_5xx:POST": Advice(
        "Woodpecker failed on {subject} ({status}{code}: {reason})",
        "the change may have been applied; wpsync will check before retrying",
    ),
    "HTTP_other": Advice("Woodpecker answered {status} to {method} {path} ({reason})", _CHECK_URL),
}


def one_line(text: str, secret: str | None = None) -> str:
    """Server or transport text as one bounded line with no key in it."""
    text = redact(" ".join(re.sub(r"<[^>]*>", " ", text).split()), secret)
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def parse_error_body(status: int, content: bytes, secret: str | None = None) -> ApiErrorInfo:
    """Either documented shape, or whatever else came back, as an ``ApiErrorInfo``."""
    try:
        data: Any = json_loads(content, "the answer", MAX_ANSWER_NESTING)
    except ValueError:
        raw = one_line(content.decode("utf-8", "replace"), secret)
        return ApiErrorInfo(status=status, message=raw or None)
    if not isinstance(data, dict):
        return ApiErrorInfo(status=status, message=one_line(json.dumps(data), secret))

    def text(key: str) -> str | None:
        value = data.get(key)
        if value is None:
            return None
        return one_line(value if isinstance(value, str) else json.dumps(value), secret)

    if "code" in data or "message" in data or "details" in data:
        details = data.get("details")
        fields: list[FieldError] = []
        if isinstance(details, dict) and isinstance(details.get("errors"), list):
            fields = [
                FieldError(
                    one_line(str(e.get("field", "")), secret), one_line(str(e.get("detail", "")), secret)
                )
                if isinstance(e, dict)
                else FieldError("", one_line(str(e), secret))
                for e in details["errors"]
            ]
            rest = {k: v for k, v in details.items() if k != "errors"}
            details = json.dumps(rest) if rest else None
        elif details is not None and not isinstance(details, str):
            details = json.dumps(details)
        return ApiErrorInfo(
            status=status,
            code=text("code"),
            message=text("message"),
            details=one_line(details, secret) if details else None,
            field_errors=fields,
        )
    if "title" in data or "detail" in data:
        return ApiErrorInfo(status=status, message=text("title"), details=text("detail"))
    return ApiErrorInfo(status=status, message=one_line(json.dumps(data), secret))


def _kind(info: ApiErrorInfo) -> str:
    if info.code and info.code in ADVICE:
        return info.code
    if info.status in (401, 403):
        # The "no add-on" answers are only known from client code, not documented, as a 403 and as a
        # 401 with a title/detail body (api-notes, "Newer evidence"): tell it from a wrong key by the text.
        said = f"{info.message} {info.details}".lower()
        if "addon" in said or "add-on" in said:
            return "NO_API_ADDON"
        if "upgrade" in said:
            return "PLAN_UPGRADE"
    if info.code and info.code.startswith("E_") and info.status not in (401, 429):
        return "V1_ERROR"
    if f"HTTP_{info.status}" in ADVICE:
        return f"HTTP_{info.status}"
    if 400 <= info.status < 500:
        return "HTTP_4xx"
    return "HTTP_5xx" if info.status >= 500 else "HTTP_other"


def _reason(info: ApiErrorInfo) -> str:
    parts = [p for p in (info.details or info.message,) if p]
    parts += [f"{f.field}: {f.detail}" if f.field else f.detail for f in info.field_errors]
    return one_line("; ".join(parts)) or "no details given"


def summarize(info: ApiErrorInfo, *, method: str, path: str, subject: str, attempts: int = 1) -> str:
    """The one line the user sees: what happened — what to do."""
    kind = _kind(info)
    advice = ADVICE.get(f"{kind}:{method}") or ADVICE[kind]
    what = advice.what.format(
        subject=subject,
        status=info.status,
        code=f" {info.code}" if info.code else "",
        reason=_reason(info),
        method=method,
        path=path,
    )
    if attempts > 1:
        what += f", after {attempts} attempts"
    return f"{what} — {advice.todo}"


def api_error(
    info: ApiErrorInfo,
    *,
    method: str,
    path: str,
    subject: str,
    maybe_committed: bool,
    attempts: int = 1,
    secret: str | None = None,
) -> WoodpeckerApiError:
    summary = redact(summarize(info, method=method, path=path, subject=subject, attempts=attempts), secret)
    return WoodpeckerApiError(info, summary, method=method, path=path, maybe_committed=maybe_committed)


def bad_success_body(
    response: httpx.Response, expected: str, *, method: str, path: str, secret: str | None
) -> WoodpeckerApiError:
    """A 2xx whose body is not what the endpoint returns: the call succeeded, we cannot read it."""
    seen = one_line(response.text, secret) or "an empty body"
    info = ApiErrorInfo(status=response.status_code, message=f"expected {expected}, got: {seen}")
    posted = method != "GET"
    todo = (
        "the change was probably applied; wpsync will check before retrying"
        if posted
        else f"{_CHECK_URL}; if it does, please report this"
    )
    summary = f"Woodpecker answered {method} {path} with {response.status_code} but not {expected} — {todo}"
    summary = redact(summary, secret)
    return WoodpeckerApiError(info, summary, method=method, path=path, maybe_committed=posted)


_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
_HOW = [
    (httpx.ConnectTimeout, "connecting timed out"),
    (httpx.ConnectError, "could not connect"),
    (httpx.PoolTimeout, "no free connection in time"),
    (httpx.ReadTimeout, "no answer within the read timeout"),
    (httpx.WriteTimeout, "sending the request timed out"),
    (httpx.RemoteProtocolError, "the connection was dropped before an answer"),
    (httpx.ReadError, "the connection broke while reading the answer"),
    (httpx.WriteError, "the connection broke while sending the request"),
]


def was_sent(exc: httpx.HTTPError) -> bool:
    """Whether request bytes may have reached the server: only a failed connect proves they did not."""
    return not isinstance(exc, _NOT_SENT)


def deadline_passed(
    *, method: str, path: str, base_url: str, seconds: float, attempts: int
) -> WoodpeckerUnreachable:
    """No complete answer within the deadline of a whole request (the server may be trickling it)."""
    committed = method != "GET"
    todo = (
        "the request was sent and may have been applied; wpsync will check before retrying"
        if committed
        else f"check {API_URL_ENV} and the network, or raise WPSYNC_HTTP_TIMEOUT, then run again"
    )
    after = f", after {attempts} attempts" if attempts > 1 else ""
    message = (
        f"no complete answer from Woodpecker at {base_url} to {method} {path} within {seconds:g} s"
        f" (the limit for a whole request, WPSYNC_HTTP_TIMEOUT){after} — {todo}"
    )
    return WoodpeckerUnreachable(message, method=method, path=path, maybe_committed=committed)


def answer_too_large(*, method: str, path: str, base_url: str, limit: int) -> WoodpeckerUnreachable:
    """An answer larger than wpsync reads: not Woodpecker's, or not the API's."""
    from wpsync.bounded import size_text

    committed = method != "GET"
    todo = (
        "the request may have been applied; wpsync will check before retrying"
        if committed
        else f"{_CHECK_URL}, then run again"
    )
    message = (
        f"the answer from {base_url} to {method} {path} is larger than {size_text(limit)}, the most"
        f" wpsync reads — {todo}"
    )
    return WoodpeckerUnreachable(message, method=method, path=path, maybe_committed=committed)


def unreachable(
    exc: httpx.HTTPError,
    *,
    method: str,
    path: str,
    base_url: str,
    attempts: int,
    secret: str | None,
) -> WoodpeckerUnreachable:
    how = next((text for cls, text in _HOW if isinstance(exc, cls)), type(exc).__name__)
    said = one_line(str(exc), secret)
    committed = method != "GET" and was_sent(exc)
    if committed:
        todo = "the request was sent and may have been applied; wpsync will check before retrying"
    elif method != "GET":
        todo = (
            f"nothing was sent, so nothing was applied; check the network and {API_URL_ENV}, then run again"
        )
    else:
        todo = f"check the network and {API_URL_ENV}, then run again"
    after = f", after {attempts} attempts" if attempts > 1 else ""
    message = (
        f"could not reach Woodpecker at {base_url} for {method} {path}: {how}"
        f"{f' ({said})' if said else ''}{after} — {todo}"
    )
    return WoodpeckerUnreachable(redact(message, secret), method=method, path=path, maybe_committed=committed)
