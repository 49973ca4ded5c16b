"""Campaign copy cannot break the comment: no tags, blocks, mentions, issue links or LaTeX get through;
and the word diff marks words, not whole lines."""

from __future__ import annotations

import re

from tests.review.commonmark import inline_text, parse
from tests.review.plans import BINDING, create_action
from wpsync.plan.plan import FieldChange, Plan, Refusal
from wpsync.review import escape as markdown_escape
from wpsync.review import worddiff
from wpsync.review.markdown import render_markdown

HOSTILE = (
    "</details></summary><script>alert(1)</script>\n"
    "# Heading\n"
    "- list item\n"
    "1. ordered\n"
    "---\n"
    "| a | b |\n"
    "> quote\n"
    "    indented code\n"
    "Hi @octocat, see #12, pay $5 and $6, `code`, *star*, _under_, ~~strike~~, [link](http://x), "
    "<!-- comment --> &copy;"
)


def test_hostile_plain_text_is_inert() -> None:
    assert markdown_escape.block(HOSTILE) == (
        "&lt;/details&gt;&lt;/summary&gt;&lt;script&gt;alert(1)&lt;/script&gt;\\\n"
        "\\# Heading\\\n"
        "\\- list item\\\n"
        "1\\. ordered\\\n"
        "\\---\\\n"
        "\\| a \\| b \\|\\\n"
        "&gt; quote\\\n"
        "indented code\\\n"
        "Hi @<!-- -->octocat, see #<!-- -->12, pay \\$5 and \\$6, \\`code\\`, \\*star\\*, \\_under\\_, "
        "\\~\\~strike\\~\\~, \\[link\\](<http://x>), &lt;!-- comment --&gt; &amp;copy;"
    )


def test_snippets_are_code_and_urls_are_links() -> None:
    assert markdown_escape.inline('Hi {{FIRST_NAME | "there"}}, see https://x.example/a_b?c=1.') == (
        'Hi `{{FIRST_NAME | "there"}}`, see <https://x.example/a_b?c=1>.'
    )
    assert markdown_escape.code("a `tick` b") == "``a `tick` b``"
    assert markdown_escape.code("`edge`") == "`` `edge` ``"


def test_a_hostile_refused_edit_keeps_the_comment_well_formed() -> None:
    change = FieldChange("steps[0].versions[0].message", "<p>Hello</p>", f"<p>{HOSTILE}</p>")
    refusal = Refusal("k", "campaigns/k.toml", "delay_changed", 1, "r <b>", "w @me", (change,))
    text = render_markdown(Plan((), (refusal,), (), BINDING))
    # Every raw tag in the output is one wpsync wrote; user text only ever appears as entities.
    tags = set(re.findall(r"</?([a-z]+)(?![a-z]*:)[^>]*>", text))  # not <https://…> autolinks
    assert tags <= {"details", "summary", "code", "b", "del", "ins", "sub", "br"}
    assert text.count("<details") == text.count("</details>") == 1
    assert "@me" not in text and "@octocat" not in text
    assert "\n# " not in text and "\n- list" not in text and "\n> # " not in text


def test_the_word_diff_marks_only_the_changed_words() -> None:
    segments = worddiff.diff("Hi there, this is a test.", "Hello there, this was a test!")
    assert worddiff.render(segments) == (
        "<del>Hi</del> <ins><b>Hello</b></ins> there, this <del>is</del> <ins><b>was</b></ins> a test"
        "<del>.</del><ins><b>!</b></ins>"
    )


def test_a_change_across_paragraphs_closes_its_tags_on_each_line() -> None:
    rendered = worddiff.render(worddiff.diff("One.\n\nTwo.", "One.\n\nNew para.\n\nTwo."))
    assert rendered == "One.\n\n<ins><b>New para.</b></ins>\n\nTwo."
    rendered = worddiff.render(worddiff.diff("a b c", "x y z"))
    assert rendered == "<del>a b c</del> <ins><b>x y z</b></ins>"  # one change, not three


def test_an_edit_only_in_the_markup_says_so() -> None:
    change = FieldChange("steps[1].versions[0].message", "<p>Hi</p>", "<p><b>Hi</b></p>")
    refusal = Refusal("k", "campaigns/k.toml", "delay_changed", 2, "reason", "way out", (change,))
    text = render_markdown(Plan((), (refusal,), (), BINDING))
    assert (
        "Version A · `message` (only the HTML changed):\n"
        "> &lt;p&gt;<ins><b>&lt;b&gt;</b></ins>Hi<ins><b>&lt;/b&gt;</b></ins>&lt;/p&gt;\n"
    ) in text


def test_a_subject_added_to_a_follow_up() -> None:
    change = FieldChange("steps[1].versions[1].subject", None, "New thread")
    refusal = Refusal("k", "campaigns/k.toml", "delay_changed", 2, "reason", "way out", (change,))
    text = render_markdown(Plan((), (refusal,), (), BINDING))
    assert "Version B · `subject` (added):\n> <ins><b>New thread</b></ins>\n" in text


def _blocks(text: str) -> list[str]:
    return [t.type for t in parse(text) if t.type.endswith("_open") or t.type in ("fence", "html_block")]


def test_a_carriage_return_in_a_subject_note_or_diff_starts_no_block() -> None:
    hostile = "Hi\r# INJECTED\r- item"
    create = create_action("k", "Name", hostile, "<p>Body</p>", "SENDER", hostile)
    change = FieldChange("steps[0].versions[0].message", "Hello", "Hello\r# INJECTED\r- item")
    refusal = Refusal("r", "campaigns/r.toml", "delay_changed", 1, "reason", "way out", (change,))
    text = render_markdown(Plan((create,), (refusal,), (), BINDING))
    kinds = [t.type for t in parse(text)]
    assert kinds.count("heading_open") == 1  # the summary line only
    assert "bullet_list_open" not in kinds
    # A subject is one line: its carriage returns show as \r; a note or a diff keeps them as breaks.
    assert "**Subject:** Hi\\\\r# INJECTED\\\\r- item" in text
    assert "> Hi\\\n> \\# INJECTED\\\n> \\- item\n" in text
    assert "> Hello\\\n> <ins><b>\\# INJECTED</b></ins>\\\n> <ins><b>\\- item</b></ins>\n" in text


def test_line_and_paragraph_separators_and_form_feeds_are_shown_not_obeyed() -> None:
    assert markdown_escape.block("a\u2028# b\u2029- c\x85> d\v1. e\f---") == (
        "a&lt;U+2028&gt;# b&lt;U+2029&gt;- c&lt;U+0085&gt;&gt; d\\\\v1. e\\\\f---"
    )
    assert markdown_escape.block("one\r\ntwo\rthree\nfour") == "one\\\ntwo\\\nthree\\\nfour"


def test_bidi_and_zero_width_characters_show_as_code_points() -> None:
    assert markdown_escape.inline("invoice\u202efdp.exe \u2066x\u2069 a\u200bb \ufeff") == (
        "invoice&lt;U+202E&gt;fdp.exe &lt;U+2066&gt;x&lt;U+2069&gt; a&lt;U+200B&gt;b &lt;U+FEFF&gt;"
    )
    assert markdown_escape.attr("evil\u202e") == "evil&lt;U+202E&gt;"
    assert markdown_escape.code("{{A\u200b}}") == "`{{A<U+200B>}}`"
    assert markdown_escape.inline("👩\u200d💻 ok") == "👩\u200d💻 ok"  # an emoji sequence is kept


def test_github_references_and_mentions_are_split_not_linked() -> None:
    escaped = markdown_escape.inline("see GH-123, gh-7, #123 and @user; ada@example.com")
    assert escaped == ("see GH<!-- -->-123, gh<!-- -->-7, #<!-- -->123 and @<!-- -->user; ada@example.com")
    children = parse(escaped)[1].children or []
    assert "".join(c.content for c in children if c.type == "text") == (
        "see GH-123, gh-7, #123 and @user; ada@example.com"
    )


def test_adjacent_snippets_share_one_code_span() -> None:
    assert markdown_escape.inline("{{A}}{{B}} and {{C}}") == "`{{A}}{{B}}` and `{{C}}`"
    children = parse(markdown_escape.inline("{{A}}{{B}}"))[1].children or []
    assert [(c.type, c.content) for c in children] == [("code_inline", "{{A}}{{B}}")]


def test_a_subject_in_a_refused_edit_is_plain_text_not_html() -> None:
    change = FieldChange(
        "steps[0].versions[0].subject", "Partnership with <Company>", "Partners with <Company>"
    )
    refusal = Refusal("k", "campaigns/k.toml", "delay_changed", 1, "reason", "way out", (change,))
    text = render_markdown(Plan((), (refusal,), (), BINDING))
    assert (
        "Version A · `subject`:\n> <del>Partnership</del> <ins><b>Partners</b></ins> with &lt;Company&gt;\n"
    ) in text


def test_wpsync_messages_show_their_quoted_commands_as_code_and_user_text_inert() -> None:
    said = "run `wpsync forget old-campaign` to stop tracking it"
    assert markdown_escape.message(said) == "run `wpsync forget old-campaign` to stop tracking it"
    # User text inside a message (a campaign name) stays inert in and out of the code spans.
    hostile = "campaign `<script>x</script>` of @octocat #12: `wpsync import 7 --key a*b`"
    rendered = markdown_escape.message(hostile)
    assert rendered == (
        "campaign `<script>x</script>` of @<!-- -->octocat #<!-- -->12: `wpsync import 7 --key a*b`"
    )
    inline = next(t for t in parse(f"- {rendered}") if t.type == "inline")
    assert [c.type for c in inline.children or []] == [
        *("text", "code_inline", "text", "html_inline", "text", "html_inline", "text", "code_inline")
    ]  # the two code spans, and the guards' empty comments: no tag, no emphasis, no mention
    assert inline_text(inline) == "campaign <script>x</script> of @octocat #12: wpsync import 7 --key a*b"
    # An odd count of backticks is not wpsync's pairing: all of it is escaped text.
    assert markdown_escape.message("a ` b `c` d") == "a \\` b \\`c\\` d"
    assert markdown_escape.message_line("- `x`") == "\\- `x`"
