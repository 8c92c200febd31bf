"""Ingest throughput of each embedding runtime on the same articles (ASSISTANT_EMBEDDINGS_RUNTIME).

Each runtime ingests the same folder (the seeds and some of the Wikipedia development articles)
into a fresh store, timed from the first file read to the published index, the model loaded and
warmed before the clock starts. Texts are what ingest embeds: every chunk and every sentence.
The time for 1,000 news-length articles (800 words) is projected from seconds per word. Answer
quality with each runtime is measured by `python -m bench quality --variants
defaults,embedder` (docs/EVALUATION.md).

The same folder is then ingested through 1 and 2 embeddings servers on this machine
(`python -m vectorstore.embedding_server`, ASSISTANT_EMBEDDINGS_URL), the machine's cores shared
among them: this shows the path to more machines (each server is a machine's worth of encoder),
not a speed-up on one machine.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import (
    RESULTS,
    fmt,
    free_port,
    provenance,
    save_json,
    stop,
    table,
    write_section,
)  # fmt: skip
from bench.quality import XQUAD
from ingest import ingest
from ingest.progress import Progress
from ingest.settings import IngestSettings
from vectorstore.remote_embeddings import embedder_for, vector_identity
from vectorstore.settings import PROJECT_ROOT, StoreSettings

SEEDS = PROJECT_ROOT / "seeds"
WIKIPEDIA_ARTICLES = 4
NEWS_WORDS = 800
RUNTIMES = ("torch", "openvino")
SERVERS = (1, 2)
"""Embeddings servers on this machine for the scale-out rows; its cores are split among them."""


def _folder() -> Path:
    folder = RESULTS / "runtimes-articles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for article in sorted(SEEDS.iterdir()):
        shutil.copyfile(article, folder / article.name)
    for article in sorted((XQUAD / "en").glob("*.txt"))[:WIKIPEDIA_ARTICLES]:
        shutil.copyfile(article, folder / article.name)
    return folder


def _measure(
    runtime: str, folder: Path, urls: tuple[str, ...] = (), chunks: str = "encoded"
) -> dict[str, Any]:
    store = replace(
        StoreSettings(), path=RESULTS / "runtimes-store", chroma_url="", embeddings_runtime=runtime,
        embeddings_url=",".join(urls), chunk_vectors=chunks,
    )  # fmt: skip
    row, _ = timed_ingest(store, folder)
    return {"runtime": f"{len(urls)} server{'s' if len(urls) > 1 else ''}" if urls else runtime,
            **row}  # fmt: skip


def timed_ingest(
    store: StoreSettings, folder: Path, progress: Progress | None = None
) -> tuple[dict[str, Any], Any]:
    """`folder` ingested into a fresh store at `store.path` (removed afterwards), timed from the
    first file read to the published index, the model loaded and warmed first (one text per
    server): its row, and the embedder."""
    shutil.rmtree(store.path, ignore_errors=True)
    embedder = embedder_for(store)
    warm = max(1, len([u for u in store.embeddings_url.split(",") if u]))
    embedder.embed_passages(
        ["warm up the model before the clock starts"] * warm, ["none"] * warm, 1
    )
    clock = time.perf_counter()
    report = ingest(IngestSettings(root=folder, store=store), progress=progress, embedder=embedder)
    seconds = time.perf_counter() - clock
    if not report.ok:
        raise RuntimeError(f"the benchmark's ingest failed: {report.errors}")
    shutil.rmtree(store.path, ignore_errors=True)
    pooled = store.chunk_vectors == "pooled"
    texts = report.sentences_embedded + (0 if pooled else report.chunks_embedded)
    row = {
        "chunks": store.chunk_vectors,
        "identity": vector_identity(store),
        "documents": len(report.added),
        "texts": texts,
        "seconds": seconds,
        "texts_per_s": texts / seconds,
        "articles_per_min": len(report.added) / seconds * 60,
    }
    return row, embedder


def _through_servers(count: int, folder: Path) -> dict[str, Any]:
    """The folder ingested through `count` servers of the default runtime started here."""
    threads = max(1, (os.cpu_count() or 2) // count)
    servers = [_start_server(threads) for _ in range(count)]
    try:
        row = _measure(StoreSettings().embeddings_runtime, folder, tuple(u for _, u in servers))
    finally:
        for process, _ in servers:
            stop(process)
    row["threads_each"] = threads
    return row


def _start_server(threads: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [sys.executable, "-m", "vectorstore.embedding_server", "--port", str(port),
               "--threads", str(threads)]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/v1"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.5)
    stop(process)
    raise RuntimeError(f"the embeddings server on port {port} did not start")


def run() -> dict[str, Any]:
    started = time.perf_counter()
    folder = _folder()
    words = sum(len(p.read_text("utf-8").split()) for p in folder.iterdir())
    rows = [_measure(runtime, folder) for runtime in RUNTIMES]
    rows.append(_measure("openvino", folder, chunks="pooled"))
    for servers in SERVERS:
        rows.append(_through_servers(servers, folder))
    for row in rows:
        row["thousand_articles_min"] = row["seconds"] / words * NEWS_WORDS * 1000 / 60
        row["speedup"] = rows[0]["seconds"] / row["seconds"]
    shutil.rmtree(folder, ignore_errors=True)
    result = {"words": words, "rows": rows, "seconds": time.perf_counter() - started}
    save_json("runtimes", result)
    write_section("runtimes", render(result))
    return result


def render(r: dict[str, Any]) -> str:
    first = r["rows"][0]
    rows = [
        [_label(x), fmt(x["seconds"], 1, " s"),
         fmt(x["texts_per_s"], 1), fmt(x["articles_per_min"], 1),
         fmt(x["thousand_articles_min"], 0, " min"), f"**{x['speedup']:.2f}×**"]
        for x in r["rows"]
    ]  # fmt: skip
    head = ["runtime (index name)", "ingest", "texts/s", "articles/min",
            "1,000 × 800 words (projected)", "speed-up"]  # fmt: skip
    return (
        "## Embedding runtimes\n\n"
        f"The seeds and {WIKIPEDIA_ARTICLES} Wikipedia development articles ({first['documents']} "
        f"documents, {r['words']:,} words, {first['texts']:,} texts: chunks and sentences) "
        "ingested into a fresh store by each runtime (`ASSISTANT_EMBEDDINGS_RUNTIME`), the model "
        "warmed first. The 1,000-article time is projected from seconds per word. Answer "
        "quality is in docs/EVALUATION.md: the defaults against the variants *torch embedder* "
        "and *pooled chunk vectors* (which encodes the sentences only). The server rows ingest "
        "through embeddings servers started on this machine (`ASSISTANT_EMBEDDINGS_URL`), its cores split among them: they show "
        "that batches spread over several servers (one in flight per server), the path to "
        "more machines, not a gain on one machine.\n\n"
        + table(head, rows)
        + "\n\n"
        + provenance(r["seconds"])
    )


def _label(row: dict[str, Any]) -> str:
    if row.get("chunks") == "pooled":
        return f"`{row['runtime']}`, pooled chunk vectors ({row['identity']})"
    if "threads_each" in row:
        threads = row["threads_each"]
        return f"{row['runtime']}, {threads} thread{'s' if threads > 1 else ''} each ({row['identity']})"
    return f"`{row['runtime']}` ({row['identity']})"
