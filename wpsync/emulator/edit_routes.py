"""The edit endpoints (PATCH campaign / step / version, DELETE step / campaign), as strict as create:
the status gate, the same validation, the step-delete rules (api-notes.md, "Campaign endpoints beyond
the two specs")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from wpsync.emulator import payload
from wpsync.emulator.checks import mailbox_conflicts, note_conflict
from wpsync.emulator.routes import (
    EDITABLE,
    Routes,
    unsupported_media_type,
)
from wpsync.emulator.step_rules import DAYS
from wpsync.emulator.store import Campaign, Step
from wpsync.emulator.validation import (
    validate_patch_campaign,
    validate_patch_step,
    validate_patch_version,
)
from wpsync.emulator.web import (
    campaign_in_workflow,
    input_failure,
    is_json,
    not_editable_status,
    parse_json,
    step_not_deletable,
    step_not_found,
    validation_failure,
    version_not_found,
)

# [doc, newer] The version-PATCH page types ``subject`` as a string ("" makes a follow-up in the same
# thread); an older copy said string/null. A partial update reads ``null`` as "leave it unchanged", so
# the emulator does too: a client sending null to clear a subject sees it kept, as it would live.
NULL_IS_UNCHANGED = True


class EditRoutes(Routes):
    async def _checked(
        self, request: Request, validate: Callable[[Any], list[Any]]
    ) -> tuple[Campaign, Any] | Response:
        """The campaign and a valid body, or the answer, in the order the checks answer: a bad id (400),
        the body (415, 400), its schema (400), then an unknown or unsupported campaign (404, 409)."""
        found = self.editable(request)
        if isinstance(found, JSONResponse) and found.status_code == 400:
            return found
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        problems = validate(body)
        if problems:
            return input_failure("; ".join(p.render() for p in problems))
        if isinstance(found, JSONResponse):
            return found
        return found, body

    async def patch_campaign(self, request: Request) -> Response:
        checked = await self._checked(request, validate_patch_campaign)
        if isinstance(checked, Response):
            return checked
        found, body = checked
        campaign = found
        ids = body.get("email_account_ids")
        if ids == [] and any(s.type == "EMAIL" for s in campaign.steps):
            return input_failure(
                "email_account_ids: must name at least one mailbox when the campaign has an EMAIL step"
            )
        if campaign.status not in EDITABLE:
            return not_editable_status()
        if ids is not None:
            conflicts = mailbox_conflicts(ids, self.account(request))
            if conflicts:
                return validation_failure("; ".join(conflicts))
            campaign.email_account_ids = list(ids)  # the list replaces the attached set [client]
        if "name" in body:
            campaign.name = body["name"]
        payload.apply_settings(campaign, body.get("settings") or {})
        return self.changed(campaign)

    async def patch_step(self, request: Request) -> Response:
        checked = await self._checked(request, validate_patch_step)
        if isinstance(checked, Response):
            return checked
        found, body = checked
        step = found.step(request.path_params["step_id"])
        if step is None:
            return step_not_found()
        if found.status not in EDITABLE:
            return not_editable_status()
        if step.type != "EMAIL":
            # [assume] 409: the body is valid, the step just has no delivery_time to replace.
            return validation_failure(
                f"step {step.id} is a {step.type} step: only EMAIL steps have a delivery_time"
            )
        windows = body["delivery_time"]
        step.content["delivery_time"] = {day: windows[day] for day in DAYS if day in windows}
        return self.changed(found)

    async def patch_version(self, request: Request) -> Response:
        found = self.editable(request)
        if isinstance(found, JSONResponse) and found.status_code == 400:
            return found
        body = await _json_body(request)
        if isinstance(body, Response):
            return body
        if isinstance(found, JSONResponse):
            return found
        campaign = found
        step = campaign.step(request.path_params["step_id"])
        if step is None or step.type == "START":
            return step_not_found()
        versions = step.content["body"].get("versions") or []
        version = next((v for v in versions if v["id"] == request.path_params["version_id"]), None)
        if version is None:
            return version_not_found()
        # The allowed keys depend on the stored step, so this schema check comes after the 404s.
        first_email = first_email_step(campaign) is step
        problems = validate_patch_version(
            body, step.type, action_type=step.content["body"].get("action_type"), first_email=first_email
        )
        if problems:
            return input_failure("; ".join(p.render() for p in problems))
        if campaign.status not in EDITABLE:
            return not_editable_status()
        if step.type == "LINKEDIN" and step.content["body"]["action_type"] == "CONNECTION_REQUEST":
            conflicts = note_conflict(
                self.account(request), step.content["body"]["linkedin_account_id"], body.get("message")
            )
            if conflicts:
                return validation_failure("; ".join(conflicts))
        # Allowed even when the step has processed prospects: only the content changes.
        version.update({k: v for k, v in body.items() if not (NULL_IS_UNCHANGED and v is None)})
        return self.changed(campaign)

    async def delete_step(self, request: Request) -> Response:
        found = self.editable(request)
        if isinstance(found, JSONResponse):
            return found
        campaign = found
        step = campaign.step(request.path_params["step_id"])
        if step is None:
            return step_not_found()
        if campaign.status not in EDITABLE:
            return not_editable_status()
        refusal = delete_step_refusal(campaign, step)
        if refusal:
            return step_not_deletable(refusal)
        # [assume] Any such step may go, not only the last: its followup is relinked to its parent.
        campaign.steps.remove(step)
        return self.changed(campaign)

    async def delete_campaign(self, request: Request) -> Response:
        campaign = self.campaign(request)  # any status, app-built campaigns included
        if isinstance(campaign, JSONResponse):
            return campaign
        if campaign.in_workflow:
            return campaign_in_workflow()
        del self.account(request).campaigns[campaign.id]
        self.emulator.store.save()
        return Response(status_code=200)  # documented: 200, no body


def first_email_step(campaign: Campaign) -> Step | None:
    """The step that opens the email thread: its versions need a subject and it cannot be deleted."""
    return next((s for s in campaign.steps if s.type == "EMAIL"), None)


def delete_step_refusal(campaign: Campaign, step: Step) -> str | None:
    """Why the step may not be deleted, or None. [doc] "You can delete EMAIL steps that haven't processed
    any prospects and are not the first EMAIL step"."""
    if step.type != "EMAIL":
        return f"step {step.id} is a {step.type} step: only EMAIL steps can be deleted"
    if first_email_step(campaign) is step:
        return f"step {step.id} is the campaign's first EMAIL step"
    if step.processed > 0:
        return f"step {step.id} has processed {step.processed} prospects"
    return None


async def _json_body(request: Request) -> Any:
    """An edit call's body as parsed JSON (any type: the validators judge it), or the 415/400 Response."""
    if not is_json(request):
        return unsupported_media_type(request)
    body, error = parse_json(await request.body())
    if error:
        return input_failure(error)
    return body
