"""The source viewer reads only documents of the collection, and cuts exactly at the cited span."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from ingest.viewer import SourceUnavailableError, highlight, marker_parts, open_source
from vectorstore.schema import DocumentRecord

LIMIT = 1_000_000


def _record(source: str, data: bytes) -> DocumentRecord:
    return DocumentRecord(
        source=source,
        doc_hash=hashlib.sha256(data).hexdigest(),
        title="A title",
        date="2021-08-01",
        language="en",
        chunks=1,
        chars=len(data),
        encoding="utf-8",
        ingested_at=0.0,
    )


@pytest.fixture
def folder(tmp_path: Path) -> tuple[Path, dict[str, DocumentRecord]]:
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    data = "Første linje.\nThe envoy resigned on Monday. 🙂 Then more.\n".encode()
    (root / "sub" / "a.txt").write_bytes(data)
    (tmp_path / "secret.txt").write_text("secret")
    return root, {"sub/a.txt": _record("sub/a.txt", data)}


def test_open_source_returns_the_text_spans_point_into(
    folder: tuple[Path, dict[str, DocumentRecord]],
) -> None:
    root, documents = folder
    shown = open_source(root, documents, "sub/a.txt", LIMIT)
    assert shown.title == "A title" and shown.date == "2021-08-01" and not shown.stale
    start = shown.text.index("The envoy")
    cut = highlight(shown.text, start, start + len("The envoy resigned on Monday."))
    assert cut.cited == "The envoy resigned on Monday."
    assert cut.before + cut.cited + cut.after == shown.text


@pytest.mark.parametrize(
    "source", ["../secret.txt", "secret.txt", "/etc/passwd", "sub", "sub/../sub/a.txt"]
)
def test_paths_outside_the_manifest_are_never_read(
    folder: tuple[Path, dict[str, DocumentRecord]], source: str
) -> None:
    root, documents = folder
    with pytest.raises(SourceUnavailableError, match="not a document of the collection"):
        open_source(root, documents, source, LIMIT)


def test_a_manifest_entry_escaping_the_folder_is_refused(
    folder: tuple[Path, dict[str, DocumentRecord]], tmp_path: Path
) -> None:
    root, documents = folder
    os.symlink(tmp_path / "secret.txt", root / "link.txt")
    forged = {
        **documents,
        "link.txt": _record("link.txt", b"secret"),
        "../secret.txt": _record("x", b""),
    }
    for source in ("link.txt", "../secret.txt"):
        with pytest.raises(SourceUnavailableError, match="outside the documents folder"):
            open_source(root, forged, source, LIMIT)


def test_a_changed_file_is_marked_stale_and_a_removed_one_explained(
    folder: tuple[Path, dict[str, DocumentRecord]],
) -> None:
    root, documents = folder
    (root / "sub" / "a.txt").write_text("Edited since the ingest.\n")
    assert open_source(root, documents, "sub/a.txt", LIMIT).stale
    (root / "sub" / "a.txt").unlink()
    with pytest.raises(SourceUnavailableError, match="Re-ingest"):
        open_source(root, documents, "sub/a.txt", LIMIT)


def test_highlight_refuses_a_span_outside_the_text() -> None:
    with pytest.raises(SourceUnavailableError):
        highlight("short", 2, 99)
    with pytest.raises(SourceUnavailableError):
        highlight("short", 3, 2)


def test_marker_parts_turns_known_markers_into_links() -> None:
    parts = marker_parts("He resigned [1]. It ended [2][1, 3]. See [9] and [x].", {1, 2, 3})
    assert parts == [
        {"text": "He resigned "},
        {"n": 1},
        {"text": ". It ended "},
        {"n": 2},
        {"n": 1},
        {"n": 3},
        {"text": ". See [9] and [x]."},
    ]
    assert marker_parts("No markers.", set()) == [{"text": "No markers."}]


@pytest.mark.parametrize("source", ["\x00", "sub/a.txt\x00", "\ud800", "loop"])
def test_a_source_that_cannot_be_resolved_is_refused_not_raised(
    folder: tuple[Path, dict[str, DocumentRecord]], source: str
) -> None:
    root, documents = folder
    os.symlink(root / "loop", root / "loop")  # a link to itself: resolving it never ends
    with pytest.raises(SourceUnavailableError, match="cannot be opened"):
        open_source(root, {**documents, source: _record(source, b"")}, source, LIMIT)


def test_marker_parts_keeps_a_number_too_long_to_read_as_text() -> None:
    marker = "[" + "0" * 4301 + "]"  # more digits than Python turns into an int
    assert marker_parts(f"Said so [1]{marker}.", {0, 1}) == [
        {"text": "Said so "},
        {"n": 1},
        {"text": f"{marker}."},
    ]
