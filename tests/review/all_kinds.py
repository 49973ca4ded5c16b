"""One plan that holds every kind of action a plan can hold, for the golden files a reviewer reads.

- ``q1-founders``: created (an email and LinkedIn sequence: names of mailboxes and the LinkedIn sender);
- ``q4-ctos``: RUNNING with 184 prospects, made editable; its settings and mailboxes, the windows of
  two steps (one schedule), a subject and a message (137 prospects got the old copy) edited, a
  trailing step deleted, then set back to RUNNING; its copy holds hostile text that must stay inert;
- ``welcome``: a step appended; ``partners``: a renamed file (no call); ``webinar``: a refused edit;
- ``spring-promo``: paused, as its file's ``status`` says;
- a note about the whole plan (an unmanaged campaign) and one lint warning;
- forecasts (#18): q1-founders' timeline and volume computed by ``wpsync.plan.forecasting`` from its
  create body; q4-ctos' people (184 prospects, 137 sent / 42 queued, 61 opens, 9 replies), its pause,
  a timeline whose last step counts differently in working days; welcome's appended step for those
  waiting at step 2; mailbox 300001 pushed over the daily limit.

Regenerate the golden files from it with ``WPSYNC_UPDATE_GOLDEN=1 make golden`` (see tests/review).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from tests.review.plans import BINDING, EXAMPLES
from wpsync.errors import Problem
from wpsync.files.loading import load_campaign
from wpsync.files.to_api import add_step_body, compact_json, create_body
from wpsync.plan.actions import pack
from wpsync.plan.facts import Names
from wpsync.plan.forecast import Forecast, MailboxLoad, People, StepPeople, StepWhen, Timeline, Volume
from wpsync.plan.forecasting import ForecastInputs, forecast
from wpsync.plan.plan import (
    AppendStep,
    CreateCampaign,
    DeleteStep,
    FieldChange,
    MakeEditable,
    Moved,
    Note,
    Plan,
    Refusal,
    RestoreStatus,
    SetStatus,
    UpdateCampaign,
    UpdateVersion,
    UpdateWindows,
)

NAMES = Names(
    mailboxes={
        100001: "alex@acme.com",
        100002: "sam@acme.com",
        100003: "jo@acme.com",
        112233: "outreach@acme.com",
        300001: "alex@acme.com",
        300002: "priya@acme.com",
    },
    linkedin={200002: "Alex Rivera"},
)
CTOS, CTOS_FILE, CTOS_ID = "q4-ctos", "campaigns/q4-ctos.toml", 4242
OLD_WINDOWS = {
    day: [{"from": "09:00", "to": "17:00"}] for day in ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY")
}
NEW_WINDOWS = {
    "MONDAY": [{"from": "08:00", "to": "12:00"}],
    "TUESDAY": [{"from": "09:00", "to": "17:00"}],
    "WEDNESDAY": [{"from": "09:00", "to": "17:00"}],
    "THURSDAY": [{"from": "09:00", "to": "17:00"}],
    "FRIDAY": [{"from": "09:00", "to": "12:00"}],
}
OLD_MESSAGE = (
    '<div>Hi {{FIRST_NAME | "there"}},</div><div><br /></div><div>Teams like {{COMPANY}} ship faster '
    "with our release checklists.</div><div><br /></div><div>Worth a call next week?</div>"
    "<div><br /></div><div>Best,<br />Alex</div>"
)
NEW_MESSAGE = (
    '<div>Hi {{FIRST_NAME | "there"}},</div><div><br /></div><div>Teams like {{COMPANY}} cut release '
    "time in half with our checklists.</div><div><br /></div><div>Worth 15 minutes on Tuesday?</div>"
    "<div><br /></div><div>Best,<br />Alex</div><div>| P.S. *see* @sales-team #12 "
    "<script>alert(1)</script></div>"
)
HEAD = {
    "name": "Q4 CTOs",
    "email_account_ids": [300001, 300002],
    "settings": {"timezone": "Europe/Warsaw", "daily_enroll": 25, "prospect_timezone": True},
}
NEW_HEAD = {
    "name": "Q4 CTOs (EU)",
    "email_account_ids": [300001, 112233],
    "settings": {"timezone": "Europe/Warsaw", "daily_enroll": 30, "prospect_timezone": True},
}
DELETED = {
    "type": "EMAIL",
    "delivery_time": OLD_WINDOWS,
    "followup_after": {"range": "DAY", "value": 3},
    "versions": [
        {
            "subject": None,
            "message": "<div>Just bumping this up in case it got buried — happy to send a two-minute "
            "video instead of a call if that is easier.</div>",
            "signature": "SENDER",
            "track_opens": True,
        }
    ],
}


def all_kinds_plan() -> Plan:
    founders = load_campaign(EXAMPLES / "four-step-multichannel.toml")
    create = CreateCampaign(
        "q1-founders", "campaigns/q1-founders.toml", pack(compact_json(create_body(founders))), {}, "h", ()
    )
    one_step = load_campaign(EXAMPLES / "one-step-email.toml")
    appended = add_step_body(one_step.steps[0], one_step.schedules, parent_id="")["step"]  # type: ignore[arg-type]
    ctos = (
        MakeEditable(CTOS, CTOS_FILE, CTOS_ID, "RUNNING", 184),
        UpdateCampaign(
            CTOS,
            CTOS_FILE,
            CTOS_ID,
            {
                "name": NEW_HEAD["name"],
                "email_account_ids": [300001, 112233],
                "settings": {"daily_enroll": 30},
            },
            NEW_HEAD,
            "h0",
            (FieldChange("settings.daily_enroll", 25, 30),),
            old_head=HEAD,
        ),
        UpdateWindows(CTOS, CTOS_FILE, CTOS_ID, 1, NEW_WINDOWS, "h1", (), "workdays", OLD_WINDOWS),
        UpdateWindows(CTOS, CTOS_FILE, CTOS_ID, 3, NEW_WINDOWS, "h2", (), "workdays", OLD_WINDOWS),
        UpdateVersion(
            CTOS,
            CTOS_FILE,
            CTOS_ID,
            1,
            0,
            {"subject": "Cut release time in half, {{FIRST_NAME}}?", "message": NEW_MESSAGE},
            "h3",
            (
                FieldChange("steps[0].versions[0].message", OLD_MESSAGE, NEW_MESSAGE),
                FieldChange(
                    "steps[0].versions[0].subject",
                    "Release checklists for {{COMPANY}}",
                    "Cut release time in half, {{FIRST_NAME}}?",
                ),
                FieldChange("steps[0].versions[0].track_opens", True, False),
            ),
            processed=137,
        ),
        DeleteStep(CTOS, CTOS_FILE, CTOS_ID, 4, content=DELETED),
        RestoreStatus(CTOS, CTOS_FILE, CTOS_ID, "RUNNING"),
    )
    welcome = AppendStep("welcome", "campaigns/welcome.toml", 5150, 3, 2, appended, "h4")
    refusal = Refusal(
        "webinar",
        "campaigns/webinar.toml",
        "delay_changed",
        2,
        "step 2's delay (followup_after) changed; Woodpecker documents no call that changes a delay, "
        "so wpsync will not try one",
        "revert the delay of step 2 in campaigns/webinar.toml; to wait differently, append a new step, or fork",
        (FieldChange("steps[1].followup_after.value", 3, 5),),
    )
    notes = (
        Note(
            CTOS,
            "editable_pause",
            f"{CTOS}: campaign {CTOS_ID} is RUNNING with 184 prospects; it is made EDITED for the edits, "
            "which pauses sending for the duration, then set back to RUNNING",
        ),
        Note(
            CTOS,
            "warning",
            f"{CTOS}: step 1: 137 prospect(s) already received the old copy; the new copy goes to the rest",
        ),
        Note(
            "old-campaign",
            "unmanaged",
            "old-campaign: no campaign file any more; campaign 17 stays in Woodpecker untouched (wpsync never "
            "deletes on its own). `wpsync forget old-campaign` stops tracking it; `wpsync destroy old-campaign` "
            "deletes it.",
        ),
        Note(
            "partners",
            "moved",
            "old-partners → partners: the file was renamed; campaign 77 keeps its id (no call)",
        ),
    )
    pause = SetStatus("spring-promo", "campaigns/spring-promo.toml", 88, "PAUSED", "RUNNING")
    plan = Plan(
        (create, *ctos, pause, welcome),
        (refusal,),
        notes,
        BINDING,
        unchanged=3,
        options={"make_editable": True, "leave_editable": False},
        moves=(Moved("old-partners", "partners", 77),),
        names=NAMES,
    )
    (founders_forecast,), _ = forecast(Plan((create,), (), (), BINDING), ForecastInputs(now=NOW))
    return replace(plan, forecasts=(founders_forecast, *FORECASTS), mailboxes=MAILBOXES)


NOW = datetime.fromisoformat("2026-12-07T08:00:00+00:00")  # Monday 09:00 in Warsaw
FORECASTS = (
    Forecast(
        CTOS,
        timeline=Timeline(
            "Europe/Warsaw",
            False,
            "2026-12-07T09:00+01:00",
            (
                StepWhen(1, "EMAIL", 0, "Mon", "09:00"),
                StepWhen(2, "LINKEDIN", 3, "Thu", "09:00"),
                StepWhen(3, "EMAIL", 4, "Fri", "09:00", waits=True, working_day=6),
            ),
            4,
            None,
        ),
        people=People(
            184,
            (
                StepPeople(1, "edit", 137, 42, 61, 9),
                StepPeople(3, "windows", 0, 12),
                StepPeople(4, "delete", 0, 0, 0, 0),
            ),
            paused_calls=7,
            paused_seconds=2.8,
        ),
        volume=Volume(60, (300001, 112233), 30, 2),
    ),
    Forecast(
        "welcome",
        appended=Timeline(
            "Europe/Warsaw",
            True,
            "2026-12-07T09:00+01:00",
            (StepWhen(2, "EMAIL", 0, "Mon", "09:00"), StepWhen(3, "EMAIL", 3, "Thu", "09:00")),
            3,
            None,
            first=2,
        ),
        people=People(40, (StepPeople(3, "append", 0, None),)),
        volume=Volume(75, (112233,), 25, 3),
    ),
)
MAILBOXES = (
    MailboxLoad(300001, 190, 250, 200, (CTOS, "webinar")),
    MailboxLoad(112233, 100, 135, 200, (CTOS, "welcome")),
)


WARNINGS = [
    Problem(
        "campaigns/welcome.toml",
        "steps[2].versions[0].message",
        "no {{UNSUBSCRIBE}} link in any email, but gdpr_unsubscribe is on",
        severity="warning",
        line=31,
    )
]
