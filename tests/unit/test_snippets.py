"""The snippet scanner: its fast path must agree with the full scan on every text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from wpsync.files import snippets

PIECES = st.sampled_from(
    [
        "{{",
        "}}",
        "{",
        "}",
        "FIRST_NAME",
        "SNIPPET1",
        "SNIPPET_3",
        "SPINTAX",
        " | ",
        '"a"',
        '"b"',
        "CLICK=x",
        "UNSUBSCRIBE",
        "x",
        " ",
        "\n",
    ]
)


@settings(max_examples=400)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_fast_path_agrees_with_the_full_scan(text: str) -> None:
    quick = snippets.field_snippets(text)
    found, errors = snippets.scan(text)
    if quick is not None:
        assert errors == []
        from_scan = [(s.name, s.fallback is not None) for s in found if s.kind == "field"]
        assert list(dict.fromkeys(quick)) == list(dict.fromkeys(from_scan))


WELL_FORMED = re.compile(r"\{\{([^{}]*)\}\}")  # what the fast path once found with a regex


@settings(max_examples=400)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_fast_path_takes_a_text_exactly_when_every_brace_is_in_a_valid_snippet(text: str) -> None:
    inners = WELL_FORMED.findall(text)
    every_brace = text.count("{") == 2 * len(inners) and text.count("}") == 2 * len(inners)
    valid = every_brace and all(not isinstance(snippets._parse_cached(inner), str) for inner in inners)
    assert (snippets.field_snippets(text) is not None) == valid


def test_scan_examples() -> None:
    found, errors = snippets.scan(
        'Hi {{FIRST_NAME | "there"}} {{SPINTAX | "a" | "b"}} {{UNSUBSCRIBE}} {{CLICK=https://x.io}}'
    )
    assert [(s.kind, s.name, s.args) for s in found] == [
        ("field", "FIRST_NAME", ("there",)),
        ("spintax", "SPINTAX", ("a", "b")),
        ("unsubscribe", "UNSUBSCRIBE", ()),
        ("click", "CLICK", ("https://x.io",)),
    ]
    assert errors == []
    assert [e.message for e in snippets.scan("}} {{A {{B}} }} {{x}} {{")[1]] == [
        "'}}' without a matching '{{'",
        "snippets cannot be nested inside a snippet",
        "{{x}}: snippet names are upper-case letters, digits and underscores: {{FIRST_NAME}}",
        "'{{' is never closed with '}}'",
    ]
