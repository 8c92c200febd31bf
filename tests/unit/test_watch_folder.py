"""watch_folder, which echoes each sync of the watched folder in lines, and the polling
fallback when the native file observer cannot start."""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from watch_support import LONG, QUIET, FakeSync, eventually, stays
from watch_support import root as root  # fixtures: imported so that pytest finds them here
from watch_support import started as started

from ingest import watch
from ingest.report import IngestReport
from ingest.settings import IngestSettings
from ingest.sync import ingest
from ingest.watch import watch_folder
from vectorstore.errors import IngestLockedError

pytestmark = pytest.mark.unit


def test_native_observer_failing_falls_back_to_polling(
    root: Path, started, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_watches(self: object) -> None:
        raise OSError(28, "inotify watch limit reached")

    before = set(threading.enumerate())
    monkeypatch.setattr(watch.Observer, "start", no_watches)
    sync = FakeSync()
    with caplog.at_level(logging.WARNING, logger="ingest.watch"):
        watcher = started(sync)
    assert watcher.polling
    assert caplog.text.count("polling") == 1
    (root / "new.md").write_text("seen by polling")
    assert eventually(lambda: sync.count == 1)
    watcher.stop()
    assert set(threading.enumerate()) <= before  # the native reader thread was stopped


def report(**fields: object) -> IngestReport:
    base: dict[str, object] = {
        "added": (),
        "updated": (),
        "unchanged": (),
        "deleted": (),
        "errors": (),
        "chunks_embedded": 0,
        "chunks_total": 10,
        "documents_total": 2,
        "seconds": 0.1,
    }
    return IngestReport(**{**base, **fields})  # type: ignore[arg-type]


class Session:
    """watch_folder in a thread, with a scripted `run` and the echoed lines kept."""

    def __init__(self, settings: IngestSettings, run: Callable[[], IngestReport]) -> None:
        self.lines: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(
            target=watch_folder,
            args=(settings, self.lines.append, self.stop),
            kwargs={"quiet": QUIET, "run": run},
        )
        self.thread.start()

    def end(self) -> None:
        self.stop.set()
        self.thread.join(LONG)
        assert not self.thread.is_alive()


@pytest.fixture
def settings(root: Path, fake_settings: IngestSettings) -> IngestSettings:
    return replace(fake_settings, root=root)


def test_watch_folder_echoes_first_sync_and_each_change(root: Path, settings) -> None:
    reports = iter(
        [
            report(unchanged=("old.md", "topics/ferry.txt")),
            report(added=("new.md",), unchanged=("old.md", "topics/ferry.txt")),
            report(unchanged=("old.md", "new.md", "topics/ferry.txt")),
        ]
    )
    calls: list[float] = []
    session = Session(settings, lambda: calls.append(0) or next(reports))
    try:
        assert eventually(lambda: len(session.lines) == 1)
        assert session.lines[0].startswith("documents: 0 added, 0 updated, 2 unchanged")
        (root / "new.md").write_text("new")
        assert eventually(lambda: len(session.lines) == 2)
        assert session.lines[1].startswith("documents: 1 added")
        (root / "new.md").write_text("new")  # the same text again: nothing changes
        assert eventually(lambda: len(calls) == 3)
        assert stays(lambda: len(session.lines) == 2, 0.5)
    finally:
        session.end()


def test_watch_folder_echoes_errors_in_one_line_each(root: Path, settings) -> None:
    outcomes: list[object] = [
        IngestLockedError("another ingest is still running on this store\n(waited 5 s)"),
        report(errors=("bad.md: cannot be read, skipped",), unchanged=("old.md",)),
    ]

    def run() -> IngestReport:
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        assert isinstance(outcome, IngestReport)
        return outcome

    session = Session(settings, run)
    try:
        assert eventually(lambda: len(session.lines) == 1)
        assert session.lines == [
            "error: another ingest is still running on this store (waited 5 s)"
        ]
        (root / "bad.md").write_bytes(b"\x00\x01")
        assert eventually(lambda: len(session.lines) == 3)
        assert session.lines[1] == "error: bad.md: cannot be read, skipped"
        assert session.lines[2].startswith(
            "documents: 0 added, 0 updated, 1 unchanged, 0 deleted, 1 failed"
        )
    finally:
        session.end()


def test_watch_folder_with_real_ingest_and_a_store_inside_the_folder(
    root: Path, settings: IngestSettings, fake_embedder
) -> None:
    """The store's own writes, even in a folder that is not hidden, do not set off syncs."""
    settings = replace(settings, store=replace(settings.store, path=root / "index"))
    runs: list[IngestReport] = []

    def run() -> IngestReport:
        runs.append(ingest(settings, embedder=fake_embedder))
        return runs[-1]

    session = Session(settings, run)
    try:
        assert eventually(lambda: len(session.lines) == 1)
        assert session.lines[0].startswith("documents: 2 added")
        (root / "new.md").write_text("# Ferry\n\nThe ferry gets a new timetable in May.\n")
        assert eventually(lambda: len(session.lines) == 2)
        assert session.lines[1].startswith("documents: 1 added, 0 updated, 2 unchanged")
        assert stays(lambda: len(runs) == 2)
    finally:
        session.end()


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Ctrl-C raising KeyboardInterrupt as in a terminal, even when the suite was started in
    the background of a script, which starts every program with SIGINT ignored."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_during_a_sync_stops_that_sync_before_the_watch_waits_for_it(
    settings, ctrl_c_raises
) -> None:
    stop, seen = threading.Event(), threading.Event()

    def sync_until_stopped() -> IngestReport:  # an ingest told to stop returns early
        threading.Timer(0.1, os.kill, (os.getpid(), signal.SIGINT)).start()
        seen.set() if stop.wait(LONG) else None
        return report()

    with pytest.raises(KeyboardInterrupt):
        watch_folder(settings, lambda line: None, stop, QUIET, run=sync_until_stopped)
    assert seen.is_set()


def test_ctrl_c_that_the_kernel_gives_another_thread_still_ends_the_watch(
    settings, ctrl_c_raises
) -> None:
    """A Ctrl-C goes to the whole process, and the kernel may hand it to any of its threads;
    Python then runs the handler on the main thread, but only once that thread wakes."""
    stop = threading.Event()

    def sync_that_gets_the_ctrl_c() -> IngestReport:
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # to this thread, not main
        if not stop.wait(LONG):
            stop.set()  # the watch never woke: end it, late, so that the test fails, not hangs
        return report()

    began = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        watch_folder(settings, lambda line: None, stop, QUIET, run=sync_that_gets_the_ctrl_c)
    assert time.monotonic() - began < LONG / 2
