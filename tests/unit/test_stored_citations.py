"""Citations of stored answers open the right span after a re-ingest, or say why they cannot."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant.stored_citations import (
    CHANGED,
    CURRENT,
    MOVED,
    REMOVED,
    UNAVAILABLE,
    resolve_citation,
)
from ingest.viewer import SourceUnavailableError, highlight
from vectorstore.schema import DocumentRecord

pytestmark = pytest.mark.unit

OLD = "The envoy resigned on Monday. Ann Lee replaced him. Talks resume in May."
SENTENCE = "Ann Lee replaced him."


def _record(doc_hash: str, source: str = "envoy.txt") -> DocumentRecord:
    return DocumentRecord(source, doc_hash, "Envoy resigns", "2021-08-01", "en", 1, 0, "utf-8", 0)


def _citation(doc_hash: str | None = "v1") -> dict[str, object]:
    start = OLD.index(SENTENCE)
    cited: dict[str, object] = {
        "n": 1,
        "source": "envoy.txt",
        "title": "Envoy resigns",
        "start": start,
        "end": start + len(SENTENCE),
        "text": SENTENCE,
    }
    if doc_hash is not None:
        cited["doc_hash"] = doc_hash
    return cited


def _texts(text: str) -> Callable[[str], str]:
    return lambda source: text


def test_a_citation_of_the_same_version_is_highlighted_as_stored() -> None:
    resolved = resolve_citation(_citation(), {"envoy.txt": _record("v1")}, _texts(OLD))
    assert resolved.status == CURRENT and resolved.note == ""
    assert resolved.start is not None and resolved.end is not None
    assert highlight(resolved.document, resolved.start, resolved.end).cited == SENTENCE


def test_an_old_record_without_a_version_is_current_when_the_span_still_holds_it() -> None:
    resolved = resolve_citation(_citation(None), {"envoy.txt": _record("v9")}, _texts(OLD))
    assert resolved.status == CURRENT
    assert (resolved.start, resolved.end) == (_citation()["start"], _citation()["end"])


def test_a_sentence_that_moved_is_highlighted_at_its_nearest_new_place() -> None:
    # the sentence now occurs twice (at 0 and 50); the second is nearer where it was (30)
    new = f"{SENTENCE} Update. The envoy resigned. {SENTENCE} Talks resume in May."
    resolved = resolve_citation(_citation(), {"envoy.txt": _record("v2")}, _texts(new))
    assert resolved.status == MOVED and "changed since this answer" in resolved.note
    assert (OLD.index(SENTENCE), resolved.start) == (30, 50)
    assert new[resolved.start : resolved.end] == SENTENCE


def test_a_sentence_reflowed_across_a_line_break_is_still_found() -> None:
    new = "Talks resume in May.\nAnn Lee\nreplaced him. The envoy resigned."
    resolved = resolve_citation(_citation(), {"envoy.txt": _record("v2")}, _texts(new))
    assert resolved.status == MOVED
    assert new[resolved.start : resolved.end] == "Ann Lee\nreplaced him."


def test_a_changed_document_without_the_sentence_highlights_nothing() -> None:
    new = "The envoy resigned on Monday. Bo Ek replaced him. Talks resume in May."
    resolved = resolve_citation(_citation(), {"envoy.txt": _record("v2")}, _texts(new))
    assert resolved.status == CHANGED and not resolved.highlighted
    assert resolved.note == (
        "“Envoy resigns” changed since this answer; the cited sentence is no longer in it"
    )


def test_an_unversioned_citation_whose_span_now_holds_other_text_is_changed() -> None:
    new = "The envoy resigned on Monday. Bo Ek replaced him. Talks resume in May."
    resolved = resolve_citation(_citation(None), {"envoy.txt": _record("v2")}, _texts(new))
    assert resolved.status == CHANGED


def test_a_removed_document_says_so() -> None:
    def unreadable(source: str) -> str:
        raise AssertionError("a removed document is not read")

    resolved = resolve_citation(_citation(), {"other.txt": _record("v1", "other.txt")}, unreadable)
    assert resolved.status == REMOVED and not resolved.highlighted
    assert resolved.note == "“Envoy resigns” was removed from the collection since this answer"


def test_a_document_that_cannot_be_read_gives_the_readers_message() -> None:
    def unreadable(source: str) -> str:
        raise SourceUnavailableError("'envoy.txt' cannot be opened")

    resolved = resolve_citation(_citation(), {"envoy.txt": _record("v1")}, unreadable)
    assert (resolved.status, resolved.note) == (UNAVAILABLE, "'envoy.txt' cannot be opened")
    assert not resolved.highlighted
