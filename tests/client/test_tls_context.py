"""The TLS context of the client's transport: Woodpecker's https:// gets the system's certificates; a
plain http:// address (the emulator) gets none to load (#23), and a context that fails closed."""

from __future__ import annotations

import ssl

from wpsync.woodpecker.client import WoodpeckerClient


def _context(base_url: str) -> ssl.SSLContext:
    client = WoodpeckerClient("k" * 32, base_url)
    context: ssl.SSLContext = client._http._transport._pool._ssl_context  # type: ignore[attr-defined]
    return context


def test_https_verifies_against_the_systems_certificates() -> None:
    context = _context("https://api.woodpecker.co/rest")
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0


def test_plain_http_loads_no_certificates_and_would_refuse_any_tls_peer() -> None:
    context = _context("http://127.0.0.1:8080/rest")
    # Nothing trusted and verification required: a request that went to https:// would fail, not pass.
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] == 0
