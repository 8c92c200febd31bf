"""Beyond one machine: the same ingest and the same questions through a Chroma server
(`chroma run`) and llama-cpp-python's OpenAI-compatible server, both on 127.0.0.1.

The servers are started here in subprocesses and stopped by their PID. Everything real: the
bundled embedder, a real Chroma server, the default LLM served over HTTP.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from server_support import free_port, start, stop, wait_for

from assistant import Assistant
from assistant.integrations import LocalChatModel
from assistant.llm import GenerationError, OpenAICompatibleBackend, model_path
from assistant.pipeline.retrieve import HybridSearcher
from assistant.settings import AssistantSettings
from ingest import ingest
from ingest.lock import lock_path
from ingest.settings import IngestSettings
from vectorstore.errors import StoreUnavailableError
from vectorstore.settings import StoreSettings
from vectorstore.store import Store

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
DOCUMENT = "002_eabf489b0b3ed5a8.txt"  # an English article of about 4 KB: a short ingest
QUESTION = "How many prisoners was the Afghan government to release?"


@dataclass(frozen=True)
class Servers:
    chroma_url: str
    llm_url: str
    llm_log: Path
    chroma_dir: Path


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    base = tmp_path_factory.mktemp("servers")
    chroma_port, llm_port = free_port(), free_port()
    chroma_log, llm_log = base / "chroma.log", base / "llm.log"
    chroma_bin = Path(sys.executable).with_name("chroma")
    chroma = start(
        [str(chroma_bin), "run", "--path", str(base / "chroma"), "--host", "127.0.0.1",
         "--port", str(chroma_port)],
        chroma_log,
    )  # fmt: skip
    settings = AssistantSettings()
    llm = start(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model_path(settings.llm_model)),
         "--host", "127.0.0.1", "--port", str(llm_port), "--n_ctx", str(settings.llm_context),
         "--n_threads", str(settings.llm_threads), "--n_threads_batch", str(settings.llm_threads),
         "--seed", "0", "--verbose", "False"],
        llm_log,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{chroma_port}/api/v2/heartbeat", chroma, chroma_log, 60)
        wait_for(f"http://127.0.0.1:{llm_port}/v1/models", llm, llm_log, 120)
        yield Servers(
            chroma_url=f"http://127.0.0.1:{chroma_port}",
            llm_url=f"http://127.0.0.1:{llm_port}/v1",
            llm_log=llm_log,
            chroma_dir=base / "chroma",
        )
    finally:
        stop(llm)
        stop(chroma)
    assert llm.poll() is not None and chroma.poll() is not None


@pytest.fixture(scope="module")
def server_settings(
    servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> tuple[IngestSettings, AssistantSettings]:
    base = tmp_path_factory.mktemp("server-docs")
    docs = base / "docs"
    docs.mkdir()
    shutil.copy(SEEDS / DOCUMENT, docs / DOCUMENT)
    store = replace(StoreSettings(), chroma_url=servers.chroma_url, path=base / "no-embedded-store")
    return (
        IngestSettings(root=docs, store=store),
        replace(AssistantSettings(), store=store, llm_url=servers.llm_url),
    )


def _completions(log: Path) -> int:
    return log.read_text(errors="replace").count("POST /v1/chat/completions")


def test_ingest_writes_into_the_chroma_server_and_not_the_embedded_folder(
    servers: Servers, server_settings: tuple[IngestSettings, AssistantSettings]
) -> None:
    ingest_settings, _ = server_settings
    report = ingest(ingest_settings)

    assert report.ok and report.added == (DOCUMENT,) and report.chunks_embedded > 0
    assert not ingest_settings.store.path.exists()
    assert lock_path(ingest_settings).parent == Path(tempfile.gettempdir())
    # A second, independent client of the same server sees exactly what was written.
    store = Store.open(ingest_settings.store, ingest_settings.store.chunking, create=False)
    assert store.count() == report.chunks_total == report.chunks_embedded
    assert set(store.documents()) == {DOCUMENT}
    assert any(servers.chroma_dir.iterdir())  # the server persisted it in its own folder


def test_reingest_through_the_server_embeds_nothing(
    server_settings: tuple[IngestSettings, AssistantSettings],
) -> None:
    ingest_settings, _ = server_settings
    ingest(ingest_settings)
    again = ingest(ingest_settings)
    assert again.unchanged == (DOCUMENT,)
    assert again.chunks_embedded == 0 and again.added == () and again.updated == ()


def test_a_running_searcher_catches_up_with_an_ingest_through_the_server(
    server_settings: tuple[IngestSettings, AssistantSettings],
) -> None:
    ingest_settings, settings = server_settings
    ingest(ingest_settings)
    searcher = HybridSearcher(settings)
    query = "Who resigned as special representative?"
    before = {p.chunk_id for p in searcher.search(query, 3).passages}
    document = ingest_settings.root / DOCUMENT
    original = document.read_text(encoding="utf-8")
    added = "\n\nThe harbour pilots of Vestmark counted eleven lighthouses along the fjord.\n"
    try:
        document.write_text(original + added, encoding="utf-8")
        assert ingest(ingest_settings).updated == (DOCUMENT,)
        found = searcher.search("How many lighthouses did the Vestmark harbour pilots count?", 3)
        assert "eleven lighthouses" in found.passages[0].text
        live = set(
            Store.open(
                ingest_settings.store, ingest_settings.store.chunking, create=False
            ).chunk_keys()
        )
        assert {p.chunk_id for p in searcher.search(query, 3).passages} <= live
        assert set(searcher._chunks) == live and len(searcher._lexical or ()) == len(live)
    finally:
        document.write_text(original, encoding="utf-8")
        ingest(ingest_settings)
    assert {p.chunk_id for p in searcher.search(query, 3).passages} == before


def test_ask_through_both_servers_answers_as_the_in_process_model_does(
    servers: Servers, server_settings: tuple[IngestSettings, AssistantSettings]
) -> None:
    ingest_settings, settings = server_settings
    ingest(ingest_settings)
    assistant = Assistant(settings)
    before = _completions(servers.llm_log)

    answer = assistant.ask(QUESTION)

    assert isinstance(assistant.llm, OpenAICompatibleBackend)
    # One draft, plus at most one second look when the first is refused or fails the check.
    assert before + 1 <= _completions(servers.llm_log) <= before + 2
    assert answer.found and answer.citations
    text = (ingest_settings.root / DOCUMENT).read_text(encoding="utf-8")
    for citation in answer.citations:
        assert citation.source == DOCUMENT
        assert text[citation.start : citation.end] == citation.text
    for passage in answer.passages:
        assert text[passage.start : passage.end] == passage.text
    assert 0 < answer.timings.first_token_ms <= answer.timings.total_ms
    # Greedy decoding: the same model in process writes the same draft from the same evidence.
    local = Assistant(replace(settings, llm_url=""), searcher=assistant.searcher).ask(QUESTION)
    assert local.evidence == answer.evidence
    assert local.draft == answer.draft and local.text == answer.text


def test_chat_model_streams_from_the_llm_server(servers: Servers) -> None:
    before = _completions(servers.llm_log)
    model = LocalChatModel(base_url=servers.llm_url, max_tokens=8)
    chunks = list(model.stream("Say hello."))

    # One draft, plus at most one second look when the first is refused or fails the check.
    assert before + 1 <= _completions(servers.llm_log) <= before + 2
    assert "".join(c.text for c in chunks).strip()
    assert chunks[-1].chunk_position == "last" and chunks[-1].usage_metadata
    served = json.load(urllib.request.urlopen(f"{servers.llm_url}/models", timeout=5))
    assert model.chat_backend().served_model() == served["data"][0]["id"]  # type: ignore[attr-defined]


def test_servers_that_do_not_answer_fail_with_one_clear_line() -> None:
    closed = f"127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailableError, match="no Chroma server answers"):
        Store.open(replace(StoreSettings(), chroma_url=closed), "any", create=False)
    backend = OpenAICompatibleBackend(replace(AssistantSettings(), llm_url=closed))
    with pytest.raises(GenerationError, match="did not answer") as failure:
        list(backend.stream([{"role": "user", "content": "hi"}], 4))
    assert "\n" not in str(failure.value)
