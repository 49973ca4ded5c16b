"""`wpsync validate`: every problem of every campaign file, at once."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from wpsync.errors import EXIT_ERROR, EXIT_OK, Problem
from wpsync.loading import Loaded, parse_source
from wpsync.sources import read_source, read_sources


def load_all(paths: list[Path]) -> list[Loaded]:
    """Campaign files from folders (their *.toml) and files, in a stable order."""
    sources = []
    for path in paths:
        sources.extend(read_sources(path) if path.is_dir() else [read_source(path)])
    return [parse_source(source) for source in sources]


def validate(paths: list[Path], *, strict: bool, output_format: str, echo: Callable[[str], None]) -> int:
    loaded = load_all(paths)
    problems = sorted((p for item in loaded for p in item.problems), key=_order)
    errors = [p for p in problems if p.severity == "error" or strict]
    if output_format == "json":
        echo(json.dumps({"files": len(loaded), "problems": [_as_json(p) for p in problems]}, indent=2))
    else:
        for problem in problems:
            label = "error" if problem.severity == "error" or strict else "warning"
            echo(f"{label}: {problem.render()}")
        warnings = len(problems) - len(errors)
        echo(
            f"{len(loaded)} campaign file{'s' if len(loaded) != 1 else ''} checked: "
            f"{len(errors)} error{'s' if len(errors) != 1 else ''}, "
            f"{warnings} warning{'s' if warnings != 1 else ''}."
        )
    return EXIT_ERROR if errors else EXIT_OK


def _order(problem: Problem) -> tuple[str, int, str]:
    return problem.file, problem.line or 0, problem.path


def _as_json(problem: Problem) -> dict[str, object]:
    return {
        "file": problem.file,
        "line": problem.line,
        "path": problem.path,
        "severity": problem.severity,
        "message": problem.message,
    }
