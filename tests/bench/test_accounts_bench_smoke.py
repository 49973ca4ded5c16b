"""benchmarks/accounts.py still runs, scaled down: several accounts side by side, and one alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_accounts_benchmark_runs() -> None:
    args = [
        "--accounts",
        "2",
        "--creates",
        "2",
        "--latency",
        "0.01",
        "--single",
        "2",
        "--single-latency",
        "0.01",
    ]
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "accounts.py"), *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "all 2 accounts:" in done.stdout and "in process: apply" in done.stdout
