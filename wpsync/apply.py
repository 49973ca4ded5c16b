"""apply: make Woodpecker match the plan, one API call per action, the state recorded after each.

This is the only code that both calls the API and writes state. Before an append it re-reads what the
call depends on (status, the last step, its processed prospects), so a plan made minutes ago cannot
append after a step that has since started sending. An API error stops the run with the state true to
what happened: every call that succeeded is recorded, nothing else is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import assert_never

from wpsync import __version__
from wpsync.client import WoodpeckerClient
from wpsync.errors import ChangesRefused, WpsyncError
from wpsync.plan import Action, AppendStep, CreateCampaign, MakeEditable, Plan, RunCampaign
from wpsync.planner import EDITABLE
from wpsync.refresh import read_remote
from wpsync.remote import read_steps
from wpsync.state import Applied, CampaignRecord, StateDir


@dataclass
class ApplyReport:
    calls: int = 0
    created: int = 0
    appended: int = 0
    warnings: list[str] | None = None


class ApplyStopped(WpsyncError):
    """An action failed; the state holds every call that succeeded before it."""


def apply_plan(
    plan: Plan,
    state: StateDir,
    client: WoodpeckerClient,
    *,
    progress: Callable[[str], None],
) -> ApplyReport:
    if plan.refusals:
        raise ChangesRefused(
            f"the plan refuses {len(plan.refusals)} change(s); resolve them and plan again — nothing was applied"
        )
    lineage = state.lineage(create=True)
    assert lineage is not None
    report = ApplyReport(warnings=[])
    total = len(plan.actions)
    for number, action in enumerate(plan.actions, start=1):
        progress(f"[{number}/{total}] {_label(action)} …")
        try:
            digest = plan.binding.digests.get(action.key, "")
            note = _apply_one(action, state, client, lineage, report, digest)
        except WpsyncError as exc:
            done = number - 1
            raise ApplyStopped(
                f"{_label(action)} failed: {exc.message} — {done} of {total} change(s) were applied and "
                "recorded; fix the cause and run apply again (it continues from here)"
            ) from None
        report.calls += 1
        progress(f"[{number}/{total}] {_label(action)}: {note}")
    _record_digests(plan, state)
    return report


def _label(action: Action) -> str:
    match action:
        case CreateCampaign():
            return f"create campaign {action.key}"
        case AppendStep():
            return f"append step {action.position} to {action.key} (campaign {action.campaign_id})"
        case MakeEditable():
            return f"make {action.key} (campaign {action.campaign_id}) editable"
        case RunCampaign():
            return f"run {action.key} (campaign {action.campaign_id})"
        case _:
            assert_never(action)


def _apply_one(
    action: Action, state: StateDir, client: WoodpeckerClient, lineage: str, report: ApplyReport, digest: str
) -> str:
    match action:
        case CreateCampaign():
            return _create(action, state, client, lineage, report, digest)
        case AppendStep():
            return _append(action, state, client, report)
        case MakeEditable():
            record = _recorded(state, action.key)
            client.make_editable(action.campaign_id)
            state.write(record.bumped(status="EDITED"))
            return "now EDITED"
        case RunCampaign():
            record = _recorded(state, action.key)
            client.run(action.campaign_id)
            state.write(record.bumped(status="RUNNING"))
            return "now RUNNING"
        case _:
            assert_never(action)


def _recorded(state: StateDir, key: str) -> CampaignRecord:
    record = state.read(key)
    if record is None:
        raise WpsyncError(f"{key} is not in the state any more; plan again")
    return record


def _create(
    action: CreateCampaign,
    state: StateDir,
    client: WoodpeckerClient,
    lineage: str,
    report: ApplyReport,
    digest: str,
) -> str:
    if state.read(action.key) is not None:
        raise WpsyncError(f"{action.key} is already recorded; plan again")
    payload = client.create_campaign(action.body)
    steps = read_steps(payload)
    record = CampaignRecord(
        key=action.key,
        lineage=lineage,
        serial=1,
        campaign_id=int(payload["id"]),
        status=str(payload.get("status", "DRAFT")),
        head_hash=action.head_hash,
        steps=steps.records,
        source_digest=digest,  # a create makes the whole campaign: it matches its file at once
        tool_version=__version__,
    )
    state.write(record, Applied(head=action.head, steps=steps.contents))
    if steps.hashes != action.step_hashes:
        _warn(
            report,
            f"{action.key}: Woodpecker holds the steps differently than sent; the next plan will show it",
        )
    report.created += 1
    return f"created campaign {record.campaign_id}"


def _append(action: AppendStep, state: StateDir, client: WoodpeckerClient, report: ApplyReport) -> str:
    record = _recorded(state, action.key)
    if len(record.content_steps) != action.parent_position:
        raise WpsyncError(
            f"{action.key} has {len(record.content_steps)} recorded steps, the plan expected "
            f"{action.parent_position}; plan again"
        )
    remote = read_remote(client, record.campaign_id)
    if remote is None:
        raise WpsyncError(f"campaign {record.campaign_id} no longer exists in Woodpecker")
    if remote.step_ids[-1] != record.last_step_id or remote.step_hashes != tuple(
        s.hash for s in record.content_steps
    ):
        raise WpsyncError(f"campaign {record.campaign_id} changed in Woodpecker since the plan; plan again")
    if remote.status not in EDITABLE:
        raise WpsyncError(
            f"campaign {record.campaign_id} is {remote.status}; steps can be added only in DRAFT or EDITED "
            "(plan again with --make-editable)"
        )
    if remote.last_step_processed > 0:
        raise WpsyncError(
            f"the last step of campaign {record.campaign_id} has processed {remote.last_step_processed} "
            "prospect(s) since the plan; a step cannot be linked after it"
        )
    payload = client.add_step(record.campaign_id, {"parent_id": record.last_step_id, "step": action.step})
    steps = read_steps(payload)
    if (
        steps.records[: len(record.steps)] != record.steps[: len(steps.records)]
        or len(steps.records) != len(record.steps) + 1
    ):
        _warn(report, f"{action.key}: Woodpecker's answer does not extend the recorded steps by one")
    applied = state.read_applied(action.key)
    contents = (applied.steps if applied else ()) + (steps.contents[-1],)
    head = applied.head if applied else {}
    state.write(
        record.bumped(
            steps=steps.records, status=str(payload.get("status", record.status)), source_digest=""
        ),
        Applied(head=head, steps=contents),
    )
    if steps.hashes[-1] != action.step_hash:
        _warn(report, f"{action.key}: Woodpecker holds step {action.position} differently than sent")
    report.appended += 1
    return f"step {steps.records[-1].id} added"


def _warn(report: ApplyReport, message: str) -> None:
    assert report.warnings is not None
    report.warnings.append(message)


def _record_digests(plan: Plan, state: StateDir) -> None:
    """Every campaign the plan covered now matches its file: remember the file's digest, so the next
    plan knows it unchanged without parsing it."""
    for key, digest in plan.binding.digests.items():
        record = state.read(key)
        if record is not None and (record.source_digest != digest or record.tool_version != __version__):
            state.write(replace(record.bumped(), source_digest=digest, tool_version=__version__))
