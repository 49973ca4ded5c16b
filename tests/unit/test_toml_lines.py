"""The line finder follows TOML strings exactly: literal vs basic, single- vs multi-line, comments."""

from __future__ import annotations

from pathlib import Path

from wpsync.files.loading import parse_source
from wpsync.files.sources import Source
from wpsync.files.toml_lines import index_lines

ROOT = Path(__file__).resolve().parents[2]


def test_three_quotes_inside_a_literal_string_do_not_open_a_multiline_string() -> None:
    text = (ROOT / "campaigns" / "one-step-email.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    name_line = next(i for i, line in enumerate(lines) if line.startswith("name = "))
    lines[name_line] = 'name = \'Quote: """\''  # a literal string holding three double quotes
    zone_line = next(i for i, line in enumerate(lines) if line.startswith("timezone = "))
    lines[zone_line] = 'timezone = "Mars/Olympus"'
    loaded = parse_source(Source("c", Path("c.toml"), ("\n".join(lines) + "\n").encode()))
    [error] = loaded.errors
    assert error.path == "settings.timezone"
    assert error.line == zone_line + 1


def test_every_kind_of_string_is_followed() -> None:
    text = "\n".join(
        [
            'a = \'x """ y\'',  # 1 literal with three double quotes
            "b = \"x \\\" ''' y\"",  # 2 basic with an escaped quote and three single quotes
            'c = """',  # 3 multi-line basic opens
            "d = 'not a key'",  # 4 inside it
            'ends with an escaped quote \\""""',  # 5 an escaped quote, then the closing quotes
            "e = '''",  # 6 multi-line literal opens
            'f = """ not a key, and no escapes in here \\',  # 7
            "'''",  # 8 closes
            'g = 1  # a comment with """ in it',  # 9
            "h = 2",  # 10
            'i = """one line"""',  # 11
            "j = 3",  # 12
        ]
    )
    found = index_lines(text)
    assert {key[0]: line for key, line in found.items()} == {
        "a": 1,
        "b": 2,
        "c": 3,
        "e": 6,
        "g": 9,
        "h": 10,
        "i": 11,
        "j": 12,
    }


def test_a_multiline_string_inside_an_inline_value_is_followed() -> None:
    text = 'versions = [\n  { message = """\nsubject = "inside"\n""" },\n]\nafter = 1\n'
    found = index_lines(text)
    assert ("subject",) not in found
    assert found[("after",)] == 6
