"""Load, clean, chunk and sync documents into the vector store."""

from ingest.report import IngestReport
from ingest.settings import IngestSettings
from ingest.sync import ingest

__all__ = ["IngestReport", "IngestSettings", "ingest"]
