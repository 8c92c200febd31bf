"""What the sidebar says of each file in the documents folder: indexed, waiting for the next
sync, or skipped and why."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from vectorstore.schema import DocumentRecord

INDEXED, WAITING, SKIPPED, REMOVED = "indexed", "waiting", "skipped", "removed"


@dataclass(frozen=True)
class DocumentState:
    """One file's state. `reason` says why a file was skipped (one line)."""

    source: str
    state: str
    title: str = ""
    reason: str = ""


def document_states(
    sources: Iterable[str],
    problems: Iterable[str],
    documents: Mapping[str, DocumentRecord],
    errors: Iterable[str] = (),
) -> list[DocumentState]:
    """The state of every file the folder lists (`sources`, with the `problems` its listing
    found) and of every indexed document, from the index and the last ingest's `errors`."""
    present = set(sources)
    reasons = _reasons([*problems, *errors])
    states = []
    for source in sorted(present | set(documents) | set(reasons)):
        record = documents.get(source)
        if source in reasons and (record is None or source in present):
            states.append(DocumentState(source, SKIPPED, reason=reasons[source]))
        elif record is None:
            states.append(DocumentState(source, WAITING))
        else:
            state = INDEXED if source in present else REMOVED
            states.append(DocumentState(source, state, title=record.title))
    return states


def _reasons(lines: Iterable[str]) -> dict[str, str]:
    """'name: why, skipped' lines as name → why."""
    found = {}
    for line in lines:
        source, _, why = line.partition(": ")
        if why:
            found[source] = why.removesuffix(", skipped").split("; its earlier version")[0]
    return found
