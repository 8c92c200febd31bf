"""Test-only fault points: make a real ingest process kill itself, or pause, at a named point.

Crash-safety tests run `assistant ingest` in a subprocess and need it to die at an exact moment.
Two environment variables do that; unset (always, in normal use) `reached()` does nothing:

- `ASSISTANT_TEST_CRASH_AT=<point>[:<n>]` sends SIGKILL to this process the n-th time (default:
  the first) it reaches `<point>`; nothing is cleaned up, exactly as with `kill -9`.
- `ASSISTANT_TEST_PAUSE_AT=<point>[:<n>]` with `ASSISTANT_TEST_PAUSE_FILE=<path>` creates `<path>`
  at that point and waits until someone deletes it (at most 120 s), so a test can act (delete a
  file, start a second ingest, search) while this ingest is at a known place.

The points, in the order an ingest reaches them, are the keys of `POINTS`.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

POINTS = {
    "listed": "the folder is listed; no file read yet",
    "planned": "files hashed, read and chunked; nothing written yet",
    "staged": "the private copy of the store is open; nothing written to it yet",
    "deleting": "removed documents are out of the manifest, their chunks not yet deleted",
    "embedding": "a batch of texts is embedded and not yet written",
    "chunks-written": "new sentences and chunks are written, the manifest not yet switched",
    "switched": "the manifest names the new versions, the old chunks are not yet deleted",
    "committed": "a group of documents is completely committed",
    "publishing": "the copy is complete and closed, not yet published",
    "published": "the copy is published, older snapshots not yet pruned",
}

_counts: dict[str, int] = {}


def reached(point: str) -> None:
    """Mark that the ingest reached `point`; crash or pause here if a test asked for it."""
    crash = os.environ.get("ASSISTANT_TEST_CRASH_AT")
    pause = os.environ.get("ASSISTANT_TEST_PAUSE_AT")
    if not crash and not pause:
        return
    _counts[point] = _counts.get(point, 0) + 1
    if crash and _matches(crash, point):
        os.kill(os.getpid(), signal.SIGKILL)
    if pause and _matches(pause, point):
        _pause(Path(os.environ.get("ASSISTANT_TEST_PAUSE_FILE", "ingest-paused")))


def _matches(spec: str, point: str) -> bool:
    name, _, nth = spec.partition(":")
    if name.strip() != point:
        return False
    return _counts[point] == (int(nth) if nth.strip().isdigit() else 1)


def _pause(handshake: Path) -> None:
    handshake.write_text(f"{os.getpid()}\n", encoding="utf-8")
    deadline = time.monotonic() + 120
    while handshake.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
