"""The documents folder kept in sync while the app runs: one ingest at a time, whether a change in
the folder (the watcher) or the Re-ingest button asked for it, its progress and its Stop, and
what the sidebar shows of it."""

from __future__ import annotations

import threading
from typing import Any

from assistant.display import explain
from ingest import IngestSettings, ingest
from ingest.progress import Meter
from ingest.report import IngestReport


class FolderSync:
    """Syncs the folder into the index the assistant reads, and keeps what the last sync did.

    `generation` grows after every sync, so that pages know when to show the new collection."""

    def __init__(self, settings: IngestSettings, assistant: Any):
        self.settings = settings
        self.assistant = assistant
        self.report: IngestReport | None = None
        self.error = ""
        self.progress: tuple[int, int, str] | None = None
        """(done, total, the line to show) while a sync runs."""
        self.generation = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._watcher: Any = None

    def watch(self) -> None:
        """Follow the folder from now on: sync once, then after every change."""
        from ingest.watch import FolderWatcher

        if self._watcher is not None:
            return
        store = self.settings.store
        inside = None if store.chroma_url else store.path.absolute()
        self._watcher = FolderWatcher(
            self.settings.root,
            self.sync,
            quiet=self.settings.watch_quiet,
            on_error=self._failed,
            ignore=(lambda path: path.is_relative_to(inside)) if inside else None,
        )
        self._watcher.start()
        self._watcher.request()  # files that came while the app was not running

    @property
    def watching(self) -> bool:
        return self._watcher is not None

    @property
    def syncing(self) -> bool:
        return self._lock.locked()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set() and self.syncing

    def start(self) -> bool:
        """A sync in the background (the page shows its progress and can stop it); False when
        one runs already. `syncing` is true from the moment this returns."""
        if not self._lock.acquire(blocking=False):
            return False
        threading.Thread(target=self._sync_and_release, name="folder-sync", daemon=True).start()
        return True

    def _sync_and_release(self) -> None:
        try:
            self._sync()
        finally:
            self._lock.release()

    def request_stop(self) -> None:
        """Ask the sync under way to stop after the texts being embedded now."""
        if self.syncing:
            self._stop.set()

    def sync(self) -> IngestReport | None:
        """One ingest of the whole folder (waiting for one that runs); the index is re-read."""
        with self._lock:
            return self._sync()

    def _sync(self) -> IngestReport | None:
        self._stop.clear()
        self.progress = (0, 0, "reading the documents folder")
        meter = Meter()

        def report(done: int, total: int, label: str) -> None:
            self.progress = (done, total, meter.line(done, total, label))

        before = (self.report, self.error)
        try:
            self.report = ingest(
                self.settings,
                progress=report,
                embedder=self.assistant.searcher.embedder,
                stop=self._stop,
            )
            self.error = ""
            self.assistant.searcher.refresh()
        except Exception as exc:
            self._failed(exc)
        finally:
            self.progress = None
        if _changed(before, (self.report, self.error)):
            self.generation += 1
        return self.report

    def _failed(self, exc: Exception) -> None:
        """Keep the failure's one line for the sidebar."""
        self.report, self.error = None, explain(exc)

    def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None


def _changed(before: tuple[Any, str], after: tuple[Any, str]) -> bool:
    """Whether a sync changed what the pages show: the index, or the problems reported."""
    (old, old_error), (new, new_error) = before, after
    if new is None or old is None or old_error != new_error:
        return True
    touched = new.added or new.updated or new.deleted or new.rebuilt_from or new.stopped
    return bool(touched) or old.errors != new.errors
