"""1,000 news-length articles ingested for real, and the machine's floor for them.

The articles are made of real sentences: runs of 3 to 6 consecutive sentences from the seeds and
the Wikipedia development articles, one language per article (a language with too few sentences
is left out), put together until an article has 800 words. The same seed gives the same articles.
They are ingested into a fresh store with the settings of the environment (the default runtime,
or ASSISTANT_EMBEDDINGS_RUNTIME / ASSISTANT_CHUNK_VECTORS for a variant), timed from the first
file read to the published index, the model warmed first. Each variant adds a row.

The floor: the same embedder encodes the words of some of the articles once, in pieces of about
a chunk's length, without prompts, titles or sentences: what any ingest that reads every word
through this model on this machine needs at least.
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import RESULTS, fmt, load_json, provenance, save_json, table, write_section
from bench.quality import XQUAD
from bench.runtimes import timed_ingest
from ingest.progress import Meter
from vectorstore.settings import PROJECT_ROOT, StoreSettings
from vectorstore.text import detect_language, split_sentences

ARTICLES = 1000
WORDS = 800
RUN = (3, 6)
"""Consecutive sentences taken from a source at a time (a paragraph)."""
FEWEST = 200
"""Sentences a language needs in its sources to get articles of its own."""
FLOOR_ARTICLES = 25
PIECE_WORDS = 120


def sources() -> dict[str, list[list[str]]]:
    """language → the sentences of each source article in that language."""
    files = sorted((PROJECT_ROOT / "seeds").glob("*.txt"))
    files += sorted((XQUAD / "en").glob("*.txt")) + sorted((XQUAD / "de").glob("*.txt"))
    pools: dict[str, list[list[str]]] = {}
    for path in files:
        text = path.read_text("utf-8")
        language = detect_language(text)
        spans = split_sentences(text, 0, len(text), language)
        pools.setdefault(language, []).append([" ".join(text[s:e].split()) for s, e in spans])
    return {k: v for k, v in pools.items() if sum(len(a) for a in v) >= FEWEST}


def article(rng: random.Random, articles: list[list[str]]) -> str:
    """About WORDS words in paragraphs of consecutive sentences from random source articles."""
    paragraphs: list[str] = []
    words = 0
    while words < WORDS:
        sentences = rng.choice(articles)
        start = rng.randrange(len(sentences))
        run = sentences[start : start + rng.randint(*RUN)]
        paragraphs.append(" ".join(run))
        words += sum(len(s.split()) for s in run)
    return "\n\n".join(paragraphs) + "\n"


def write_articles(folder: Path, count: int = ARTICLES) -> int:
    """`count` articles into a fresh folder; returns their words."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    pools = sources()
    languages = sorted(pools)
    weights = [sum(len(a) for a in pools[k]) for k in languages]
    words = 0
    for i in range(count):
        rng = random.Random(i)
        text = article(rng, pools[rng.choices(languages, weights)[0]])
        (folder / f"article-{i:04d}.txt").write_text(text, "utf-8")
        words += len(text.split())
    return words


def _printer() -> Any:
    meter, last = Meter(), [0.0]

    def progress(done: int, total: int, label: str) -> None:
        if time.monotonic() - last[0] >= 60 or done == total:
            last[0] = time.monotonic()
            print(meter.line(done, total, label), file=sys.stderr, flush=True)

    return progress


def ingest_all(folder: Path) -> dict[str, Any]:
    store = replace(StoreSettings(), path=RESULTS / "thousand-store", chroma_url="")
    row, embedder = timed_ingest(store, folder, _printer())
    return {**row, "floor_seconds": _floor(embedder, folder)}


def _floor(embedder: Any, folder: Path) -> float | None:
    """Seconds to encode the words of FLOOR_ARTICLES articles once, scaled to all of them
    (None through embeddings servers)."""
    if not hasattr(embedder, "encode"):
        return None
    paths = sorted(folder.iterdir())
    sample = paths[:FLOOR_ARTICLES]
    words = [w for p in sample for w in p.read_text("utf-8").split()]
    pieces = [" ".join(words[i : i + PIECE_WORDS]) for i in range(0, len(words), PIECE_WORDS)]
    clock = time.perf_counter()
    embedder.encode(pieces, embedder.document_threads)
    return (time.perf_counter() - clock) * len(paths) / len(sample)


def run() -> dict[str, Any]:
    started = time.perf_counter()
    folder = RESULTS / "thousand-articles"
    words = write_articles(folder)
    row = ingest_all(folder)
    shutil.rmtree(folder, ignore_errors=True)
    earlier = (load_json("thousand") or {}).get("rows", [])
    rows = [r for r in earlier if (r["identity"], r["chunks"]) != (row["identity"], row["chunks"])]
    result = {"words": words, "rows": [*rows, row], "seconds": time.perf_counter() - started}
    save_json("thousand", result)
    write_section("thousand", render(result))
    return result


def render(r: dict[str, Any]) -> str:
    rows = [
        [f"{x['identity']}, {x['chunks']} chunk vectors", f"{x['documents']:,}", f"{x['texts']:,}",
         fmt(x["seconds"] / 60, 1, " min"), fmt(x["texts"] / x["seconds"], 1),
         fmt(x["documents"] / x["seconds"] * 60, 1), fmt(x["floor_seconds"] and x["floor_seconds"] / 60, 1, " min")]
        for x in r["rows"]
    ]  # fmt: skip
    head = ["index (runtime, chunk vectors)", "articles", "texts", "ingest", "texts/s",
            "articles/min", "floor: every word encoded once"]  # fmt: skip
    return (
        f"## 1,000 articles (`python -m bench thousand`)\n\n"
        f"{ARTICLES:,} articles of {WORDS} words ({r['words']:,} words in all), made of runs of "
        "real sentences from the seeds and the Wikipedia development articles (one language "
        "per article), ingested into a fresh store, the model warmed first. The floor is the "
        "same embedder encoding every word once in pieces of "
        f"{PIECE_WORDS} words, without prompts, titles or sentence vectors (measured on "
        f"{FLOOR_ARTICLES} of the articles and scaled): no ingest that reads every word through "
        "this model on this machine can be faster.\n\n" + table(head, rows) + "\n\n"
        + provenance(r["seconds"])
    )  # fmt: skip
