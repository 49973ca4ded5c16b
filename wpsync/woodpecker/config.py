"""Where Woodpecker is and what a key may look like: checks light enough to run before httpx loads.

base_url_problem(url, allow_http)   https:// only; plain http:// to this machine alone (the emulator:
                                    localhost, 127.0.0.0/8, ::1) unless WPSYNC_ALLOW_HTTP=1
api_key_problem(key)                one line of visible ASCII: a key with a line break or NUL (a
                                    two-line key file) would be refused by httpx with the key
                                    quoted, escaped, in its error — so it is refused here first,
                                    with a message that shows no part of it
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

API_URL_ENV = "WOODPECKER_API_URL"
ALLOW_HTTP_ENV = "WPSYNC_ALLOW_HTTP"
DEFAULT_BASE_URL = "https://api.woodpecker.co/rest"


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_problem(url: str, *, allow_http: bool = False) -> str | None:
    """None, or why ``url`` may not be Woodpecker's base URL, with what to do."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        host = None
        parts = None
    if parts is None or not host or parts.scheme not in ("https", "http"):
        return f"{API_URL_ENV} must start with https:// (it is {url!r}); Woodpecker's is {DEFAULT_BASE_URL}"
    if parts.scheme == "http" and not allow_http and not is_loopback(host):
        return (
            f"{API_URL_ENV} is {url!r}: plain http:// would send the API key unencrypted; use https://"
            f" (http:// is accepted for this machine only — localhost, 127.0.0.0/8, ::1 — or anywhere"
            f" with {ALLOW_HTTP_ENV}=1)"
        )
    return None


def api_key_problem(key: str) -> str | None:
    """None, or why ``key`` (already stripped) cannot be an API key; never quotes any of it."""
    if not key:
        return "is empty"
    if any(not "\x21" <= ch <= "\x7e" for ch in key):
        return (
            "holds a character an API key cannot have (a line break, tab, NUL, space or other control"
            " or non-ASCII character); it must be the key alone, on one line"
        )
    return None
