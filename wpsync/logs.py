"""Debug logging on request (WPSYNC_LOG=debug|info|warning), to stderr, with the API key redacted.

The client already keeps the key out of every log record (wpsync.transport); this filter is the second
lock on the same door: whatever any library logs (httpcore logs response headers, where a server may
echo the key) is redacted before it is written — every key in use, in every spelling (errors.redact).
"""

from __future__ import annotations

import logging
import sys

from wpsync.errors import redact


class RedactingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


def configure(level: str) -> None:
    """Log at ``level`` (WPSYNC_LOG, checked by ``wpsync.commands.workspace.Environment``) to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
