"""Export of a chat: footnotes numbered across its answers and gathered at the end, failed
turns as their error line."""

from __future__ import annotations

from typing import Any

import pytest
from export_support import HOSTILE, _answer, _citation, _footnotes, _parse

from assistant.display import explain
from assistant.export import chat_markdown
from assistant.types import Answer, Citation, Timings
from vectorstore.errors import AssistantError, EmptyIndexError

pytestmark = pytest.mark.unit


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
