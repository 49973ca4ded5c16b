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
``redact`` is applied to every message that quotes a server or transport error.
"""

from __future__ import annotations

import os
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
        # One problem is one line: text quoted from a file must not start a forged line of its own.
        message = self.message.replace("\r", "\\r").replace("\n", "\\n")
        return f"{where}: {self.path}: {message}" if self.path else f"{where}: {message}"


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


def redact(text: str, secret: str | None = None) -> str:
    """Remove the API key (given, or from the environment) from any text that may be shown."""
    for value in (secret, os.environ.get(API_KEY_ENV)):
        if value and len(value) >= 4 and value in text:
            text = text.replace(value, _REDACTED)
    return text
