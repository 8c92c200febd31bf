"""The bundled embedder run by OpenVINO and by torch, for real: the model exported from its
folder, the vectors an OpenVINO ingest stores equal sentence-transformers' of the same texts
(cosine >= 0.999) on every seed chunk and question, and each runtime has an index of its own
name (never mixed)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from vectorstore.embeddings import chosen_runtime, get_embedder
from vectorstore.openvino_embeddings import runtime
from vectorstore.remote_embeddings import vector_identity

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
QUESTIONS = ["Who took over from Khalilzad?", "Hvornår trådte Khalilzad tilbage?"]


@pytest.fixture(scope="module")
def embedders(real_assistant: Any) -> dict[str, Any]:
    store = real_assistant.settings.store
    return {
        name: get_embedder(store.embedding_model, store.query_threads, store.embed_threads, name)
        for name in ("openvino", "torch")
    }


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def test_openvino_vectors_equal_the_torch_ones_and_have_an_index_of_their_own(
    real_assistant: Any, embedders: dict[str, Any]
) -> None:
    """The seeded index is the default runtime's, which is OpenVINO wherever `make models` has
    exported the model: its vectors are compared with torch's, so no second ingest is needed."""
    store = real_assistant.settings.store
    assert chosen_runtime(store.embeddings_runtime) == "openvino"
    torch_store = replace(store, embeddings_runtime="torch")
    assert vector_identity(store) == f"{store.embedding_model}@{runtime()}"
    assert vector_identity(torch_store) == store.embedding_model

    index = real_assistant.searcher.store
    documents = index.documents()
    assert len(documents) == len(list(SEEDS.iterdir()))
    for name in sorted(documents):
        chunks = index.chunks_of(name)
        stored = index.chunk_vectors([c.id for c in chunks])
        title = documents[name].title
        fresh = embedders["torch"].embed_passages([c.text for c in chunks], [title] * len(chunks))
        worst = min(_cosine(stored[c.id], v) for c, v in zip(chunks, fresh, strict=True))
        assert worst >= 0.999, (name, worst)
    for question in QUESTIONS:  # so questions find the same passages whichever runtime runs
        torch_query, openvino_query = (
            embedders[n].embed_query(question) for n in ("torch", "openvino")
        )
        assert _cosine(torch_query, openvino_query) >= 0.999, question


def test_texts_of_very_different_lengths_in_one_call_come_out_whole(
    embedders: dict[str, Any],
) -> None:
    """Padding far past the model's attention window once gave NaN rows in bfloat16."""
    openvino = embedders["openvino"]
    long = " ".join(f"Sentence {i} about the harbour budget and the ferry." for i in range(120))
    texts = ["Short.", long, "A medium text about the ferry timetable in May.", long[:900]]
    vectors = openvino.encode(texts, 2, 16)
    assert all(not any(math.isnan(x) for x in v) for v in vectors)
    assert all(abs(math.sqrt(sum(x * x for x in v)) - 1.0) < 1e-3 for v in vectors)
    alone = [openvino.encode([t], 1, 1)[0] for t in texts]
    assert min(_cosine(a, b) for a, b in zip(vectors, alone, strict=True)) >= 0.999
