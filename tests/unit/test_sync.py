"""Ingest is a sync of the folder to the index, keyed by content hash, safe to interrupt."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reingest_support import assert_index_matches_folder, open_published

from ingest import faults, ingest
from ingest.lock import ingest_lock
from ingest.settings import IngestSettings
from vectorstore import snapshots
from vectorstore.errors import IndexMismatchError, IngestLockedError

NEW = "Ferry news\n\nThe island ferry gets a new timetable in May. Tickets will cost less.\n"
ARTICLES = {
    "harbour.txt": "Harbour council\n\nThe harbour council met on Monday. It approved a budget "
    "for new piers.\n\nThe mayor said the work starts in spring. Fishermen welcomed it.\n",
    "library.md": "# Library\n\nThe town library opens a reading room. It holds 4,000 books.\n\n"
    "Children can borrow comics. The room is open on Sundays.\n",
    "storm.txt": "Storm warning\n\nA storm reached the coast on Friday. Trees fell on two roads."
    "\n\nThe ferry stayed in port. Power returned by the evening.\n",
    "museum.txt": "Museum\n\nThe museum shows old maps of the island. Entry is free in June.\n",
}


@pytest.fixture
def fake_settings(tmp_path: Path, fake_settings: IngestSettings) -> IngestSettings:
    """Four short articles (the seeds are longer than these tests need)."""
    root = tmp_path / "articles"
    root.mkdir()
    for name, text in ARTICLES.items():
        (root / name).write_text(text, encoding="utf-8")
    return replace(fake_settings, root=root)


class Interrupted(BaseException):
    """Stands in for a kill inside the process (the integration tests kill for real)."""


def _crash_at(monkeypatch: pytest.MonkeyPatch, point: str, nth: int = 1) -> None:
    seen = {"n": 0}

    def reached(name: str) -> None:
        if name == point:
            seen["n"] += 1
            if seen["n"] == nth:
                raise Interrupted(point)

    monkeypatch.setattr(faults, "reached", reached)


def _entries(settings: IngestSettings) -> tuple[dict[str, tuple[str, str]], dict[str, Any]]:
    store = open_published(settings)
    try:
        return store.chunk_keys(), {c.id: (c.start, c.end, c.text) for c in store.all_chunks()}
    finally:
        store.close()


def _first(settings: IngestSettings) -> Path:
    return sorted(settings.root.iterdir())[0]


def test_reingest_of_unchanged_folder_embeds_nothing_and_changes_nothing(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    first = ingest(fake_settings, embedder=fake_embedder)
    assert first.ok and len(first.added) == 4 and first.chunks_embedded > 0
    keys, spans = _entries(fake_settings)
    published = snapshots.published(fake_settings.store.path)
    embedded = fake_embedder.texts_embedded

    second = ingest(fake_settings, embedder=fake_embedder)

    assert fake_embedder.texts_embedded == embedded
    assert (second.added, second.updated, second.deleted) == ((), (), ())
    assert len(second.unchanged) == 4 and second.chunks_embedded == 0
    assert _entries(fake_settings) == (keys, spans)
    assert snapshots.published(fake_settings.store.path) == published  # nothing was written
    assert_index_matches_folder(fake_settings)


def test_unchanged_run_never_loads_a_model(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    report = ingest(fake_settings)  # no embedder given: "fake-embedder" cannot be loaded
    assert report.ok and report.chunks_embedded == 0


def test_edit_replaces_old_chunks_and_keeps_other_citations(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    _, spans_before = _entries(fake_settings)
    edited = _first(fake_settings)
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nA late correction was added.\n")
    embedded = fake_embedder.texts_embedded

    report = ingest(fake_settings, embedder=fake_embedder)

    assert report.updated == (edited.name,) and report.added == report.deleted == ()
    want = assert_index_matches_folder(fake_settings)
    _, spans_after = _entries(fake_settings)
    others = {i: s for i, s in spans_before.items() if i in want.chunk_ids}
    assert others and all(spans_after[i] == s for i, s in others.items())
    edited_ids = set(spans_after) - set(others)
    assert (
        fake_embedder.texts_embedded - embedded
        == report.chunks_embedded + report.sentences_embedded
    )
    assert report.chunks_embedded == len(edited_ids)


def test_deleted_file_stops_answering(fake_settings: IngestSettings, fake_embedder: Any) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    gone = _first(fake_settings)
    gone.unlink()
    report = ingest(fake_settings, embedder=fake_embedder)
    assert report.deleted == (gone.name,)
    assert_index_matches_folder(fake_settings)
    store = open_published(fake_settings)
    assert not store.chunk_keys([gone.name]) and not store.sentence_keys([gone.name])


def test_adding_one_document_embeds_only_its_texts(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    (fake_settings.root / "ferry.txt").write_text(NEW)
    embedded = fake_embedder.texts_embedded
    report = ingest(fake_settings, embedder=fake_embedder)
    assert report.added == ("ferry.txt",)
    store = open_published(fake_settings)
    own = len(store.chunk_keys(["ferry.txt"])) + len(store.sentence_keys(["ferry.txt"]))
    assert fake_embedder.texts_embedded - embedded == own > 0


def test_file_that_turns_bad_loses_its_old_version(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    broken = _first(fake_settings)
    broken.write_bytes(b"\x00\x01binary now" * 100)
    report = ingest(fake_settings, embedder=fake_embedder)
    assert report.errors == (
        f"{broken.name}: not a text file (binary content), skipped; "
        "its earlier version was removed from the index",
    )
    assert broken.name not in open_published(fake_settings).documents()


def test_ingest_of_some_paths_leaves_the_rest_alone(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    _first(fake_settings).unlink()
    (fake_settings.root / "ferry.txt").write_text(NEW)
    report = ingest(fake_settings, [fake_settings.root / "ferry.txt"], embedder=fake_embedder)
    assert report.added == ("ferry.txt",) and report.deleted == ()
    assert len(open_published(fake_settings).documents()) == 5


@pytest.mark.parametrize(
    "change",
    [{"embedding_model": "another-embedder"}, {"chunk_chars": 300}],
    ids=["model", "chunking"],
)
def test_model_or_chunking_change_rebuilds_without_mixing(
    fake_settings: IngestSettings, fake_embedder: Any, change: dict[str, Any]
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    old_signature = open_published(fake_settings).signature
    changed = replace(fake_settings, store=replace(fake_settings.store, **change))

    report = ingest(changed, embedder=fake_embedder)

    assert report.rebuilt_from == (f"articles-{old_signature}",)
    assert len(report.added) == 4
    store = open_published(changed)
    assert store.other_indexes() == []
    assert store.chunks_name in store.collection_names()
    assert_index_matches_folder(changed)
    with pytest.raises(IndexMismatchError):
        open_published(fake_settings)
    assert ingest(changed, embedder=fake_embedder).chunks_embedded == 0


@pytest.mark.parametrize(
    "point", ["staged", "deleting", "embedding", "chunks-written", "switched", "publishing"]
)
def test_interrupted_ingest_leaves_old_index_and_next_run_repairs(
    fake_settings: IngestSettings,
    fake_embedder: Any,
    monkeypatch: pytest.MonkeyPatch,
    point: str,
) -> None:
    settings = replace(fake_settings, commit_texts=1)  # a commit per document
    ingest(settings, embedder=fake_embedder)
    before = assert_index_matches_folder(settings)
    files = sorted(settings.root.iterdir())
    files[0].write_text(files[0].read_text(encoding="utf-8") + "\n\nAn added paragraph here.\n")
    files[1].unlink()
    (settings.root / "ferry.txt").write_text(NEW)

    with monkeypatch.context() as patch:
        _crash_at(patch, point)
        with pytest.raises(Interrupted):
            ingest(settings, embedder=fake_embedder)

    live = open_published(settings).documents()  # readers still see the previous index, whole
    assert {s: d.doc_hash for s, d in live.items()} == before.hashes
    report = ingest(settings, embedder=fake_embedder)
    assert report.ok and report.resumed
    assert report.added == ("ferry.txt",) and report.deleted == (files[1].name,)
    assert report.updated == (files[0].name,)
    assert_index_matches_folder(settings)
    assert not list((settings.store.path / "staging").iterdir())


def test_damaged_copy_of_a_killed_ingest_is_discarded(
    fake_settings: IngestSettings, fake_embedder: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    (fake_settings.root / "ferry.txt").write_text(NEW)
    with monkeypatch.context() as patch:
        _crash_at(patch, "switched")
        with pytest.raises(Interrupted):
            ingest(fake_settings, embedder=fake_embedder)
    staged = next(p for p in (fake_settings.store.path / "staging").iterdir() if p.is_dir())
    (staged / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)

    report = ingest(fake_settings, embedder=fake_embedder)

    assert report.ok and not report.resumed and report.added == ("ferry.txt",)
    assert_index_matches_folder(fake_settings)


def test_second_ingest_waits_then_stops_with_a_clear_message(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with ingest_lock(fake_settings):
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(5)
        with pytest.raises(IngestLockedError, match="another ingest is still running"):
            ingest(replace(fake_settings, lock_timeout=0.3), embedder=fake_embedder)
    finally:
        release.set()
        holder.join()
    assert ingest(fake_settings, embedder=fake_embedder).ok  # and the lock is free again


def test_reader_follows_each_published_index(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    reader = open_published(fake_settings)
    generation = reader.generation()
    (fake_settings.root / "ferry.txt").write_text(NEW)
    ingest(fake_settings, embedder=fake_embedder)

    assert reader.generation() > generation
    assert "ferry.txt" in reader.documents()
    new_chunk = reader.chunks_of("ferry.txt")[0]
    hits = reader.query(fake_embedder.embed_query(new_chunk.text), 3)
    assert hits[0].chunk.id == new_chunk.id  # dense search sees the new vectors too


def test_index_from_before_snapshots_is_read_then_moved_into_one(
    fake_settings: IngestSettings, fake_embedder: Any
) -> None:
    ingest(fake_settings, embedder=fake_embedder)
    root = fake_settings.store.path
    name, _ = snapshots.published(root)
    for entry in (root / "snapshots" / name).iterdir():
        entry.rename(root / entry.name)  # the layout older versions wrote
    (root / "CURRENT").unlink()
    assert len(open_published(fake_settings).documents()) == 4

    (fake_settings.root / "ferry.txt").write_text(NEW)
    assert ingest(fake_settings, embedder=fake_embedder).added == ("ferry.txt",)
    (fake_settings.root / "ferry.txt").unlink()
    assert ingest(fake_settings, embedder=fake_embedder).deleted == ("ferry.txt",)

    assert not (root / "chroma.sqlite3").exists()  # pruned once two snapshots replaced it
    assert_index_matches_folder(fake_settings)
