"""The plan's JSON form: a documented, stable schema (docs/plan-format.md), and back."""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any

from wpsync.plan import summary
from wpsync.plan.actions import ACTION_KINDS, Action, CreateCampaign, FieldChange, pack
from wpsync.plan.facts import Names
from wpsync.plan.forecast import forecast_from_json, forecast_json, load_from_json, load_json
from wpsync.plan.plan import Binding, Moved, Note, Plan, Refreshed, Refusal

JSON = dict[str, Any]
PLAN_FORMAT = 1


def to_json(plan: Plan) -> JSON:
    c = plan.counts()
    return {
        "format_version": PLAN_FORMAT,
        "summary": {**c, "text": plan.summary(), "unchanged": plan.unchanged},
        "offline": plan.offline,
        "options": dict(plan.options),
        "targets": list(plan.targets),
        "actions": [_action_json(a) for a in plan.actions],
        "moves": [asdict(m) for m in plan.moves],
        "refused": [asdict(r) for r in plan.refusals],
        "notes": [asdict(n) for n in plan.notes],
        "binding": asdict(plan.binding),
        "account": plan.account,
        "forecasts": [forecast_json(f) for f in plan.forecasts],
        "mailboxes": [load_json(m) for m in plan.mailboxes],
        "campaigns": summary.to_json(plan),
        "names": _names_json(plan.names),
        "refreshed": plan.refreshed,
    }


def _names_json(names: Names | None) -> JSON | None:
    if names is None:
        return None
    return {
        "mailboxes": {str(k): v for k, v in sorted(names.mailboxes.items())},
        "linkedin": {str(k): v for k, v in sorted(names.linkedin.items())},
        "read_at": names.read_at,
    }


def _names_from_json(data: Any) -> Names | None:
    if not isinstance(data, dict):
        return None
    return Names(
        mailboxes={int(k): str(v) for k, v in dict(data.get("mailboxes") or {}).items()},
        linkedin={int(k): str(v) for k, v in dict(data.get("linkedin") or {}).items()},
        read_at=str(data.get("read_at") or ""),
    )


def _action_json(action: Action) -> JSON:
    data = asdict(action)
    if isinstance(action, CreateCampaign):  # the documented form carries the body itself
        del data["body_packed"]
        data = {
            "kind": data.pop("kind"),
            "key": data.pop("key"),
            "file": data.pop("file"),
            "body": action.body,
        } | data
    return data


def from_json(data: JSON) -> Plan:
    """A saved plan back into a value; raises KeyError/TypeError/ValueError on a malformed one."""
    if data.get("format_version") != PLAN_FORMAT:
        raise ValueError(f"plan format {data.get('format_version')!r} is not {PLAN_FORMAT}")
    actions = tuple(_action_from_json(raw) for raw in data["actions"])
    refusals = tuple(
        Refusal(**{**r, "changes": tuple(FieldChange(**c) for c in r["changes"])}) for r in data["refused"]
    )
    return Plan(
        actions=actions,
        refusals=refusals,
        notes=tuple(Note(**n) for n in data["notes"]),
        binding=Binding(**data["binding"]),
        offline=bool(data["offline"]),
        unchanged=int(data["summary"]["unchanged"]),
        options=dict(data.get("options", {})),
        moves=tuple(Moved(**m) for m in data.get("moves", [])),
        account=data.get("account"),
        targets=tuple(data.get("targets", ())),
        # Plans saved before forecasts existed have none: they apply the same.
        forecasts=tuple(forecast_from_json(f) for f in data.get("forecasts", ())),
        mailboxes=tuple(load_from_json(m) for m in data.get("mailboxes", ())),
        names=_names_from_json(data.get("names")),
        refreshed=_refreshed(data.get("refreshed")),
    )


def _refreshed(value: object) -> Refreshed:
    if value == "all":
        return "all"
    return "changed" if value == "changed" else "none"  # a plan saved before this field: claim nothing


def _action_from_json(raw: JSON) -> Action:
    cls = ACTION_KINDS[raw["kind"]]
    values = dict(raw)
    if cls is CreateCampaign:
        from wpsync.files.to_api import compact_json  # loads the models: only a saved plan needs it

        values["body_packed"] = pack(compact_json(values.pop("body")))
    for spec in fields(cls):
        if spec.name == "changes":
            values["changes"] = tuple(FieldChange(**c) for c in values.get("changes", ()))
        elif spec.name == "step_hashes":
            values["step_hashes"] = tuple(values["step_hashes"])
    return cls(**values)
