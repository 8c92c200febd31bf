"""9. Articles in other formats, and a folder that keeps itself in sync.

- The PDF libraries compared (`bench.pdf_libraries`): text quality and reading order on one- and
  two-column layouts, speed in pages per second, licence.
- A 300-page PDF ingested by the real pipeline: extraction in pages per second, the whole ingest
  (reading, chunking, embedding, publishing) in seconds, and the process's memory before and at
  its peak.
- The watcher's latency: from the moment an article is written into the folder to the moment it
  is searchable (its ingest published), with the shipped quiet period, p50 over several files.
"""

from __future__ import annotations

import resource
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import fmt, percentile, provenance, rss_mb, save_json, table, write_section

PROJECT = Path(__file__).resolve().parents[1]
CORPUS = PROJECT.parent / "shared" / "corpora" / "xquad-dev" / "en"
PAGES = 300
CHOICE = (
    "Ingest reads PDFs with pypdfium2: as exact as pypdf, and more than pdfplumber's default, on "
    "every layout made here and on the two real manuals; several times faster than pypdf and "
    "50–90× faster than pdfplumber; BSD-3-Clause/Apache-2.0, one package without dependencies. "
    "No per-page extractor reads lines drawn interleaved across two columns in reading order "
    "(only pdfminer's layout analysis does, at about 1/90 of the speed and with mistakes "
    "elsewhere): a known limit."
)
WATCHED = 8


def _paragraphs() -> list[str]:
    """Article paragraphs to set on the pages: the English Wikipedia articles of the
    development corpus when present, else the seed articles."""
    folders = [CORPUS] if CORPUS.exists() else [PROJECT / "seeds"]
    found = []
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            found += [p.strip() for p in path.read_text("utf-8").split("\n\n") if len(p) > 200]
    return [p.encode("latin-1", "replace").decode("latin-1") for p in found]


def _big_pdf(path: Path) -> Path:
    from tests.documents_factory import paged_pdf

    paragraphs = _paragraphs()
    pages = [[paragraphs[i % len(paragraphs)]] for i in range(PAGES)]
    return paged_pdf(path, "Collected articles - a long report", pages, title="Collected articles")


def _ingest_big_pdf(folder: Path, embedder: Any, store: Any) -> dict[str, Any]:
    from ingest import IngestSettings, ingest
    from ingest.load import SourceFile
    from ingest.read import read_document

    docs = folder / "big"
    docs.mkdir()
    pdf = _big_pdf(docs / "report.pdf")
    started = time.perf_counter()
    loaded = read_document(SourceFile("report.pdf", pdf), 10**9)
    extract_s = time.perf_counter() - started
    before = rss_mb()
    settings = IngestSettings(root=docs, store=replace(store, path=folder / "big-store"))
    started = time.perf_counter()
    report = ingest(settings, embedder=embedder)
    seconds = time.perf_counter() - started
    return {
        "pages": len(loaded.pages),
        "megabytes": pdf.stat().st_size / 1e6,
        "characters": len(loaded.text),
        "extract_pages_per_s": len(loaded.pages) / extract_s,
        "ingest_s": seconds,
        "chunks": report.chunks_embedded,
        "sentences": report.sentences_embedded,
        "rss_before_mb": before,
        "rss_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3,
        "errors": list(report.errors),
    }


def _watch_latency(folder: Path, embedder: Any, store: Any) -> dict[str, Any]:
    """Write articles one at a time into a watched folder; time each until it is published."""
    from ingest import IngestSettings, ingest
    from ingest.watch import FolderWatcher

    docs = folder / "watched"
    docs.mkdir()
    settings = IngestSettings(root=docs, store=replace(store, path=folder / "watched-store"))
    published: dict[str, float] = {}
    arrived = threading.Condition()

    def sync() -> None:
        report = ingest(settings, embedder=embedder)
        with arrived:
            for source in report.added:
                published[source] = time.perf_counter()
            arrived.notify_all()

    paragraphs = _paragraphs()
    latencies = []
    with FolderWatcher(docs, sync, quiet=settings.watch_quiet):
        for i in range(WATCHED):
            name = f"article-{i}.txt"
            text = f"Article {i}\n\n" + "\n\n".join(paragraphs[i * 3 : i * 3 + 3]) + "\n"
            (docs / name).write_text(text, encoding="utf-8")
            written = time.perf_counter()
            with arrived:
                arrived.wait_for(lambda n=name: n in published, timeout=300)
            latencies.append(published[name] - written)
    return {
        "quiet_s": settings.watch_quiet,
        "files": WATCHED,
        "latency_s": latencies,
        "p50_s": percentile(latencies, 50),
        "max_s": max(latencies),
    }


def run() -> dict[str, Any]:
    from bench import pdf_libraries
    from vectorstore.embeddings import get_embedder
    from vectorstore.settings import StoreSettings

    started = time.perf_counter()
    libraries = pdf_libraries.run()
    store = replace(StoreSettings(), chroma_url="")
    embedder = get_embedder(store.embedding_model, store.query_threads, store.embed_threads)
    embedder.embed_query("warm up")
    with tempfile.TemporaryDirectory(prefix="bench-formats-") as folder:
        big = _ingest_big_pdf(Path(folder), embedder, store)
        watch = _watch_latency(Path(folder), embedder, store)
    result = {"big_pdf": big, "watch": watch, "libraries_markdown": libraries.get("markdown", "")}
    save_json("formats", result)
    write_section("formats", _report(result, time.perf_counter() - started))
    return {"big_pdf": big, "watch": {k: v for k, v in watch.items() if k != "latency_s"}}


def _report(result: dict[str, Any], seconds: float) -> str:
    big, watch = result["big_pdf"], result["watch"]
    rows = [
        ["pages", fmt(big["pages"])],
        ["file size", fmt(big["megabytes"], 1, " MB")],
        ["text extracted", fmt(big["characters"]) + " characters"],
        ["extraction (pypdfium2, headers out, paragraphs rejoined)",
         fmt(big["extract_pages_per_s"]) + " pages/s"],
        ["whole ingest (read, chunk, embed, publish)", fmt(big["ingest_s"], 1, " s")],
        ["texts embedded", f"{big['chunks']} chunks + {big['sentences']} sentences"],
        ["memory before the ingest (models loaded)", fmt(big["rss_before_mb"], 0, " MB")],
        ["memory at the peak", fmt(big["rss_peak_mb"], 0, " MB")],
    ]  # fmt: skip
    latency = [
        [fmt(watch["quiet_s"], 1, " s"), watch["files"], fmt(watch["p50_s"], 1, " s"),
         fmt(watch["max_s"], 1, " s")]
    ]  # fmt: skip
    return "\n\n".join(
        [
            "## 9. Formats and the watched folder (`python -m bench formats`)",
            "### The PDF libraries compared",
            result["libraries_markdown"] or "(not measured)",
            CHOICE,
            f"### A {big['pages']}-page PDF through the real ingest",
            table(["", "measured"], rows),
            "### Watcher latency: article written → searchable",
            table(["quiet period", "articles", "p50", "max"], latency),
            provenance(seconds),
        ]
    )
