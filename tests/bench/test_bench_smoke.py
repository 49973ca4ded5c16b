"""The benchmark still works: the generator writes valid files, and `benchmarks/run.py` runs a case end
to end (emulator, apply, no-change plan, report) at N = 3. Quick: a few seconds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
WPSYNC = Path(sys.executable).parent / "wpsync"


def _load_fleet():  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(BENCH))
    try:
        import fleet
    finally:
        sys.path.remove(str(BENCH))
    return fleet


def test_generator_is_deterministic_and_valid(tmp_path: Path) -> None:
    fleet = _load_fleet()
    first = fleet.generate(tmp_path / "a", 3, steps=16, seed=1)
    second = fleet.generate(tmp_path / "b", 3, steps=16, seed=1)
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    fleet.revise(second[0], steps=16, seed=1)
    assert second[0].read_bytes() != first[0].read_bytes()
    fleet.write_settings(tmp_path)  # beside b/: the volume lint is off for a synthetic fleet
    done = subprocess.run(
        [str(WPSYNC), "validate", str(tmp_path / "b")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 campaign files checked: 0 errors, 0 warnings." in done.stdout


def test_run_writes_a_report(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--sizes=3",
            "--reps=1",
            "--apply-reps=1",
            "--cases=apply,plan-nochange",
            f"--work={tmp_path / 'work'}",
            f"--out={out}",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "| wpsync apply (create the fleet) | 3 |" in report
    assert "| wpsync plan (no changes) | 3 |" in report
    calls = next(line for line in report.splitlines() if line.startswith("| Apply 3: one call per created"))
    assert "3 POST /v2/campaigns" in calls
    assert calls.endswith("| met |  |"), calls
