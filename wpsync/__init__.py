"""wpsync: campaigns-as-code for Woodpecker."""

__version__ = "0.1.0"
