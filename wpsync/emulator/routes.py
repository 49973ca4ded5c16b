"""What every route of the emulated API shares: the caller's account and the campaign a path names."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from wpsync.emulator import payload
from wpsync.emulator.runtime import Emulator
from wpsync.emulator.store import Account, Campaign
from wpsync.emulator.web import (
    bad_parameter,
    campaign_not_found,
    coded,
    parse_id,
    titled,
    unsupported_features,
)

EDITABLE = ("DRAFT", "EDITED")
MAKE_EDITABLE_FROM = ("RUNNING", "PAUSED", "STOPPED", "COMPLETED")


def already_editable(status: str) -> JSONResponse:
    # [assume] The docs do not say what make_editable answers for a campaign that is already editable.
    return coded(
        409, "ALREADY_EDITABLE", "The campaign is already in DRAFT or EDITED status", f"status is {status}"
    )


def unsupported_media_type(request: Request) -> JSONResponse:
    # [assume] The spec requires "Content-type: application/json"; a Spring server answers 415 without it.
    given = request.headers.get("content-type", "none")
    return titled(
        415, "Unsupported Media Type", f"Content-Type {given!r} is not supported; use application/json"
    )


class Routes:
    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    def account(self, request: Request) -> Account:
        return self.emulator.store.account(request.scope["wpsync.account"])

    def campaign(self, request: Request) -> Campaign | JSONResponse:
        raw = request.path_params["campaign_id"]
        campaign_id = parse_id(raw)
        if campaign_id is None:
            return bad_parameter("campaign_id", raw)
        # Another account's campaign is as invisible as a missing one.
        found = self.account(request).campaigns.get(campaign_id)
        return campaign_not_found() if found is None else found

    def editable(self, request: Request) -> Campaign | JSONResponse:
        """The campaign if the structure endpoints may show it: 404 if unknown, 409 if built in the app
        with features the API does not support."""
        campaign = self.campaign(request)
        if isinstance(campaign, Campaign) and campaign.unsupported:
            return unsupported_features()
        return campaign

    def changed(self, campaign: Campaign) -> JSONResponse:
        """Save, and answer 200 with the full payload (the documented answer of every PATCH and of
        delete-step)."""
        self.emulator.store.save()
        return JSONResponse(payload.render(campaign))
