"""Ingest settings, read from ASSISTANT_* variables."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vectorstore.settings import PROJECT_ROOT, StoreSettings, env_float, env_int, env_str


@dataclass(frozen=True)
class IngestSettings:
    """Where the documents are, what is too big to read, and the store they go into."""

    root: Path = field(
        default_factory=lambda: Path(env_str("SEEDS_DIR", str(PROJECT_ROOT / "seeds")))
    )
    """The documents folder; every source is a path relative to it (ASSISTANT_SEEDS_DIR)."""
    max_file_mb: int = field(default_factory=lambda: env_int("MAX_FILE_MB", 10))
    """Files larger than this are reported and skipped (ASSISTANT_MAX_FILE_MB)."""
    lock_timeout: float = field(default_factory=lambda: env_float("LOCK_TIMEOUT", 120.0))
    """Seconds to wait for another ingest to finish before giving up (ASSISTANT_LOCK_TIMEOUT)."""
    commit_texts: int = field(default_factory=lambda: env_int("COMMIT_TEXTS", 512))
    """Embedded texts written per store commit; a killed ingest loses at most one group, or
    10 s of embedding, whichever is less (ASSISTANT_COMMIT_TEXTS)."""
    watch: bool = field(default_factory=lambda: env_str("WATCH", "1") not in ("0", "false", "no"))
    """The running app keeps the index in sync with the folder (ASSISTANT_WATCH=0: only when
    Re-ingest is pressed)."""
    watch_quiet: float = field(default_factory=lambda: env_float("WATCH_QUIET", 1.0))
    """Seconds without changes in the folder before the app syncs (ASSISTANT_WATCH_QUIET)."""
    fetch_timeout: float = field(default_factory=lambda: env_float("FETCH_TIMEOUT", 20.0))
    """Seconds to wait for a page added by its address (ASSISTANT_FETCH_TIMEOUT)."""
    store: StoreSettings = field(default_factory=StoreSettings)

    @property
    def max_bytes(self) -> int:
        return self.max_file_mb * 1_000_000
