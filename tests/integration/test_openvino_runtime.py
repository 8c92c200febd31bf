"""The bundled embedder run by OpenVINO and by torch, for real: the model exported from its
folder, the vectors an OpenVINO ingest stores equal sentence-transformers' of the same texts
(cosine >= 0.999) on every seed chunk, each runtime has an index of its own name (never mixed),
and questions find the same passages as in the index of the default runtime."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from assistant.pipeline.retrieve import HybridSearcher
from ingest import IngestSettings, ingest
from vectorstore.embeddings import get_embedder
from vectorstore.openvino_embeddings import runtime
from vectorstore.remote_embeddings import vector_identity
from vectorstore.store import Store

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
    real_assistant: Any, embedders: dict[str, Any], tmp_path: Path
) -> None:
    settings = real_assistant.settings
    store = replace(settings.store, path=tmp_path / "openvino", embeddings_runtime="openvino")
    report = ingest(IngestSettings(root=SEEDS, store=store), embedder=embedders["openvino"])
    assert report.ok and len(report.added) == len(list(SEEDS.iterdir()))
    torch_store = replace(store, embeddings_runtime="torch")
    assert vector_identity(store) == f"{store.embedding_model}@{runtime()}"
    assert vector_identity(torch_store) == store.embedding_model

    index = Store.open(store, store.chunking, create=False)
    documents = index.documents()
    for name in sorted(p.name for p in SEEDS.iterdir()):
        chunks = index.chunks_of(name)
        stored = index.chunk_vectors([c.id for c in chunks])
        title = documents[name].title
        fresh = embedders["torch"].embed_passages([c.text for c in chunks], [title] * len(chunks))
        worst = min(_cosine(stored[c.id], v) for c, v in zip(chunks, fresh, strict=True))
        assert worst >= 0.999, (name, worst)
    index.close()

    ours = HybridSearcher(replace(settings, store=store), embedder=embedders["openvino"])
    for question in QUESTIONS:
        first, second = (
            s.search(question, 5, "en").passages for s in (ours, real_assistant.searcher)
        )
        assert first and first[0].source == second[0].source
        assert {p.source for p in first} == {p.source for p in second}


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
