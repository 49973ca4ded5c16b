"""Test hooks under ``/_emulator``: seed data, force states, inject faults, read the request log.

Each hook acts on the account named by the request's ``x-api-key`` (an unknown key gets the usual 401)
except ``reset``, which empties every account. Hooks bypass the gate on purpose: they are neither rate
limited nor logged nor subject to faults, so a test can arrange and inspect without disturbing what
it measures. Bodies are checked as strictly as the API's, so a typo in a test fails loudly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from wpsync.emulator import payload
from wpsync.emulator.gate import resolve_account
from wpsync.emulator.payload import sample_campaign
from wpsync.emulator.prospects import PROSPECTS_TOTAL_FORMS
from wpsync.emulator.runtime import (
    DEFAULT_TIMEOUT_SECONDS,
    EMPTY_LIST_FORMS,
    FAULT_KINDS,
    MAX_FAULT_COUNT,
    MAX_FAULT_SECONDS,
    MAX_LATENCY_SECONDS,
    Emulator,
    Fault,
)
from wpsync.emulator.stats import CAMPAIGN_COUNTERS, EMAIL_COUNTERS
from wpsync.emulator.store import (
    CONDITIONAL_ERROR,
    LEVELS,
    MAILBOX_TYPES,
    SESSION_STATUSES,
    STATUSES,
    Account,
    Campaign,
    LinkedInAccount,
    Mailbox,
)
from wpsync.emulator.web import (
    Router,
    campaign_not_found,
    input_failure,
    parse_id,
    parse_json,
    route,
    step_not_found,
)

DISCONNECTED_ERROR = "SMTP connection failed: authentication rejected"

Check = Callable[[object], bool]


def _int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@dataclass(frozen=True)
class _Bounded:
    """A number from 0 to ``limit`` (an integer if ``whole``); a refusal names the limit."""

    limit: float
    whole: bool = False

    def __call__(self, value: object) -> bool:
        if isinstance(value, bool) or not isinstance(value, int if self.whole else int | float):
            return False
        return 0 <= value <= self.limit


def _connected(value: object) -> bool:
    return isinstance(value, bool) or value == "conditional"


def _counters(names: tuple[str, ...]) -> Check:
    def check(value: object) -> bool:
        return isinstance(value, dict) and all(k in names and _count(v) for k, v in value.items())

    return check


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value)


def _flag(value: object) -> bool:
    return isinstance(value, bool)


def _one_of(options: tuple[str, ...]) -> Check:
    return lambda value: value in options


async def _read(request: Request, required: Mapping[str, Check], optional: Mapping[str, Check]) -> Any:
    """The body as a dict, or a 400 response naming every bad field."""
    body, error = parse_json(await request.body())
    if error:
        return input_failure(error)
    if not isinstance(body, dict):
        return input_failure("the body must be a JSON object")
    problems = [f"{key}: unknown field" for key in body if key not in required and key not in optional]
    problems += [f"{key}: is required" for key in required if key not in body]
    checks = {**required, **optional}
    for key, value in body.items():
        check = checks.get(key)
        if check is not None and not check(value):
            limit = f" (from 0 to {check.limit:g})" if isinstance(check, _Bounded) else ""
            problems.append(f"{key}: invalid value {value!r}{limit}")
    return input_failure("; ".join(problems)) if problems else body


class Hooks:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        campaign = "/_emulator/campaigns/{campaign_id}"
        self.router = Router(
            [
                route("POST", "/_emulator/reset", self.reset),
                route("POST", "/_emulator/mailboxes", self.mailbox),
                route("POST", "/_emulator/linkedin_accounts", self.linkedin_account),
                route("POST", f"{campaign}/status", self.status),
                route("POST", f"{campaign}/steps/{{step_id}}/processed", self.processed),
                route("POST", f"{campaign}/steps/{{step_id}}/stats", self.step_stats),
                route("POST", f"{campaign}/stats", self.campaign_stats),
                route("POST", f"{campaign}/flags", self.flags),
                route("POST", "/_emulator/companies", self.company),
                route("POST", "/_emulator/empty_list", self.empty_list),
                route("POST", "/_emulator/prospects_total", self.prospects_total),
                route("POST", "/_emulator/linkedin_append", self.linkedin_append),
                route("POST", "/_emulator/sample_campaign", self.sample_campaign),
                route("POST", "/_emulator/latency", self.latency),
                route("POST", "/_emulator/faults", self.fault),
                route("GET", "/_emulator/requests", self.requests),
                route("DELETE", "/_emulator/requests", self.clear_requests),
            ]
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Hooks act for the same account the API would: the key's, or its client company's.
        account = resolve_account(self.emulator.store, scope)
        if isinstance(account, Response):
            await account(scope, receive, send)
            return
        scope["wpsync.account"] = account
        await self.router(scope, receive, send)

    def account(self, request: Request) -> Account:
        return self.emulator.store.account(request.scope["wpsync.account"])

    def _campaign(self, request: Request) -> Campaign | None:
        campaign_id = parse_id(request.path_params["campaign_id"])
        return None if campaign_id is None else self.account(request).campaigns.get(campaign_id)

    def saved(self, content: Any) -> JSONResponse:
        self.emulator.store.save()
        return JSONResponse(content)

    async def reset(self, request: Request) -> Response:
        self.emulator.reset()
        return JSONResponse({"reset": True})

    async def mailbox(self, request: Request) -> Response:
        body = await _read(
            request,
            {"id": _int, "email": _text, "connected": _connected},
            {"type": _one_of(MAILBOX_TYPES), "error": _text, "imap_id": _int},
        )
        if isinstance(body, Response):
            return body
        connected = body["connected"]
        if connected == "conditional":
            error: str | None = CONDITIONAL_ERROR  # still sends [doc]
        else:
            error = None if connected else body.get("error", DISCONNECTED_ERROR)
        box = Mailbox(body["id"], body["email"], body.get("type", "SMTP"), error, body.get("imap_id"))
        self.account(request).mailboxes[box.id] = box
        return self.saved(payload.render_mailbox(box))

    async def linkedin_account(self, request: Request) -> Response:
        body = await _read(
            request,
            {"id": _int, "full_name": _text},
            {"session_status": _one_of(SESSION_STATUSES), "level": _one_of(LEVELS), "linkedin_url": _text},
        )
        if isinstance(body, Response):
            return body
        linkedin = LinkedInAccount(**body)
        self.account(request).linkedin_accounts[linkedin.id] = linkedin
        return self.saved(linkedin.render())

    async def status(self, request: Request) -> Response:
        body = await _read(request, {"status": _one_of(STATUSES)}, {})
        if isinstance(body, Response):
            return body
        campaign = self._campaign(request)
        if campaign is None:
            return campaign_not_found()
        campaign.status = body["status"]  # any status, from any status: this is a hook
        return self.saved({"id": campaign.id, "status": campaign.status})

    async def processed(self, request: Request) -> Response:
        body = await _read(request, {"count": _count}, {})
        if isinstance(body, Response):
            return body
        campaign = self._campaign(request)
        if campaign is None:
            return campaign_not_found()
        step = campaign.step(request.path_params["step_id"])
        if step is None:
            return step_not_found()
        step.processed = body["count"]
        return self.saved({"campaign_id": campaign.id, "step_id": step.id, "processed": step.processed})

    async def step_stats(self, request: Request) -> Response:
        body = await _read(request, {"counters": _counters(EMAIL_COUNTERS)}, {})
        if isinstance(body, Response):
            return body
        campaign = self._campaign(request)
        if campaign is None:
            return campaign_not_found()
        step = campaign.step(request.path_params["step_id"])
        if step is None or step.type != "EMAIL":
            return step_not_found()  # only EMAIL steps have an ``emails`` entry
        step.stats.update(body["counters"])
        return self.saved({"campaign_id": campaign.id, "step_id": step.id, "counters": step.stats})

    async def campaign_stats(self, request: Request) -> Response:
        body = await _read(request, {"counters": _counters(CAMPAIGN_COUNTERS)}, {})
        if isinstance(body, Response):
            return body
        campaign = self._campaign(request)
        if campaign is None:
            return campaign_not_found()
        campaign.stats.update(body["counters"])
        return self.saved({"campaign_id": campaign.id, "counters": campaign.stats})

    async def flags(self, request: Request) -> Response:
        body = await _read(request, {}, {"unsupported": _flag, "in_workflow": _flag})
        if isinstance(body, Response):
            return body
        campaign = self._campaign(request)
        if campaign is None:
            return campaign_not_found()
        campaign.unsupported = body.get("unsupported", campaign.unsupported)
        campaign.in_workflow = body.get("in_workflow", campaign.in_workflow)
        return self.saved(
            {"id": campaign.id, "unsupported": campaign.unsupported, "in_workflow": campaign.in_workflow}
        )

    async def company(self, request: Request) -> Response:
        body = await _read(request, {"id": _int, "name": _text}, {})
        if isinstance(body, Response):
            return body
        if ":" in request.scope["wpsync.account"]:
            return input_failure("x-company-id: companies are added to the HQ account itself")
        self.account(request).companies[body["id"]] = body["name"]
        return self.saved({"id": body["id"], "name": body["name"]})

    async def empty_list(self, request: Request) -> Response:
        body = await _read(request, {"form": _one_of(EMPTY_LIST_FORMS)}, {})
        if isinstance(body, Response):
            return body
        self.emulator.controls_for(request.scope["wpsync.account"]).empty_list = body["form"]
        return JSONResponse({"form": body["form"]})

    async def prospects_total(self, request: Request) -> Response:
        body = await _read(request, {"form": _one_of(PROSPECTS_TOTAL_FORMS)}, {})
        if isinstance(body, Response):
            return body
        self.emulator.controls_for(request.scope["wpsync.account"]).prospects_total = body["form"]
        return JSONResponse({"form": body["form"]})

    async def linkedin_append(self, request: Request) -> Response:
        body = await _read(request, {"accepted": _flag}, {})
        if isinstance(body, Response):
            return body
        self.emulator.controls_for(request.scope["wpsync.account"]).linkedin_append = body["accepted"]
        return JSONResponse({"accepted": body["accepted"]})

    async def sample_campaign(self, request: Request) -> Response:
        campaign = sample_campaign(self.emulator.store.new_campaign_id())
        self.account(request).campaigns[campaign.id] = campaign
        return self.saved({"id": campaign.id, "name": campaign.name, "unsupported": True})

    async def latency(self, request: Request) -> Response:
        body = await _read(request, {"seconds": _Bounded(MAX_LATENCY_SECONDS)}, {})
        if isinstance(body, Response):
            return body
        self.emulator.controls_for(request.scope["wpsync.account"]).latency = float(body["seconds"])
        return JSONResponse({"seconds": float(body["seconds"])})

    async def fault(self, request: Request) -> Response:
        body = await _read(
            request,
            {"kind": _one_of(FAULT_KINDS)},
            {
                "count": _Bounded(MAX_FAULT_COUNT, whole=True),
                "method": _text,
                "path_prefix": _text,
                "seconds": _Bounded(MAX_FAULT_SECONDS),
            },
        )
        if isinstance(body, Response):
            return body
        fault = Fault(
            kind=body["kind"],
            count=body.get("count", 1),
            method=body["method"].upper() if "method" in body else None,
            path_prefix=body.get("path_prefix"),
            seconds=float(body.get("seconds", DEFAULT_TIMEOUT_SECONDS)),
        )
        controls = self.emulator.controls_for(request.scope["wpsync.account"])
        if fault.count > 0:
            controls.faults.append(fault)
        return JSONResponse({"armed": [f.as_json() for f in controls.faults]})

    async def requests(self, request: Request) -> Response:
        return JSONResponse(list(self.emulator.controls_for(request.scope["wpsync.account"]).requests))

    async def clear_requests(self, request: Request) -> Response:
        self.emulator.controls_for(request.scope["wpsync.account"]).requests.clear()
        return JSONResponse({"cleared": True})
