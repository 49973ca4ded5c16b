"""Several Woodpecker accounts in one repository (issue #14): `[accounts]` in wpsync.toml, end to end
over HTTP against one emulator per account (each accepting only its own key), and an agency's HQ key
acting for client companies."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner, Result

from tests.e2e.conftest import ROOT
from wpsync.cli import main
from wpsync.emulator.server import EmulatorHandle, running_emulator

EXAMPLES = ROOT / "campaigns"
CAMPAIGNS = {  # each account its own set; one-step-email is in all three
    "alpha": ["one-step-email", "two-step-linkedin"],
    "beta": ["one-step-email", "four-step-multichannel"],
    "gamma": ["one-step-email"],
}


@dataclass
class Fleet:
    root: Path
    emulators: dict[str, EmulatorHandle]

    def run(self, *args: str) -> Result:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
        assert "Traceback" not in result.output
        return result

    def names(self, account: str) -> list[str]:
        """The campaign names the account's emulator holds (through the API, with its key)."""
        emulator = self.emulators[account]
        answer = httpx.get(f"{emulator.base_url}/v1/campaign_list", headers={"x-api-key": f"key-{account}"})
        data = answer.json() if answer.content else []
        return sorted(c["name"] for c in data) if isinstance(data, list) else []


def _config(accounts: dict[str, EmulatorHandle], extra: str = "") -> str:
    return (
        "".join(
            f'[accounts.{name}]\napi_key_env = "{name.upper()}_KEY"\napi_url = "{emulator.base_url}"\n\n'
            for name, emulator in accounts.items()
        )
        + extra
    )


def _example_name(key: str) -> str:
    text = (EXAMPLES / f"{key}.toml").read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("name = "))
    name: str = json.loads(line.removeprefix("name = "))
    return name


@pytest.fixture
def fleet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fleet]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("WOODPECKER_API_KEY", raising=False)
    monkeypatch.delenv("WOODPECKER_API_URL", raising=False)
    monkeypatch.delenv("WPSYNC_STATE_DIR", raising=False)
    with ExitStack() as stack:
        emulators = {
            name: stack.enter_context(running_emulator([f"key-{name}"], seed_examples=True, latency=0.02))
            for name in CAMPAIGNS
        }
        for name, keys in CAMPAIGNS.items():
            folder = tmp_path / "campaigns" / name
            folder.mkdir(parents=True)
            for key in keys:
                shutil.copy(EXAMPLES / f"{key}.toml", folder / f"{key}.toml")
            monkeypatch.setenv(f"{name.upper()}_KEY", f"key-{name}")
        (tmp_path / "wpsync.toml").write_text(_config(emulators), encoding="utf-8")
        yield Fleet(tmp_path, emulators)


def _window(emulator: EmulatorHandle) -> tuple[datetime, datetime]:
    times = [datetime.fromisoformat(r["time"]) for r in emulator.requests()]
    return min(times), max(times)


def test_apply_drives_every_account_at_once_each_with_its_own_key_and_campaigns(fleet: Fleet) -> None:
    result = fleet.run("apply", "--auto-approve")
    assert result.exit_code == 0, result.output
    for name, keys in CAMPAIGNS.items():
        assert fleet.names(name) == sorted(_example_name(key) for key in keys)  # exactly its campaigns
        hashes = {r["key_hash"] for r in fleet.emulators[name].requests()}
        assert len(hashes) == 1  # one key per emulator: never another account's
        assert (fleet.root / "state" / name / "wpsync-state.json").is_file()
        assert f"{name}: [1/{len(keys)}] create campaign" in result.stdout
    windows = [_window(emulator) for emulator in fleet.emulators.values()]
    assert max(start for start, _ in windows) < min(end for _, end in windows), windows  # they overlapped
    assert "Apply complete in 3 of 3 account(s)." in result.stdout
    again = fleet.run("plan", "--detailed-exitcode")
    assert again.exit_code == 0, again.output
    assert "No changes in 3 accounts to the campaign files since the last apply." in again.stdout


def test_one_account_failing_does_not_stop_the_others(fleet: Fleet) -> None:
    fleet.emulators["beta"].add_fault("500", count=50, method="POST", path_prefix="/rest/v2/campaigns")
    result = fleet.run("apply", "--auto-approve")
    assert result.exit_code == 1, result.output
    assert fleet.names("alpha") == sorted(_example_name(k) for k in CAMPAIGNS["alpha"])
    assert fleet.names("gamma") == sorted(_example_name(k) for k in CAMPAIGNS["gamma"])
    assert fleet.names("beta") == []
    summary = result.stdout.split("\nAccounts:\n")[-1]
    assert "beta   FAILED:" in summary
    assert "alpha  applied: 2 campaign(s) created" in summary
    assert "Apply complete in 2 of 3 account(s); 1 did not complete." in summary
    assert "error: beta:" in result.stderr
    assert not (fleet.root / "state" / "beta" / ".lock").exists()  # every lock released


def test_the_plan_is_one_plan_grouped_by_account(fleet: Fleet) -> None:
    text = fleet.run("plan")
    assert text.exit_code == 0, text.output
    lines = text.stdout.splitlines()
    assert lines[0] == "Accounts:"
    assert lines[1].startswith("  alpha  Plan: 2 campaigns to create")
    # The same new campaign in all three accounts is shown once, with the accounts.
    assert text.stdout.count("+ create campaign one-step-email") == 1
    assert "in alpha, beta, gamma:" in text.stdout
    assert "(campaigns/{alpha,beta,gamma}/one-step-email.toml)" in text.stdout
    assert text.stdout.count("+ create campaign two-step-linkedin") == 1
    assert lines[-1] == "Plan for 3 accounts: 5 campaigns to create, 0 steps to append, 0 changes refused."
    data = json.loads(fleet.run("plan", "--format", "json").stdout)
    assert sorted(data["accounts"]) == ["alpha", "beta", "gamma"]
    assert data["accounts"]["gamma"]["summary"]["create"] == 1
    assert data["summary"]["create"] == 5
    assert {"kind": "actions", "key": "one-step-email", "accounts": ["alpha", "beta", "gamma"]} in data[
        "same_change"
    ]
    markdown = fleet.run("plan", "--format", "markdown").stdout
    assert markdown.count("<!-- wpsync:plan -->") == 1
    assert "- **gamma**: Plan: 1 campaign to create" in markdown
    assert markdown.count("one-step-email</code>") == 1


def test_account_narrows_and_a_typo_gets_a_suggestion(fleet: Fleet) -> None:
    result = fleet.run("apply", "--auto-approve", "--account", "gamma")
    assert result.exit_code == 0, result.output
    assert fleet.emulators["alpha"].requests() == [] and fleet.emulators["beta"].requests() == []
    assert fleet.names("gamma") == [_example_name("one-step-email")]
    typo = fleet.run("plan", "--account", "gama")
    assert typo.exit_code == 1
    assert 'did you mean "gamma"?' in typo.stderr


def test_a_key_is_only_needed_for_the_accounts_used(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BETA_KEY")
    missing = fleet.run("plan")
    assert missing.exit_code == 1
    assert (
        "wpsync.toml:6: accounts.beta.api_key_env: the variable BETA_KEY is not set or empty"
        in missing.stderr
    )
    assert fleet.run("plan", "--account", "alpha", "--account", "gamma").exit_code == 0


def test_keys_of_two_accounts_swapped_are_refused_per_account(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fleet.run("apply", "--auto-approve").exit_code == 0
    hq = running_emulator(["key-alpha", "key-beta"], seed_examples=True)
    with hq as shared:  # one server for both keys, so a swapped key reaches the other account
        config = _config({"alpha": shared, "beta": shared})
        (fleet.root / "wpsync.toml").write_text(config, encoding="utf-8")
        shutil.rmtree(fleet.root / "campaigns" / "gamma")
        assert fleet.run("apply", "--auto-approve").exit_code == 0
        monkeypatch.setenv("ALPHA_KEY", "key-beta")
        monkeypatch.setenv("BETA_KEY", "key-alpha")
        (fleet.root / "campaigns" / "alpha" / "new.toml").write_text(
            (EXAMPLES / "one-step-email.toml").read_text().replace('name = "', 'name = "New ', 1)
        )
        (fleet.root / "campaigns" / "beta" / "new.toml").write_text(
            (EXAMPLES / "one-step-email.toml").read_text().replace('name = "', 'name = "New ', 1)
        )
        plan = fleet.run("plan")
        assert plan.exit_code == 3, plan.output
        # Each account's state knows its account: each refuses the other's key, before any POST.
        assert plan.stdout.count("  ✗ account_mismatch\n") == 2
        assert "\nin alpha:\n" in plan.stdout and "\nin beta:\n" in plan.stdout
        shared.clear_requests()
        assert fleet.run("apply", "--auto-approve").exit_code == 3
        assert [r for r in shared.requests() if r["method"] == "POST"] == []


def test_a_saved_plan_of_several_accounts_is_applied_exactly(fleet: Fleet) -> None:
    saved = fleet.run("plan", "--out", "plan.json")
    assert saved.exit_code == 0, saved.output
    (fleet.root / "campaigns" / "gamma" / "late.toml").write_text(
        (EXAMPLES / "one-step-email.toml").read_text()
    )
    result = fleet.run("apply", "plan.json")
    assert result.exit_code == 4, result.output  # gamma moved: stale
    assert "gamma  FAILED:" in result.stdout and "late: a new campaign file appeared" in result.stderr
    assert fleet.names("alpha") and fleet.names("gamma") == []
    shown = fleet.run("show", "plan.json")
    assert shown.exit_code == 0, shown.output
    assert "in alpha, beta, gamma:" in shown.stdout


def test_an_agency_key_acts_for_each_client_company(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AGENCY_KEY", "hq-key")
    with running_emulator(["hq-key"], seed_examples=True) as hq:
        hq.add_company(501, "Client A")
        hq.add_company(502, "Client B")
        (tmp_path / "wpsync.toml").write_text(
            "".join(
                f'[accounts.{name}]\napi_key_env = "AGENCY_KEY"\napi_url = "{hq.base_url}"\ncompany_id = {cid}\n\n'
                for name, cid in (("client-a", 501), ("client-b", 502))
            )
        )
        for name, key in (("client-a", "one-step-email"), ("client-b", "two-step-linkedin")):
            (tmp_path / "campaigns" / name).mkdir(parents=True)
            shutil.copy(EXAMPLES / f"{key}.toml", tmp_path / "campaigns" / name)
        result = CliRunner().invoke(main, ["apply", "--auto-approve"], catch_exceptions=False)
        assert result.exit_code == 0, result.output

        def listed(company: int | None) -> list[str]:
            headers = {"x-api-key": "hq-key"} | ({"x-company-id": str(company)} if company else {})
            answer = httpx.get(f"{hq.base_url}/v1/campaign_list", headers=headers).json()
            return [c["name"] for c in answer] if isinstance(answer, list) else []

        assert listed(501) == [_example_name("one-step-email")]
        assert listed(502) == [_example_name("two-step-linkedin")]
        assert listed(None) == []  # nothing in the agency's own account
        for company in (501, 502):
            logged = hq.company(company).requests()
            assert logged and {r["company_id"] for r in logged} == {company}
        states = [
            json.loads((tmp_path / "state" / n / "wpsync-state.json").read_text())
            for n in ("client-a", "client-b")
        ]
        assert states[0]["account"] != states[1]["account"]


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (
            '[accounts.acme]\napi_key_env = "ACME_KEY"\napi_ulr = "x"\n',
            'accounts.acme.api_ulr: unknown key "api_ulr" (did you mean "api_url"?)',
        ),
        ('[accounts.Acme]\napi_key_env = "ACME_KEY"\n', '"Acme" is not a valid account name'),
        (
            "[accounts.acme]\ncompany_id = 5\n",
            "accounts.acme.api_key_env: missing: name the environment variable",
        ),
        ('[accounts.acme]\napi_key_env = "sk_live_123 abc"\n', "must be the name of an environment variable"),
        (
            '[accounts.acme]\napi_key_env = "K"\ncompany_id = 0\n',
            "accounts.acme.company_id: must be the client company's id",
        ),
        ("accounts = 3\n", "accounts: must be a table of accounts"),
        ("[accounts]\n", "accounts: declares no account"),
        (
            '[accounts.a]\napi_key_env = "K"\n[accounts.b]\napi_key_env = "K"\n',
            "accounts.b: the same Woodpecker account as accounts.a",
        ),
    ],
)
def test_a_bad_accounts_table_is_refused_naming_the_file_and_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str, expected: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "wpsync.toml").write_text(table)
    result = CliRunner().invoke(main, ["plan", "--offline"], catch_exceptions=False)
    assert result.exit_code == 1
    assert "wpsync.toml" in result.stderr and expected in result.stderr, result.stderr


def test_files_outside_the_account_folders_are_refused(fleet: Fleet) -> None:
    shutil.copy(EXAMPLES / "one-step-email.toml", fleet.root / "campaigns" / "stray.toml")
    result = fleet.run("plan")
    assert result.exit_code == 1
    assert (
        "campaigns/stray.toml: with [accounts] in wpsync.toml, campaign files live in campaigns/ACCOUNT/"
        in (result.stderr)
    )


def test_account_flag_without_accounts_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "campaigns").mkdir()
    result = CliRunner().invoke(main, ["plan", "--offline", "--account", "x"], catch_exceptions=False)
    assert result.exit_code == 1 and "needs [accounts.NAME]" in result.output


def _requests(emulator: EmulatorHandle) -> list[dict[str, Any]]:
    return emulator.requests()


def test_target_picks_campaigns_across_accounts(fleet: Fleet) -> None:
    result = fleet.run("apply", "--auto-approve", "--target", "two-step-linkedin")
    assert result.exit_code == 0, result.output
    assert fleet.emulators["gamma"].requests() == [] and fleet.emulators["beta"].requests() == []
    assert fleet.names("alpha") == [_example_name("two-step-linkedin")]
    typo = fleet.run("plan", "--target", "two-step-linkedn")
    assert typo.exit_code == 1 and 'did you mean "two-step-linkedin"?' in typo.stderr


def test_validate_and_fmt_read_the_account_folders_as_plan_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("acme", "globex", "undeclared"):
        (tmp_path / "campaigns" / name).mkdir(parents=True)
        shutil.copy(EXAMPLES / "one-step-email.toml", tmp_path / "campaigns" / name / "one-step-email.toml")
    broken = tmp_path / "campaigns" / "globex" / "broken.toml"
    broken.write_text('name = "x"\nemail_account_ids = [1]\ndaily_enrol = 5\n', encoding="utf-8")
    (tmp_path / "wpsync.toml").write_text(
        '[accounts.acme]\napi_key_env = "ACME_KEY"\n\n[accounts.globex]\napi_key_env = "GLOBEX_KEY"\n'
    )
    result = CliRunner().invoke(main, ["validate"], catch_exceptions=False)
    assert result.exit_code == 1, result.output  # not "0 campaign files checked": CI would pass it
    assert "3 campaign files checked: " in result.stdout and "campaigns/globex/broken.toml" in result.stdout
    skipped = [line for line in result.stderr.splitlines() if "skipped" in line]
    assert skipped == [
        "warning: campaigns/undeclared: skipped: a subfolder (subfolders are read only when declared as"
        " accounts in wpsync.toml)"
    ]
    broken.unlink()
    result = CliRunner().invoke(main, ["fmt", "--check"], catch_exceptions=False)
    assert result.exit_code == 0 and "2 campaign files: 0 would be reformatted" in result.stdout, (
        result.output
    )


def test_a_duplicate_in_one_account_names_its_import_with_the_account(fleet: Fleet) -> None:
    import shlex

    assert fleet.run("apply", "--auto-approve").exit_code == 0
    record = json.loads((fleet.root / "state" / "beta" / "one-step-email.json").read_text())
    shutil.rmtree(fleet.root / "state" / "beta")  # beta's state is lost; alpha's and gamma's are not
    for emulator in fleet.emulators.values():
        emulator.clear_requests()
    plan = fleet.run("plan")
    assert plan.exit_code == 3, plan.output
    command = f"wpsync import {record['campaign_id']} --key one-step-email --force --account beta"
    assert f"`{command}`" in plan.stdout
    assert "in alpha:" not in plan.stdout  # the other accounts plan no changes
    assert fleet.run("apply", "--auto-approve").exit_code == 3
    posts = [r for e in fleet.emulators.values() for r in e.requests() if r["method"] == "POST"]
    assert posts == []
    adopted = fleet.run(*shlex.split(command)[1:])  # exactly as printed
    assert adopted.exit_code == 0, adopted.output
    assert (fleet.root / "state" / "beta" / "one-step-email.json").is_file()
    assert not (fleet.root / "state" / "alpha" / "four-step-multichannel.json").exists()
