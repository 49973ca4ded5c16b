"""The key stays out of what wpsync shows even when a server echoes it transformed: upper- or
lower-cased, base64 (alone or inside a longer encoded text), URL-encoded, reversed, hex."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.hardening.servers import raw_server
from tests.helpers import MINIMAL

ROOT = Path(__file__).resolve().parents[2]
KEY = "wpk_Tr4nsf0rmed+Key/91f3=zz"


PREFIX = b"x-api-key: "


def key_part_of_header(key: str) -> str:
    """In base64 of PREFIX + key: the characters only the key's bytes decide."""
    encoded = base64.b64encode(PREFIX + key.encode()).decode()
    return encoded[(4 * len(PREFIX) + 2) // 3 : (4 * (len(PREFIX) + len(key.encode()))) // 3]


def transformed(key: str) -> dict[str, str]:
    raw = key.encode()
    return {
        "upper": key.upper(),
        "lower": key.lower(),
        "swapped": key.swapcase(),
        "base64": base64.b64encode(raw).decode(),
        "base64 url-safe": base64.urlsafe_b64encode(raw).decode().rstrip("="),
        "base64 inside a header": base64.b64encode(PREFIX + raw).decode(),
        "url-encoded upper": quote(key.upper(), safe=""),
        "url-encoded lower hex": quote(key, safe="").lower(),
        "reversed": key[::-1],
        "hex": raw.hex().upper(),
    }


@pytest.mark.parametrize("name", transformed(KEY).keys())
def test_redact_masks_a_transformed_key(name: str) -> None:
    from wpsync.errors import redact, register_secret

    register_secret(KEY)
    spelling = transformed(KEY)[name]
    shown = redact(f"before {spelling} after")
    if name == "base64 inside a header":  # the key's own characters are gone; the prefix's may stay
        assert key_part_of_header(KEY) not in shown and "[redacted]" in shown
    else:
        assert shown == "before [redacted] after", (name, shown)


def echo_transformed(conn: socket.socket, head: bytes) -> None:
    sent = next(
        (
            line.split(b":", 1)[1].strip().decode()
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"x-api-key:")
        ),
        "",
    )
    forms = " | ".join(transformed(sent).values())
    body = json.dumps({"code": "BAD", "message": f"key refused: {forms}", "details": None}).encode()
    conn.sendall(
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )


def test_a_server_echoing_the_key_transformed_gets_none_of_it_shown(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "demo.toml").write_text(MINIMAL)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
    with raw_server(echo_transformed) as url:
        result = subprocess.run(
            [sys.executable, "-m", "wpsync", "plan"],
            cwd=tmp_path,
            env=env
            | {
                "WOODPECKER_API_URL": url,
                "WOODPECKER_API_KEY": KEY,
                "WPSYNC_LOG": "debug",
                "PYTHONPATH": str(ROOT),
            },
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "key refused" in output  # the server's message was quoted
    for name, spelling in transformed(KEY).items():
        shown = key_part_of_header(KEY) if name == "base64 inside a header" else spelling
        assert shown not in output, (name, output)
