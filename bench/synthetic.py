"""A synthetic index of any size, written straight into a Store (no embedding of the corpus).

Texts are drawn from the seeds' own vocabulary with a Zipf-like frequency (so BM25 sees realistic
term statistics); vectors are random unit vectors of the embedder's dimension. Queries are
questions built from the same vocabulary and embedded with the real model at search time.
Everything is seeded: the same size gives the same corpus.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from vectorstore.schema import ChunkRecord, DocumentRecord
from vectorstore.settings import PROJECT_ROOT
from vectorstore.store import Store

SEEDS = PROJECT_ROOT / "seeds"
CHUNKS_PER_DOCUMENT = 50
WORDS_PER_CHUNK = (60, 110)
BATCH = 2000


def vocabulary(folder: Path = SEEDS) -> tuple[list[str], np.ndarray]:
    """The seeds' words, most frequent first, with Zipf weights (1/rank)."""
    counts: Counter[str] = Counter()
    for path in sorted(folder.glob("*.txt")):
        counts.update(w.lower() for w in re.findall(r"[^\W\d_]{2,}", path.read_text("utf-8")))
    words = [w for w, _ in counts.most_common()]
    weights = 1.0 / np.arange(1, len(words) + 1)
    return words, weights / weights.sum()


def _text(rng: np.random.Generator, words: list[str], p: np.ndarray) -> str:
    n = int(rng.integers(*WORDS_PER_CHUNK))
    picked = rng.choice(len(words), size=n, p=p)
    sentences, start = [], 0
    while start < n:
        stop = min(n, start + int(rng.integers(8, 22)))
        sentence = " ".join(words[i] for i in picked[start:stop])
        sentences.append(sentence[:1].upper() + sentence[1:] + ".")
        start = stop
    return " ".join(sentences)


def batches(
    size: int, dimension: int, seed: int = 7
) -> Iterator[tuple[list[ChunkRecord], np.ndarray]]:
    """The corpus in batches of chunk records and unit vectors."""
    rng = np.random.default_rng(seed)
    words, p = vocabulary()
    for first in range(0, size, BATCH):
        records: list[ChunkRecord] = []
        for i in range(first, min(size, first + BATCH)):
            doc = i // CHUNKS_PER_DOCUMENT
            text = _text(rng, words, p)
            offset = (i % CHUNKS_PER_DOCUMENT) * 1000
            records.append(
                ChunkRecord(
                    id=f"syn-{i:07d}",
                    source=f"synthetic/{doc:05d}.txt",
                    doc_hash=_doc_hash(doc),
                    start=offset,
                    end=offset + len(text),
                    text=text,
                    title=f"Synthetic article {doc}",
                    date="",
                    language="en",
                    sentences=((offset, offset + len(text)),),
                )
            )
        vectors = rng.standard_normal((len(records), dimension)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        yield records, vectors


def fill(store: Store, size: int, dimension: int) -> None:
    """Write `size` synthetic chunks and their documents' manifest records, then bump the generation."""
    documents: Counter[str] = Counter()
    for records, vectors in batches(size, dimension):
        store.add_chunks(records, vectors.tolist())
        documents.update(r.source for r in records)
    for source, chunks in sorted(documents.items()):
        doc = int(Path(source).stem)
        store.put_document(
            DocumentRecord(
                source=source,
                doc_hash=_doc_hash(doc),
                title=f"Synthetic article {doc}",
                date="",
                language="en",
                chunks=chunks,
                chars=chunks * 1000,
                encoding="utf-8",
                ingested_at=0.0,
            )
        )
    store.bump_generation()


def queries(n: int, seed: int = 11) -> list[str]:
    """Questions over the synthetic vocabulary: a few common words and one or two rarer ones."""
    rng = np.random.default_rng(seed)
    words, _ = vocabulary()
    content = [w for w in words if len(w) > 3]
    openers = ["What did", "Why did", "When was", "Who said", "How many", "Where is"]
    out = []
    for _ in range(n):
        common = [content[int(i)] for i in rng.integers(0, 200, size=2)]
        rare = [
            content[int(i)] for i in rng.integers(200, len(content), size=int(rng.integers(1, 3)))
        ]
        out.append(f"{openers[int(rng.integers(len(openers)))]} {' '.join(common + rare)}?")
    return out


def _doc_hash(doc: int) -> str:
    return hashlib.sha256(json.dumps(["synthetic", doc]).encode()).hexdigest()[:16]
