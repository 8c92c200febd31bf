"""Ingest throughput of each embedding runtime on the same articles (ASSISTANT_EMBEDDINGS_RUNTIME).

Each runtime ingests the same folder (the seeds and some of the Wikipedia development articles)
into a fresh store, timed from the first file read to the published index, the model loaded and
warmed before the clock starts. Texts are what ingest embeds: every chunk and every sentence.
The time for 1,000 news-length articles (800 words) is projected from texts per word and texts
per second. Answer quality with each runtime is measured by `python -m bench quality --variants
defaults,embedder` (docs/EVALUATION.md).
"""

from __future__ import annotations

import shutil
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import RESULTS, fmt, provenance, save_json, table, write_section
from bench.quality import XQUAD
from ingest import ingest
from ingest.settings import IngestSettings
from vectorstore.embeddings import get_embedder
from vectorstore.remote_embeddings import vector_identity
from vectorstore.settings import PROJECT_ROOT, StoreSettings

SEEDS = PROJECT_ROOT / "seeds"
WIKIPEDIA_ARTICLES = 4
NEWS_WORDS = 800
RUNTIMES = ("torch", "openvino")


def _folder() -> Path:
    folder = RESULTS / "runtimes-articles"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for article in sorted(SEEDS.iterdir()):
        shutil.copyfile(article, folder / article.name)
    for article in sorted((XQUAD / "en").glob("*.txt"))[:WIKIPEDIA_ARTICLES]:
        shutil.copyfile(article, folder / article.name)
    return folder


def _measure(runtime: str, folder: Path) -> dict[str, Any]:
    store = replace(
        StoreSettings(), path=RESULTS / "runtimes-store", chroma_url="", embeddings_runtime=runtime
    )
    shutil.rmtree(store.path, ignore_errors=True)
    embedder = get_embedder(
        store.embedding_model, store.query_threads, store.embed_threads, runtime
    )
    embedder.embed_passages(["warm up the model before the clock starts"], ["none"], 16)
    clock = time.perf_counter()
    report = ingest(IngestSettings(root=folder, store=store), embedder=embedder)
    seconds = time.perf_counter() - clock
    if not report.ok:
        raise RuntimeError(f"the runtimes benchmark's ingest failed: {report.errors}")
    shutil.rmtree(store.path, ignore_errors=True)
    texts = report.chunks_embedded + report.sentences_embedded
    return {
        "runtime": runtime,
        "identity": vector_identity(store),
        "documents": len(report.added),
        "texts": texts,
        "seconds": seconds,
        "texts_per_s": texts / seconds,
        "articles_per_min": len(report.added) / seconds * 60,
    }


def run() -> dict[str, Any]:
    started = time.perf_counter()
    folder = _folder()
    words = sum(len(p.read_text("utf-8").split()) for p in folder.iterdir())
    rows = [_measure(runtime, folder) for runtime in RUNTIMES]
    for row in rows:
        per_article = row["texts"] / words * NEWS_WORDS
        row["thousand_articles_min"] = 1000 * per_article / row["texts_per_s"] / 60
        row["speedup"] = rows[0]["seconds"] / row["seconds"]
    shutil.rmtree(folder, ignore_errors=True)
    result = {"words": words, "rows": rows, "seconds": time.perf_counter() - started}
    save_json("runtimes", result)
    write_section("runtimes", render(result))
    return result


def render(r: dict[str, Any]) -> str:
    first = r["rows"][0]
    rows = [
        [f"`{x['runtime']}` ({x['identity']})", fmt(x["seconds"], 1, " s"),
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
        "warmed first. The 1,000-article time is projected from texts per word and texts per "
        "second; answer quality per runtime is in docs/EVALUATION.md (the defaults against the "
        "variant *torch embedder*).\n\n" + table(head, rows) + "\n\n" + provenance(r["seconds"])
    )
