"""Stopping an ingest: what it finished is kept, readers keep the index they had, and the next
ingest goes on from there without embedding finished documents again. Progress lines say what is
done, the rate and the time left."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reingest_support import assert_index_matches_folder, open_published

from assistant.cli_documents import ProgressBar
from ingest import ingest
from ingest.progress import EMBEDDING, Meter, phase_of
from ingest.settings import IngestSettings

pytestmark = pytest.mark.unit

TOWNS = ["Aarby", "Birkely", "Creek", "Dunholm", "Esrum", "Fjordby"]


def _article(town: str) -> str:
    return (
        f"{town} news\n\nThe {town} council met on Monday. It approved a budget for roads.\n\n"
        f"The mayor of {town} said the work starts in spring. Shops welcomed it.\n"
    )


@pytest.fixture
def towns(tmp_path: Path, fake_settings: IngestSettings) -> IngestSettings:
    """Six short articles; two texts a batch and a commit after every finished document."""
    root = tmp_path / "towns"
    root.mkdir()
    for town in TOWNS[:2]:
        (root / f"{town}.txt").write_text(_article(town), encoding="utf-8")
    store = replace(fake_settings.store, embed_batch=1)
    return replace(fake_settings, root=root, store=store, commit_texts=1)


def _stop_after(documents: int, stop: threading.Event) -> Any:
    def progress(done: int, total: int, label: str) -> None:
        if phase_of(label) == EMBEDDING and label.startswith(f"{EMBEDDING}: {documents} of"):
            stop.set()

    return progress


def test_a_stopped_ingest_keeps_its_work_and_the_next_one_goes_on(
    towns: IngestSettings, fake_embedder: Any
) -> None:
    ingest(towns, embedder=fake_embedder)
    for town in TOWNS[2:]:
        (towns.root / f"{town}.txt").write_text(_article(town), encoding="utf-8")
    stop = threading.Event()

    stopped = ingest(towns, progress=_stop_after(1, stop), embedder=fake_embedder, stop=stop)

    assert stopped.ok and stopped.stopped and len(stopped.stopped) < 4
    assert stopped.added == () and "stopped: " in "\n".join(stopped.lines())
    published = open_published(towns)
    assert sorted(published.documents()) == ["Aarby.txt", "Birkely.txt"]  # readers: as before
    published.close()
    before = fake_embedder.texts_embedded

    report = ingest(towns, embedder=fake_embedder)

    assert report.ok and report.resumed and not report.stopped
    assert sorted(report.added) == [f"{t}.txt" for t in TOWNS[2:]]
    index = assert_index_matches_folder(towns)
    texts = len(index.chunk_ids) + len(index.sentence_ids)
    per_document = texts // len(TOWNS)  # the articles are alike: as many texts each
    assert fake_embedder.texts_embedded - before == per_document * len(stopped.stopped)


def test_a_stop_before_anything_is_embedded_changes_nothing(
    towns: IngestSettings, fake_embedder: Any
) -> None:
    stop = threading.Event()
    stop.set()
    report = ingest(towns, embedder=fake_embedder, stop=stop)
    assert report.stopped == ("Aarby.txt", "Birkely.txt") and fake_embedder.texts_embedded == 0
    assert report.to_dict()["stopped"] == ["Aarby.txt", "Birkely.txt"]
    report = ingest(towns, embedder=fake_embedder)
    assert sorted(report.added) == ["Aarby.txt", "Birkely.txt"] and not report.stopped


def test_the_meter_gives_the_rate_and_the_time_left_of_the_phase_under_way() -> None:
    now = [100.0]
    meter = Meter(clock=lambda: now[0])
    assert meter.line(0, 10, "reading") == "reading · 0 of 10 documents"
    now[0] += 2.0
    assert (
        meter.line(4, 10, "reading")
        == "reading · 4 of 10 documents · 2.0 documents/s · about 3 s left"
    )
    assert meter.line(0, 600, "embedding: 0 of 10 documents done").endswith("0 of 600 texts")
    now[0] += 10.0
    line = meter.line(100, 600, "embedding: 2 of 10 documents done")
    assert line == (
        "embedding: 2 of 10 documents done · 100 of 600 texts · 10.0 texts/s · about 50 s left"
    )
    now[0] += 100.0  # the rate is the phase's average: 110 texts in 110 s
    assert meter.line(110, 600, "embedding: 2 of 10 documents done").endswith(
        "1.0 texts/s · about 8 min left"
    )
    assert meter.line(600, 600, "embedding: 10 of 10 documents done").endswith("600 of 600 texts")


def test_the_cli_bar_keeps_one_bar_per_phase(tmp_path: Path) -> None:
    with (tmp_path / "err").open("w+") as stream:
        bar = ProgressBar(stream)
        bar.update(1, 4, "reading")
        first = bar.bar
        bar.update(0, 40, "embedding: 0 of 4 documents done")
        embedding = bar.bar
        bar.update(20, 40, "embedding: 2 of 4 documents done")
        assert embedding is not first and bar.bar is embedding
        assert bar.bar.desc == "embedding: 2 of 4 documents done" and bar.bar.n == 20
        bar.close()
        stream.seek(0)
        assert "documents done" in stream.read()
