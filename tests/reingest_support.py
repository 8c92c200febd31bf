"""What the re-ingest tests share: a documents folder and its store driven through the CLI
(`Site`), small articles, and checks that the published index is exactly what the folder says.

The expected entries are computed from the files with ingest's own reading and chunking (no
embedding), so "no duplicates, no orphans, manifest and store agree" is an exact comparison of id
sets, not a count that could hide a swap.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ingest.errors import DocumentError
from ingest.load import discover
from ingest.plan import prepare
from ingest.settings import IngestSettings
from vectorstore.settings import StoreSettings
from vectorstore.store import Store

PROJECT = Path(__file__).resolve().parents[1]
MODEL = "all-minilm-l6-v2"
LIGHTHOUSE = (
    "Lighthouse festival\n\nThe lighthouse festival brought an orchestra to the island. "
    "The orchestra played on the pier until midnight.\n\nTickets sold out in two days.\n"
)
FERRY = "Ferry timetable\n\nThe ferry timetable changes in May. Evening crossings are added.\n"


@dataclass
class Site:
    """A documents folder and its store, as the CLI sees them through the environment."""

    base: Path

    @property
    def docs(self) -> Path:
        return self.base / "docs"

    @property
    def settings(self) -> IngestSettings:
        store = replace(StoreSettings(), path=self.base / "store", embedding_model=MODEL)
        return IngestSettings(root=self.docs, store=replace(store, chroma_url=""))

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("ASSISTANT_")}
        env.update(
            ASSISTANT_STORE_PATH=str(self.base / "store"),
            ASSISTANT_SEEDS_DIR=str(self.docs),
            ASSISTANT_EMBEDDING_MODEL=MODEL,
            ASSISTANT_EMBED_BATCH="2",
            ASSISTANT_COMMIT_TEXTS="1",
            HOME=str(self.base),
        )
        env.update(extra)
        return env

    def start(self, *args: str, as_user: bool = False, **extra: str) -> subprocess.Popen[str]:
        """Run `assistant ingest` in a new process; `as_user`: without root's power to read any
        file (so a file without read permission really cannot be read)."""
        command = [sys.executable, "-m", "assistant.cli", "ingest", *args]
        if as_user and os.geteuid() == 0:
            command = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *command]
        return subprocess.Popen(
            command,
            cwd=PROJECT,
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def ingest(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        process = self.start(*args, **extra)
        out, err = process.communicate(timeout=180)
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def wait_for(condition: Any, process: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the ingest ended before it got there"
        assert time.monotonic() < deadline
        time.sleep(0.02)


@dataclass(frozen=True)
class Expected:
    """What the index should hold for the folder as it is now."""

    hashes: dict[str, str]
    chunk_ids: frozenset[str]
    sentence_ids: frozenset[str]


def expected(settings: IngestSettings) -> Expected:
    files, _ = discover(settings.root)
    hashes: dict[str, str] = {}
    chunks: set[str] = set()
    sentences: set[str] = set()
    for file in files:
        try:
            doc = prepare(file, settings)
        except DocumentError:
            continue
        hashes[doc.source] = doc.record.doc_hash
        chunks.update(c.id for c in doc.chunks)
        sentences.update(doc.sentence_ids())
    return Expected(hashes, frozenset(chunks), frozenset(sentences))


def open_published(settings: IngestSettings) -> Store:
    return Store.open(settings.store, settings.store.chunking, create=False)


def assert_index_matches_folder(settings: IngestSettings) -> Expected:
    """The published index holds exactly the folder's documents: every current version once,
    nothing else (no orphans, no duplicates), and the manifest agrees with the entries."""
    want = expected(settings)
    store = open_published(settings)
    try:
        live = store.documents()
        assert {s: d.doc_hash for s, d in live.items()} == want.hashes
        chunk_keys, sentence_keys = store.chunk_keys(), store.sentence_keys()
        assert set(chunk_keys) == want.chunk_ids
        assert set(sentence_keys) == want.sentence_ids
        assert store.count() == len(want.chunk_ids)
        assert all(live[s].doc_hash == h for s, h in chunk_keys.values())
        assert all(live[s].doc_hash == h for s, h in sentence_keys.values())
        per_source: dict[str, int] = {}
        for source, _ in chunk_keys.values():
            per_source[source] = per_source.get(source, 0) + 1
        assert per_source == {s: d.chunks for s, d in live.items()}
        assert store.ingest_state() == "clean"
    finally:
        store.close()
    return want
