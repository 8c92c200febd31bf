"""Export: markers become footnotes that quote the cited sentence and say where it is, numbered
across a chat; text from documents, the model or the user adds no link, image or footnote."""

from __future__ import annotations

import re
from typing import Any

import pytest
from markdown_it import MarkdownIt

from assistant.display import explain
from assistant.export import answer_filename, answer_markdown, chat_filename, chat_markdown
from assistant.types import Answer, Citation, Timings
from ingest.viewer import marker_parts
from vectorstore.errors import AssistantError, EmptyIndexError

pytestmark = pytest.mark.unit

STRUCTURE = {"link_open", "image", "html_inline", "html_block", "blockquote_open", "fence"}
STRUCTURE |= {"code_block", "code_inline", "heading_open"}


def _citation(n: int, text: str = "", **fields: Any) -> dict[str, Any]:
    citation = {
        "n": n,
        "source": "harbour.txt",
        "title": "Harbour plans",
        "start": 0,
        "end": 10,
        "text": text or f"Sentence {n}.",
        "page": None,
        "date": "2021-10-18",
        "outlet": "Daily News",
        "url": "",
    }
    return citation | fields


def _answer(text: str, *citations: dict[str, Any], found: bool = True) -> dict[str, Any]:
    return {"answer": text, "found": found, "citations": list(citations)}


def _parse(markdown: str) -> tuple[set[str], str, str]:
    """The token types of the document, its text with every backslash escape as NUL (so only
    unescaped brackets can be read as footnote syntax), and its text as a reader sees it.

    markdown-it-py has no footnote plugin here: `[^1]` stays text, which is what lets the test
    find the references and definitions the document really makes."""
    md = MarkdownIt("commonmark").disable("text_join")
    kinds: set[str] = set()
    structural: list[str] = []
    shown: list[str] = []
    for token in md.parse(markdown):
        kinds.add(token.type)
        for child in token.children or []:
            kinds.add(child.type)
            if child.type in {"text", "text_special"}:
                escaped = child.type == "text_special" and child.info == "escape"
                structural.append("\0" if escaped else child.content)
                shown.append(child.content)
            elif child.type == "softbreak":
                structural.append("\n")
                shown.append("\n")
        if token.type == "inline":
            structural.append("\n")
            shown.append("\n")
    return kinds, "".join(structural), "".join(shown)


def _footnotes(markdown: str) -> tuple[list[str], list[str]]:
    """The footnote references and definitions the document makes, by label."""
    _, structural, _ = _parse(markdown)
    definitions = re.findall(r"(?m)^\[\^(\d+)\]:", structural)
    references = re.findall(r"\[\^(\d+)\](?!:)", structural)
    return references, definitions


def _definition(markdown: str, label: int) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"[^{label}]: "))


# -- one answer ---------------------------------------------------------------------------------
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


# -- hostile text -------------------------------------------------------------------------------
HOSTILE = [
    "[x](http://evil)",
    "![img](http://evil/p.png)",
    "[^9]: fake",
    "<http://evil> <img src=http://evil/p.png>",
    "`code` \\[x\\](http://evil) [ref][x]\n\n[x]: http://evil",
    "# heading\n> quote\n~~~\n    indented [^9]",
]


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


# -- a chat -------------------------------------------------------------------------------------
def _chat() -> list[dict[str, Any]]:
    first = _answer(
        "Ships dock at night [1]; the pier opens in May [2].", _citation(1), _citation(2)
    )
    pdf = _citation(1, "Costs rose by 4 %.", title="Annual report", source="report.pdf", page=3)
    return [
        {"role": "user", "content": "When do ships dock?"},
        {"role": "assistant", "content": first["answer"], "answer": first},
        {"role": "user", "content": "And the costs?"},
        {"role": "assistant", "content": pdf["text"], "answer": _answer("Up 4 % [1].", pdf)},
        {"role": "user", "content": "Who is the mayor?"},
        {"role": "assistant", "content": "", "error": explain(EmptyIndexError())},
    ]


def test_chat_numbers_footnotes_across_answers_and_gathers_them_at_the_end() -> None:
    markdown = chat_markdown("Harbour questions", _chat())
    blocks = markdown.rstrip("\n").split("\n\n")
    assert blocks[:4] == [
        "# Harbour questions",
        "**You:** When do ships dock?",
        "**Assistant:** Ships dock at night [^1]; the pier opens in May [^2].",
        "**You:** And the costs?",
    ]
    assert blocks[4] == "**Assistant:** Up 4 % [^3]."
    assert blocks[-1].splitlines() == [
        "[^1]: “Sentence 1.” — Harbour plans, Daily News, 2021-10-18, harbour.txt",
        "[^2]: “Sentence 2.” — Harbour plans, Daily News, 2021-10-18, harbour.txt",
        "[^3]: “Costs rose by 4 %.” — Annual report, Daily News, 2021-10-18, report.pdf, p. 3",
    ]
    assert _footnotes(markdown) == (["1", "2", "3"], ["1", "2", "3"])


def test_errored_turn_is_its_error_line_in_italics_without_stray_escapes() -> None:
    markdown = chat_markdown("Chat", _chat())
    assert (
        "_The collection is empty: add articles in the sidebar, then press **Re-ingest**._"
        in markdown.split("\n\n")
    )
    hostile = chat_markdown(
        "Chat", [{"role": "assistant", "error": explain(AssistantError(HOSTILE[1]))}]
    )
    kinds, _, shown = _parse(hostile)
    assert "image" not in kinds and HOSTILE[1] in shown.replace("\u2060", "")


def test_chat_accepts_answer_objects_as_the_app_keeps_them() -> None:
    answer = Answer(
        question="q",
        text="It closes [1].",
        found=True,
        standalone_question="q",
        citations=(Citation(1, "a.txt", "Title", 0, 5, "Closed."),),
        passages=(),
        timings=Timings(),
    )
    markdown = chat_markdown("", [{"role": "assistant", "content": answer.text, "answer": answer}])
    assert (
        markdown == "# Chat\n\n**Assistant:** It closes [^1].\n\n[^1]: “Closed.” — Title, a.txt\n"
    )


def test_not_found_answer_in_a_chat_keeps_numbering() -> None:
    messages = [
        {"role": "assistant", "answer": _answer("Nothing found [1].", _citation(1), found=False)},
        {"role": "assistant", "answer": _answer("Found [1].", _citation(1))},
    ]
    markdown = chat_markdown("Chat", messages)
    assert "**Assistant:** Nothing found \\[1\\]." in markdown
    assert _footnotes(markdown) == (["1"], ["1"])


# -- file names ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When do ships dock at the harbour?", "when-do-ships-dock-at-the-harbour.md"),
        ("¿Qué dijo el alcalde sobre el puerto?", "que-dijo-el-alcalde-sobre-el-puerto.md"),
        ("../../etc/passwd", "etc-passwd.md"),
        ("", "answer.md"),
        ("???", "answer.md"),
        ("東京の港", "answer.md"),
        ("CON", "answer.md"),
    ],
)
def test_answer_filename_is_a_safe_ascii_slug(question: str, expected: str) -> None:
    assert answer_filename(question) == expected


@pytest.mark.parametrize("text", ["word " * 40, "x" * 200, "a-" * 100, "Harbour " + "y" * 80])
def test_long_names_are_cut_to_sixty_characters(text: str) -> None:
    for name in (answer_filename(text), chat_filename(text)):
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.md", name)
        assert len(name) <= 60


def test_chat_filename_falls_back_to_chat() -> None:
    assert chat_filename("  ") == "chat.md"
    assert chat_filename("Harbour questions") == "harbour-questions.md"


def _one_line(text: str) -> str:
    return " ".join(text.split())
