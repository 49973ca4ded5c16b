"""The plan holding every kind of action, exactly as a reviewer reads it (markdown and text), and the
markdown read back by a real GFM renderer: balanced <details>, every summary naming its actions,
hostile copy inert, no literal "\\n", and JSON, text and markdown telling the same summary."""

from __future__ import annotations

import json
import re

from tests.review import golden
from tests.review.all_kinds import WARNINGS, all_kinds_plan
from tests.review.commonmark import RENDERER
from wpsync.plan.codec import from_json, to_json
from wpsync.plan.summary import group, summarise
from wpsync.review.markdown import render_markdown
from wpsync.review.text import render_text


def test_every_kind_of_action_renders_exactly_in_markdown() -> None:
    golden.check("all-kinds.md", render_markdown(all_kinds_plan(), warnings=WARNINGS))


def test_every_kind_of_action_prints_exactly_as_text() -> None:
    golden.check("all-kinds.txt", render_text(all_kinds_plan()) + "\n")


def test_the_markdown_reads_back_whole_through_a_gfm_renderer() -> None:
    markdown = render_markdown(all_kinds_plan(), warnings=WARNINGS)
    html = RENDERER.render(markdown)
    # Every <details> and <summary> is closed, in order, in what the renderer passes through.
    depth = 0
    for tag in re.findall(r"</?details\b", html):
        depth += -1 if tag.startswith("</") else 1
        assert depth >= 0
    assert depth == 0
    assert html.count("<summary>") == html.count("</summary>")
    # The copy's hostile bits stay text: no script, no mention, no issue link, no emphasis from "*see*".
    assert "<script>" not in html
    # GitHub links no mention or reference inside code; everywhere else they are split by the guard.
    prose = re.sub(r"(?s)<pre>.*?</pre>", "", html)
    assert "@sales-team" not in prose and "#12" not in prose
    assert "<em>see</em>" not in html
    assert "\\n" not in markdown  # line breaks are breaks, never a literal backslash-n
    # The tables render as tables: the week grids (create, append, windows before → after), and the
    # timelines of q1-founders, q4-ctos and welcome's appended step.
    assert html.count("<table>") == 7
    assert html.count("<th>local time</th>") == 3


def test_every_summary_names_what_its_actions_do() -> None:
    plan = all_kinds_plan()
    markdown = render_markdown(plan, warnings=WARNINGS)
    summaries = dict(re.findall(r"<summary>.*?<code>(.*?)</code>(.*?)</summary>", markdown))
    assert "no changes" not in markdown
    expected = {
        "q1-founders": ["create “Four step campaign with custom configuration” · 4 steps"],
        "q4-ctos": [
            "3 settings changed",
            "copy of 1 version edited",
            "windows of steps 1 and 3 changed",
            "step 4 deleted",
            "paused (RUNNING → EDITED) for the edit, back to RUNNING after",
        ],
        "welcome": ["step 3 appended"],
        "spring-promo": ["set to PAUSED"],
        "partners": ["renamed from old-partners"],
        "webinar": ["1 change refused"],
    }
    for key, phrases in expected.items():
        for phrase in phrases:
            assert (
                phrase.replace("“", "&quot;").replace("”", "&quot;")
                in summaries[key].replace("“", "&quot;").replace("”", "&quot;")
                or phrase in summaries[key]
            ), (key, phrase, summaries[key])


def test_text_markdown_and_json_tell_the_same_summary() -> None:
    plan = all_kinds_plan()
    data = to_json(plan)
    text = render_text(plan)
    markdown = render_markdown(plan, warnings=WARNINGS)
    by_key = {c["key"]: c for c in data["campaigns"]}
    for part in group(plan):
        said = summarise(part.actions, part.refusals, part.moves).text()
        assert by_key[part.key]["text"] == said
        assert said in text
        assert all(phrase.split(" “")[0] in markdown for phrase in said.split(" · "))
    assert by_key["q4-ctos"]["deleted"] == 1 and by_key["q4-ctos"]["paused_for_edit"] is True
    # The saved plan keeps the names and the content shown (old windows, the deleted step).
    again = from_json(json.loads(json.dumps(data)))
    assert again.names == plan.names
    assert render_markdown(again, warnings=WARNINGS) == markdown


def test_a_campaign_s_notes_are_in_its_section_and_the_top_keeps_the_plan_s_own() -> None:
    markdown = render_markdown(all_kinds_plan(), warnings=WARNINGS)
    top, _, sections = markdown.partition("<details")
    assert "old-campaign: no campaign file any more" in top
    assert "137 prospect(s) already received the old copy" not in top
    ctos = sections[sections.index("<code>q4-ctos</code>") :]
    ctos = ctos[: ctos.index("\n</details>\n\n<details")]
    assert "- step 1: 137 prospect(s) already received the old copy" in ctos


def test_the_readme_picture_script_renders_the_golden_as_github_does() -> None:
    """scripts/render_plan_picture.py (the README's picture): alerts drawn, the asked section open."""
    import importlib.util

    from tests.review.plans import ROOT

    spec = importlib.util.spec_from_file_location("picture", ROOT / "scripts" / "render_plan_picture.py")
    assert spec is not None and spec.loader is not None
    picture = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(picture)
    page = picture.to_html(golden.read("all-kinds.md"), ["q4-ctos"])
    assert "[!CAUTION]" not in page and "[!WARNING]" not in page
    assert page.count("class='alert'") == 3  # refused, made editable, a mailbox pushed over its limit
    assert re.search(r"<details open>\n<summary>[^\n]*<code>q4-ctos</code>", page)
    assert re.search(r"<details open>\n<summary>[^\n]*<code>webinar</code>", page)  # refused: open anyway
    assert not re.search(r"<details open>\n<summary>[^\n]*<code>welcome</code>", page)
