"""The limits walk is skipped for a document that validates as a campaign (loading._within_limits): the
same answer as walking first, for every document, and the models stay such that it can be."""

from __future__ import annotations

import types
import typing
from pathlib import Path

import pytest
from annotated_types import Ge, Le
from pydantic import BaseModel

from tests.helpers import MINIMAL
from wpsync.errors import Problem
from wpsync.files import models, toml10
from wpsync.files.loading import Loaded, _syntax_line, parse_source, validate_document
from wpsync.files.sources import Source

INT64 = range(-(2**63), 2**63)
# The only integers of a campaign without a 64-bit range of their own: what _within_limits checks.
CHECKED = {("Campaign", "email_account_ids"), ("LinkedInStep", "linkedin_account_id")}

LINKEDIN = """
[[steps]]
type = "LINKEDIN"
action_type = "VISIT_PROFILE"
linkedin_account_id = {id}
"""
DEEP_KEY = "a" + ".a" * 70


def walked_first(source: Source) -> Loaded:
    """The general path, as parse_source read a file before the fast path: walk, then validate."""
    name = source.display
    text = source.data.decode("utf-8")
    document, syntax = toml10.loads(text)
    if document is None:
        return Loaded(source, None, [Problem(name, "", syntax or "", line=_syntax_line(syntax))])
    campaign, findings = validate_document(document)
    return Loaded(source, campaign, [Problem(name, str(f.loc), f.message) for f in findings])


CASES = {
    "valid": MINIMAL,
    "mailbox id 2**63": MINIMAL.replace("[112233]", f"[112233, {2**63}]"),
    "mailbox id -2**63-1": MINIMAL.replace("[112233]", f"[{-(2**63) - 1}]"),
    "mailbox id 2**63-1": MINIMAL.replace("[112233]", f"[{2**63 - 1}]"),
    "LinkedIn account 2**63": MINIMAL + LINKEDIN.format(id=2**63),
    "LinkedIn account 2**63-1": MINIMAL + LINKEDIN.format(id=2**63 - 1),
    "big integer where a string goes": MINIMAL.replace(
        "daily_enroll = 25", f"daily_enroll = 25\nname = {2**64}"
    ),
    "big integer and an unknown key": MINIMAL + f"\nsubjet = {2**64}\n",
    "too deep under an unknown key": f"{DEEP_KEY} = 1\n" + MINIMAL,
    "too deep in a list of providers": MINIMAL.replace(
        "daily_enroll = 25", "daily_enroll = 25\nopen_disabled_list = [{ " + DEEP_KEY + " = 1 }]"
    ),
    "too deep and invalid": "name = 5\n" + f"{DEEP_KEY} = 1\n",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_same_answer_as_walking_first(case: str, tmp_path: Path) -> None:
    source = Source("demo", tmp_path / "demo.toml", CASES[case].encode())
    fast, general = parse_source(source), walked_first(source)
    assert [(p.message, p.line) for p in fast.errors] == [(p.message, p.line) for p in general.errors]
    assert (fast.campaign is None) == (general.campaign is None or bool(general.errors))


def test_integers_beyond_64_bits_are_still_refused(tmp_path: Path) -> None:
    for case in ("mailbox id 2**63", "mailbox id -2**63-1", "LinkedIn account 2**63"):
        loaded = parse_source(Source("demo", tmp_path / "demo.toml", CASES[case].encode()))
        assert [p.message for p in loaded.problems] == [
            "invalid TOML: an integer beyond 64 bits (TOML 1.0 integers are -2^63 … 2^63-1)"
        ], case


def _models() -> list[type[BaseModel]]:
    return [
        value
        for value in vars(models).values()
        if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == models.__name__
    ]


def _leaves(annotation: object) -> list[object]:
    """The types an annotation admits, unions, lists, dicts and Annotated unwrapped."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _leaves(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list, dict):
        return [leaf for arg in typing.get_args(annotation) for leaf in _leaves(arg)]
    return [annotation]


def test_the_models_hold_no_free_form_values_and_no_unbounded_integer_unchecked() -> None:
    """What makes _within_limits sound: a valid campaign holds only these leaves (so it nests as deep
    as the models do), and each integer is bounded within 64 bits or checked."""
    allowed = (str, bool, int, type(None))
    for model in _models():
        for name, field in model.model_fields.items():
            leaves = _leaves(field.annotation)
            for leaf in leaves:
                literal = typing.get_origin(leaf) is typing.Literal
                nested = isinstance(leaf, type) and issubclass(leaf, BaseModel)
                assert literal or nested or leaf in allowed, (model.__name__, name, leaf)
            if int not in leaves:
                continue
            low = next((m.ge for m in field.metadata if isinstance(m, Ge)), None)
            high = next((m.le for m in field.metadata if isinstance(m, Le)), None)
            bounded = isinstance(low, int) and isinstance(high, int) and low in INT64 and high in INT64
            assert bounded or (model.__name__, name) in CHECKED, (model.__name__, name)
