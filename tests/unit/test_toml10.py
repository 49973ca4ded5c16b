"""A file wpsync accepts is TOML 1.0: TOML 1.1 syntax is refused with the file's line and what to write."""

from __future__ import annotations

from pathlib import Path

import pytest

from wpsync.files.loading import parse_source
from wpsync.files.sources import Source

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = (ROOT / "campaigns" / "one-step-email.toml").read_text(encoding="utf-8")


def _errors(text: str) -> list[str]:
    loaded = parse_source(Source("c", Path("campaigns/c.toml"), text.encode()))
    return [problem.render() for problem in loaded.errors]


@pytest.mark.parametrize(
    ("fragment", "line"),
    [
        ("[lint]\nx = { a = 1, b = 2, }\n", 2),  # a trailing comma in an inline table
        ("[lint]\nx = { a = 1,\n  b = 2 }\n", 2),  # a line break inside an inline table
    ],
    ids=["trailing-comma", "newline-in-inline-table"],
)
def test_toml_1_1_inline_tables_are_refused_with_file_and_line(fragment: str, line: int) -> None:
    base = EXAMPLE.count("\n")
    errors = _errors(EXAMPLE + fragment)
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"campaigns/c.toml:{base + line}: invalid TOML:"), errors[0]
    assert "TOML 1.0 inline tables are written on one line, without a trailing comma" in errors[0]


@pytest.mark.parametrize(
    "text",
    ['name = "\\e"\n', 'name = "\\x41"\n', "name = 08:00\n"],
    ids=["escape-e", "escape-x", "time-without-seconds"],
)
def test_other_toml_1_1_syntax_is_refused(text: str) -> None:
    errors = _errors(text)
    assert errors and "invalid TOML" in errors[0], errors


def test_a_byte_order_mark_is_skipped() -> None:
    loaded = parse_source(Source("c", Path("c.toml"), ("\ufeff" + EXAMPLE).encode()))
    assert loaded.errors == []
