"""`wpsync init [DIR]`: start a campaigns repository — settings, ignores, CI workflow, editor setup, the
schema and one example campaign that validates. Never overwrites a file: it says which it skipped.

The example is written only into an empty (or missing) campaigns/ folder: beside real campaigns it
would be planned, and applied, as a new one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path

from wpsync.errors import API_KEY_ENV, EXIT_OK
from wpsync.files.schema import SCHEMA_FILE, schema_json

GITIGNORE_ENTRIES = (
    "state/.lock",  # held by a running apply; never committed
    "state/.backup/",  # the previous version of each state file, kept locally
    "plan.json",  # saved plans (`wpsync plan --out plan.json`) and their markdown
    "plan.md",
)
ACCOUNT_ENTRIES = ("state/*/.lock", "state/*/.backup/")  # each account's own, in state/NAME/


def template(name: str) -> str:
    return (resources.files("wpsync") / "templates" / name).read_text(encoding="utf-8")


DRIFT_WORKFLOW = ".github/workflows/wpsync-drift.yml"


def _files(*, drift: bool) -> list[tuple[str, Callable[[], str]]]:
    files = [
        ("wpsync.toml", lambda: template("wpsync.toml")),
        ("taplo.toml", lambda: template("taplo.toml")),
        (SCHEMA_FILE, schema_json),
        (".github/workflows/wpsync.yml", lambda: template("wpsync.yml")),
    ]
    if drift:  # opt-in: it opens pull requests, so it needs write permissions a team should choose to grant
        files.append((DRIFT_WORKFLOW, lambda: template("wpsync-drift.yml")))
    return files


def init_command(
    root: Path,
    *,
    echo: Callable[[str], None],
    companies: Sequence[int] | None = None,
    all_companies: bool = False,
    key_env: str = API_KEY_ENV,
    drift: bool = False,
) -> int:
    """``companies`` / ``all_companies``: also declare those client companies of the agency key in
    ``key_env`` as accounts (``init_accounts``); asked before any file is written."""
    agency = companies is not None or all_companies
    if agency:
        from wpsync.commands.init_accounts import chosen_companies, write_accounts

        chosen = chosen_companies(key_env, companies, every=all_companies, workspace_root=root)
    root.mkdir(parents=True, exist_ok=True)
    for name, content in _files(drift=drift):
        _create(root, name, content, echo)
    campaigns = root / "campaigns"
    if agency:
        write_accounts(root, chosen, key_env, echo)
    elif campaigns.is_dir() and any(campaigns.glob("*.toml")):
        echo("skipped campaigns/example.toml (campaigns/ already holds campaign files)")
    else:
        _create(root, "campaigns/example.toml", lambda: template("example.toml"), echo)
    _gitignore(root / ".gitignore", echo, ACCOUNT_ENTRIES if agency else ())
    if agency:
        echo("")
        echo("Next: `wpsync import ID --account NAME` adopts a client's campaigns (`wpsync plan` lists none")
        echo("yet); campaign files go in campaigns/NAME/. In CI, add the key's secret as " + key_env + ".")
        return EXIT_OK
    echo("")
    echo("Next: edit campaigns/example.toml (`wpsync accounts` lists your mailbox ids), then")
    echo("  wpsync validate && wpsync fmt --check && wpsync plan")
    echo("In CI: pin WPSYNC in .github/workflows/wpsync.yml and add the WOODPECKER_API_KEY secret")
    echo("(docs/github-actions.md of wpsync).")
    if drift:
        echo(f"Drift: {DRIFT_WORKFLOW} compares every campaign with Woodpecker each morning and proposes")
        echo('the app\'s edits as a pull request; pin WPSYNC there too (docs/github-actions.md, "Drift").')
    return EXIT_OK


def _create(root: Path, name: str, content: Callable[[], str], echo: Callable[[str], None]) -> None:
    path = root / name
    if path.exists():
        echo(f"skipped {name} (exists)")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8", newline="\n") as handle:  # "x": never replace a file
        handle.write(content())
    echo(f"created {name}")


def _gitignore(path: Path, echo: Callable[[str], None], extra: Sequence[str] = ()) -> None:
    existing = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    missing = [entry for entry in (*GITIGNORE_ENTRIES, *extra) if entry not in existing]
    if not missing:
        echo("skipped .gitignore (has wpsync's entries)")
        return
    prefix = "" if not existing or not existing[-1].strip() else "\n"
    with path.open("a", encoding="utf-8", newline="\n") as handle:
        handle.write(prefix + "# wpsync: the apply lock, local state backups, saved plans\n")
        handle.write("".join(f"{entry}\n" for entry in missing))
    echo(f"{'added to' if existing else 'created'} .gitignore: {', '.join(missing)}")
