"""Talking to Woodpecker: the HTTP client, its errors, and reading the facts a plan needs."""
