"""A lock that serves waiting threads in the order they came.

The local model generates for one request at a time. With a plain `threading.Lock`, the thread
that just released it usually takes it straight back, so a question made of many model calls
(several parts, a second look, translations) runs all of them while other users wait. Here each
call takes a ticket and calls run in ticket order: the calls of concurrent questions interleave,
and a long question delays a short one by at most about one call at a time.
"""

from __future__ import annotations

import threading
from types import TracebackType


class FairLock:
    """A first-come, first-served lock (a ticket lock)."""

    def __init__(self) -> None:
        self._turn = threading.Condition()
        self._next_ticket = 0
        self._serving = 0
        self._abandoned: set[int] = set()

    def __enter__(self) -> FairLock:
        with self._turn:
            ticket = self._next_ticket
            self._next_ticket += 1
            try:
                self._turn.wait_for(lambda: self._serving == ticket)
            except BaseException:  # interrupted while waiting: the turn passes over it
                self._abandoned.add(ticket)
                self._advance()
                raise
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        with self._turn:
            self._serving += 1
            self._advance()

    def _advance(self) -> None:
        """Skip the tickets of waiters that gave up, and wake the one whose turn it is."""
        while self._serving in self._abandoned:
            self._abandoned.discard(self._serving)
            self._serving += 1
        self._turn.notify_all()
