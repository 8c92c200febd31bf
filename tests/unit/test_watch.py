"""FolderWatcher: real file operations in tmp_path, a fake sync that records its calls; each
change is synced once, after the folder has been quiet and the files have settled."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest
from watch_support import LONG, QUIET, SETTLE, FakeSync, eventually, stays
from watch_support import root as root  # fixtures: imported so that pytest finds them here
from watch_support import started as started

from ingest.watch import FolderWatcher

pytestmark = pytest.mark.unit


def test_new_file_is_synced_once_within_seconds(root: Path, started) -> None:
    sync = FakeSync()
    watcher = started(sync)
    written = time.monotonic()
    (root / "new.md").write_text("# New\n\nFresh news.\n")
    assert eventually(lambda: sync.count == 1)
    assert sync.calls[0] - written >= QUIET
    assert stays(lambda: sync.count == 1)
    assert watcher.syncs == 1 and not watcher.pending and not watcher.syncing


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda r: (r / "old.md").write_text("# Old\n\nRewritten.\n"), id="change"),
        pytest.param(lambda r: (r / "old.md").rename(r / "renamed.md"), id="rename"),
        pytest.param(lambda r: (r / "old.md").rename(r / "old.txt.bak"), id="rename-away"),
        pytest.param(lambda r: (r / "old.md").unlink(), id="delete"),
        pytest.param(lambda r: shutil.rmtree(r / "topics"), id="delete-folder"),
        pytest.param(lambda r: (r / "topics").rename(r / "themes"), id="rename-folder"),
    ],
)
def test_each_kind_of_change_is_synced(root: Path, started, change) -> None:
    sync = FakeSync()
    started(sync)
    change(root)
    assert eventually(lambda: sync.count == 1)
    assert stays(lambda: sync.count == 1)


def test_new_sub_folder_with_files_is_one_sync(root: Path, started) -> None:
    sync = FakeSync(lambda _: sorted(p.name for p in (root / "new" / "deep").iterdir()))
    started(sync)
    (root / "new" / "deep").mkdir(parents=True)
    for name in ("a.md", "b.txt", "c.html"):
        (root / "new" / "deep" / name).write_text(f"article {name}\n")
    assert eventually(lambda: sync.count == 1)
    assert stays(lambda: sync.count == 1)
    assert sync.seen == [["a.md", "b.txt", "c.html"]]


def test_burst_of_500_files_is_exactly_one_sync(root: Path, started) -> None:
    sync = FakeSync(lambda _: len(list((root / "burst").iterdir())))
    started(sync, quiet=0.5)
    (root / "burst").mkdir()
    for i in range(500):
        (root / "burst" / f"article-{i:03}.txt").write_text(f"Article number {i}.\n" * 20)
    assert eventually(lambda: sync.count == 1)
    assert stays(lambda: sync.count == 1, 2.0)
    assert sync.seen == [500]


def test_file_written_slowly_is_read_only_when_complete(root: Path, started) -> None:
    piece = "A line of a long article that arrives slowly.\n" * 50
    target = root / "slow.md"
    sync = FakeSync(lambda _: target.stat().st_size)
    started(sync, quiet=1.0)
    with target.open("w") as out:
        for _ in range(10):
            out.write(piece)
            out.flush()
            time.sleep(0.2)
    finished = time.monotonic()
    assert eventually(lambda: sync.count >= 1)
    assert sync.calls[0] > finished
    assert sync.seen[0] == 10 * len(piece)


def test_file_growing_without_events_is_awaited(root: Path, tmp_path: Path, started) -> None:
    """A writer whose writes deliver no events to the watcher (a network share written from
    another machine, here a hard link outside the folder): its size is watched instead."""
    target = root / "remote.md"
    target.write_text("start\n")
    outside = tmp_path / "elsewhere.md"
    os.link(target, outside)
    sync = FakeSync(lambda _: target.stat().st_size)
    started(sync, quiet=0.2, settle=1.0)
    target.touch()  # the one event: the file appeared
    with outside.open("a") as out:
        for _ in range(8):
            time.sleep(0.2)
            out.write("more text\n")
            out.flush()
    finished = time.monotonic()
    assert eventually(lambda: sync.count >= 1)
    assert sync.calls[0] > finished
    assert sync.seen[0] == len("start\n") + 8 * len("more text\n")


def test_file_written_forever_is_synced_after_max_wait(root: Path, started) -> None:
    sync = FakeSync()
    started(sync, quiet=2.0, max_wait=1.0)
    began = time.monotonic()
    with (root / "log.txt").open("w") as out:
        while sync.count == 0 and time.monotonic() - began < LONG:
            out.write("still writing\n")
            out.flush()
            time.sleep(0.1)
    assert sync.count == 1
    assert 1.0 <= sync.calls[0] - began < LONG


def test_hidden_and_unsupported_files_do_not_sync(root: Path, started) -> None:
    sync = FakeSync()
    started(sync)
    (root / ".x.tmp").write_text("temporary")
    (root / ".old.md.swp").write_text("swap")
    (root / ".store" / "snapshots").mkdir(parents=True)
    (root / ".store" / "ingest.lock").write_text("")
    (root / ".store" / "snapshots" / "a.md").write_text("inside a hidden folder")
    (root / "topics" / ".draft.md").write_text("hidden in a visible folder")
    (root / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    (root / ".x.tmp").rename(root / ".y.tmp")
    (root / ".store" / "snapshots" / "a.md").unlink()
    _ = (root / "old.md").read_text()  # reading is no change
    assert stays(lambda: sync.count == 0)
    (root / "visible.md").write_text("now something real")
    assert eventually(lambda: sync.count == 1)


def test_ignore_passes_over_paths(root: Path, started) -> None:
    sync = FakeSync()
    store = root / "store"
    started(sync, ignore=lambda path: path.is_relative_to(store))
    (store / "chroma").mkdir(parents=True)
    (store / "chroma" / "notes.md").write_text("not a document")
    shutil.rmtree(store)
    assert stays(lambda: sync.count == 0)


def test_changes_during_a_sync_lead_to_exactly_one_more(root: Path, started) -> None:
    sync = FakeSync(lambda n: time.sleep(1.0) if n == 1 else None)
    watcher = started(sync)
    (root / "first.md").write_text("first")
    assert eventually(lambda: watcher.syncing)
    for i in range(5):
        (root / f"during-{i}.md").write_text("written while syncing")
    assert eventually(lambda: watcher.pending)
    assert eventually(lambda: sync.count == 2)
    assert stays(lambda: sync.count == 2)
    assert sync.calls[1] >= sync.ended[0]


def test_failing_sync_is_reported_and_watching_goes_on(root: Path, started) -> None:
    def fail_first(n: int) -> None:
        if n == 1:
            raise RuntimeError("disk on fire")

    errors: list[Exception] = []
    sync = FakeSync(fail_first)
    watcher = started(sync, on_error=errors.append)
    (root / "one.md").write_text("one")
    assert eventually(lambda: watcher.syncs == 1)
    assert [str(e) for e in errors] == ["disk on fire"]
    assert isinstance(watcher.last_error, RuntimeError)
    (root / "two.md").write_text("two")
    assert eventually(lambda: watcher.syncs == 2)
    assert watcher.last_error is None and len(errors) == 1


def test_default_on_error_logs(root: Path, started, caplog: pytest.LogCaptureFixture) -> None:
    watcher = started(FakeSync(lambda _: 1 / 0))
    (root / "one.md").write_text("one")
    assert eventually(lambda: watcher.syncs == 1)
    assert "syncing the watched folder failed" in caplog.text


@pytest.mark.parametrize("waiting", ["quiet", "settle"])
def test_stop_returns_promptly_mid_wait(root: Path, waiting: str) -> None:
    sync = FakeSync()
    long_wait = {"quiet": 30.0, "settle": 0.1} if waiting == "quiet" else {"settle": 30.0}
    watcher = FolderWatcher(root, sync, **{"quiet": 0.1, **long_wait})
    watcher.start()
    (root / "new.md").write_text("new")
    assert eventually(lambda: watcher.pending)
    time.sleep(0.3)  # into the wait
    began = time.monotonic()
    watcher.stop()
    assert time.monotonic() - began < 1.0
    assert sync.count == 0


def test_start_and_stop_are_idempotent(root: Path) -> None:
    before = set(threading.enumerate())
    sync = FakeSync()
    watcher = FolderWatcher(root, sync, quiet=QUIET, settle=SETTLE)
    watcher.stop()  # before start: nothing to do
    with watcher:
        watcher.start()
        (root / "new.md").write_text("new")
        assert eventually(lambda: sync.count == 1)
        assert stays(lambda: sync.count == 1)
    watcher.stop()
    assert set(threading.enumerate()) <= before
    with pytest.raises(RuntimeError):
        watcher.start()


def test_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no such folder"):
        FolderWatcher(tmp_path / "absent", FakeSync()).start()
