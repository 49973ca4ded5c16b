"""Item 2: the API key never shows — not in an error about a malformed key, not echoed by a server into
the debug log, in no spelling (raw, repr, JSON-escaped, URL-encoded)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest

from tests.hardening.conftest import assert_clear_error, cli
from tests.hardening.servers import raw_server
from tests.helpers import MINIMAL

ROOT = Path(__file__).resolve().parents[2]
# Visible ASCII that every escaping spells differently: a quote, an apostrophe, a backslash, + / = %.
CANARY = "wpk_C4NARY\"q'b\\s+/=%7e_91f3"


def spellings(key: str) -> list[str]:
    return [
        key,
        repr(key)[1:-1],
        repr(key.encode())[2:-1],
        json.dumps(key)[1:-1],
        quote(key, safe=""),
        quote_plus(key, safe=""),
    ]


def test_redact_masks_every_spelling_of_a_registered_key() -> None:
    from wpsync.errors import redact, register_secret

    register_secret(CANARY)
    for spelling in spellings(CANARY):
        assert redact(f"before {spelling} after") == "before [redacted] after", spelling


@pytest.mark.parametrize("content", ["wpk_first\nwpk_second\n", "wpk_abc\x00def", "wpk abc", "wpk_ä"])
def test_a_malformed_key_in_a_key_file_is_refused_without_showing_it(tmp_path: Path, content: str) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "demo.toml").write_text(MINIMAL)
    key_file = tmp_path / "key.txt"
    key_file.write_text(content)
    result = cli(
        [
            "plan",
            "--api-key-file",
            str(key_file),
            "--campaigns",
            str(tmp_path / "campaigns"),
            "--state",
            str(tmp_path / "state"),
        ],
        WOODPECKER_API_URL="http://127.0.0.1:9/rest",
    )
    assert_clear_error(result, "key.txt", "the key alone, on one line")
    for part in ("wpk", "first", "second", "abc", "def"):
        assert part not in result.output.replace(str(tmp_path), ""), result.output


def test_a_malformed_key_in_the_environment_is_refused_without_showing_it() -> None:
    result = cli(["plan", "--offline"], WOODPECKER_API_KEY="wpk_one\nwpk_two")
    assert_clear_error(result, "WOODPECKER_API_KEY", "on one line")
    assert "wpk" not in result.output


def echo_key(conn: socket.socket, head: bytes) -> None:
    """Echo the key back: in a header (raw), in a JSON error body (escaped) and URL-encoded."""
    sent = next(
        (
            line.split(b":", 1)[1].strip()
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"x-api-key:")
        ),
        b"",
    ).decode()
    body = json.dumps(
        {"code": "BAD", "message": f"key {sent} refused", "details": f"see /keys?k={quote_plus(sent)}"}
    ).encode()
    conn.sendall(
        b"HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\n"
        + b"X-Echo-Key: "
        + sent.encode()
        + b"\r\nContent-Length: "
        + str(len(body)).encode()
        + b"\r\nConnection: close\r\n\r\n"
        + body
    )


def test_a_key_from_a_key_file_echoed_by_the_server_stays_out_of_the_debug_log(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "demo.toml").write_text(MINIMAL)
    key_file = tmp_path / "key.txt"
    key_file.write_text(CANARY + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
    with raw_server(echo_key) as url:
        result = subprocess.run(
            [sys.executable, "-m", "wpsync", "plan", "--api-key-file", str(key_file)],
            cwd=tmp_path,
            env=env | {"WOODPECKER_API_URL": url, "WPSYNC_LOG": "debug", "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "x-echo-key" in output.lower()  # the debug log really printed the response headers
    assert "refused" in output  # and the error quoted the server's message
    for spelling in spellings(CANARY):
        assert spelling not in output, (spelling, output)
