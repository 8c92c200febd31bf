"""A claim rests only on sentences about whom the question asks, and a question asked of two
people says whose answer is whose."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

ENVOY = (
    "Zalmay Khalilzad resigned as envoy on Monday. He had led the talks with the Taliban. "
    "The 70-year-old envoy spent years shuttling between capitals."
)
GENERAL = (
    "General Mark Milley testified before the Senate on Tuesday. He called the war a failure. "
    "The 63-year-old general spoke for three hours."
)


@pytest.fixture
def two_people(docs_dir: Path) -> Path:
    for path in docs_dir.iterdir():
        path.unlink()
    (docs_dir / "envoy.txt").write_text(ENVOY, encoding="utf-8")
    (docs_dir / "general.txt").write_text(GENERAL, encoding="utf-8")
    return docs_dir


def _cite_an_age(first: str, then: str = ""):  # type: ignore[no-untyped-def]
    """A model answering with the sentence that gives the age `first` whatever it is asked (and
    with `then` from its second prompt on), as the small models do with a prominent number."""
    calls: list[int] = []

    def reply(messages: Sequence[dict[str, str]]) -> str:
        calls.append(1)
        age = then if then and len(calls) > 1 else first
        lines = messages[-1]["content"].splitlines()
        line = next((li for li in lines if f"{age}-year-old" in li), "")
        marker = re.match(r"\[(\d+)\]", line)
        return f"{age} years old [{marker.group(1)}]" if marker else "NOT FOUND"

    return reply


def test_an_age_from_the_other_persons_sentence_is_not_their_age(
    two_people, fake_assistant
) -> None:  # type: ignore[no-untyped-def]
    assistant = fake_assistant(_cite_an_age("63"))
    answer = assistant.ask("How old were Zalmay Khalilzad and General Mark Milley?")
    shown = [p[-1]["content"] for p in assistant.llm.prompts]
    assert any("63-year-old" in p and "Zalmay Khalilzad?" in p for p in shown)  # it was offered
    reasons = [c.reason for c in answer.checks if c.verdict != "supported"]
    assert "about General Mark Milley, not Zalmay Khalilzad" in reasons
    # Only the general's part stands, and the answer says whose age it is.
    assert answer.found and answer.text.startswith("General Mark Milley: 63 years old.")
    assert "Khalilzad" not in answer.text


def test_each_part_of_a_question_about_two_people_is_named(two_people, fake_assistant) -> None:  # type: ignore[no-untyped-def]
    assistant = fake_assistant(_cite_an_age("70", then="63"))
    answer = assistant.ask("How old were Zalmay Khalilzad and General Mark Milley?")
    assert answer.text.startswith("Zalmay Khalilzad: 70 years old. [1] General Mark Milley: 63")
    assert [c.source for c in answer.citations] == ["envoy.txt", "general.txt"]


def test_a_person_named_in_full_is_not_answered_from_an_article_that_never_names_them(
    two_people, fake_assistant
) -> None:  # type: ignore[no-untyped-def]
    assistant = fake_assistant(_cite_an_age("70"))
    answer = assistant.ask("How old is General Mark Milley?")
    assert any("70-year-old" in p[-1]["content"] for p in assistant.llm.prompts)
    assert not answer.found
    assert "its article never names milley" in [c.reason for c in answer.checks]
    # The same model, asked about the envoy, is believed.
    assert assistant.ask("How old is Zalmay Khalilzad?").found
