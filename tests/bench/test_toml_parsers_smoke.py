"""benchmarks/toml_parsers.py still runs (N = 3): the comparison behind the choice of TOML parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_parser_comparison_runs() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "toml_parsers.py"), "-n", "3", "--reps", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for name in ("toml_rs", "rtoml", "tomli", "tomllib", "rtoml+1.0-scan"):
        assert f"{name}: median" in done.stdout
