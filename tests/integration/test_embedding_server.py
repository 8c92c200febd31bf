"""Embedding on another process: the project's OpenAI-compatible embeddings server
(`python -m vectorstore.embedding_server`) started here on 127.0.0.1 with the bundled model,
seed articles ingested through it (a dead address listed first, so a batch is tried again on the
live one), and the index compared with the same articles ingested in process: the same index
name, the same vectors (cosine >= 0.999), and questions embedded in process find its passages."""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from server_support import free_port, start, stop, wait_for

from assistant.pipeline.retrieve import HybridSearcher
from ingest import IngestSettings, ingest
from vectorstore.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
ARTICLES = ("000_e36159c2b92b76ef.txt", "002_eabf489b0b3ed5a8.txt")  # Danish and English


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base = tmp_path_factory.mktemp("embedding-server")
    port, log = free_port(), base / "server.log"
    command = [sys.executable, "-m", "vectorstore.embedding_server", "--port", str(port)]
    process = start(command, log)
    try:
        wait_for(f"http://127.0.0.1:{port}/v1/models", process, log, 180)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        stop(process)


def _documents(base: Path) -> Path:
    docs = base / "docs"
    docs.mkdir()
    for name in ARTICLES:
        shutil.copy(SEEDS / name, docs / name)
    return docs


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def test_an_index_made_through_the_server_equals_the_in_process_one(
    server: str, real_assistant: Any, tmp_path: Path
) -> None:
    local_store = replace(real_assistant.settings.store, path=tmp_path / "local", chroma_url="")
    dead = f"http://127.0.0.1:{free_port()}/v1"
    remote_store = replace(local_store, path=tmp_path / "remote", embeddings_url=f"{dead},{server}")
    docs = _documents(tmp_path)
    embedder = real_assistant.searcher.embedder
    assert ingest(IngestSettings(root=docs, store=local_store), embedder=embedder).ok
    assert ingest(IngestSettings(root=docs, store=remote_store)).ok

    local = Store.open(local_store, local_store.chunking, create=False)
    # opened without the servers: the index name is the in-process one
    remote = Store.open(
        replace(remote_store, embeddings_url=""), local_store.chunking, create=False
    )
    assert remote.chunks_name == local.chunks_name
    for name in ARTICLES:
        ids = local.chunk_ids_of(name) + local.sentence_ids_of(name)
        assert sorted(ids) == sorted(remote.chunk_ids_of(name) + remote.sentence_ids_of(name))
        mine = local.chunk_vectors(local.chunk_ids_of(name)) | local.sentence_vectors(
            local.sentence_ids_of(name)
        )
        theirs = remote.chunk_vectors(remote.chunk_ids_of(name)) | remote.sentence_vectors(
            remote.sentence_ids_of(name)
        )
        worst = min(_cosine(mine[i], theirs[i]) for i in ids)
        assert worst >= 0.999, (name, worst)

    searcher = HybridSearcher(
        replace(real_assistant.settings, store=replace(remote_store, embeddings_url="")),
        embedder=embedder,
    )
    found = searcher.search("Who took over from Khalilzad?", 3, "en")
    assert found.passages and found.passages[0].source in ARTICLES
    assert any("Thomas West" in p.text for p in found.passages)


def test_an_unreachable_server_stops_ingest_with_one_error_line(
    tmp_path: Path,
) -> None:
    docs = _documents(tmp_path)
    env = dict(os.environ, ASSISTANT_SEEDS_DIR=str(docs), ASSISTANT_STORE_PATH=str(tmp_path / "s"),
               ASSISTANT_EMBEDDINGS_URL=f"http://127.0.0.1:{free_port()}/v1")  # fmt: skip
    assistant = str(Path(sys.executable).with_name("assistant"))
    done = subprocess.run([assistant, "ingest"], env=env, capture_output=True, text=True)
    assert done.returncode != 0
    errors = [line[line.index("error:") :] for line in done.stderr.splitlines() if "error:" in line]
    assert errors == [errors[0]] and "cannot reach the embeddings server" in errors[0], done.stderr
    assert "Traceback" not in done.stderr
