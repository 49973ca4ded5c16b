"""Every command per account (issue #21): two accounts, each on its own emulator server — ``acme``, an
agency client reached with the HQ key and ``company_id`` (its URL from WOODPECKER_API_URL), and
``globex`` with its own key and ``api_url``. Each command must reach only its own account's server and
company: the emulators' request logs say which account every request acted for."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from tests.e2e.conftest import ROOT
from wpsync.cli import main
from wpsync.emulator.server import EmulatorHandle, running_emulator
from wpsync.files.schema import schema_json

EXAMPLES = ROOT / "campaigns"
COMPANY = 501


@dataclass
class Pair:
    root: Path
    hq: EmulatorHandle  # the agency's server: its own account, and client company 501 (acme)
    globex: EmulatorHandle

    def run(self, *args: str, input: str | None = None) -> Result:
        result = CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)
        assert "Traceback" not in result.output
        return result

    def logs(self) -> dict[str, list[dict[str, Any]]]:
        """Every request each account's server logged: acme (company 501 of the HQ key), the HQ's own
        account (which no command may touch), globex."""
        return {
            "acme": self.hq.company(COMPANY).requests(),
            "hq": self.hq.requests(),
            "globex": self.globex.requests(),
        }

    def clear(self) -> None:
        self.hq.company(COMPANY).clear_requests()
        self.hq.clear_requests()
        self.globex.clear_requests()

    def only(self, account: str) -> list[dict[str, Any]]:
        """The requests of ``account``, after checking that no other account's server saw any."""
        logs = self.logs()
        others = {name: entries for name, entries in logs.items() if name != account and entries}
        assert not others, others
        assert logs[account], f"{account}: no request"
        if account == "acme":
            assert {entry["company_id"] for entry in logs[account]} == {COMPANY}
        self.clear()
        return logs[account]

    def create_in(self, account: str, key: str) -> int:
        """A campaign made in Woodpecker itself (not by wpsync), from an example's create body."""
        from wpsync.files.loading import load_campaign
        from wpsync.files.to_api import create_body

        body = create_body(load_campaign(EXAMPLES / f"{key}.toml"))
        emulator, headers = (
            (self.hq, {"x-api-key": "hq-key", "x-company-id": str(COMPANY)})
            if account == "acme"
            else (self.globex, {"x-api-key": "globex-key"})
        )
        answer = httpx.post(f"{emulator.base_url}/v2/campaigns", json=body, headers=headers)
        assert answer.status_code == 201, answer.text
        self.clear()
        campaign_id: int = answer.json()["id"]
        return campaign_id


@pytest.fixture
def pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Pair]:
    monkeypatch.chdir(tmp_path)
    for name in ("WOODPECKER_API_KEY", "WPSYNC_STATE_DIR", "WPSYNC_STATE_URL"):
        monkeypatch.delenv(name, raising=False)
    with (
        running_emulator(["hq-key"], seed_examples=True) as hq,
        running_emulator(["globex-key"], seed_examples=True) as globex,
    ):
        hq.add_company(COMPANY, "Acme Ltd")
        monkeypatch.setenv("WOODPECKER_API_URL", hq.base_url)
        monkeypatch.setenv("AGENCY_WOODPECKER_KEY", "hq-key")
        monkeypatch.setenv("GLOBEX_WOODPECKER_KEY", "globex-key")
        (tmp_path / "wpsync.toml").write_text(
            "[accounts.acme]\n"
            'api_key_env = "AGENCY_WOODPECKER_KEY"\n'
            f"company_id = {COMPANY}\n\n"
            "[accounts.globex]\n"
            'api_key_env = "GLOBEX_WOODPECKER_KEY"\n'
            f'api_url = "{globex.base_url}"\n',
            encoding="utf-8",
        )
        for name, key in (("acme", "one-step-email"), ("globex", "two-step-linkedin")):
            (tmp_path / "campaigns" / name).mkdir(parents=True)
            shutil.copy(EXAMPLES / f"{key}.toml", tmp_path / "campaigns" / name)
        (tmp_path / "schema").mkdir()
        (tmp_path / "schema" / "campaign.schema.json").write_text(schema_json(), encoding="utf-8")
        pair = Pair(tmp_path, hq, globex)
        pair.clear()
        yield pair


def test_plan_and_apply_per_account_reach_only_that_account(pair: Pair) -> None:
    plan = pair.run("plan", "--account", "globex")
    assert plan.exit_code == 0, plan.output
    assert "two-step-linkedin" in plan.stdout and "one-step-email" not in plan.stdout
    assert pair.only("globex")
    applied = pair.run("apply", "--auto-approve", "--account", "acme")
    assert applied.exit_code == 0, applied.output
    assert any(entry["method"] == "POST" for entry in pair.only("acme"))
    applied = pair.run("apply", "--auto-approve", "--account", "globex")
    assert applied.exit_code == 0, applied.output
    assert any(entry["method"] == "POST" for entry in pair.only("globex"))
    again = pair.run("plan", "--detailed-exitcode", "--refresh", "all")
    assert again.exit_code == 0, again.output
    assert "No changes in 2 accounts." in again.stdout


def test_state_list_and_show_cover_every_account_grouped(pair: Pair) -> None:
    assert pair.run("apply", "--auto-approve").exit_code == 0
    pair.clear()
    listed = pair.run("state", "list")
    assert listed.exit_code == 0, listed.output
    rows = listed.stdout.splitlines()
    assert rows[0].split() == ["ACCOUNT", "KEY", "CAMPAIGN", "STATUS", "STEPS", "APPLIED"]
    assert [row.split()[:2] for row in rows[1:]] == [
        ["acme", "one-step-email"],
        ["globex", "two-step-linkedin"],
    ]
    only = json.loads(pair.run("state", "list", "--account", "globex", "--format", "json").stdout)
    assert list(only["accounts"]) == ["globex"]
    assert [c["key"] for c in only["accounts"]["globex"]["campaigns"]] == ["two-step-linkedin"]
    shown = pair.run("state", "show", "two-step-linkedin")
    assert shown.exit_code == 0 and shown.stdout.startswith("in globex:\ntwo-step-linkedin: campaign ")
    missing = pair.run("state", "show", "one-step-email", "--account", "globex")
    assert missing.exit_code == 1 and "state/globex" in missing.stderr
    assert pair.logs() == {"acme": [], "hq": [], "globex": []}  # the state alone: no request


def test_import_into_an_account_folder_reaches_its_company_and_points_at_the_schema(pair: Pair) -> None:
    campaign_id = pair.create_in("acme", "two-step-linkedin")
    ambiguous = pair.run("import", str(campaign_id))
    assert ambiguous.exit_code == 1
    assert "import acts on one account" in ambiguous.stderr and "(one of acme, globex)" in ambiguous.stderr
    result = pair.run("import", str(campaign_id), "--account", "acme", "--key", "adopted")
    assert result.exit_code == 0, result.output
    pair.only("acme")
    text = (pair.root / "campaigns" / "acme" / "adopted.toml").read_text(encoding="utf-8")
    assert text.startswith("#:schema ../../schema/campaign.schema.json\n")
    assert (pair.root / "state" / "acme" / "adopted.json").is_file()
    assert pair.run("validate").exit_code == 0
    plan = pair.run("plan", "--account", "acme", "--target", "adopted", "--refresh", "all")
    assert plan.exit_code == 0 and "No changes" in plan.stdout, plan.output


def test_forget_state_mv_and_destroy_act_on_the_named_account(pair: Pair) -> None:
    assert pair.run("apply", "--auto-approve").exit_code == 0
    pair.clear()
    for args in (("forget", "two-step-linkedin"), ("state", "mv", "a", "b"), ("destroy", "x")):
        refused = pair.run(*args)
        assert refused.exit_code == 1 and "--account NAME (one of acme, globex)" in refused.stderr, args
    moved = pair.run("state", "mv", "two-step-linkedin", "renamed", "--account", "globex")
    assert moved.exit_code == 0, moved.output
    assert "campaigns/globex/renamed.toml" in moved.stdout
    assert (pair.root / "state" / "globex" / "renamed.json").is_file()
    forgot = pair.run("forget", "one-step-email", "--account", "acme")
    assert forgot.exit_code == 0 and "campaigns/acme/one-step-email.toml still exists" in forgot.stdout
    assert pair.logs() == {"acme": [], "hq": [], "globex": []}  # neither talks to Woodpecker
    gone = pair.run("destroy", "renamed", "--account", "globex", "--auto-approve")
    assert gone.exit_code == 0, gone.output
    assert [e["method"] for e in pair.only("globex") if e["method"] != "GET"] == ["DELETE"]


def test_doctor_and_accounts_check_each_account_with_its_own_key_and_company(pair: Pair) -> None:
    doctor = pair.run("doctor")
    assert doctor.exit_code == 0, doctor.output
    assert "acme (key in AGENCY_WOODPECKER_KEY (wpsync.toml:2: accounts.acme.api_key_env), company 501):" in (
        doctor.stdout
    )
    assert "\nglobex (key in GLOBEX_WOODPECKER_KEY" in doctor.stdout
    logs = pair.logs()
    assert logs["hq"] == [] and logs["acme"] and logs["globex"]
    assert {entry["company_id"] for entry in logs["acme"]} == {COMPANY}
    pair.clear()
    assert pair.run("doctor", "--account", "acme").exit_code == 0
    pair.only("acme")
    listed = pair.run("accounts", "--account", "acme", "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert list(json.loads(listed.stdout)["accounts"]) == ["acme"]
    pair.only("acme")
    both = pair.run("accounts")
    assert both.exit_code == 0 and "acme (key in" in both.stdout and "globex (key in" in both.stdout


def test_force_unlock_needs_the_account_and_removes_only_its_lock(pair: Pair) -> None:
    holder = {"id": "feed42", "who": "ci", "host": "runner-7", "pid": os.getpid(), "command": "wpsync apply"}
    for name in ("acme", "globex"):
        (pair.root / "state" / name).mkdir(parents=True)
        (pair.root / "state" / name / ".lock").write_text(json.dumps(holder | {"since": "x"}))
    assert pair.run("force-unlock", "feed42").exit_code == 1
    unlocked = pair.run("force-unlock", "feed42", "--account", "globex")
    assert unlocked.exit_code == 0 and "Removed lock feed42" in unlocked.stdout, unlocked.output
    assert not (pair.root / "state" / "globex" / ".lock").exists()
    assert (pair.root / "state" / "acme" / ".lock").exists()
    typo = pair.run("force-unlock", "feed42", "--account", "acmee")
    assert typo.exit_code == 1 and 'did you mean "acme"?' in typo.stderr


def test_a_rejected_key_is_named_by_its_variable_and_wpsync_toml_line(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GLOBEX_WOODPECKER_KEY", "not-globex-key")
    for args in (("plan",), ("accounts", "--account", "globex"), ("apply", "--auto-approve")):
        result = pair.run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert (
            "Woodpecker rejected the API key (401): Invalid api key — the key is wrong or revoked: check"
            " GLOBEX_WOODPECKER_KEY "
            "(wpsync.toml:6: accounts.globex.api_key_env)"
        ) in result.stderr, (args, result.stderr)
        assert "WOODPECKER_API_KEY" not in result.output and "not-globex-key" not in result.output
    doctor = pair.run("doctor", "--account", "globex")
    assert doctor.exit_code == 1 and "check GLOBEX_WOODPECKER_KEY (wpsync.toml:6" in doctor.stdout


def test_validate_fmt_and_preview_read_the_account_folders_plan_reads(pair: Pair) -> None:
    checked = pair.run("validate", "--account", "globex")
    assert checked.exit_code == 0 and "1 campaign file checked" in checked.stdout, checked.output
    assert pair.run("fmt", "--check", "--account", "acme").stdout.startswith("1 campaign file:")
    shown = pair.run("preview", "two-step-linkedin", "--account", "globex")
    assert shown.exit_code == 0 and "two-step-linkedin" in shown.stdout, shown.output
    assert pair.run("preview", "two-step-linkedin", "--account", "acme").exit_code == 1
    stray = pair.root / "campaigns" / "stray.toml"
    shutil.copy(EXAMPLES / "one-step-email.toml", stray)
    message = (
        "campaigns/stray.toml: with [accounts] in wpsync.toml, campaign files live in campaigns/ACCOUNT/"
    )
    validated = pair.run("validate")
    assert validated.exit_code == 1 and message in validated.stdout, validated.output
    assert "2 campaign files checked: 1 error" in validated.stdout
    planned = pair.run("plan", "--offline")
    assert planned.exit_code == 1 and message in planned.stderr
    assert pair.logs() == {"acme": [], "hq": [], "globex": []}


def test_agency_discovery_lists_client_companies_and_init_declares_the_chosen(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair.hq.add_company(502, "Beta & Co")
    listed = pair.run("accounts", "--companies")
    assert listed.exit_code == 0, listed.output
    lines = listed.stdout.splitlines()
    assert lines[0].startswith("Client companies of the key in AGENCY_WOODPECKER_KEY (wpsync.toml:2")
    assert lines[1].split() == ["ID", "NAME", "ACCOUNT", "RUNNING", "MAILBOXES", "LINKEDIN"]
    assert lines[2].split() == ["501", "Acme", "Ltd", "acme", "0", "4", "1"]
    assert lines[3].split()[:4] == ["502", "Beta", "&", "Co"] and lines[3].split()[4] == "-"
    logs = pair.logs()
    assert [e["path"] for e in logs["hq"]] == ["/rest/v2/agency/companies"] and not logs["globex"]
    pair.clear()
    data = json.loads(pair.run("accounts", "--companies", "--format", "json").stdout)
    assert [(c["id"], c["account"], c["key"]) for c in data["companies"]] == [
        (501, "acme", "AGENCY_WOODPECKER_KEY"),
        (502, None, "AGENCY_WOODPECKER_KEY"),
    ]
    no_agency = pair.run("accounts", "--companies", "--account", "globex")
    assert no_agency.exit_code == 1
    assert "the key in GLOBEX_WOODPECKER_KEY (wpsync.toml:6" in no_agency.stderr
    assert "has no Agency add-on (403" in no_agency.stderr
    pair.clear()

    monkeypatch.setenv("WOODPECKER_API_KEY", "hq-key")  # a new repository, the agency's key
    fresh = pair.root / "fresh"
    unknown = pair.run("init", str(fresh), "--companies", "502,999")
    assert unknown.exit_code == 1 and "999 not a client company" in unknown.stderr
    assert not fresh.exists()  # asked before anything is written
    made = pair.run("init", str(fresh), "--companies", "502")
    assert made.exit_code == 0, made.output
    assert "added [accounts.beta-co] (company 502, Beta & Co) and campaigns/beta-co/" in made.stdout
    config = (fresh / "wpsync.toml").read_text(encoding="utf-8")
    assert '[accounts.beta-co]  # Beta & Co\napi_key_env = "WOODPECKER_API_KEY"' in config
    assert "company_id = 502" in config and not (fresh / "campaigns" / "example.toml").exists()
    assert "state/*/.lock" in (fresh / ".gitignore").read_text(encoding="utf-8")
    again = pair.run("init", str(fresh), "--all-companies")
    assert "skipped company 502 (Beta & Co): already an account" in again.stdout
    assert "added [accounts.acme-ltd] (company 501" in again.stdout
    pair.clear()
    monkeypatch.chdir(fresh)
    assert pair.run("validate").exit_code == 0
    assert pair.run("plan", "--account", "beta-co").exit_code == 0
    boxes = pair.run("accounts", "--account", "beta-co")
    assert boxes.exit_code == 0 and "sales@example.com" in boxes.stdout, boxes.output
    logs = pair.logs()
    assert logs["globex"] == [] and logs["acme"] == [] and logs["hq"] == []
    assert {e["company_id"] for e in pair.hq.company(502).requests()} == {502}


def test_one_key_behind_two_spellings_of_one_server_is_refused(
    pair: Pair, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = pair.globex.base_url
    aliased = url.replace("http://127.0.0.1", "HTTP://localhost") + "/"
    monkeypatch.setenv("OTHER_KEY", "globex-key")  # the same key under another variable
    with (pair.root / "wpsync.toml").open("a", encoding="utf-8") as config:
        config.write(f'\n[accounts.other]\napi_key_env = "OTHER_KEY"\napi_url = "{aliased}"\n')
    (pair.root / "campaigns" / "other").mkdir()
    result = pair.run("plan")
    assert result.exit_code == 1
    assert "accounts globex and other use the same API key (GLOBEX_WOODPECKER_KEY and OTHER_KEY" in (
        result.stderr
    )
    assert pair.logs() == {"acme": [], "hq": [], "globex": []}


def test_commands_that_read_no_state_need_no_state_url(pair: Pair) -> None:
    with (pair.root / "wpsync.toml").open("a", encoding="utf-8") as config:
        config.write('\n[state]\nurl_env = "UNSET_STATE_URL"\n')
    for args in (("accounts", "--account", "acme"), ("validate",), ("fmt", "--check", "--account", "globex")):
        result = pair.run(*args)
        assert result.exit_code == 0, (args, result.output)
    listed = pair.run("state", "list")
    assert listed.exit_code == 1 and "UNSET_STATE_URL is not set" in listed.stderr
