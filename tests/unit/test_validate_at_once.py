"""Every error of a file in one run (#20), whatever layer finds it: shapes (pydantic), the rules that
span fields, snippets and schedule references — they used to come in waves, each hidden by the others."""

from __future__ import annotations

import os
from pathlib import Path

from click.testing import CliRunner

from tests.helpers import MINIMAL, load_text, messages
from wpsync.cli import main

WAVES = """\
name = "Waves"
email_account_ids = [112233]

[settings]
timezone = "Europe/Warsaw"
daily_enroll = 0

[schedules.workdays]
MONDAY = [{ from = "09:00", to = "12:00" }, { from = "11:00", to = "13:00" }]

[[steps]]
type = "EMAIL"
delivery_time = "weekdays"

[[steps.versions]]
subject = "Hi {{FIRSTNAME}}"
message = "Hello"
signature = "ME"

[[steps]]
type = "EMAIL"
delivery_time = "workdays"
followup_after = { range = "WEEK", value = 3 }

[[steps.versions]]
message = "Bump {{FIRSTNAME}}"
"""


def test_every_layer_reports_in_one_run(tmp_path: Path) -> None:
    assert messages(load_text(tmp_path, WAVES)) == [
        "6: settings.daily_enroll: must be at least 1, not 0",
        "8: schedules.workdays: MONDAY: windows overlap (09:00–12:00 and 11:00…)",
        '13: steps[0].delivery_time: no schedule named "weekdays" (defined: "workdays"); add a '
        "[schedules.weekdays] table",
        "16: steps[0].versions[0].subject: {{FIRSTNAME}} is not a snippet Woodpecker fills (standard fields, "
        "or SNIPPET_1 … SNIPPET_15); did you mean {{FIRST_NAME}}?",
        "18: steps[0].versions[0].signature: must be 'SENDER' or 'NO_SIGNATURE', not 'ME'",
        "23: steps[1].followup_after.range: must be 'DAY', 'HOUR' or 'MINUTE', not 'WEEK'",
        "26: steps[1].versions[0].message: {{FIRSTNAME}} is not a snippet Woodpecker fills (standard fields, "
        "or SNIPPET_1 … SNIPPET_15); did you mean {{FIRST_NAME}}?",
    ]


def test_the_cross_field_rules_run_beside_shape_errors(tmp_path: Path) -> None:
    text = MINIMAL.replace("email_account_ids = [112233]\n", "name = 5\n").replace(
        'subject = "Hello {{FIRST_NAME | \\"there\\"}}"\n', 'subject = "  "\n'
    )
    assert messages(load_text(tmp_path, text)) == [
        "None: email_account_ids: required because the campaign has EMAIL steps: list the SMTP mailbox ids "
        "to send from, e.g. email_account_ids = [112233] (see GET /v2/mailboxes)",
        "1: name: expected a string in quotes, not 5",
        "12: steps[0].versions[0].subject: required on the first EMAIL step (every version needs one); later "
        "steps may omit it to reply in the same thread",
    ]


def test_an_empty_email_message_is_an_error(tmp_path: Path) -> None:
    for empty in ('""', '"  \\n "'):
        text = MINIMAL.replace('message = "<p>Hi {{FIRST_NAME | \\"there\\"}}</p>"', f"message = {empty}")
        assert messages(load_text(tmp_path, text)) == [
            "13: steps[0].versions[0].message: must not be empty: every EMAIL version sends a message"
        ], empty


def test_validate_shows_invisible_characters_in_names_and_reports_every_unreadable_file(
    tmp_path: Path, monkeypatch: object
) -> None:
    folder = tmp_path / "campaigns"
    folder.mkdir()
    (folder / "a\u202eb.toml").write_text(MINIMAL)
    (folder / "z\u200bw.toml").write_text(MINIMAL)
    os.mkfifo(folder / "pipe-1.toml")
    os.mkfifo(folder / "pipe-2.toml")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "\u202e" not in result.output and "\u200b" not in result.output
    assert (
        f"{folder}/a\\u202eb.toml: " in result.output
        and '"z\\u200bw" is not a valid campaign key' in result.output
    )
    assert f"{folder}/pipe-1.toml: a campaign file must be a regular file" in result.output
    assert f"{folder}/pipe-2.toml: a campaign file must be a regular file" in result.output
    assert result.output.endswith("4 campaign files checked: 4 errors, 0 warnings.\n")
