"""Re-ingest with real processes: `python -m assistant.cli ingest` in subprocesses, the real MiniLM
embedder, real Chroma folders, real SIGKILLs, and retrieval checked while and after they run.

Kills happen at named points through the test-only hook of `ingest.faults`
(ASSISTANT_TEST_CRASH_AT); kills at arbitrary moments and against a Chroma server are in
test_reingest_kills.py.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reingest_support import (
    FERRY,
    LIGHTHOUSE,
    MODEL,
    PROJECT,
    Expected,
    Site,
    assert_index_matches_folder,
    open_published,
    wait_for,
)

from assistant.pipeline.retrieve import HybridSearcher
from assistant.settings import AssistantSettings
from vectorstore.embeddings import get_embedder

SEEDS = PROJECT / "seeds"
ZEBRA = "The zebra crossing committee painted forty new crossings near the harbour school.\n"


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


@pytest.fixture
def pause(site: Site) -> Iterator[Path]:
    handshake = site.base / "paused"
    yield handshake
    handshake.unlink(missing_ok=True)


def _wait_paused(handshake: Path, process: subprocess.Popen[str]) -> None:
    wait_for(handshake.exists, process, timeout=120)


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
