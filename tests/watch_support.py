"""Shared by the watched-folder tests (test_watch.py, test_watch_folder.py): waiting with
generous timeouts, a fake sync that records its calls, a small folder of articles and
FolderWatchers started on it."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ingest.watch import FolderWatcher

QUIET = 0.3
SETTLE = 0.2
LONG = 10.0
"""Seconds to wait for something that should happen (generous, for a loaded CI machine)."""
CALM = 1.0
"""Seconds to watch for something that should not happen: several times quiet + settle."""


def eventually(check: Callable[[], bool], timeout: float = LONG) -> bool:
    """Whether `check()` becomes true within `timeout` seconds (polled every 20 ms)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.02)
    return check()


def stays(check: Callable[[], bool], seconds: float = CALM) -> bool:
    """Whether `check()` stays true for `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not check():
            return False
        time.sleep(0.02)
    return check()


class FakeSync:
    """Records when it was called; `action` runs inside each call (to sleep, read or raise)."""

    def __init__(self, action: Callable[[int], object] | None = None) -> None:
        self.calls: list[float] = []
        self.ended: list[float] = []
        self.seen: list[object] = []
        self.action = action

    def __call__(self) -> None:
        self.calls.append(time.monotonic())
        try:
            if self.action is not None:
                self.seen.append(self.action(len(self.calls)))
        finally:
            self.ended.append(time.monotonic())

    @property
    def count(self) -> int:
        return len(self.calls)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "old.md").write_text("# Old\n\nAn article that was there before.\n")
    (folder / "topics").mkdir()
    (folder / "topics" / "ferry.txt").write_text("The ferry sails at nine.\n")
    return folder


@pytest.fixture
def started(root: Path) -> Iterator[Callable[..., FolderWatcher]]:
    """Start a FolderWatcher on `root` (quick debounce unless told); all are stopped after."""
    watchers: list[FolderWatcher] = []

    def start(sync: Callable[[], object], **options: object) -> FolderWatcher:
        options = {"quiet": QUIET, "settle": SETTLE, **options}
        watcher = FolderWatcher(root, sync, **options)  # type: ignore[arg-type]
        watcher.start()
        watchers.append(watcher)
        return watcher

    yield start
    for watcher in watchers:
        watcher.stop()
