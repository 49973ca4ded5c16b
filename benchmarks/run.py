"""`make bench`: time wpsync on synthetic fleets, beside the floors it is judged against.

    python benchmarks/run.py [--sizes 100,1000,10000] [--steps 16] [--reps 5] [--cases validate,apply]

Every case runs the ``wpsync`` console script as a real subprocess, several times; each run's wall time
is taken around the process and its peak RSS from ``os.wait4`` (that process alone). Work happens in
``benchmarks/.work/`` (gitignored); the table goes to stdout and to ``benchmarks/RESULTS.md`` with the
machine, date and commit.

The emulator runs in its own process (``wpsync emulator --port 0 --seed-examples``) for the whole run.
Each apply uses its own API key, which the emulator treats as its own fresh account. The no-change and
1%-changed plans start from a copy of the state the first timed apply wrote, against the same account:
the state is made by a real apply, never faked.

Floors: Python's own start-up (``python -c pass``) and merely reading and parsing the same files with
rtoml (the fastest TOML parser installed) and with the standard library's tomllib (``floor.py``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import fleet  # noqa: E402 - a sibling script, found through the path set just above

BIN = Path(sys.executable).parent
WPSYNC = str(BIN / "wpsync")
PYTHON = sys.executable
LOG_LIMIT = 10_000  # the emulator keeps the last 10,000 requests per account (runtime.REQUEST_LOG_SIZE)
ALL_CASES = (
    "startup",
    "examples",
    "floors",
    "validate",
    "plan-create",
    "apply",
    "plan-nochange",
    "plan-changed",
    "apply-added",
    "content-size",
)


# ---- running one process -------------------------------------------------------------------------


@dataclass
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process
    rss_mb: float  # peak resident set of the process
    out_blocks: int  # 512-byte blocks the process wrote to disk (ru_oublock)


@dataclass
class Result:
    case: str
    label: str
    n: int
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def walls(self) -> list[float]:
        return [s.wall for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.rss_mb for s in self.samples)


class CaseFailed(RuntimeError):
    pass


GNU_TIME = "/usr/bin/time"
# A child's peak RSS from wait4 includes the memory of the process that forked it (Linux keeps the high
# water mark across exec), i.e. this harness. GNU time forks from a ~2 MB process, so where it exists it
# measures the child alone; otherwise the figures are an upper bound that includes the harness.
USE_GNU_TIME = Path(GNU_TIME).exists()


def run_process(
    argv: list[str], *, cwd: Path, env: dict[str, str], log: Path, expect: tuple[int, ...] = (0,)
) -> Sample:
    """One timed run; stdout and stderr go to ``log`` (a file, as in CI), never to a pipe we must drain."""
    usage_file = log.with_suffix(".usage")
    command = [GNU_TIME, "-o", str(usage_file), "-f", "%M", *argv] if USE_GNU_TIME else argv
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in expect:
        tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
        raise CaseFailed(f"{' '.join(argv)} (in {cwd}) exited {code}, expected {expect}:\n{tail}")
    if USE_GNU_TIME:
        # GNU time writes "Command exited with non-zero status N" first when the child fails.
        # Its CPU figures have 10 ms steps; wait4's (which include the waited-for child) have 1 µs.
        rss_kb = usage_file.read_text().split("\n")[-2].split()[0]
        return Sample(wall, usage.ru_utime + usage.ru_stime, int(rss_kb) / 1024, usage.ru_oublock)
    return Sample(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        rss_mb=usage.ru_maxrss / 1024,
        out_blocks=usage.ru_oublock,
    )


# With --at COMMIT, the wpsync measured is that commit's, unpacked and put first on PYTHONPATH (ahead of
# the editable install of the working tree), with its example campaigns.
SOURCE: dict[str, Any] = {"pythonpath": None, "examples": ROOT / "campaigns", "commit": None}


def base_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WOODPECKER_", "WPSYNC_", "PYTHONPATH"))}
    env["NO_COLOR"] = "1"
    if SOURCE["pythonpath"]:
        env["PYTHONPATH"] = str(SOURCE["pythonpath"])
    return env


def unpack(commit: str, into: Path) -> None:
    """``git archive`` the package and the examples of ``commit`` into ``into``: no git state changes."""
    into.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "archive", commit, "wpsync", "campaigns"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    SOURCE.update(pythonpath=into, examples=into / "campaigns", commit=git("rev-parse", "--short", commit))


# ---- the emulator --------------------------------------------------------------------------------


class Emulator:
    """``wpsync emulator`` in its own process, on a port the kernel picks."""

    def __init__(self, work: Path) -> None:
        self.log = work / "emulator.log"
        self._err = self.log.open("wb")
        self.proc = subprocess.Popen(
            [WPSYNC, "emulator", "--port", "0", "--seed-examples"],
            stdout=subprocess.PIPE,
            stderr=self._err,
            env=base_env(),
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline().decode()
        match = re.search(r"(http://\S+)/rest", line)
        if match is None:
            self.stop()
            raise CaseFailed(f"the emulator did not say where it listens: {line!r}")
        self.url = match.group(1) + "/rest"
        parts = urlsplit(match.group(1))
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.peak_mb = 0.0

    def env(self, key: str) -> dict[str, str]:
        return base_env() | {"WOODPECKER_API_KEY": key, "WOODPECKER_API_URL": self.url}

    def call(self, method: str, path: str, key: str, body: bytes | None = None) -> Any:
        conn = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            headers = {"x-api-key": key, "content-type": "application/json"}
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            if response.status >= 400:
                raise CaseFailed(f"emulator {method} {path}: {response.status} {data[:300]!r}")
            return json.loads(data) if data else None
        finally:
            conn.close()

    def requests(self, key: str) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = self.call("GET", "/_emulator/requests", key)
        return entries

    def clear_requests(self, key: str) -> None:
        self.call("DELETE", "/_emulator/requests", key)

    def campaign_count(self, key: str) -> int:
        return len(self.call("GET", "/rest/v1/campaign_list", key))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._err.close()

    def sample_rss(self) -> None:
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            self.peak_mb = max(self.peak_mb, int(found.group(1)) / 1024)


@contextmanager
def running_emulator(work: Path) -> Iterator[Emulator]:
    emulator = Emulator(work)
    try:
        yield emulator
    finally:
        emulator.sample_rss()
        emulator.stop()


def summarize_calls(entries: list[dict[str, Any]]) -> Counter[str]:
    """Requests by kind: "POST /v2/campaigns", "GET /v2/campaigns/{id}", …"""
    kinds: Counter[str] = Counter()
    for entry in entries:
        path = re.sub(r"/\d+", "/{id}", str(entry["path"]).removeprefix("/rest"))
        kinds[f"{entry['method']} {path}"] += 1
    return kinds


def replay_posts(emulator: Emulator, bodies: list[bytes], key: str) -> float:
    """Seconds to send the same create bodies over one keep-alive connection with http.client: the
    server's own time per call (plus the least a Python client can spend), to set wpsync's beside."""
    conn = http.client.HTTPConnection(emulator.host, emulator.port, timeout=120)
    headers = {"x-api-key": key, "content-type": "application/json"}
    start = time.perf_counter()
    for body in bodies:
        conn.request("POST", "/rest/v2/campaigns", body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        if response.status != 201:
            raise CaseFailed(f"replay: {response.status} {data[:300]!r}")
    elapsed = time.perf_counter() - start
    conn.close()
    return elapsed


# ---- the bench -----------------------------------------------------------------------------------


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.work: Path = args.work
        self.results: list[Result] = []
        self.cases: set[str] = set(args.cases)
        self.facts: dict[str, Any] = {}

    def reps_for(self, n: int, *, apply: bool = False) -> int:
        if apply:
            return 1 if n >= 10_000 else self.args.apply_reps
        return self.args.reps_large if n >= 10_000 else self.args.reps

    def say(self, text: str) -> None:
        print(text, flush=True)

    def measure(
        self,
        case: str,
        label: str,
        n: int,
        argv: list[str],
        *,
        cwd: Path,
        env: dict[str, str],
        reps: int,
        expect: tuple[int, ...] = (0,),
        check: Callable[[str], None] | None = None,
        before: Callable[[int], tuple[list[str], dict[str, str]] | None] | None = None,
        after: Callable[[int, Path], None] | None = None,
    ) -> Result:
        result = Result(case, label, n)
        for rep in range(reps):
            run_argv, run_env = argv, env
            if before is not None and (changed := before(rep)) is not None:
                run_argv, run_env = changed
            log = self.work / "logs" / f"{case}-{n}-{rep}.log"
            log.parent.mkdir(parents=True, exist_ok=True)
            sample = run_process(run_argv, cwd=cwd, env=run_env, log=log, expect=expect)
            if check is not None:
                check(log.read_text(encoding="utf-8", errors="replace"))
            if after is not None:
                after(rep, log)
            result.samples.append(sample)
        self.done(result)
        return result

    def done(self, result: Result) -> None:
        self.results.append(result)
        self.say(
            f"  {result.label:<42} N={result.n:>6}  median {result.median:8.3f} s  "
            f"[{min(result.walls):.3f}–{max(result.walls):.3f}] ×{len(result.samples)}  "
            f"CPU {result.cpu:7.3f} s  peak {result.peak_mb:6.1f} MB"
        )

    # ---- cases independent of N ------------------------------------------------------------------

    def startup(self) -> None:
        env = base_env()
        reps = max(self.args.reps, 20)
        self.measure(
            "python", "floor: python -c pass", 0, [PYTHON, "-c", "pass"], cwd=ROOT, env=env, reps=reps
        )
        if "startup" in self.cases:
            self.measure(
                "version", "wpsync --version", 0, [WPSYNC, "--version"], cwd=ROOT, env=env, reps=reps
            )

    def examples(self, emulator: Emulator) -> None:
        where = self.work / "examples"
        shutil.rmtree(where, ignore_errors=True)
        shutil.copytree(SOURCE["examples"], where / "campaigns")
        argv = [WPSYNC, "plan", "--campaigns", "campaigns", "--state", "state"]
        env = emulator.env("examples")
        reps = max(self.args.reps, 10)
        self.measure(
            "examples-new", "plan examples (3 new campaigns)", 3, argv, cwd=where, env=env, reps=reps
        )
        apply = [WPSYNC, "apply", "--campaigns", "campaigns", "--state", "state", "--auto-approve"]
        run_process(apply, cwd=where, env=env, log=self.work / "logs" / "examples-apply.log")
        self.measure(
            "examples-nochange", "plan examples (no changes)", 3, argv, cwd=where, env=env, reps=reps
        )

    # ---- one fleet size --------------------------------------------------------------------------

    def fleet(self, n: int) -> None:
        args = self.args
        root = self.work / f"n{n}"
        shutil.rmtree(root, ignore_errors=True)
        campaigns = root / "campaigns"
        start = time.perf_counter()
        paths = fleet.generate(campaigns, n, args.steps, args.seed)
        size = sum(p.stat().st_size for p in paths)
        self.facts[f"fleet-{n}"] = {"files": n, "bytes": size, "generate_s": time.perf_counter() - start}
        self.say(f"fleet N={n} × S={args.steps}: {size / 1e6:.1f} MB in {time.perf_counter() - start:.1f} s")
        reps = self.reps_for(n)
        env = base_env()
        if "floors" in self.cases:
            self.measure(
                "floor-rtoml", "floor: parse with rtoml", n,
                [PYTHON, str(HERE / "floor.py"), "rtoml", "campaigns"], cwd=root, env=env, reps=reps,
            )  # fmt: skip
            self.measure(
                "floor-tomllib", "floor: parse with tomllib", n,
                [PYTHON, str(HERE / "floor.py"), "tomllib", "campaigns"], cwd=root, env=env,
                reps=1 if n >= 10_000 else min(reps, 3),
            )  # fmt: skip
        if "validate" in self.cases:
            self.measure(
                "validate", "wpsync validate", n, [WPSYNC, "validate", "campaigns"], cwd=root, env=env, reps=reps,
                check=expect_text(f"{n} campaign files checked: 0 errors, 0 warnings."),
            )  # fmt: skip

    def with_emulator(self, n: int, emulator: Emulator) -> None:
        root = self.work / f"n{n}"
        reps = self.reps_for(n)
        k = len(fleet.changed_indices(n))
        plan = [WPSYNC, "plan", "--campaigns", "campaigns", "--state", "state"]
        if "plan-create" in self.cases:
            where = root / "plan-create"
            where.mkdir()
            (where / "campaigns").symlink_to(root / "campaigns")
            self.measure(
                "plan-create", "wpsync plan (create the fleet)", n, plan, cwd=where, env=emulator.env("plan"),
                reps=reps, check=expect_text(f"Plan: {n} campaigns to create"),
            )  # fmt: skip
            subset = root / "plan-subset"
            for index in fleet.changed_indices(n):
                fleet.generate(subset / "campaigns", 1, self.args.steps, self.args.seed, start=index)
            self.measure(
                "plan-subset", f"wpsync plan (create {k}: the 1% alone)", n, plan, cwd=subset,
                env=emulator.env("plan"), reps=reps, check=expect_text(f"Plan: {k} campaign"),
            )  # fmt: skip
        needs_state = {"plan-nochange", "plan-changed", "apply-added"} & self.cases
        if "apply" not in self.cases and not needs_state:
            return
        base = self.apply(n, emulator)
        key = f"apply-{n}-0"
        if "plan-nochange" in self.cases:
            where = root / "nochange"
            shutil.copytree(base, where / "state")
            (where / "campaigns").symlink_to(root / "campaigns")
            emulator.clear_requests(key)
            self.measure(
                "plan-nochange", "wpsync plan (no changes)", n, plan, cwd=where, env=emulator.env(key),
                reps=reps, check=expect_text("No changes."),
            )  # fmt: skip
            self.record_calls("plan-nochange", n, emulator, key, reps, expected={})
        if "plan-changed" in self.cases:
            where = root / "changed"
            shutil.copytree(base, where / "state")
            shutil.copytree(root / "campaigns", where / "campaigns")
            for index in fleet.changed_indices(n):
                fleet.revise(
                    where / "campaigns" / f"{fleet.key(index)}.toml", self.args.steps, self.args.seed
                )
            emulator.clear_requests(key)
            self.measure(
                "plan-changed", "wpsync plan (1% changed: copy edits)", n, plan, cwd=where,
                env=emulator.env(key), reps=reps, expect=(3,), check=expect_text(f"to append, {k} change"),
            )  # fmt: skip
            self.record_calls("plan-changed", n, emulator, key, reps, expected={"GET /v2/campaigns/{id}": k})
        if "apply-added" in self.cases:
            self.apply_added(n, emulator, base, key)

    def apply(self, n: int, emulator: Emulator) -> Path:
        """Apply creating the fleet; returns the state of the first run (for the cases that need one)."""
        root = self.work / f"n{n}"
        reps = self.reps_for(n, apply=True)
        argv = [WPSYNC, "apply", "--campaigns", "../campaigns", "--state", "state", "--auto-approve"]
        bodies: list[bytes] = []
        calls: list[dict[str, Any]] = []

        def before(rep: int) -> tuple[list[str], dict[str, str]]:
            (root / f"apply-{rep}").mkdir()
            return argv, emulator.env(f"apply-{n}-{rep}")

        def after(rep: int, log: Path) -> None:
            emulator.sample_rss()
            key = f"apply-{n}-{rep}"
            text = log.read_text(encoding="utf-8", errors="replace")
            if f"Apply complete: {n} campaign(s) created" not in text:
                raise CaseFailed(f"apply N={n}: unexpected report:\n{text[-1000:]}")
            entry: dict[str, Any] = {}
            if n + 3 <= LOG_LIMIT:  # read the log first: counting the campaigns is a request too
                entries = emulator.requests(key)
                entry["calls"] = dict(summarize_calls(entries))
                if rep == 0:
                    bodies.extend(json.dumps(e["body"]).encode() for e in entries if e["method"] == "POST")
            entry["campaigns_in_woodpecker"] = emulator.campaign_count(key)
            calls.append(entry)
            if rep > 0:  # keep disk use flat: only the first run's state is used afterwards
                shutil.rmtree(root / f"apply-{rep}" / "state", ignore_errors=True)

        # The working directory changes per run; measure() takes one, so each run gets its own folder
        # through a symlinked campaigns/ and a relative --state.
        result = Result("apply", "wpsync apply (create the fleet)", n)
        for rep in range(reps):
            run_argv, env = before(rep)
            log = self.work / "logs" / f"apply-{n}-{rep}.log"
            result.samples.append(run_process(run_argv, cwd=root / f"apply-{rep}", env=env, log=log))
            after(rep, log)
        result.extra["runs"] = calls
        if bodies:
            replay_key = f"replay-{n}"
            emulator.call("GET", "/rest/v2/mailboxes", replay_key)  # create and seed the account first
            seconds = replay_posts(emulator, bodies, replay_key)
            result.extra["server_s_per_call"] = seconds / len(bodies)
        self.done(result)
        return root / "apply-0" / "state"

    def apply_added(self, n: int, emulator: Emulator, base: Path, key: str) -> None:
        """Apply 1% new campaigns into a state that holds the whole fleet: cost must follow the change."""
        root = self.work / f"n{n}"
        k = len(fleet.changed_indices(n))
        campaigns = root / "added" / "campaigns"
        shutil.copytree(root / "campaigns", campaigns)
        fleet.generate(campaigns, k, self.args.steps, self.args.seed, start=n)
        reps = self.reps_for(n)
        argv = [WPSYNC, "apply", "--campaigns", "../campaigns", "--state", "state", "--auto-approve"]

        def before(rep: int) -> tuple[list[str], dict[str, str]]:
            where = root / "added" / f"run-{rep}"
            shutil.copytree(base, where / "state")
            return argv, emulator.env(key)

        emulator.clear_requests(key)
        result = Result("apply-added", f"wpsync apply (add 1% = {k} to the fleet)", n)
        for rep in range(reps):
            run_argv, env = before(rep)
            log = self.work / "logs" / f"apply-added-{n}-{rep}.log"
            sample = run_process(run_argv, cwd=root / "added" / f"run-{rep}", env=env, log=log)
            text = log.read_text(encoding="utf-8", errors="replace")
            if f"Apply complete: {k} campaign(s) created" not in text:
                raise CaseFailed(f"apply-added N={n}: unexpected report:\n{text[-1000:]}")
            result.samples.append(sample)
            shutil.rmtree(root / "added" / f"run-{rep}", ignore_errors=True)
        self.done(result)
        self.record_calls(
            "apply-added", n, emulator, key, reps, expected={"POST /v2/campaigns": k, **READS_FOR_CREATE}
        )

    def content_size(self, emulator: Emulator) -> None:
        """The no-change plan of 1,000 campaigns at S=4 beside S=16: does its cost follow the copy's size?"""
        n, steps = 1000, 4
        root = self.work / f"n{n}-s{steps}"
        shutil.rmtree(root, ignore_errors=True)
        paths = fleet.generate(root / "campaigns", n, steps, self.args.seed)
        size = sum(p.stat().st_size for p in paths)
        self.facts[f"fleet-{n}-s{steps}"] = {"files": n, "bytes": size}
        (root / "apply").mkdir()
        key = f"apply-{n}-s{steps}"
        argv = [WPSYNC, "apply", "--campaigns", "../campaigns", "--state", "state", "--auto-approve"]
        run_process(argv, cwd=root / "apply", env=emulator.env(key), log=self.work / "logs" / "s4-apply.log")
        plan = [WPSYNC, "plan", "--campaigns", "../campaigns", "--state", "state"]
        self.measure(
            "plan-nochange-s4", f"wpsync plan (no changes, S={steps})", n, plan, cwd=root / "apply",
            env=emulator.env(key), reps=self.args.reps, check=expect_text("No changes."),
        )  # fmt: skip

    def record_calls(
        self, case: str, n: int, emulator: Emulator, key: str, reps: int, expected: dict[str, int]
    ) -> None:
        kinds = summarize_calls(emulator.requests(key))
        per_run = {kind: count / reps for kind, count in kinds.items()}
        result = next(r for r in reversed(self.results) if r.case == case and r.n == n)
        result.extra["calls_per_run"] = per_run
        result.extra["calls_expected"] = expected


READS_FOR_CREATE = {"GET /v2/mailboxes": 1, "GET /v2/linkedin_accounts": 1}


def expect_text(needle: str) -> Callable[[str], None]:
    def check(output: str) -> None:
        if needle not in output:
            raise CaseFailed(f"expected {needle!r} in the output:\n{output[-1500:]}")

    return check


# ---- the report ----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        found = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
        if found:
            memory = f"{int(found.group(1)) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "cores": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def git(*args: str) -> str:
    try:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def versions() -> str:
    found = []
    for name in ("pydantic", "rtoml", "click", "httpx"):
        try:
            from importlib.metadata import version

            found.append(f"{name} {version(name)}")
        except Exception:
            pass
    return ", ".join(found)


def fmt_s(seconds: float) -> str:
    return f"{seconds:.3f}" if seconds < 10 else f"{seconds:.1f}"


class Report:
    def __init__(self, bench: Bench, elapsed: float) -> None:
        self.bench = bench
        self.elapsed = elapsed
        self.by: dict[tuple[str, int], Result] = {(r.case, r.n): r for r in bench.results}

    def get(self, case: str, n: int) -> Result | None:
        return self.by.get((case, n))

    def median(self, case: str, n: int) -> float | None:
        result = self.get(case, n)
        return result.median if result else None

    def render(self) -> str:
        args = self.bench.args
        m = machine()
        commit = SOURCE["commit"] or git("rev-parse", "--short", "HEAD")
        dirty = "" if SOURCE["commit"] else git("status", "--porcelain", "--", "wpsync")
        lines = [
            "# wpsync benchmarks",
            "",
            "Written by `make bench` (`benchmarks/run.py`); do not edit by hand. Each case runs the `wpsync` "
            "console script as its own process; the wall time is taken around the process, the peak memory "
            "is that process's own maximum RSS (`os.wait4`). Median of the runs, with min and max.",
            "",
            f"- **Machine:** {m['cores']} cores, {m['cpu']}, {m['memory']} RAM, {m['os']}, Python {m['python']}",
            f"- **Date:** {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
            f"- **Commit:** `{commit}`"
            + (" (unpacked with `--at`; the working tree was not used)" if SOURCE["commit"] else "")
            + (
                f" — with uncommitted changes to {len(dirty.splitlines())} file(s) under `wpsync/` "
                "(measured as the working tree was)"
                if dirty
                else ""
            ),
            f"- **Libraries:** {versions()}",
            f"- **Fleet:** `benchmarks/fleet.py`, S = {args.steps} steps, seed {args.seed}: "
            + "; ".join(
                f"N = {int(v['files']):,}: {v['bytes'] / 1e6:.1f} MB"
                for k, v in self.bench.facts.items()
                if k.startswith("fleet-") and "-s" not in k
            ),
            f"- **Runs:** {args.reps} per case ({args.reps_large} at N ≥ 10,000); apply {args.apply_reps} "
            "(once at N = 10,000, where it is the longest case); this whole run took "
            f"{self.elapsed / 60:.1f} min.",
            f"- **Load average** (1/5/15 min) at the start: {self.bench.facts.get('load_start', '?')}; at the "
            f"end: {self.bench.facts.get('load_end', '?')}. Anything above 0 beyond this run is other work "
            "competing for the 2 cores, and shows as wall time above CPU time.",
            "",
            "## Results",
            "",
            "`CPU s`: the median user + system time of the process (less sensitive than wall time to other "
            "load on the machine). `× start-up`: the median over Python's own start-up (`python -c pass`). "
            "`× rtoml`: over merely reading and parsing the same files with rtoml, the fastest TOML parser "
            "installed (in its own process, so start-up is in both).",
            "",
            "| case | N | median s | min s | max s | runs | CPU s | peak MB | × start-up | × rtoml parse |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        python = self.median("python", 0)
        for r in self.bench.results:
            rtoml = self.median("floor-rtoml", r.n)
            vs_start = f"{r.median / python:.1f}" if python else ""
            vs_parse = f"{r.median / rtoml:.2f}" if rtoml and r.n >= 100 and r.case != "floor-rtoml" else ""
            n = f"{r.n:,}" if r.n else "—"
            lines.append(
                f"| {r.label} | {n} | {fmt_s(r.median)} | {fmt_s(min(r.walls))} | {fmt_s(max(r.walls))} | "
                f"{len(r.samples)} | {fmt_s(r.cpu)} | {r.peak_mb:.0f} | {vs_start} | {vs_parse} |"
            )
        lines += ["", *self.apply_section(), "", *self.targets(), "", *self.notes()]
        return "\n".join(lines) + "\n"

    def apply_section(self) -> list[str]:
        out = [
            "## Apply: calls and time per call",
            "",
            "Calls are counted from the emulator's request log (`GET /_emulator/requests`). *Server s/call* "
            "is the time to send the same create bodies, captured from that log, over one keep-alive "
            "connection with `http.client` (the emulator's own time plus the least a client can add). "
            "*wpsync s/call* is (apply − plan creating the same fleet) ÷ creates: what apply adds per "
            "campaign on top of planning it. *Disk KB/campaign* is what the apply process wrote to disk "
            "(`ru_oublock`) per created campaign.",
            "",
            "| N | calls seen per run | expected | in Woodpecker | server ms/call | wpsync ms/call | "
            "wpsync − server ms | disk KB/campaign |",
            "|---:|---|---|---:|---:|---:|---:|---:|",
        ]
        for n in self.bench.args.sizes:
            apply = self.get("apply", n)
            plan = self.median("plan-create", n)
            if apply is None:
                continue
            runs = apply.extra.get("runs", [])
            seen = runs[0].get("calls") if runs else None
            seen_text = (
                ", ".join(f"{v} {k}" for k, v in sorted(seen.items()))
                if seen
                else "log not read (over 10,000)"
            )
            expected = {"POST /v2/campaigns": n, **READS_FOR_CREATE}
            expected_text = ", ".join(f"{v} {k}" for k, v in sorted(expected.items()))
            in_wp = ", ".join(str(r["campaigns_in_woodpecker"]) for r in runs)
            server = apply.extra.get("server_s_per_call")
            if server is None:
                server = self.server_per_call()
            per_call = (apply.median - plan) / n if plan is not None else None
            blocks = statistics.median(s.out_blocks for s in apply.samples) * 512 / 1024 / n
            out.append(
                f"| {n:,} | {seen_text} | {expected_text} | {in_wp} | "
                + (f"{server * 1e3:.2f}" if server else "")
                + " | "
                + (f"{per_call * 1e3:.2f}" if per_call is not None else "")
                + " | "
                + (f"{(per_call - server) * 1e3:.2f}" if per_call is not None and server else "")
                + f" | {blocks:.1f} |"
            )
        return out

    def server_per_call(self) -> float | None:
        for n in sorted(self.bench.args.sizes, reverse=True):
            apply = self.get("apply", n)
            if apply and "server_s_per_call" in apply.extra:
                return float(apply.extra["server_s_per_call"])
        return None

    def targets(self) -> list[str]:
        rows: list[tuple[str, str, bool | None, str]] = []

        def add(target: str, measured: str, met: bool | None, why: str = "") -> None:
            rows.append((target, measured, met, why))

        python = self.median("python", 0)
        nochange = self.median("plan-nochange", 1000)
        if nochange is not None:
            add("No-change plan, 1,000 × 16: ≤ 0.3 s", f"{nochange:.3f} s", nochange <= 0.3,
                "" if nochange <= 0.3 else self.why("plan-nochange"))  # fmt: skip
        s4 = self.median("plan-nochange-s4", 1000)
        if nochange is not None and s4 is not None:
            facts = self.bench.facts
            mb16 = facts["fleet-1000"]["bytes"] / 1e6
            mb4 = facts["fleet-1000-s4"]["bytes"] / 1e6
            slope = (nochange - s4) / (mb16 - mb4) * 1e3
            grows = nochange - s4 > 0.05 * s4
            add(
                "No-change plan: cost does not grow with unchanged content",
                f"S=4 ({mb4:.1f} MB): {s4:.3f} s; S=16 ({mb16:.1f} MB): {nochange:.3f} s ({slope:.1f} ms per MB of copy)",
                not grows,
                "every unchanged file is still read and SHA-256 hashed, so the cost follows its bytes"
                if grows
                else "within 5%: unchanged files' content costs next to nothing",
            )
        changed = self.median("plan-changed", 1000)
        subset = self.median("plan-subset", 1000)
        if None not in (changed, nochange, subset, python):
            assert changed is not None and nochange is not None and subset is not None and python is not None
            allowance = nochange + (subset - python)
            add(
                "Plan with 1% changed, 1,000: ≤ no-change + cost of the changed campaigns",
                f"{changed:.3f} s vs {allowance:.3f} s (no-change {nochange:.3f} + planning the 10 alone "
                f"{subset:.3f} − start-up {python:.3f})",
                changed <= allowance,
                "" if changed <= allowance else "see the profile notes",
            )
        rtoml = self.median("floor-rtoml", 1000)
        for case, name in (("plan-create", "Plan creating 1,000 × 16"), ("validate", "Validate 1,000 × 16")):
            value = self.median(case, 1000)
            if value is not None and rtoml is not None:
                add(f"{name}: ≤ 2× the rtoml parse floor", f"{value:.3f} s = {value / rtoml:.1f}× ({rtoml:.3f} s)",
                    value <= 2 * rtoml, "" if value <= 2 * rtoml else self.why(case))  # fmt: skip
        for case in ("validate", "plan-create", "plan-nochange", "plan-changed", "apply"):
            small, large = self.get(case, 1000), self.get(case, 10_000)
            if small is None or large is None:
                continue
            ratio = large.median / small.median
            ok = ratio <= 11 and large.peak_mb < 500
            add(
                f"10,000 × 16, {large.label}: ≤ 11× the 1,000 figure, peak < 500 MB",
                f"{ratio:.1f}×, peak {large.peak_mb:.0f} MB",
                ok,
                "" if ok else ("memory" if large.peak_mb >= 500 else "super-linear"),
            )
        version = self.median("version", 0)
        for case, name in (
            ("version", "`wpsync --version`"),
            ("examples-new", "`wpsync plan` on the examples (3 to create)"),
            ("examples-nochange", "`wpsync plan` on the examples (no changes)"),
        ):
            value = self.median(case, 0) if case == "version" else self.median(case, 3)
            if value is not None and python:
                add(f"{name}: ≤ 1.5× Python start-up", f"{value:.3f} s = {value / python:.1f}× ({python:.3f} s)",
                    value <= 1.5 * python, "" if value <= 1.5 * python else self.why(case))  # fmt: skip
        del version
        for n in self.bench.args.sizes:
            apply = self.get("apply", n)
            if apply is None:
                continue
            runs = apply.extra.get("runs", [])
            expected = {"POST /v2/campaigns": n, **READS_FOR_CREATE}
            counted = [r["calls"] for r in runs if "calls" in r]
            if counted:
                exact = all(c == expected for c in counted)
                add(f"Apply {n:,}: one call per created campaign + the plan's reads", f"{counted[0]}", exact,
                    "" if exact else "extra or missing calls")  # fmt: skip
            else:
                ok = all(r["campaigns_in_woodpecker"] == n for r in runs)
                add(
                    f"Apply {n:,}: one call per created campaign + the plan's reads",
                    f"{runs[0]['campaigns_in_woodpecker'] if runs else '?'} campaigns in Woodpecker; "
                    "log not counted",
                    ok if ok else False,
                    "not counted call by call: the emulator keeps only the last 10,000 requests; "
                    "exact at 100 and 1,000, and no duplicates here",
                )
        server = self.server_per_call()
        for n in self.bench.args.sizes:
            apply, plan = self.get("apply", n), self.median("plan-create", n)
            if apply is None or plan is None or server is None:
                continue
            extra = (apply.median - plan) / n - server
            add(f"Apply {n:,}: wpsync's time per call ≤ 2 ms beyond the server's",
                f"{extra * 1e3:.2f} ms", extra <= 0.002, "" if extra <= 0.002 else self.why("apply"))  # fmt: skip
        added_small, added_large = self.get("apply-added", 1000), self.get("apply-added", 10_000)
        nc_small, nc_large = self.median("plan-nochange", 1000), self.median("plan-nochange", 10_000)
        if added_small and nc_small is not None:
            per_small = (added_small.median - nc_small) / 10
            text = f"1,000 fleet: {per_small * 1e3:.1f} ms per added campaign"
            ok = True
            if added_large and nc_large is not None:
                per_large = (added_large.median - nc_large) / 100
                text += f"; 10,000 fleet: {per_large * 1e3:.1f} ms"
                ok = per_large <= 1.5 * per_small
            add("Apply: state written in time proportional to the change, not the fleet", text, ok,
                "" if ok else "the cost per created campaign grows with the fleet")  # fmt: skip
        out = [
            "## Targets",
            "",
            "| target | measured | met? | why not |",
            "|---|---|---|---|",
        ]
        for target, measured, met, why in rows:
            verdict = "met" if met else "**NOT met**"
            out.append(f"| {target} | {measured} | {verdict} | {why} |")
        return out

    def why(self, case: str) -> str:
        return WHY.get(case, "see the notes")

    def notes(self) -> list[str]:
        return [
            "## How it is measured",
            "",
            "- The fleet: `benchmarks/fleet.py` (deterministic per seed). Each campaign has S steps, the first "
            "an EMAIL; about 30% LINKEDIN steps (visits, connection notes, direct messages); 1–3 A/B versions "
            "per EMAIL step of HTML with fallback snippets, spintax, click links and an unsubscribe link; "
            "named and inline schedules. Every file validates with 0 errors and 0 warnings.",
            "- *1% changed*: the last EMAIL step's copy edited in 1% of the files (evenly spread). With 16 "
            "steps, the API's maximum, an edit cannot be an appended step, so the plan refuses these edits "
            "(exit 3) after parsing them, reading what was last applied and refreshing each from Woodpecker.",
            "- *Plan (create the 1% alone)*: the same changed files planned as new campaigns on their own: "
            "the cost of planning just those campaigns, which sets the allowance of the 1% case.",
            "- *Apply (add 1%)*: 1% new campaign files beside a fleet whose state is already applied.",
            "- Plans run with an API key against the emulator (as in CI), so they refresh what they need.",
            "- Peak memory is the wpsync process's; the emulator (its own process) peaked at "
            f"{self.bench.facts.get('emulator_peak_mb', 0):.0f} MB.",
            "- Raw samples: `benchmarks/.work/results.json` after a run.",
        ]


WHY = {
    "plan-nochange": "start-up imports (pydantic models, httpx, click) and reading every file; see the notes",
    "plan-create": "pydantic validation and the canonical/hash work per campaign dominate; see the notes",
    "validate": "pydantic validation and snippet checks per campaign dominate; see the notes",
    "version": "see the notes",
    "examples-new": "imports: pydantic models (compiled at import), httpx, click",
    "examples-nochange": "imports: pydantic models (compiled at import), httpx, click",
    "apply": "per-call work in wpsync: see the notes",
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="fleet sizes N, comma-separated")
    parser.add_argument("--steps", type=int, default=16, help="steps per campaign S")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--reps", type=int, default=5, help="runs per case")
    parser.add_argument("--reps-large", type=int, default=3, help="runs per case at N ≥ 10,000")
    parser.add_argument("--apply-reps", type=int, default=3, help="apply runs (once at N ≥ 10,000)")
    parser.add_argument(
        "--cases", default=",".join(ALL_CASES), help="comma-separated: " + ", ".join(ALL_CASES)
    )
    parser.add_argument("--work", type=Path, default=HERE / ".work")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--at", metavar="COMMIT", help="measure this commit (unpacked from git) instead of the working tree"
    )
    args = parser.parse_args(argv)
    args.sizes = [int(s) for s in args.sizes.split(",") if s]
    args.cases = [c for c in args.cases.split(",") if c]
    unknown = set(args.cases) - set(ALL_CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    args.work = args.work.resolve()
    shutil.rmtree(args.work, ignore_errors=True)
    args.work.mkdir(parents=True)

    started = time.perf_counter()
    bench = Bench(args)
    bench.facts["load_start"] = load_average()
    # Warm the interpreter's caches (bytecode, page cache) once, so no case pays for a first import.
    if args.at:
        unpack(args.at, args.work / "source")
    for warm in ([WPSYNC, "--version"], [WPSYNC, "validate", str(SOURCE["examples"])]):
        run_process(warm, cwd=ROOT, env=base_env(), log=args.work / "warm.log")
    print(f"wpsync benchmarks: sizes {args.sizes}, S={args.steps}, work in {args.work}", flush=True)
    bench.startup()
    with running_emulator(args.work) as emulator:
        if "examples" in bench.cases:
            bench.examples(emulator)
        for n in args.sizes:
            bench.fleet(n)
            bench.with_emulator(n, emulator)
            shutil.rmtree(args.work / f"n{n}", ignore_errors=True)  # 10,000 × 16 is ~0.5 GB with state
        if "content-size" in bench.cases and 1000 in args.sizes:
            bench.content_size(emulator)
        emulator.sample_rss()
        bench.facts["emulator_peak_mb"] = emulator.peak_mb
    bench.facts["load_end"] = load_average()
    elapsed = time.perf_counter() - started
    report = Report(bench, elapsed).render()
    args.out.write_text(report, encoding="utf-8")
    raw = {
        "facts": bench.facts,
        "results": [asdict(r) | {"median": r.median} for r in bench.results],
        "elapsed_s": elapsed,
    }
    (args.work / "results.json").write_text(json.dumps(raw, indent=2), encoding="utf-8")
    print()
    print(report)
    print(f"wrote {args.out} in {elapsed / 60:.1f} min")
    return 0


if __name__ == "__main__":
    sys.exit(main())
