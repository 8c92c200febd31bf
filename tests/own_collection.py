"""An assistant over a collection of its own, sharing the real models of the session's assistant
(loading them again would cost a minute per collection)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from assistant import Assistant
from assistant.pipeline.retrieve import HybridSearcher
from ingest import IngestReport, IngestSettings, ingest


def assistant_over(real_assistant: Any, docs: Path, base: Path) -> tuple[Assistant, IngestReport]:
    """The documents in `docs` ingested into a store in `base`, and an assistant over them."""
    settings = real_assistant.settings
    store = replace(settings.store, path=base / "store", chroma_url="")
    embedder = real_assistant.searcher.embedder
    report = ingest(IngestSettings(root=docs, store=store), embedder=embedder)
    own = replace(settings, store=store)
    searcher = HybridSearcher(own, embedder=embedder)
    return Assistant(own, searcher=searcher, llm=real_assistant.llm), report
