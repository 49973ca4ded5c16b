"""Several accounts: an account whose plan is refused still gets its pending status restores (a
campaign an interrupted apply left EDITED), and nothing else; the other accounts apply as usual."""

from __future__ import annotations

import json

import httpx

from tests.e2e.test_accounts import EXAMPLES, Fleet, fleet  # noqa: F401 (the fixture)


def test_a_refused_account_still_sets_its_edited_campaign_back(fleet: Fleet) -> None:  # noqa: F811
    assert fleet.run("apply", "--auto-approve").exit_code == 0
    path = fleet.root / "state" / "gamma" / "one-step-email.json"
    record = json.loads(path.read_text())
    # What a kill right after make_editable leaves (the file itself unchanged since the last apply).
    record |= {"status": "EDITED", "restore_status": "RUNNING", "source_digest": ""}
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    gamma = fleet.emulators["gamma"]
    gamma.set_status(record["campaign_id"], "EDITED", api_key="key-gamma")
    text = (EXAMPLES / "one-step-email.toml").read_text().replace("[112233]", "[999]")
    (fleet.root / "campaigns" / "gamma" / "refused.toml").write_text(text.replace("One-step", "Refused"))
    gamma.clear_requests(api_key="key-gamma")
    result = fleet.run("apply", "--auto-approve")
    assert result.exit_code == 3, result.output
    assert "gamma  FAILED" not in result.stdout
    assert "only 1 campaign(s) were set back to their status in this account" in result.stdout
    calls = [r["path"] for r in gamma.requests(api_key="key-gamma") if r["method"] != "GET"]
    assert [p.rsplit("/", 1)[-1] for p in calls] == ["run"]
    answer = httpx.get(
        f"{gamma.base_url}/v2/campaigns/{record['campaign_id']}", headers={"x-api-key": "key-gamma"}
    )
    assert answer.json()["status"] == "RUNNING"
    assert "restore_status" not in json.loads(path.read_text())
