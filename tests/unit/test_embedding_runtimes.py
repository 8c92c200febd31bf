"""Choosing what runs the embedder: `auto` takes OpenVINO where its package loads, the index name records the runtime, an unknown runtime is one clear error, the
OpenVINO runtime's batches keep texts of about the same length together, and a model reads no
more tokens than its own setting allows."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from vectorstore import openvino_embeddings
from vectorstore.embeddings import RUNTIME, chosen_runtime, identity
from vectorstore.errors import AssistantError, ModelNotFoundError
from vectorstore.openvino_embeddings import LONGEST, _batches, longest, runtime
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


@pytest.mark.parametrize(
    ("precision", "chosen"), [("bf16", "openvino"), ("f32", "openvino"), (None, "torch")]
)
def test_auto_runs_openvino_where_it_loads_and_torch_elsewhere(
    monkeypatch: pytest.MonkeyPatch, precision: str | None, chosen: str
) -> None:
    def measured() -> str:
        if precision is None:
            raise ModelNotFoundError("no openvino package")
        return precision

    monkeypatch.setattr(openvino_embeddings, "precision", measured)
    assert chosen_runtime("auto") == chosen
    assert chosen_runtime("torch") == "torch" and chosen_runtime("openvino") == "openvino"


def test_a_model_reads_no_more_tokens_than_its_own_setting(tmp_path: Path) -> None:
    assert longest(tmp_path) == LONGEST
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 256}))
    assert longest(tmp_path) == 256
    (tmp_path / "sentence_bert_config.json").write_text(json.dumps({"max_seq_length": 8192}))
    assert longest(tmp_path) == LONGEST
