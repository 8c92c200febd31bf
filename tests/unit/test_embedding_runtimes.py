"""Choosing what runs the embedder: the index name records the runtime, an unknown runtime is one
clear error, and the OpenVINO runtime's batches keep texts of about the same length together."""

from __future__ import annotations

from dataclasses import replace

import pytest

from vectorstore.embeddings import RUNTIME, identity
from vectorstore.errors import AssistantError
from vectorstore.openvino_embeddings import _batches, runtime
from vectorstore.remote_embeddings import vector_identity
from vectorstore.settings import StoreSettings

pytestmark = pytest.mark.unit


def test_the_index_name_records_a_runtime_other_than_the_default() -> None:
    store = replace(StoreSettings(), embedding_model="embeddinggemma-300m", embeddings_url="")
    assert vector_identity(replace(store, embeddings_runtime="torch")) == "embeddinggemma-300m"
    made = vector_identity(replace(store, embeddings_runtime="openvino"))
    assert made == f"embeddinggemma-300m@{runtime()}" and identity("m", RUNTIME) == "m"


def test_an_unknown_runtime_is_one_clear_error() -> None:
    store = replace(StoreSettings(), embeddings_url="", embeddings_runtime="tensorflow")
    with pytest.raises(AssistantError, match="ASSISTANT_EMBEDDINGS_RUNTIME=tensorflow"):
        vector_identity(store)


def test_batches_group_texts_of_about_the_same_length() -> None:
    lengths = [900, 12, 15, 300, 14, 700, 13, 16]
    batches = _batches(lengths, 3, 256)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(len(b) <= 3 for b in batches)
    for batch in batches:
        sizes = [lengths[i] for i in batch]
        assert max(sizes) - min(sizes) <= 256
    assert [lengths[i] for i in batches[0]] == [12, 13, 14]
    assert _batches([], 16, 256) == []
