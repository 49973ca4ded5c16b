"""adopt_text: a file rewritten to hold what Woodpecker holds, changing only what differs."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from wpsync.files.adopt import adopt_text
from wpsync.files.from_api import document_from_payload
from wpsync.files.loading import parse_source
from wpsync.files.models import Step
from wpsync.files.sources import Source, read_source
from wpsync.files.to_api import canonical_step, create_body

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "campaigns").glob("*.toml"))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_what_the_file_already_holds_changes_nothing(path: Path) -> None:
    source = read_source(path)
    campaign = parse_source(source).campaign
    assert campaign is not None
    document = document_from_payload(create_body(campaign))
    assert adopt_text(source.data.decode(), campaign, document, None) == source.data.decode()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_step_takes_woodpeckers_values_and_the_comments_stay(path: Path) -> None:
    source = read_source(path)
    campaign = parse_source(source).campaign
    assert campaign is not None
    held = copy.deepcopy(document_from_payload(create_body(campaign)))
    for step in held["steps"]:
        step["followup_after"] = {"range": "HOUR", "value": 7}
        for version in step.get("versions") or []:
            if step["type"] == "EMAIL" or step.get("action_type") != "VISIT_PROFILE":
                version["message"] = "Changed in the app"
    text = adopt_text(source.data.decode(), campaign, held, "PAUSED")
    again = parse_source(Source(path.stem, path, text.encode())).campaign
    assert again is not None and again.status == "PAUSED"
    steps = [TypeAdapter(Step).validate_python(s) for s in held["steps"]]
    assert [canonical_step(s, again.schedules) for s in again.steps] == [canonical_step(s, {}) for s in steps]
    comments = [line for line in source.data.decode().splitlines() if line.startswith("#")]
    assert all(line in text.splitlines() for line in comments)
