"""Where the store lives and which embedding model fills it, read from ASSISTANT_* variables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from vectorstore.errors import AssistantError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
CHUNKER_VERSION = "sentences-v4"


def env_str(name: str, default: str) -> str:
    """The value of ASSISTANT_<name>, or the default."""
    return os.environ.get(f"ASSISTANT_{name}", default)


def env_int(name: str, default: int) -> int:
    """An integer setting; a malformed value falls back to the default rather than crashing."""
    raw = os.environ.get(f"ASSISTANT_{name}")
    try:
        return int(raw) if raw else default
    except ValueError:
        return default


def env_float(name: str, default: float) -> float:
    """A decimal setting; a malformed value falls back to the default."""
    raw = os.environ.get(f"ASSISTANT_{name}")
    try:
        return float(raw) if raw else default
    except ValueError:
        return default


@dataclass(frozen=True)
class StoreSettings:
    """Settings of the vector store and its embedding model."""

    path: Path = field(
        default_factory=lambda: Path(
            env_str("STORE_PATH", str(PROJECT_ROOT / "vectorstore" / "data"))
        )
    )
    """Folder of the embedded Chroma store (ASSISTANT_STORE_PATH)."""
    chroma_url: str = field(default_factory=lambda: env_str("CHROMA_URL", ""))
    """A Chroma server such as http://127.0.0.1:8000 instead of the embedded folder (ASSISTANT_CHROMA_URL)."""
    collection: str = field(default_factory=lambda: env_str("COLLECTION", "articles"))
    """Base name of the collection (ASSISTANT_COLLECTION)."""
    embedding_model: str = field(
        default_factory=lambda: env_str("EMBEDDING_MODEL", "embeddinggemma-300m")
    )
    """A bundled embedder name (embeddinggemma-300m, all-minilm-l6-v2), a folder, or a hub name."""
    embeddings_url: str = field(default_factory=lambda: env_str("EMBEDDINGS_URL", ""))
    """OpenAI-compatible embeddings servers (http://host:7997/v1, several comma-separated) to
    embed on instead of in process (ASSISTANT_EMBEDDINGS_URL; `vectorstore.remote_embeddings`)."""
    embeddings_runtime: str = field(default_factory=lambda: env_str("EMBEDDINGS_RUNTIME", "auto"))
    """What runs the embedding model in process (ASSISTANT_EMBEDDINGS_RUNTIME): openvino
    (`vectorstore.openvino_embeddings`, the same vectors, faster), torch (sentence-transformers),
    or auto: openvino where its package loads, else torch."""
    embed_threads: int = field(default_factory=lambda: env_int("EMBED_THREADS", 2))
    """Torch threads for embedding documents at ingest (ASSISTANT_EMBED_THREADS)."""
    query_threads: int = field(default_factory=lambda: env_int("QUERY_THREADS", 1))
    """Torch threads for embedding a question (ASSISTANT_QUERY_THREADS)."""
    embed_batch: int = field(default_factory=lambda: env_int("EMBED_BATCH", 16))
    """Passages embedded per batch (ASSISTANT_EMBED_BATCH)."""
    chunk_chars: int = field(default_factory=lambda: env_int("CHUNK_CHARS", 600))
    """Longest chunk in characters; chunks hold whole sentences (ASSISTANT_CHUNK_CHARS)."""
    chunk_overlap: int = field(default_factory=lambda: env_int("CHUNK_OVERLAP", 1))
    """Sentences shared by neighbouring chunks (ASSISTANT_CHUNK_OVERLAP)."""
    chunk_vectors: str = field(default_factory=lambda: env_str("CHUNK_VECTORS", "encoded"))
    """How a chunk gets its vector (ASSISTANT_CHUNK_VECTORS): encoded (an encoder pass of its
    own) or pooled (the mean of its sentences' vectors: about 40 % fewer tokens to encode,
    recall@5 0.004 to 0.025 lower on the development corpora; docs/BENCHMARKS.md)."""

    @property
    def embeddings_urls(self) -> tuple[str, ...]:
        """The embeddings servers' addresses, in the order batches go to them."""
        return tuple(u.strip() for u in self.embeddings_url.split(",") if u.strip())

    @property
    def chunking(self) -> str:
        """The chunking recorded with the index; a change means a rebuild. Pooled chunk vectors
        are not the encoded ones, so they make an index of their own."""
        if self.chunk_vectors not in ("encoded", "pooled"):
            raise AssistantError(
                f"ASSISTANT_CHUNK_VECTORS={self.chunk_vectors}: not a choice (encoded or pooled)"
            )
        pooled = ":pooled" if self.chunk_vectors == "pooled" else ""
        return f"{CHUNKER_VERSION}:{self.chunk_chars}:{self.chunk_overlap}{pooled}"
