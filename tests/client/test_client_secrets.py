"""A canary key never appears in any message, repr, traceback or log record — httpx's DEBUG logs included.

A real local HTTP server (not a MockTransport) is used so that httpcore's DEBUG traces of the request
and response headers actually run. The server echoes the key back in its error bodies, as a careless
server might, to prove the client redacts what it quotes.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from wpsync.errors import ApiError, WpsyncError
from wpsync.woodpecker.client import RetryPolicy, WoodpeckerClient

CANARY = "CANARY-key-9f8e7d6c5b4a3"


class Echoing(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass

    def answer(self, status: int, body: object) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        key = self.headers.get("x-api-key", "")
        if self.path.endswith("/1"):
            self.answer(200, {"id": 1})
        elif self.path.endswith("/2"):
            self.answer(401, {"title": "Unauthorized", "status": 401, "detail": f"Invalid api key {key}"})
        elif self.path.endswith("/3"):
            self.answer(500, {"code": "UNKNOWN", "message": f"failed for {key}", "details": key})
        elif self.path.endswith("/4"):
            self.close_connection = True  # dropped: no answer at all
        else:
            time.sleep(0.5)  # longer than the client's read timeout
            self.answer(200, {})

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        key = self.headers.get("x-api-key", "")
        body = {"code": "VALIDATION_FAILURE", "message": "m", "details": {"errors": [{"field": key}]}}
        self.answer(409, body)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the client hung up on the slow answer on purpose; no traceback on stderr


@pytest.fixture
def server() -> Iterator[str]:
    httpd = QuietServer(("127.0.0.1", 0), Echoing)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/rest"
    httpd.shutdown()
    httpd.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_key_never_leaks(server: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("httpx", "httpcore", "wpsync"):
        caplog.set_level(logging.DEBUG, logger=name)
    fast = RetryPolicy(max_attempts=2, base_delay=0.001, max_delay=0.001)
    timeout = httpx.Timeout(2.0, read=0.2)
    errors: list[WpsyncError] = []
    with WoodpeckerClient(CANARY, server, retry=fast, timeout=timeout) as client:
        texts = [repr(client), str(client)]
        assert client.get_campaign(1) == {"id": 1}
        calls: list[Callable[[], object]] = [
            lambda: client.get_campaign(2),
            lambda: client.get_campaign(3),
            lambda: client.get_campaign(4),
            lambda: client.get_campaign(5),
            lambda: client.create_campaign({"name": "x"}),
        ]
        for call in calls:
            with pytest.raises(WpsyncError) as caught:
                call()
            errors.append(caught.value)
    with WoodpeckerClient(CANARY, f"http://127.0.0.1:{closed_port()}/rest", retry=fast) as gone:
        with pytest.raises(WpsyncError) as caught:
            gone.mailboxes()
        errors.append(caught.value)

    assert [type(e).__name__ for e in errors] == ["WoodpeckerApiError"] * 2 + [
        "WoodpeckerUnreachable"
    ] * 2 + [
        "WoodpeckerApiError",
        "WoodpeckerUnreachable",
    ]
    for error in errors:
        texts += [str(error), repr(error), repr(error.args), repr(vars(error))]
        texts += traceback.format_exception(error)
    texts += [record.getMessage() for record in caplog.records]
    texts += [repr(record.args) for record in caplog.records]
    texts.append(caplog.text)
    assert any(r.name.startswith("httpcore") for r in caplog.records), "httpcore DEBUG traces ran"
    assert any(r.name == "httpx" for r in caplog.records)
    leaks = [text for text in texts if CANARY in text]
    assert leaks == []
    assert isinstance(errors[0], ApiError)
    assert errors[0].info.details == "Invalid api key [redacted]"


def test_request_headers_print_the_key_masked() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(repr(request.headers))
        assert request.headers["x-api-key"] == CANARY  # sent for real, only masked when printed
        return httpx.Response(200, json={})

    with WoodpeckerClient(CANARY, "https://wp.test/rest", transport=httpx.MockTransport(handler)) as client:
        client.get_campaign(1)
        assert CANARY not in repr(client._http.headers)
    assert CANARY not in seen[0] and "[secure]" in seen[0]


def test_repr_shows_a_fingerprint_that_tells_keys_apart() -> None:
    with (
        WoodpeckerClient("key-one-1111", "https://x/rest") as one,
        WoodpeckerClient("key-two-2222", "https://x/rest") as two,
    ):
        assert "key-one" not in repr(one)
        assert repr(one) != repr(two)
        assert repr(one).startswith("WoodpeckerClient(base_url='https://x/rest', key=sha256:")
