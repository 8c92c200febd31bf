"""Embedding on OpenAI-compatible servers (`vectorstore.remote_embeddings`), against small fake
servers in threads: batches in turn, another server tried when one fails, one-line errors, the
model's prompts added by the client, and the identity an index is named after."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from vectorstore import remote_embeddings
from vectorstore.embeddings import RUNTIME
from vectorstore.remote_embeddings import (
    EmbeddingServerError,
    RemoteEmbeddings,
    embedder_for,
    vector_identity,
)
from vectorstore.settings import StoreSettings


class Fake(ThreadingHTTPServer):
    """Answers with a vector per text ([length, 0, 0], unnormalised), or fails as told."""

    def __init__(
        self,
        status: int = 200,
        runtime: str | None = RUNTIME,
        model: str = "m",
        meet: threading.Barrier | None = None,
    ):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.status, self.runtime, self.model, self.meet = status, runtime, model, meet
        self.seen: list[list[str]] = []
        self.met: list[bool] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: Fake

    def do_GET(self) -> None:
        entry: dict[str, Any] = {"id": self.server.model}
        if self.server.runtime:
            entry["runtime"] = self.server.runtime
        self._send(200, {"data": [entry]})

    def do_POST(self) -> None:
        texts = json.loads(self.rfile.read(int(self.headers["Content-Length"])))["input"]
        self.server.seen.append(texts)
        if self.server.meet:  # did another server have a request in flight at the same time?
            try:
                self.server.met.append(self.server.meet.wait() >= 0)
            except threading.BrokenBarrierError:
                self.server.met.append(False)
        if self.server.status != 200:
            self._send(self.server.status, {"error": {"message": "no"}})
            return
        data = [{"index": i, "embedding": [float(len(t)), 0.0, 0.0]} for i, t in enumerate(texts)]
        self._send(200, {"data": list(reversed(data))})  # any order: the index says which

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def serve() -> Iterator[Any]:
    started: list[Fake] = []

    def start(**kwargs: Any) -> Fake:
        server = Fake(**kwargs)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(remote_embeddings, "FIRST_PAUSE", 0.0)


def _closed_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/v1"


def test_batches_go_to_the_servers_in_turn_and_come_back_as_unit_vectors(serve: Any) -> None:
    a, b = serve(), serve()
    embedder = RemoteEmbeddings("m", [a.url, b.url])
    vectors = embedder.embed_passages(["one", "three", "x", "yy"], None, batch_size=1)
    assert vectors == [[1.0, 0.0, 0.0]] * 4
    assert len(a.seen) == len(b.seen) == 2
    assert sorted(a.seen + b.seen) == [["one"], ["three"], ["x"], ["yy"]]


def test_each_server_embeds_a_batch_at_the_same_time(serve: Any) -> None:
    meet = threading.Barrier(2, timeout=3)
    a, b = serve(meet=meet), serve(meet=meet)
    RemoteEmbeddings("m", [a.url, b.url]).embed_passages(["one", "two"], None, batch_size=1)
    assert a.met == b.met == [True]


def test_the_bundled_models_prompts_are_added_by_the_client(serve: Any) -> None:
    server = serve(model="embeddinggemma-300m")
    embedder = RemoteEmbeddings("embeddinggemma-300m", [server.url])
    embedder.embed_passages(["text"], ["Title"])
    embedder.embed_query("question")
    assert server.seen == [["title: Title | text: text"], ["task: search result | query: question"]]


def test_a_down_or_failing_server_is_skipped_for_the_next(serve: Any) -> None:
    good, failing = serve(), serve(status=503)
    embedder = RemoteEmbeddings("m", [_closed_url(), failing.url, good.url])
    assert embedder.embed_documents(["a", "b"]) == [[1.0, 0.0, 0.0]] * 2
    assert failing.seen == [["a", "b"]] and good.seen == [["a", "b"]]


def test_when_every_try_fails_embedding_stops_in_one_line(serve: Any) -> None:
    failing = serve(status=500)
    with pytest.raises(EmbeddingServerError, match="no embeddings server answered") as stopped:
        RemoteEmbeddings("m", [failing.url, _closed_url()]).embed_query("q")
    assert "\n" not in str(stopped.value)
    assert len(failing.seen) == remote_embeddings.TRIES // 2


def test_a_refused_request_is_not_sent_again(serve: Any) -> None:
    refusing = serve(status=400)
    with pytest.raises(EmbeddingServerError, match="refused: HTTP 400"):
        RemoteEmbeddings("m", [refusing.url]).embed_query("q")
    assert len(refusing.seen) == 1


def test_the_identity_names_the_runtime_unless_it_is_the_in_process_one(serve: Any) -> None:
    same, onnx, silent = serve(), serve(runtime="onnx-int8"), serve(runtime=None)
    assert RemoteEmbeddings("m", [same.url, same.url]).identity() == "m"
    assert RemoteEmbeddings("m", [_closed_url(), onnx.url]).identity() == "m@onnx-int8"
    assert RemoteEmbeddings("m", [onnx.url]).identity() == "m@onnx-int8"
    assert RemoteEmbeddings("m", [silent.url]).identity() == "m@server"
    with pytest.raises(EmbeddingServerError, match="different runtimes"):
        RemoteEmbeddings("m", [same.url, onnx.url]).identity()
    with pytest.raises(EmbeddingServerError, match="serves \\['other'\\], not m"):
        RemoteEmbeddings("m", [serve(model="other").url]).identity()
    with pytest.raises(EmbeddingServerError, match="cannot reach"):
        RemoteEmbeddings("m", [_closed_url()]).identity()


def test_settings_choose_the_servers_and_name_the_index(serve: Any) -> None:
    onnx = serve(runtime="onnx-int8", model="embeddinggemma-300m")
    local = replace(StoreSettings(), embeddings_url="", embeddings_runtime="torch")
    remote = replace(local, embeddings_url=f" {onnx.url} , ")
    assert remote.embeddings_urls == (onnx.url,)
    assert vector_identity(local) == "embeddinggemma-300m"
    assert vector_identity(remote) == "embeddinggemma-300m@onnx-int8"
    assert isinstance(embedder_for(remote), RemoteEmbeddings)
    with pytest.raises(EmbeddingServerError, match="not an http"):
        embedder_for(replace(local, embeddings_url="file:///etc/passwd"))
