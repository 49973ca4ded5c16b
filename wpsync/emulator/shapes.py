"""Generic shape checks shared by the validators: objects with known keys, enums, ranges, snippets.

Every check reports into one list of problems, each a JSON path and a sentence, and never stops at the
first: the 400 answer names every problem at once, as a client fixing a campaign file needs.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from wpsync.files.snippets import SnippetSyntaxError, parse_snippets

MAX_VERSIONS = 5  # A-E


@dataclass(frozen=True)
class Problem:
    field: str
    detail: str

    def render(self) -> str:
        return f"{self.field}: {self.detail}" if self.field else self.detail


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def is_int(value: object) -> bool:
    # JSON true/false parse to bool, which Python counts as int; Woodpecker's Java side would not.
    return isinstance(value, int) and not isinstance(value, bool)


def choices(options: Sequence[str]) -> str:
    return ", ".join(options)


class Checker:
    def __init__(self, *, add_step: bool) -> None:
        self.add_step = add_step
        self.problems: list[Problem] = []

    def fail(self, path: str, detail: str) -> None:
        self.problems.append(Problem(path, detail))

    # --- generic shapes -------------------------------------------------------------------------------

    def fields(
        self, value: object, path: str, allowed: Collection[str], required: Collection[str] = ()
    ) -> dict[str, object] | None:
        """The object at ``path``, after reporting unknown and missing keys; None if not an object."""
        if not isinstance(value, dict):
            self.fail(path, "must be an object" if path else "the request body must be a JSON object")
            return None
        for key in value:
            if key not in allowed:
                self.fail(join(path, key), "unknown field")
        for key in required:
            if key not in value:
                self.fail(join(path, key), "is required")
        return value

    def one_of(self, value: object, path: str, options: Sequence[str]) -> None:
        if not (isinstance(value, str) and value in options):
            self.fail(path, f"must be one of {choices(options)}")

    def boolean(self, value: object, path: str, *, nullable: bool = False) -> None:
        if not (isinstance(value, bool) or (nullable and value is None)):
            self.fail(path, "must be true, false or null" if nullable else "must be true or false")

    def integer(self, value: object, path: str, low: int, high: int) -> None:
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, "must be an integer")
        elif not low <= value <= high:
            self.fail(path, f"must be between {low} and {high}")

    def versions(self, value: object, path: str) -> list[object]:
        if not isinstance(value, list):
            self.fail(path, "must be an array of versions")
            return []
        if not 1 <= len(value) <= MAX_VERSIONS:
            self.fail(path, f"must hold 1 to {MAX_VERSIONS} versions (A-E), not {len(value)}")
        return value

    def snippets(self, text: str, path: str) -> None:
        try:
            found = parse_snippets(text)
        except SnippetSyntaxError as exc:
            self.fail(path, f"incorrect snippet at character {exc.offset}: {exc.message}")
            return
        for snippet in found:
            if not snippet.known:
                # Strict on purpose: an unknown field name would leave prospects waiting in "To check".
                self.fail(
                    path, f"incorrect snippet at character {snippet.start}: unknown field {snippet.name}"
                )
