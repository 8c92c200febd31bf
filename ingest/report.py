"""The outcome of one ingest, as data and as the lines a user reads."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

_LINE_BREAKING = frozenset({"Cc", "Cs", "Zl", "Zp"})
"""Unicode categories escaped in report lines: controls (newline, tab, terminal escapes),
undecodable bytes of a file name, and line and paragraph separators."""


@dataclass(frozen=True)
class IngestReport:
    """What an ingest changed. `errors` holds one line per file that could not be ingested,
    `warnings` one line per file that was ingested but not quite as it is (bytes replaced)."""

    added: tuple[str, ...]
    updated: tuple[str, ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]
    errors: tuple[str, ...]
    chunks_embedded: int
    chunks_total: int
    documents_total: int
    seconds: float
    rebuilt_from: tuple[str, ...] = ()
    repaired: int = 0
    """Entries of no live version that were deleted (left by an interrupted ingest)."""
    sentences_embedded: int = 0
    resumed: bool = False
    """This ingest continued the copy an interrupted ingest had begun."""
    warnings: tuple[str, ...] = ()
    """One line per document ingested with a caveat, such as invalid bytes replaced (not a
    failure: `ok` stays true)."""
    stopped: tuple[str, ...] = ()
    """Documents not embedded because the ingest was asked to stop; the next one does them."""

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        """One line: the counts a user wants after an ingest."""
        return (
            f"documents: {len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.deleted)} deleted"
            f"{f', {len(self.errors)} failed' if self.errors else ''}"
            f"{f', {len(self.stopped)} left (stopped)' if self.stopped else ''} · "
            f"chunks: {self.chunks_embedded} embedded, {self.chunks_total} in the index · "
            f"{self.seconds:.1f} s"
        )

    def lines(self) -> list[str]:
        """The full report: problems first (one line each), then what changed, then the summary.
        Control characters in file names are shown escaped (a newline as \\n), so that each
        entry stays one line."""
        out = [f"error: {line}" for line in self.errors]
        out += [f"warning: {line}" for line in self.warnings]
        if self.rebuilt_from:
            out.append("rebuilt the index: the embedding model or chunking changed")
        if self.stopped:
            out.append(
                f"stopped: {len(self.stopped)} documents were not embedded yet; the next ingest "
                "goes on from there, keeping what this one finished"
            )
        if self.resumed:
            out.append("resumed the ingest that was interrupted; work it had finished was kept")
        if self.repaired:
            out.append(f"repaired: removed {self.repaired} entries left by an interrupted ingest")
        out += [f"added: {s}" for s in self.added]
        out += [f"updated: {s}" for s in self.updated]
        out += [f"deleted: {s}" for s in self.deleted]
        out.append(self.summary())
        return [_one_line(line) for line in out]

    def to_dict(self) -> dict[str, object]:
        return {
            "added": list(self.added),
            "updated": list(self.updated),
            "unchanged": list(self.unchanged),
            "deleted": list(self.deleted),
            "errors": list(self.errors),
            "warnings": list(self.warnings),
            "chunks_embedded": self.chunks_embedded,
            "chunks_total": self.chunks_total,
            "sentences_embedded": self.sentences_embedded,
            "documents_total": self.documents_total,
            "seconds": round(self.seconds, 3),
            "rebuilt": bool(self.rebuilt_from),
            "repaired": self.repaired,
            "resumed": self.resumed,
            "stopped": list(self.stopped),
        }


def _one_line(text: str) -> str:
    """`text` with every character that could break or garble a line escaped ('\\n', '\\x1b')."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in _LINE_BREAKING
        else ch
        for ch in text
    )
