"""The recorded state: campaign records, their storage, the journal of intents, and the lock."""
