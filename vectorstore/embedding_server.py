"""An OpenAI-compatible embeddings server for the bundled (or any sentence-transformers) model:
`python -m vectorstore.embedding_server --port 7997`, on as many machines as embedding needs.

`POST /v1/embeddings` takes `{"model", "input": str | [str]}` and answers with unit vectors in the
OpenAI shape; `GET /v1/models` names the model and its runtime, which the client records with the
index, so that an index never mixes vectors of different runtimes. Texts are embedded as sent:
the client adds the model's prompts ("title: … | text: "), as it does in process, so the vectors
are the in-process ones. Standard library HTTP; requests are embedded one at a time.
"""

from __future__ import annotations

import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from vectorstore.embeddings import RUNTIMES, SentenceTransformerEmbeddings, get_embedder
from vectorstore.settings import StoreSettings

LARGEST_REQUEST = 64 * 1024 * 1024
"""Bytes one request may carry."""


class EmbeddingServer(ThreadingHTTPServer):
    """The HTTP server and the one model it serves."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], model: str, threads: int, runtime: str | None = None
    ):
        super().__init__(address, _Handler)
        self.model_name = model
        self.embedder: SentenceTransformerEmbeddings = get_embedder(
            model, threads, threads, runtime
        )
        self.lock = threading.Lock()

    def embed(self, texts: list[str]) -> list[list[float]]:
        with self.lock:
            return self.embedder.encode(texts, self.embedder.document_threads)


class _Handler(BaseHTTPRequestHandler):
    server: EmbeddingServer

    def do_GET(self) -> None:
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            model = {
                "id": self.server.model_name,
                "object": "model",
                "runtime": self.server.embedder.runtime,
            }
            self._send(200, {"object": "list", "data": [model]})
        elif self.path.rstrip("/") == "/health":
            self._send(200, {"status": "ok"})
        else:
            self._send(404, {"error": {"message": f"no such path: {self.path}"}})

    def do_POST(self) -> None:
        if self.path.rstrip("/") not in ("/v1/embeddings", "/embeddings"):
            self._send(404, {"error": {"message": f"no such path: {self.path}"}})
            return
        request, problem = self._request()
        if problem:
            self._send(400, {"error": {"message": problem}})
            return
        texts = request["input"] if isinstance(request["input"], list) else [request["input"]]
        vectors = self.server.embed([str(t) for t in texts])
        data = [{"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)]
        words = sum(len(str(t).split()) for t in texts)
        self._send(200, {"object": "list", "data": data, "model": self.server.model_name,
                         "runtime": self.server.embedder.runtime, "usage": {"prompt_tokens": words, "total_tokens": words}})  # fmt: skip

    def _request(self) -> tuple[dict[str, Any], str]:
        """The JSON body, or why it cannot be served."""
        length = int(self.headers.get("Content-Length") or 0)
        if length > LARGEST_REQUEST:
            return {}, f"the request is over {LARGEST_REQUEST // 2**20} MB"
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except (ValueError, UnicodeDecodeError):
            return {}, "the body is not JSON"
        if not isinstance(request, dict) or not isinstance(request.get("input"), str | list):
            return {}, "'input' must be a text or a list of texts"
        asked = request.get("model") or self.server.model_name
        if asked != self.server.model_name:
            return {}, f"this server embeds with {self.server.model_name}, not {asked}"
        return request, ""

    def _send(self, status: int, payload: dict[str, Any]) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: one line per request is noise at thousands of batches."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m vectorstore.embedding_server",
                                     description=__doc__.splitlines()[0])  # fmt: skip
    parser.add_argument("--model", default="embeddinggemma-300m")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7997)
    parser.add_argument("--threads", type=int, default=2, help="threads (default 2)")
    default = StoreSettings().embeddings_runtime
    parser.add_argument(
        "--runtime", choices=RUNTIMES, default=default, help=f"(default {default}, as in process)"
    )
    args = parser.parse_args(argv)
    server = EmbeddingServer((args.host, args.port), args.model, args.threads, args.runtime)
    server.embed(["warm up"])
    print(f"embedding with {args.model} on http://{args.host}:{server.server_port}/v1", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
