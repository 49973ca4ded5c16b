"""A damaged state is named precisely and never overwritten; bad state files never crash wpsync."""

from __future__ import annotations

import json
import string
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.crash.scenario import Scenario
from wpsync.cli import main
from wpsync.emulator.server import EmulatorHandle


def damage_cases(record: bytes) -> dict[str, tuple[bytes, str]]:
    data = json.loads(record)
    newer = dict(data, format=99)
    other = dict(data, lineage="00000000-0000-0000-0000-000000000000")
    wrong = dict(data, campaign_id="1002")
    return {
        "truncated": (record[: len(record) // 2], "not valid JSON"),
        "empty": (b"", "not valid JSON"),
        "nonsense": (b"[1, 2, 3]", "expected a JSON object"),
        "newer format": (
            json.dumps(newer).encode(),
            "written by a newer wpsync (state format 99); upgrade wpsync",
        ),
        "other lineage": (json.dumps(other).encode(), "belongs to another state"),
        "wrong type": (json.dumps(wrong).encode(), "field 'campaign_id' should be int, not str"),
        "binary": (b"\xff\xfe\x00garbage", "not valid JSON"),
    }


@pytest.mark.parametrize(
    "case", ["truncated", "empty", "nonsense", "newer format", "other lineage", "wrong type", "binary"]
)
def test_damaged_record_is_a_clear_error_and_untouched(
    tmp_path: Path, emulator: EmulatorHandle, case: str
) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    path = tmp_path / "state" / "alpha.json"
    damaged, message = damage_cases(path.read_bytes())[case]
    path.write_bytes(damaged)
    for command in (["plan"], ["apply", "--auto-approve"]):
        result = scenario.wpsync(*command)
        assert result.returncode == 1, result.stdout
        assert "state/alpha.json" in result.stderr and message in result.stderr, result.stderr
        assert "Traceback" not in result.stderr
    assert path.read_bytes() == damaged  # never overwritten
    assert scenario.mutating_calls() == []


def test_every_write_keeps_a_backup(tmp_path: Path, emulator: EmulatorHandle) -> None:
    scenario = Scenario.prepare(tmp_path, emulator)
    before = (tmp_path / "state" / "alpha.json").read_bytes()
    assert scenario.wpsync("apply", "--auto-approve").returncode == 0
    backup = tmp_path / "state" / ".backup" / "alpha.json"
    assert backup.exists()
    assert json.loads(backup.read_bytes())["serial"] >= json.loads(before)["serial"]
    assert (
        json.loads(backup.read_bytes())["serial"]
        < json.loads((tmp_path / "state" / "alpha.json").read_bytes())["serial"]
    )


TRIED = {"count": 0}
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(string.printable, max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(string.ascii_lowercase, max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.binary(max_size=200),
        _json_values.map(lambda v: json.dumps(v).encode()),
        st.fixed_dictionaries(
            {
                "format": st.sampled_from([1, 2, 0, "1"]),
                "key": st.sampled_from(["alpha", "beta", 3]),
                "steps": _json_values,
            }
        ).map(lambda v: json.dumps(v).encode()),
    )
)
def fuzz_one_state_file(content: bytes) -> None:
    TRIED["count"] += 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "campaigns").mkdir()
        (root / "state").mkdir()
        (root / "state" / "alpha.json").write_bytes(content)
        result = CliRunner().invoke(
            main,
            ["plan", "--offline", "--campaigns", str(root / "campaigns"), "--state", str(root / "state")],
        )
        assert result.exit_code in (0, 1), result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        if result.exit_code == 1:
            assert result.stderr.startswith("error: ") and "state/alpha.json" in result.stderr, result.stderr
        assert (root / "state" / "alpha.json").read_bytes() == content


def test_fuzzed_state_files_give_success_or_a_clear_error() -> None:
    """Runs the property and proves how many inputs it tried (150 distinct state files per run)."""
    TRIED["count"] = 0
    fuzz_one_state_file()
    assert TRIED["count"] >= 150
