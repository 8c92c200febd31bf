"""Re-ingest benchmark: a no-change re-ingest of 1,000 documents, and adding 1 document to them.

`python -m bench.reingest [--docs N] [--no-real]` (also run by `python -m bench reingest`). The
1,000 synthetic articles (about 4 KB each, 5.4 chunks and 19 sentences on average) are loaded once
with a hashing embedder that counts what it embeds, so the figures are the sync's own cost:
listing, hashing, comparing with the manifest, and writing. The no-change run is timed end to end
as a user runs it (`assistant ingest` in a new process; the store records a model name that cannot
be loaded, which proves no model is loaded) and inside the process. Adding one document is timed
with the counting embedder and, end to end, with the real MiniLM embedder (`--no-real` skips it).
The section between `<!-- reingest:start -->` and `<!-- reingest:end -->` of docs/BENCHMARKS.md
is replaced.
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from bench.common import command, fmt, provenance, save_json, table, write_section
from ingest import IngestSettings, ingest
from vectorstore.settings import PROJECT_ROOT, StoreSettings

REAL_MODEL = "all-minilm-l6-v2"
HASH_MODEL = "bench-hash-embedder"
"""The model name the benchmark index records; no such model exists, so none can be loaded."""
WORDS = (
    "harbour council budget river school railway election energy museum festival farmer bridge "
    "hospital minister village library storm market island teacher factory airport science "
    "forest orchestra parliament coastline vaccine mountain tunnel harvest region treaty "
    "satellite committee reporter volunteer engineer archive garden stadium bakery ferry"
).split()


class CountingEmbedder:
    """Hashes words into a vector (instant) and counts every text it is asked to embed."""

    def __init__(self, dimension: int = 64) -> None:
        self.dimension = dimension
        self.texts = 0

    def embed_passages(
        self, texts: Sequence[str], titles: Sequence[str] | None, batch_size: int = 16
    ) -> list[list[float]]:
        self.texts += len(texts)
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)

    def _vector(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        for word in text.lower().split() or ["empty"]:
            vector[hashlib.sha256(word.encode()).digest()[0] % self.dimension] += 1.0
        norm = math.sqrt(sum(v * v for v in vector)) or 1.0
        return [v / norm for v in vector]


def write_articles(folder: Path, count: int, seed: int = 7) -> None:
    """`count` synthetic articles: a title and 4–8 paragraphs of 2–4 sentences."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for i in range(count):
        (folder / f"article_{i:04d}.txt").write_text(_article(rng, i), encoding="utf-8")


def _article(rng: random.Random, i: int) -> str:
    paragraphs = []
    for _ in range(rng.randint(4, 8)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20)))
            sentences.append(f"{words.capitalize()} in {1990 + rng.randint(0, 34)}.")
        paragraphs.append(" ".join(sentences))
    title = f"Report {i}: the {rng.choice(WORDS)} and the {rng.choice(WORDS)}"
    return title + "\n\n" + "\n\n".join(paragraphs) + "\n"


def _settings(base: Path, model: str) -> IngestSettings:
    store = replace(StoreSettings(), path=base / "store", embedding_model=model, chroma_url="")
    return IngestSettings(root=base / "docs", store=store)


def _cli_env(settings: IngestSettings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
    env.update(
        ASSISTANT_STORE_PATH=str(settings.store.path),
        ASSISTANT_SEEDS_DIR=str(settings.root),
        ASSISTANT_EMBEDDING_MODEL=settings.store.embedding_model,
    )
    return env


CLI = [".venv/bin/assistant", "ingest"]


def _cli_run(settings: IngestSettings) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [str(PROJECT_ROOT / CLI[0]), *CLI[1:]],
        env=_cli_env(settings),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"assistant ingest failed: {done.stderr[-500:]}")
    return seconds, done.stdout.strip().splitlines()[-1]


def run(docs: int = 1000, real: bool = True) -> dict[str, Any]:
    """Measure; return the figures."""
    base = Path(tempfile.mkdtemp(prefix="bench-reingest-"))
    try:
        settings = _settings(base, HASH_MODEL)
        write_articles(settings.root, docs)
        embedder = CountingEmbedder()
        started = time.perf_counter()
        first = ingest(settings, embedder=embedder)
        figures: dict[str, Any] = {
            "documents": docs,
            "first_ingest_s": time.perf_counter() - started,
            "chunks": first.chunks_total,
            "texts_first": embedder.texts,
        }
        cli = [_cli_run(settings) for _ in range(3)]
        figures["cli_no_change_s"] = sorted(s for s, _ in cli)[1]
        figures["cli_no_change_runs_s"] = [round(s, 3) for s, _ in cli]
        figures["cli_summary"] = cli[-1][1]
        inside, embedded_before = [], embedder.texts
        for _ in range(3):
            inside.append(ingest(settings, embedder=embedder))
        figures["no_change_s"] = sorted(r.seconds for r in inside)[1]
        figures["no_change_texts"] = embedder.texts - embedded_before
        figures["no_change_unchanged"] = len(inside[-1].unchanged)

        new = settings.root / "article_new.txt"
        new.write_text(_article(random.Random(99), docs), encoding="utf-8")
        embedded_before = embedder.texts
        added = ingest(settings, embedder=embedder)
        figures["add_one_s"] = added.seconds
        figures["add_one_texts"] = embedder.texts - embedded_before
        figures["add_one_chunks"] = added.chunks_embedded
        figures["add_one_sentences"] = added.sentences_embedded
        figures["add_one_added"] = list(added.added)
        if real:
            figures.update(_real_add_one(base, docs))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return figures


def _real_add_one(base: Path, docs: int) -> dict[str, Any]:
    """Add one document with the real MiniLM embedder through the CLI, to an index of the same
    articles. Building that index with MiniLM would take minutes, so its 1,000 documents are
    loaded with 384-d hash vectors under MiniLM's name: only the added document is embedded by
    the real model, which is exactly the case being timed."""
    settings = _settings(base / "real", REAL_MODEL)
    write_articles(settings.root, docs)
    ingest(settings, embedder=CountingEmbedder(dimension=384))
    (settings.root / "article_new.txt").write_text(
        _article(random.Random(99), docs), encoding="utf-8"
    )
    seconds, summary = _cli_run(settings)
    no_change, _ = _cli_run(settings)
    return {
        "real_add_one_cli_s": seconds,
        "real_add_one_summary": summary,
        "real_no_change_cli_s": no_change,
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run, save bench/results/reingest.json, replace the section in docs/BENCHMARKS.md."""
    parser = argparse.ArgumentParser(prog="python -m bench.reingest", description=__doc__)
    parser.add_argument("--docs", type=int, default=1000, help="documents (default 1000)")
    parser.add_argument(
        "--no-real", action="store_true", help="skip adding 1 document with the real MiniLM"
    )
    args = parser.parse_args(argv if argv is not None else [])
    started = time.perf_counter()
    figures = run(args.docs, not args.no_real)
    save_json("reingest", figures)
    write_section("reingest", _section(figures, time.perf_counter() - started))
    return figures


def _section(f: dict[str, Any], seconds: float) -> str:
    n = f"{f['documents']:,}"
    env = "ASSISTANT_SEEDS_DIR=… ASSISTANT_STORE_PATH=… ASSISTANT_EMBEDDING_MODEL=" + HASH_MODEL
    rows = [
        [
            f"no-change re-ingest of {n} documents, end to end",
            f"**{fmt(f['cli_no_change_s'], 2, ' s')}** (goal < 2 s; runs "
            + ", ".join(f"{s:.2f}" for s in f["cli_no_change_runs_s"])
            + ")",
            f"`{env} .venv/bin/assistant ingest`",
        ],
        [
            "the same, inside `ingest()` (no interpreter start, no imports)",
            fmt(f["no_change_s"], 3, " s"),
            "`ingest(settings)` in the benchmark process",
        ],
        [
            "texts embedded by a no-change run",
            f"**{f['no_change_texts']}** ({f['no_change_unchanged']:,} documents unchanged)",
            "counted by the embedder",
        ],
        [
            f"add 1 document to {n}",
            f"**{f['add_one_texts']} texts embedded** = its {f['add_one_chunks']} chunks + "
            f"{f['add_one_sentences']} sentences, nothing else; {fmt(f['add_one_s'], 2, ' s')}",
            "`ingest(settings)` after writing `article_new.txt`",
        ],
        [
            f"first ingest of {n} documents (hashing embedder: reading, chunking, writing)",
            f"{fmt(f['first_ingest_s'], 1, ' s')}, {f['chunks']:,} chunks, "
            f"{f['texts_first']:,} texts",
            "`ingest(settings)`",
        ],
    ]
    if "real_add_one_cli_s" in f:
        rows.append(
            [
                f"add 1 document to {n} with the real MiniLM, end to end (model load included)",
                f"{fmt(f['real_add_one_cli_s'], 1, ' s')}: “{f['real_add_one_summary']}”; "
                f"the no-change run after it {fmt(f['real_no_change_cli_s'], 2, ' s')}",
                f"`ASSISTANT_EMBEDDING_MODEL={REAL_MODEL} .venv/bin/assistant ingest`",
            ]
        )
    return "\n".join(
        [
            "## Re-ingest",
            "",
            f"{n} synthetic articles (about 4 KB each) in a fresh store. The no-change run hashes",
            "every file, compares with the manifest and writes nothing; adding one document",
            "embeds only that document's chunks and sentences. An embedder that counts its",
            "texts shows what was embedded; the end-to-end time includes starting Python and",
            "importing Chroma (about 1 s of it).",
            *(
                [
                    "In the MiniLM row the 1,000 indexed documents carry hash vectors recorded",
                    "under MiniLM's name (embedding them with MiniLM takes minutes); only the",
                    "added document meets the real model, which is the case being timed.",
                ]
                if "real_add_one_cli_s" in f
                else []
            ),
            "",
            table(["case", "figure", "command"], rows),
            "",
            _provenance(seconds),
        ]
    )


def _provenance(seconds: float) -> str:
    """When, where and with which command (this module's own, when it ran on its own)."""
    line = provenance(seconds)
    if Path(sys.argv[0]).name == "reingest.py":
        own = " ".join([".venv/bin/python -m bench.reingest", *sys.argv[1:]]).strip()
        line = line.replace(command(), own)
    return line


if __name__ == "__main__":
    figures = main(sys.argv[1:])
    print({k: v for k, v in figures.items() if not isinstance(v, list)})
