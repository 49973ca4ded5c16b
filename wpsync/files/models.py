"""The campaign file format, as validated models.

A campaign file keeps the API's own field names and values, with three changes that remove tedium and
each have one meaning:

- ``steps`` is a list in sending order; the START step is implicit and wpsync builds the nested
  ``followup`` chain.
- a step's ``body`` is flattened into the step: ``versions``, ``action_type`` and
  ``linkedin_account_id`` sit beside ``type`` (``body.versions`` in the API ≡ ``versions`` here).
- ``[schedules.NAME]`` declares a delivery window table once; an EMAIL step may then write
  ``delivery_time = "NAME"`` instead of repeating it.

What you write is what is sent: an optional field you omit is not sent, and the API applies its
documented default. TOML has no null, so: an omitted ``subject`` is sent as ``null`` (a follow-up in the
same thread); omitted LinkedIn ``versions`` or ``message`` are sent as ``null``; and the two settings
that take null (``open_disabled_list``, ``auto_pause_prospect_from_domain``) take the string ``"null"``.

These models check shapes, types, enums and ranges. Rules that span fields (the first EMAIL step needs a
subject, EMAIL steps need mailboxes, per-action LinkedIn rules, snippets) live in ``rules.py``.
"""

from __future__ import annotations

import itertools
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wpsync.files import timezones
from wpsync.limits import (
    DAYS,
    MAX_DAILY_ENROLL,
    MAX_FOLLOWUP_VALUE,
    MAX_STEPS,
    MAX_VERSIONS,
    MAX_WINDOWS_PER_DAY,
)

Day = Literal["MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY"]
Range = Literal["DAY", "HOUR", "MINUTE"]
Signature = Literal["SENDER", "NO_SIGNATURE"]
ActionType = Literal["VISIT_PROFILE", "CONNECTION_REQUEST", "DIRECT_MESSAGE"]
CatchAllMode = Literal["NONE", "BALANCED", "MAXIMUM", "ONLY_VERIFY"]
OpenDisabledProvider = Literal["google.com", "outlook.com", "OTHER_PROVIDER"]
OPEN_DISABLED_PROVIDERS = ("google.com", "outlook.com", "OTHER_PROVIDER")
Null = Literal["null"]  # TOML has no null; the two nullable settings take this string instead
# The statuses a file may ask for (status as code). DRAFT only means "not launched yet"; COMPLETED and
# EDITED are Woodpecker's own and cannot be asked for.
DesiredStatus = Literal["DRAFT", "RUNNING", "PAUSED", "STOPPED"]


_HHMM = re.compile(r"([01]\d|2[0-3]):[0-5]\d\Z")


class _Model(BaseModel):
    # strict: TOML already has types, so "5" for an integer is a mistake to report, not to coerce.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, populate_by_name=True)


def _one_of(values: tuple[str, ...]) -> str:
    quoted = [f'"{v}"' for v in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]


# Every "HH:mm" there is, and "24:00": a lookup is cheaper than parsing ~100,000 windows in a fleet.
_MINUTES = {f"{h:02d}:{m:02d}": h * 60 + m for h in range(24) for m in range(60)} | {"24:00": 1440}


def minutes(hhmm: str) -> int:
    return _MINUTES[hhmm]


class Window(_Model):
    from_: str = Field(alias="from")
    to: str

    @field_validator("from_")
    @classmethod
    def _from_is_hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError(f'"{value}" is not a time: write "HH:mm", 24-hour, from "00:00" to "23:59"')
        return value

    @field_validator("to")
    @classmethod
    def _to_is_hhmm(cls, value: str) -> str:
        if value != "24:00" and not _HHMM.match(value):
            raise ValueError(f'"{value}" is not a time: write "HH:mm", 24-hour, from "00:00" to "24:00"')
        return value

    @model_validator(mode="after")
    def _from_before_to(self) -> Window:
        if self.whole_day:
            return self
        if self.to == "24:00":
            raise ValueError('"24:00" ends only a whole-day window: from = "00:00", to = "24:00"')
        if minutes(self.from_) >= minutes(self.to):
            raise ValueError(
                f'from "{self.from_}" must be before to "{self.to}" (for a whole day write "00:00"–"00:00")'
            )
        return self

    @property
    def whole_day(self) -> bool:
        return self.from_ == "00:00" and self.to in ("00:00", "24:00")

    @property
    def span(self) -> tuple[int, int]:
        return minutes(self.from_), 1440 if self.whole_day else minutes(self.to)


DayWindows = Annotated[list[Window], Field(max_length=MAX_WINDOWS_PER_DAY)]


class DeliveryTime(_Model):
    """Sending windows per weekday; an omitted day sends nothing."""

    MONDAY: DayWindows | None = None
    TUESDAY: DayWindows | None = None
    WEDNESDAY: DayWindows | None = None
    THURSDAY: DayWindows | None = None
    FRIDAY: DayWindows | None = None
    SATURDAY: DayWindows | None = None
    SUNDAY: DayWindows | None = None

    @model_validator(mode="after")
    def _windows_are_sane(self) -> DeliveryTime:
        days = [(day, windows) for day in DAYS if (windows := getattr(self, day))]
        if not days:
            raise ValueError('needs at least one window, e.g. MONDAY = [{ from = "09:00", to = "17:00" }]')
        for day, windows in days:
            if len(windows) < 2:
                continue  # one window cannot overlap: most days of a fleet have one
            spans = sorted(window.span for window in windows)
            for (start_a, end_a), (start_b, _) in itertools.pairwise(spans):
                if start_b < end_a:
                    raise ValueError(
                        f"{day}: windows overlap ({_clock(start_a)}–{_clock(end_a)} and {_clock(start_b)}…)"
                    )
        return self

    def windows(self, day: str) -> list[Window]:
        value: list[Window] | None = getattr(self, day)
        return value or []


def _clock(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


class FollowupAfter(_Model):
    range: Range = "DAY"
    value: int = Field(default=1, ge=1, le=MAX_FOLLOWUP_VALUE)


class EmailVersion(_Model):
    subject: str | None = None
    message: str
    signature: Signature = "NO_SIGNATURE"
    track_opens: bool = False

    @field_validator("message")
    @classmethod
    def _message_is_not_empty(cls, value: str) -> str:
        if not value.strip():  # Woodpecker answers 400: an email version must say something
            raise ValueError("must not be empty: every EMAIL version sends a message")
        return value


class LinkedInVersion(_Model):
    message: str | None = None


class EmailStep(_Model):
    type: Literal["EMAIL"]
    delivery_time: DeliveryTime | str  # a table of windows, or the name of a [schedules] entry
    versions: list[EmailVersion] = Field(min_length=1, max_length=MAX_VERSIONS)
    followup_after: FollowupAfter = FollowupAfter()

    @field_validator("delivery_time", mode="before")
    @classmethod
    def _table_or_name(cls, value: object) -> object:
        if not isinstance(value, dict | str):
            raise ValueError("write a table of windows per day, or the name of a [schedules.NAME] entry")
        return value


class LinkedInStep(_Model):
    type: Literal["LINKEDIN"]
    action_type: ActionType
    linkedin_account_id: int
    versions: list[LinkedInVersion] | None = Field(default=None, max_length=MAX_VERSIONS)
    followup_after: FollowupAfter = FollowupAfter()


Step = Annotated[EmailStep | LinkedInStep, Field(discriminator="type")]


class Settings(_Model):
    timezone: str
    prospect_timezone: bool = False
    daily_enroll: int = Field(ge=1, le=MAX_DAILY_ENROLL)
    gdpr_unsubscribe: bool = False
    list_unsubscribe: bool = False
    open_disabled_list: list[OpenDisabledProvider] | Null = Field(default_factory=list)
    auto_pause_prospect_from_domain: bool | Null = False
    catch_all_verification_mode: CatchAllMode = "BALANCED"

    @field_validator("open_disabled_list", mode="before")
    @classmethod
    def _providers_or_null(cls, value: object) -> object:
        if value == "null":
            return value
        if not isinstance(value, list):
            raise ValueError('write a list such as ["google.com"], or "null"')
        for item in value:
            if item not in OPEN_DISABLED_PROVIDERS:
                raise ValueError(f"{item!r} is not a provider: use {_one_of(OPEN_DISABLED_PROVIDERS)}")
        return value

    @field_validator("auto_pause_prospect_from_domain", mode="before")
    @classmethod
    def _bool_or_null(cls, value: object) -> object:
        if value == "null" or isinstance(value, bool):
            return value
        raise ValueError('write true, false or "null"')

    @field_validator("timezone")
    @classmethod
    def _canonical_zone(cls, value: str) -> str:
        if not timezones.is_canonical(value):
            raise ValueError(timezones.problem(value))
        return value


class Campaign(_Model):
    """One campaign file. ``steps`` are in sending order, START excluded."""

    name: str = "My campaign #0"
    email_account_ids: list[int] | None = None
    settings: Settings
    schedules: dict[str, DeliveryTime] = Field(default_factory=dict)
    steps: list[Step] = Field(min_length=1, max_length=MAX_STEPS)
    # wpsync's own, never sent in a body: the status to hold (absent: left alone), and whether this
    # campaign may be made EDITED for an edit while it sends (absent: wpsync.toml's [apply] policy).
    status: DesiredStatus | None = None
    make_editable: bool | None = None
    # wpsync's own, never sent: create this campaign even though Woodpecker already has one of the same
    # name that no record owns, or a recorded campaign whose file is gone looks like it (plan/duplicates.py).
    allow_duplicate_name: bool = False
