"""The documented limits of Woodpecker's API, in one place, importable without pydantic.

Kept apart from models.py so that the hot path of a no-change plan (state and file digests only)
never pays for building the pydantic models.
"""

from __future__ import annotations

DAYS = ("MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY", "SUNDAY")
MAX_STEPS = 16
MAX_VERSIONS = 5
MAX_WINDOWS_PER_DAY = 3
MAX_WINDOWS_PER_DAY_APPENDED = 2  # add-step allows fewer than create
MAX_DAILY_ENROLL = 500
MAX_FOLLOWUP_VALUE = 9999
CONNECTION_NOTE_MAX = 300
CONNECTION_NOTE_MAX_CLASSIC = 200
DIRECT_MESSAGE_MAX = 6000

# Statuses (api-notes.md, "Statuses"): steps are added and campaigns patched only in DRAFT or EDITED;
# make_editable moves the others to EDITED, where the campaign sends nothing until it is run again.
EDITABLE = frozenset({"DRAFT", "EDITED"})
CAN_MAKE_EDITABLE = frozenset({"RUNNING", "PAUSED", "STOPPED", "COMPLETED"})
