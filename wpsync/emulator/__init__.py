"""A local, strict, in-memory Woodpecker API (REST v2 + the v1 campaign list) for demos and tests.

``server.serve`` runs it for the CLI; ``server.running_emulator`` runs it on a free port in a thread for
tests. Where the documented API refuses a request, the emulator refuses it the same way: a green test
against it should mean the real call passes. See docs/emulator.md.
"""
