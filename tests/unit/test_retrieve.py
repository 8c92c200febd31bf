"""Hybrid search with the fake embedder: what the fused candidates carry into the rerank."""

from __future__ import annotations

from dataclasses import replace

from assistant.pipeline.retrieve import HybridSearcher
from assistant.settings import AssistantSettings
from ingest import IngestSettings, ingest


def test_every_candidate_carries_its_own_chunk_similarity(
    fake_settings: IngestSettings,
    fake_embedder,  # type: ignore[no-untyped-def]
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    # Two dense candidates only: the others come from BM25, and still get their similarity.
    settings = replace(AssistantSettings(), store=fake_settings.store, llm_url="", candidates=2)
    searcher = HybridSearcher(settings, embedder=fake_embedder)
    query = "Which news agency reported that Khalilzad believed peace could be achieved?"
    passages = searcher.search(query, 6, "en").passages
    assert len(passages) >= 3
    vector = fake_embedder.embed_query(query)
    stored = searcher.store.chunk_vectors([p.chunk_id for p in passages])
    for passage in passages:
        expected = sum(a * b for a, b in zip(vector, stored[passage.chunk_id], strict=True))
        assert abs(passage.dense - expected) < 1e-6
        assert passage.dense > 0


def test_the_nearest_sentence_brings_the_chunk_that_holds_it(
    fake_settings: IngestSettings,
    fake_embedder,  # type: ignore[no-untyped-def]
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    base = replace(
        AssistantSettings(),
        store=fake_settings.store,
        llm_url="",
        dense_weight=0.0,
        lexical_weight=0.0,
    )  # the nearest-sentence ranking alone
    searcher = HybridSearcher(base, embedder=fake_embedder)
    searcher.refresh()
    danish = sorted(
        (c for c in searcher._chunks.values() if c.language == "da"), key=lambda c: c.start
    )[3]
    start, end = danish.sentences[len(danish.sentences) // 2]
    sentence = danish.text[start - danish.start : end - danish.start]
    top = searcher.search(sentence, 3, "da").passages[0]
    assert top.source == danish.source and top.start <= start and end <= top.end

    without = HybridSearcher(replace(base, sentence_weight=0.0), embedder=fake_embedder)
    assert without.search(sentence, 3, "da").passages[0].chunk_id != top.chunk_id
