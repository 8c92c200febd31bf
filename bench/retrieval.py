"""2. Retrieval (dense + BM25 + fusion) latency and memory at 1k, 10k and 100k chunks.

Each size runs in its own process (so memory figures do not pile up) over a synthetic index
(`bench.synthetic`, cached in bench/results/synthetic/ once built). Questions are embedded with
the real model. The peer is the sum of the bare parts on the same queries: sentence-transformers
`encode` of the query, Chroma's raw top-k query (ids only) and bm25s' raw retrieve.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import (
    RESULTS,
    fmt,
    percentile,
    provenance,
    rss_mb,
    save_json,
    table,
    timed,
    write_section,
)

VERSION = "v1"
QUERIES = 60
WARM_UP = 10


def _store_folder(size: int) -> Path:
    """One cached index per size and per index signature (embedding model + chunking)."""
    from vectorstore.settings import StoreSettings
    from vectorstore.store import signature

    store = StoreSettings()
    return (
        RESULTS
        / "synthetic"
        / f"{size}-{VERSION}-{signature(store.embedding_model, store.chunking)}"
    )


def _settings(size: int) -> Any:
    from assistant.settings import AssistantSettings
    from vectorstore.settings import StoreSettings

    store = replace(
        StoreSettings(), path=_store_folder(size), chroma_url="", collection="synthetic"
    )
    return replace(AssistantSettings(), store=store, llm_url="")


def build(size: int, dimension: int) -> float:
    """Create the synthetic index of this size unless it is cached; seconds spent building."""
    from bench.synthetic import fill
    from vectorstore.store import Store

    folder = _store_folder(size)
    done = folder / "BUILT"
    if done.exists():
        return float(done.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    settings = _settings(size).store
    started = time.perf_counter()
    store = Store.open(settings, settings.chunking, create=True, dimension=dimension)
    fill(store, size, dimension)
    seconds = time.perf_counter() - started
    done.write_text(f"{seconds:.1f}")
    return seconds


def _replace_one_document(store: Any, source: str, seed: int, dimension: int) -> None:
    """What an ingest of one changed document does: new chunks, manifest switch, old out."""
    import numpy as np

    old = store.chunks_of(source)
    new_hash = f"{old[0].doc_hash[:8]}{seed:08d}"
    rng = np.random.default_rng(seed)
    fresh = [replace(c, id=f"{c.id}-{seed}", doc_hash=new_hash) for c in old]
    vectors = rng.standard_normal((len(fresh), dimension))
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    store.add_chunks(fresh, vectors.tolist())
    store.put_document(replace(store.documents()[source], doc_hash=new_hash))
    store.delete_chunks([c.id for c in old])
    store.bump_generation()


def _restore(store: Any, source: str, original: list[Any], vectors: list[Any]) -> None:
    """Put the cached corpus back exactly as it was, so every run measures the same index."""
    current = store.chunks_of(source)
    store.add_chunks(original, vectors)
    store.put_document(replace(store.documents()[source], doc_hash=original[0].doc_hash))
    store.delete_chunks([c.id for c in current])
    store.bump_generation()


def measure(size: int) -> dict[str, Any]:
    """All figures of one size (runs inside the child process)."""
    import torch

    from assistant.pipeline.retrieve import HybridSearcher
    from bench.synthetic import queries
    from vectorstore.embeddings import get_embedder
    from vectorstore.text import tokenize

    settings = _settings(size)
    s = settings.store
    embedder = get_embedder(s.embedding_model, s.query_threads, s.embed_threads)
    embedder.embed_query("warm up")
    build_s = build(size, embedder.dimension)
    rss_before = rss_mb()

    searcher = HybridSearcher(settings, embedder=embedder)
    load: list[float] = []
    with timed(load):
        searcher.refresh()
    qs = queries(QUERIES)
    for q in qs[:WARM_UP]:
        searcher.search(q)
    rss_after = rss_mb()
    lexical = searcher._lexical

    hybrid: list[float] = []
    for q in qs[WARM_UP:]:
        with timed(hybrid):
            searcher.search(q)
    rebuilt_during_queries = searcher._lexical is not lexical

    # The bare parts, on the same queries: bm25s (the library) indexed over the same texts.
    import bm25s

    chunks = list(searcher._chunks.values())
    corpus = [tokenize(f"{c.title}\n{c.text}", c.language) or ["\u2205"] for c in chunks]
    vocabulary = {t for tokens in corpus for t in tokens}
    library = bm25s.BM25()
    library.index(corpus, show_progress=False)
    embed: list[float] = []
    ann: list[float] = []
    bm25: list[float] = []
    model, prompt, collection = embedder.model, embedder.spec.query_prompt, searcher.store._chunks
    n = settings.candidates
    torch.set_num_threads(s.query_threads)
    for q in qs[WARM_UP:]:
        with timed(embed):
            vector = model.encode([prompt + q], batch_size=1, normalize_embeddings=True)[0]
        with timed(ann):
            collection.query(query_embeddings=[vector.tolist()], n_results=n * 2, include=[])
        with timed(bm25):
            tokens = [t for t in tokenize(q) if t in vocabulary]
            if tokens:
                library.retrieve([tokens], k=n, show_progress=False)
    del library, corpus

    # An ingest changes one document: the searcher catches up on its next query.
    store = searcher.store
    source = sorted(store.documents())[0]
    original = store.chunks_of(source)
    got = store._chunks.get(ids=[c.id for c in original], include=["embeddings"])
    by_id = dict(zip(got["ids"], got["embeddings"], strict=True))
    vectors = [list(map(float, by_id[c.id])) for c in original]
    _replace_one_document(store, source, size, embedder.dimension)
    update: list[float] = []
    with timed(update):
        searcher.refresh()
    live = {c.id for c in store.chunks_of(source)}
    updated_ok = live <= set(searcher._chunks) and not {c.id for c in original} & set(
        searcher._chunks
    )
    _restore(store, source, original, vectors)
    searcher.refresh()

    return {
        "size": size,
        "build_s": build_s,
        "queries": len(hybrid),
        "hybrid_ms": hybrid,
        "p50_ms": percentile(hybrid, 50),
        "p95_ms": percentile(hybrid, 95),
        "embed_p50_ms": percentile(embed, 50),
        "ann_p50_ms": percentile(ann, 50),
        "bm25_p50_ms": percentile(bm25, 50),
        "bare_p50_ms": percentile(embed, 50) + percentile(ann, 50) + percentile(bm25, 50),
        "load_ms": load[0],
        "update_ms": update[0],
        "update_correct": updated_ok,
        "bm25_rebuilt_during_queries": rebuilt_during_queries,
        "rss_index_mb": rss_after - rss_before,
        "rss_total_mb": rss_after,
        "disk_mb": sum(f.stat().st_size for f in _store_folder(size).rglob("*") if f.is_file())
        / 1e6,
    }


def run(sizes: list[int] | None = None) -> dict[str, Any]:
    """Every size in its own process; the section of docs/BENCHMARKS.md."""
    started = time.perf_counter()
    results = []
    for size in sizes or [1000, 10000, 100000]:
        out = RESULTS / f"retrieval-{size}.json"
        subprocess.run(
            [sys.executable, "-m", "bench.retrieval", "--size", str(size), "--out", str(out)],
            check=True,
        )
        results.append(json.loads(out.read_text()))
    payload = {"sizes": results, "seconds": time.perf_counter() - started}
    save_json("retrieval", payload)
    write_section("retrieval", render(payload))
    return {f"p50_ms_{r['size']}": r["p50_ms"] for r in results} | {
        f"ratio_{r['size']}": r["p50_ms"] / r["bare_p50_ms"] for r in results
    }


GOALS = {10000: 150.0, 100000: 300.0}


def render(payload: dict[str, Any]) -> str:
    rows = []
    for r in payload["sizes"]:
        goal = GOALS.get(r["size"])
        verdict = "–" if goal is None else ("met" if r["p50_ms"] < goal else "**missed**")
        rows.append([
            f"{r['size']:,}", fmt(r["p50_ms"], 0), fmt(r["p95_ms"], 0),
            f"{fmt(r['embed_p50_ms'], 0)} + {fmt(r['ann_p50_ms'], 1)} + {fmt(r['bm25_p50_ms'], 1)}",
            fmt(r["bare_p50_ms"], 0), f"**{r['p50_ms'] / r['bare_p50_ms']:.2f}**",
            f"{'< ' + fmt(goal, 0) if goal else '–'} ({verdict})",
            fmt(r["rss_index_mb"], 0), fmt(r["rss_total_mb"], 0), fmt(r["disk_mb"], 0),
            fmt(r["load_ms"] / 1000, 1, " s"), fmt(r["update_ms"] / 1000, 2, " s"),
        ])  # fmt: skip
    header = [
        "chunks", "p50 ms", "p95 ms", "bare parts p50 ms (embed + ANN + BM25)", "bare sum",
        "ratio p50 / bare", "goal p50", "index RSS MB", "process RSS MB", "on disk MB",
        "first load", "catch-up after 1-doc ingest",
    ]  # fmt: skip
    rebuilt = any(r["bm25_rebuilt_during_queries"] for r in payload["sizes"])
    correct = all(r["update_correct"] for r in payload["sizes"])
    n = payload["sizes"][0]["queries"] if payload["sizes"] else 0
    return f"""## 2. Retrieval latency and memory

`HybridSearcher.search` (question embedding with EmbeddingGemma on 1 thread, Chroma top-60,
BM25 top-30, reciprocal rank fusion, live-version filter) over a synthetic index: texts drawn
from the seeds' vocabulary with Zipf frequencies, random unit vectors (768-d), 50 chunks per
document. {n} questions per size after 10 warm-up ones. Peer: the bare parts on the same
questions (sentence-transformers `encode`, Chroma's raw query for ids only, bm25s' raw retrieve).

{table(header, rows)}

The BM25 index is built once when the searcher first loads ("first load": every chunk read from
Chroma and indexed) and kept; rebuilt during the timed queries: **{"yes" if rebuilt else "never"}**.
When an ingest changes a document (50 chunks replaced), the next query catches up by reading and
indexing only that document's chunks (last column), and then sees exactly the new version:
**{"yes" if correct else "NO"}**.
"index RSS" is the process's growth when the searcher loads (chunk map, BM25, Chroma's HNSW);
"process RSS" includes the embedding model.

{provenance(payload["seconds"])}
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.retrieval")
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    result = measure(args.size)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    print(
        f"[retrieval] {args.size:>7,} chunks: p50 {result['p50_ms']:.0f} ms, p95 "
        f"{result['p95_ms']:.0f} ms, bare {result['bare_p50_ms']:.0f} ms, "
        f"update {result['update_ms']:.0f} ms",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
