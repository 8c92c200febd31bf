"""Pooled chunk vectors (ASSISTANT_CHUNK_VECTORS=pooled): ingest encodes only the sentences, each
chunk's stored vector is the unit mean of its sentences' stored vectors, the index is one of its
own (never mixed with encoded chunk vectors), and a wrong setting is one clear line."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reingest_support import assert_index_matches_folder, open_published

from ingest import ingest
from ingest.settings import IngestSettings
from vectorstore.errors import AssistantError
from vectorstore.schema import sentence_id

pytestmark = pytest.mark.unit

ARTICLE = (
    "Harbour news\n\nThe council met on Monday. It approved a budget for the ferry. The mayor "
    "said the work starts in spring.\n\nShops welcomed the plan. The port opens in May.\n"
)


@pytest.fixture
def pooled(tmp_path: Path, fake_settings: IngestSettings) -> IngestSettings:
    root = tmp_path / "articles"
    root.mkdir()
    (root / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
    store = replace(fake_settings.store, chunk_vectors="pooled", chunk_chars=80)
    return replace(fake_settings, root=root, store=store)


def test_chunks_take_the_mean_of_their_sentences_and_only_sentences_are_encoded(
    pooled: IngestSettings, fake_embedder: Any
) -> None:
    report = ingest(pooled, embedder=fake_embedder)

    assert report.ok and fake_embedder.texts_embedded == report.sentences_embedded
    assert_index_matches_folder(pooled)
    store = open_published(pooled)
    chunks = store.chunks_of("harbour.txt")
    assert len(chunks) > 1 and any(len(c.sentences) > 1 for c in chunks)
    stored = store.chunk_vectors([c.id for c in chunks])
    for chunk in chunks:
        ids = [sentence_id(chunk.source, chunk.doc_hash, span) for span in chunk.sentences]
        sentences = store.sentence_vectors(ids)
        mean = [sum(column) for column in zip(*(sentences[i] for i in ids), strict=True)]
        norm = math.sqrt(sum(x * x for x in mean))
        assert stored[chunk.id] == pytest.approx([x / norm for x in mean], abs=1e-6)
    store.close()


def test_pooled_vectors_make_an_index_of_their_own(fake_settings: IngestSettings) -> None:
    encoded = fake_settings.store
    assert replace(encoded, chunk_vectors="pooled").chunking != encoded.chunking
    with pytest.raises(AssistantError, match="ASSISTANT_CHUNK_VECTORS=mean: not a choice"):
        _ = replace(encoded, chunk_vectors="mean").chunking
