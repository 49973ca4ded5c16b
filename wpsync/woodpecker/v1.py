"""Woodpecker's v1 quirk of an error inside an HTTP 2xx or 400 (api-notes.md, "v1 quirks seen in the
wild" and "Newer evidence": the help centre lists E_SESSION and E_TOO_MANY_REQUESTS under 400)."""

from __future__ import annotations

import re

import httpx

from wpsync.errors import ApiErrorInfo
from wpsync.woodpecker.errors import one_line

V1_ERROR_STATUS = {"E_TOO_MANY_REQUESTS": 429, "E_SESSION": 401}  # the HTTP status each one means
# A "status" key holding an object: how a v1 error's body reads. A campaign's "status" is text, so its
# answer (a create's, 20 KB and more) is not parsed a second time just to find that out.
_STATUS_OBJECT = re.compile(rb'"status"\s*:\s*\{')


def v1_error_in_body(response: httpx.Response, secret: str | None = None) -> ApiErrorInfo | None:
    """A v1 error delivered inside an HTTP 2xx or 400: ``{"status": {"status": "ERROR", "code",
    "msg"}}``. ``E_TOO_MANY_REQUESTS`` reads as a 429 (retried), ``E_SESSION`` as a 401; others as a
    400. None for every other answer."""
    if not (response.is_success or response.status_code == 400):
        return None
    if not response.content.startswith(b"{") or b'"status"' not in response.content[:4096]:
        return None  # the common case, decided without parsing the body twice
    if _STATUS_OBJECT.search(response.content) is None:
        return None  # no "status" object anywhere: the body cannot be a v1 error
    try:
        data = response.json()
    except ValueError:
        return None
    inner = data.get("status") if isinstance(data, dict) else None
    if not isinstance(inner, dict) or str(inner.get("status", "")).upper() != "ERROR":
        return None
    code = str(inner.get("code") or "E_UNKNOWN")
    message = one_line(str(inner.get("msg") or inner.get("message") or code), secret)
    return ApiErrorInfo(status=V1_ERROR_STATUS.get(code, 400), code=code, message=message)
