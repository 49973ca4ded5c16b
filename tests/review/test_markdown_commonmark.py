"""The escaper against a real CommonMark renderer, on arbitrary text: what it writes shows the text
it was given (hidden characters as their visible stand-ins) and nothing else: no block the text did
not ask for, no emphasis, link, image, tag, mention or issue reference."""

from __future__ import annotations

import html
import re

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from tests.review.commonmark import (
    AUTOLINKED,
    SPLIT,
    block_types,
    child_text,
    inline_text,
    parse,
    shown_block,
    shown_line,
    split_text_nodes,
)
from wpsync.review import escape, worddiff

FRAGMENTS = [
    *"#-+=*_~`|$<>&[]()!\\:.{}@ \t",
    "\r",
    "\n",
    "\r\n",
    "\r\r",
    "\u2028",
    "\u2029",
    "\x85",
    "\v",
    "\f",
    "\x00",
    "\x1b[2J",
    "\x7f",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\xad",
    "\xa0",
    "\u3164",
    "    ",
    "# ",
    "- ",
    "1. ",
    "2) ",
    "> ",
    "```",
    "~~~",
    "---",
    "===",
    "| a | b |",
    "|---|",
    "<div>",
    "</details>",
    "<!--",
    "-->",
    "<!-- -->",
    "[a](b)",
    "![i](x)",
    "[a]: /u",
    "<https://x>",
    "https://x.example/a_b?c=1",
    "{{A}}",
    '{{B | "x"}}',
    "{{",
    "}}",
    "@user",
    "#12",
    "GH-12",
    "gh-7",
    "&amp;",
    "&#64;",
    "**b**",
    "$x$",
    "<U+202E>",
]
DIFF_TAGS = frozenset({SPLIT, "<del>", "</del>", "<ins>", "<b>", "</b>", "</ins>"})
TEXT = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.characters(codec="utf-8")), max_size=25).map("".join)
LINE = TEXT.map(lambda t: re.sub(r"[\r\n]", "", t))


def _one_paragraph(markdown: str) -> str:
    tokens = parse(markdown)
    assert block_types(tokens) == ["paragraph_open", "inline", "paragraph_close"], markdown
    for run in split_text_nodes(tokens[1]):
        assert not AUTOLINKED.search(run), (run, markdown)
    return inline_text(tokens[1])


def _paragraphs(
    markdown: str, *, allowed_html: frozenset[str] = frozenset({SPLIT}), quoted: bool = False
) -> str:
    tokens = parse(markdown)
    if quoted:
        assert tokens[0].type == "blockquote_open" and tokens[-1].type == "blockquote_close", markdown
        tokens = tokens[1:-1]
    types = block_types(tokens)
    assert types == ["paragraph_open", "inline", "paragraph_close"] * (len(types) // 3), markdown
    texts = []
    for token in tokens[1::3]:
        for run in split_text_nodes(token):
            assert not AUTOLINKED.search(run), (run, markdown)
        texts.append(inline_text(token, allowed_html=allowed_html))
    return "\n\n".join(texts)


@settings(max_examples=400)
@given(TEXT)
@example("Hi\r# INJECTED\r- item")
@example("{{A}}{{B}}")
@example("a\u2028# b\x0c- c\x85> d")
def test_inline_text_shows_as_itself_mid_line(text: str) -> None:
    assert _one_paragraph(f"a {escape.inline(text)} b") == f"a {shown_line(text)} b"


@settings(max_examples=400)
@given(TEXT)
@example("1) x")
@example("# heading")
@example("    \r")
def test_a_line_cannot_start_a_block(text: str) -> None:
    """``line`` as used: the line after a hard break (a refusal's reason) and a list item (a note)."""
    shown = shown_line(text).strip()
    assume(shown)
    assert _one_paragraph(f"first\\\n{escape.line(text)}") == f"first\n{shown}"
    tokens = parse(f"- {escape.line(text)}\n")
    assert block_types(tokens) == [
        "bullet_list_open",
        "list_item_open",
        "paragraph_open",
        "inline",
        "paragraph_close",
        "list_item_close",
        "bullet_list_close",
    ]
    assert inline_text(tokens[3]) == shown


@settings(max_examples=400)
@given(TEXT)
@example("Hi\r# INJECTED\r- item")
@example("one\r\rtwo\r\n\r\nthree\n\n\nfour")
@example("    code\n\tmore")
def test_block_text_is_paragraphs_of_itself(text: str) -> None:
    rendered = escape.block(text)
    assert _paragraphs(rendered) == shown_block(text)
    assert _paragraphs(escape.quote(rendered), quoted=True) == shown_block(text)


@settings(max_examples=400)
@given(TEXT)
@example("{{A}}{{B}}")
@example(" a ")
@example("`")
@example("a\rb")
def test_a_code_span_holds_the_text_exactly(text: str) -> None:
    tokens = parse(f"a {escape.code(text)} b")
    assert block_types(tokens) == ["paragraph_open", "inline", "paragraph_close"]
    children = tokens[1].children or []
    assert [c.type for c in children] == ["text", "code_inline", "text"]
    assert children[1].content == (shown_line(text) or " ")


@settings(max_examples=400)
@given(TEXT)
@example("x\r\r# INJECTED")
@example("</summary></details>\n\n# x")
@example("@user #12 GH-3")
def test_attribute_text_stays_inside_its_tag(text: str) -> None:
    escaped = escape.attr(text)
    markdown = f"<details>\n<summary>{escaped}</summary>\n\n</details>\n"
    tokens = parse(markdown)
    assert [t.type for t in tokens] == ["html_block", "html_block"]
    assert tokens[0].content == f"<details>\n<summary>{escaped}</summary>\n"
    without_guards = escaped.replace(SPLIT, "")
    assert "<" not in without_guards and ">" not in without_guards
    assert html.unescape(without_guards) == shown_line(text).replace("\t", "\\t")
    for run in escaped.split(SPLIT):
        assert not AUTOLINKED.search(html.unescape(run))


@settings(max_examples=300)
@given(TEXT, TEXT)
@example("Hello\r# INJECTED", "Hello\r- item")
def test_a_word_diff_is_paragraphs_of_marked_words(old: str, new: str) -> None:
    rendered = worddiff.render(worddiff.diff(old, new))
    _paragraphs(rendered, allowed_html=DIFF_TAGS)


def _side(markdown: str, drop: str) -> str:
    """The text of a rendered word diff without its ``drop`` ("del" or "ins") runs."""
    texts = []
    for token in parse(markdown)[1::3]:
        out, skipping = [], False
        for child in token.children or []:
            if child.type == "html_inline" and child.content in (f"<{drop}>", f"</{drop}>"):
                skipping = child.content == f"<{drop}>"
            elif not skipping:
                out.append(child_text(child, DIFF_TAGS))
        texts.append("".join(out))
    return "\n\n".join(texts)


@settings(max_examples=300)
@given(TEXT, TEXT)
@example("Hello\r# INJECTED", "Hello\r- item")
@example("a b c", "x y z")
def test_a_word_diff_shows_the_old_and_the_new_text(old: str, new: str) -> None:
    """Up to whitespace: a line only added leaves a blank line on the old side, a removed line break
    cannot be struck through (it still breaks the line), and a change keeps spaces a line's edges
    would lose."""
    rendered = worddiff.render(worddiff.diff(old, new))
    assert _words(_side(rendered, "ins")) == _words(shown_block(old))
    assert _words(_side(rendered, "del")) == _words(shown_block(new))


def _words(text: str) -> str:
    return re.sub(r"\s+", "", text)
