"""Every documented rule has a bad file here and the exact message wpsync prints for it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import MINIMAL, load_text, messages

HEAD = """\
email_account_ids = [112233]
[settings]
timezone = "Europe/Warsaw"
daily_enroll = 25
"""


def email(delivery: str = '{ MONDAY = [{ from = "09:00", to = "17:00" }] }', extra: str = "") -> str:
    return f"""
[[steps]]
type = "EMAIL"
delivery_time = {delivery}
{extra}
[[steps.versions]]
subject = "Hi"
message = "Hello"
"""


def linkedin(action: str, versions: str = "", account: str = "linkedin_account_id = 7") -> str:
    return f"""
[[steps]]
type = "LINKEDIN"
action_type = "{action}"
{account}
{versions}
"""


CASES: dict[str, tuple[str, list[str]]] = {
    "malformed TOML": (
        "name = \n",
        ["1: invalid TOML: string values must be quoted, expected literal string (at line 1, column 8)"],
    ),
    "unknown key with suggestion": (
        MINIMAL.replace("daily_enroll", "daily_enrol"),
        [
            "3: settings.daily_enroll: required",
            '5: settings.daily_enrol: unknown key "daily_enrol" (did you mean "daily_enroll"?); '
            "remove it or check the spelling",
        ],
    ),
    "wrong type": (
        MINIMAL.replace("daily_enroll = 25", 'daily_enroll = "25"'),
        ["5: settings.daily_enroll: expected an integer, not '25'"],
    ),
    "timezone required": (
        MINIMAL.replace('timezone = "Europe/Warsaw"\n', ""),
        ["3: settings.timezone: required"],
    ),
    "timezone alias": (
        MINIMAL.replace("Europe/Warsaw", "US/Eastern"),
        ['4: settings.timezone: "US/Eastern" is not a time zone Woodpecker accepts: use "America/New_York"'],
    ),
    "timezone unknown": (
        MINIMAL.replace("Europe/Warsaw", "Mars/Olympus"),
        [
            '4: settings.timezone: "Mars/Olympus" is not a time zone Woodpecker accepts: '
            'use a canonical IANA zone such as "Europe/Warsaw"'
        ],
    ),
    "daily_enroll required": (
        MINIMAL.replace("daily_enroll = 25\n", ""),
        ["3: settings.daily_enroll: required"],
    ),
    "daily_enroll too big": (
        MINIMAL.replace("daily_enroll = 25", "daily_enroll = 501"),
        ["5: settings.daily_enroll: must be at most 500, not 501"],
    ),
    "daily_enroll zero": (
        MINIMAL.replace("daily_enroll = 25", "daily_enroll = 0"),
        ["5: settings.daily_enroll: must be at least 1, not 0"],
    ),
    "catch-all mode": (
        MINIMAL.replace("daily_enroll = 25", 'daily_enroll = 25\ncatch_all_verification_mode = "STRICT"'),
        [
            "6: settings.catch_all_verification_mode: must be 'NONE', 'BALANCED', 'MAXIMUM' or "
            "'ONLY_VERIFY', not 'STRICT'"
        ],
    ),
    "open_disabled_list value": (
        MINIMAL.replace("daily_enroll = 25", 'daily_enroll = 25\nopen_disabled_list = ["yahoo.com"]'),
        [
            "6: settings.open_disabled_list: 'yahoo.com' is not a provider: use \"google.com\", "
            '"outlook.com" or "OTHER_PROVIDER"'
        ],
    ),
    "open_disabled_list shape": (
        MINIMAL.replace("daily_enroll = 25", 'daily_enroll = 25\nopen_disabled_list = "google.com"'),
        ['6: settings.open_disabled_list: write a list such as ["google.com"], or "null"'],
    ),
    "auto_pause shape": (
        MINIMAL.replace("daily_enroll = 25", "daily_enroll = 25\nauto_pause_prospect_from_domain = 1"),
        ['6: settings.auto_pause_prospect_from_domain: write true, false or "null"'],
    ),
    "mailboxes required for EMAIL": (
        MINIMAL.replace("email_account_ids = [112233]\n", ""),
        [
            "None: email_account_ids: required because the campaign has EMAIL steps: list the SMTP mailbox "
            "ids to send from, e.g. email_account_ids = [112233] (see GET /v2/mailboxes)"
        ],
    ),
    "no steps": (
        "steps = []\n" + HEAD,
        ["1: steps: needs at least 1 (has 0)"],
    ),
    "seventeen steps": (
        HEAD + email() * 17,
        ["6: steps: allows at most 16 (has 17)"],
    ),
    "six versions": (
        HEAD + email() + '[[steps.versions]]\nsubject = "s"\nmessage = "x"\n' * 5,
        ["10: steps[0].versions: allows at most 5 (has 6)"],
    ),
    "no versions": (
        HEAD + '[[steps]]\ntype = "EMAIL"\ndelivery_time = { MONDAY = [{ from = "09:00", to = "17:00" }] }\n',
        ["5: steps[0].versions: required"],
    ),
    "step type": (
        HEAD + '[[steps]]\ntype = "SMS"\n',
        ['5: steps[0]: type must be "EMAIL" or "LINKEDIN", not \'SMS\''],
    ),
    "step without type": (
        HEAD + "[[steps]]\n",
        ['5: steps[0]: each step needs type = "EMAIL" or type = "LINKEDIN"'],
    ),
    "window format": (
        HEAD + email('{ MONDAY = [{ from = "9:00", to = "17:00" }] }'),
        [
            '8: steps[0].delivery_time.MONDAY[0].from: "9:00" is not a time: write "HH:mm", 24-hour, from "00:00" to "23:59"'
        ],
    ),
    "window order": (
        HEAD + email('{ MONDAY = [{ from = "17:00", to = "09:00" }] }'),
        [
            '8: steps[0].delivery_time.MONDAY[0]: from "17:00" must be before to "09:00" '
            '(for a whole day write "00:00"–"00:00")'
        ],
    ),
    "24:00 only for a whole day": (
        HEAD + email('{ MONDAY = [{ from = "18:00", to = "24:00" }] }'),
        [
            '8: steps[0].delivery_time.MONDAY[0]: "24:00" ends only a whole-day window: from = "00:00", to = "24:00"'
        ],
    ),
    "four windows a day": (
        HEAD
        + email(
            '{ MONDAY = [{ from = "01:00", to = "02:00" }, { from = "03:00", to = "04:00" }, '
            '{ from = "05:00", to = "06:00" }, { from = "07:00", to = "08:00" }] }'
        ),
        ["8: steps[0].delivery_time.MONDAY: allows at most 3 (has 4)"],
    ),
    "overlapping windows": (
        HEAD + email('{ MONDAY = [{ from = "09:00", to = "12:00" }, { from = "11:00", to = "13:00" }] }'),
        ["8: steps[0].delivery_time: MONDAY: windows overlap (09:00–12:00 and 11:00…)"],
    ),
    "no window at all": (
        HEAD + email("{ MONDAY = [] }"),
        [
            '8: steps[0].delivery_time: needs at least one window, e.g. MONDAY = [{ from = "09:00", to = "17:00" }]'
        ],
    ),
    "unknown day": (
        HEAD + email('{ MONDAYS = [{ from = "09:00", to = "17:00" }] }'),
        [
            '8: steps[0].delivery_time.MONDAYS: unknown key "MONDAYS" (did you mean "MONDAY"?); remove it or check the spelling'
        ],
    ),
    "unknown schedule": (
        HEAD + email('"weekdays"'),
        [
            '8: steps[0].delivery_time: no schedule named "weekdays" (defined: none are defined); add a [schedules.weekdays] table'
        ],
    ),
    "delivery_time wrong type": (
        HEAD + email("5"),
        [
            "8: steps[0].delivery_time: write a table of windows per day, or the name of a [schedules.NAME] entry"
        ],
    ),
    "followup range": (
        HEAD + email(extra='followup_after = { range = "WEEK", value = 1 }'),
        ["9: steps[0].followup_after.range: must be 'DAY', 'HOUR' or 'MINUTE', not 'WEEK'"],
    ),
    "followup value": (
        HEAD + email(extra='followup_after = { range = "DAY", value = 10000 }'),
        ["9: steps[0].followup_after.value: must be at most 9999, not 10000"],
    ),
    "first email subject": (
        MINIMAL.replace('subject = "Hello {{FIRST_NAME | \\"there\\"}}"\n', ""),
        [
            "11: steps[0].versions[0].subject: required on the first EMAIL step (every version needs one); later "
            "steps may omit it to reply in the same thread"
        ],
    ),
    "signature": (
        MINIMAL + 'signature = "ME"\n',
        ["14: steps[0].versions[0].signature: must be 'SENDER' or 'NO_SIGNATURE', not 'ME'"],
    ),
    "linkedin account required": (
        HEAD + linkedin("VISIT_PROFILE", account=""),
        ["6: steps[0].linkedin_account_id: required"],
    ),
    "linkedin action": (
        HEAD + linkedin("ENDORSE"),
        [
            "8: steps[0].action_type: must be 'VISIT_PROFILE', 'CONNECTION_REQUEST' or 'DIRECT_MESSAGE', not 'ENDORSE'"
        ],
    ),
    "direct message needs a message": (
        HEAD + linkedin("DIRECT_MESSAGE", 'versions = [{ message = "" }]'),
        ["10: steps[0].versions[0].message: DIRECT_MESSAGE needs a message (at most 6000 characters)"],
    ),
    "direct message too long": (
        HEAD + linkedin("DIRECT_MESSAGE", f'versions = [{{ message = "{"x" * 6001}" }}]'),
        ["10: steps[0].versions[0].message: 6001 characters; a DIRECT_MESSAGE allows at most 6000"],
    ),
    "connection note too long": (
        HEAD + linkedin("CONNECTION_REQUEST", f'versions = [{{ message = "{"x" * 301}" }}]'),
        [
            "10: steps[0].versions[0].message: 301 characters; a CONNECTION_REQUEST allows at most 300 "
            "(200 on CLASSIC accounts)"
        ],
    ),
    "visit profile carries no message": (
        HEAD + linkedin("VISIT_PROFILE", 'versions = [{ message = "hi" }]'),
        ["10: steps[0].versions: VISIT_PROFILE carries no message and no A/B versions: omit versions"],
    ),
    "snippet without underscore": (
        MINIMAL.replace('message = "<p>Hi', 'message = "<p>{{SNIPPET1}} Hi'),
        [
            "13: steps[0].versions[0].message: {{SNIPPET1}}: custom snippets need an underscore: SNIPPET_1 (character 4)"
        ],
    ),
    "snippet 16": (
        MINIMAL.replace('message = "<p>Hi', 'message = "<p>{{SNIPPET_16 | \\"x\\"}} Hi'),
        [
            '13: steps[0].versions[0].message: {{SNIPPET_16 | "x"}}: custom snippets run from SNIPPET_1 to '
            "SNIPPET_15 (character 4)"
        ],
    ),
    "unbalanced braces": (
        MINIMAL.replace('message = "<p>Hi', 'message = "<p>{{FIRST_NAME Hi'),
        ["13: steps[0].versions[0].message: '{{' is not closed with '}}' before the next '{{' (character 4)"],
    ),
    "unclosed braces": (
        MINIMAL.replace('</p>"', '{{</p>"'),
        ["13: steps[0].versions[0].message: '{{' is never closed with '}}' (character 31)"],
    ),
    "nested snippets": (
        MINIMAL.replace('message = "<p>Hi', 'message = "<p>{{SPINTAX | \\"{{FIRST_NAME}}\\" | \\"b\\"}} Hi'),
        ["13: steps[0].versions[0].message: snippets cannot be nested inside a snippet (character 4)"],
    ),
    "fallback not quoted": (
        MINIMAL.replace('message = "<p>Hi', 'message = "<p>{{COMPANY | you}} Hi'),
        [
            "13: steps[0].versions[0].message: {{COMPANY | you}}: fallbacks and variants are written in double "
            'quotes: "…" (character 4)'
        ],
    ),
    "invalid key": (
        MINIMAL,
        [
            'None: "Bad Name" is not a valid campaign key: a campaign key (the file name without .toml) is 1–64 of '
            "a-z, 0-9, '-' and '_', starting with a letter or digit; rename the file"
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_rule(tmp_path: Path, case: str) -> None:
    text, expected = CASES[case]
    key = "Bad Name" if case == "invalid key" else "demo"
    assert messages(load_text(tmp_path, text, key)) == expected


def test_the_minimal_file_is_clean(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, MINIMAL)
    assert loaded.problems == []
    assert loaded.campaign is not None


def test_all_problems_of_a_file_are_reported_at_once(tmp_path: Path) -> None:
    text = (
        MINIMAL.replace("daily_enroll = 25", "daily_enroll = 0").replace("Europe/Warsaw", "Nowhere")
        + email('{ MONDAY = [{ from = "09:00", to = "25:00" }] }', 'followup_after = { range = "YEAR" }')
        + linkedin("DIRECT_MESSAGE", 'versions = [{ message = "{{SNIPPET1}}" }]')
    )
    found = messages(load_text(tmp_path, text))
    assert len(found) == 5, found
    assert any("daily_enroll" in m for m in found)
    assert any("timezone" in m for m in found)
    assert any("MONDAY[0].to" in m for m in found)
    assert any("followup_after.range" in m for m in found)
    # The LinkedIn step is itself valid in shape, so its snippet rule still runs despite the other errors.
    assert any("steps[2].versions[0].message: {{SNIPPET1}}" in m for m in found)


WARNINGS: dict[str, tuple[str, list[str]]] = {
    "no fallback": (
        MINIMAL.replace('{{FIRST_NAME | \\"there\\"}}</p>', "{{FIRST_NAME}}</p>"),
        [
            "13: steps[0].versions[0].message: {{FIRST_NAME}} has no fallback: a prospect without it is not "
            'sent; write {{FIRST_NAME | "…"}}'
        ],
    ),
    "unsubscribe without link": (
        MINIMAL.replace(
            "daily_enroll = 25", "daily_enroll = 25\ngdpr_unsubscribe = true\nlist_unsubscribe = true"
        ),
        [
            "6: settings.gdpr_unsubscribe: is on, but no email version contains {{UNSUBSCRIBE}}; it works only "
            "if the link is in the message or in the mailbox signature",
            "7: settings.list_unsubscribe: is on, but no email version contains {{UNSUBSCRIBE}}; it works only "
            "if the link is in the message or in the mailbox signature",
        ],
    ),
}


@pytest.mark.parametrize("case", list(WARNINGS))
def test_warning(tmp_path: Path, case: str) -> None:
    text, expected = WARNINGS[case]
    loaded = load_text(tmp_path, text)
    assert messages(loaded, "warning") == expected
    assert messages(loaded) == []
    assert loaded.campaign is not None


def test_unsubscribe_link_silences_the_warning(tmp_path: Path) -> None:
    text = MINIMAL.replace("daily_enroll = 25", "daily_enroll = 25\ngdpr_unsubscribe = true").replace(
        "</p>", '<a href=\\"{{UNSUBSCRIBE}}\\">stop</a></p>'
    )
    assert messages(load_text(tmp_path, text), "warning") == []


@pytest.mark.parametrize(
    ("snippet", "hint"),
    [
        ("FIRSTNAME", "did you mean {{FIRST_NAME}}?"),
        ("COMPNAY", "did you mean {{COMPANY}}?"),
        ("SNIPET_3", "did you mean {{SNIPPET_3}}?"),
        ("FAVOURITE_COLOUR", "check the spelling"),
    ],
)
def test_an_unknown_snippet_is_an_error_with_a_suggestion(tmp_path: Path, snippet: str, hint: str) -> None:
    # Woodpecker answers 400 to a snippet it does not fill: validate must not let it through as a warning.
    text = MINIMAL.replace("<p>Hi", f'<p>{{{{{snippet} | \\"x\\"}}}} Hi')
    loaded = load_text(tmp_path, text)
    assert messages(loaded, "warning") == []
    assert messages(loaded) == [
        f"13: steps[0].versions[0].message: {{{{{snippet}}}}} is not a snippet Woodpecker fills "
        f"(standard fields, or SNIPPET_1 … SNIPPET_15); {hint}"
    ]


@pytest.mark.parametrize(
    ("zone", "expected"),
    [
        ("America/NewYork", 'is not a time zone Woodpecker accepts: did you mean "America/New_York"?'),
        ("Europe/Warsw", 'is not a time zone Woodpecker accepts: did you mean "Europe/Warsaw"?'),
        ("EST", "is an abbreviation, not a place"),
        ("EST5EDT", 'for US Eastern time use "America/New_York"'),
        ("PST", 'for US Pacific time use "America/Los_Angeles"'),
        ("Etc/GMT+5", "is a fixed offset with no daylight saving"),
        ("UTC+02:00", "is a fixed offset with no daylight saving"),
    ],
)
def test_time_zone_typos_get_suggestions_and_fixed_offsets_are_refused(
    tmp_path: Path, zone: str, expected: str
) -> None:
    # EST is a link to America/Panama (UTC-5 all year): following it silently would send an hour late
    # in New York every summer.
    loaded = load_text(tmp_path, MINIMAL.replace('"Europe/Warsaw"', f'"{zone}"'))
    [message] = messages(loaded)
    assert message.startswith(f'4: settings.timezone: "{zone}" ')
    assert expected in message
    if zone == "EST":
        assert 'for US Eastern time use "America/New_York"' in message
