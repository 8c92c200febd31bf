"""Text from documents shown as text: no Markdown image, link, autolink, HTML or directive
survives `plain`, and errors are one line."""

from __future__ import annotations

import re

import pytest

from assistant.display import cells, explain, plain
from vectorstore.errors import AssistantError, IndexMismatchError

pytestmark = pytest.mark.unit


def _unescaped(text: str) -> str:
    """What a Markdown renderer shows for an escaped text (each backslash escape undone)."""
    return re.sub(r"\\(.)", r"\1", text).replace("\u2060", "")


@pytest.mark.parametrize(
    "hostile",
    [
        "![logo](http://203.0.113.9/beacon.png)",
        "[Session expired: click here](http://203.0.113.9/x)",
        "<img src=x onerror=alert(1)> **bold** _it_ `code` # heading",
        ":red[alarm] :material/warning: $x^2$ ~~gone~~ | a | b |",
        "see https://203.0.113.9/a or www.example.com or mail me@example.com",
    ],
)
def test_markup_is_escaped_and_reads_the_same(hostile: str) -> None:
    shown = plain(hostile)
    assert _unescaped(shown) == hostile
    assert not re.search(r"(?<!\\)[!\[\]()<>*_`#:$~|]", shown.replace("\\\\", ""))
    assert not re.search(r"://|www\.|\w\\?@", shown)  # no autolink left unbroken


def test_table_cells_are_escaped_and_numbers_kept() -> None:
    rows = cells([{"title": "[x](http://a)", "score": 0.5}])
    assert rows == [{"title": plain("[x](http://a)"), "score": 0.5}]


def test_an_error_naming_a_document_shows_its_name_as_text() -> None:
    line = explain(AssistantError("[x](http://a).txt: empty file, skipped"))
    assert "](" not in line and _unescaped(line) == "[x](http://a).txt: empty file, skipped"
    assert explain(IndexMismatchError("made with another model")).endswith(
        "**Re-ingest** in the sidebar to rebuild the index."
    )
