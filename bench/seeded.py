"""The seeds indexed with the default settings, in bench/results/, shared by the benchmarks.

Ingest is a sync, so after the first run this costs a manifest check and embeds nothing.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.settings import AssistantSettings
from bench.common import RESULTS
from ingest import ingest
from ingest.settings import IngestSettings
from vectorstore.settings import PROJECT_ROOT, StoreSettings

SEEDS = PROJECT_ROOT / "seeds"
STORE = RESULTS / "seeds-index"


def seeded() -> tuple[IngestSettings, AssistantSettings]:
    """Ingest settings and assistant settings over the benchmark's index of the seeds."""
    store = replace(StoreSettings(), path=STORE, chroma_url="")
    settings = IngestSettings(root=SEEDS, store=store)
    report = ingest(settings)
    if not report.ok:
        raise RuntimeError(f"could not index the seeds for the benchmarks: {report.errors}")
    return settings, replace(AssistantSettings(), store=store, llm_url="")


def environment() -> dict[str, str]:
    """ASSISTANT_* variables that point a subprocess (CLI, app) at this index."""
    return {
        "ASSISTANT_STORE_PATH": str(STORE),
        "ASSISTANT_SEEDS_DIR": str(SEEDS),
        "ASSISTANT_CHROMA_URL": "",
        "ASSISTANT_LLM_URL": "",
    }
