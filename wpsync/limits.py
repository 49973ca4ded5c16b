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

# ---- wpsync's own limits on what it reads (docs/security.md) ------------------------------------------
# Everything wpsync parses comes from outside: files in the repository, a saved plan, a prospect file, the
# state folder and the server's answers. Each is bounded in size before it is read whole, and in nesting
# before it is parsed, so no input can hang a run, exhaust memory or end in a RecursionError.
KIB = 1024
MIB = 1024 * KIB
MAX_NESTING = 64  # tables/arrays/objects inside each other, or parts of one dotted key (a.b.c…)
MAX_ANSWER_NESTING = 128  # a server answer: a campaign's steps nest one level per step (16 → depth 20)
MAX_CAMPAIGN_FILE = 1 * MIB  # campaigns/KEY.toml (the largest synthetic 16-step campaign is ~27 KB)
MAX_CONFIG_FILE = 1 * MIB  # wpsync.toml
MAX_PLAN_FILE = 64 * MIB  # a saved plan (wpsync plan --out), read by wpsync apply PLANFILE
MAX_PROSPECT_FILE = 1 * MIB  # wpsync preview --prospect FILE
MAX_KEY_FILE = 4 * KIB  # --api-key-file
MAX_STATE_FILE = 64 * MIB  # any file under state/ (records, applied content, intents, the lock)
MAX_ANSWER = 32 * MIB  # one HTTP answer's body, after decompression
DEFAULT_REQUEST_DEADLINE = 60.0  # seconds for a whole request: connect, send and every read
MAX_HTTP_TIMEOUT = 600.0  # the largest WPSYNC_HTTP_TIMEOUT accepted
