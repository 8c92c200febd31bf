"""Embedding on OpenAI-compatible `/v1/embeddings` servers (ASSISTANT_EMBEDDINGS_URL), so that
ingest can use other machines: `vectorstore.embedding_server` serving the bundled model, or any
server of the same model (infinity-emb, vLLM, …).

Several addresses, comma-separated, take batches in turn, one batch in flight per address at
a time (so N machines embed N batches at once); a batch that fails for want of a server
(no connection, a timeout, a 5xx answer) is sent again to the next one after a pause that doubles,
and only when every try has failed is embedding stopped with one line naming the last error. The
model's prompts are added here, as in process, and vectors are normalised here, so a server of
the same model and runtime gives the in-process vectors. What made the vectors (`identity`) is
the model's name with the runtime the servers report (`GET /v1/models`); the index is named after
it, so a change of runtime opens another index instead of mixing vectors.
"""

from __future__ import annotations

import itertools
import json
import math
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import Any

from langchain_core.embeddings import Embeddings

from vectorstore.embeddings import (
    BUNDLED,
    RUNTIME,
    EmbedderSpec,
    chosen_runtime,
    get_embedder,
    identity,
    prompted,
)
from vectorstore.errors import AssistantError
from vectorstore.settings import StoreSettings

TRIES = 4
"""Attempts per batch across the servers before embedding stops."""
FIRST_PAUSE = 0.5
"""Seconds before the second attempt; each later pause doubles."""


class EmbeddingServerError(AssistantError):
    """No embeddings server could embed a batch."""


class RemoteEmbeddings(Embeddings):
    """The model `name` on the servers at `urls`, with its prompts added here."""

    def __init__(self, name: str, urls: Sequence[str], timeout: float = 120.0):
        if not urls:
            raise ValueError("no embeddings server address")
        self.name = name
        self.spec = BUNDLED.get(name) or EmbedderSpec(name=name, locate=lambda: name)
        self.urls = [u.rstrip("/") for u in urls]
        self.timeout = timeout
        self._turn = itertools.cycle(range(len(self.urls)))
        self._lock = threading.Lock()

    def identity(self) -> str:
        """The model and runtime the vectors come from: the bare name for the in-process runtime,
        else `name@runtime`. Every server that answers must report the same; one that is down
        now is tried again for each batch."""
        runtimes, problems = set(), []
        for url in self.urls:
            try:
                runtimes.add(self._runtime(url))
            except _Unavailable as exc:
                problems.append(f"{url}: {exc}")
        if not runtimes:
            raise EmbeddingServerError(f"cannot reach the embeddings server at {problems[0]}")
        if len(runtimes) > 1:
            raise EmbeddingServerError(
                f"the embeddings servers run different runtimes: {sorted(runtimes)}"
            )
        runtime = runtimes.pop()
        return identity(self.name, runtime)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts, titles=None)

    def embed_passages(
        self, texts: Sequence[str], titles: Sequence[str] | None, batch_size: int = 16
    ) -> list[list[float]]:
        texts = prompted(self.spec, texts, titles)
        size = max(1, batch_size)
        batches = [texts[start : start + size] for start in range(0, len(texts), size)]
        if len(self.urls) == 1 or len(batches) == 1:
            return [v for batch in batches for v in self._embed(batch)]
        with ThreadPoolExecutor(max_workers=len(self.urls)) as pool:
            return [v for vectors in pool.map(self._embed, batches) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self._embed([self.spec.query_prompt + text])[0]

    def embed_similar(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors for comparing short texts with each other, in any language."""
        return self._embed([self.spec.similarity_prompt + t for t in texts])

    def _embed(self, texts: list[str]) -> list[list[float]]:
        """One batch, on the next server in turn, tried again elsewhere when a server fails."""
        body = json.dumps({"model": self.name, "input": texts}).encode()
        problem = ""
        for attempt in range(TRIES):
            with self._lock:
                url = self.urls[next(self._turn)]
            try:
                reply = _call(f"{url}/embeddings", body, self.timeout)
                rows = sorted(reply["data"], key=lambda row: row["index"])
                return [_unit(row["embedding"]) for row in rows]
            except _Unavailable as exc:
                problem = f"{url}: {exc}"
                time.sleep(FIRST_PAUSE * 2**attempt)
        raise EmbeddingServerError(f"no embeddings server answered after {TRIES} tries ({problem})")

    def _runtime(self, url: str) -> str:
        listed = _call(f"{url}/models", None, self.timeout)
        models = {str(m.get("id")): m for m in listed.get("data", []) if isinstance(m, dict)}
        if models and self.name not in models:
            raise EmbeddingServerError(
                f"the embeddings server at {url} serves {sorted(models)}, not {self.name}"
            )
        return str(models.get(self.name, {}).get("runtime") or "server")


class _Unavailable(Exception):
    """The server could not answer now (worth trying again)."""


def _call(url: str, body: bytes | None, timeout: float) -> Any:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:200]
        if exc.code >= 500 or exc.code == 429:
            raise _Unavailable(f"HTTP {exc.code}") from None
        raise EmbeddingServerError(
            f"the embeddings server at {url} refused: HTTP {exc.code} {detail}"
        ) from None
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        raise _Unavailable(str(getattr(exc, "reason", exc))) from None


def _unit(vector: Sequence[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [float(x) / norm for x in vector]


def embedder_for(settings: StoreSettings) -> Any:
    """The embedder the settings ask for: on the servers when addresses are set, else in
    process."""
    if settings.embeddings_urls:
        return _remote(settings.embedding_model, settings.embeddings_urls)
    return get_embedder(
        settings.embedding_model,
        settings.query_threads,
        settings.embed_threads,
        settings.embeddings_runtime,
    )


def vector_identity(settings: StoreSettings) -> str:
    """What the settings' vectors are made by, as the index records it (asks the servers)."""
    if not settings.embeddings_urls:
        return identity(settings.embedding_model, _in_process_runtime(settings.embeddings_runtime))
    return _remote(settings.embedding_model, settings.embeddings_urls).identity()


def _in_process_runtime(runtime: str) -> str:
    """What a runtime setting makes the vectors with, as an index records it."""
    runtime = chosen_runtime(runtime)
    if runtime == "openvino":
        from vectorstore import openvino_embeddings

        return openvino_embeddings.runtime()
    if runtime != "torch":
        raise EmbeddingServerError(
            f"ASSISTANT_EMBEDDINGS_RUNTIME={runtime}: not a runtime (auto, torch or openvino)"
        )
    return RUNTIME


@lru_cache(maxsize=4)
def _remote(name: str, urls: tuple[str, ...]) -> RemoteEmbeddings:
    for url in urls:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise EmbeddingServerError(f"ASSISTANT_EMBEDDINGS_URL: not an http(s) address: {url}")
    return RemoteEmbeddings(name, urls)
