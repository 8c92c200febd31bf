"""Re-ingest with real processes: `python -m assistant.cli ingest` in subprocesses, the real MiniLM
embedder, real Chroma folders, real SIGKILLs, and retrieval checked while and after they run.

Kills happen at named points through the test-only hook of `ingest.faults`
(ASSISTANT_TEST_CRASH_AT), and also at arbitrary moments of heavy writing (killed from here).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from reingest_support import Expected, assert_index_matches_folder, expected, open_published

from assistant.pipeline.retrieve import HybridSearcher
from assistant.settings import AssistantSettings
from ingest.settings import IngestSettings
from vectorstore.embeddings import get_embedder
from vectorstore.settings import StoreSettings

PROJECT = Path(__file__).resolve().parents[2]
SEEDS = PROJECT / "seeds"
MODEL = "all-minilm-l6-v2"
ZEBRA = "The zebra crossing committee painted forty new crossings near the harbour school.\n"
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


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The seeds ingested once by the real CLI with MiniLM; tests work on copies of it."""
    site = Site(tmp_path_factory.mktemp("built"))
    shutil.copytree(SEEDS, site.docs)
    done = site.ingest()
    assert done.returncode == 0, done.stderr
    return site


@pytest.fixture
def site(built: Site, tmp_path: Path) -> Site:
    copy = Site(tmp_path / "site")
    shutil.copytree(built.base, copy.base, ignore=shutil.ignore_patterns("ingest.lock"))
    return copy


@pytest.fixture(scope="module")
def embedder() -> Any:
    return get_embedder(MODEL, 1, 2)


def _searcher(site: Site, embedder: Any) -> HybridSearcher:
    """A reader as a freshly started app would make it."""
    return HybridSearcher(replace(AssistantSettings(), store=site.settings.store), embedder)


def _one_version_each(searcher: HybridSearcher, query: str) -> dict[str, str]:
    """Search; every document in the results must appear in one version only."""
    versions: dict[str, set[str]] = {}
    for passage in searcher.search(query, k=10).passages:
        versions.setdefault(passage.source, set()).add(passage.doc_hash)
    assert all(len(v) == 1 for v in versions.values()), versions
    return {source: next(iter(v)) for source, v in versions.items()}


def _change_folder(site: Site) -> tuple[list[Path], Path]:
    """Two edits, one deletion, two new articles."""
    seeds = sorted(site.docs.iterdir())
    for edited in (seeds[0], seeds[2]):
        edited.write_text(edited.read_text(encoding="utf-8") + "\n" + ZEBRA, encoding="utf-8")
    seeds[1].unlink()
    (site.docs / "zz lighthouse ø.txt").write_text(LIGHTHOUSE, encoding="utf-8")
    (site.docs / "zz_ferry.txt").write_text(FERRY, encoding="utf-8")
    return seeds, seeds[1]


def _assert_previous_index_answers(
    site: Site, embedder: Any, before: Expected, gone: tuple[str, str]
) -> None:
    live = open_published(site.settings).documents()
    assert {s: d.doc_hash for s, d in live.items()} == before.hashes
    searcher = _searcher(site, embedder)
    found = _one_version_each(searcher, "Khalilzad Taliban Afghanistan diplomat resignation")
    assert found and all(before.hashes[s] == h for s, h in found.items())
    name, text = gone  # the deleted document still answers until an ingest completes
    assert name in _one_version_each(searcher, text)
    assert not any("lighthouse" in s for s in _one_version_each(searcher, "lighthouse festival"))


KILL_CHAIN = [
    "deleting",
    "embedding",
    "committed:1",
    "chunks-written:1",
    "switched:1",
    "publishing",
]


def test_kills_at_each_point_keep_the_old_index_and_the_next_run_repairs(
    site: Site, embedder: Any
) -> None:
    before = assert_index_matches_folder(site.settings)
    spans_before = {c.id: (c.start, c.end) for c in open_published(site.settings).all_chunks()}
    seeds, gone = _change_folder(site)
    gone_text = open_published(site.settings).chunks_of(gone.name)[0].text[:300]
    for point in KILL_CHAIN:  # each run resumes what the killed one before it left
        killed = site.ingest(ASSISTANT_TEST_CRASH_AT=point)
        assert killed.returncode == -signal.SIGKILL, (point, killed.stderr[-2000:])
        _assert_previous_index_answers(site, embedder, before, (gone.name, gone_text))

    final = site.ingest()

    assert final.returncode == 0, final.stderr
    assert "resumed the ingest that was interrupted" in final.stdout
    assert f"deleted: {gone.name}" in final.stdout
    want = assert_index_matches_folder(site.settings)
    searcher = _searcher(site, embedder)
    assert "zz lighthouse ø.txt" in _one_version_each(searcher, "lighthouse festival orchestra")
    assert gone.name not in _one_version_each(searcher, gone_text)
    kept = {i: s for i, s in spans_before.items() if i in want.chunk_ids}  # untouched documents
    spans_after = {c.id: (c.start, c.end) for c in open_published(site.settings).all_chunks()}
    assert kept and all(spans_after[i] == s for i, s in kept.items())
    assert {i for i in spans_before if i in want.chunk_ids} == {
        c.id for s in seeds[3:] for c in open_published(site.settings).chunks_of(s.name)
    }

    (site.docs / "zz_ferry.txt").unlink()  # killed after publishing, before pruning
    killed = site.ingest(ASSISTANT_TEST_CRASH_AT="published")
    assert killed.returncode == -signal.SIGKILL
    assert_index_matches_folder(site.settings)
    again = site.ingest()
    assert again.returncode == 0 and "0 embedded" in again.stdout
    assert_index_matches_folder(site.settings)


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
        _wait_for(partial(_started_writing, writer, store), writer)
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


def _wait_for(condition: Any, process: subprocess.Popen[Any], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the ingest ended before it got there"
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.fixture
def pause(site: Site) -> Iterator[Path]:
    handshake = site.base / "paused"
    yield handshake
    handshake.unlink(missing_ok=True)


def _wait_paused(handshake: Path, process: subprocess.Popen[str]) -> None:
    _wait_for(handshake.exists, process, timeout=120)


def test_reads_during_reingest_see_one_whole_version(
    site: Site, embedder: Any, pause: Path
) -> None:
    searcher = _searcher(site, embedder)
    edited = sorted(site.docs.iterdir())[0]
    old_hash = open_published(site.settings).documents()[edited.name].doc_hash
    original = edited.read_text(encoding="utf-8")
    edited.write_text(original + "\n" + ZEBRA, encoding="utf-8")
    # Its own opening words, so that both its versions rank among the results.
    query = "zebra crossing committee " + " ".join(original.split()[:14])
    writer = site.start(ASSISTANT_TEST_PAUSE_AT="publishing", ASSISTANT_TEST_PAUSE_FILE=str(pause))
    seen: list[str] = []
    while not pause.exists():  # embedding and writing the copy: readers keep the old version
        assert writer.poll() is None, writer.communicate()[1][-2000:]
        seen.append(_one_version_each(searcher, query)[edited.name])
    fresh = _searcher(site, embedder)  # a reader that starts now sees the old index, whole
    assert _one_version_each(fresh, query)[edited.name] == old_hash
    pause.unlink()
    while writer.poll() is None:
        seen.append(_one_version_each(searcher, query)[edited.name])
    assert writer.returncode == 0
    new_hash = open_published(site.settings).documents()[edited.name].doc_hash
    seen.append(_one_version_each(searcher, query)[edited.name])

    assert set(seen) <= {old_hash, new_hash} and seen[-1] == new_hash
    assert seen == sorted(seen, key=lambda h: h == new_hash)  # old … old new … new
    zebra = next(c for c in searcher.store.chunks_of(edited.name) if "zebra" in c.text)
    hits = searcher.store.query(embedder.embed_query(zebra.text), 3)
    assert hits[0].chunk.id == zebra.id  # dense search sees vectors written by another process


def test_two_ingests_at_once_one_waits_or_stops_with_a_clear_message(
    site: Site, pause: Path
) -> None:
    gone = sorted(site.docs.iterdir())[1]
    gone.unlink()
    first = site.start(ASSISTANT_TEST_PAUSE_AT="deleting", ASSISTANT_TEST_PAUSE_FILE=str(pause))
    _wait_paused(pause, first)

    impatient = site.ingest(ASSISTANT_LOCK_TIMEOUT="1")
    patient = site.start(ASSISTANT_LOCK_TIMEOUT="60")
    time.sleep(1.5)
    assert patient.poll() is None  # waiting for the lock
    pause.unlink()
    out_first, _ = first.communicate(timeout=120)
    out_patient, err_patient = patient.communicate(timeout=120)

    assert impatient.returncode == 1 and impatient.stdout == ""
    assert impatient.stderr.splitlines()[-1] == (
        "error: another ingest is still running on this store (waited 1 s); "
        "try again when it has finished"
    )
    assert first.returncode == 0 and f"deleted: {gone.name}" in out_first
    assert patient.returncode == 0, err_patient
    assert "0 added, 0 updated, 4 unchanged, 0 deleted" in out_patient
    assert_index_matches_folder(site.settings)


def test_cli_reports_each_bad_file_in_one_line_and_fails(tmp_path: Path) -> None:
    site = Site(tmp_path)
    docs = site.docs
    docs.mkdir()
    (docs / "harbour news.txt").write_text(FERRY, encoding="utf-8")
    (docs / "økonomi – år 2021.md").write_text(LIGHTHOUSE, encoding="utf-8")
    (docs / "latin1.txt").write_bytes(
        "Året rundt\n\nBønderne på Ærø høster blåbær og jordbær.\n".encode("latin-1")
    )
    (docs / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" * 300)
    (docs / "empty.txt").write_bytes(b"")
    with open(docs / "huge.txt", "wb") as out:
        out.truncate(50_000_000)
    (docs / "secret.txt").write_text(FERRY)
    (docs / "secret.txt").chmod(0)
    (tmp_path / "outside.txt").write_text(FERRY)
    (docs / "link.txt").symlink_to(tmp_path / "outside.txt")
    (docs / "vanishing.txt").write_text(FERRY)
    handshake = tmp_path / "paused"
    process = site.start(
        as_user=True, ASSISTANT_TEST_PAUSE_AT="listed", ASSISTANT_TEST_PAUSE_FILE=str(handshake)
    )
    _wait_paused(handshake, process)
    (docs / "vanishing.txt").unlink()  # deleted during the run
    handshake.unlink()
    out, err = process.communicate(timeout=180)
    print(out)  # the report exactly as a user sees it

    assert process.returncode == 1, err
    assert "Traceback" not in err and "Traceback" not in out
    lines = out.splitlines()
    assert sorted(line for line in lines if line.startswith("error: ")) == [
        "error: empty.txt: empty file, skipped",
        "error: huge.txt: 50.0 MB is over the 10 MB limit (ASSISTANT_MAX_FILE_MB), skipped",
        "error: link.txt: a link to outside the documents folder, skipped",
        "error: photo.txt: not a text file (binary content), skipped",
        "error: secret.txt: no permission to read it, skipped",
        "error: vanishing.txt: deleted while ingesting, skipped",
    ]
    assert sorted(line for line in lines if line.startswith("added: ")) == [
        "added: harbour news.txt",
        "added: latin1.txt",
        "added: økonomi – år 2021.md",
    ]
    assert lines[-1].startswith("documents: 3 added, 0 updated, 0 unchanged, 0 deleted, 6 failed")
    latin = open_published(site.settings).chunks_of("latin1.txt")
    assert any("Bønderne på Ærø høster blåbær" in c.text for c in latin)


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
