"""Whole comments with hostile text in every field that reaches them (campaign key and name, subject,
message, signature, LinkedIn note, refusal text, old and new values of a refused edit), read back by a
real CommonMark renderer: the comment keeps its own shape, and no hidden character, block, tag, link,
mention or reference comes from the copy."""

from __future__ import annotations

import html
import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.review.commonmark import AUTOLINKED, SPLIT, parse, split_text_nodes
from tests.review.plans import BINDING, create_action
from wpsync.errors import Problem
from wpsync.plan.plan import FieldChange, Note, Plan, Refusal
from wpsync.review.markdown import render_markdown
from wpsync.review.visible import marker

PIECES = st.sampled_from(
    [
        "\r",
        "\n",
        "\r\n",
        "\r\r",
        "\u2028",
        "\x85",
        "\v",
        "\f",
        "\x1b[31m",
        "\x00",
        "\u202e",
        "\u2067",
        "\u200b",
        "\ufeff",
        "# ",
        "- ",
        "1. ",
        "> ",
        "```",
        "    ",
        "|",
        "---",
        "<",
        "</details>",
        "<p>",
        "<br>",
        "<!--",
        "[x](y)",
        "{{A}}",
        "`",
        "*",
        "@user",
        "#12",
        "GH-12",
        "https://x.example/p",
        "word",
    ]
)
TEXT = st.lists(st.one_of(PIECES, st.characters(codec="utf-8")), max_size=12).map("".join)
OUR_HTML = re.compile(r"</?(details|summary|code|b|sub|del|ins)( open)?>|<br>|<!-- -->|<!-- wpsync:plan -->")


def _refusal(key: str, old: str, new: str, reason: str) -> Refusal:
    changes = (
        FieldChange("steps[0].versions[0].subject", old, new),
        FieldChange("steps[0].versions[0].message", old, new),
        FieldChange("steps[0].versions[1].message", f"<p>{old}</p>", f"<p>{new}</p>"),
        FieldChange("steps[1].versions[0].message", old, None),
        FieldChange("name", old, new),
        FieldChange("steps[0].followup_after.value", old, new),
    )
    return Refusal(key, f"campaigns/{key}.toml", "delay_changed", 1, reason, reason, changes)


def check_comment(text: str, *, email_steps: int, list_items: int = 0) -> None:
    for char in set(text) - {"\n", "\t", "\u200d"}:
        assert marker(char) is None, f"a hidden character reached the comment: {char!r}"
    tokens = parse(text)
    kinds = [t.type for t in tokens]
    assert kinds.count("heading_open") == 1, "only the summary line is a heading"
    assert kinds.count("table_open") == email_steps, "only the week grids are tables"
    assert kinds.count("list_item_open") == list_items, "only notes and warnings are list items"
    for kind in ("ordered_list_open", "fence", "code_block", "hr"):
        assert kind not in kinds, kind
    for token in tokens:
        if token.type == "html_block":  # <details>, <summary>…</summary>, </details>: ours alone
            text_only = OUR_HTML.sub(SPLIT, token.content)
            assert "<" not in text_only.replace(SPLIT, "") and ">" not in text_only.replace(SPLIT, "")
            for piece in text_only.split(SPLIT):
                assert not AUTOLINKED.search(html.unescape(piece)), token.content
        if token.type != "inline":
            continue
        for child in token.children or []:
            if child.type == "html_inline":
                assert OUR_HTML.fullmatch(child.content), child.content
            assert child.type not in ("image", "s_open"), child.type
            if child.type == "link_open":
                assert child.markup == "autolink"
        for run in split_text_nodes(token):
            assert not AUTOLINKED.search(run), run


@settings(max_examples=60, deadline=None)
@given(key=TEXT, name=TEXT, subject=TEXT, message=TEXT, signature=TEXT, note=TEXT)
@example(
    key="k",
    name="x\r\r# name",
    subject="Hi\r# INJECTED\r- item",
    message="Hello\r# INJECTED\r- item",
    signature="SENDER",
    note="Hi\r# INJECTED\r- item\u202e",
)
def test_copy_in_every_field_of_a_create_cannot_change_the_comment(
    key: str, name: str, subject: str, message: str, signature: str, note: str
) -> None:
    action = create_action(key or "k", name, subject, message, signature, note)
    check_comment(render_markdown(Plan((action,), (), (), BINDING)), email_steps=1)


@settings(max_examples=60, deadline=None)
@given(key=TEXT, old=TEXT, new=TEXT, reason=TEXT)
@example(key="k", old="Hello\r# INJECTED", new="Hello\r- item\r\r> q", reason="# r")
def test_copy_in_every_field_of_a_refused_edit_cannot_change_the_comment(
    key: str, old: str, new: str, reason: str
) -> None:
    refusal = _refusal(key or "k", old, new, reason)
    check_comment(render_markdown(Plan((), (refusal,), (), BINDING)), email_steps=0)


@settings(max_examples=60, deadline=None)
@given(file=TEXT, path=TEXT, message=TEXT)
@example(file="c.toml", path="steps[0]\r# x", message="line\r- item\r\r1. one")
def test_notes_and_warnings_are_one_list_item_each(file: str, path: str, message: str) -> None:
    plan = Plan((), (), (Note("k", "drift", message),), BINDING)
    warning = Problem(file or "c.toml", path, message, line=3, severity="warning")
    check_comment(render_markdown(plan, warnings=[warning]), email_steps=0, list_items=2)
