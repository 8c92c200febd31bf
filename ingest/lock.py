"""One ingest at a time per store: a second one says it waits, waits, and after `lock_timeout`
stops with a clear message. The lock is an OS file lock, so a killed ingest never leaves it held."""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from ingest.settings import IngestSettings
from vectorstore.errors import IngestLockedError

log = logging.getLogger(__name__)


def lock_path(settings: IngestSettings) -> Path:
    """The lock file: beside the embedded store, or per server URL in the temp folder."""
    store = settings.store
    if store.chroma_url:
        key = hashlib.sha256(f"{store.chroma_url}|{store.collection}".encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"seed-assistant-ingest-{key}.lock"
    store.path.mkdir(parents=True, exist_ok=True)
    return store.path / "ingest.lock"


@contextmanager
def ingest_lock(settings: IngestSettings) -> Iterator[None]:
    """Hold the store's ingest lock; raise IngestLockedError after `lock_timeout` seconds."""
    lock = FileLock(str(lock_path(settings)))
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            log.warning(
                "another ingest is running on this store; waiting up to %.0f s for it to finish",
                settings.lock_timeout,
            )
            lock.acquire(timeout=settings.lock_timeout)
    except Timeout:
        raise IngestLockedError(
            f"another ingest is still running on this store (waited {settings.lock_timeout:.0f} s); "
            "try again when it has finished"
        ) from None
    try:
        yield
    finally:
        lock.release()
