"""The toml-test suite's TOML 1.0.0 list (tests/toml_test, from toml-lang/toml-test, MIT) through wpsync's
own loader: every valid document parses to the suite's values, every invalid one is refused with an
"invalid TOML" message that says where. A parser upgrade that reads TOML 1.1, or misreads 1.0, fails here.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest

from wpsync.files.loading import parse_toml

SUITE = Path(__file__).resolve().parents[1] / "toml_test"
NAMES = (SUITE / "files-toml-1.0.0").read_text(encoding="utf-8").split()
VALID = [name for name in NAMES if name.startswith("valid/") and name.endswith(".toml")]
INVALID = [name for name in NAMES if name.startswith("invalid/")]
_FRACTION = re.compile(r"(\.\d{6})\d+")  # Python keeps microseconds; TOML allows more digits


def _tagged(value: Any) -> Any:
    """A parsed value in the suite's JSON form ({"type": …, "value": …}), with floats and dates as
    Python values so that equal values compare equal however they are spelled."""
    if isinstance(value, bool):
        return {"type": "bool", "value": "true" if value else "false"}
    if isinstance(value, int):
        return {"type": "integer", "value": str(value)}
    if isinstance(value, float):
        return {"type": "float", "value": value}
    if isinstance(value, str):
        return {"type": "string", "value": value}
    if isinstance(value, dt.datetime):
        return {"type": "datetime" if value.tzinfo else "datetime-local", "value": value}
    if isinstance(value, dt.date):
        return {"type": "date-local", "value": value}
    if isinstance(value, dt.time):
        return {"type": "time-local", "value": value}
    if isinstance(value, dict):
        return {key: _tagged(item) for key, item in value.items()}
    assert isinstance(value, list), type(value)
    return [_tagged(item) for item in value]


def _expected(node: Any) -> Any:
    if isinstance(node, dict) and set(node) == {"type", "value"} and isinstance(node["value"], str):
        kind, text = node["type"], node["value"]
        if kind == "float":
            return {"type": kind, "value": float(text)}
        iso = _FRACTION.sub(r"\1", text).replace(" ", "T").replace("t", "T").replace("z", "Z")
        readers = {"datetime": dt.datetime, "datetime-local": dt.datetime, "date-local": dt.date}
        if kind in readers:
            return {"type": kind, "value": readers[kind].fromisoformat(iso)}
        if kind == "time-local":
            return {"type": kind, "value": dt.time.fromisoformat(iso)}
        return node
    if isinstance(node, dict):
        return {key: _expected(item) for key, item in node.items()}
    if isinstance(node, list):
        return [_expected(item) for item in node]
    return node


def _same(got: Any, want: Any) -> bool:
    if isinstance(got, dict) and isinstance(want, dict):
        return got.keys() == want.keys() and all(_same(got[k], want[k]) for k in got)
    if isinstance(got, list) and isinstance(want, list):
        return len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want, strict=True))
    if isinstance(got, float) and isinstance(want, float):
        if math.isnan(got) or math.isnan(want):
            return math.isnan(got) and math.isnan(want)
        return got == want and math.copysign(1, got) == math.copysign(1, want)
    return type(got) is type(want) and got == want


def test_the_list_is_the_whole_toml_1_0_0_suite() -> None:
    assert (len(VALID), len(INVALID)) == (210, 499)
    assert (SUITE / "LICENSE").read_text(encoding="utf-8").startswith("The MIT License")


def test_every_valid_document_parses_to_the_suites_values() -> None:
    wrong = []
    for name in VALID:
        path = SUITE / name
        document, problem = parse_toml(path.read_bytes().decode("utf-8"))
        want = _expected(json.loads(path.with_suffix(".json").read_text(encoding="utf-8")))
        if document is None or not _same(_tagged(document), want):
            wrong.append(f"{name}: {problem or 'other values than the suite expects'}")
    assert wrong == []


def test_every_invalid_document_is_refused_saying_where() -> None:
    accepted, unplaced = [], []
    for name in INVALID:
        data = (SUITE / name).read_bytes()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # refused before parsing: "not UTF-8 text" (tests/unit/test_validation_rules.py)
        document, problem = parse_toml(text)
        if document is not None:
            accepted.append(name)
        elif not re.search(r"^invalid TOML: .*\(at line \d+, column \d+\)", problem or ""):
            unplaced.append(f"{name}: {problem}")
    assert accepted == []
    assert unplaced == []


@pytest.mark.parametrize("name", ["invalid/encoding/bom-not-at-start-02.toml"])
def test_one_byte_order_mark_is_skipped_and_a_second_refused(name: str) -> None:
    document, problem = parse_toml((SUITE / name).read_bytes().decode("utf-8"))
    assert document is None
    assert problem == "invalid TOML: a second byte-order mark (at line 1, column 1); remove it"
    assert parse_toml("\ufeffa = 1\n") == ({"a": 1}, None)
