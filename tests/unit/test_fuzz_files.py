"""Fuzzing: broken campaign files are reported, never crashed on.

Inputs start from valid files (the examples in ``campaigns/``, the minimal test file, and files rendered
from generated create bodies) and are broken two ways:

- *in the document*: a key deleted, renamed or added, a value replaced by one of another type (huge
  numbers, dates, nested arrays and tables, unicode keys), then written back as TOML — these files parse,
  so they exercise validation, error wording and line lookup;
- *in the bytes*: lines deleted, duplicated, swapped or moved, random bytes and unicode inserted,
  invalid UTF-8, truncation, other line endings, a BOM, values retyped in place, deep nesting.

For every input ``parse_source`` returns (with a non-empty message and the file name on every problem),
and ``wpsync validate FILE`` exits 0 or 1 without a traceback or an "internal error".

Inputs that crashed wpsync once (values nested ~500 deep, integer literals over 4300 digits) are kept
out of the random generation by ``MAX_NESTING`` and ``MAX_DIGITS``, and pinned instead by regression
tests at the end, as is a line-lookup regex that takes minutes on one odd but valid line.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
import rtoml
import tomli_w
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import MINIMAL
from tests.unit.test_roundtrip_property import bodies
from wpsync.cli import main
from wpsync.files.from_api import document_from_payload, dumps
from wpsync.files.loading import Loaded, parse_source
from wpsync.files.sources import Source

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = [path.read_bytes() for path in sorted((ROOT / "campaigns").glob("*.toml"))]
SEEDS = [*EXAMPLES, MINIMAL.encode()]

# Well below the known crashes (see the regression tests at the end): tomllib recurses once per nesting level (the
# limit is near 500 levels, less inside pytest's and Hypothesis's stack), and Python refuses int() of
# more than 4300 digits.
MAX_NESTING = 150
MAX_DIGITS = 4000

FILE_NAMES = ("fuzzed", "Bad Name", "ünïcode-kéy", "x" * 70, "q4_ctos-2")
NO_DEBUG: dict[str, str | None] = {"WPSYNC_DEBUG": None}  # with it set, the CLI re-raises bugs on purpose

# --- valid starting points -------------------------------------------------------------------------------


def render(body: dict[str, Any]) -> bytes:
    return dumps(document_from_payload(body)).encode()


VALID_FILES = st.one_of(st.sampled_from(SEEDS), bodies().map(render))

# --- values of every TOML type ---------------------------------------------------------------------------

TOML_LITERALS = st.one_of(
    st.sampled_from(
        [
            '""',
            '"null"',
            "''",
            "true",
            "false",
            "0",
            "-1",
            "+5",
            "1_000",
            "0x7FFFFFFFFFFFFFFF",
            "0o777",
            "0b101",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "inf",
            "-inf",
            "nan",
            "1e999",
            "-0.0",
            "3.14",
            "1979-05-27T07:32:00Z",
            "1979-05-27T07:32:00.999999-07:00",
            "1979-05-27T07:32:00",
            "1979-05-27",
            "07:32:00",
            "[]",
            "[[]]",
            "[1, 'a', true]",
            "{}",
            "{ from = 9, to = [] }",
            '{ MONDAY = [{ from = "25:00", to = "24:00" }] }',
            '"""\nmulti\nline\n"""',
            "'''lit\\eral'''",
            '"\\u00e9\\U0001F600"',
            '"\\x"',
            "[{ message = 1 }, { message = 'x' }]",
        ]
    ),
    st.integers().map(str),
    st.integers(20, MAX_DIGITS).map(lambda n: "9" * n),
    st.integers(20, 10_000).map(lambda n: "0x" + "f" * n),  # base-16 int() has no digit limit
    st.integers(20, 10_000).map(lambda n: "1." + "0" * n),  # float() has none either
    st.floats().map(repr),
    st.text(max_size=30).map(json.dumps),  # mostly valid basic strings; \ud83d-style pairs are not TOML
    st.text(max_size=30).map(lambda t: f"'{t}'"),
)

KEYS = st.one_of(
    st.sampled_from(
        [
            "type",
            "message",
            "subject",
            "versions",
            "delivery_time",
            "followup_after",
            "settings",
            "steps",
            "timezone",
            "daily_enroll",
            "MONDAY",
            "from",
            "to",
            "range",
            "value",
            "schedules",
            "email_account_ids",
            "dayly_enroll",
        ]
    ),
    st.text(min_size=1, max_size=20),
)

PY_VALUES: st.SearchStrategy[Any] = st.recursive(
    st.one_of(
        st.integers(min_value=-(2**64), max_value=2**64),
        st.floats(),
        st.booleans(),
        st.text(max_size=30),
        st.sampled_from(["EMAIL", "LINKEDIN", "START", "null", "DAY", "24:00", "00:00", "SENDER", "UTC"]),
        st.datetimes(timezones=st.none() | st.just(UTC)),
        st.dates(),
        st.times(),
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=4),
    max_leaves=12,
)

# --- document mutations ----------------------------------------------------------------------------------

Path_ = tuple[str | int, ...]


def _containers(value: Any, path: Path_ = ()) -> list[Path_]:
    """Paths of every table and array in ``value``, the root included."""
    found: list[Path_] = [path]
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        if isinstance(child, dict | list):
            found.extend(_containers(child, (*path, key)))
    return found


def _at(value: Any, path: Path_) -> Any:
    for part in path:
        value = value[part]
    return value


def _nested(depth: int, leaf: Any, *, as_table: bool) -> Any:
    for _ in range(depth):
        leaf = {"a": leaf} if as_table else [leaf]
    return leaf


@st.composite
def document_mutants(draw: st.DrawFn) -> bytes:
    """A valid file's document with 1–4 edits, written back as TOML (so it still parses, mostly)."""
    document = rtoml.loads(draw(VALID_FILES).decode())
    for _ in range(draw(st.integers(1, 4))):
        target = _at(document, draw(st.sampled_from(_containers(document))))
        op = draw(st.sampled_from(["delete", "retype", "add", "rename", "nest", "duplicate", "empty"]))
        if isinstance(target, dict):
            keys = list(target)
            key = draw(st.sampled_from(keys)) if keys else draw(KEYS)
        else:
            key = draw(st.integers(0, len(target) - 1)) if target else 0
        if op == "delete" and target:
            del target[key]
        elif op == "retype":
            _put(target, key, draw(PY_VALUES))
        elif op == "add" and isinstance(target, dict):
            target[draw(KEYS)] = draw(PY_VALUES)
        elif op == "rename" and isinstance(target, dict) and key in target:
            target[draw(KEYS)] = target.pop(key)
        elif op == "nest":
            depth = draw(st.integers(1, MAX_NESTING // 2))
            _put(target, key, _nested(depth, draw(PY_VALUES), as_table=draw(st.booleans())))
        elif op == "duplicate" and isinstance(target, list) and target:
            target.extend(target[: draw(st.integers(1, 20))] * draw(st.integers(1, 20)))
        elif op == "empty":
            _put(target, key, draw(st.sampled_from([[], {}, "", 0])))
    return tomli_w.dumps(document, multiline_strings=draw(st.booleans())).encode()


def _put(target: Any, key: str | int, value: Any) -> None:
    if isinstance(target, list) and not target:
        target.append(value)
    else:
        target[key] = value


# --- byte mutations --------------------------------------------------------------------------------------

INVALID_UTF8 = st.sampled_from(
    [
        b"\xff",
        b"\xfe\xff",
        b"\x80",
        b"\xc3\x28",
        b"\xe2\x82",
        b"\xed\xa0\x80",
        b"\xf4\x90\x80\x80",
        b"\xc0\xaf",
    ]
)
_ASSIGNMENT = re.compile(rb"^(\s*[^=\[\n]+=\s*)(.*)$", re.MULTILINE)


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


@st.composite
def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    lines = _lines(data)
    at = draw(st.integers(0, len(data)))
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    kind = draw(
        st.sampled_from(
            [
                "delete line",
                "duplicate line",
                "swap lines",
                "move line",
                "insert bytes",
                "insert unicode",
                "invalid utf-8",
                "truncate",
                "cut span",
                "flip byte",
                "retype value",
                "deep nesting",
                "deep table",
                "line endings",
                "bom",
                "duplicate block",
            ]
        )
    )
    if kind == "delete line":
        del lines[i]
    elif kind == "duplicate line":
        lines.insert(j, lines[i])
    elif kind == "swap lines":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "move line":
        lines.insert(j, lines.pop(i))
    elif kind == "insert bytes":
        return data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    elif kind == "insert unicode":
        return data[:at] + draw(st.text(min_size=1, max_size=16)).encode() + data[at:]
    elif kind == "invalid utf-8":
        return data[:at] + draw(INVALID_UTF8) + data[at:]
    elif kind == "truncate":
        return data[:at]
    elif kind == "cut span":
        return data[:at] + data[at + draw(st.integers(1, 40)) :]
    elif kind == "flip byte" and data:
        spot = min(at, len(data) - 1)
        return data[:spot] + bytes([data[spot] ^ draw(st.integers(1, 255))]) + data[spot + 1 :]
    elif kind == "retype value":
        matches = list(_ASSIGNMENT.finditer(data))
        if matches:
            m = draw(st.sampled_from(matches))
            return data[: m.start(2)] + draw(TOML_LITERALS).encode() + data[m.end(2) :]
    elif kind == "deep nesting":
        depth = draw(st.integers(2, MAX_NESTING))
        opener, closer = draw(st.sampled_from([(b"[", b"]"), (b"{a=", b"}"), (b"[{a=", b"}]")]))
        closed = draw(st.booleans())
        line = b"deep = " + opener * depth + b"1" + (closer * depth if closed else b"") + b"\n"
        lines.insert(i, line)
    elif kind == "deep table":
        depth = draw(st.integers(2, 1000))  # dotted headers are parsed without recursion
        brackets = draw(st.sampled_from([(b"[", b"]"), (b"[[", b"]]")]))
        lines.insert(i, brackets[0] + b".".join([b"steps"] * depth) + brackets[1] + b"\nx = 1\n")
    elif kind == "line endings":
        return data.replace(b"\n", draw(st.sampled_from([b"\r\n", b"\r", b"\n\n", b"\x0b", b"\x85"])))
    elif kind == "bom":
        return draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"])) + data
    elif kind == "duplicate block":
        return data + data[: draw(st.integers(0, len(data)))]
    return b"".join(lines)


@st.composite
def byte_mutants(draw: st.DrawFn, source: st.SearchStrategy[bytes]) -> bytes:
    data = draw(source)
    for _ in range(draw(st.integers(1, 5))):
        data = draw(byte_mutation(data))
    return data


BROKEN_FILES = st.one_of(
    document_mutants(),
    byte_mutants(VALID_FILES),
    byte_mutants(document_mutants()),
    st.binary(max_size=300),
    st.text(max_size=300).map(str.encode),
)

# --- the checks ------------------------------------------------------------------------------------------


def check_parse(path: Path, data: bytes) -> Loaded:
    loaded = parse_source(Source(key=path.stem, path=path, data=data))
    for problem in loaded.problems:
        assert problem.message.strip(), problem
        assert problem.file == str(path), problem
        assert problem.severity in ("error", "warning"), problem
        assert problem.line is None or problem.line >= 1, problem
        problem.render()
    assert (loaded.campaign is None) == bool(loaded.errors), loaded.problems
    return loaded


def check_cli(path: Path, *, errors: bool, output_format: str) -> None:
    runner = CliRunner(env=NO_DEBUG)
    result = runner.invoke(main, ["validate", "--format", output_format, str(path)], catch_exceptions=True)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == (1 if errors else 0), result.output
    assert "Traceback" not in result.output
    assert "internal error" not in result.output
    if output_format == "json":
        assert json.loads(result.stdout)["files"] == 1


def test_broken_files_are_reported_never_crashed_on(tmp_path: Path) -> None:
    checked: list[bytes] = []

    # Inputs are whole files built from generated campaigns, so generation is legitimately slower and
    # larger than Hypothesis's defaults expect; the health checks would only flag that.
    @settings(
        max_examples=220,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        data=BROKEN_FILES, name=st.sampled_from(FILE_NAMES), output_format=st.sampled_from(["text", "json"])
    )
    def fuzz(data: bytes, name: str, output_format: str) -> None:
        checked.append(data)
        path = tmp_path / f"{name}.toml"
        path.write_bytes(data)
        loaded = check_parse(path, data)
        check_cli(path, errors=bool(loaded.errors), output_format=output_format)

    fuzz()
    assert len(checked) >= 200


NASTY: dict[str, bytes] = {
    "invalid-utf8": b'name = "\xff\xfe"\n',
    "nul-bytes": b"name = 'a\x00b'\n\x00\x00",
    "utf16": MINIMAL.encode("utf-16"),
    "bom-crlf": b"\xef\xbb\xbf" + EXAMPLES[0].replace(b"\n", b"\r\n"),  # valid: a BOM is skipped
    "cr-only": EXAMPLES[1].replace(b"\n", b"\r"),
    "deep-ok": b"a = " + b"[" * MAX_NESTING + b"]" * MAX_NESTING + b"\n",
    "deep-tables": b"[" + b".".join([b"steps"] * 3000) + b"]\n",
    "huge-hex": b"[settings]\ndaily_enroll = 0x" + b"f" * 10_000 + b"\n",
    "huge-float": b"[settings]\ndaily_enroll = 1e99999\ntimezone = 1979-05-27T07:32:00Z\n",
    "every-type-wrong": b"name = 1\nemail_account_ids = 'x'\nsettings = []\nsteps = { type = 2 }\n",
    "all-bytes": bytes(range(256)) * 4,
    "long-line": b"name = '" + "é".encode() * 200_000 + b"'\nx",
    "steps-as-tables": b"[[steps]]\n[[steps.versions]]\n[[steps]]\ntype = 'SMS'\n[[steps.delivery_time]]\n",
}


def _console_script() -> Path:
    script = Path(sys.executable).parent / "wpsync"
    assert script.exists(), f"{script}: install the package into the venv (make)"
    return script


def _run_console(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "WPSYNC_DEBUG"}
    return subprocess.run(
        [str(_console_script()), "validate", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        cwd=tmp_path,
        env=env,
        timeout=60,
        check=False,
    )


def test_console_script_reports_nasty_files_without_a_traceback(tmp_path: Path) -> None:
    folder = tmp_path / "campaigns"
    folder.mkdir()
    for name, data in NASTY.items():
        (folder / f"{name}.toml").write_bytes(data)
    files = sorted(str(path) for path in folder.iterdir())
    for args in (files, ["--format", "json", str(folder)]):
        done = _run_console(tmp_path, *args)
        output = done.stdout + done.stderr
        assert done.returncode == 1, output
        assert "Traceback" not in output
        assert "internal error" not in output
    report = json.loads(done.stdout)
    assert report["files"] == len(NASTY)
    assert {Path(p["file"]).stem for p in report["problems"] if p["severity"] == "error"} == set(NASTY) - {
        "bom-crlf"
    }


# --- crashes found by this fuzzer, fixed, kept as regression tests -------------------------------------------------------

CRASHERS = {
    # rtoml refuses nesting beyond ~100 levels; parse_toml then re-parses with tomllib for a better message,
    # and tomllib recurses per level, so RecursionError escapes (only TOMLDecodeError is caught).
    "deep-array": b"a = " + b"[" * 2000 + b"\n",
    "deep-inline-table": b"a = " + b"{b=" * 2000 + b"1" + b"}" * 2000 + b"\n",
    # rtoml overflows on integers past 128 bits; tomllib then calls int() on the literal, and Python
    # refuses to convert more than 4300 digits (ValueError, not TOMLDecodeError).
    "huge-integer": b"[settings]\ndaily_enroll = 1" + b"0" * 5000 + b"\n",
}


@pytest.mark.parametrize("name", list(CRASHERS))
def test_known_crashers_are_reported_as_invalid_toml(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.toml"
    path.write_bytes(CRASHERS[name])
    loaded = check_parse(path, CRASHERS[name])
    assert [p.message[:13] for p in loaded.errors] == ["invalid TOML:"]


def test_console_script_reports_known_crashers_without_internal_error(tmp_path: Path) -> None:
    for name, data in CRASHERS.items():
        (tmp_path / f"{name}.toml").write_bytes(data)
    done = _run_console(tmp_path, *sorted(str(p) for p in tmp_path.glob("*.toml")))
    output = done.stdout + done.stderr
    assert "Traceback" not in output
    assert done.returncode == 1
    assert "internal error" not in output


def test_line_lookup_is_fast_on_a_bracket_line_of_spaces(tmp_path: Path) -> None:
    data = b'a = [\n"""\n[' + b" " * 1400 + b'x\n"""]\n'
    started = time.perf_counter()
    loaded = check_parse(tmp_path / "slow.toml", data)
    assert loaded.errors
    assert time.perf_counter() - started < 0.2
