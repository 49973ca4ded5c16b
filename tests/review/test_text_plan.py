"""`wpsync plan` as text: a refused edit shows what changed, even in long values (copy, subject and
message, is a word diff instead: see the golden files)."""

from __future__ import annotations

from tests.review.plans import BINDING
from wpsync.plan.plan import FieldChange, Plan, Refusal
from wpsync.review.text import render_text

PREFIX = "Hello there, this is a long example of a cold email message that goes on and on until "


def _refused(old: object, new: object) -> str:
    change = FieldChange("name", old, new)
    refusal = Refusal("k", "campaigns/k.toml", "delay_changed", 1, "reason", "way out", (change,))
    text = render_text(Plan((), (refusal,), (), BINDING))
    return next(line for line in text.split("\n") if line.startswith("      name:"))


def test_a_long_value_edited_near_its_end_shows_the_edit_on_both_sides() -> None:
    line = _refused(PREFIX + "the very end, Ada.", PREFIX + "the very end, Grace.")
    old, new = line.split(": ", 1)[1].split(" → ")
    assert "Ada" in old and "Grace" in new
    assert old.startswith("…") and new.startswith("…")
    assert old.endswith('goes on and on until the very end, Ada."') and len(old) == 81
    assert new.endswith('goes on and on until the very end, Grace."') and len(new) == 81


def test_an_edit_in_the_middle_is_cut_on_both_ends() -> None:
    middle = PREFIX * 2
    line = _refused(middle + "A" + middle, middle + "B" + middle)
    old, new = line.split(": ", 1)[1].split(" → ")
    assert old.startswith("…") and old.endswith("…") and new.startswith("…") and new.endswith("…")
    assert old.replace("A", "B", 1) == new
    assert len(old) <= 82


def test_short_values_and_hidden_characters() -> None:
    assert _refused(3, 4) == "      name: 3 → 4"
    assert _refused("a\u202eb", None) == '      name: "a<U+202E>b" → null'
