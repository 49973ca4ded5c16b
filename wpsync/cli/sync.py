"""Commands that read or change Woodpecker and the state: plan, apply, import, forget, force-unlock."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click

from wpsync.cli.app import CAMPAIGNS, color, echo, main, warn
from wpsync.cli.options import (
    account_option,
    lock_timeout_option,
    plan_options,
    plan_request,
    state_option,
    warn_skipped,
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
    make_editable: bool,
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
    from wpsync.commands.plan import plan_command
    from wpsync.commands.workspace import read_api_key, workspace

    request = plan_request(offline, refresh, make_editable, leave_editable, run_after, targets)
    accounts = _accounts(campaigns_dir, api_key_file, account_names)
    if accounts:
        from wpsync.commands.fleet import members, plan_accounts

        warn_skipped([campaigns_dir], accounts)
        chosen = members(accounts, account_names, campaigns_dir, state_dir, need_keys=not offline)
        sys.exit(
            plan_accounts(
                chosen,
                request,
                output_format=output_format,
                out=out,
                detailed=detailed_exitcode,
                color=color(),
                echo=echo,
                warn=warn,
                strict=strict,
            )
        )
    warn_skipped([campaigns_dir])
    sys.exit(
        plan_command(
            workspace(campaigns_dir, state_dir),
            read_api_key(api_key_file),
            request,
            output_format=output_format,
            out=out,
            detailed=detailed_exitcode,
            color=color(),
            echo=echo,
            warn=warn,
            strict=strict,
        )
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
    make_editable: bool,
    leave_editable: bool,
    run_after: bool,
    targets: tuple[str, ...],
    auto_approve: bool,
    lock_timeout: float | None,
    account_names: tuple[str, ...],
) -> None:
    """Make Woodpecker match the campaign files (or apply a saved PLAN_FILE exactly)."""
    from wpsync.commands.apply import apply_command
    from wpsync.commands.workspace import read_api_key, workspace

    if offline:
        raise click.UsageError("apply always reads Woodpecker before changing it; --offline is for plan only")
    if plan_file is not None and targets:
        raise click.UsageError(
            "a saved plan is applied as it was made: --target goes with `wpsync plan --out`"
        )
    request = plan_request(offline, refresh, make_editable, leave_editable, run_after, targets)
    accounts = _accounts(campaigns_dir, api_key_file, account_names)
    if accounts:
        from wpsync.commands.fleet import members
        from wpsync.commands.fleet_apply import apply_accounts

        warn_skipped([campaigns_dir], accounts)
        sys.exit(
            apply_accounts(
                members(accounts, account_names, campaigns_dir, state_dir, need_keys=True),
                request,
                plan_file=plan_file,
                narrowed=bool(account_names),
                auto_approve=auto_approve,
                interactive=sys.stdin.isatty(),
                confirm=lambda: click.confirm("Apply these changes to Woodpecker?", default=False),
                color=color(),
                echo=echo,
                warn=warn,
            )
        )
    warn_skipped([campaigns_dir])
    sys.exit(
        apply_command(
            workspace(campaigns_dir, state_dir, lock_timeout=lock_timeout),
            read_api_key(api_key_file),
            request,
            plan_file=plan_file,
            auto_approve=auto_approve,
            interactive=sys.stdin.isatty(),
            confirm=lambda: click.confirm("Apply these changes to Woodpecker?", default=False),
            color=color(),
            echo=echo,
            progress_bar=_progress_bar if sys.stdout.isatty() else None,
        )
    )


def _accounts(campaigns_dir: Path, api_key_file: Path | None, account_names: tuple[str, ...]) -> Any:
    """The [accounts] of wpsync.toml ({} for the one account of old), checked against the flags."""
    from wpsync.files.accounts_config import declared

    accounts = declared(campaigns_dir)
    if accounts and api_key_file is not None:
        raise click.UsageError(
            "--api-key-file is for a single account: with [accounts] in wpsync.toml, each account's key "
            "comes from the variable its api_key_env names"
        )
    if account_names and not accounts:
        raise click.UsageError(
            "--account NAME needs [accounts.NAME] tables in wpsync.toml (beside the campaigns folder); "
            "without them there is one account"
        )
    return accounts


@contextlib.contextmanager
def _progress_bar(total: int) -> Iterator[Callable[[], None]]:
    with click.progressbar(length=total, label="Applying", show_pos=True, show_eta=True) as bar:
        yield lambda: bar.update(1)


@main.command(name="import")
@click.argument("campaign_id", type=click.IntRange(min=1))
@click.option("--key", "campaign_key", help="The campaign key (file name) to use; default: from its name.")
@click.option(
    "--force", is_flag=True, help="Overwrite an existing campaign file whose key is not in the state."
)
@workspace_options
@lock_timeout_option
def import_(
    campaign_id: int,
    campaign_key: str | None,
    force: bool,
    campaigns_dir: Path,
    state_dir: Path,
    api_key_file: Path | None,
    lock_timeout: float | None,
) -> None:
    """Adopt an existing Woodpecker campaign: write campaigns/KEY.toml and its state record."""
    from wpsync.commands.import_ import import_command
    from wpsync.commands.workspace import read_api_key, workspace

    sys.exit(
        import_command(
            workspace(campaigns_dir, state_dir, lock_timeout=lock_timeout),
            read_api_key(api_key_file),
            campaign_id,
            campaign_key,
            force=force,
            echo=echo,
        )
    )


@main.command()
@click.argument("key")
@workspace_options
@lock_timeout_option
def forget(
    key: str, campaigns_dir: Path, state_dir: Path, api_key_file: Path | None, lock_timeout: float | None
) -> None:
    """Stop tracking KEY (Woodpecker and the file are left as they are)."""
    from wpsync.commands.forget import forget_command
    from wpsync.commands.workspace import workspace

    sys.exit(forget_command(workspace(campaigns_dir, state_dir, lock_timeout=lock_timeout), key, echo=echo))


@main.command(name="force-unlock")
@click.argument("lock_id")
@state_option
def force_unlock(lock_id: str, state_dir: Path) -> None:
    """Remove the state lock LOCK_ID left by a run that died on another machine."""
    from wpsync.commands.workspace import workspace
    from wpsync.state.backend import force_unlock_state
    from wpsync.state.lock import describe

    holder = force_unlock_state(workspace(CAMPAIGNS, state_dir).state, lock_id)
    click.echo(f"Removed {describe(holder)}.")


@main.command()
@workspace_options
def doctor(campaigns_dir: Path, state_dir: Path, api_key_file: Path | None) -> None:
    """Check a real Woodpecker account against what wpsync expects (read-only; run it first)."""
    from wpsync.commands.doctor import doctor_command
    from wpsync.commands.workspace import read_api_key, workspace

    sys.exit(doctor_command(workspace(campaigns_dir, state_dir), read_api_key(api_key_file), echo=echo))


@main.command()
@click.argument("key")
@workspace_options
@click.option("--auto-approve", is_flag=True, help="Delete without typing the campaign's name back (for CI).")
def destroy(
    key: str, campaigns_dir: Path, state_dir: Path, api_key_file: Path | None, auto_approve: bool
) -> None:
    """Delete campaign KEY in Woodpecker (not RUNNING; the name typed back to confirm). It cannot be undone."""
    from wpsync.commands.destroy import destroy_command
    from wpsync.commands.workspace import read_api_key, workspace

    sys.exit(
        destroy_command(
            workspace(campaigns_dir, state_dir),
            read_api_key(api_key_file),
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
