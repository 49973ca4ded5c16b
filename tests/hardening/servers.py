"""Tiny misbehaving HTTP servers on 127.0.0.1 (port 0), each in a thread, for the client's limits."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator

Handler = Callable[[socket.socket, bytes], None]


@contextlib.contextmanager
def raw_server(handler: Handler, *, lifetime: float = 10.0) -> Iterator[str]:
    """Serve each connection with ``handler(conn, request_head)``; yields the base URL (…/rest).

    Connections are closed after ``lifetime`` seconds whatever the handler does, so a client that
    does not bound its requests fails the test instead of hanging it."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()
    started = time.monotonic()

    def serve(conn: socket.socket) -> None:
        with conn:
            conn.settimeout(lifetime)
            head = b""
            with contextlib.suppress(OSError):
                while b"\r\n\r\n" not in head:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    head += chunk
                handler(conn, head)

    def accept() -> None:
        while not stop.is_set() and time.monotonic() - started < lifetime:
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=serve, args=(conn,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/rest"
    finally:
        stop.set()
        thread.join(2)
        listener.close()


def trickle_body(conn: socket.socket, head: bytes) -> None:
    """A valid header, then a 10,000-byte body one byte every 0.1 s (a per-read timeout never fires)."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n")
    for _ in range(10_000):
        conn.sendall(b" ")
        time.sleep(0.1)


def trickle_headers(conn: socket.socket, head: bytes) -> None:
    """The status line and headers, one byte every 0.1 s, never finished."""
    for byte in b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 100_000:
        conn.sendall(bytes([byte]))
        time.sleep(0.1)


def huge_length(conn: socket.socket, head: bytes) -> None:
    """Announces 4 GB, then sends zeros as fast as it can."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 4000000000\r\n\r\n")
    block = b"[" + b" " * 65535
    with contextlib.suppress(OSError):
        while True:
            conn.sendall(block)


def endless_chunks(conn: socket.socket, head: bytes) -> None:
    """A chunked answer with no end and no length."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
    chunk = b" " * 65536
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    with contextlib.suppress(OSError):
        while True:
            conn.sendall(frame)
