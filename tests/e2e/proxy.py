"""A forwarding proxy in front of the emulator that rewrites chosen answers: a Woodpecker whose answer
to one call is malformed or hostile, while every other call is the emulator's own."""

from __future__ import annotations

import contextlib
import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from tests.hardening.servers import raw_server

# (method, path, the emulator's answer as JSON) → the answer to send instead (None: unchanged)
Rewrite = Callable[[str, str, Any], Any]


@contextlib.contextmanager
def rewriting(target: str, rewrite: Rewrite) -> Iterator[str]:
    """Yields the proxy's base URL (…/rest); ``target`` is the emulator's."""

    def handle(conn: socket.socket, head: bytes) -> None:
        header, _, body = head.partition(b"\r\n\r\n")
        lines = header.decode("latin-1").split("\r\n")
        method, path, _ = lines[0].split(" ", 2)
        headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
        length = int(next((v for k, v in headers.items() if k.lower() == "content-length"), "0"))
        while len(body) < length:
            body += conn.recv(65536)
        forward = {
            k: v for k, v in headers.items() if k.lower() in ("x-api-key", "content-type", "x-company-id")
        }
        answer = httpx.request(method, target.removesuffix("/rest") + path, headers=forward, content=body)
        content = answer.content
        with contextlib.suppress(ValueError):
            changed = rewrite(method, path, answer.json())
            if changed is not None:
                content = json.dumps(changed).encode()
        reason = answer.reason_phrase or "OK"
        conn.sendall(
            f"HTTP/1.1 {answer.status_code} {reason}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(content)}\r\nConnection: close\r\n\r\n".encode()
            + content
        )

    with raw_server(handle, lifetime=120) as url:
        yield url
