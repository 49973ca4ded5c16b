"""compare_steps classifies every way the desired steps can differ from the recorded ones."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from wpsync.plan.diff import compare_steps, field_changes
from wpsync.plan.plan import FieldChange


def kinds(
    old: str, new: str, old_types: str | None = None, new_types: str | None = None
) -> list[tuple[str, int]]:
    """Steps as letters: "abc" → hashes a, b, c; types default to EMAIL for all."""
    result = compare_steps(
        list(old), list(new), list(old_types or "E" * len(old)), list(new_types or "E" * len(new))
    )
    return [(p.kind, p.index) for p in result.problems]


def test_prefix_means_appends() -> None:
    assert compare_steps(list("ab"), list("abcd"), list("EE"), list("EEEE")).append_from == 2
    assert compare_steps(list("ab"), list("ab"), list("EE"), list("EE")).append_from == 2


def test_each_kind() -> None:
    assert kinds("abc", "axbc") == [("step_inserted", 1)]
    assert kinds("abc", "xabc") == [("step_inserted", 0)]
    assert kinds("abc", "ac") == [("step_removed", 1)]
    assert kinds("abc", "acb") == [("steps_reordered", 1)]
    assert kinds("abc", "axc") == [("step_edited", 1)]
    assert kinds("abc", "axc", "EEE", "ELE") == [("step_type_changed", 1)]
    assert kinds("abc", "xy") == [("step_edited", 0), ("step_edited", 1), ("step_removed", 2)]


@given(st.lists(st.sampled_from("abcdef"), max_size=6), st.lists(st.sampled_from("abcdefgh"), max_size=8))
def test_either_a_prefix_or_at_least_one_problem(old: list[str], new: list[str]) -> None:
    result = compare_steps(old, new, ["E"] * len(old), ["E"] * len(new))
    if new[: len(old)] == old:
        assert result.append_from == len(old) and result.problems == ()
    else:
        assert result.append_from is None and result.problems


def test_field_changes_use_the_files_paths() -> None:
    old = {"versions": [{"subject": "a", "message": "m"}], "followup_after": {"range": "DAY", "value": 1}}
    new = {
        "versions": [{"subject": "b", "message": "m"}, {"subject": None, "message": "n"}],
        "followup_after": {"range": "DAY", "value": 2},
    }
    assert field_changes(old, new, "steps[1]") == (
        FieldChange("steps[1].followup_after.value", 1, 2),
        FieldChange("steps[1].versions[0].subject", "a", "b"),
        FieldChange("steps[1].versions[1]", None, {"subject": None, "message": "n"}),
    )
