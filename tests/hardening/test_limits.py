"""Item 3: deep nesting and size — every parsed input is bounded and fails fast with a clear error."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.hardening.conftest import assert_clear_error, cli
from tests.helpers import MINIMAL

MAX_NESTING = 64
MIB = 1024 * 1024

ROOT = Path(__file__).resolve().parents[2]
DEEP_JSON = "[" * 100_000 + "]" * 100_000


def test_json_depth_counts_brackets_outside_strings_only() -> None:
    from wpsync.bounded import TooDeep, json_depth, json_loads

    assert json_depth(b'[1, {"a": "]]]\\\\", "b": "\\"[[["}, []]') == 2
    assert json_depth(b"{}") == 1
    assert json_depth(b'"[[["') == 0
    assert json_loads("[" * MAX_NESTING + "]" * MAX_NESTING, "x") == json.loads(
        "[" * MAX_NESTING + "]" * MAX_NESTING
    )
    with pytest.raises(TooDeep, match="nests more than 64 levels"):
        json_loads("[" * (MAX_NESTING + 1) + "]" * (MAX_NESTING + 1), "x")


def test_toml_nesting_prescan() -> None:
    from wpsync.bounded import check_toml_nesting

    assert check_toml_nesting(MINIMAL) is None
    assert check_toml_nesting('x = "' + "[" * 500 + '"\n# ' + "{" * 500) is None  # in strings, comments
    assert check_toml_nesting("a" + ".a" * (MAX_NESTING - 1) + " = 1") is None
    assert "dotted key" in (check_toml_nesting("a" + ".a" * MAX_NESTING + " = 1") or "")
    assert "nest more than" in (check_toml_nesting("x = " + "[" * 65 + "]" * 65) or "")


def test_a_deep_dotted_key_fails_fast_in_validate(tmp_path: Path) -> None:
    # 100 KB, one dotted key 50,000 deep: was 30 s and 9.8 GB (tomllib's error path is quadratic);
    # toml_rs reads it in ~0.1 s, and the walk of its values refuses it at 65 levels.
    path = tmp_path / "deep.toml"
    path.write_text("a" + ".a" * 50_000 + " = 1\n")
    started = time.monotonic()
    result = cli(["validate", str(path)])
    assert time.monotonic() - started < 5
    assert_clear_error(result, "deep.toml", "nested more than 64 levels deep; flatten the file")


def test_deep_arrays_in_a_campaign_file(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    assert_clear_error(cli(["validate", str(path)]), "deep.toml")


def test_a_campaign_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.toml"
    path.write_text(MINIMAL + "# " + "x" * MIB + "\n")
    assert_clear_error(cli(["validate", str(path)]), "big.toml", "larger than 1 MiB")


def test_deep_wpsync_toml(tmp_path: Path) -> None:
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "demo.toml").write_text(MINIMAL)
    (tmp_path / "wpsync.toml").write_text("[lint]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n")
    result = cli(["validate", str(tmp_path / "campaigns")])
    assert_clear_error(result, "wpsync.toml", "nest more than 64")


def test_deep_saved_plan(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "campaigns", tmp_path / "campaigns")
    plan = tmp_path / "plan.json"
    plan.write_text('{"kind": "wpsync-plan", "plan": ' + DEEP_JSON + "}")
    result = cli(
        ["apply", str(plan), "--campaigns", str(tmp_path / "campaigns"), "--state", str(tmp_path / "state")],
        WOODPECKER_API_KEY="some-key",
        WOODPECKER_API_URL="http://127.0.0.1:9/rest",
    )
    assert_clear_error(result, "plan.json", "nests more than 64 levels")


def test_deep_prospect_file(tmp_path: Path) -> None:
    campaign = tmp_path / "demo.toml"
    campaign.write_text(MINIMAL)
    prospect = tmp_path / "p.json"
    prospect.write_text('{"first_name": ' + DEEP_JSON + "}")
    result = cli(["preview", str(campaign), "--prospect", str(prospect)])
    assert_clear_error(result, "p.json", "nests more than 64 levels")


def test_deep_state_file(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "campaigns", tmp_path / "campaigns")
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "wpsync-state.json").write_text(DEEP_JSON)
    result = cli(
        ["plan", "--offline", "--campaigns", str(tmp_path / "campaigns"), "--state", str(tmp_path / "state")]
    )
    assert_clear_error(result, "wpsync-state.json", "nests more than 64 levels")
