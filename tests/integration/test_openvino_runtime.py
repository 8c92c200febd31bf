"""The bundled embedder run by OpenVINO (ASSISTANT_EMBEDDINGS_RUNTIME=openvino), for real: the
model exported from its folder, vectors equal to sentence-transformers' (cosine >= 0.999) on every
seed sentence and chunk, an index of its own name (never mixed with the torch one), and questions
find the same passages in it."""

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
from vectorstore.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
QUESTIONS = ["Who took over from Khalilzad?", "Hvornår trådte Khalilzad tilbage?"]


@pytest.fixture(scope="module")
def openvino_embedder(real_assistant: Any) -> Any:
    store = real_assistant.settings.store
    return get_embedder(store.embedding_model, store.query_threads, store.embed_threads, "openvino")


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def test_openvino_vectors_equal_the_torch_ones_and_have_an_index_of_their_own(
    real_assistant: Any, openvino_embedder: Any, tmp_path: Path
) -> None:
    torch_store = real_assistant.settings.store
    store = replace(torch_store, path=tmp_path / "openvino", embeddings_runtime="openvino")
    report = ingest(IngestSettings(root=SEEDS, store=store), embedder=openvino_embedder)
    assert report.ok and len(report.added) == len(list(SEEDS.iterdir()))

    ours = Store.open(store, store.chunking, create=False)
    theirs = Store.open(torch_store, torch_store.chunking, create=False)
    assert ours.chunks_name != theirs.chunks_name and runtime() in ("openvino/bf16", "openvino/f32")
    for name in sorted(p.name for p in SEEDS.iterdir()):
        ids = ours.sentence_ids_of(name)
        assert sorted(ids) == sorted(theirs.sentence_ids_of(name))
        mine, other = ours.sentence_vectors(ids), theirs.sentence_vectors(ids)
        worst = min(_cosine(mine[i], other[i]) for i in ids)
        assert worst >= 0.999, (name, worst)

    searchers = [
        HybridSearcher(replace(real_assistant.settings, store=store), embedder=openvino_embedder),
        real_assistant.searcher,
    ]
    for question in QUESTIONS:
        first, second = (s.search(question, 5, "en").passages for s in searchers)
        assert first and [p.source for p in first[:1]] == [p.source for p in second[:1]]
        assert {p.source for p in first} == {p.source for p in second}


def test_texts_of_very_different_lengths_in_one_call_come_out_whole(openvino_embedder: Any) -> None:
    """Padding far past the model's attention window once gave NaN rows in bfloat16."""
    long = " ".join(f"Sentence {i} about the harbour budget and the ferry." for i in range(120))
    texts = ["Short.", long, "A medium text about the ferry timetable in May.", long[:900]]
    vectors = openvino_embedder.encode(texts, 2, 16)
    assert all(not any(math.isnan(x) for x in v) for v in vectors)
    assert all(abs(math.sqrt(sum(x * x for x in v)) - 1.0) < 1e-3 for v in vectors)
    alone = [openvino_embedder.encode([t], 1, 1)[0] for t in texts]
    assert min(_cosine(a, b) for a, b in zip(vectors, alone, strict=True)) >= 0.999
