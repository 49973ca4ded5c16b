"""Campaign files <-> models: reading, validating, linting and the API bodies they compile to."""
