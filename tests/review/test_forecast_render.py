"""The forecast as a reader sees it: exact lines for text and markdown, read back by a GFM renderer."""

from __future__ import annotations

from tests.review.commonmark import parse
from wpsync.plan.forecast import Forecast, MailboxLoad, People, StepPeople, StepWhen, Timeline, Volume
from wpsync.review.forecast import forecast_markdown, forecast_text, mailboxes_markdown, mailboxes_text

TIMELINE = Timeline(
    zone="America/New_York",
    per_prospect_zone=False,
    start="2026-12-07T09:00-05:00",
    steps=(
        StepWhen(1, "EMAIL", 0, "Mon", "09:00"),
        StepWhen(2, "LINKEDIN", 3, "Thu", "09:00"),
        StepWhen(3, "EMAIL", 4, "Fri", "09:00", waits=True, working_day=6),
    ),
    length_days=4,
    working_days=None,
)
FORECAST = Forecast(
    "q4-ctos",
    timeline=TIMELINE,
    people=People(184, (StepPeople(1, "edit", 137, 42, 61, 9), StepPeople(3, "delete", 0, 0)), 3, 1.2),
    volume=Volume(50, (112233,), 25, 2),
)


def test_text_is_a_few_lines() -> None:
    assert forecast_text(FORECAST) == [
        "when (a prospect enrolled Mon 2026-12-07 09:00, in America/New_York): 1: day 0 Mon 09:00 → "
        "2: day 3 Thu 09:00 → 3: day 4 Fri 09:00 (waits for its window); 4 days from first step to last",
        "  If Woodpecker counts delays in working days (count_followup_delay_in_working_days, not known "
        "here; assumed Mon–Fri): step 3 on day 6.",
        "who: step 1 (copy edited): 184 prospects · 137 already got the old copy · 42 queued for this step "
        "get the new one · the old copy: 61 opens, 9 replies (all versions)",
        "who: step 3 (deleted): 184 prospects · 0 got it · 0 queued for it",
        "who: sending pauses for roughly 1.2 s (3 calls × the account's request time, while it is EDITED) "
        "for 184 prospects",
        "volume: up to 50 emails a day from its mailbox at steady state (daily_enroll 25 × 2 EMAIL steps; "
        "daily_enroll taken as per mailbox)",
    ]


def test_unknown_counts_say_unknown() -> None:
    people = People(None, (StepPeople(2, "edit", None, None),))
    (line,) = forecast_text(Forecast("k", people=people))
    assert line == (
        "who: step 2 (copy edited): unknown number of prospects · unknown already got the old copy · "
        "unknown queued for this step get the new one"
    )


def test_markdown_is_a_table_a_renderer_reads_as_one() -> None:
    markdown = "\n".join(forecast_markdown(FORECAST))
    tokens = parse(markdown)
    types = [t.type for t in tokens]
    assert types.count("table_open") == 1 and types.count("tr_open") == 4  # the header and 3 steps
    cells = [t.content for t in tokens if t.type == "inline"]
    assert "Fri 09:00 (waits for its window)" in cells
    codes = [c.content for t in tokens for c in t.children or [] if c.type == "code_inline"]
    assert "America/New_York" in codes  # a zone's underscores stay as written
    assert "- step 1 (copy edited): 184 prospects · 137 already got the old copy · 42 queued" in markdown


def test_a_mailbox_pushed_over_is_a_warning_at_the_top() -> None:
    loads = (MailboxLoad(112233, 150, 230, 200, ("a", "q4_ctos")), MailboxLoad(7, 10, 20, 200, ("b",)))
    lines = mailboxes_markdown(loads)
    assert lines[0] == "> [!WARNING]"
    assert lines[2] == (
        "> - ⚠️ mailbox `112233`: 150 → 230 emails a day (limit 200) — pushed over by this plan; "
        "from `a`, `q4_ctos`"
    )
    assert len(lines) == 4  # mailbox 7 is under its limit: not listed
    assert mailboxes_markdown(loads[1:]) == []


def test_the_short_form_keeps_the_timeline_to_one_line() -> None:
    short = forecast_markdown(FORECAST, full=False)
    assert not any(line.startswith("| step") for line in short)
    (when,) = [line for line in short if line.startswith("**When**")]
    assert "1: day 0 Mon 09:00 → 2: day 3 Thu 09:00" in when


def test_mailbox_lines_name_the_mailbox_where_known() -> None:
    loads = (MailboxLoad(112233, 150, 230, 200, ("a",)),)
    lines = mailboxes_markdown(loads, {112233: "alex@acme.example"}.get)  # type: ignore[arg-type]
    assert "mailbox `alex@acme.example`: 150 → 230" in lines[2]
    assert mailboxes_text(loads)[1] == (
        "  ⚠ mailbox 112233: 150 → 230 emails a day (limit 200) — pushed over by this plan; from a"
    )
