"""Several accounts applied side by side (issue #14): the targets, against emulators with real latency.

    python benchmarks/accounts.py [--accounts 8] [--creates 25] [--latency 0.1]
                                  [--single 100] [--single-latency 0.25]

1. Parallelism: ``--accounts`` accounts (each its own emulator and key, ``[accounts]`` in wpsync.toml),
   each creating ``--creates`` campaigns, every API call taking ``--latency`` seconds. The wall time of
   ``wpsync apply --auto-approve`` for all of them against one of them alone (the same files, the same
   config, ``--account`` narrowing to one). Target: ≤ 1.3.
2. Overhead: one account creating ``--single`` campaigns at ``--single-latency`` s a call. The apply's
   wall time against (API calls the emulator served × latency): what wpsync adds beyond the wire.
   Target: ≤ 1.05.

Each run is a fresh ``wpsync`` process (Python start-up included) on fresh emulators and state. The
emulators serve from threads of this process; wpsync runs in its own.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = (ROOT / "campaigns" / "one-step-email.toml").read_text(encoding="utf-8")


def _files(folder: Path, count: int) -> None:
    folder.mkdir(parents=True)
    for n in range(count):
        text = EXAMPLE.replace('name = "', f'name = "Bench {n:04d} ', 1)
        (folder / f"c{n:04d}.toml").write_text(text, encoding="utf-8")


def _apply(root: Path, env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "wpsync", "apply", "--auto-approve", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"wpsync apply failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return wall


def accounts_run(accounts: int, creates: int, latency: float, only: str | None = None) -> tuple[float, int]:
    """Wall seconds of one apply over ``accounts`` accounts (or ``only`` one), and the calls served."""
    from wpsync.emulator.server import running_emulator

    names = [f"acct{n}" for n in range(1, accounts + 1)]
    with tempfile.TemporaryDirectory(prefix="wpsync-accounts-bench-") as tmp, ExitStack() as stack:
        root = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
        config = []
        emulators = {}
        for name in names:
            emulator = stack.enter_context(
                running_emulator([f"key-{name}"], seed_examples=True, latency=latency)
            )
            emulators[name] = emulator
            _files(root / "campaigns" / name, creates)
            env[f"{name.upper()}_KEY"] = f"key-{name}"
            config.append(
                f'[accounts.{name}]\napi_key_env = "{name.upper()}_KEY"\napi_url = "{emulator.base_url}"\n'
            )
        (root / "wpsync.toml").write_text("\n".join(config), encoding="utf-8")
        wall = _apply(root, env, *(("--account", only) if only else ()))
        calls = sum(len(e.requests()) for e in emulators.values())
    return wall, calls


def single_run(creates: int, latency: float, *, in_process: bool = False) -> tuple[float, int]:
    """One account the classic way (no [accounts]): wall seconds of the apply, and the calls served.
    ``in_process``: the apply run in this process (no interpreter start-up or imports counted)."""
    from wpsync.emulator.server import running_emulator

    with tempfile.TemporaryDirectory(prefix="wpsync-single-bench-") as tmp:
        root = Path(tmp)
        _files(root / "campaigns", creates)
        with running_emulator(["bench-key"], seed_examples=True, latency=latency) as emulator:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_"))}
            env |= {"WOODPECKER_API_KEY": "bench-key", "WOODPECKER_API_URL": emulator.base_url}
            wall = _apply_here(root, env) if in_process else _apply(root, env)
            calls = len(emulator.requests())
    return wall, calls


def _apply_here(root: Path, env: dict[str, str]) -> float:
    from click.testing import CliRunner

    import wpsync.commands.apply  # noqa: F401 - imported before the clock starts, as a warm process has it
    from wpsync.cli import main

    here = Path.cwd()
    os.chdir(root)
    try:
        started = time.perf_counter()
        result = CliRunner(env=env).invoke(main, ["apply", "--auto-approve"])
        wall = time.perf_counter() - started
    finally:
        os.chdir(here)
    if result.exit_code != 0:
        sys.exit(f"wpsync apply failed ({result.exit_code}):\n{result.output}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=8)
    parser.add_argument("--creates", type=int, default=25)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--single", type=int, default=100)
    parser.add_argument("--single-latency", type=float, default=0.25)
    args = parser.parse_args()

    alone, alone_calls = accounts_run(args.accounts, args.creates, args.latency, only="acct1")
    every, every_calls = accounts_run(args.accounts, args.creates, args.latency)
    ratio = every / alone
    print(f"1. {args.accounts} accounts × {args.creates} creates at {args.latency * 1000:g} ms a call")
    print(f"   one account alone:  {alone:6.2f} s  ({alone_calls} calls)")
    print(f"   all {args.accounts} accounts:     {every:6.2f} s  ({every_calls} calls)")
    print(f"   ratio {ratio:.2f} (target ≤ 1.30): {'met' if ratio <= 1.3 else 'NOT met'}")

    print(f"2. 1 account × {args.single} creates at {args.single_latency * 1000:g} ms a call")
    for label, in_process in (("a wpsync process", False), ("in process", True)):
        wall, calls = single_run(args.single, args.single_latency, in_process=in_process)
        floor = calls * args.single_latency
        overhead = wall / floor
        print(f"   {label}: apply {wall:.2f} s for {calls} calls; calls × latency = {floor:.2f} s")
        print(f"     ratio {overhead:.3f} (target ≤ 1.05): {'met' if overhead <= 1.05 else 'NOT met'}")


if __name__ == "__main__":
    main()
