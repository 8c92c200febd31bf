"""How far an ingest has come, in words a person can trust: what is done of all, texts per second
and the time left of the phase under way (reading, then embedding), measured as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

Progress = Callable[[int, int, str], None]
"""Called with (done, total, label) as an ingest goes; the label names the phase, and while
embedding also the documents done ("embedding: 3 of 10 documents done")."""

READING = "reading"
EMBEDDING = "embedding"
UNITS = {READING: "documents", EMBEDDING: "texts"}
"""What each phase counts."""


def embedding_label(documents_done: int, documents: int) -> str:
    return f"{EMBEDDING}: {documents_done} of {documents} documents done"


def phase_of(label: str) -> str:
    """The phase a label names ("embedding" for "embedding: 3 of 10 documents done")."""
    return label.split(":", 1)[0]


@dataclass
class Meter:
    """Rate and time left, measured since the phase under way began."""

    clock: Callable[[], float] = time.monotonic
    _phase: str = ""
    _started: float = 0.0
    _first: int = 0

    def line(self, done: int, total: int, label: str) -> str:
        """One line: the label, what is done of all, and once measurable the rate and time left."""
        now, phase = self.clock(), phase_of(label)
        if phase != self._phase or done < self._first:
            self._phase, self._started, self._first = phase, now, done
        unit = UNITS.get(phase, "")
        counted = f"{label} · {done} of {total} {unit}".rstrip() if total else label
        elapsed, moved = now - self._started, done - self._first
        if moved <= 0 or elapsed <= 0 or done >= total:
            return counted
        rate = moved / elapsed
        left = _duration((total - done) / rate)
        return f"{counted} · {rate:.1f} {unit or 'items'}/s · about {left} left"


def _duration(seconds: float) -> str:
    """'40 s', '3 min', '1 h 5 min'."""
    if seconds < 90:
        return f"{max(1, round(seconds))} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
