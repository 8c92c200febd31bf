"""Errors of ingest. A DocumentError is about one file: it is reported and the rest goes on."""

from vectorstore.errors import AssistantError


class DocumentError(AssistantError):
    """One file could not be ingested; the message is the line the user sees."""
