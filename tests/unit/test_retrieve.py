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


def _searcher(fake_settings: IngestSettings, fake_embedder) -> HybridSearcher:  # type: ignore[no-untyped-def]
    ingest(fake_settings, embedder=fake_embedder)
    settings = replace(AssistantSettings(), store=fake_settings.store, llm_url="")
    return HybridSearcher(settings, embedder=fake_embedder)


def test_a_republished_copy_does_not_fill_the_passages_twice(
    fake_settings: IngestSettings,
    fake_embedder,  # type: ignore[no-untyped-def]
) -> None:
    root = fake_settings.root
    original = sorted(root.glob("*.txt"))[0]
    text = original.read_text("utf-8")
    (root / "copy.txt").write_text("Syndicated by the Coastal Wire\n\n" + text, "utf-8")
    searcher = _searcher(fake_settings, fake_embedder)
    copies = searcher.copies()
    assert set(copies) == {original.name, "copy.txt"}  # the other seeds are other stories
    query = text.split("\n\n")[2][:200]
    sources = [p.source for p in searcher.search(query, 6, "en").passages]
    assert original.name in sources or "copy.txt" in sources
    assert not (original.name in sources and "copy.txt" in sources), sources


def test_a_date_filter_limits_the_search_to_the_documents_it_keeps(
    fake_settings: IngestSettings,
    fake_embedder,  # type: ignore[no-untyped-def]
) -> None:
    from assistant.types import DateFilter

    searcher = _searcher(fake_settings, fake_embedder)
    documents = searcher.documents()
    dated = sorted((d.date, s) for s, d in documents.items() if d.date)
    assert len(dated) >= 2
    first_date, first = dated[0]
    keep = DateFilter(until=first_date)
    kept = [s for s, d in documents.items() if keep.keeps(d.date)]
    assert first in kept and len(kept) < len(documents)
    with searcher.limited_to(kept):
        passages = searcher.search("Khalilzad resigned as envoy", 6, "en").passages
    assert passages and {p.source for p in passages} <= set(kept)
    assert not DateFilter("2021-10-01", "2021-10-31").keeps("")
    assert DateFilter("2021-10-01", "2021-10-31", undated=True).keeps("")
    assert DateFilter("2021-10-01", "2021-10-31").keeps("2021") and not DateFilter(
        "2021-10-01"
    ).keeps("2021-09-30")
