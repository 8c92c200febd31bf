"""Export escapes hostile text: what documents, the model or the user wrote adds no link, image
or footnote to the exported Markdown and is shown as written."""

from __future__ import annotations

from typing import Any

import pytest
from export_support import HOSTILE, STRUCTURE, _answer, _citation, _footnotes, _one_line, _parse

from assistant.export import answer_markdown, chat_markdown

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("hostile", HOSTILE)
def test_document_text_cannot_make_links_images_or_footnotes(hostile: str) -> None:
    citation = _citation(
        1, f"Said {hostile} here.", title=hostile, outlet=hostile, source=hostile, date=hostile
    )
    answer = _answer(f"{hostile}\nIt is so [1].\n{hostile} [2]", citation, _citation(2, hostile))
    markdown, _ = answer_markdown(answer)
    kinds, _, shown = _parse(markdown)
    assert not kinds & STRUCTURE
    references, definitions = _footnotes(markdown)
    assert definitions == ["1", "2"] and set(references) == {"1", "2"}
    assert _one_line(hostile) in _one_line(shown)  # shown as written


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_chat_with_hostile_text_makes_only_its_own_structure(hostile: str) -> None:
    answer = _answer(f"{hostile} [1]", _citation(1, hostile, title=hostile))
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": hostile},
        {"role": "assistant", "content": hostile, "answer": answer},
        {"role": "user", "content": hostile},
        {"role": "assistant", "content": "", "error": hostile},
    ]
    markdown = chat_markdown(hostile, messages)
    kinds, _, _ = _parse(markdown)
    assert not kinds & (STRUCTURE - {"heading_open"})
    assert markdown.count("\n# ") == 0 and markdown.startswith("# ")
    assert _footnotes(markdown) == (["1"], ["1"])


def test_markers_next_to_markup_do_not_become_images_or_definitions() -> None:
    answer = _answer("Wow![1]\n[2]: is not a definition", _citation(1), _citation(2))
    markdown, _ = answer_markdown(answer)
    kinds, _, shown = _parse(markdown)
    assert "image" not in kinds
    assert _footnotes(markdown) == (["1", "2"], ["1", "2"])
    assert "Wow![^1]\n[^2]: is not a definition" in shown
