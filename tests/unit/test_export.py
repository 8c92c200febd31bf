"""Export of one answer: markers become footnotes that quote the cited sentence and say where
it is, numbered from a given number on."""

from __future__ import annotations

import re

import pytest
from export_support import _answer, _citation, _definition, _footnotes, _parse

from assistant.export import answer_markdown
from ingest.viewer import marker_parts

pytestmark = pytest.mark.unit


def test_markers_become_footnotes_numbered_in_order_of_appearance() -> None:
    answer = _answer(
        "Ships dock at night [2]. The pier opens in May [1].", _citation(1), _citation(2)
    )
    markdown, following = answer_markdown(answer)
    assert markdown.startswith("Ships dock at night [^1]. The pier opens in May [^2].\n\n")
    assert _definition(markdown, 1).startswith("[^1]: “Sentence 2.”")
    assert _definition(markdown, 2).startswith("[^2]: “Sentence 1.”")
    assert following == 3


def test_numbering_starts_at_first_and_returns_the_next_free_number() -> None:
    markdown, following = answer_markdown(_answer("A [1]. B [2].", _citation(1), _citation(2)), 5)
    assert "A [^5]. B [^6]." in markdown
    assert _footnotes(markdown) == (["5", "6"], ["5", "6"])
    assert following == 7


def test_multi_marker_gives_one_reference_per_citation() -> None:
    answer = _answer("Both agree [1, 2]; again [2; 1].", _citation(1), _citation(2))
    markdown, following = answer_markdown(answer)
    assert "Both agree [^1][^2]; again [^2][^1]." in markdown
    assert _footnotes(markdown)[1] == ["1", "2"]
    assert following == 3


def test_a_sentence_cited_twice_has_one_footnote() -> None:
    markdown, following = answer_markdown(_answer("A [1]. B [1].", _citation(1)))
    assert _footnotes(markdown) == (["1", "1"], ["1"])
    assert following == 2


def test_marker_without_citation_stays_text() -> None:
    answer = _answer("Known [1], unknown [3], mixed [1, 3].", _citation(1))
    markdown, following = answer_markdown(answer)
    _, _, shown = _parse(markdown)
    assert "Known [1], unknown [3], mixed [1, 3]." not in markdown  # escaped, not footnotes
    assert "unknown [3], mixed [1, 3]." in shown
    assert _footnotes(markdown) == (["1"], ["1"])
    assert following == 2


def test_footnote_quotes_the_exact_sentence_and_where_it_is() -> None:
    sentence = "The harbour  will\n  close on\tFriday, the mayor said."
    markdown, _ = answer_markdown(_answer("It closes Friday [1].", _citation(1, sentence)))
    assert _definition(markdown, 1) == (
        "[^1]: “The harbour will close on Friday, the mayor said.” — "
        "Harbour plans, Daily News, 2021-10-18, harbour.txt"
    )


def test_pdf_citation_names_its_page() -> None:
    citation = _citation(1, source="report.pdf", page=3)
    markdown, _ = answer_markdown(_answer("See [1].", citation))
    assert _definition(markdown, 1).endswith(", 2021-10-18, report.pdf, p. 3")


def test_empty_parts_are_left_out() -> None:
    citation = _citation(1, title="", outlet="", date="")
    markdown, _ = answer_markdown(_answer("See [1].", citation))
    assert _definition(markdown, 1) == "[^1]: “Sentence 1.” — harbour.txt"


def test_citation_never_marked_still_gets_a_referenced_footnote() -> None:
    markdown, following = answer_markdown(_answer("A [1].", _citation(1), _citation(2)))
    references, definitions = _footnotes(markdown)
    assert definitions == ["1", "2"] and set(references) == {"1", "2"}
    assert following == 3


def test_not_found_answer_is_its_text_without_footnotes() -> None:
    answer = _answer("Nothing in the collection answers that [1].", _citation(1), found=False)
    markdown, following = answer_markdown(answer, 4)
    assert markdown == "Nothing in the collection answers that \\[1\\].\n"
    assert _footnotes(markdown) == ([], [])
    assert following == 4


def test_markers_are_read_as_the_source_viewer_reads_them() -> None:
    text = "a [1] b [2,3] c [3 ; 1] d [4] e [ 1 ] f [2, 9] g [99999999999999] h [1][2]"
    citations = [_citation(n, f"S{n}.") for n in (1, 2, 3)]
    markdown, _ = answer_markdown(_answer(text, *citations))
    references, _ = _footnotes(markdown)
    sentence = re.compile(r"“S(\d)\.”")
    cited = [int(sentence.findall(_definition(markdown, int(label)))[0]) for label in references]
    viewer = [part["n"] for part in marker_parts(text, {1, 2, 3}) if "n" in part]
    assert cited == viewer
