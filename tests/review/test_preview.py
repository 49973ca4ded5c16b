"""`wpsync preview`: snippets, fallbacks, spintax, links, HTML as text, and a prospect that is not sent."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.review.plans import EXAMPLES
from wpsync.cli import main
from wpsync.errors import InputError
from wpsync.files.loading import load_campaign
from wpsync.review.htmltext import to_text
from wpsync.review.preview import SAMPLE, Prospect, fill, preview, prospect_from_json, readable, render

CAMPAIGN = """\
email_account_ids = [1]

[settings]
timezone = "Europe/Warsaw"
daily_enroll = 5

[[steps]]
type = "EMAIL"
delivery_time = { MONDAY = [{ from = "09:00", to = "17:00" }] }

[[steps.versions]]
subject = "{{SPINTAX | \\"Hi\\" | \\"Hey\\"}} {{FIRST_NAME}}, about {{COMPANY | \\"your team\\"}}"
message = \"\"\"<p>{{SPINTAX | "Hi" | "Hello" | "Good morning"}} {{FIRST_NAME | "there"}},</p>\\
<p>Seen <a href="{{CLICK=https://x.example/a?b=1&c=2}}">this</a>? Or {{CLICK=https://y.example}}.</p>\\
<ul><li>{{SNIPPET_2 | "soon"}}</li><li>{{TITLE}}</li></ul>\\
<p><a href="{{UNSUBSCRIBE}}">Unsubscribe</a></p>\"\"\"

[[steps.versions]]
subject = "Plain"
message = "Hello {{FIRST_NAME | \\"there\\"}},\\n\\n<3 from us & {{UNSUBSCRIBE}}"

[[steps]]
type = "LINKEDIN"
action_type = "CONNECTION_REQUEST"
linkedin_account_id = 7
versions = [{ message = "" }, { message = "Hi {{FIRST_NAME}}, let's connect" }]
"""


@pytest.fixture
def campaign_file(tmp_path: Path) -> Path:
    path = tmp_path / "q4.toml"
    path.write_text(CAMPAIGN, encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["preview", *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_real_prospect_with_a_missing_field_is_not_sent(campaign_file: Path, tmp_path: Path) -> None:
    prospect = tmp_path / "ada.json"
    prospect.write_text(
        json.dumps({"first_name": "Zoë <b>", "Company": "A&B", "snippet2": 42, "title": None})
    )
    code, out, err = run(str(campaign_file), "--step", "1", "--version", "A", "--prospect", str(prospect))
    assert (code, err) == (0, "")
    assert out == (
        "q4 · as prospect Zoë <b>, A&B would receive it\n"
        "{a | b} is spintax: each prospect gets one variant (--seed N picks one)\n"
        "\n"
        "── Step 1 · EMAIL · version A ──────────────────────────────────────────────\n"
        "\n"
        "Subject: {Hi | Hey} Zoë <b>, about A&B\n"
        "\n"
        "{Hi | Hello | Good morning} Zoë <b>,\n"
        "\n"
        "Seen this [https://x.example/a?b=1&c=2, click-tracked]? Or https://y.example [click-tracked].\n"
        "\n"
        "- 42\n"
        "- {{TITLE}}\n"
        "\n"
        "Unsubscribe [unsubscribe link]\n"
        "\n"
        "✗ NOT SENT to this prospect: {{TITLE}} is empty with no fallback; Woodpecker holds the prospect in "
        '"To check". Fill the field, or write a fallback: {{TITLE | "…"}}\n'
    )


def test_the_sample_prospect_fills_standard_fields_and_fallbacks(campaign_file: Path) -> None:
    code, out, _ = run(str(campaign_file), "--version", "B")
    assert code == 0
    assert out == (
        "q4 · as sample prospect (Ada Lovelace, Analytical Engines) would receive it\n"
        "(a made-up prospect: pass --prospect FILE.json to use real fields)\n"
        "\n"
        "── Step 1 · EMAIL · version B ──────────────────────────────────────────────\n"
        "\n"
        "Subject: Plain\n"
        "\n"
        "Hello Ada,\n"
        "\n"
        "<3 from us & [unsubscribe link]\n"
        "\n"
        "── Step 2 · LINKEDIN connection request · version B ────────────────────────\n"
        "\n"
        "Hi Ada, let's connect\n"
        "\n"
        "(21 of 300 characters)\n"
    )


def test_fallbacks_apply_when_the_prospect_lacks_the_field() -> None:
    empty = Prospect({"FIRST_NAME": ""})
    filled = fill('Hi {{FIRST_NAME | "there"}} at {{COMPANY | "your team"}}', empty, None, as_html=False)
    assert (filled.text, filled.missing) == ("Hi there at your team", ())


def test_spintax_variants_or_one_chosen_with_a_seed(campaign_file: Path) -> None:
    campaign = load_campaign(campaign_file)
    shown = preview(campaign, SAMPLE, step=1, version="A")[0]
    assert shown.subject is not None and shown.subject.text.startswith("{Hi | Hey} Ada")
    chosen = {
        preview(campaign, SAMPLE, step=1, version="A", seed=seed)[0].body.text.split(" Ada")[0]  # type: ignore[union-attr]
        for seed in range(30)
    }
    assert chosen == {"Hi", "Hello", "Good morning"}
    # The same seed gives the same choice, whichever steps or versions are asked for.
    alone = preview(campaign, SAMPLE, step=1, version="A", seed=3)[0]
    among_all = preview(campaign, SAMPLE, seed=3)[0]
    assert alone == among_all
    code, out, _ = run(str(campaign_file), "--seed", "3", "--step", "1")
    assert code == 0
    assert "{a | b} is spintax" not in out and "{Hi" not in out


def test_html_becomes_readable_text() -> None:
    html = (
        "<div>Hi&nbsp;there,</div><div><br /></div><div>Line one<br>line two</div>"
        "<ol><li>first</li><li>second</li></ol><p>A <b>bold</b> &amp; <a href='https://x.example'>link</a>"
        "</p><style>p{color:red}</style><p><img src='x.png' alt='logo'></p>"
    )
    assert to_text(html) == (
        "Hi\xa0there,\n\nLine one\nline two\n\n1. first\n2. second\n\nA bold & link [https://x.example]\n\n[image: logo]"
    )
    assert to_text("Plain text\nkept as written: a <b, <3") == "Plain text\nkept as written: a <b, <3"


def test_a_visit_profile_step_sends_nothing() -> None:
    shown = preview(load_campaign(EXAMPLES / "two-step-linkedin.toml"), SAMPLE, step=1)
    assert [(m.heading, m.version, m.notes) for m in shown] == [
        ("LINKEDIN visit profile", None, ("nothing is sent",))
    ]


def test_links_when_the_text_is_not_html() -> None:
    filled = fill("Book: {{CLICK=https://cal.example}} · {{UNSUBSCRIBE}}", SAMPLE, None, as_html=False)
    assert (
        readable(filled, as_html=False).text
        == "Book: https://cal.example [click-tracked] · [unsubscribe link]"
    )


def test_prospect_files_in_either_spelling() -> None:
    prospect = prospect_from_json(
        {"First Name": " Ada ", "SNIPPET_3": "x", "snippet4": 2.5, "company": None}, "p"
    )
    assert prospect.fields == {"FIRST_NAME": "Ada", "SNIPPET_3": "x", "SNIPPET_4": "2.5"}
    with pytest.raises(InputError, match="p: tags: a field's value is text or a number, not list"):
        prospect_from_json({"tags": ["a"]}, "p")


def test_bad_requests_say_what_is_allowed(campaign_file: Path, tmp_path: Path) -> None:
    assert run(str(campaign_file), "--step", "3")[::2] == (
        1,
        "error: --step 3: the campaign has steps 1 to 2\n",
    )
    assert run(str(campaign_file), "--version", "C")[::2] == (
        1,
        "error: --version C: no step has a version C\n",
    )
    assert run(str(campaign_file), "--step", "2", "--version", "C")[::2] == (
        1,
        "error: --version C: step 2 has no version C\n",
    )
    (tmp_path / "bad.json").write_text("[1]")
    assert run(str(campaign_file), "--prospect", str(tmp_path / "bad.json"))[::2] == (
        1,
        f'error: {tmp_path / "bad.json"}: a prospect is a JSON object of fields, e.g. {{"first_name": "Ada"}}\n',
    )
    (tmp_path / "broken.json").write_text("{")
    assert "not valid JSON" in run(str(campaign_file), "--prospect", str(tmp_path / "broken.json"))[2]
    code, _, err = run(str(tmp_path / "missing.toml"))
    assert code == 1 and "cannot read" in err


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _render(subject: str, message: str, linkedin: str, prospect: Prospect = SAMPLE) -> str:
    campaign = (
        CAMPAIGN.replace('subject = "Plain"', f"subject = {_toml_string(subject)}")
        .replace(
            'message = "Hello {{FIRST_NAME | \\"there\\"}},\\n\\n<3 from us & {{UNSUBSCRIBE}}"',
            f"message = {_toml_string(message)}",
        )
        .replace('"Hi {{FIRST_NAME}}, let\'s connect"', _toml_string(linkedin))
    )
    path = Path(tempfile.mkdtemp()) / "q4.toml"
    path.write_text(campaign, encoding="utf-8")
    loaded = load_campaign(path)
    return render("q4", prospect, preview(loaded, prospect), seeded=False)


def test_a_carriage_return_or_escape_sequence_is_shown_not_obeyed() -> None:
    text = _render(
        "Hi\rFAKE SUBJECT\x1b[2K",
        "Line one\r\nline two\rOVERWRITTEN\x07 and \x1b]0;title\x07 \x7f",
        "Hi\r\x1b[1A{{FIRST_NAME}}",
    )
    assert "Subject: Hi\\rFAKE SUBJECT^[[2K\n" in text
    assert "Line one\nline two\\rOVERWRITTEN^G and ^[]0;title^G ^?\n" in text
    assert "Hi\\r^[[1AAda\n" in text
    assert "\r" not in text and "\x1b" not in text and "\x07" not in text


def test_bidi_overrides_and_invisible_characters_are_shown_as_code_points() -> None:
    prospect = Prospect({"FIRST_NAME": "Ada\u202e", "COMPANY": "\u200bACME"})
    text = _render(
        "Invoice \u202efdp.exe",
        "Pay\u2066 now\u2069\ufeff \u00ad {{COMPANY}}\u2028next",
        "Hi {{FIRST_NAME}} 👩\u200d💻",
        prospect,
    )
    assert "q4 · as prospect Ada<U+202E>, <U+200B>ACME would receive it" in text
    assert "Subject: Invoice <U+202E>fdp.exe\n" in text
    assert "Pay<U+2066> now<U+2069><U+FEFF> <U+00AD> <U+200B>ACME<U+2028>next\n" in text
    assert "Hi Ada<U+202E> 👩\u200d💻\n" in text  # the emoji's joiner is kept
