"""Commands that read or change Woodpecker and the state: plan, apply, import, forget, force-unlock,
doctor, destroy. Each resolves the accounts it acts on (``resolve_accounts``: --account, wpsync.toml,
the environment) and hands them to its command; one account is the one-account case of the same call."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import click

from wpsync.cli import plain
from wpsync.cli.app import color, echo, main, warn
from wpsync.cli.options import (
    account_option,
    campaigns_option,
    lock_timeout_option,
    plan_options,
    plan_request,
    resolve_accounts,
    state_option,
    workspace_options,
)


@main.command()
@workspace_options
@plan_options
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: for a pull-request comment (also added to $GITHUB_STEP_SUMMARY when set).",
)
@click.option(
    "--out", type=click.Path(path_type=Path, dir_okay=False), help="Save the plan for `wpsync apply FILE`."
)
@click.option(
    "--detailed-exitcode", is_flag=True, help="Exit 2 when there are changes to apply (0 when none)."
)
@click.option("--strict", is_flag=True, help="Treat warnings about campaign files as errors.")
@account_option
def plan(
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    offline: bool,
    refresh: str,
    make_editable: bool | None,
    leave_editable: bool,
    run_after: bool,
    targets: tuple[str, ...],
    output_format: str,
    out: Path | None,
    detailed_exitcode: bool,
    strict: bool,
    account_names: tuple[str, ...],
) -> None:
    """Show what apply would do, and refuse what the API forbids (exit 3)."""
    plain.plan(
        campaigns_dir,
        state_dir,
        api_key_file,
        offline,
        refresh,
        make_editable,
        leave_editable,
        run_after,
        targets,
        output_format,
        out,
        detailed_exitcode,
        strict,
        account_names,
        echo=echo,
        warn=warn,
    )


@main.command()
@click.argument("plan_file", required=False, type=click.Path(path_type=Path, dir_okay=False))
@workspace_options
@plan_options
@click.option("--auto-approve", is_flag=True, help="Apply without asking (for CI).")
@lock_timeout_option
@account_option
def apply(
    plan_file: Path | None,
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    offline: bool,
    refresh: str,
    make_editable: bool | None,
    leave_editable: bool,
    run_after: bool,
    targets: tuple[str, ...],
    auto_approve: bool,
    lock_timeout: float | None,
    account_names: tuple[str, ...],
) -> None:
    """Make Woodpecker match the campaign files (or apply a saved PLAN_FILE exactly)."""
    from wpsync.commands.apply import apply_command

    if offline:
        raise click.UsageError("apply always reads Woodpecker before changing it; --offline is for plan only")
    if plan_file is not None and targets:
        raise click.UsageError(
            "a saved plan is applied as it was made: --target goes with `wpsync plan --out`"
        )
    request = plan_request(offline, refresh, make_editable, leave_editable, run_after, targets)
    accounts = resolve_accounts(
        campaigns_dir, state_dir, account_names, "apply", "need", api_key_file, lock_timeout, layout=True
    )
    sys.exit(
        apply_command(
            accounts,
            request,
            plan_file=plan_file,
            narrowed=bool(account_names),
            auto_approve=auto_approve,
            interactive=sys.stdin.isatty(),
            confirm=lambda: click.confirm("Apply these changes to Woodpecker?", default=False),
            color=color(),
            echo=echo,
            warn=warn,
            progress_bar=_progress_bar if sys.stdout.isatty() else None,
        )
    )


@contextlib.contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[], None]]:
    with click.progressbar(length=total, label="Applying", show_pos=True, show_eta=True) as bar:
        yield lambda: bar.update(1)


one_account_option = click.option(
    "--account",
    "account_name",
    metavar="NAME",
    help="The account of wpsync.toml's [accounts] to act on (needed when it declares several).",
)


def _one(name: str | None) -> tuple[str, ...]:
    return () if name is None else (name,)


@main.command(name="import")
@click.argument("campaign_id", type=click.IntRange(min=1))
@click.option("--key", "campaign_key", help="The campaign key (file name) to use; default: from its name.")
@click.option(
    "--force", is_flag=True, help="Overwrite an existing campaign file whose key is not in the state."
)
@workspace_options
@lock_timeout_option
@one_account_option
def import_(
    campaign_id: int,
    campaign_key: str | None,
    force: bool,
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    lock_timeout: float | None,
    account_name: str | None,
) -> None:
    """Adopt an existing Woodpecker campaign: write campaigns/KEY.toml and its state record."""
    from wpsync.commands.import_ import import_command

    (account,) = resolve_accounts(
        campaigns_dir, state_dir, _one(account_name), "import", "need", api_key_file, lock_timeout, one=True
    )
    sys.exit(import_command(account, campaign_id, campaign_key, force=force, echo=echo))


@main.command()
@click.argument("key")
@workspace_options
@lock_timeout_option
@one_account_option
def forget(
    key: str,
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    lock_timeout: float | None,
    account_name: str | None,
) -> None:
    """Stop tracking KEY (Woodpecker and the file are left as they are)."""
    from wpsync.commands.forget import forget_command

    (account,) = resolve_accounts(
        campaigns_dir, state_dir, _one(account_name), "forget", "none", None, lock_timeout, one=True
    )
    sys.exit(forget_command(account.ws, key, echo=echo))


@main.command(name="force-unlock")
@click.argument("lock_id")
@campaigns_option
@state_option
@one_account_option
@click.option("--force", is_flag=True, help="Do not ask, even when the holder is still running.")
def force_unlock(
    lock_id: str, campaigns_dir: Path, state_dir: Path, account_name: str | None, force: bool
) -> None:
    """Remove the state lock LOCK_ID left by a run that died on another machine."""
    from wpsync.commands.unlock import force_unlock_command

    (account,) = resolve_accounts(
        campaigns_dir, state_dir, _one(account_name), "force-unlock", "none", one=True
    )
    sys.exit(
        force_unlock_command(
            account.ws.state,
            lock_id,
            force=force,
            interactive=sys.stdin.isatty(),
            confirm=lambda question: click.confirm(question, default=False),
            echo=echo,
        )
    )


@main.command()
@workspace_options
@account_option
def doctor(
    campaigns_dir: Path, state_dir: Path, api_key_file: Path | None, account_names: tuple[str, ...]
) -> None:
    """Check a real Woodpecker account against what wpsync expects (read-only; run it first)."""
    from wpsync.commands.doctor import doctor_command

    accounts = resolve_accounts(campaigns_dir, state_dir, account_names, "doctor", "need", api_key_file)
    sys.exit(doctor_command(accounts, echo=echo))


@main.command()
@click.argument("key")
@workspace_options
@click.option("--auto-approve", is_flag=True, help="Delete without typing the campaign's name back (for CI).")
@one_account_option
def destroy(
    key: str,
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    auto_approve: bool,
    account_name: str | None,
) -> None:
    """Delete campaign KEY in Woodpecker (not RUNNING; the name typed back to confirm). It cannot be undone."""
    from wpsync.commands.destroy import destroy_command

    (account,) = resolve_accounts(
        campaigns_dir, state_dir, _one(account_name), "destroy", "need", api_key_file, one=True
    )
    sys.exit(
        destroy_command(
            account.ws,
            account.key,
            key,
            auto_approve=auto_approve,
            interactive=sys.stdin.isatty(),
            ask_name=lambda name: str(
                click.prompt(f"Type the campaign's name ({name}) to delete it", default="")
            ),
            color=color(),
            echo=echo,
        )
    )
