"""The one family of errors wpsync raises on purpose.

Deep code raises a precise error; only the CLI prints it (one line, or one line per problem) and picks
the exit code from ``exit_code``. Anything else that escapes is a bug and is reported as one.

    WpsyncError                 exit 1
    ├── InputError              campaign files, flags, plan files the user gave us
    ├── StateError              the recorded state cannot be read or written safely
    ├── ApiError                Woodpecker (or the emulator) answered with an error
    ├── ApiUnreachable          no HTTP answer at all (connection refused, timeout, dropped)
    ├── ChangesRefused          exit 3: the plan holds changes the API forbids
    ├── StalePlan               exit 4: a saved plan no longer matches the state or the inputs
    └── StateLocked             exit 5: another run holds the state lock

No message of any of these may contain the API key: the client never formats it into text, and
``redact`` is applied to every message (and every debug log line): it masks each key registered with
``register_secret`` — wherever a key is loaded — raw, escaped as repr or JSON would, and URL-encoded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_REFUSED = 3
EXIT_STALE = 4
EXIT_LOCKED = 5


class WpsyncError(Exception):
    """An expected failure, shown to the user as text; never a traceback."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))
        self.message = redact(message)

    def lines(self) -> list[str]:
        """What the CLI prints, one line each."""
        return [self.message]


# Bidi controls (which reorder what follows them: a file named "a\u202eb.toml" shows as "ab.lmot")
# and zero-width characters (which make two names look alike), shown as escapes wherever they are.
_INVISIBLE = (0x061C, *range(0x200B, 0x2010), *range(0x202A, 0x202F), 0x2060, *range(0x2066, 0x206A), 0xFEFF)
_ONE_LINE = {
    code: (
        "\\r" if code == 13 else "\\n" if code == 10 else f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"
    )
    for code in (*range(0x20), *range(0x7F, 0xA0), 0x2028, 0x2029, *_INVISIBLE)
    if code != 0x09
}


@dataclass(frozen=True, order=True)
class Problem:
    """One finding about one input: where (file, line, field path) and what, with what to do."""

    file: str
    path: str
    message: str
    line: int | None = None
    severity: str = "error"  # "error" | "warning"

    def render(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        # One problem is one line: text quoted from a file (or a file or key name) must not start a
        # forged line of its own, nor move the cursor or recolour the terminal (C0/C1, DEL, U+2028/9),
        # nor reorder or hide what a reader sees (bidi controls, zero-width characters).
        line = f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"
        return line.translate(_ONE_LINE)


class InputError(WpsyncError):
    """Bad input: each problem names the file, the field and what is allowed."""

    def __init__(self, problems: list[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(file="", path="", message=problems)]
        self.problems = problems
        super().__init__("; ".join(p.render() if p.file else p.message for p in problems))

    def lines(self) -> list[str]:
        return [p.render() if p.file else p.message for p in self.problems]


class StateError(WpsyncError):
    """The state under state/ is unreadable, from another lineage or format, or cannot be written."""


_WRITE_FAILURES = {
    "ENOSPC": ("no space left on device", "free space and run apply again"),
    "EDQUOT": ("disk quota exceeded", "free space or raise the quota, then run apply again"),
    "EROFS": ("read-only file system", "put the state on a writable disk (--state DIR), then run again"),
    "EACCES": ("permission denied", "make the state folder writable by this user, then run again"),
    "EPERM": ("operation not permitted", "make the state folder writable by this user, then run again"),
}


def state_write_error(path: object, exc: OSError) -> StateError:
    """An OSError while writing the state (or its lock) as a StateError naming the path, what the errno
    means and what to do. Writes are atomic, so whatever was recorded before is intact."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    meaning, todo = _WRITE_FAILURES.get(name, (exc.strerror or str(exc), "fix that, then run again"))
    return StateError(
        f"{path}: cannot write: {meaning} — {todo}; nothing was lost: the state is as of the last"
        " recorded call"
    )


@dataclass
class FieldError:
    field: str
    detail: str


@dataclass
class ApiErrorInfo:
    """The parts of an API error body, of either documented shape."""

    status: int
    code: str | None = None
    message: str | None = None
    details: str | None = None
    field_errors: list[FieldError] = field(default_factory=list)


class ApiError(WpsyncError):
    """Woodpecker answered with an error: status, code, message and field errors, read as one line."""

    def __init__(self, info: ApiErrorInfo, summary: str) -> None:
        self.info = info
        super().__init__(summary)

    @property
    def status(self) -> int:
        return self.info.status

    @property
    def code(self) -> str | None:
        return self.info.code


class ApiUnreachable(WpsyncError):
    """No HTTP answer: the request may or may not have reached the server."""


class ChangesRefused(WpsyncError):
    exit_code = EXIT_REFUSED


class StalePlan(WpsyncError):
    exit_code = EXIT_STALE


class StateLocked(WpsyncError):
    exit_code = EXIT_LOCKED


API_KEY_ENV = "WOODPECKER_API_KEY"
_REDACTED = "[redacted]"
_MIN_SECRET = 4  # shorter values are too common in ordinary text to be masked everywhere
_secrets: set[str] = set()  # every API key loaded in this process, in every spelling it may take
_spellings_of: dict[str, tuple[str, ...]] = {}


def _spellings(secret: str) -> tuple[str, ...]:
    """The key as text may show it: raw, as repr/bytes-repr and JSON escape it, URL-encoded, and
    reversed — each matched whatever its letter case (a server may upper-case what it echoes)."""
    from urllib.parse import quote, quote_plus

    forms = {
        secret,
        repr(secret)[1:-1],
        repr(secret.encode("utf-8", "surrogateescape"))[2:-1],
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
    }
    forms |= {form[::-1] for form in forms}
    raw = secret.encode("utf-8", "surrogateescape")
    forms.add(raw.hex())
    # Longest first: a raw key inside its own escaped spelling must not leave half an escape behind.
    return tuple(sorted((f for f in forms if len(f) >= _MIN_SECRET), key=len, reverse=True))


def _base64_spellings(secret: str) -> tuple[str, ...]:
    """The key in base64 (standard and URL-safe alphabets), alone or inside a longer encoded text: at
    each of the three byte alignments, the characters that only the key's bytes decide. Case matters."""
    import base64

    raw = secret.encode("utf-8", "surrogateescape")
    forms: set[str] = set()
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + raw).decode()
        inner = encoded[(4 * shift + 2) // 3 : (4 * (shift + len(raw))) // 3]
        forms |= {inner, inner.replace("+", "-").replace("/", "_")}
    return tuple(sorted((f for f in forms if len(f) >= _MIN_SECRET), key=len, reverse=True))


_patterns: dict[str, tuple[re.Pattern[str], re.Pattern[str] | None]] = {}


def register_secret(secret: str | None) -> None:
    """Remember an API key so that ``redact`` masks it wherever it turns up (messages, the debug log).

    Called wherever a key is loaded: the environment, --api-key-file, a client being built."""
    if secret and len(secret) >= _MIN_SECRET and secret not in _secrets:
        _secrets.add(secret)
        _spellings_of[secret] = _spellings(secret)
        texts = re.compile("|".join(map(re.escape, _spellings_of[secret])), re.IGNORECASE)
        encoded = _base64_spellings(secret)
        _patterns[secret] = (texts, re.compile("|".join(map(re.escape, encoded))) if encoded else None)


def redact(text: str, secret: str | None = None) -> str:
    """Remove every API key in use (and ``secret``), in each of its spellings, from text to be shown."""
    if secret:
        register_secret(secret)
    for value in sorted(_secrets, key=len, reverse=True):
        texts, encoded = _patterns[value]
        text = texts.sub(_REDACTED, text)
        if encoded is not None:
            text = encoded.sub(_REDACTED, text)
    return text
