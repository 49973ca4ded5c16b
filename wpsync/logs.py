"""Debug logging on request (WPSYNC_LOG=debug|info|warning), to stderr, with the API key redacted.

The client already keeps the key out of every log record (wpsync.transport); this filter is the second
lock on the same door: whatever any library logs is redacted before it is written.
"""

from __future__ import annotations

import logging
import os
import sys

from wpsync.errors import redact

LOG_ENV = "WPSYNC_LOG"


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def configure_from_env() -> None:
    level = os.environ.get(LOG_ENV, "").strip().upper()
    if not level:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.basicConfig(
        level=level if level in logging.getLevelNamesMapping() else "DEBUG", handlers=[handler], force=True
    )
