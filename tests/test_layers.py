"""The folders of ``wpsync/`` are layers, and imports point down only.

    cli                        click wiring: options in, a command function called, an exit code out
    commands | emulator        command functions (values in, exit code out) · the local Woodpecker
    apply                      the only code that both changes Woodpecker and writes state
    review | woodpecker        renderers of a plan · the HTTP client and the facts it reads
    plan                       pure: the plan's inputs, the diff, the planner, the plan
    state | files              the recorded state · campaign files and the API bodies they compile to
    errors, limits, logs, failpoints, bounded, statcache, __init__     shared by all

Every import counts, including those inside functions and under TYPE_CHECKING: a lazy import is a
dependency too. A module may import its own layer and any layer below it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wpsync"
LAYERS: list[set[str]] = [
    {"cli", "__main__"},
    {"commands", "emulator"},
    {"apply"},
    {"review", "woodpecker"},
    {"plan"},
    {"state", "files"},
    {"errors", "limits", "logs", "failpoints", "bounded", "statcache", "__init__"},
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}
ONLY_IMPORTERS = {"httpx": {"woodpecker", "emulator"}, "psycopg": {"state"}}


def _part(module: str) -> str:
    return module.split(".")[1] if module.startswith("wpsync.") else "__init__"


def _imports(path: Path) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "wpsync":  # from wpsync import x: x may be a subpackage or a name
                found.extend(
                    (node.lineno, f"wpsync.{alias.name}" if alias.name in RANK else "wpsync")
                    for alias in node.names
                )
            else:
                found.append((node.lineno, node.module))
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {path.relative_to(PACKAGE).parts[0].removesuffix(".py") for path in _modules()}
    assert parts <= set(RANK), f"give these a layer in tests/test_layers.py: {sorted(parts - set(RANK))}"


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_down(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    upward = [
        f"line {line}: {module} ({_part(module)} is above {own})"
        for line, module in _imports(path)
        if module.startswith("wpsync.") and RANK[_part(module)] < RANK[own]
    ]
    assert not upward, "\n".join(upward)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_third_party_clients_stay_in_their_layer(path: Path) -> None:
    own = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
    stray = [
        f"line {line}: {module}"
        for line, module in _imports(path)
        if module.split(".")[0] in ONLY_IMPORTERS and own not in ONLY_IMPORTERS[module.split(".")[0]]
    ]
    assert not stray, "\n".join(stray)


def test_the_layer_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "planner.py"
    module.write_text("def f():\n    from wpsync.apply.apply import apply_plan\n", encoding="utf-8")
    assert _imports(module) == [(2, "wpsync.apply.apply")]
    assert RANK[_part("wpsync.apply.apply")] < RANK["plan"]


def test_few_loose_modules_and_none_large() -> None:
    loose = [p.name for p in PACKAGE.glob("*.py") if p.name not in {"__init__.py", "__main__.py"}]
    assert len(loose) <= 8, loose
    large = {
        str(p.relative_to(PACKAGE)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 350
    }
    assert not large, f"split these modules (over 350 lines): {large}"
