"""Follow the documents folder: files added, changed, renamed or removed lead to one sync.

Events come from watchdog (inotify on Linux; polling if that cannot start, e.g. at the inotify
watch limit). A sync starts when no event has come for `quiet` seconds and every file touched
since the last sync kept its size and mtime for `settle` seconds: a file still being copied is not
read half-written, and a burst of 500 files is one sync. Hidden entries (a path part starting
with '.': lock and temporary files, editors' swap files) and files ingest does not read never
count; folders always do. The sync is `ingest.sync.ingest` (changed files only, under the lock).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from ingest.load import is_supported
from ingest.report import IngestReport
from ingest.settings import IngestSettings
from ingest.sync import ingest
from vectorstore.errors import AssistantError

log = logging.getLogger(__name__)

# Events that can change what ingest reads. Not 'opened' or 'closed', nor a folder's 'modified',
# which only echoes a change inside it that has its own event.
_RELEVANT = frozenset({"created", "modified", "deleted", "moved", "attrib"})


class FolderWatcher:
    """Calls `sync()` once per settled batch of changes under `root`, in one worker thread.

    Changes that arrive while a sync runs lead to exactly one more sync after it. An exception
    from `sync` goes to `on_error` (default: logged) and the watcher carries on. `ignore(path)`
    returning True passes a path over (for a store kept inside the folder). If changes never
    settle, a sync runs anyway `max_wait` seconds after the first of them.
    """

    def __init__(
        self,
        root: Path,
        sync: Callable[[], object],
        *,
        quiet: float = 1.0,
        settle: float = 0.5,
        max_wait: float = 60.0,
        on_error: Callable[[Exception], None] | None = None,
        ignore: Callable[[Path], bool] | None = None,
    ) -> None:
        self.root = Path(os.path.abspath(root))
        self.quiet, self.settle, self.max_wait = quiet, settle, max_wait
        self._sync = sync
        self._on_error = on_error or _log_error
        self._ignore = ignore
        self._cond = threading.Condition()
        self._pending = self._syncing = self._started = self._stopping = False
        self._seq = self._syncs = 0
        self._first = self._last = 0.0
        self._touched: set[Path] = set()
        self._last_error: Exception | None = None
        self._observer: BaseObserver | None = None
        self._worker: threading.Thread | None = None

    @property
    def pending(self) -> bool:
        """Changes were seen that no sync has taken in yet."""
        return self._pending

    @property
    def syncing(self) -> bool:
        """A sync is running now."""
        return self._syncing

    @property
    def syncs(self) -> int:
        """Syncs run so far (finished, whether they succeeded or raised)."""
        return self._syncs

    @property
    def last_error(self) -> Exception | None:
        """What the latest sync raised (None once a sync succeeds)."""
        return self._last_error

    @property
    def polling(self) -> bool:
        """The folder is polled, because the native observer could not start."""
        return isinstance(self._observer, PollingObserver)

    def start(self) -> None:
        """Begin watching; a second call does nothing. FileNotFoundError: `root` is no folder."""
        with self._cond:
            if self._started:
                if self._stopping:
                    raise RuntimeError("a stopped FolderWatcher cannot be started again")
                return
            if not self.root.is_dir():
                raise FileNotFoundError(f"{self.root}: no such folder to watch")
            self._started = True
        self._observer = self._start_observer()
        self._worker = threading.Thread(target=self._run, name="folder-watcher", daemon=True)
        self._worker.start()

    def request(self) -> None:
        """Ask for a sync as if the folder had changed (debounced like any change)."""
        self._note(set())

    def stop(self) -> None:
        """Stop watching and wait for the threads to end, including a sync that is running.
        Safe to call more than once, or before `start()`."""
        with self._cond:
            if not self._started:
                return
            self._stopping = True
            self._cond.notify_all()
        if self._observer is not None:
            self._observer.stop()
            self._observer.join()
        if self._worker is not None and self._worker is not threading.current_thread():
            self._worker.join()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _start_observer(self) -> BaseObserver:
        """The native observer, or a polling one if the native one cannot start."""
        handler = _Handler(self)
        native: BaseObserver | None = None
        try:
            native = Observer(timeout=0.2)
            native.schedule(handler, str(self.root), recursive=True)
            native.start()
            return native
        except OSError as exc:
            if native is not None:
                with contextlib.suppress(Exception):
                    native.stop()  # its inotify reader thread is already running
            log.warning("cannot watch %s natively (%s); polling it instead", self.root, exc)
        polling = PollingObserver(timeout=0.5)
        polling.schedule(handler, str(self.root), recursive=True)
        polling.start()
        return polling

    def _counts(self, raw: bytes | str, is_dir: bool) -> Path | None:
        """The path of an event end if ingest would look at it, else None."""
        path = Path(os.fsdecode(raw))
        if not path.is_relative_to(self.root):
            return None
        parts = path.relative_to(self.root).parts
        hidden = not parts or any(part.startswith(".") for part in parts)
        if hidden or (self._ignore is not None and self._ignore(path)):
            return None
        return path if is_dir or is_supported(path.name) else None

    def _on_event(self, event: FileSystemEvent) -> None:
        kind, is_dir = event.event_type, event.is_directory
        if kind not in _RELEVANT or (is_dir and kind == "modified"):
            return
        ends = (event.src_path, event.dest_path)  # a move counts if either end does
        paths = {p for end in ends if end and (p := self._counts(end, is_dir)) is not None}
        if paths:
            self._note(set() if is_dir else paths)

    def _note(self, files: set[Path]) -> None:
        """Record a change (to `files`, whose stability is awaited) and wake the worker."""
        with self._cond:
            now = time.monotonic()
            self._seq, self._last = self._seq + 1, now
            self._touched |= files
            if not self._pending:
                self._pending, self._first = True, now
                self._cond.notify_all()

    def _run(self) -> None:
        while self._await_settled():
            try:
                self._sync()
                self._last_error = None
            except Exception as exc:
                self._last_error = exc
                try:
                    self._on_error(exc)
                except Exception:
                    log.exception("the error handler of the folder watcher failed")
            finally:
                with self._cond:
                    self._syncing, self._syncs = False, self._syncs + 1

    def _await_settled(self) -> bool:
        """Wait for changes and for them to settle, then take them in for a sync (True), or
        return False when stopped."""
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._stopping)
                if self._stopping:
                    return False
                now = time.monotonic()
                overdue_in = self._first + self.max_wait - now
                quiet_in = self._last + self.quiet - now
                if overdue_in > 0 and quiet_in > 0:
                    self._cond.wait_for(lambda: self._stopping, min(quiet_in, overdue_in))
                    continue
                seq, files = self._seq, list(self._touched)
            steady = overdue_in <= 0 or self._steady(files)
            with self._cond:
                if self._stopping:
                    return False
                if steady and (seq == self._seq or overdue_in <= 0):
                    self._pending, self._syncing = False, True
                    self._touched.clear()
                    return True

    def _steady(self, files: list[Path]) -> bool:
        """Whether every file that still exists keeps its size and mtime over `settle` s."""
        if not files:
            return True
        before = [_stat(path) for path in files]
        with self._cond:
            if self._cond.wait_for(lambda: self._stopping, self.settle):
                return False
        return [_stat(path) for path in files] == before


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: FolderWatcher) -> None:
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self._watcher._on_event(event)


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None  # deleted (or unreadable): nothing to wait for
    return st.st_size, st.st_mtime_ns


def _log_error(exc: Exception) -> None:
    trace = None if isinstance(exc, AssistantError) else exc  # a user's error is its message
    log.error("syncing the watched folder failed: %s", exc, exc_info=trace)


def watch_folder(
    settings: IngestSettings,
    echo: Callable[[str], None],
    stop: threading.Event,
    quiet: float = 1.0,
    run: Callable[[], IngestReport] | None = None,
) -> None:
    """Sync the documents folder now and after every settled change, until `stop` is set (a
    sync running then, or at Ctrl-C, ends after the texts being embedded). `echo` gets the first
    sync's report (its error lines and summary line), the same for every later sync that changed
    something or met a problem, and one line per AssistantError (another ingest holding the
    lock too long, say). `run` replaces `ingest(settings)` in tests."""
    reporter = _Reporter(run or (lambda: ingest(settings, stop=stop)), echo)
    store = settings.store.path.absolute()
    ignore = None if settings.store.chroma_url else (lambda path: path.is_relative_to(store))
    with FolderWatcher(settings.root, reporter, quiet=quiet, ignore=ignore) as watcher:
        watcher.request()
        try:  # waking twice a second: Ctrl-C may reach another thread, which wakes no wait
            while not stop.wait(0.5):
                pass
        finally:
            stop.set()  # on Ctrl-C too: a running sync ends after its texts, then the watch


class _Reporter:
    """The sync of `watch_folder`: runs an ingest and echoes what a user wants to see of it."""

    def __init__(self, run: Callable[[], IngestReport], echo: Callable[[str], None]) -> None:
        self._run, self._echo, self._first = run, echo, True

    def __call__(self) -> None:
        try:
            r = self._run()
        except AssistantError as exc:
            self._echo(f"error: {' '.join(str(exc).split())}")
            return
        changed = any((r.added, r.updated, r.deleted, r.errors, r.rebuilt_from, r.repaired))
        if self._first or changed:
            lines = r.lines()
            for line in [line for line in lines if line.startswith("error: ")] + lines[-1:]:
                self._echo(line)
        self._first = False
