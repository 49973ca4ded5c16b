"""The text plan, exactly: golden files like the markdown ones, for what `wpsync plan` prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.review import golden
from tests.review.plans import example_plan, refused_plan
from wpsync.plan.plan import (
    Binding,
    DeleteStep,
    FieldChange,
    MakeEditable,
    Moved,
    Note,
    Plan,
    RestoreStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)
from wpsync.review.text import render_text

GOLDEN = Path(__file__).parent / "golden"
WINDOWS = {"MONDAY": [{"from": "09:00", "to": "12:00"}], "TUESDAY": [{"from": "09:00", "to": "12:00"}]}


def edits_plan() -> Plan:
    key, file, cid = "q4-ctos", "campaigns/q4-ctos.toml", 4242
    actions = (
        MakeEditable(key, file, cid, "RUNNING", 118),
        UpdateCampaign(
            key,
            file,
            cid,
            {"settings": {"daily_enroll": 30}},
            {},
            "h0",
            (FieldChange("settings.daily_enroll", 25, 30),),
        ),
        UpdateWindows(key, file, cid, 1, WINDOWS, "h1", (), schedule="mornings"),
        UpdateWindows(key, file, cid, 2, WINDOWS, "h2", (), schedule="mornings"),
        UpdateVersion(
            key,
            file,
            cid,
            1,
            0,
            {"subject": "A sharper subject"},
            "h3",
            (FieldChange("steps[0].versions[0].subject", "Quick question", "A sharper subject"),),
            processed=40,
        ),
        DeleteStep(key, file, cid, 3),
        RestoreStatus(key, file, cid, "RUNNING"),
    )
    notes = (
        Note(
            key, "editable_pause", "q4-ctos: campaign 4242 is RUNNING with 118 prospects; it is made EDITED"
        ),
    )
    binding = Binding("lineage", {key: 3}, {key: "d"}, "0.1.0")
    return Plan(actions, (), notes, binding, moves=(Moved("old-name", "welcome", 17),))


def _check(name: str, text: str) -> None:
    golden.check(name, text + "\n")


def test_the_example_campaigns_print_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan, _ = example_plan(tmp_path)
    _check("examples.txt", render_text(plan))


def test_refused_changes_print_exactly() -> None:
    _check("refused.txt", render_text(refused_plan()))


def test_edits_in_place_print_exactly() -> None:
    _check("edits.txt", render_text(edits_plan()))
