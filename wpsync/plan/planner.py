"""make_plan: a pure function from values (files, state, remote facts, options) to a Plan.

No clients, paths or clocks come in, so every decision is tested without mocks. The shell
(commands/plan.py) loads the inputs and refreshes from the API only the facts a decision needs.
One recorded campaign is planned by ``wpsync.plan.existing``; this module covers the fleet: creates,
renames, the account check, and the notes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from wpsync.limits import CONNECTION_NOTE_MAX_CLASSIC
from wpsync.plan.actions import Action, AppendStep, CreateCampaign, SetStatus
from wpsync.plan.desired import Desired, Unchanged
from wpsync.plan.duplicates import adopt_notes, duplicate, renames
from wpsync.plan.facts import Facts, Unreadable, account_label, same_account
from wpsync.plan.plan import Binding, Note, Plan, Refreshed, Refusal
from wpsync.plan.twin_records import twin_records
from wpsync.state.records import Applied, CampaignRecord

MANY_MISSING = 2  # this many recorded campaigns missing at once points at the key, not at deletions


@dataclass(frozen=True)
class PlanOptions:
    make_editable: bool | None = None  # --make-editable / --no-make-editable (None: the policy decides)
    leave_editable: bool = False
    live_policy: bool = False  # wpsync.toml's [apply] make_editable
    offline: bool = False
    report_drift: bool = False  # --refresh=all
    refreshed: Refreshed = "none"  # what Woodpecker was asked (plan.Plan.refreshed)
    recorded_account: str | None = None  # the account the state belongs to, if recorded
    state_records: int | None = None  # records in the whole state (None: those given; --target gives fewer)
    other_workspaces: Mapping[str, int] = field(default_factory=dict)  # PostgreSQL: workspace → records
    local_records: int = 0  # PostgreSQL: records in a state/ folder beside the campaigns (to push)
    account_name: str | None = None  # a declared account ([accounts.NAME]): commands name it


def make_plan(
    files: Sequence[Desired | Unchanged],
    records: Mapping[str, CampaignRecord],
    applied: Mapping[str, Applied],
    facts: Facts,
    options: PlanOptions,
    *,
    lineage: str | None,
    tool_version: str,
) -> Plan:
    actions: list[Action] = []
    refusals: list[Refusal] = []
    notes: list[Note] = []
    unchanged = 0
    on_disk = {f.key for f in files}
    twins = twin_records(files, records, applied, on_disk)
    refusals.extend(twins.refusals)
    # Records of a damaged state are no orphans to rename, and a file like them is no rename either.
    found = renames(files, records, applied, options.account_name, blocked=twins.blocked)
    moves = list(found.moves)
    moved_to = {m.new_key: m for m in moves}
    mismatch = bool(
        options.recorded_account
        and facts.account
        and not same_account(facts.account, options.recorded_account)
    )
    if mismatch:
        assert options.recorded_account is not None and facts.account is not None
        # A key of another account makes every recorded campaign look deleted and every name look free:
        # this one refusal says why, and the deleted / duplicate / forget advice it would cause is left out.
        refusals.append(
            Refusal(
                "",
                "",
                "account_mismatch",
                None,
                f"this state belongs to Woodpecker account {account_label(options.recorded_account)}; "
                f"the API key is for {account_label(facts.account)}",
                "use the key (and WOODPECKER_API_URL) of the account the state belongs to; nothing was "
                "compared with this account's campaigns",
            )
        )
        facts = Facts(account=facts.account)
    missing = [k for k, remote in facts.campaigns.items() if remote is None]
    for item in sorted(() if mismatch else files, key=lambda f: f.key):
        if item.key in twins.blocked:
            continue  # a damaged state: the refusal above says which record to forget
        if item.key in facts.unreadable and (record := records.get(item.key)) is not None:
            # Named in every plan that tried to read it (`--refresh all` of an unchanged file too).
            notes.append(_unreadable(item.key, record, facts.unreadable[item.key]))
            continue
        if isinstance(item, Unchanged) or item.key in moved_to:
            unchanged += 1  # its record is not even looked up: gather may not have read it
            continue
        record = records.get(item.key)
        if record is None:
            if item.key in found.refusals:
                refusals.append(found.refusals[item.key])
                continue
            invalid = _check_accounts(item, facts, notes)
            refusals.extend(invalid)
            same_name = duplicate(item, facts.untracked, options.account_name)
            if isinstance(same_name, Refusal):
                refusals.append(same_name)
            elif same_name is not None:
                notes.append(same_name)
            if not invalid and not isinstance(same_name, Refusal):
                actions.append(
                    CreateCampaign(
                        item.key, item.file, item.create_packed, item.head, item.head_hash, item.step_hashes
                    )
                )
                actions.extend(_launch(item, notes))
            continue
        if item.key in facts.campaigns and facts.campaigns[item.key] is None:
            refusals.append(_missing(item, record, len(missing), len(facts.campaigns)))
            continue
        # Loaded for the first changed recorded campaign: a plan of unchanged ones never needs the diff
        # and the edit planner (a tenth of a no-change plan's instructions).
        from wpsync.plan.existing import Options, plan_existing

        planned = plan_existing(
            item,
            record,
            applied.get(item.key),
            facts.campaigns.get(item.key),
            Options(live_edits(options, item), options.leave_editable, facts.mailboxes),
        )
        if any(isinstance(a, AppendStep) for a in planned.actions) and (
            wrong := linkedin_refusals(item, facts, len(record.content_steps))
        ):
            planned.actions, planned.refusals = [], [*planned.refusals, *wrong]
        if not planned.actions and not planned.refusals:
            unchanged += 1
        actions.extend(planned.actions)
        refusals.extend(planned.refusals)
        notes.extend(planned.notes)
    gone = {m.old_key for m in moves} | found.candidates
    for key in sorted(set(records) - on_disk - gone - twins.blocked):
        if key in facts.unreadable:
            notes.append(_unreadable(key, records[key], facts.unreadable[key]))
        notes.append(
            Note(
                key,
                "unmanaged",
                f"{key}: no campaign file any more; campaign {records[key].campaign_id} stays in Woodpecker "
                f"untouched (wpsync never deletes on its own). `wpsync forget {key}` stops tracking it; "
                f"`wpsync destroy {key}` deletes it.",
            )
        )
    notes.extend(
        Note(
            m.new_key,
            "moved",
            f"{m.old_key} → {m.new_key}: the file was renamed; campaign "
            f"{m.campaign_id} keeps its id (no call)",
        )
        for m in moves
    )
    if options.report_drift:
        notes.extend(_drift_notes(records, facts))
    state_records = len(records) if options.state_records is None else options.state_records
    notes.extend(adopt_notes(state_records, facts.untracked, options.other_workspaces, options.local_records))
    if options.offline:
        notes.append(Note("", "offline", "planned offline from the recorded state; Woodpecker was not asked"))
    known = {f.key: f.serial for f in files if isinstance(f, Unchanged) and f.serial is not None}
    binding = Binding(
        lineage=lineage,
        serials={key: known[key] if key in known else records[key].serial for key in sorted(records)}
        | {f.key: 0 for f in files if f.key not in records},
        digests={f.key: f.digest for f in sorted(files, key=lambda f: f.key)},
        tool_version=tool_version,
    )
    return Plan(
        actions=tuple(actions),
        refusals=tuple(refusals),
        notes=tuple(notes),
        binding=binding,
        offline=options.offline,
        unchanged=unchanged,
        options={
            "make_editable": bool(
                options.make_editable or (options.make_editable is None and options.live_policy)
            ),
            "leave_editable": options.leave_editable,
        },
        moves=tuple(moves),
        account=facts.account,
        names=facts.names,
        refreshed=options.refreshed,
    )


def live_edits(options: PlanOptions, desired: Desired) -> bool:
    """Whether this campaign may be made EDITED for its edits: the flag, else the file's own
    ``make_editable``, else wpsync.toml's ``[apply] make_editable``."""
    if options.make_editable is not None:
        return options.make_editable
    if desired.make_editable is not None:
        return desired.make_editable
    return options.live_policy


def _launch(desired: Desired, notes: list[Note]) -> list[Action]:
    """A new campaign is created in DRAFT; a file asking for RUNNING has it run right after."""
    if desired.status == "RUNNING":
        return [SetStatus(desired.key, desired.file, 0, "RUNNING", "")]
    if desired.status in ("PAUSED", "STOPPED"):
        notes.append(
            Note(
                desired.key,
                "status",
                f"{desired.key}: a new campaign is created in DRAFT and cannot be {desired.status} before it "
                f'has run; it stays DRAFT: write status = "RUNNING" to launch it, or "DRAFT"',
            )
        )
    return []


def _unreadable(key: str, record: CampaignRecord, problem: Unreadable) -> Note:
    return Note(
        key,
        "unreadable",
        f"{key}: Woodpecker would not read campaign {record.campaign_id} ({problem.code}: "
        f"{problem.message}); it is left untouched — edit it in Woodpecker's app, or `wpsync forget {key}`",
    )


def _missing(item: Desired, record: CampaignRecord, missing: int, read: int) -> Refusal:
    if missing >= MANY_MISSING:
        return Refusal(
            item.key,
            item.file,
            "remote_missing",
            None,
            f"campaign {record.campaign_id} is not found, nor are {missing - 1} other recorded campaign(s) "
            f"of the {read} read: the API key or WOODPECKER_API_URL is most likely for another account",
            "check the key and URL; do not `wpsync forget` (that would create the campaigns again in this account)",
        )
    return Refusal(
        item.key,
        item.file,
        "remote_missing",
        None,
        f"campaign {record.campaign_id} no longer exists in Woodpecker",
        f"if it was deleted on purpose, `wpsync forget {item.key}` and plan again to create it anew; "
        "if not, check the API key belongs to the account that owns it",
    )


def _check_accounts(desired: Desired, facts: Facts, notes: list[Note]) -> list[Refusal]:
    """A create the API would refuse with 409 (unknown mailbox or LinkedIn account) is refused here
    first; a mailbox that reports a problem is noted, and the create call decides."""
    found: list[Refusal] = []

    def refuse(reason: str, way_out: str, step: int | None = None) -> None:
        found.append(Refusal(desired.key, desired.file, "account_invalid", step, reason, way_out))

    if facts.mailboxes is not None:
        for mailbox in desired.head["email_account_ids"]:
            if mailbox not in facts.mailboxes:
                refuse(
                    f"mailbox {mailbox} is not an SMTP mailbox of this Woodpecker account",
                    "use an id from GET /v2/mailboxes (type SMTP)",
                )
            elif facts.mailboxes[mailbox]:
                problem = facts.mailboxes[mailbox]
                notes.append(
                    Note(
                        desired.key,
                        "warning",
                        f"{desired.key}: mailbox {mailbox} reports {problem!r}; Woodpecker decides at create "
                        "(a mailbox connected conditionally still sends)",
                    )
                )
    return found + linkedin_refusals(desired, facts)


def linkedin_refusals(desired: Desired, facts: Facts, first: int = 0) -> list[Refusal]:
    """LINKEDIN steps from ``first`` on (all of a create, the appended ones of a recorded campaign)
    whose LinkedIn account the API would refuse with 409, refused before any call."""
    found: list[Refusal] = []

    def refuse(reason: str, way_out: str, step: int | None = None) -> None:
        found.append(Refusal(desired.key, desired.file, "account_invalid", step, reason, way_out))

    if facts.linkedin is not None:
        for use in desired.linkedin:
            if use.index < first:
                continue
            index, account, longest = use.index, use.account_id, use.longest_note
            if account not in facts.linkedin:
                refuse(
                    f"LinkedIn account {account} does not exist in this Woodpecker account",
                    "use an id from GET /v2/linkedin_accounts",
                    index + 1,
                )
                continue
            session, level = facts.linkedin[account]
            if session != "CONNECTED":
                refuse(
                    f"LinkedIn account {account} is {session}",
                    "reconnect it in Woodpecker, or use another account",
                    index + 1,
                )
            if use.action_type == "CONNECTION_REQUEST" and level == "CLASSIC" and longest > 200:
                refuse(
                    f"a connection note of {longest} characters; CLASSIC LinkedIn accounts allow "
                    f"{CONNECTION_NOTE_MAX_CLASSIC}",
                    "shorten the note, or use a SALES_NAVIGATOR account",
                    index + 1,
                )
    return found


def _drift_notes(records: Mapping[str, CampaignRecord], facts: Facts) -> list[Note]:
    notes: list[Note] = []
    for key in sorted(records):
        if key not in facts.campaigns:
            continue
        record, remote = records[key], facts.campaigns[key]
        if remote is None:
            notes.append(
                Note(key, "drift", f"{key}: campaign {record.campaign_id} was deleted in Woodpecker")
            )
            continue
        if remote.status != record.status:
            notes.append(
                Note(key, "drift", f"{key}: status changed in Woodpecker: {record.status} → {remote.status}")
            )
    return notes
