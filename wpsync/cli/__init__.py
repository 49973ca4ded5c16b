"""The command line: options in, a call to a command function, an exit code out.

``app`` holds the group and the error handling; ``files``, ``authoring``, ``sync``, ``state``, ``views``
and ``tools`` wire the commands, each a thin translation into a function of ``wpsync.commands``. Importing this package registers them.
"""

from wpsync.cli import adopt, authoring, files, state, sync, tools, views
from wpsync.cli.app import main, run

__all__ = ["adopt", "authoring", "files", "main", "run", "state", "sync", "tools", "views"]
