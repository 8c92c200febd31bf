"""Re-ingest killed at arbitrary moments of heavy writing (from here, with SIGKILL), and at named
points while writing into a real Chroma server: the published index is always one whole version,
and the next run repairs it. The writer is a subprocess ingesting with the fake embedder, so the
writing, not the model, is what the kills land in."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path

import pytest
from reingest_support import (
    PROJECT,
    assert_index_matches_folder,
    expected,
    open_published,
    wait_for,
)

from ingest.settings import IngestSettings
from vectorstore.settings import StoreSettings

WRITER = """
import sys
sys.path.insert(0, {tests!r})
from dataclasses import replace
from pathlib import Path
from conftest import FakeEmbedder
from ingest import IngestSettings, ingest
from vectorstore.settings import StoreSettings
store = replace(StoreSettings(), path=Path({store!r}), embedding_model="fake-embedder", chroma_url="")
report = ingest(IngestSettings(root=Path({docs!r}), store=store, commit_texts=1), embedder=FakeEmbedder())
print(report.summary())
"""


def _articles(folder: Path, count: int, salt: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    words = "harbour council budget river school railway ferry museum storm island".split()
    for i in range(count):
        body = " ".join(words[(i * 7 + j) % len(words)] for j in range(60))
        (folder / f"article_{i:03d}.txt").write_text(
            f"Article {i} {salt}\n\n{body.capitalize()}.\n\nIt was noted in {2000 + i % 20}.\n"
        )


def test_kills_at_arbitrary_moments_of_heavy_writing_never_break_the_index(tmp_path: Path) -> None:
    docs, store = tmp_path / "docs", tmp_path / "store"
    _articles(docs, 40, "first")
    script = WRITER.format(tests=str(PROJECT / "tests"), store=str(store), docs=str(docs))
    run = [sys.executable, "-c", script]
    subprocess.run(run, cwd=PROJECT, check=True, capture_output=True, timeout=120)
    settings = IngestSettings(
        root=docs,
        store=replace(StoreSettings(), path=store, embedding_model="fake-embedder", chroma_url=""),
    )
    old = assert_index_matches_folder(settings).hashes
    _articles(docs, 80, "second")  # 40 changed, 40 new: many small writes
    new = expected(settings).hashes
    kills = 0
    for delay in (0.1, 0.4, 0.8, 1.3, 2.0):
        writer = subprocess.Popen(run, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        wait_for(partial(_started_writing, writer, store), writer)
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
        writer.communicate(timeout=30)
        assert writer.returncode in (0, -signal.SIGKILL)
        live = open_published(settings).documents()
        published = {s: d.doc_hash for s, d in live.items()}
        if published == new:  # it got to publish before the kill: nothing left to kill
            break
        assert published == old  # all or nothing: never a mix of the two
        kills += 1
    assert kills >= 3
    finished = subprocess.run(run, cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert_index_matches_folder(settings)


def _started_writing(writer: subprocess.Popen[bytes], store: Path) -> bool:
    return writer.poll() is not None or any((store / "staging").glob("*/chroma.sqlite3"))


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[str]:
    """A Chroma server on 127.0.0.1 (stopped by its PID)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    log = (tmp_path / "chroma.log").open("wb")
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("chroma")), "run", "--path", str(tmp_path / "chroma"),
         "--host", "127.0.0.1", "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline, "chroma did not start"
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(15)
        log.close()


def _each_live_document_whole(settings: IngestSettings) -> dict[str, str]:
    """Readers trust only the manifest's versions: each must be there completely."""
    store = open_published(settings)
    live = store.documents()
    counts: dict[str, int] = {}
    for source, digest in store.chunk_keys().values():
        if source in live and live[source].doc_hash == digest:
            counts[source] = counts.get(source, 0) + 1
    assert counts == {s: d.chunks for s, d in live.items()}
    return {s: d.doc_hash for s, d in live.items()}


def test_kills_against_a_chroma_server_are_repaired_in_place(
    tmp_path: Path, chroma_server: str
) -> None:
    docs = tmp_path / "docs"
    _articles(docs, 12, "first")
    script = WRITER.replace('chroma_url=""', f"chroma_url={chroma_server!r}").format(
        tests=str(PROJECT / "tests"), store=str(tmp_path / "unused"), docs=str(docs)
    )
    run = [sys.executable, "-c", script]
    subprocess.run(run, cwd=PROJECT, check=True, capture_output=True, timeout=120)
    store = replace(StoreSettings(), embedding_model="fake-embedder", chroma_url=chroma_server)
    settings = IngestSettings(root=docs, store=store)
    old = assert_index_matches_folder(settings).hashes
    _articles(docs, 15, "second")  # 12 changed, 3 new
    (docs / "article_000.txt").unlink()
    new = expected(settings).hashes
    for point in ("deleting", "chunks-written:2", "switched:3", "committed:5"):
        env = {**os.environ, "ASSISTANT_TEST_CRASH_AT": point, "ASSISTANT_EMBED_BATCH": "1"}
        killed = subprocess.run(run, cwd=PROJECT, env=env, capture_output=True, timeout=120)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr[-2000:])
        versions = _each_live_document_whole(settings)
        assert all(h in (old.get(s), new.get(s)) for s, h in versions.items())
    finished = subprocess.run(run, cwd=PROJECT, capture_output=True, text=True, timeout=120)
    assert finished.returncode == 0, finished.stderr[-2000:]
    assert_index_matches_folder(settings)
