"""Export file names: safe ASCII slugs of the question or the chat's title."""

from __future__ import annotations

import re

import pytest

from assistant.export import answer_filename, chat_filename

pytestmark = pytest.mark.unit


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
