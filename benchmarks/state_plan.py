"""A no-change ``wpsync plan`` of a recorded fleet on each state backend: files vs PostgreSQL.

    python benchmarks/state_plan.py [-n 1000] [--steps 16] [--reps 5]

Builds the fleet (``fleet.py``), applies it once to a local emulator with the file state (a real
apply: the state is never faked), pushes that state into a throwaway PostgreSQL (fsync on) with
``wpsync state push``, then times ``wpsync plan`` as a subprocess on each backend (medians of wall
time). The plan of an unchanged fleet reads no campaign from Woodpecker, so this is the state's cost
plus everything a plan always pays.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WPSYNC = str(Path(sys.executable).parent / "wpsync")


def _run(args: list[str], cwd: Path, env: dict[str, str], expect: int = 0) -> float:
    started = time.perf_counter()
    done = subprocess.run([WPSYNC, *args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != expect:
        raise SystemExit(f"wpsync {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=16)
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    sys.path[:0] = [str(HERE), str(ROOT)]
    try:
        import fleet

        from tests.pg_server import running_postgres
        from wpsync.emulator.server import running_emulator
    finally:
        del sys.path[:2]
    with (
        tempfile.TemporaryDirectory(prefix="wpsync-state-plan-") as tmp,
        running_emulator((), seed_examples=True) as emulator,
        running_postgres(durable=True) as pg,
    ):
        work = Path(tmp)
        fleet.generate(work / "campaigns", args.n, args.steps, 7)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
        env |= {"WOODPECKER_API_KEY": "bench-key", "WOODPECKER_API_URL": emulator.base_url}
        took = _run(["apply", "--auto-approve"], work, env)
        print(f"apply of {args.n} campaigns × {args.steps} steps (files): {took:.1f} s", flush=True)
        pg_env = env | {"WPSYNC_STATE_URL": pg.url_for("postgres", "bench")}
        _run(["state", "push"], work, pg_env)
        plan = ["plan", "--detailed-exitcode"]
        figures = {}
        for name, run_env in (("files", env), ("postgres", pg_env)):
            _run(plan, work, run_env)  # warm the page cache and the server
            figures[name] = statistics.median(_run(plan, work, run_env) for _ in range(args.reps))
        print(f"no-change plan of {args.n} recorded campaigns, median of {args.reps}:")
        for name, seconds in figures.items():
            print(f"  {name:9} {seconds * 1000:8.0f} ms")
        print(f"  postgres / files: {figures['postgres'] / figures['files']:.2f}×")


if __name__ == "__main__":
    main()
