"""Each outreach lint on a file that trips it and one that does not, the [lint] settings, and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.helpers import load_text
from wpsync.cli import main
from wpsync.errors import InputError
from wpsync.files.lint_config import DEFAULT, LintConfig, config_path, configured, load

HEAD = """\
email_account_ids = [1]

[settings]
timezone = "Europe/Warsaw"
daily_enroll = 25
"""


def email(
    subjects: list[str | None],
    *,
    windows: str = 'MONDAY = [{ from = "09:00", to = "17:00" }]',
    after: str = "",
) -> str:
    versions = "".join(
        "\n[[steps.versions]]\n"
        + (f'subject = "{s}"\n' if s else "")
        + f'message = "<p>Hi, version {n}.</p>"\n'
        for n, s in enumerate(subjects)
    )
    delay = f"followup_after = {after}\n" if after else ""
    return f'\n[[steps]]\ntype = "EMAIL"\ndelivery_time = {{ {windows} }}\n{delay}{versions}'


def linkedin(action: str, notes: list[str]) -> str:
    versions = "".join(f'\n[[steps.versions]]\nmessage = "{n}"\n' for n in notes)
    return f'\n[[steps]]\ntype = "LINKEDIN"\naction_type = "{action}"\nlinkedin_account_id = 7\n{versions}'


def warnings(tmp_path: Path, text: str) -> list[str]:
    loaded = load_text(tmp_path, text)
    assert loaded.errors == [], loaded.errors
    return [f"{p.line}: {p.path}: {p.message}" for p in loaded.warnings]


def test_a_clean_campaign_has_no_warnings(tmp_path: Path) -> None:
    text = HEAD + email(["Hello"], after='{ range = "DAY", value = 3 }') + email([None, None])
    assert warnings(tmp_path, text) == []


# ---- new-thread --------------------------------------------------------------------------------------


def test_a_follow_up_with_its_own_subject_beside_replies(tmp_path: Path) -> None:
    text = HEAD + email(["Hello"]) + email([None]) + email(["Fresh start"])
    assert warnings(tmp_path, text) == [
        "27: steps[2].versions[0].subject: step 3 is a follow-up with its own subject, so it starts a new "
        "thread, while step 2 replies in the same thread; remove the subject to reply, or keep it if a "
        "fresh thread is meant"
    ]


def test_follow_ups_that_all_start_new_threads_are_consistent(tmp_path: Path) -> None:
    assert warnings(tmp_path, HEAD + email(["Hello"]) + email(["Again"]) + email(["Last"])) == []


def test_versions_of_one_follow_up_that_disagree_on_threading(tmp_path: Path) -> None:
    text = HEAD + email(["Hello"]) + email(["New thread", None, None])
    assert warnings(tmp_path, text) == [
        "19: steps[1].versions: version A has a subject (a new thread) and B and C do not (a reply in the "
        "thread): prospects get different threading by version; give every version a subject, or none"
    ]


# ---- business-hours ----------------------------------------------------------------------------------


def test_windows_outside_business_hours_and_days(tmp_path: Path) -> None:
    windows = (
        'MONDAY = [{ from = "07:00", to = "09:00" }, { from = "17:00", to = "19:00" }], '
        'TUESDAY = [{ from = "00:00", to = "00:00" }], SATURDAY = [{ from = "10:00", to = "12:00" }]'
    )
    found = warnings(tmp_path, HEAD + email(["Hello"], windows=windows))
    hours = "(08:00–18:00, Mon–Fri, Europe/Warsaw)"
    assert [w.split(": ", 2)[1:] for w in found] == [
        ["steps[0].delivery_time.MONDAY[0]", f"07:00–09:00 is outside business hours {hours}"],
        ["steps[0].delivery_time.MONDAY[1]", f"17:00–19:00 is outside business hours {hours}"],
        ["steps[0].delivery_time.TUESDAY[0]", f"all day is outside business hours {hours}"],
        ["steps[0].delivery_time.SATURDAY", f"Saturday is not a business day {hours}"],
    ]


def test_a_named_schedule_is_checked_once_in_the_prospects_zone(tmp_path: Path) -> None:
    text = HEAD.replace("daily_enroll", "prospect_timezone = true\ndaily_enroll") + (
        '\n[schedules.early]\nMONDAY = [{ from = "06:30", to = "10:00" }]\n'
        + '\n[[steps]]\ntype = "EMAIL"\ndelivery_time = "early"\n[[steps.versions]]\nsubject = "Hi"\nmessage = "a"\n'
        + '\n[[steps]]\ntype = "EMAIL"\ndelivery_time = "early"\n[[steps.versions]]\nmessage = "b"\n'
    )
    assert warnings(tmp_path, text) == [
        "9: schedules.early.MONDAY[0]: 06:30–10:00 is outside business hours "
        "(08:00–18:00, Mon–Fri, the prospect's time zone)"
    ]


def test_business_hours_from_the_settings(tmp_path: Path) -> None:
    text = HEAD + email(["Hello"], windows='SUNDAY = [{ from = "07:00", to = "09:00" }]')
    sunday_early = LintConfig(business_hours=(7 * 60, 20 * 60), business_days=("SUNDAY", "MONDAY"))
    with configured(sunday_early):
        assert warnings(tmp_path, text) == []
    assert len(warnings(tmp_path, text)) == 1  # the defaults are back after the block


# ---- sequence-length ---------------------------------------------------------------------------------


def test_a_sequence_longer_than_the_maximum(tmp_path: Path) -> None:
    text = (
        HEAD
        + email(["Hello"], after='{ range = "DAY", value = 20 }')
        + email([None], after='{ range = "HOUR", value = 250 }')
        + email([None], after='{ range = "DAY", value = 99 }')  # the last step's delay leads nowhere
    )
    assert warnings(tmp_path, text) == [
        "19: steps[1].followup_after: step 3 starts at least 30 days 10 hours after step 1, past the maximum "
        "of 30 days ([lint] max_sequence_days in wpsync.toml); shorten the delays or split the sequence"
    ]


def test_a_sequence_of_exactly_the_maximum_is_fine(tmp_path: Path) -> None:
    text = (
        HEAD
        + email(["Hello"], after='{ range = "DAY", value = 29 }')
        + email([None], after='{ range = "HOUR", value = 24 }')
        + email([None])
    )
    assert warnings(tmp_path, text) == []
    with configured(LintConfig(max_sequence_days=29)):
        assert len(warnings(tmp_path, text)) == 1


# ---- identical-versions ------------------------------------------------------------------------------


def test_identical_versions(tmp_path: Path) -> None:
    same = '\n[[steps.versions]]\nsubject = "Hi"\nmessage = "<p>Same</p>"\n'
    other = '\n[[steps.versions]]\nsubject = "Hi"\nmessage = "<p>Other</p>"\n'
    step = '\n[[steps]]\ntype = "EMAIL"\ndelivery_time = { MONDAY = [{ from = "09:00", to = "17:00" }] }\n'
    found = warnings(tmp_path, HEAD + step + same + other + same.replace("Same</p>", "Same</p>  "))
    assert found == [
        "19: steps[0].versions[2]: version C is identical to version A: an A/B test of the same content "
        "learns nothing; change one or remove it"
    ]


def test_versions_that_differ_only_in_tracking_are_a_real_test(tmp_path: Path) -> None:
    step = '\n[[steps]]\ntype = "EMAIL"\ndelivery_time = { MONDAY = [{ from = "09:00", to = "17:00" }] }\n'
    version = '\n[[steps.versions]]\nsubject = "Hi"\nmessage = "x"\ntrack_opens = %s\n'
    assert warnings(tmp_path, HEAD + step + version % "true" + version % "false") == []


def test_identical_linkedin_notes_and_empty_notes(tmp_path: Path) -> None:
    found = warnings(tmp_path, HEAD + email(["Hello"]) + linkedin("CONNECTION_REQUEST", ["", ""]))
    assert [w.split(": ", 2)[1] for w in found] == ["steps[1].versions[1]"]
    assert warnings(tmp_path, HEAD + email(["Hello"]) + linkedin("VISIT_PROFILE", [""])) == []


# ---- connection-note ---------------------------------------------------------------------------------


def test_a_connection_note_near_its_limit(tmp_path: Path) -> None:
    note = 'Hello {{FIRST_NAME | \\"there\\"}}, ' + "x" * 260
    found = warnings(tmp_path, HEAD + email(["Hello"]) + linkedin("CONNECTION_REQUEST", [note, "short"]))
    assert found == [
        "21: steps[1].versions[0].message: 292 characters: near the 300-character limit of a connection "
        "note (200 on CLASSIC LinkedIn accounts) and its snippets grow when they are filled in; shorten it"
    ]


def test_a_connection_note_under_the_threshold(tmp_path: Path) -> None:
    text = HEAD + email(["Hello"]) + linkedin("CONNECTION_REQUEST", ["x" * 279])
    assert warnings(tmp_path, text) == []
    with configured(LintConfig(connection_note_warn_at=200)):
        assert len(warnings(tmp_path, text)) == 1


def test_direct_messages_are_not_connection_notes(tmp_path: Path) -> None:
    assert warnings(tmp_path, HEAD + email(["Hello"]) + linkedin("DIRECT_MESSAGE", ["x" * 290])) == []


# ---- the [lint] settings -----------------------------------------------------------------------------


def test_settings_file_values_and_defaults(tmp_path: Path) -> None:
    path = tmp_path / "wpsync.toml"
    assert load(path) == DEFAULT
    path.write_text(
        '[other]\nx = 1\n\n[lint]\nbusiness_hours = { from = "07:30", to = "19:00" }\n'
        'business_days = ["SUNDAY", "MONDAY"]\nmax_sequence_days = 45\nconnection_note_warn_at = 250\n'
    )
    assert load(path) == LintConfig((450, 1140), ("MONDAY", "SUNDAY"), 45, 250)
    path.write_text("[lint]\n")
    assert load(path) == DEFAULT


def test_a_bad_settings_file_reports_every_problem_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "wpsync.toml"
    path.write_text(
        '[lint]\nbusiness_hours = { from = "18:00", to = "08:00" }\nmax_sequnce_days = 3\n'
        'business_days = ["MON"]\nconnection_note_warn_at = 301\n'
    )
    with pytest.raises(InputError) as caught:
        load(path)
    assert caught.value.lines() == [
        f'{path}:3: lint.max_sequnce_days: unknown key "max_sequnce_days" (did you mean "max_sequence_days"?)',
        f'{path}:2: lint.business_hours: from "18:00" must be before to "08:00" (for a whole day write "00:00"–"00:00")',
        f'{path}:4: lint.business_days: must be a list of days, e.g. ["MONDAY", "TUESDAY", "WEDNESDAY", '
        '"THURSDAY", "FRIDAY"]; not [\'MON\']',
        f"{path}:5: lint.connection_note_warn_at: must be a whole number from 1 to 300, not 301",
    ]
    path.write_text("[lint\n")
    with pytest.raises(InputError, match="invalid TOML"):
        load(path)


def test_the_settings_file_sits_next_to_the_campaigns_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaigns").mkdir()
    assert config_path([Path("campaigns")]) == Path("wpsync.toml")
    assert config_path([Path("campaigns/a.toml")]) == Path("wpsync.toml")
    assert config_path([]) == Path("wpsync.toml")
    assert config_path([tmp_path / "elsewhere" / "camps"]) == Path("elsewhere/wpsync.toml")
    assert config_path([Path("/")]) == Path("/wpsync.toml")  # outside the working folder: absolute


def test_validate_reads_wpsync_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "early.toml").write_text(
        HEAD + email(["Hi"], windows='MONDAY = [{ from = "07:00", to = "09:00" }]')
    )
    runner = CliRunner()
    result = runner.invoke(main, ["validate", "--strict"])
    assert result.exit_code == 1
    assert "07:00–09:00 is outside business hours" in result.stdout
    (tmp_path / "wpsync.toml").write_text('[lint]\nbusiness_hours = { from = "07:00", to = "17:00" }\n')
    result = runner.invoke(main, ["validate", "--strict", "campaigns/early.toml"])
    assert (result.exit_code, result.stdout) == (0, "1 campaign file checked: 0 errors, 0 warnings.\n")
    (tmp_path / "wpsync.toml").write_text("[lint]\nmax_sequence_days = 0\n")
    result = runner.invoke(main, ["validate"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == "error: wpsync.toml:2: lint.max_sequence_days: must be a whole number from 1 to 3650, not 0\n"
    )
