"""Several accounts, the parts without HTTP: the [accounts] table, the exit-code order, the grouped plan."""

from __future__ import annotations

import json

from tests.review.plans import BINDING
from wpsync.commands.fleet import worst
from wpsync.files.accounts_config import AccountConfig, parse
from wpsync.plan.plan import FieldChange, Note, Plan, UpdateVersion
from wpsync.review.accounts import AccountPlan, render_accounts_markdown, render_accounts_text


def test_a_good_table_reads_in_file_order_with_defaults() -> None:
    accounts, problems = parse(
        {
            "acme": {"api_key_env": "ACME_KEY", "api_url": "https://wp.example/rest/", "company_id": 7},
            "globex": {"api_key_env": "GLOBEX_KEY"},
        }
    )
    assert problems == []
    assert list(accounts) == ["acme", "globex"]
    assert accounts["acme"] == AccountConfig("acme", "ACME_KEY", "https://wp.example/rest", 7)
    assert accounts["globex"] == AccountConfig("globex", "GLOBEX_KEY")


def test_every_problem_of_the_table_is_reported_at_once() -> None:
    _, problems = parse({"Bad Name": {"api_key_env": "K"}, "ok": {"api_key_env": 3, "company_id": True}})
    where = [".".join(loc) for loc, _ in problems]
    assert where == ["accounts.Bad Name", "accounts.ok.api_key_env", "accounts.ok.company_id"]


def test_the_most_serious_exit_code_wins() -> None:
    assert worst([0, 3, 1, 5]) == 1
    assert worst([0, 4, 3]) == 4
    assert worst([2, 0]) == 2
    assert worst([130, 1]) == 130
    assert worst([]) == 0


def _edit(folder: str, campaign_id: int) -> Plan:
    action = UpdateVersion(
        key="q4",
        file=f"{folder}/q4.toml",
        campaign_id=campaign_id,
        position=1,
        version=0,
        patch={"subject": "New"},
        step_hash="h",
        changes=(FieldChange("steps[0].versions[0].subject", "Old", "New"),),
    )
    note = Note("q4", "warning", "q4: a note every account shares")
    return Plan(actions=(action,), refusals=(), notes=(note,), binding=BINDING)


def test_the_same_edit_in_two_accounts_is_shown_once_with_each_campaign_id() -> None:
    plans = [
        AccountPlan("acme", _edit("campaigns/acme", 1003), "campaigns/acme"),
        AccountPlan("globex", _edit("campaigns/globex", 2001), "campaigns/globex"),
        AccountPlan("initech", _edit("campaigns/initech", 3005), "campaigns/initech"),
    ]
    plans[2] = AccountPlan(
        "initech",
        Plan(actions=(), refusals=(), notes=(), binding=BINDING, unchanged=1),
        "campaigns/initech",
    )
    text = render_accounts_text(plans)
    assert text.count("~ update step 1 version A in campaign <id>") == 1
    assert text.count("  # q4  (campaigns/{acme,globex}/q4.toml): copy of 1 version edited") == 1
    assert "in acme, globex:" in text
    assert "      campaign ids: acme 1003 · globex 2001" in text
    assert text.count("a note every account shares") == 1
    assert (
        "  initech  No changes to the campaign files since the last apply. Woodpecker was not asked" in text
    )
    assert text.endswith(
        "Plan for 3 accounts: 0 campaigns to create, 0 steps to append, 2 in-place updates, 0 changes refused."
    )
    markdown = render_accounts_markdown(plans)
    assert markdown.count("**✏️ Step 1 · version A: copy edited**") == 1
    assert "campaigns/{acme,globex}/q4.toml: campaign ids by account: acme 1003, globex 2001" in markdown
    json.dumps(markdown)  # plain text


def test_one_account_alone_shows_its_own_ids_as_its_plan_does() -> None:
    text = render_accounts_text([AccountPlan("acme", _edit("campaigns/acme", 1003), "campaigns/acme")])
    assert "  # q4  (campaigns/acme/q4.toml): copy of 1 version edited" in text
    assert "~ update step 1 version A in campaign 1003" in text
    assert "campaign ids" not in text


def test_urls_that_reach_the_same_server_are_the_same_account() -> None:
    from wpsync.files.accounts_config import same_server

    spellings = [
        "http://localhost:8765/rest",
        "HTTP://LocalHost:8765/rest/",
        "http://127.0.0.1:8765/rest",
        "http://[::1]:8765/rest",
    ]
    assert {same_server(url) for url in spellings} == {"http://127.0.0.1:8765/rest"}
    assert same_server("https://api.woodpecker.co:443/rest/") == same_server("https://API.woodpecker.co/rest")
    assert same_server("http://127.0.0.1:8766/rest") != same_server("http://127.0.0.1:8765/rest")
    _, problems = parse(
        {
            "a": {"api_key_env": "K", "api_url": "http://localhost:8765/rest"},
            "b": {"api_key_env": "K", "api_url": "HTTP://127.0.0.1:8765/rest/"},
        }
    )
    assert [".".join(loc) for loc, _ in problems] == ["accounts.b"]
